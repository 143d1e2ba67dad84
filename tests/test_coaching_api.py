"""The coaching loop through the API on the demo data: a reflection written through the
sync outbox, the manager's check-in with private and shared notes, commitments that check
themselves against logged activity, the follow-up at the next check-in, the audit trail,
self-coaching prompts, the timeline; and who may see what (private notes never reach the rep)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from tests.sync_device import Device

THIS_WEEK = "2026-11-23"  # the frozen clock: Wednesday 2026-11-25 09:00 UTC
TODAY = date(2026, 11, 25)


@pytest.fixture
async def jordan(seeded, new_client):
    rep = new_client()
    await rep.login("rep3@demo.test")
    return rep


async def user_id(client, name: str) -> int:
    rows = (await client.get("/api/teams/1/review")).json()["rows"]
    return next(r["user_id"] for r in rows if r["name"] == name)


async def type_id(client, key: str) -> int:
    types = (await client.get("/api/teams/1/activity-types")).json()
    return next(t["id"] for t in types if t["key"] == key)


def reflection(week: str = THIS_WEEK, **fields) -> dict:
    return {"week_start": week, "wins": "Booked the Contoso demo", "stuck": "Gatekeepers at Fabrikam",
            "differently": "Call before 9", "help_wanted": "A reference customer in pharma", "self_rating": 3,
            **fields}


# ----------------------------------------------------------------------------- reflections through sync
async def test_a_reflection_travels_through_the_outbox_and_the_manager_reads_it(manager, jordan, new_client):
    jordan_id = await user_id(manager, "Jordan Silva")
    phone = Device(jordan, time_zone="America/New_York")
    reflection_id = str(uuid.uuid4())
    phone.raw("reflection.upsert", reflection_id, reflection(jottings=["  They want a pilot first "]))
    answer = (await phone.push()).json()
    assert [r["status"] for r in answer["results"]] == ["applied"]
    seen = (await manager.get(f"/api/reps/{jordan_id}/reflections/{THIS_WEEK}")).json()
    assert seen["id"] == reflection_id and seen["help_wanted"] == "A reference customer in pharma"
    assert seen["jottings"] == ["They want a pilot first"] and seen["self_rating"] == 3

    # Another device writes the same week: one reflection, the later text wins.
    tablet = Device(jordan, time_zone="America/New_York")
    tablet.raw("reflection.upsert", str(uuid.uuid4()), reflection(wins="Two demos booked", self_rating=4))
    assert (await tablet.push()).json()["results"][0]["status"] == "applied"
    seen = (await jordan.get(f"/api/reps/{jordan_id}/reflections/{THIS_WEEK}")).json()
    assert seen["id"] == reflection_id and seen["wins"] == "Two demos booked" and seen["self_rating"] == 4

    # A replayed push changes nothing and answers duplicate.
    phone.raw("reflection.upsert", reflection_id, reflection())
    body = phone.body()
    assert (await jordan.post("/api/sync/push", json=body)).json()["results"][0]["status"] == "applied"
    again = (await jordan.post("/api/sync/push", json=body)).json()["results"][0]
    assert again["status"] == "duplicate" and again["first_status"] == "applied"

    other = new_client()
    await other.login("rep1@demo.test")
    assert (await other.get(f"/api/reps/{jordan_id}/reflections/{THIS_WEEK}")).status_code == 404
    assert (await manager.get(f"/api/reps/{jordan_id}/reflections/2026-11-16")).json() is None
    assert (await manager.get(f"/api/reps/{jordan_id}/reflections/2026-11-17")).status_code == 422


async def test_bad_reflections_are_rejected_and_the_queue_moves_on(jordan, manager):
    phone = Device(jordan, time_zone="America/New_York")
    phone.raw("reflection.upsert", str(uuid.uuid4()), reflection(week="2026-12-07"))
    phone.raw("reflection.upsert", str(uuid.uuid4()), reflection(week="2026-11-24"))
    phone.raw("reflection.upsert", str(uuid.uuid4()), reflection(self_rating=9))
    phone.raw("reflection.upsert", str(uuid.uuid4()), reflection(week="2026-08-03"))
    phone.raw("reflection.upsert", str(uuid.uuid4()), reflection(wins="ok"))
    reused = str(uuid.uuid4())
    phone.raw("reflection.upsert", reused, reflection(week="2026-11-16"))
    phone.raw("reflection.upsert", reused, reflection(week="2026-11-09"))  # another week, same id
    results = (await phone.push()).json()["results"]
    assert [(r["status"], r["code"]) for r in results[-2:]] == [("applied", None), ("rejected", "already_exists")]
    results = results[:-2]
    assert [(r["status"], r["code"]) for r in results] == [
        ("rejected", "in_future"), ("rejected", "invalid"), ("rejected", "invalid"), ("rejected", "too_old"),
        ("applied", None)]
    assert "Monday" in results[1]["message"]


async def test_another_reps_reflection_id_never_affects_mine_and_answers_like_an_unknown_id(
        manager, jordan, new_client):
    """Reflection ids are per rep: another rep's id was `rejected not_found` while an unknown
    one applied (telling which ids exist), and an id another rep used first refused mine."""
    jordan_id = await user_id(manager, "Jordan Silva")
    riley = new_client()
    await riley.login("rep1@demo.test")
    riley_id = await user_id(manager, "Riley Fischer")
    phone = Device(jordan, time_zone="America/New_York")
    jordans = str(uuid.uuid4())
    phone.raw("reflection.upsert", jordans, reflection())
    assert [r["status"] for r in (await phone.push()).json()["results"]] == ["applied"]

    # Riley sends Jordan's id for the same week, and an id nobody used for another week.
    theirs = Device(riley)
    theirs.raw("reflection.upsert", jordans, reflection(wins="Written by Riley"))
    first = str(uuid.uuid4())
    theirs.raw("reflection.upsert", first, reflection(week="2026-11-09", wins="Riley's first"))
    foreign, unknown = (await theirs.push()).json()["results"]
    assert (foreign["status"], foreign["code"], foreign["message"]) == (
        unknown["status"], unknown["code"], unknown["message"]) == ("applied", None, None)
    # It became Riley's own reflection under that id; Jordan's is untouched.
    rileys = (await riley.get(f"/api/reps/{riley_id}/reflections/{THIS_WEEK}")).json()
    assert rileys["id"] == jordans and rileys["wins"] == "Written by Riley"
    kept = (await manager.get(f"/api/reps/{jordan_id}/reflections/{THIS_WEEK}")).json()
    assert kept["id"] == jordans and kept["wins"] == "Booked the Contoso demo"

    # An id Riley used first is still Jordan's to use (another week of his), and Jordan's next
    # write with his own id updates his own reflection only.
    phone.raw("reflection.upsert", first, reflection(week="2026-11-16", wins="Jordan's own"))
    phone.raw("reflection.upsert", jordans, reflection(wins="Jordan again"))
    assert [r["status"] for r in (await phone.push()).json()["results"]] == ["applied", "applied"]
    assert (await jordan.get(f"/api/reps/{jordan_id}/reflections/2026-11-16")).json()["id"] == first
    assert (await jordan.get(f"/api/reps/{jordan_id}/reflections/{THIS_WEEK}")).json()["wins"] == "Jordan again"
    assert (await riley.get(f"/api/reps/{riley_id}/reflections/{THIS_WEEK}")).json()["wins"] == "Written by Riley"
    assert (await riley.get(f"/api/reps/{riley_id}/reflections/2026-11-09")).json()["wins"] == "Riley's first"


async def test_a_mistyped_reflection_is_rejected_alone_naming_the_field(manager, jordan):
    """Reflections were converted leniently ("5" was a self_rating of 5); strict like every
    body: the one mutation is `rejected invalid` naming the field, the rest applies."""
    jordan_id = await user_id(manager, "Jordan Silva")
    phone = Device(jordan, time_zone="America/New_York")
    phone.raw("reflection.upsert", str(uuid.uuid4()), reflection(self_rating="5"))
    phone.raw("reflection.upsert", str(uuid.uuid4()), reflection(week="2026-11-16", wins=7))
    phone.raw("reflection.upsert", str(uuid.uuid4()), reflection(week="2026-11-09", self_rating=True))
    phone.raw("reflection.upsert", str(uuid.uuid4()), reflection(week="2026-11-02", self_rating=4.5))
    phone.raw("reflection.upsert", str(uuid.uuid4()), reflection(self_rating=4.0))  # JSON's 4.0 is 4
    results = (await phone.push()).json()["results"]
    assert [(r["status"], r["code"]) for r in results] == [("rejected", "invalid")] * 4 + [("applied", None)]
    assert [r["message"] for r in results[:4]] == [
        "The reflection is not valid: self_rating must be a whole number.",
        "The reflection is not valid: wins must be text.",
        "The reflection is not valid: self_rating must be a whole number.",
        "The reflection is not valid: self_rating must be a whole number."]
    seen = (await manager.get(f"/api/reps/{jordan_id}/reflections/{THIS_WEEK}")).json()
    assert seen["self_rating"] == 4 and isinstance(seen["self_rating"], int)
    for week in ("2026-11-16", "2026-11-09", "2026-11-02"):
        assert (await manager.get(f"/api/reps/{jordan_id}/reflections/{week}")).json() is None


async def test_a_mistyped_reflection_nested_deep_is_still_rejected_alone(manager, jordan):
    """Reading 4.0 as 4 walks the payload again: an ignored field nested 600 deep overflowed
    Python's stack there (a 500 for the whole batch, retried for ever)."""
    import json

    phone = Device(jordan, time_zone="America/New_York")
    phone.raw("reflection.upsert", str(uuid.uuid4()), reflection(self_rating="5", extra="DEEP"))
    phone.raw("reflection.upsert", str(uuid.uuid4()), reflection())
    body = json.dumps(phone.body()).replace('"DEEP"', "[" * 600 + "]" * 600)
    response = await jordan.post("/api/sync/push", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    assert [(r["status"], r["code"]) for r in response.json()["results"]] == [("rejected", "invalid"),
                                                                              ("applied", None)]


# ----------------------------------------------------------------------------- the check-in
async def test_a_full_check_in_loop_with_follow_up(seeded, manager, jordan, frozen_clock):
    jordan_id = await user_id(manager, "Jordan Silva")
    call = await type_id(manager, "call")
    space = (await manager.get(f"/api/reps/{jordan_id}/checkin-workspace")).json()
    assert space["current"] is None and space["follow_up"] == [] and 2 <= len(space["questions"]) <= 3
    assert space["row"]["name"] == "Jordan Silva" and space["schedule"]["next_words"]

    started = await manager.post(f"/api/reps/{jordan_id}/checkins", json={"client_key": "checkin-0001"})
    assert started.status_code == 201, started.text
    checkin = started.json()
    retried = await manager.post(f"/api/reps/{jordan_id}/checkins", json={"client_key": "checkin-0001"})
    assert retried.status_code == 200 and retried.json()["id"] == checkin["id"]
    cid = checkin["id"]

    private = await manager.post(f"/api/checkins/{cid}/notes", json={
        "body": "Seems tired; ask about workload next time", "client_key": "note-private-1"})
    shared = await manager.post(f"/api/checkins/{cid}/notes", json={
        "body": "Agreed: mornings for calls", "shared": True, "client_key": "note-shared-1"})
    assert private.status_code == 201 and not private.json()["shared"] and shared.json()["shared"]
    assert (await manager.post(f"/api/checkins/{cid}/notes", json={
        "body": "Seems tired; ask about workload next time", "client_key": "note-private-1"})).status_code == 200

    measured = await manager.post(f"/api/checkins/{cid}/commitments", json={
        "text": "Two more calls to the trade-fair leads", "due_on": str(TODAY + timedelta(days=2)),
        "activity_type_id": call, "target_count": 2, "client_key": "commit-0001"})
    assert measured.status_code == 201, measured.text
    assert measured.json()["status"] == "open" and measured.json()["done_count"] == 0
    in_words = await manager.post(f"/api/checkins/{cid}/commitments", json={
        "text": "Ask Fabrikam for a referral", "due_on": str(TODAY + timedelta(days=2))})
    assert in_words.json()["status_source"] == "pending"
    for bad, field in [
        ({"text": "Too late", "due_on": str(TODAY - timedelta(days=1))}, "due_on"),
        ({"text": "Far away", "due_on": str(TODAY + timedelta(days=60))}, "due_on"),
        ({"text": "Half measured", "due_on": str(TODAY), "activity_type_id": call}, "target_count"),
        ({"text": "Unknown type", "due_on": str(TODAY), "activity_type_id": 999, "target_count": 2},
         "activity_type_id"),
    ]:
        response = await manager.post(f"/api/checkins/{cid}/commitments", json=bad)
        assert response.status_code == 422 and field in response.json()["extra"], response.text
    assert (await manager.post(f"/api/checkins/{cid}/commitments", json={
        "text": "x", "due_on": str(TODAY)})).status_code == 400  # too short

    # The rep sees the shared note only, never the private one.
    rep_view = await jordan.get(f"/api/checkins/{cid}")
    assert rep_view.status_code == 200 and "Seems tired" not in rep_view.text
    assert [n["body"] for n in rep_view.json()["notes"]] == ["Agreed: mornings for calls"]
    assert len(rep_view.json()["commitments"]) == 2
    assert (await jordan.post(f"/api/checkins/{cid}/notes", json={"body": "Mine"})).status_code == 403
    timeline = await jordan.get(f"/api/reps/{jordan_id}/timeline")
    assert "Seems tired" not in timeline.text

    closed = (await manager.post(f"/api/checkins/{cid}/close")).json()
    assert closed["closed_at"] and (await manager.post(f"/api/checkins/{cid}/close")).json()["closed_at"] == \
        closed["closed_at"]
    assert (await manager.post(f"/api/checkins/{cid}/notes", json={"body": "Late"})).status_code == 409
    note_id = private.json()["id"]
    no_reason = await manager.patch(f"/api/checkin-notes/{note_id}", json={"body": "Edited"})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["extra"]
    edited = await manager.patch(f"/api/checkin-notes/{note_id}", json={"body": "Ask about workload",
                                                                        "reason": "Kinder wording"})
    assert edited.status_code == 200 and edited.json()["edited_at"]
    audit = (await manager.get(f"/api/checkins/{cid}")).json()["edits"]
    assert [(e["reason"], e["author"]) for e in audit] == [("Kinder wording", "Morgan Manager")]
    assert (await jordan.get(f"/api/checkins/{cid}")).json()["edits"] == []  # a private note's history stays private
    hidden = await manager.patch(f"/api/checkin-notes/{shared.json()['id']}", json={
        "body": "Between us: mornings are hard for Jordan", "shared": False, "reason": "Too personal to share"})
    assert hidden.status_code == 200 and not hidden.json()["shared"]
    rep_view = (await jordan.get(f"/api/checkins/{cid}")).text
    assert "mornings are hard" not in rep_view and "Agreed: mornings" not in rep_view

    # Later that day the rep logs the calls; the measured commitment is met by itself.
    frozen_clock.advance(minutes=30)
    phone = Device(jordan, time_zone="America/New_York")
    phone.log(call, quality=3)
    phone.log(call, quality=2)
    assert all(r["status"] == "applied" for r in (await phone.push()).json()["results"])
    mine = {c["text"]: c for c in (await jordan.get(f"/api/reps/{jordan_id}/commitments")).json()}
    assert mine["Two more calls to the trade-fair leads"]["status"] == "met"
    assert mine["Two more calls to the trade-fair leads"]["done_count"] == 2

    # Next week: the next check-in shows last time's commitments with their status.
    frozen_clock.advance(days=7)
    space = (await manager.get(f"/api/reps/{jordan_id}/checkin-workspace")).json()
    follow = {c["text"]: c for c in space["follow_up"]}
    assert follow["Two more calls to the trade-fair leads"]["status"] == "met"
    assert follow["Ask Fabrikam for a referral"]["status"] == "to_review"
    marked = await manager.post(f"/api/commitments/{follow['Ask Fabrikam for a referral']['id']}/mark",
                                json={"status": "met"})
    assert marked.json()["status"] == "met" and marked.json()["status_source"] == "manager"
    assert (await manager.post(f"/api/commitments/{follow['Two more calls to the trade-fair leads']['id']}/mark",
                               json={"status": "not_met"})).status_code == 422
    second = (await manager.post(f"/api/reps/{jordan_id}/checkins", json={})).json()
    assert second["id"] != cid and {c["status"] for c in second["follow_up"]} == {"met"}
    timeline = (await jordan.get(f"/api/reps/{jordan_id}/timeline")).json()
    assert {"checkin", "commitment"} <= {e["kind"] for e in timeline["entries"]}
    assert any(m["kind"] == "commitments_kept" for m in timeline["milestones"])


async def test_repeatedly_missed_commitments_become_a_conversation_about_the_process(seeded, manager, frozen_clock):
    casey = await user_id(manager, "Jordan Silva")  # no check-ins in the demo yet
    proposal = await type_id(manager, "proposal")
    cid = (await manager.post(f"/api/reps/{casey}/checkins", json={})).json()["id"]
    for text in ("Send 3 proposals", "Send 2 more proposals"):
        await manager.post(f"/api/checkins/{cid}/commitments", json={
            "text": text, "due_on": str(TODAY + timedelta(days=1)), "activity_type_id": proposal,
            "target_count": 40})
    await manager.post(f"/api/checkins/{cid}/close")
    frozen_clock.advance(days=3)
    rows = (await manager.get("/api/teams/1/review")).json()["rows"]
    assert "commitments_missed" in {s["kind"] for r in rows if r["name"] == "Casey Kowalski" for s in r["signals"]}
    row = next(r for r in rows if r["user_id"] == casey)
    signal = next(s for s in row["signals"] if s["kind"] == "commitments_missed")
    assert "2 commitments from recent check-ins not kept" in signal["reason"]
    assert "What got in the way?" in signal["reason"]


async def test_who_may_run_check_ins(seeded, manager, jordan, new_client):
    jordan_id = await user_id(manager, "Jordan Silva")
    assert (await jordan.post(f"/api/reps/{jordan_id}/checkins", json={})).status_code == 403
    assert (await jordan.get(f"/api/reps/{jordan_id}/checkin-workspace")).status_code == 403
    accounts = seeded.accounts
    team_b = (await accounts.create_team("Team B", [])).id
    boss = await accounts.create_user(email="boss-b@example.test", name="Blake Boss", password="pass-b-2026-x",
                                      role="manager", team_id=team_b, time_zone="UTC")
    await accounts.update_team(team_b, name=None, manager_ids=[boss])
    b = new_client()
    await b.login("boss-b@example.test", "pass-b-2026-x")
    cid = (await manager.post(f"/api/reps/{jordan_id}/checkins", json={})).json()["id"]
    for path in [f"/api/reps/{jordan_id}/checkin-workspace", f"/api/checkins/{cid}",
                 f"/api/reps/{jordan_id}/timeline", f"/api/reps/{jordan_id}/commitments",
                 f"/api/reps/{jordan_id}/checkin-schedule"]:
        assert (await b.get(path)).status_code == 404, path
    assert (await b.post(f"/api/reps/{jordan_id}/checkins", json={})).status_code == 404
    assert (await b.post(f"/api/checkins/{cid}/notes", json={"body": "hi"})).status_code == 404


# ----------------------------------------------------------------------------- schedule and self-coaching
async def test_the_check_in_rhythm_is_agreed_and_visible_to_both(seeded, manager, jordan):
    newcomer = await seeded.accounts.create_user(email="new@example.test", name="Noa New", password="pass-new-2026",
                                                 role="rep", team_id=1, time_zone="Europe/Berlin")
    default = (await manager.get(f"/api/reps/{newcomer}/checkin-schedule")).json()
    assert not default["agreed"] and default["weekdays"] == [3] and default["time"] == "14:00"
    assert default["next_words"] == "Thursday 26 Nov, 14:00" and default["rhythm_preference"] == "not answered yet"
    jordan_id = await user_id(manager, "Jordan Silva")
    agreed = (await jordan.get(f"/api/reps/{jordan_id}/checkin-schedule")).json()  # the demo's: Tuesdays 15:00
    assert agreed["agreed"] and agreed["next_words"] == "Tuesday 1 Dec, 15:00"
    assert agreed["rhythm_preference"] == "not_sure" and agreed["time_zone"] == "America/New_York"
    changed = await manager.put(f"/api/reps/{jordan_id}/checkin-schedule", json={"weekdays": [4, 4], "time": "09:30"})
    assert changed.status_code == 200 and changed.json()["weekdays"] == [4] and changed.json()["set_by"] == \
        "Morgan Manager"
    assert (await jordan.get(f"/api/reps/{jordan_id}/checkin-schedule")).json()["next_words"] == \
        "Friday 27 Nov, 09:30"
    assert (await jordan.put(f"/api/reps/{jordan_id}/checkin-schedule",
                             json={"weekdays": [2], "time": "10:00"})).status_code == 403
    assert (await manager.put(f"/api/reps/{jordan_id}/checkin-schedule",
                              json={"weekdays": [], "time": "10:00"})).status_code == 400
    assert (await manager.put(f"/api/reps/{jordan_id}/checkin-schedule",
                              json={"weekdays": [2], "time": "25:00"})).status_code == 400


async def test_self_coaching_prompts_come_one_at_a_time_from_an_editable_library(manager, jordan):
    prompt = (await jordan.get("/api/me/self-coaching?trigger=setback")).json()
    assert prompt["trigger"] == "setback" and prompt["text"].endswith(("?", "."))
    assert (await jordan.get("/api/me/self-coaching?trigger=setback")).json() == prompt  # stable within a day
    assert (await jordan.get("/api/me/self-coaching?trigger=other")).status_code == 400
    assert (await manager.get("/api/me/self-coaching?trigger=setback")).status_code == 403
    added = await manager.post("/api/teams/1/self-coaching", json={
        "text": "What would you tell a new colleague after this visit?", "trigger": "setback",
        "client_key": "prompt-0001"})
    assert added.status_code == 201 and added.json()["source"] == "team"
    listed = (await manager.get("/api/teams/1/self-coaching")).json()
    assert listed[0]["id"] == added.json()["id"] and {p["trigger"] for p in listed} == {"setback", "behind"}
    assert (await jordan.get("/api/teams/1/self-coaching")).status_code == 403
    assert (await manager.delete("/api/self-coaching/lib-setback-1")).status_code == 422
    assert (await manager.delete(f"/api/self-coaching/{added.json()['id']}")).status_code == 204


async def test_private_notes_stay_with_the_manager_who_wrote_them(seeded, manager, new_client):
    """A rep who moves to another team: the new manager sees the history, not the old
    manager's private notes."""
    jordan_id = await user_id(manager, "Jordan Silva")
    cid = (await manager.post(f"/api/reps/{jordan_id}/checkins", json={})).json()["id"]
    await manager.post(f"/api/checkins/{cid}/notes", json={"body": "Private: worried about burnout"})
    await manager.post(f"/api/checkins/{cid}/notes", json={"body": "Shared: mornings for calls", "shared": True})
    await manager.post(f"/api/checkins/{cid}/close")
    accounts = seeded.accounts
    team_b = (await accounts.create_team("Team B", [])).id
    boss = await accounts.create_user(email="boss-b@example.test", name="Blake Boss", password="pass-b-2026-x",
                                      role="manager", team_id=team_b, time_zone="UTC")
    await accounts.update_team(team_b, name=None, manager_ids=[boss])
    admin = new_client()
    await admin.login("admin@demo.test")
    assert (await admin.patch(f"/api/users/{jordan_id}", json={"team_id": team_b})).status_code == 200
    b = new_client()
    await b.login("boss-b@example.test", "pass-b-2026-x")
    seen = await b.get(f"/api/checkins/{cid}")
    assert seen.status_code == 200 and "Shared: mornings" in seen.text and "burnout" not in seen.text
    assert "burnout" not in (await b.get(f"/api/reps/{jordan_id}/timeline")).text


async def test_a_private_note_is_its_authors_alone_on_every_route(seeded, manager, new_client):
    """Issue 14: a second manager of the team and an admin could read a private note with
    PATCH /api/checkin-notes/{id} `{}`, share it with the rep or overwrite it. A private
    note answers them like a note that does not exist, on every route."""
    jordan_id = await user_id(manager, "Jordan Silva")
    morgan = (await manager.get("/api/me")).json()["id"]
    accounts = seeded.accounts
    co_id = await accounts.create_user(email="co@example.test", name="Robin Co", password="pass-co-2026-x",
                                       role="manager", team_id=1, time_zone="UTC")
    await accounts.update_team(1, name=None, manager_ids=[morgan, co_id])
    co = new_client()
    await co.login("co@example.test", "pass-co-2026-x")
    admin = new_client()
    await admin.login("admin@demo.test")
    jordan = new_client()
    await jordan.login("rep3@demo.test")

    cid = (await manager.post(f"/api/reps/{jordan_id}/checkins", json={})).json()["id"]
    private = (await manager.post(f"/api/checkins/{cid}/notes", json={
        "body": "Private: worried about burnout", "client_key": "note-private-co"})).json()
    shared = (await manager.post(f"/api/checkins/{cid}/notes", json={
        "body": "Shared: mornings for calls", "shared": True})).json()
    missing = await co.patch("/api/checkin-notes/999999", json={"shared": True})
    assert missing.status_code == 404

    async def nothing_leaks(client) -> None:
        for path in (f"/api/checkins/{cid}", f"/api/reps/{jordan_id}/timeline",
                     f"/api/reps/{jordan_id}/checkin-workspace"):
            response = await client.get(path)
            assert response.status_code == 200 and "burnout" not in response.text, path
            assert "Shared: mornings" in response.text, path

    for other in (co, admin):
        await nothing_leaks(other)
        for body in ({"shared": True}, {"body": "Overwritten by someone else"}, {"shared": False}):
            denied = await other.patch(f"/api/checkin-notes/{private['id']}", json=body)
            # The same answer as for a note that does not exist: nothing confirms it is there.
            assert (denied.status_code, denied.json()) == (404, missing.json()), denied.text
        empty = await other.patch(f"/api/checkin-notes/{private['id']}", json={})
        assert empty.status_code == 422 and "burnout" not in empty.text
        replay = await other.post(f"/api/checkins/{cid}/notes", json={"body": "x", "client_key": "note-private-co"})
        assert replay.status_code == 422 and "burnout" not in replay.text
    # A shared note stays the team's: a co-manager may still edit it.
    edited = await co.patch(f"/api/checkin-notes/{shared['id']}", json={"body": "Shared: mornings for calls, 8-10"})
    assert edited.status_code == 200 and edited.json()["body"] == "Shared: mornings for calls, 8-10"

    await manager.post(f"/api/checkins/{cid}/close")
    for other in (co, admin):
        denied = await other.patch(f"/api/checkin-notes/{private['id']}", json={
            "shared": True, "reason": "The rep should see this"})
        assert (denied.status_code, denied.json()) == (404, missing.json())
        await nothing_leaks(other)
    # Nothing changed: the author still has it, private and unedited; the rep never saw it.
    mine = (await manager.get(f"/api/checkins/{cid}")).json()
    assert [(n["body"], n["shared"], n["edited_at"]) for n in mine["notes"] if n["id"] == private["id"]] == [
        ("Private: worried about burnout", False, None)]
    assert "burnout" not in (await jordan.get(f"/api/checkins/{cid}")).text

    # `{}` changes nothing, so it is refused even for the author; a patch that repeats
    # what is there is a no-op: 200, and no audit entry either way.
    empty = await manager.patch(f"/api/checkin-notes/{private['id']}", json={})
    assert empty.status_code == 422 and "Nothing to change" in empty.json()["detail"]
    assert (await manager.patch(f"/api/checkin-notes/{private['id']}", json={"reason": "Only a reason"})).status_code \
        == 422
    same = await manager.patch(f"/api/checkin-notes/{private['id']}", json={"shared": False, "reason": "No change"})
    assert same.status_code == 200 and same.json()["edited_at"] is None
    assert (await manager.get(f"/api/checkins/{cid}")).json()["edits"] == []
    # The author may still change it, with a reason, into the audit trail.
    changed = await manager.patch(f"/api/checkin-notes/{private['id']}", json={
        "body": "Private: check workload", "reason": "Kinder wording"})
    assert changed.status_code == 200
    assert [e["reason"] for e in (await manager.get(f"/api/checkins/{cid}")).json()["edits"]] == ["Kinder wording"]
    assert (await co.get(f"/api/checkins/{cid}")).json()["edits"] == []


# ----------------------------------------------------------------------------- migrations
async def _as_before_per_owner_ids(db) -> None:
    """The reflections table as coaching's migrations before 2026-12-04T19:20 left it: the
    id unique across every rep (as `followthrough migrate` made it on both engines)."""
    from tests.conftest import IS_POSTGRES

    if IS_POSTGRES:
        await db.run_ddl("DROP INDEX reflections_user_uid")
        await db.run_ddl("ALTER TABLE reflections ADD CONSTRAINT reflections_uid_key UNIQUE (uid)")
        return
    ddl = (await db.run_ddl("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'reflections'"))[0]["sql"]
    indexes = await db.run_ddl("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'reflections'"
                               " AND sql IS NOT NULL AND name != 'reflections_user_uid'")
    old = ddl.replace('"uid" VARCHAR(36) NOT NULL', '"uid" VARCHAR(36) UNIQUE NOT NULL', 1)
    assert old != ddl, ddl
    async with db.transaction():
        await db.run_ddl(old.replace('CREATE TABLE "reflections"', 'CREATE TABLE "reflections_old"', 1))
        await db.run_ddl('INSERT INTO "reflections_old" SELECT * FROM "reflections"')
        await db.run_ddl('DROP TABLE "reflections"')
        await db.run_ddl('ALTER TABLE "reflections_old" RENAME TO "reflections"')
        for index in indexes:
            await db.run_ddl(index["sql"])


async def test_the_per_owner_id_migration_keeps_every_reflection(db, jordan):
    """Reflection ids per rep (coaching 2026-12-04T19:20), run on a database that holds
    reflections (the demo's and one synced): every row is kept as it was, and afterwards an
    id is unique per rep only."""
    import sqlite3

    import asyncpg

    from backend.cli import _migrate
    from backend.coaching.piccolo_migrations.coaching_2026_12_04t19_20_00_000000 import ID

    phone = Device(jordan, time_zone="America/New_York")
    phone.raw("reflection.upsert", str(uuid.uuid4()), reflection())
    assert [r["status"] for r in (await phone.push()).json()["results"]] == ["applied"]
    await _as_before_per_owner_ids(db)
    await db.run_ddl(f"DELETE FROM migration WHERE app_name = 'coaching' AND name = '{ID}'")
    before = await db.run_ddl("SELECT * FROM reflections ORDER BY id")
    assert len({row["user"] for row in before}) >= 2, before
    taken, other = before[0], next(row for row in before if row["user"] != before[0]["user"])
    duplicate = ("INSERT INTO reflections (uid, \"user\", week_start, updated_at)"
                 " VALUES ('{uid}', {user}, '2026-10-05', '2026-10-05T00:00:00+00:00')")
    refused = (sqlite3.IntegrityError, asyncpg.UniqueViolationError)
    with pytest.raises(refused):  # the old schema: one id across all reps
        await db.run_ddl(duplicate.format(uid=taken["uid"], user=other["user"]))

    await _migrate()
    assert [dict(row) for row in await db.run_ddl("SELECT * FROM reflections ORDER BY id")] == [
        dict(row) for row in before]
    assert [row["name"] for row in await db.run_ddl(f"SELECT name FROM migration WHERE name = '{ID}'")] == [ID]
    await db.run_ddl(duplicate.format(uid=taken["uid"], user=other["user"]))  # another rep's id: fine
    with pytest.raises(refused):  # still one reflection per id for a rep
        await db.run_ddl(duplicate.format(uid=taken["uid"], user=taken["user"]).replace("2026-10-05'", "2026-09-28'"))
