"""Database engine from DATABASE_URL, plus the write-transaction helper.

SQLite is the zero-setup default (WAL, FULL sync, busy timeout, writes under
BEGIN IMMEDIATE so two writers queue instead of failing mid-transaction);
PostgreSQL is for production. On both, a request that would wait longer than
LOCK_TIMEOUT_S for a lock fails with an error `is_busy` recognises (503 + Retry-After).
"""

from __future__ import annotations

import asyncio
import functools
import os
import sqlite3
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from urllib.parse import unquote, urlsplit

import asyncpg.exceptions
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import (
    SQLiteEngine,
    SQLiteTransaction,
    TransactionType,
    convert_datetime_in,
)
from piccolo.querystring import QueryString
from piccolo.table import Table

# How long a request waits for a lock another transaction holds before it answers 503 with
# Retry-After (most HTTP clients give up after 10-30 s; the PWA retries after Retry-After).
LOCK_TIMEOUT_S = 5
SQLITE_BUSY_TIMEOUT_S = LOCK_TIMEOUT_S


class DatabaseBusy(Exception):
    """A lock was not had within LOCK_TIMEOUT_S: nothing was written, try again shortly."""


# asyncpg's errors for "busy, try again": lock_timeout, statement cancelled, deadlock,
# serialization failure, no connection slot or a server that is starting or stopping.
_PG_BUSY = (
    asyncpg.exceptions.LockNotAvailableError,
    asyncpg.exceptions.QueryCanceledError,
    asyncpg.exceptions.DeadlockDetectedError,
    asyncpg.exceptions.SerializationError,
    asyncpg.exceptions.TooManyConnectionsError,
    asyncpg.exceptions.CannotConnectNowError,
)


def is_busy(error: BaseException) -> bool:
    """Whether a failure means the database is busy (or briefly away), not that the request is wrong."""
    if isinstance(error, (DatabaseBusy, *_PG_BUSY)):
        return True
    if isinstance(error, sqlite3.OperationalError):
        text = str(error).lower()
        return "locked" in text or "busy" in text
    return False


def sqlite_path(url: str) -> str:
    # sqlite:///relative.db or sqlite:////absolute/path.db (SQLAlchemy style)
    path = url.split(":///", 1)[1] if ":///" in url else url.split("://", 1)[1]
    return unquote(path)


# Open SQLite connections kept for queries outside a write transaction (start_pool).
SQLITE_READERS = 4


class PooledSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine opens a new connection for every query outside a
    transaction and for every transaction: a new aiosqlite thread, open, PRAGMA, query,
    commit, close; several milliseconds and as many thread hand-offs where the query
    itself takes a fraction of one. Between start_pool and close_pool, queries outside a
    transaction go to a few connections kept open instead (autocommit, as Piccolo's own;
    WAL readers see every committed write at their next statement), and write_transaction
    runs on one kept writer connection (writes of this process are serialized anyway).
    Without a pool (the CLI, migrations) it behaves like SQLiteEngine."""

    __slots__ = ("_readers", "_writer", "_pool_loop")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._readers: asyncio.Queue | None = None
        self._writer = None
        self._pool_loop: asyncio.AbstractEventLoop | None = None

    async def start_readers(self, size: int = SQLITE_READERS) -> None:
        await self.close_readers()
        readers: asyncio.Queue = asyncio.Queue()
        for _ in range(size):
            readers.put_nowait(await self.get_connection())  # dict rows, foreign keys on
        self._writer = await self.get_connection()
        self._readers, self._pool_loop = readers, asyncio.get_running_loop()

    async def close_readers(self) -> None:
        readers, writer = self._readers, self._writer
        self._readers, self._writer, self._pool_loop = None, None, None
        while readers is not None and not readers.empty():
            await readers.get_nowait().close()
        if writer is not None:
            await writer.close()

    def kept_writer(self):
        """The kept writer connection, when the pool runs on this loop."""
        if self._writer is not None and self._pool_loop is asyncio.get_running_loop():
            return self._writer
        return None

    async def _run_in_new_connection(self, query: str, args=None, query_type: str = "generic", table=None):
        readers = self._readers
        if readers is None or self._pool_loop is not asyncio.get_running_loop():
            return await super()._run_in_new_connection(query, args, query_type, table)
        connection = await readers.get()
        try:
            return await connection.execute_fetchall(query, args or [])  # one hop to its thread, not three
        finally:
            readers.put_nowait(connection)

    async def _run_in_existing_connection(self, connection, query: str, args=None, query_type: str = "generic",
                                          table=None):
        # Piccolo runs "PRAGMA foreign_keys = 1" before every statement of a transaction: a
        # no-op inside a transaction (SQLite ignores it there), and every connection here
        # comes from get_connection, which has set it. One thread hand-off per query saved.
        if query_type == "insert" and self.get_version_sync() < 3.35:
            return await super()._run_in_existing_connection(connection, query, args, query_type, table)
        return await connection.execute_fetchall(query, args or [])


class _GroupMember(SQLiteTransaction):
    """One writer's transaction inside a commit group: a savepoint of the group's open
    transaction on the kept writer connection. Its failure rolls back its own work only."""

    def __init__(self, engine: SQLiteEngine, group: _CommitGroup) -> None:
        super().__init__(engine=engine, transaction_type=TransactionType.immediate)
        group.size += 1
        self.connection = group.connection
        self._name = f"writer_{group.size}"

    async def __aenter__(self) -> _GroupMember:
        await self.connection.execute(f"SAVEPOINT {self._name}")
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type, exception, traceback) -> bool:
        try:
            if exception is not None:
                await self.connection.execute(f"ROLLBACK TO {self._name}")
            await self.connection.execute(f"RELEASE {self._name}")
        finally:
            self.engine.current_transaction.reset(self.context)
        return exception is None


class _CommitGroup:
    """Writers that queued behind one another share one COMMIT: one fsync for all of them
    instead of one each (with synchronous=FULL the fsync is most of a small write's cost).
    Nobody hears "done" before the COMMIT that makes their work durable."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.size = 0
        self.committed: asyncio.Future = asyncio.get_running_loop().create_future()
        # Members whose own work failed never wait for it: its outcome must not go unread.
        self.committed.add_done_callback(lambda done: done.cancelled() or done.exception())


def make_engine(url: str) -> Engine:
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        return PooledSQLiteEngine(path=sqlite_path(url), timeout=SQLITE_BUSY_TIMEOUT_S)
    if scheme in {"postgres", "postgresql"}:
        # lock_timeout: a statement waiting for a lock fails after LOCK_TIMEOUT_S (55P03) instead
        # of holding the request (and a pool connection) for as long as the lock lasts.
        return PostgresEngine(config={"dsn": url, "server_settings": {"lock_timeout": f"{LOCK_TIMEOUT_S}s"}})
    raise SystemExit(f"DATABASE_URL must start with sqlite:// or postgresql://, got {scheme!r}")


def prepare_sqlite_file(url: str) -> None:
    """Persistent SQLite settings: WAL survives in the file; FULL sync is per connection
    but is also SQLite's compiled default, so setting it here documents the intent.
    The file holds password hashes and sessions: owner-only (0600) from its first byte,
    and its -wal and -shm too (SQLite gives them the database file's mode)."""
    path = sqlite_path(url)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
    for name in (path, f"{path}-wal", f"{path}-shm"):
        if os.path.exists(name):
            os.chmod(name, 0o600)  # files made before this check, by an older version


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
async def _holding(lock: asyncio.Lock) -> AsyncIterator[None]:
    """The writer lock, had within LOCK_TIMEOUT_S (as SQLite's own busy timeout) or DatabaseBusy."""
    try:
        await asyncio.wait_for(lock.acquire(), LOCK_TIMEOUT_S)
    except TimeoutError:
        raise DatabaseBusy(f"no write lock within {LOCK_TIMEOUT_S} s") from None
    try:
        yield
    finally:
        lock.release()


@asynccontextmanager
async def write_transaction(engine: Engine) -> AsyncIterator[object]:
    """One atomic write. On SQLite it takes the write lock up front (BEGIN IMMEDIATE); with
    the pool running, writers that queue up meanwhile share its COMMIT (_CommitGroup)."""
    if isinstance(engine, SQLiteEngine):
        if engine.current_transaction.get() is not None:  # already inside a write
            async with engine.transaction(transaction_type=TransactionType.immediate) as tx:
                yield tx
            return
        if isinstance(engine, PooledSQLiteEngine) and engine.kept_writer() is not None:
            async with _grouped_write(engine) as tx:
                yield tx
            return
        async with _holding(_writer_lock()), engine.transaction(transaction_type=TransactionType.immediate) as tx:
            yield tx
    else:
        async with engine.transaction() as tx:
            yield tx


_groups: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, list] = weakref.WeakKeyDictionary()


@asynccontextmanager
async def _grouped_write(engine: PooledSQLiteEngine) -> AsyncIterator[object]:
    lock = _writer_lock()
    slot = _groups.setdefault(asyncio.get_running_loop(), [None])  # [the open group, if any]
    failure: BaseException | None = None
    async with _holding(lock):
        group: _CommitGroup | None = slot[0]
        if group is None:
            # The first writer opens the transaction and schedules its COMMIT behind the
            # writers already queued on the lock; whoever queues later starts a new group.
            connection = engine.kept_writer()
            if connection.in_transaction:  # an earlier transaction was interrupted mid-way
                await connection.execute("ROLLBACK")
            await connection.execute("BEGIN IMMEDIATE")
            group = slot[0] = _CommitGroup(connection)
            asyncio.get_running_loop().create_task(_commit(group, lock, slot))  # runs even if we are cancelled
        try:
            async with _GroupMember(engine, group) as tx:
                yield tx
        except BaseException as error:  # our savepoint is rolled back; the group goes on
            failure = error
    if failure is not None:
        raise failure
    await asyncio.shield(group.committed)


async def _commit(group: _CommitGroup, lock: asyncio.Lock, slot: list) -> None:
    async with lock:  # queued behind every writer waiting now: their work joins this commit
        slot[0] = None
        try:
            await group.connection.execute("COMMIT")
            group.committed.set_result(None)
        except BaseException as error:
            if group.connection.in_transaction:
                await group.connection.execute("ROLLBACK")
            group.committed.set_exception(error)


async def start_pool(engine: Engine) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=1, max_size=10)
    elif isinstance(engine, PooledSQLiteEngine):
        await engine.start_readers()


async def close_pool(engine: Engine) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()
    elif isinstance(engine, PooledSQLiteEngine):
        await engine.close_readers()


async def ping(engine: Engine) -> bool:
    try:
        await engine.run_ddl("SELECT 1")
        return True
    except Exception:  # any failure means "not reachable" for the health check
        return False


@functools.lru_cache(maxsize=256)
def _numbered(sql: str) -> str:
    """`?` placeholders as PostgreSQL's `$1, $2, …` (the hot-path SQL has no `?` in literals)."""
    parts = sql.split("?")
    return "".join(part + (f"${n}" if n < len(parts) else "") for n, part in enumerate(parts, start=1))


class TxSQL:
    """Hand-written SQL on the current write transaction's connection, for hot paths (sync
    pushes): Piccolo builds each query anew, which costs far more CPU than running it.
    Write it with `?` placeholders; on PostgreSQL they become `$n` (asyncpg prepares and
    caches each statement text once per connection). Rows read like dicts on both engines
    (SQLite: Piccolo's dict rows; asyncpg: Records). Values go to the driver as they are:
    asyncpg takes Python types, and Piccolo registers the SQLite adapters for dates and times."""

    __slots__ = ("connection", "postgres")

    def __init__(self, engine: Engine) -> None:
        transaction = engine.current_transaction.get()
        if transaction is None:
            raise RuntimeError("TxSQL must run inside write_transaction")
        self.connection = transaction.connection
        self.postgres = isinstance(engine, PostgresEngine)

    def stored(self, value: datetime) -> object:
        """An instant as the driver stores it, for a value written into many rows: on SQLite
        Piccolo's own adapter, once (it runs for every row and column otherwise)."""
        return value if self.postgres else convert_datetime_in(value)

    def one_of(self, values: list, pg_type: str) -> tuple[str, tuple]:
        """A membership test to write after a column, and its arguments: `= ANY(?::type[])` on
        PostgreSQL (one statement text whatever the count), `IN (?, ?, …)` on SQLite."""
        if self.postgres:
            return f"= ANY(?::{pg_type}[])", (list(values),)
        return f"IN ({', '.join('?' * len(values))})", tuple(values)

    async def rows(self, sql: str, *args) -> list:
        if self.postgres:
            return await self.connection.fetch(_numbered(sql), *args)
        # aiosqlite: execute, fetch and close are a thread hop each; this is one.
        return await self.connection.execute_fetchall(sql, args)

    async def execute(self, sql: str, *args) -> None:
        if self.postgres:
            await self.connection.execute(_numbered(sql), *args)
        else:
            await self.connection.execute(sql, args)

    async def executemany(self, sql: str, rows: list[tuple]) -> None:
        if rows:
            await self.connection.executemany(_numbered(sql) if self.postgres else sql, rows)

    async def insert(self, table: str, columns: dict[str, str], rows: list[tuple]) -> None:
        """Insert many rows; `columns` maps each name to its PostgreSQL type. On PostgreSQL one
        statement takes every row as column arrays (unnest): executemany would run the INSERT
        once per row, each with its own executor start-up. SQLite: executemany (no network)."""
        if not rows:
            return
        names = ", ".join(f'"{name}"' for name in columns)
        if self.postgres:
            arrays = ", ".join(f"${n}::{kind}[]" for n, kind in enumerate(columns.values(), start=1))
            await self.connection.execute(f'INSERT INTO "{table}" ({names}) SELECT * FROM unnest({arrays})',
                                          *zip(*rows, strict=True))
        else:
            await self.connection.executemany(
                f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})', rows)


def id_list(ids) -> QueryString:
    """The values of `column.is_in(...)` for many integer ids, written into the SQL.

    Piccolo converts and binds each value of a plain list (about 13 µs each); for the
    scheduler's reads of 10,000 reps that cost more than the queries. An int cannot carry
    SQL, and every value is made one here. An empty list matches nothing.
    """
    values = sorted({int(value) for value in ids})
    return QueryString(", ".join(map(str, values)) if values else "NULL")


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
