"""The HTTP edges every route shares: headers, errors, limits, static files, schema, health."""

from __future__ import annotations

import logging

import msgspec
import pytest
from litestar import get

from shared_schemas.common import Instant


def assert_security_headers(response) -> None:
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


async def test_security_headers_on_success_404_and_500(client, app, caplog):
    @get("/api/test-boom", opt={"exclude_from_auth": True})
    async def boom() -> None:
        raise RuntimeError("secret internals: password=hunter2")

    app.register(boom)
    ok = await client.get("/api/health")
    assert ok.status_code == 200 and ok.json()["database"] == "ok"
    missing = await client.get("/api/no-such-thing")
    assert missing.status_code == 404 and missing.json()["detail"]
    with caplog.at_level(logging.ERROR):
        crashed = await client.get("/api/test-boom")
    assert crashed.status_code == 500
    assert "hunter2" not in crashed.text and "Traceback" not in crashed.text
    assert crashed.json()["detail"].startswith("Something went wrong")
    assert "RuntimeError" in caplog.text  # the trace goes to the log, not the client
    for response in (ok, missing, crashed):
        assert_security_headers(response)


async def test_malformed_and_oversized_bodies_get_clear_4xx(client, demo):
    broken = await client.post("/api/auth/login", content=b'{"email": "rep1@demo.test"', headers={"content-type": "application/json"})
    assert broken.status_code == 400 and "not valid JSON" in broken.json()["detail"]
    missing = await client.post("/api/auth/login", json={"email": "rep1@demo.test"})
    assert missing.status_code == 400 and "password" in missing.json()["detail"]
    huge = await client.post("/api/auth/login", content=b"x" * (1024 * 1024 + 10), headers={"content-type": "application/json"})
    assert huge.status_code == 413 and "too large" in huge.json()["detail"]


def test_naive_datetimes_are_rejected_by_the_contract():
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(b'"2026-11-25T10:00:00"', type=Instant)
    assert msgspec.json.decode(b'"2026-11-25T10:00:00+01:00"', type=Instant).utcoffset() is not None


async def test_schema_needs_a_signed_in_user(client, demo):
    assert (await client.get("/schema/openapi.json")).status_code == 401
    await client.login("rep1@demo.test")
    schema = (await client.get("/schema/openapi.json")).json()
    assert "/api/auth/login" in schema["paths"] and "/api/invites" in schema["paths"]


async def test_schema_can_be_made_public(monkeypatch, db):
    from backend.app import create_app
    from tests.conftest import make_client

    monkeypatch.setenv("OPENAPI_PUBLIC", "1")
    async with make_client(create_app(manage_pool=False)) as c:
        assert (await c.get("/schema/openapi.json")).status_code == 200


async def test_health_is_503_when_the_database_is_gone(client, app, monkeypatch):
    async def unreachable(_engine):
        return False

    monkeypatch.setattr("backend.app.ping", unreachable)
    response = await client.get("/api/health")
    assert response.status_code == 503 and "database" in response.json()["detail"]


@pytest.fixture
def dist(tmp_path, monkeypatch):
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><title>Followthrough</title>")
    (root / "assets" / "app-abc123.js").write_text("console.log(1)")
    (root / "sw.js").write_text("// sw")
    (root / "manifest.webmanifest").write_text('{"name": "Followthrough"}')
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /api/\n")
    (tmp_path / "secret.txt").write_text("outside dist")
    monkeypatch.setenv("FRONTEND_DIST", str(root))
    return root


async def test_the_pwa_is_served_with_an_spa_fallback(dist, db):
    from backend.app import create_app
    from tests.conftest import make_client

    async with make_client(create_app(manage_pool=False)) as c:
        for path in ("/", "/team", "/admin/users", "/invite"):
            page = await c.get(path)
            assert page.status_code == 200 and "<title>Followthrough" in page.text, path
            assert page.headers["cache-control"] == "no-cache"
            assert page.headers["content-type"].startswith("text/html")
            assert_security_headers(page)
        asset = await c.get("/assets/app-abc123.js")
        assert "immutable" in asset.headers["cache-control"]
        assert asset.headers["content-type"].startswith("text/javascript")
        worker = await c.get("/sw.js")
        assert worker.headers["cache-control"] == "no-cache" and "javascript" in worker.headers["content-type"]
        manifest = await c.get("/manifest.webmanifest")
        assert manifest.headers["content-type"] == "application/manifest+json"
        robots = await c.get("/robots.txt")
        assert robots.status_code == 200 and "Disallow: /api/" in robots.text
        assert (await c.get("/assets/missing.js")).status_code == 404
        assert (await c.get("/../secret.txt")).status_code == 404
        assert (await c.get("/%2e%2e/secret.txt")).status_code == 404
        assert (await c.get("/api/nothing")).headers["content-type"].startswith("application/json")
        assert "<title>Followthrough" in (await c.get("/apiary")).text  # only /api/… is the API's
        assert "<title>Followthrough" in (await c.get("/schemas")).text
        head = await c.head("/")
        assert head.status_code == 200 and head.content == b""  # uptime monitors use HEAD


# ---------------------------------------------------------------- bad input is a clear 4xx

JSON = {"content-type": "application/json"}


async def test_bodies_that_are_not_utf8_or_nested_too_deeply_are_400_even_on_login(client, demo):
    not_utf8 = await client.post("/api/auth/login", content=b'{"email": "\xff", "password": "x"}', headers=JSON)
    assert not_utf8.status_code == 400 and "UTF-8" in not_utf8.json()["detail"]
    deep = b'{"email": "rep1@demo.test", "password": "x", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    nested = await client.post("/api/auth/login", content=deep, headers=JSON)
    assert nested.status_code == 400 and "nested too deeply" in nested.json()["detail"]
    await client.login("rep1@demo.test")
    for path in ("/api/me", "/api/me/preferences"):
        for body in (b"\xc3\x28", b'{"name": "x', b"[" * 100_000):
            method = client.patch if path == "/api/me" else client.put
            answer = await method(path, content=body, headers=JSON)
            assert answer.status_code == 400, (path, body[:20], answer.text)


async def test_nul_in_any_text_is_refused_with_422_naming_the_field(client, demo):
    """PostgreSQL cannot store NUL (500 there, stored on SQLite): refused on both engines alike."""
    refused = await client.post("/api/auth/login", json={"email": "rep1@demo.test", "password": "demo\u0000pass"})
    assert refused.status_code == 422 and refused.json()["extra"] == {"password": "must not contain control characters (NUL, \\u0000)"}
    await client.login("manager@demo.test")
    me = (await client.get("/api/me")).json()
    team = me["managed_teams"][0]["id"] if me["managed_teams"] else me["team"]["id"]
    rep = next(u for u in (await client.get("/api/users")).json() if u["email"] == "rep1@demo.test")
    cases = [
        ("PATCH", "/api/me", {"name": "Mana\u0000ger"}, "name"),
        ("PUT", f"/api/teams/{team}/expectations", {"text": "Be\u0000 kind"}, "text"),
        ("POST", "/api/kudos", {"user_id": rep["id"], "message": "well\u0000 done"}, "message"),
        ("POST", f"/api/teams/{team}/coaching-questions", {"text": "What would\u0000 you change?", "gap": "growth"}, "text"),
    ]
    for method, path, body, field in cases:
        answer = await client.request(method, path, json=body)
        assert answer.status_code == 422, (path, answer.text)
        assert field in answer.json()["extra"] and "NUL" in answer.json()["detail"], answer.text
    # Nothing was stored; a text without NUL still goes through.
    assert (await client.get("/api/me")).json()["name"] == me["name"]
    assert (await client.patch("/api/me", json={"name": "Mana ger"})).status_code == 200
    query = await client.get(f"/api/teams/{team}/review", params={"week": "2026-11-23\u0000"})
    assert query.status_code == 422 and "week" in query.json()["extra"]
    far = await client.get(f"/api/teams/{team}/review", params={"week": "9999-12-27"})
    assert far.status_code == 422 and "between" in far.json()["extra"]["week"]


async def test_types_are_not_coerced(client, demo):
    """The OpenAPI document says integer and boolean: "5" and "true" are refused, not read."""
    await client.login("admin@demo.test")
    rep = next(u for u in (await client.get("/api/users")).json() if u["email"] == "rep1@demo.test")
    for body in ({"active": 0}, {"active": "false"}, {"team_id": "1"}):
        answer = await client.patch(f"/api/users/{rep['id']}", json=body)
        assert answer.status_code == 400, (body, answer.text)
        assert list(answer.json()["extra"]) == [next(iter(body))], answer.text
    assert (await client.get("/api/users")).json()[0]["active"] is True
    assert (await client.patch(f"/api/users/{rep['id']}", json={"active": True})).status_code == 200
    # Query parameters are text by nature and are still parsed.
    assert (await client.get("/api/kudos", params={"limit": "5"})).status_code == 200


async def test_numbers_and_dates_out_of_range_are_refused(client, demo):
    await client.login("rep1@demo.test")
    for path in ("/api/weeks/9999-12-27", "/api/weeks/0001-01-01"):
        answer = await client.get(path)
        assert answer.status_code == 422 and "between" in answer.json()["detail"], (path, answer.text)
    funnel = await client.post("/api/funnel", json={"goal": {"kind": "deals", "amount": 2, "period": "month"}, "on": "9999-12-31"})
    assert funnel.status_code in (400, 422) and "on" in (funnel.json()["extra"] or {}), funnel.text
    pull = await client.get("/api/sync/pull", params={
        "client_id": "6f1c2a3e-0000-4000-8000-000000000001", "outbox_size": str(2**63)})
    assert pull.status_code == 422 and "outbox_size" in pull.json()["extra"], pull.text
    push = await client.post("/api/sync/push", json={
        "client_id": "6f1c2a3e-0000-4000-8000-000000000001", "sent_at": "2026-11-25T09:00:00Z",
        "mutations": [], "outbox_size": 2**63})
    assert push.status_code == 400 and "outbox_size" in push.text


async def test_options_answers_every_route_for_anyone(client, app, demo):
    """Litestar's automatic OPTIONS inherits role guards; it must never be a 500."""
    from litestar.routes import HTTPRoute

    paths = [route.path for route in app.routes if isinstance(route, HTTPRoute)]
    anonymous = [await client.options(_concrete(path)) for path in paths]
    await client.login("rep1@demo.test")
    signed_in = [await client.options(_concrete(path)) for path in paths]
    for path, answer in zip(paths * 2, anonymous + signed_in, strict=True):
        assert answer.status_code == 204, (path, answer.status_code, answer.text)
        assert "OPTIONS" in answer.headers["allow"]


def _concrete(path: str) -> str:
    import re

    return re.sub(r"\{(\w+):(\w+)\}", lambda m: {"int": "1", "date": "2026-11-23"}.get(m.group(2), "x"), path)


# ---------------------------------------------------------------- a busy database answers 503 soon

async def test_a_locked_database_answers_503_with_retry_after_within_seconds_and_reads_go_on(client, demo):
    import time

    from backend.core.db import LOCK_TIMEOUT_S
    from tests.conftest import IS_POSTGRES, TEST_DATABASE_URL

    await client.login("rep1@demo.test")
    if IS_POSTGRES:
        import asyncpg

        holder = await asyncpg.connect(TEST_DATABASE_URL)
        transaction = holder.transaction()
        await transaction.start()
        await holder.execute("LOCK TABLE users IN EXCLUSIVE MODE")  # writes wait, reads do not
    else:
        import sqlite3

        from backend.core.db import sqlite_path

        holder = sqlite3.connect(sqlite_path(TEST_DATABASE_URL), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another process's writer, say
    try:
        started = time.monotonic()
        read = await client.get("/api/me")
        assert read.status_code == 200 and time.monotonic() - started < 2  # reads never wait for writers
        started = time.monotonic()
        write = await client.patch("/api/me", json={"name": "Someone Else"})
        waited = time.monotonic() - started
        assert write.status_code == 503, write.text
        assert write.headers["retry-after"] == "2" and "busy" in write.json()["detail"]
        assert LOCK_TIMEOUT_S - 1 < waited < LOCK_TIMEOUT_S + 3
    finally:
        if IS_POSTGRES:
            await transaction.rollback()
            await holder.close()
        else:
            holder.execute("ROLLBACK")
            holder.close()
    assert (await client.patch("/api/me", json={"name": "Someone Else"})).status_code == 200


async def test_whole_numbers_may_be_written_1_0_as_json_allows(client, demo):
    """JSON (and JSON Schema) has one number type: 1.0 is the integer 1; 1.5 and "1" are not."""
    await client.login("manager@demo.test")
    rep = next(u for u in (await client.get("/api/users")).json() if u["email"] == "rep1@demo.test")
    assert (await client.post("/api/kudos", json={"user_id": float(rep["id"]), "message": "Nice"})).status_code == 201
    for user_id in (rep["id"] + 0.5, str(rep["id"])):
        refused = await client.post("/api/kudos", json={"user_id": user_id, "message": "Nice"})
        assert refused.status_code == 400 and refused.json()["extra"] == {"user_id": "must be a whole number"}


async def test_the_schema_documents_503_everywhere_and_413_wherever_a_body_goes(client, demo):
    await client.login("rep1@demo.test")
    schema = (await client.get("/schema/openapi.json")).json()
    operations = [(path, method, operation) for path, item in schema["paths"].items()
                  for method, operation in item.items() if isinstance(operation, dict)]
    assert len(operations) > 50
    for path, method, operation in operations:
        assert "503" in operation["responses"], (method, path)
        if "requestBody" in operation:
            assert "413" in operation["responses"], (method, path)
    assert "Retry-After" in schema["paths"]["/api/me"]["patch"]["responses"]["503"]["description"]
