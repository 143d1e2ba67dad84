"""Database engine from DATABASE_URL, plus the write-transaction helper.

SQLite is the zero-setup default (WAL, FULL sync, busy timeout, writes under
BEGIN IMMEDIATE so two writers queue instead of failing mid-transaction);
PostgreSQL is for production.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import unquote, urlsplit

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

SQLITE_BUSY_TIMEOUT_S = 30


def sqlite_path(url: str) -> str:
    # sqlite:///relative.db or sqlite:////absolute/path.db (SQLAlchemy style)
    path = url.split(":///", 1)[1] if ":///" in url else url.split("://", 1)[1]
    return unquote(path)


def make_engine(url: str) -> Engine:
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        return SQLiteEngine(path=sqlite_path(url), timeout=SQLITE_BUSY_TIMEOUT_S)
    if scheme in {"postgres", "postgresql"}:
        return PostgresEngine(config={"dsn": url})
    raise SystemExit(f"DATABASE_URL must start with sqlite:// or postgresql://, got {scheme!r}")


def prepare_sqlite_file(url: str) -> None:
    """Persistent SQLite settings: WAL survives in the file; FULL sync is per connection
    but is also SQLite's compiled default, so setting it here documents the intent."""
    with sqlite3.connect(sqlite_path(url)) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")


@asynccontextmanager
async def write_transaction(engine: Engine) -> AsyncIterator[object]:
    """One atomic write. On SQLite it takes the write lock up front (BEGIN IMMEDIATE)."""
    if isinstance(engine, SQLiteEngine):
        async with engine.transaction(transaction_type=TransactionType.immediate) as tx:
            yield tx
    else:
        async with engine.transaction() as tx:
            yield tx


async def start_pool(engine: Engine) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=1, max_size=10)


async def close_pool(engine: Engine) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()


async def ping(engine: Engine) -> bool:
    try:
        await engine.run_ddl("SELECT 1")
        return True
    except Exception:  # any failure means "not reachable" for the health check
        return False
