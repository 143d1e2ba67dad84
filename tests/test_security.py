"""Security rules (DESIGN.md §6) that tests/test_auth.py and tests/test_http.py do not
already pin down: session fixation variants and cookie flags everywhere a cookie is set,
CSRF on *every* unsafe route (enumerated from the app, refused before any handler runs),
the login limit's edges, security headers on every kind of answer, and no secret in any
response body or log record.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import httpx
import pytest
from litestar import post
from litestar.routes.http import HTTPRoute

from backend.core.security import UNSAFE_METHODS
from backend.reminders.sender import PushSender
from backend.reminders.vapid import load_or_create
from tests.conftest import DEMO_PASSWORD, TABLES, make_client
from tests.test_reminders import PUSH_ORIGIN, Browser, FakePushService

OWN_ORIGIN = "http://127.0.0.1:8000"  # PUBLIC_URL in tests/conftest.py
CSRF_DETAIL = "Missing X-Followthrough header"


def set_cookies(response) -> list[str]:
    return [v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith("ft_session=")]


def cookie_attributes(header: str) -> set[str]:
    return {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}


def assert_session_cookie(response, *, secure: bool) -> str:
    (header,) = set_cookies(response)
    attributes = cookie_attributes(header)
    assert "httponly" in attributes, header
    assert "samesite=lax" in header.lower(), header
    assert "path=/" in header.lower(), header
    assert ("secure" in attributes) is secure, header
    assert "domain" not in attributes, header  # host-only: never shared with sibling hosts
    return header.split(";")[0].split("=", 1)[1]


async def invite_token(client, email: str) -> str:
    created = await client.post("/api/invites", json={"email": email, "name": "Invitee"})
    assert created.status_code == 201, created.text
    return created.json()["invite_url"].split("#token=", 1)[1]


# ---------------------------------------------------------------------------- sessions


async def test_an_attackers_own_valid_session_planted_in_a_browser_is_not_adopted(client, demo, new_client):
    """Fixation with a *real* session: the attacker signs in, plants that id in the
    victim's browser; the victim's sign-in must get a new id and never share the old one."""
    attacker = new_client()
    planted = (await attacker.login("rep2@demo.test")).cookies["ft_session"]
    client.cookies.set("ft_session", planted, domain="127.0.0.1")
    victim = await client.login("rep1@demo.test")
    issued = assert_session_cookie(victim, secure=False)
    assert issued != planted and len(issued) >= 43  # 256 bits, url-safe
    assert (await client.get("/api/me")).json()["email"] == "rep1@demo.test"
    replay = new_client()
    replay.cookies.set("ft_session", planted, domain="127.0.0.1")
    me = await replay.get("/api/me")
    # The planted id was dropped at the victim's sign-in; it never becomes the victim's.
    assert me.status_code == 401, me.text


async def test_the_database_keeps_only_keyed_hashes_of_session_ids_and_invite_tokens(client, demo, db):
    from backend.accounts.tables import Invite, Session

    token = (await client.login("manager@demo.test")).cookies["ft_session"]
    invite = await invite_token(client, "hash.check@example.com")
    sessions = await Session.select(Session.token_hash)
    invites = await Invite.select(Invite.token_hash)
    stored = repr(sessions) + repr(invites)
    assert token not in stored and invite not in stored
    assert all(re.fullmatch(r"[0-9a-f]{64}", row["token_hash"]) for row in sessions + invites)


@pytest.mark.parametrize("public_url,cookie_secure,secure", [
    ("http://127.0.0.1:8000", "1", True),   # COOKIE_SECURE wins even on localhost
    ("http://127.0.0.1:8000", None, False),  # default on localhost: plain http works
    ("https://sales.example.com", None, True),
])
async def test_every_cookie_the_server_sets_has_the_safe_flags(monkeypatch, db, public_url, cookie_secure, secure):
    """Login, invitation acceptance and logout (the clearing cookie) all carry
    HttpOnly, SameSite=Lax, Path=/ and Secure as configured."""
    from backend.app import create_app
    from backend.demo import seed_accounts

    monkeypatch.setenv("PUBLIC_URL", public_url)
    if cookie_secure is None:
        monkeypatch.delenv("COOKIE_SECURE", raising=False)
    else:
        monkeypatch.setenv("COOKIE_SECURE", cookie_secure)
    app = create_app(manage_pool=False)
    await seed_accounts(app.state)
    origin = {"Origin": public_url}

    def cookie_jar_client():
        c = make_client(app)
        c.headers.update(origin)
        return c

    async with cookie_jar_client() as manager, cookie_jar_client() as invitee:
        login = await manager.post("/api/auth/login", json={"email": "manager@demo.test", "password": DEMO_PASSWORD})
        assert login.status_code == 200, login.text
        token = assert_session_cookie(login, secure=secure)
        # httpx does not send Secure cookies over http: pass the session explicitly.
        headers = {"Cookie": f"ft_session={token}"}
        created = await manager.post("/api/invites", json={"email": "flags@example.com", "name": "F"}, headers=headers)
        assert created.status_code == 201, created.text
        invite = created.json()["invite_url"].split("#token=", 1)[1]
        accepted = await invitee.post("/api/invitations/accept", json={"token": invite, "password": "a-good-password"})
        assert accepted.status_code == 200, accepted.text
        assert_session_cookie(accepted, secure=secure)
        logout = await manager.post("/api/auth/logout", headers=headers)
        assert logout.status_code == 204
        cleared = assert_session_cookie(logout, secure=secure)
        assert cleared in ("", '""') and "max-age=0" in set_cookies(logout)[0].lower()


async def test_an_old_cookie_is_refused_after_logout_deactivation_reactivation_and_password_change(
        client, demo, new_client):
    manager = new_client()
    await manager.login("manager@demo.test")

    async def replay(token: str) -> int:
        browser = new_client()
        browser.cookies.set("ft_session", token, domain="127.0.0.1")
        return (await browser.get("/api/me")).status_code

    # logout: the id is dead server-side, not only cleared in this browser
    logged_out = (await client.login("rep1@demo.test")).cookies["ft_session"]
    await client.post("/api/auth/logout")
    assert await replay(logged_out) == 401

    # deactivation ends every session, and reactivating does not bring them back
    phone, laptop = new_client(), new_client()
    rep_id = (await phone.login("rep3@demo.test")).json()["id"]
    tokens = [phone.cookies["ft_session"], (await laptop.login("rep3@demo.test")).cookies["ft_session"]]
    assert (await manager.patch(f"/api/users/{rep_id}", json={"active": False})).status_code == 200
    assert [await replay(t) for t in tokens] == [401, 401]
    assert (await manager.patch(f"/api/users/{rep_id}", json={"active": True})).status_code == 200
    assert [await replay(t) for t in tokens] == [401, 401]

    # password change: every other session ends, the one that changed it goes on
    one, two, three = new_client(), new_client(), new_client()
    for c in (one, two, three):
        await c.login("rep4@demo.test")
    others = [two.cookies["ft_session"], three.cookies["ft_session"]]
    changed = await one.post("/api/me/password",
                             json={"current_password": DEMO_PASSWORD, "new_password": "another-password-2"})
    assert changed.status_code == 204
    assert [await replay(t) for t in others] == [401, 401]
    assert (await one.get("/api/me")).status_code == 200
    refused = await new_client().post("/api/auth/login", json={"email": "rep4@demo.test", "password": DEMO_PASSWORD})
    assert refused.status_code == 401


# ---------------------------------------------------------------------------- CSRF


class HandlerSpy:
    """Records every request that got past the middleware into a route (guards included)."""

    def __init__(self, monkeypatch) -> None:
        self.calls: list[tuple[str, str]] = []
        original = HTTPRoute.handle
        spy = self

        async def handle(route, scope, receive, send):
            spy.calls.append((scope["method"], route.path))
            return await original(route, scope, receive, send)

        # Litestar binds route.handle when the app is built: patch before create_app().
        monkeypatch.setattr(HTTPRoute, "handle", handle)


@pytest.fixture
async def spied(monkeypatch, db):
    from backend.app import create_app
    from backend.demo import seed_accounts

    spy = HandlerSpy(monkeypatch)
    app = create_app(manage_pool=False)
    await seed_accounts(app.state)
    return app, spy


def unsafe_routes(app) -> list[tuple[str, str]]:
    return sorted(
        (method, route.path)
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for method in route.methods
        if method in UNSAFE_METHODS
    )


async def row_counts() -> dict[str, int]:
    return {t._meta.tablename: await t.count() for t in TABLES}


# Bodies that would store something if a handler ever ran (the rest get {}).
BODIES = {
    ("POST", "/api/teams"): {"name": "CSRF team", "manager_ids": []},
    ("POST", "/api/invites"): {"email": "csrf@example.com", "name": "CSRF", "role": "rep", "team_id": 1},
    ("PATCH", "/api/me"): {"name": "Hijacked"},
    ("POST", "/api/me/password"): {"current_password": DEMO_PASSWORD, "new_password": "attacker-password"},
    ("POST", "/api/auth/login"): {"email": "admin@demo.test", "password": DEMO_PASSWORD},
    ("POST", "/api/kudos"): {"user_id": 1, "message": "csrf"},
}


def concrete(path: str, ids: dict[str, object]) -> str:
    def fill(match: re.Match) -> str:
        name, kind = match.group(1), match.group(2)
        if kind == "date":
            return "2026-11-23"
        if kind == "int":
            return str(ids.get(name, 1))
        return "x"

    return re.sub(r"\{(\w+):(\w+)\}", fill, path)


VARIANTS = {
    "no header": {"X-Followthrough": ""},
    "wrong header value": {"X-Followthrough": "0"},
    "foreign origin": {"X-Followthrough": "1", "Origin": "https://evil.example"},
    "look-alike origin": {"X-Followthrough": "1", "Origin": "http://127.0.0.1:8000.evil.example"},
    "opaque origin": {"X-Followthrough": "1", "Origin": "null"},
    "cross-site fetch": {"X-Followthrough": "1", "Sec-Fetch-Site": "cross-site"},
}


async def unprotected(app, spy, client, headers: dict[str, str], ids: dict[str, object]) -> list[str]:
    """Every unsafe route that did not answer 403 before reaching its handler."""
    problems = []
    for method, path in unsafe_routes(app):
        before = len(spy.calls)
        url = concrete(path, ids)
        response = await client.request(method, url, json=BODIES.get((method, path), {}), headers=headers)
        reached = spy.calls[before:]
        if response.status_code != 403 or reached:
            problems.append(f"{method} {path}: {response.status_code} {response.text[:120]} handler ran: {bool(reached)}")
    return problems


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("who", ["admin@demo.test", "rep1@demo.test", None])
async def test_every_unsafe_route_is_refused_before_any_handler_runs(spied, variant, who):
    app, spy = spied
    routes = unsafe_routes(app)
    assert len(routes) >= 35, routes  # the enumeration really sees the app's routes
    assert ("POST", "/api/sync/push") in routes and ("POST", "/api/auth/login") in routes
    async with make_client(app) as client:
        if who:
            await client.login(who)
        ids = {"team_id": 1, "user_id": (await client.get("/api/me")).json()["id"] if who else 1}
        before = await row_counts()
        spy.calls.clear()
        problems = await unprotected(app, spy, client, VARIANTS[variant], ids)
        assert problems == [], "\n".join(problems)
        assert spy.calls == []
        assert await row_counts() == before  # nothing stored, nothing deleted
        if who:
            assert (await client.get("/api/me")).json()["name"] != "Hijacked"


async def test_the_refusal_says_why(spied):
    app, _ = spied
    async with make_client(app) as client:
        await client.login("rep1@demo.test")
        missing = await client.post("/api/sync/push", json={}, headers={"X-Followthrough": ""})
        assert missing.status_code == 403 and missing.json()["detail"].startswith(CSRF_DETAIL)
        foreign = await client.post("/api/sync/push", json={}, headers={"Origin": "https://evil.example"})
        assert foreign.status_code == 403 and "https://evil.example" in foreign.json()["detail"]


async def test_a_new_unsafe_route_is_covered_and_an_unprotected_one_is_caught(spied):
    """The enumeration is live: a route added later is checked, and one that CSRF does not
    protect (here: outside /api/, where the middleware does not look) fails the check."""
    app, spy = spied

    @post("/api/test-new-write", opt={"exclude_from_auth": True}, status_code=200)
    async def new_write() -> dict:
        return {"stored": True}

    @post("/hooks/test-unprotected", opt={"exclude_from_auth": True}, status_code=200)
    async def unprotected_write() -> dict:
        return {"stored": True}

    app.register(new_write)
    app.register(unprotected_write)
    async with make_client(app) as client:
        problems = await unprotected(app, spy, client, VARIANTS["no header"], {})
    assert len(problems) == 1 and problems[0].startswith("POST /hooks/test-unprotected: 200"), problems


async def test_login_follows_the_same_csrf_rules_and_refusals_do_not_use_up_the_limit(client, demo):
    """Login is not exempt: the header is required and a foreign, opaque or cross-site
    origin is refused, all before the rate limiter (which sits after CSRF) counts it."""
    body = {"email": "rep1@demo.test", "password": DEMO_PASSWORD}
    for _ in range(3):
        for headers in VARIANTS.values():
            refused = await client.post("/api/auth/login", json=body, headers=headers)
            assert refused.status_code == 403, (headers, refused.text)
            assert set_cookies(refused) == []
    assert (await client.get("/api/me")).status_code == 401
    same_origin = await client.post("/api/auth/login", json=body, headers={"Origin": OWN_ORIGIN,
                                                                          "Sec-Fetch-Site": "same-origin"})
    assert same_origin.status_code == 200  # 18 refusals did not count toward the 10/minute


async def test_reads_are_not_shared_cross_origin(client, demo):
    """GETs need no CSRF header, so the browser's same-origin policy must keep their
    answers private: no CORS grant, not even to a preflight."""
    await client.login("rep1@demo.test")
    read = await client.get("/api/me", headers={"Origin": "https://evil.example"})
    assert read.status_code == 200
    assert not any(k.startswith("access-control-") for k in read.headers)
    preflight = await client.options("/api/sync/push", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "x-followthrough, content-type"})
    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-headers" not in preflight.headers


# ---------------------------------------------------------------------------- rate limit


async def test_the_login_limit_is_per_address_and_cannot_be_reset_by_headers(client, demo, new_client):
    for _ in range(10):
        r = await client.post("/api/auth/login", json={"email": "rep1@demo.test", "password": "wrong-password"})
        assert r.status_code == 401
    for spoof in ({"X-Forwarded-For": "203.0.113.7"}, {"X-Real-IP": "203.0.113.8"}, {"Forwarded": "for=203.0.113.9"}):
        blocked = await new_client().post("/api/auth/login",  # a fresh cookie jar changes nothing either
                                          json={"email": "rep2@demo.test", "password": DEMO_PASSWORD}, headers=spoof)
        assert blocked.status_code == 429, spoof
        assert set_cookies(blocked) == []
        retry = int(blocked.headers["retry-after"])
        assert 0 < retry <= 60
    # Other traffic still works while sign-in is blocked.
    assert (await client.get("/api/health")).status_code == 200


def client_at(app, address: str) -> httpx.AsyncClient:
    """A browser at another client address (as the server sees it)."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(address, 40123)),
                             base_url="http://127.0.0.1:8000", headers={"X-Followthrough": "1"})


async def login_from(app, address: str, email: str, password: str) -> httpx.Response:
    async with client_at(app, address) as web:
        return await web.post("/api/auth/login", json={"email": email, "password": password})


async def test_the_account_limit_holds_across_addresses_and_tells_nothing_about_existence(app, demo, frozen_clock):
    """25 wrong passwords from 25 addresses: from the 11th on, 429, and then the right
    password does not work either, until the 15-minute window has passed. An unknown
    email meets exactly the same answers."""
    answers = {}
    for email in ("rep1@demo.test", "nobody@demo.test"):
        statuses = [(await login_from(app, f"198.51.100.{i}", email, "wrong-password")).status_code for i in range(25)]
        assert statuses == [401] * 10 + [429] * 15, (email, statuses)
        frozen_clock.advance(minutes=5)
        answers[email] = await login_from(app, "203.0.113.99", email, DEMO_PASSWORD)
        frozen_clock.advance(minutes=-5)
    blocked = answers["rep1@demo.test"]
    assert blocked.status_code == 429 and set_cookies(blocked) == []
    assert blocked.headers["retry-after"] == "600"  # 15 minutes after the first failure, 5 have passed
    assert "Too many failed sign-ins for this email. Try again in 10 minutes" in blocked.json()["detail"]
    unknown = answers["nobody@demo.test"]
    assert (unknown.status_code, unknown.headers["retry-after"], unknown.json()) == (
        429, "600", blocked.json())
    # Other accounts are not affected, from the same addresses.
    assert (await login_from(app, "198.51.100.1", "rep2@demo.test", DEMO_PASSWORD)).status_code == 200
    frozen_clock.advance(minutes=15)
    assert (await login_from(app, "198.51.100.1", "rep1@demo.test", DEMO_PASSWORD)).status_code == 200


async def test_a_right_password_forgives_the_failures_before_it(app, demo, frozen_clock):
    for round_ in range(3):  # 9 typos, then the right password, three times over
        for i in range(9):
            assert (await login_from(app, f"198.51.100.{round_ * 10 + i}", "rep1@demo.test", "typo-password")).status_code == 401
        assert (await login_from(app, "203.0.113.5", "rep1@demo.test", DEMO_PASSWORD)).status_code == 200


async def test_expired_counters_are_removed(app, demo, frozen_clock):
    from backend.accounts.tables import LoginAttempts

    for i in range(5):
        await login_from(app, f"198.51.100.{i}", "rep1@demo.test", "wrong-password")
    assert await LoginAttempts.count() == 6  # 5 addresses, 1 email
    frozen_clock.advance(minutes=15)
    await login_from(app, "203.0.113.5", "rep2@demo.test", DEMO_PASSWORD)
    # Only the new address's window is left: rep2's success cleared its own.
    assert await LoginAttempts.count() == 1


async def test_the_current_password_check_of_a_password_change_is_throttled(client, demo, frozen_clock, new_client):
    await client.login("rep1@demo.test")
    for _ in range(10):
        wrong = await client.post("/api/me/password", json={"current_password": "a-guess-pw-1", "new_password": "lamp-orbit-cedar"})
        assert wrong.status_code == 422
    blocked = await client.post("/api/me/password", json={"current_password": DEMO_PASSWORD, "new_password": "lamp-orbit-cedar"})
    assert blocked.status_code == 429 and blocked.headers["retry-after"] == "900"
    assert blocked.json()["detail"] == "Too many wrong current passwords. Try again in 15 minutes."
    # Per user: another person changes theirs; signing in is not affected.
    other = new_client()
    await other.login("rep2@demo.test")
    assert (await other.post("/api/me/password", json={"current_password": DEMO_PASSWORD,
                                                      "new_password": "lamp-orbit-cedar"})).status_code == 204
    frozen_clock.advance(minutes=15)
    assert (await client.post("/api/me/password", json={"current_password": DEMO_PASSWORD,
                                                       "new_password": "lamp-orbit-cedar"})).status_code == 204


# ---------------------------------------------------------------------------- headers and errors

EXPECTED_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}


def assert_security_headers(response, label: str) -> None:
    names = [k.lower() for k, _ in response.headers.multi_items()]
    for name, value in EXPECTED_HEADERS.items():
        assert names.count(name) == 1, (label, name, names)
        assert response.headers[name] == value, (label, name)
    assert names.count("content-security-policy") == 1, (label, names)
    csp = {d.split()[0]: d.split()[1:] for d in response.headers["content-security-policy"].split("; ")}
    assert csp["default-src"] == ["'self'"], label
    assert csp["script-src"] == ["'self'"], label  # no 'unsafe-inline' / 'unsafe-eval'
    assert csp["frame-ancestors"] == ["'none'"], label
    assert csp["object-src"] == ["'none'"], label
    assert csp["base-uri"] == ["'self'"], label


def assert_safe_error_body(response, label: str) -> None:
    assert response.headers["content-type"].startswith("application/json"), label
    body = response.json()
    assert set(body) <= {"status_code", "detail", "extra"} and body["status_code"] == response.status_code, label
    text = response.text
    for leak in ("Traceback", "RuntimeError", "Exception", 'File "', ".py", "/work/", "site-packages", "line "):
        assert leak not in text, (label, leak, text)


@pytest.fixture
def dist(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><title>Followthrough</title>")
    (root / "assets" / "app-abc123.js").write_text("console.log(1)")
    monkeypatch.setenv("FRONTEND_DIST", str(root))
    monkeypatch.setenv("LOGIN_ATTEMPTS_PER_MINUTE", "3")
    return root


async def test_security_headers_on_every_kind_of_answer(dist, db, monkeypatch):
    from backend.app import create_app
    from backend.demo import seed_accounts

    app = create_app(manage_pool=False)
    await seed_accounts(app.state)
    crash_message = "internal detail 9f1b: password=hunter2 at /srv/secret/path.py"

    async def crash(*_args, **_kwargs):
        raise RuntimeError(crash_message)

    answers: dict[str, object] = {}
    async with make_client(app) as anon, make_client(app) as rep:
        answers["401 API"] = await anon.get("/api/me")
        await rep.login("rep1@demo.test")
        answers["200 API"] = await rep.get("/api/me")
        answers["200 SPA"] = await anon.get("/")
        answers["200 SPA deep link"] = await anon.get("/team/people")
        answers["200 static asset"] = await anon.get("/assets/app-abc123.js")
        answers["200 HEAD"] = await anon.head("/")
        answers["PUT"] = await rep.put("/api/me/preferences", json={})  # whatever it answers, headers are on
        answers["OPTIONS"] = await anon.options("/api/me")
        answers["404 API"] = await rep.get("/api/no-such-thing")
        answers["404 API item"] = await rep.get("/api/reps/999999/review")
        answers["404 static"] = await anon.get("/assets/missing.js")
        answers["405"] = await rep.delete("/api/health")
        answers["400"] = await rep.post("/api/auth/login", content=b"{", headers={"content-type": "application/json"})
        answers["422"] = await rep.patch("/api/me", json={"time_zone": "Mars/Olympus"})
        answers["403 CSRF"] = await rep.post("/api/sync/push", json={}, headers={"X-Followthrough": ""})
        answers["403 role"] = await rep.post("/api/teams", json={"name": "x", "manager_ids": []})
        answers["413"] = await rep.post("/api/sync/push", content=b"x" * (1024 * 1024 + 1),
                                         headers={"content-type": "application/json"})
        for _ in range(3):
            await anon.post("/api/auth/login", json={"email": "x@demo.test", "password": "wrong-password"})
        answers["429"] = await anon.post("/api/auth/login", json={"email": "x@demo.test", "password": "wrong-password"})
        monkeypatch.setattr(app.state.accounts, "list_teams", crash)
        answers["500 in a handler"] = await rep.get("/api/teams")
        monkeypatch.setattr(app.state.accounts, "principal_for_session", crash)
        answers["500 in the auth middleware"] = await rep.get("/api/me")

    statuses = {label: r.status_code for label, r in answers.items()}
    expected = {"401 API": 401, "200 API": 200, "200 SPA": 200, "200 SPA deep link": 200, "200 static asset": 200,
                "200 HEAD": 200, "404 API": 404, "404 API item": 404, "404 static": 404, "405": 405, "400": 400,
                "422": 422, "403 CSRF": 403, "403 role": 403, "413": 413, "429": 429, "500 in a handler": 500,
                "500 in the auth middleware": 500}
    assert {k: statuses[k] for k in expected} == expected
    for label, response in answers.items():
        assert_security_headers(response, label)
        if response.status_code >= 400:
            assert_safe_error_body(response, label)
    for label in ("500 in a handler", "500 in the auth middleware"):
        body = answers[label].text
        assert "9f1b" not in body and "hunter2" not in body and "/srv/" not in body
        assert answers[label].json()["detail"].startswith("Something went wrong")


# ---------------------------------------------------------------------------- secrets


async def test_no_secret_reaches_a_response_body_or_a_log_record(client, demo, app, new_client, caplog, monkeypatch):
    """Sign-in (right and wrong), an invitation, a push subscription and a test push, a
    sync push and a 500: no password, session id, invitation token, VAPID private key,
    push endpoint or subscription key, and not SECRET_KEY, in any body or log record."""
    import os

    settings = app.state.settings
    service = FakePushService()
    old = app.state.reminders.sender
    app.state.reminders.sender = PushSender(load_or_create(settings.data_dir)[0], "mailto:ops@followthrough.example",
                                            old.allowed_hosts, (PUSH_ORIGIN,),
                                            transport=httpx.MockTransport(service.handler))

    loggers = [logging.getLogger(name) for name in ("", "litestar", "followthrough", "piccolo", "uvicorn", "httpx",
                                                     "backend")]
    for logger in loggers:
        if caplog.handler not in logger.handlers:
            monkeypatch.setattr(logger, "handlers", [*logger.handlers, caplog.handler])
    caplog.set_level(logging.DEBUG)

    bodies: list[str] = []

    async def call(c, method, url, **kw):
        response = await c.request(method, url, **kw)
        bodies.append(response.text)
        return response

    new_password = "brand-new-secret-pw-77"
    await call(client, "POST", "/api/auth/login", json={"email": "rep1@demo.test", "password": "wrong-secret-pw-55"})
    login = await call(client, "POST", "/api/auth/login", json={"email": "rep1@demo.test", "password": DEMO_PASSWORD})
    session = login.cookies["ft_session"]
    browser = Browser()
    subscription = {**browser.subscription(), "client_id": "5b0a7f0e-0000-4000-8000-000000000001"}
    assert (await call(client, "POST", "/api/push/subscriptions", json=subscription)).status_code == 200
    await call(client, "GET", "/api/push/subscriptions")
    assert (await call(client, "POST", "/api/push/test")).status_code == 200
    assert service.received, "the test push went out"
    types = (await call(client, "GET", "/api/teams/1/activity-types")).json()
    push = await call(client, "POST", "/api/sync/push", json={
        "client_id": "5b0a7f0e-0000-4000-8000-000000000002", "sent_at": "2026-11-25T10:00:00+01:00",
        "outbox_size": 1, "mutations": [{
            "mutation_id": "5b0a7f0e-0000-4000-8000-000000000003", "seq": 1, "kind": "activity.create",
            "entity_id": "5b0a7f0e-0000-4000-8000-000000000004",
            "payload": {"activity_type_id": types[0]["id"], "account_name": "Acme", "outcome": "next_step",
                        "occurred_at": "2026-11-25T09:00:00+01:00", "time_zone": "Europe/Berlin"}}]})
    assert push.status_code == 200
    changed = await call(client, "POST", "/api/me/password",
                         json={"current_password": DEMO_PASSWORD, "new_password": new_password})
    assert changed.status_code == 204
    manager = new_client()
    manager_session = (await manager.login("manager@demo.test")).cookies["ft_session"]
    created = await manager.post("/api/invites", json={"email": "secret.invitee@example.com", "name": "S"})
    invite = created.json()["invite_url"].split("#token=", 1)[1]  # shown once, to the inviter: expected there
    invitee = new_client()
    await call(invitee, "POST", "/api/invitations/lookup", json={"token": invite})
    accepted = await call(invitee, "POST", "/api/invitations/accept", json={"token": invite, "password": "invitee-secret-pw-31"})
    assert accepted.status_code == 200
    invitee_session = accepted.cookies["ft_session"]

    async def crash(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(app.state.accounts, "list_teams", crash)
    assert (await call(client, "GET", "/api/teams")).status_code == 500

    vapid_private = (Path(settings.data_dir) / "vapid_private.pem").read_text()
    vapid_body = "".join(line for line in vapid_private.splitlines() if "-----" not in line)
    secrets = {
        "demo password": DEMO_PASSWORD, "wrong password": "wrong-secret-pw-55", "new password": new_password,
        "invitee password": "invitee-secret-pw-31", "session id": session, "manager session id": manager_session,
        "invitee session id": invitee_session, "invitation token": invite, "SECRET_KEY": os.environ["SECRET_KEY"],
        "VAPID private key": vapid_body[:40], "push endpoint": browser.endpoint,
        "push endpoint path": browser.endpoint.rsplit("/", 1)[1], "p256dh": subscription["keys"]["p256dh"],
        "auth secret": subscription["keys"]["auth"],
    }
    # Database drivers trace every statement with its parameters at DEBUG (aiosqlite does):
    # that is below the root level the app configures, so it is never emitted. Everything
    # the app's own loggers write counts at any level; anything else from INFO up.
    assert logging.getLevelName(app.logging_config.root["level"]) >= logging.INFO
    own = ("followthrough", "backend", "litestar", "uvicorn")
    records = []
    for record in caplog.records:
        if record.levelno < logging.INFO and not record.name.startswith(own):
            continue
        text = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        records.append(f"{record.name}: {text} {record.exc_text or ''} {record.__dict__}")
    assert any("boom" in r for r in records), "the 500 was logged (so the log was really captured)"
    leaks = [(name, where) for name, value in secrets.items()
             for where, texts in (("log", records), ("response", bodies)) if any(value in t for t in texts)]
    assert leaks == [], sorted({(n, w, r.split(":")[0]) for n, w in leaks for r in records if secrets[n] in r})


# ---------------------------------------------------------------------------- a real server's log


def test_a_real_servers_log_never_holds_an_invitation_token_or_a_session_id(tmp_path):
    """`followthrough serve` as started in production (uvicorn, access log on): the
    invitation token must not reach the log (docs/api.md: it travels in the fragment so
    that it never does), nor session ids or passwords. The invitee opens the link: the
    PWA posts the token to /api/invitations/lookup, then to …/accept (never in a URL)."""
    import subprocess

    from tests.e2e.conftest import DIST, _followthrough, _free_port, _server_env, _wait_for_health

    command = _followthrough()
    port = _free_port()
    env = _server_env(tmp_path, port, DIST, f"sqlite:///{tmp_path / 'log.db'}")
    env.pop("TEST_DATABASE_URL", None)
    run = {"env": env, "cwd": tmp_path, "check": True, "capture_output": True, "text": True, "timeout": 120}
    subprocess.run([command, "migrate"], **run)
    subprocess.run([command, "create-user", "--email", "admin@example.com", "--name", "Admin", "--role", "admin",
                    "--password-stdin"], input="admin-secret-pw-1\n", **run)
    link = subprocess.run([command, "create-user", "--email", "new@example.com", "--name", "New", "--role", "rep",
                           "--team", "North", "--invite"], **run).stdout
    token = re.search(r"#token=([\w-]+)", link).group(1)
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([command, "serve"], env=env, cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        _wait_for_health(f"http://127.0.0.1:{port}", proc, log)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"X-Followthrough": "1"}, timeout=10) as web:
            assert web.post("/api/invitations/lookup", json={"token": token}).status_code == 200
            accepted = web.post("/api/invitations/accept", json={"token": token, "password": "invitee-secret-pw-2"})
            assert accepted.status_code == 200
            session = accepted.cookies["ft_session"]
            admin = web.post("/api/auth/login", json={"email": "admin@example.com", "password": "admin-secret-pw-1"})
            assert admin.status_code == 200 and web.get("/api/me").status_code == 200
            # Nothing tells an anonymous prober which server or release this is.
            health = web.get("/api/health", cookies={})
            assert "server" not in health.headers and "version" not in health.json()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    text = log.read_text(errors="replace")
    assert "/api/me" in text or "Uvicorn" in text  # the log was written
    leaks = [name for name, secret in (("invitation token", token), ("session id", session),
                                       ("password", "invitee-secret-pw-2"), ("password", "admin-secret-pw-1"))
             if secret in text]
    assert leaks == [], "\n".join(line.replace(token, "<TOKEN>") for line in text.splitlines() if token in line)


async def test_https_answers_carry_hsts_and_api_answers_are_never_cached(monkeypatch, db):
    from backend.app import create_app

    monkeypatch.setenv("PUBLIC_URL", "https://followthrough.example.org")
    async with make_client(create_app(manage_pool=False)) as web:
        for path in ("/api/health", "/api/me", "/api/no-such-thing"):
            answer = await web.get(path)
            assert answer.headers["strict-transport-security"] == "max-age=31536000", path
            assert answer.headers["cache-control"] == "no-store", path  # personal data: no cache keeps it


async def test_api_answers_with_a_session_are_no_store_and_plain_http_has_no_hsts(client, demo):
    await client.login("rep1@demo.test")
    for path in ("/api/me", "/api/me/preferences", "/api/weeks/current", "/schema/openapi.json"):
        answer = await client.get(path)
        assert answer.headers.get("cache-control") == "no-store", (path, answer.status_code)
        assert "strict-transport-security" not in answer.headers  # over http a browser ignores it; don't pretend
    health = await client.get("/api/health")
    assert health.status_code == 200 and "version" not in health.json()  # not even to the signed-in


# ---------------------------------------------------------------------------- two real servers


async def test_the_sign_in_limits_hold_across_two_server_processes(demo, tmp_path):
    """Two `followthrough serve` processes on the tests' database (PostgreSQL with
    TEST_DATABASE_URL, else the SQLite file), as behind a load balancer: the address limit
    and the account limit are counted once for both; X-Forwarded-For and friends from a
    client choose nothing; only a proxy named in FORWARDED_ALLOW_IPS is believed."""
    import subprocess

    from tests.conftest import TEST_DATABASE_URL
    from tests.e2e.conftest import DIST, _followthrough, _free_port, _server_env, _wait_for_health

    servers = []
    try:
        for name, extra in (("a", {}), ("b", {"FORWARDED_ALLOW_IPS": "127.0.0.2"})):
            port, data = _free_port(), tmp_path / name
            data.mkdir()
            env = {**_server_env(data, port, DIST, TEST_DATABASE_URL), "LOGIN_ATTEMPTS_PER_MINUTE": "10",
                   "REMINDER_SCHEDULER": "0", **extra}
            log = data / "serve.log"
            with log.open("wb") as out:
                proc = subprocess.Popen([_followthrough(), "serve"], env=env, cwd=data, stdout=out,
                                        stderr=subprocess.STDOUT, start_new_session=True)
            servers.append((proc, f"http://127.0.0.1:{port}", log))
        for proc, url, log in servers:
            _wait_for_health(url, proc, log)
        a, b = (url for _, url, _ in servers)

        async def login(server: str, email: str, password: str = "wrong-password", source: str = "127.0.0.1",
                        **headers: str) -> httpx.Response:
            async with httpx.AsyncClient(transport=httpx.AsyncHTTPTransport(local_address=source), base_url=server,
                                         headers={"X-Followthrough": "1", **headers}, timeout=30) as web:
                return await web.post("/api/auth/login", json={"email": email, "password": password})

        # 14 guesses from one address, alternating servers, each claiming another address.
        spoofed = [await login((a, b)[i % 2], f"guess{i}@demo.test", **{
            "X-Forwarded-For": f"203.0.113.{i}", "X-Real-IP": f"203.0.113.{i}", "Forwarded": f"for=203.0.113.{i}"})
            for i in range(14)]
        assert [r.status_code for r in spoofed] == [401] * 10 + [429] * 4
        assert 0 < int(spoofed[-1].headers["retry-after"]) <= 60

        # One account, 25 addresses, both servers: the 11th failure on is refused, and then
        # the right password too.
        statuses = [(await login((a, b)[i % 2], "rep2@demo.test", source=f"127.0.0.{10 + i}")).status_code
                    for i in range(25)]
        assert statuses == [401] * 10 + [429] * 15
        right = await login(a, "rep2@demo.test", DEMO_PASSWORD, source="127.0.0.60")
        assert right.status_code == 429 and 0 < int(right.headers["retry-after"]) <= 900
        assert (await login(b, "rep3@demo.test", DEMO_PASSWORD, source="127.0.0.61")).status_code == 200

        # Server b believes its proxy at 127.0.0.2: the clients behind it are counted apart.
        behind = [(await login(b, f"proxied{i}@demo.test", source="127.0.0.2",
                               **{"X-Forwarded-For": "198.51.100.7"})).status_code for i in range(11)]
        assert behind == [401] * 10 + [429]
        other = await login(b, "proxied@demo.test", source="127.0.0.2", **{"X-Forwarded-For": "198.51.100.8"})
        assert other.status_code == 401
    finally:
        for proc, _, _ in servers:
            proc.terminate()
            proc.wait(timeout=10)
