"""Invitations: a one-time link, shown to the inviter, that lets the invitee set a password."""

from __future__ import annotations

from urllib.parse import urlsplit


def token_of(invite: dict) -> str:
    url = urlsplit(invite["invite_url"])
    assert url.path == "/invite" and url.query == ""  # the token never travels in a path or query
    assert url.fragment.startswith("token=")
    return url.fragment.removeprefix("token=")


async def invite(client, **body) -> dict:
    response = await client.post("/api/invites", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def test_invite_lifecycle_signs_the_invitee_in_once(client, demo, new_client):
    await client.login("manager@demo.test")
    created = await invite(client, email="New.Rep@Example.com", name="New Rep")
    assert created["team"]["name"] == "Demo team" and created["role"] == "rep"
    token = token_of(created)
    pending = (await client.get("/api/invites")).json()
    assert [p["email"] for p in pending] == ["new.rep@example.com"]
    assert pending[0]["invite_url"] is None  # the link is shown once only
    assert pending[0]["invited_by"] == "Morgan Manager"

    invitee = new_client()
    info = await invitee.post("/api/invitations/lookup", json={"token": token})
    assert info.status_code == 200
    assert info.json()["team_name"] == "Demo team" and info.json()["email"] == "new.rep@example.com"
    short = await invitee.post("/api/invitations/accept", json={"token": token, "password": "short"})
    assert short.status_code == 400 and "at least 10 characters" in short.json()["detail"]
    accepted = await invitee.post(
        "/api/invitations/accept",
        json={"token": token, "password": "a-good-password", "browser_time_zone": "Europe/Madrid"},
    )
    assert accepted.status_code == 200
    me = (await invitee.get("/api/me")).json()
    assert me["email"] == "new.rep@example.com" and me["time_zone"] == "Europe/Madrid"
    assert me["team"]["name"] == "Demo team"

    reused = await new_client().post("/api/invitations/accept", json={"token": token, "password": "another-password"})
    assert reused.status_code == 410 and "already been used" in reused.json()["detail"]
    assert (await client.get("/api/invites")).json() == []
    await new_client().login("new.rep@example.com", "a-good-password")


async def test_expired_revoked_replaced_and_unknown_links(client, demo, frozen_clock, new_client):
    await client.login("admin@demo.test")
    expiring = token_of(await invite(client, email="late@example.com", name="Late", team_id=1))
    frozen_clock.advance(days=7, seconds=1)
    response = await new_client().post("/api/invitations/lookup", json={"token": expiring})
    assert response.status_code == 410 and "expired" in response.json()["detail"]

    revoked = await invite(client, email="gone@example.com", name="Gone", team_id=1)
    assert (await client.delete(f"/api/invites/{revoked['id']}")).status_code == 204
    assert (await client.delete(f"/api/invites/{revoked['id']}")).status_code == 204  # idempotent
    response = await new_client().post("/api/invitations/accept", json={"token": token_of(revoked), "password": "a-good-password"})
    assert response.status_code == 410

    first = token_of(await invite(client, email="twice@example.com", name="Twice", team_id=1))
    second = token_of(await invite(client, email="twice@example.com", name="Twice", team_id=1))
    assert (await new_client().post("/api/invitations/lookup", json={"token": first})).status_code == 410
    assert (await new_client().post("/api/invitations/lookup", json={"token": second})).status_code == 200

    unknown = await new_client().post("/api/invitations/lookup", json={"token": "not-a-real-token"})
    assert unknown.status_code == 404 and "not valid" in unknown.json()["detail"]


async def test_invite_refusals(client, demo, accounts, new_client):
    other = await accounts.create_team("Other team", [])
    await client.login("manager@demo.test")
    existing = await client.post("/api/invites", json={"email": "rep1@demo.test", "name": "Again"})
    assert existing.status_code == 409 and "already has an account" in existing.json()["detail"]
    wrong_team = await client.post("/api/invites", json={"email": "x@example.com", "name": "X", "team_id": other.id})
    assert wrong_team.status_code == 403
    a_manager = await client.post("/api/invites", json={"email": "m@example.com", "name": "M", "role": "manager"})
    assert a_manager.status_code == 403 and "admin" in a_manager.json()["detail"]
    bad_email = await client.post("/api/invites", json={"email": "not-an-email", "name": "X"})
    assert bad_email.status_code == 400 and "email" in bad_email.json()["extra"]

    rep = new_client()
    await rep.login("rep1@demo.test")
    assert (await rep.post("/api/invites", json={"email": "y@example.com", "name": "Y"})).status_code == 403

    admin = new_client()
    await admin.login("admin@demo.test")
    no_team = await admin.post("/api/invites", json={"email": "z@example.com", "name": "Z", "role": "rep"})
    assert no_team.status_code == 422 and no_team.json()["extra"] == {"team_id": "Choose a team."}
    # Another team's manager cannot revoke this team's invites.
    mine = await invite(admin, email="q@example.com", name="Q", team_id=1)
    stranger_team = await accounts.create_team("Stranger team", [])
    await accounts.create_user(email="m2@x.test", name="M2", password="long-enough-pw", role="manager", team_id=stranger_team.id)
    stranger = new_client()
    await stranger.login("m2@x.test", "long-enough-pw")
    assert (await stranger.delete(f"/api/invites/{mine['id']}")).status_code == 404
    assert (await stranger.get("/api/invites")).json() == []


async def test_admin_invites_a_manager_who_then_manages_the_team(client, demo, new_client):
    await client.login("admin@demo.test")
    token = token_of(await invite(client, email="boss@example.com", name="Boss", role="manager", team_id=1))
    boss = new_client()
    response = await boss.post("/api/invitations/accept", json={"token": token, "password": "a-good-password"})
    assert response.status_code == 200
    me = response.json()
    assert me["role"] == "manager" and [t["name"] for t in me["managed_teams"]] == ["Demo team"]
    assert len((await boss.get("/api/users")).json()) == 8


async def test_concurrent_accepts_create_one_account(client, demo, new_client):
    import asyncio

    await client.login("admin@demo.test")
    token = token_of(await invite(client, email="race@example.com", name="Race", team_id=1))
    a, b = new_client(), new_client()
    results = await asyncio.gather(
        a.post("/api/invitations/accept", json={"token": token, "password": "a-good-password"}),
        b.post("/api/invitations/accept", json={"token": token, "password": "a-good-password"}),
    )
    assert sorted(r.status_code for r in results) == [200, 410]
    users = [u for u in (await client.get("/api/users")).json() if u["email"] == "race@example.com"]
    assert len(users) == 1


async def test_a_common_password_is_refused_and_the_invitation_stays_usable(client, demo, new_client):
    await client.login("manager@demo.test")
    token = token_of(await invite(client, email="casey.new@example.com", name="Casey New"))
    invitee = new_client()
    for weak, why in (("password123", "most common passwords"), ("1234567890", "most common passwords"),
                      ("Password1234!", "too easy to guess"), ("casey.new@example.com", "your email or name")):
        refused = await invitee.post("/api/invitations/accept", json={"token": token, "password": weak})
        assert refused.status_code == 422, weak
        assert why in refused.json()["detail"] and why in refused.json()["extra"]["password"], refused.json()
        assert "ft_session" not in refused.cookies
    assert (await invitee.post("/api/invitations/lookup", json={"token": token})).status_code == 200
    accepted = await invitee.post("/api/invitations/accept", json={"token": token, "password": "a-good-password"})
    assert accepted.status_code == 200
