"""Teams and users: who may see and change what."""

from __future__ import annotations


async def ids_by_email(client) -> dict[str, int]:
    return {u["email"]: u["id"] for u in (await client.get("/api/users")).json()}


async def test_admin_creates_renames_and_staffs_a_team(client, demo):
    await client.login("admin@demo.test")
    created = await client.post("/api/teams", json={"name": "  North  "})
    assert created.status_code == 201
    team = created.json()
    assert team["name"] == "North" and team["managers"] == [] and team["rep_count"] == 0

    duplicate = await client.post("/api/teams", json={"name": "demo TEAM"})
    assert duplicate.status_code == 409 and "already exists" in duplicate.json()["detail"]

    users = await ids_by_email(client)
    not_a_manager = await client.patch(f"/api/teams/{team['id']}", json={"manager_ids": [users["rep1@demo.test"]]})
    assert not_a_manager.status_code == 422
    no_managers = await client.patch(f"/api/teams/{team['id']}", json={"manager_ids": []})
    assert no_managers.status_code == 422 and "at least one manager" in no_managers.json()["detail"]

    staffed = await client.patch(
        f"/api/teams/{team['id']}", json={"name": "North East", "manager_ids": [users["manager@demo.test"]]}
    )
    assert staffed.status_code == 200
    assert staffed.json()["name"] == "North East"
    assert [m["name"] for m in staffed.json()["managers"]] == ["Morgan Manager"]
    teams = {t["name"]: t for t in (await client.get("/api/teams")).json()}
    assert teams["Demo team"]["rep_count"] == 6 and "North East" in teams

    missing = await client.patch("/api/teams/9999", json={"name": "Ghost"})
    assert missing.status_code == 404


async def test_only_admins_create_teams(client, demo, new_client):
    for email in ("manager@demo.test", "rep1@demo.test"):
        c = new_client()
        await c.login(email)
        response = await c.post("/api/teams", json={"name": "Mine"})
        assert response.status_code == 403 and "admin" in response.json()["detail"]
    await client.login("admin@demo.test")
    assert [t["name"] for t in (await client.get("/api/teams")).json()] == ["Demo team"]


async def test_team_list_is_scoped(client, demo, accounts, new_client):
    other = await accounts.create_team("Other team", [])
    await accounts.create_user(email="far@x.test", name="Far", password="long-enough-pw", role="rep", team_id=other.id)
    await client.login("rep1@demo.test")
    assert [t["name"] for t in (await client.get("/api/teams")).json()] == ["Demo team"]
    manager = new_client()
    await manager.login("manager@demo.test")
    assert [t["name"] for t in (await manager.get("/api/teams")).json()] == ["Demo team"]
    admin = new_client()
    await admin.login("admin@demo.test")
    assert {t["name"] for t in (await admin.get("/api/teams")).json()} == {"Demo team", "Other team"}


async def test_a_manager_sees_only_their_team_and_reps_see_no_list(client, demo, accounts, new_client):
    other = await accounts.create_team("Other team", [])
    await accounts.create_user(email="far@x.test", name="Far", password="long-enough-pw", role="rep", team_id=other.id)
    await client.login("manager@demo.test")
    users = (await client.get("/api/users")).json()
    emails = {u["email"] for u in users}
    assert emails == {f"rep{i}@demo.test" for i in range(1, 7)} | {"manager@demo.test"}
    assert (await client.get(f"/api/users?team_id={other.id}")).status_code == 404
    rep = new_client()
    await rep.login("rep1@demo.test")
    assert (await rep.get("/api/users")).status_code == 403


async def test_manager_can_rename_and_deactivate_own_reps_only(client, demo, accounts):
    other = await accounts.create_team("Other team", [])
    far_id = await accounts.create_user(email="far@x.test", name="Far", password="long-enough-pw", role="rep", team_id=other.id)
    await client.login("manager@demo.test")
    users = await ids_by_email(client)
    rep1 = users["rep1@demo.test"]
    renamed = await client.patch(f"/api/users/{rep1}", json={"name": "Riley F."})
    assert renamed.status_code == 200 and renamed.json()["name"] == "Riley F."
    promote = await client.patch(f"/api/users/{rep1}", json={"role": "admin"})
    assert promote.status_code == 403 and "Only an admin" in promote.json()["detail"]
    assert (await client.patch(f"/api/users/{far_id}", json={"active": False})).status_code == 404
    self_edit = await client.patch(f"/api/users/{users['manager@demo.test']}", json={"active": False})
    assert self_edit.status_code == 404  # managers manage reps, not managers
    back = await client.patch(f"/api/users/{rep1}", json={"active": False})
    assert back.json()["active"] is False
    assert (await client.patch(f"/api/users/{rep1}", json={"active": True})).json()["active"] is True


async def test_admin_moves_people_between_roles_and_teams(client, demo, accounts):
    north = await accounts.create_team("North", [])
    await client.login("admin@demo.test")
    users = await ids_by_email(client)
    rep2 = users["rep2@demo.test"]
    moved = (await client.patch(f"/api/users/{rep2}", json={"team_id": north.id})).json()
    assert moved["team"]["name"] == "North"
    promoted = (await client.patch(f"/api/users/{rep2}", json={"role": "manager", "team_id": north.id})).json()
    assert promoted["role"] == "manager" and promoted["team"] is None
    assert [t["name"] for t in promoted["managed_teams"]] == ["North"]
    no_team = await client.patch(f"/api/users/{rep2}", json={"role": "rep", "team_id": 0})
    assert no_team.status_code == 422 and "team" in no_team.json()["detail"]
    demoted = (await client.patch(f"/api/users/{rep2}", json={"role": "rep", "team_id": north.id})).json()
    assert demoted["role"] == "rep" and demoted["managed_teams"] == []
    unknown_team = await client.patch(f"/api/users/{rep2}", json={"team_id": 999})
    assert unknown_team.status_code == 422
    bad_role = await client.patch(f"/api/users/{rep2}", json={"role": "owner"})
    assert bad_role.status_code == 400 and "role" in bad_role.json()["extra"]


async def test_admin_cannot_lock_themselves_out(client, demo):
    await client.login("admin@demo.test")
    me = (await client.get("/api/me")).json()
    for change in ({"active": False}, {"role": "rep", "team_id": 1}):
        response = await client.patch(f"/api/users/{me['id']}", json=change)
        assert response.status_code == 403
    assert (await client.get("/api/me")).status_code == 200


BLANK_NAMES = [" ", "\u200b", "\u200b\u200c\u2060", "\ufeff ", "\u3164", " \u2800 ", "\u0301"]


async def test_a_name_needs_something_visible_wherever_it_is_set(client, demo, accounts):
    await client.login("admin@demo.test")
    users = await ids_by_email(client)
    team = (await client.get("/api/teams")).json()[0]
    routes = [
        ("patch", "/api/me", {}),
        ("patch", f"/api/users/{users['rep1@demo.test']}", {}),
        ("post", "/api/invites", {"email": "blank@example.com", "role": "rep", "team_id": team["id"]}),
        ("post", "/api/teams", {}),
        ("patch", f"/api/teams/{team['id']}", {}),
    ]
    for method, path, body in routes:
        for blank in BLANK_NAMES:
            refused = await getattr(client, method)(path, json={**body, "name": blank})
            assert refused.status_code == 422, (path, blank, refused.text)
            assert "visible character" in refused.json()["detail"] and refused.json()["extra"] == {"name": "Enter a name."}
    for blank in BLANK_NAMES:  # the CLI and demo path
        try:
            await accounts.create_user(email="blank@x.test", name=blank, password="long-enough-pw", role="admin")
            raise AssertionError(f"{blank!r} was accepted")
        except Exception as error:
            assert "visible character" in str(error)
    # Nothing was stored, and invisible characters around a real name are trimmed.
    assert (await client.get("/api/me")).json()["name"] == "Ada Admin"
    assert [t["name"] for t in (await client.get("/api/teams")).json()] == [team["name"]]
    assert (await client.get("/api/invites")).json() == []
    renamed = await client.patch(f"/api/users/{users['rep1@demo.test']}", json={"name": "\u200b Riley F.\u200b"})
    assert renamed.json()["name"] == "Riley F."
    accented = await client.patch("/api/me", json={"name": "Jose\u0301"})  # NFD: the mark stays on its letter
    assert accented.json()["name"] == "Jose\u0301"
