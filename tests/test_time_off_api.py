"""Declared time off through the API on the demo data: a rep or their manager marks days
away; pace spreads the week over the days left, and no screen flags a rep on time off
(team review, drill-down, check-in workspace)."""

from __future__ import annotations

import pytest

# The frozen clock stands at Wednesday 2026-11-25 09:00 UTC.
THIS_WEEK = "2026-11-23"


@pytest.fixture
async def sam(seeded, new_client):
    """Sam Okafor (Europe/London): the demo's rep who has logged nothing for 3 working days."""
    c = new_client()
    await c.login("rep2@demo.test")
    return c


async def ids_by_name(manager) -> dict[str, int]:
    rows = (await manager.get("/api/teams/1/review")).json()["rows"]
    return {r["name"]: r["user_id"] for r in rows}


def kinds(row: dict) -> set[str]:
    return {s["kind"] for s in row["signals"]}


# ----------------------------------------------------------------------------- declaring time off
async def test_a_rep_declares_lists_and_cancels_time_off(sam):
    made = await sam.post("/api/me/time-off", json={"first_day": "2026-12-07", "last_day": "2026-12-11",
                                                    "note": "  Family trip ", "client_key": "trip-dec-2026"})
    assert made.status_code == 201, made.text
    entry = made.json()
    assert entry["first_day"] == "2026-12-07" and entry["last_day"] == "2026-12-11"
    assert entry["note"] == "Family trip" and entry["created_by"] == "Sam Okafor"
    # The same client_key again (a retried request): the same entry, not a copy.
    again = await sam.post("/api/me/time-off", json={"first_day": "2026-12-07", "last_day": "2026-12-11",
                                                     "client_key": "trip-dec-2026"})
    assert again.status_code == 200 and again.json()["id"] == entry["id"]
    listed = (await sam.get("/api/me/time-off")).json()
    assert [e["id"] for e in listed] == [entry["id"]]
    assert (await sam.delete(f"/api/time-off/{entry['id']}")).status_code == 204
    assert (await sam.get("/api/me/time-off")).json() == []
    assert (await sam.delete(f"/api/time-off/{entry['id']}")).status_code == 404


async def test_bad_time_off_is_refused_clearly_and_nothing_is_stored(sam):
    await sam.post("/api/me/time-off", json={"first_day": "2026-12-07", "last_day": "2026-12-11"})
    for body, words in [
        ({"first_day": "2026-12-11", "last_day": "2026-12-07"}, "before the first"),
        ({"first_day": "2026-12-01", "last_day": "2027-02-28"}, "At most 60 days"),
        ({"first_day": "2028-01-03", "last_day": "2028-01-04"}, "up to a year ahead"),
        ({"first_day": "2024-01-03", "last_day": "2024-01-04"}, "up to a year back"),
        ({"first_day": "2026-12-10", "last_day": "2026-12-14"}, "already off Mon 7 Dec – Fri 11 Dec"),
        ({"first_day": "2026-12-04", "last_day": "2026-12-07"}, "already off"),
        ({"first_day": "2026-12-07", "last_day": "2026-12-08", "note": "x" * 141}, "note"),
        ({"first_day": "07-12-2026", "last_day": "2026-12-08"}, "first_day"),
    ]:
        response = await sam.post("/api/me/time-off", json=body)
        assert response.status_code in (400, 422), (body, response.text)
        assert words in response.text, (body, response.text)
    assert len((await sam.get("/api/me/time-off")).json()) == 1
    # The day after the entry is free to take.
    assert (await sam.post("/api/me/time-off", json={"first_day": "2026-12-12", "last_day": "2026-12-14"})
            ).status_code == 201


async def test_a_manager_adds_and_cancels_a_reps_time_off_and_nobody_else_can(seeded, manager, sam, new_client):
    ids = await ids_by_name(manager)
    sam_id = ids["Sam Okafor"]
    made = await manager.post(f"/api/reps/{sam_id}/time-off", json={"first_day": "2026-11-30", "last_day": "2026-11-30",
                                                                    "note": "Training"})
    assert made.status_code == 201 and made.json()["created_by"] == "Morgan Manager"
    # The rep sees what the manager declared, and the manager sees the rep's own entries.
    assert [e["id"] for e in (await sam.get("/api/me/time-off")).json()] == [made.json()["id"]]
    await sam.post("/api/me/time-off", json={"first_day": "2026-12-07", "last_day": "2026-12-08"})
    assert len((await manager.get(f"/api/reps/{sam_id}/time-off")).json()) == 2
    # Another rep of the team: not theirs to see or cancel.
    riley = new_client()
    await riley.login("rep1@demo.test")
    assert (await riley.get(f"/api/reps/{sam_id}/time-off")).status_code == 404
    assert (await riley.post(f"/api/reps/{sam_id}/time-off", json={"first_day": "2026-12-01",
                                                                   "last_day": "2026-12-01"})).status_code == 404
    assert (await riley.delete(f"/api/time-off/{made.json()['id']}")).status_code == 404
    # A manager has no time off of their own here: it is a rep's.
    assert (await manager.get("/api/me/time-off")).status_code == 403
    assert (await manager.delete(f"/api/time-off/{made.json()['id']}")).status_code == 204


# ----------------------------------------------------------------------------- no flag on time off
AWAY_FLAGS = {"silent", "behind_pace", "no_plan"}


async def screens(manager, user_id: int, *, away: bool = True) -> list[dict]:
    """The rep's row as the team card, the drill-down and the check-in workspace show it;
    a rep away is never on the team's "talk to these first"."""
    review = (await manager.get("/api/teams/1/review")).json()
    card = next(r for r in review["rows"] if r["user_id"] == user_id)
    drill = (await manager.get(f"/api/reps/{user_id}/review")).json()
    workspace = (await manager.get(f"/api/reps/{user_id}/checkin-workspace")).json()
    assert not away or user_id not in review["talk_first"]
    return [card, drill["row"], workspace["row"]]


async def test_a_rep_off_today_gets_no_flag_on_any_screen(manager, sam):
    ids = await ids_by_name(manager)
    before = await screens(manager, ids["Sam Okafor"], away=False)
    assert all("silent" in kinds(row) and row["attention"] == "talk" for row in before)  # the demo's quiet rep
    made = await sam.post("/api/me/time-off", json={"first_day": "2026-11-23", "last_day": "2026-11-27",
                                                    "note": "Sick"})
    assert made.status_code == 201
    for row in await screens(manager, ids["Sam Okafor"]):
        assert not any(s["group"] == "conversation" for s in row["signals"]), row["signals"]
        assert row["attention"] != "talk" and row["question"] is None
        assert row["time_off"] == row["why"] == "Off until Fri 27 Nov."


async def test_a_rep_back_from_time_off_is_not_quiet_for_the_days_away(manager, sam):
    """Off Fri 20 to Tue 24 and back this Wednesday: the days away are not quiet days, and
    the plan's pace starts today (nothing was due on the days off)."""
    ids = await ids_by_name(manager)
    await sam.post("/api/me/time-off", json={"first_day": "2026-11-20", "last_day": "2026-11-24"})
    for row in await screens(manager, ids["Sam Okafor"]):
        assert kinds(row) & AWAY_FLAGS == set(), row["signals"]
        assert row["time_off"] is None
        assert all(p["expected_by_now"] == 0 for p in row["progress"])


async def test_a_week_entirely_off_has_no_plan_to_miss(manager, new_client):
    ids = await ids_by_name(manager)
    jordan_id = ids["Jordan Silva"]
    assert all("no_plan" in kinds(row) for row in await screens(manager, jordan_id, away=False))
    made = await manager.post(f"/api/reps/{jordan_id}/time-off", json={"first_day": "2026-11-23",
                                                                       "last_day": "2026-11-27"})
    assert made.status_code == 201
    for row in await screens(manager, jordan_id):
        assert not any(s["group"] == "conversation" for s in row["signals"]), row["signals"]
        assert row["time_off"] == "Off until Fri 27 Nov."
    jordan = new_client()
    await jordan.login("rep3@demo.test")
    week = (await jordan.get("/api/weeks/current")).json()
    assert not week["missed_deadline"] and week["working_days"] == []
    assert week["days_off"] == ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"]


async def test_pace_spreads_the_week_over_the_working_days_left(manager, sam):
    """Sam's plan with Monday off: what a steady pace needs by Wednesday morning is one
    working day (Tuesday) of four, and what is left spreads over Wednesday to Friday."""
    before = (await sam.get("/api/weeks/current")).json()
    await sam.post("/api/me/time-off", json={"first_day": "2026-11-23", "last_day": "2026-11-23"})
    after = (await sam.get("/api/weeks/current")).json()
    assert after["days_off"] == ["2026-11-23"]
    assert after["working_days"] == ["2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"]
    planned = [(b, a) for b, a in zip(before["progress"], after["progress"], strict=True) if b["target"]]
    assert planned
    for b, a in planned:
        target, done = a["target"], a["done_qualifying"]
        assert b["pace"]["expected_by_now"] == target * 2 // 5  # Mon and Tue of five days
        assert a["pace"]["expected_by_now"] == target * 1 // 4  # Tue of four
        assert a["pace"]["working_days_left"] == 3
        assert a["pace"]["per_day_left"] == -(-max(target - done, 0) // 3)
    # The review's pace is the same arithmetic.
    ids = await ids_by_name(manager)
    card = (await manager.get(f"/api/reps/{ids['Sam Okafor']}/review")).json()["row"]
    expected = {p["activity_type_id"]: p["expected_by_now"] for p in card["progress"]}
    assert all(expected[a["activity_type"]["id"]] == a["pace"]["expected_by_now"] for _, a in planned)


async def test_a_phone_is_not_expected_to_sync_while_its_rep_is_away(manager, sam, frozen_clock):
    """Sam's phone last synced on Wednesday morning; off Thursday and Friday, he is not
    'pending sync' on Monday for the days he was away."""
    await sam.post("/api/me/time-off", json={"first_day": "2026-11-26", "last_day": "2026-11-27"})
    frozen_clock.now = frozen_clock.now.replace(day=30)  # Monday 30 Nov, 09:00 UTC
    ids = await ids_by_name(manager)
    row = (await manager.get(f"/api/reps/{ids['Sam Okafor']}/review")).json()["row"]
    assert not row["pending_sync"] and row["attention"] != "pending", row["pending_sync_reason"]
