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
