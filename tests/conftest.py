"""Test set-up: a database of the tests' own, never the development one.

SQLite (a temp file) by default; set TEST_DATABASE_URL=postgresql://... to run every
database test against PostgreSQL. The environment is set before `backend` is imported,
because Piccolo binds its engine at import.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

_TMP = Path(tempfile.mkdtemp(prefix="followthrough-tests-"))
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{_TMP / 'test.db'}"
os.environ.update(
    {
        "DATA_DIR": str(_TMP),
        "DATABASE_URL": TEST_DATABASE_URL,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "PUBLIC_URL": "http://127.0.0.1:8000",
        # argon2id stays argon2id, at a cost that keeps hundreds of sign-ins fast.
        "ARGON2_TIME_COST": "1",
        "ARGON2_MEMORY_KIB": "1024",
        "PICCOLO_CONF": "backend.piccolo_conf",
    }
)
os.environ.pop("COOKIE_SECURE", None)
os.environ.pop("OPENAPI_PUBLIC", None)

import httpx  # noqa: E402

from backend.accounts.tables import TABLES as ACCOUNT_TABLES
from backend.activities.tables import TABLES as ACTIVITY_TABLES
from backend.alerts.tables import TABLES as ALERT_TABLES
from backend.app import create_app  # noqa: E402
from backend.coaching.tables import TABLES as COACHING_TABLES
from backend.core import clock  # noqa: E402
from backend.core.db import close_pool, start_pool  # noqa: E402
from backend.piccolo_conf import DB
from backend.plans.tables import TABLES as PLAN_TABLES
from backend.reminders.tables import TABLES as REMINDER_TABLES
from backend.review.tables import TABLES as REVIEW_TABLES

TABLES = ACCOUNT_TABLES + PLAN_TABLES + ACTIVITY_TABLES + REMINDER_TABLES + REVIEW_TABLES + COACHING_TABLES + ALERT_TABLES  # in dependency order

IS_POSTGRES = TEST_DATABASE_URL.startswith("postgres")
DEMO_PASSWORD = "demo-pass-2026"


def pytest_collection_modifyitems(items):
    for item in items:
        if "db" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)
    # Browser tests last: Playwright's sync API keeps an event loop running in this thread
    # while its session fixtures live, and async tests cannot start beside it.
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


@pytest.fixture(scope="session")
def migrated() -> None:
    """Drop everything and run the real migrations once per test session."""

    async def reset() -> None:
        from backend.cli import _migrate

        names = [t._meta.tablename for t in reversed(TABLES)] + ["migration"]
        for name in names:
            cascade = " CASCADE" if IS_POSTGRES else ""
            await DB.run_ddl(f"DROP TABLE IF EXISTS {name}{cascade}")
        await _migrate()

    # A thread of its own: asyncio.run needs a thread with no running loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, reset()).result()


@pytest.fixture
async def db(migrated):
    """An empty database for one test (pool opened and closed in this same loop)."""
    await start_pool(DB)
    try:
        names = ", ".join(t._meta.tablename for t in TABLES)
        if IS_POSTGRES:
            await DB.run_ddl(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        else:
            for table in reversed(TABLES):
                await DB.run_ddl(f"DELETE FROM {table._meta.tablename}")
        yield DB
    finally:
        clock.set_clock(None)
        await close_pool(DB)


@pytest.fixture
def app(db):
    return create_app(manage_pool=False)


@pytest.fixture
def accounts(app):
    return app.state.accounts


class Client(httpx.AsyncClient):
    """An API client that behaves like the PWA: JSON and the CSRF header on writes."""

    async def login(self, email: str, password: str = DEMO_PASSWORD, **extra) -> httpx.Response:
        response = await self.post("/api/auth/login", json={"email": email, "password": password, **extra})
        assert response.status_code == 200, response.text
        return response


def make_client(app) -> Client:
    return Client(
        transport=httpx.ASGITransport(app=app),
        base_url="http://127.0.0.1:8000",
        headers={"X-Followthrough": "1"},
    )


@pytest.fixture
async def client(app):
    async with make_client(app) as c:
        yield c


@pytest.fixture
def new_client(app):
    """Another browser (its own cookie jar) against the same app."""
    clients: list[Client] = []

    def make() -> Client:
        c = make_client(app)
        clients.append(c)
        return c

    yield make


@pytest.fixture
async def demo(app):
    """The demo team and its people, with no plans yet (tests/test_demo.py covers the rest)."""
    from backend.demo import seed_accounts

    await seed_accounts(app.state)
    return app.state.accounts


@pytest.fixture
async def seeded(app, frozen_clock):
    """The whole demo (plans, activity, check-ins) at the frozen clock."""
    from backend.demo import seed_demo

    await seed_demo(app.state)
    return app.state


@pytest.fixture
async def manager(seeded, client):
    """The demo team's manager, signed in."""
    await client.login("manager@demo.test")
    return client


class FrozenClock:
    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now

    def advance(self, **delta):
        from datetime import timedelta

        self.now = self.now + timedelta(**delta)


@pytest.fixture
def frozen_clock():
    from datetime import UTC, datetime

    fake = FrozenClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    clock.set_clock(fake)
    yield fake
    clock.set_clock(None)
