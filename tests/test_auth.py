"""Sign-in, sessions, CSRF and rate limits, as a browser would meet them."""

from __future__ import annotations

import re

import pytest

from tests.conftest import DEMO_PASSWORD


def session_cookie_header(response) -> str:
    return next(v for k, v in response.headers.multi_items() if k == "set-cookie" and "ft_session=" in v)


async def test_login_returns_me_and_a_safe_cookie(client, demo):
    response = await client.login("Rep1@Demo.test")  # emails compare case-insensitively
    me = response.json()
    assert me["email"] == "rep1@demo.test" and me["role"] == "rep"
    assert me["team"]["name"] == "Demo team" and me["time_zone"] == "Europe/Berlin"
    cookie = session_cookie_header(response).lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert "secure" not in cookie  # localhost over plain http
    assert (await client.get("/api/me")).json()["id"] == me["id"]


async def test_cookie_is_secure_outside_localhost(monkeypatch, db):
    from backend.app import create_app
    from backend.demo import seed_demo
    from tests.conftest import make_client

    monkeypatch.setenv("PUBLIC_URL", "https://sales.example.com")
    app = create_app(manage_pool=False)
    await seed_demo(app.state)
    async with make_client(app) as c:
        c.headers["Origin"] = "https://sales.example.com"
        response = await c.post("/api/auth/login", json={"email": "rep1@demo.test", "password": DEMO_PASSWORD})
        assert response.status_code == 200
        assert "secure" in session_cookie_header(response).lower()


@pytest.mark.parametrize("email,password", [("rep1@demo.test", "wrong-password"), ("nobody@demo.test", DEMO_PASSWORD)])
async def test_wrong_password_and_unknown_email_look_the_same(client, demo, email, password):
    response = await client.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 401
    assert response.json()["detail"] == "The email or password is not right."
    assert "set-cookie" not in response.headers


async def test_a_planted_session_id_is_never_adopted(client, demo):
    client.cookies.set("ft_session", "attacker-chosen-value", domain="127.0.0.1")
    response = await client.login("rep1@demo.test")
    issued = response.cookies.get("ft_session")
    assert issued and issued != "attacker-chosen-value"
    client.cookies.clear()
    client.cookies.set("ft_session", "attacker-chosen-value", domain="127.0.0.1")
    assert (await client.get("/api/me")).status_code == 401


async def test_session_id_rotates_at_each_login(client, demo, new_client):
    first = (await client.login("rep1@demo.test")).cookies["ft_session"]
    second = (await client.login("rep1@demo.test")).cookies["ft_session"]
    assert first != second
    old = new_client()
    old.cookies.set("ft_session", first, domain="127.0.0.1")
    assert (await old.get("/api/me")).status_code == 401  # the replaced id is dead
    assert (await client.get("/api/me")).status_code == 200


async def test_logout_ends_the_session_server_side(client, demo, new_client):
    token = (await client.login("rep2@demo.test")).cookies["ft_session"]
    response = await client.post("/api/auth/logout")
    assert response.status_code == 204
    assert "max-age=0" in session_cookie_header(response).lower()
    replay = new_client()
    replay.cookies.set("ft_session", token, domain="127.0.0.1")
    assert (await replay.get("/api/me")).status_code == 401


async def test_idle_and_absolute_timeouts(client, demo, frozen_clock, new_client):
    await client.login("rep1@demo.test")
    frozen_clock.advance(days=13)
    assert (await client.get("/api/me")).status_code == 200  # used within the idle window
    frozen_clock.advance(days=14, seconds=1)
    assert (await client.get("/api/me")).status_code == 401  # idle too long

    other = new_client()
    await other.login("rep2@demo.test")
    for _ in range(6):  # active every 10 days, but the 60-day absolute limit still ends it
        frozen_clock.advance(days=10)
        status = (await other.get("/api/me")).status_code
    assert status == 401


async def test_deactivating_a_user_ends_their_sessions(client, demo, new_client):
    rep = new_client()
    rep_id = (await rep.login("rep3@demo.test")).json()["id"]
    await client.login("manager@demo.test")
    response = await client.patch(f"/api/users/{rep_id}", json={"active": False})
    assert response.status_code == 200 and response.json()["active"] is False
    assert (await rep.get("/api/me")).status_code == 401
    again = await rep.post("/api/auth/login", json={"email": "rep3@demo.test", "password": DEMO_PASSWORD})
    assert again.status_code == 403 and "deactivated" in again.json()["detail"]


async def test_changing_password_signs_out_other_devices(client, demo, new_client):
    phone = new_client()
    await phone.login("rep1@demo.test")
    await client.login("rep1@demo.test")
    wrong = await client.post("/api/me/password", json={"current_password": "nope", "new_password": "a-new-password-1"})
    assert wrong.status_code == 422 and wrong.json()["extra"] == {"current_password": "This is not your current password."}
    ok = await client.post("/api/me/password", json={"current_password": DEMO_PASSWORD, "new_password": "a-new-password-1"})
    assert ok.status_code == 204
    assert (await client.get("/api/me")).status_code == 200
    assert (await phone.get("/api/me")).status_code == 401
    await phone.login("rep1@demo.test", "a-new-password-1")


async def test_login_rate_limit_answers_429_with_retry_after(client, demo):
    for _ in range(10):
        r = await client.post("/api/auth/login", json={"email": "rep1@demo.test", "password": "wrong-password"})
        assert r.status_code == 401
    blocked = await client.post("/api/auth/login", json={"email": "rep1@demo.test", "password": DEMO_PASSWORD})
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0
    assert "Try again in" in blocked.json()["detail"]


async def test_other_traffic_does_not_consume_the_login_limit(client, demo):
    for _ in range(30):
        assert (await client.get("/api/health")).status_code == 200
    await client.login("rep1@demo.test")
    for _ in range(30):
        assert (await client.get("/api/me")).status_code == 200
    await client.login("rep2@demo.test")


async def test_first_login_adopts_the_browser_time_zone_only_once(client, accounts, db):
    team = await accounts.create_team("North", [])
    await accounts.create_user(email="new@x.test", name="New", password="long-enough-pw", role="rep", team_id=team.id)
    me = (await client.login("new@x.test", "long-enough-pw", browser_time_zone="America/Denver")).json()
    assert me["time_zone"] == "America/Denver"
    me = (await client.login("new@x.test", "long-enough-pw", browser_time_zone="Asia/Tokyo")).json()
    assert me["time_zone"] == "America/Denver"  # an explicit zone is never overwritten
    bad = await client.patch("/api/me", json={"time_zone": "Mars/Olympus"})
    assert bad.status_code == 422 and "time zone" in bad.json()["detail"]
    good = await client.patch("/api/me", json={"time_zone": "Asia/Tokyo", "name": "New Name"})
    assert good.json()["time_zone"] == "Asia/Tokyo" and good.json()["name"] == "New Name"


async def test_unknown_browser_zone_is_ignored_not_an_error(client, accounts, db):
    team = await accounts.create_team("South", [])
    await accounts.create_user(email="z@x.test", name="Z", password="long-enough-pw", role="rep", team_id=team.id)
    me = (await client.login("z@x.test", "long-enough-pw", browser_time_zone="Not/AZone")).json()
    assert me["time_zone"] == "UTC"


def unsafe_routes(app):
    for route in app.routes:
        for method in getattr(route, "methods", ()):
            if method in {"POST", "PUT", "PATCH", "DELETE"}:
                yield method, route.path


async def test_every_unsafe_route_refuses_a_request_without_the_csrf_header(client, demo, app):
    await client.login("admin@demo.test")
    routes = list(unsafe_routes(app))
    assert len(routes) >= 8
    for method, path in routes:
        url = re.sub(r"\{\w+:int\}", "1", path)
        url = re.sub(r"\{\w+:date\}", "2026-11-23", url)
        url = re.sub(r"\{\w+:str\}", "x", url)
        response = await client.request(method, url, json={}, headers={"X-Followthrough": ""})
        assert response.status_code == 403, (method, path, response.text)
        assert "X-Followthrough" in response.json()["detail"]


async def test_foreign_origin_is_refused_even_with_the_header(client, demo):
    response = await client.post(
        "/api/auth/login",
        json={"email": "rep1@demo.test", "password": DEMO_PASSWORD},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403 and "evil.example" in response.json()["detail"]
    same = await client.post(
        "/api/auth/login",
        json={"email": "rep1@demo.test", "password": DEMO_PASSWORD},
        headers={"Origin": "http://127.0.0.1:8000"},
    )
    assert same.status_code == 200


async def test_a_new_password_must_not_be_common_or_guessable(client, demo):
    await client.login("rep1@demo.test")
    for weak, why in (("1234567890", "30,000 most common passwords"), ("password123", "30,000 most common passwords"),
                      ("QWERTYUIOP", "30,000 most common passwords"), ("aaaaaaaaaaaa", "Repeats"),
                      ("rep1@demo.test", "your email or name")):
        refused = await client.post("/api/me/password", json={"current_password": DEMO_PASSWORD, "new_password": weak})
        assert refused.status_code == 422, weak
        assert why in refused.json()["detail"] and refused.json()["extra"]["new_password"] == refused.json()["detail"]
    # Nothing changed: the old password still signs in, the session still works.
    assert (await client.get("/api/me")).status_code == 200
    await client.login("rep1@demo.test", DEMO_PASSWORD)
    ok = await client.post("/api/me/password", json={"current_password": DEMO_PASSWORD, "new_password": "lamp-orbit-cedar"})
    assert ok.status_code == 204


def test_the_demo_password_is_allowed():
    from backend.accounts.passwords import weak_password

    assert weak_password(DEMO_PASSWORD, email="rep1@demo.test", name="Riley Rep") is None


async def test_only_real_iana_zone_names_are_time_zones(client, demo):
    await client.login("rep1@demo.test")
    for fake in ("localtime", "Factory", "UTC ", " UTC", "Etc/../UTC", "Europe/../Europe/Berlin", "europe/berlin",
                 "Europe/Berlin\u200b", "posix/Europe/Berlin", "/etc/localtime"):
        refused = await client.patch("/api/me", json={"time_zone": fake})
        assert refused.status_code == 422 and "not a known time zone" in refused.json()["detail"], fake
    assert (await client.get("/api/me")).json()["time_zone"] == "Europe/Berlin"
    for real in ("UTC", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "US/Eastern"):
        assert (await client.patch("/api/me", json={"time_zone": real})).json()["time_zone"] == real


async def test_a_browser_zone_that_is_not_a_real_zone_is_not_adopted(client, accounts, db):
    team = await accounts.create_team("North", [])
    await accounts.create_user(email="new@x.test", name="New", password="long-enough-pw", role="rep", team_id=team.id)
    me = (await client.login("new@x.test", "long-enough-pw", browser_time_zone="localtime")).json()
    assert me["time_zone"] == "UTC"  # the default shown until a real zone is known
    me = (await client.login("new@x.test", "long-enough-pw", browser_time_zone="Asia/Tokyo")).json()
    assert me["time_zone"] == "Asia/Tokyo"
