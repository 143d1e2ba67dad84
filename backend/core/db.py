"""Database engine from DATABASE_URL, plus the write-transaction helper.

SQLite is the zero-setup default (WAL, FULL sync, busy timeout, writes under
BEGIN IMMEDIATE so two writers queue instead of failing mid-transaction);
PostgreSQL is for production.
"""

from __future__ import annotations

import asyncio
import sqlite3
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import unquote, urlsplit

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.table import Table

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


# SQLite has one writer at a time. Writers of this process queue on an asyncio lock
# instead of SQLite's busy handler, which sleeps in growing steps (up to 100 ms) and
# turns contention into long tails. Other processes still meet the busy timeout.
_sqlite_writers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()


def _writer_lock() -> asyncio.Lock:
    loop = asyncio.get_running_loop()
    lock = _sqlite_writers.get(loop)
    if lock is None:
        lock = _sqlite_writers[loop] = asyncio.Lock()
    return lock


@asynccontextmanager
async def write_transaction(engine: Engine) -> AsyncIterator[object]:
    """One atomic write. On SQLite it takes the write lock up front (BEGIN IMMEDIATE)."""
    if isinstance(engine, SQLiteEngine):
        if engine.current_transaction.get() is not None:  # already inside a write
            async with engine.transaction(transaction_type=TransactionType.immediate) as tx:
                yield tx
            return
        async with _writer_lock(), engine.transaction(transaction_type=TransactionType.immediate) as tx:
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


async def insert_rows(table: type[Table], rows: list[dict], *, skip_conflicts: bool = False) -> None:
    """Insert many rows with the driver's executemany, inside the current write transaction.

    For hot paths only (sync pushes): building Piccolo objects and query strings costs far
    more than the insert itself. Every row must have the same keys (column names). Values
    go to the driver as they are: asyncpg takes Python types, and Piccolo registers the
    SQLite adapters for dates and times.
    """
    if not rows:
        return
    engine = table._meta.db
    transaction = engine.current_transaction.get()
    if transaction is None:
        raise RuntimeError("insert_rows must run inside write_transaction")
    columns = list(rows[0])
    names = ", ".join(f'"{name}"' for name in columns)
    if isinstance(engine, SQLiteEngine):
        placeholders = ", ".join("?" for _ in columns)
    else:
        placeholders = ", ".join(f"${n}" for n in range(1, len(columns) + 1))
    sql = f'INSERT INTO "{table._meta.tablename}" ({names}) VALUES ({placeholders})'
    if skip_conflicts:  # rows that would break a unique key are left out, quietly
        sql += " ON CONFLICT DO NOTHING"
    await transaction.connection.executemany(sql, [tuple(row[name] for name in columns) for row in rows])
