"""The demo data a person sees after `make run`."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from backend.core import clock
from backend.demo import seed_demo
from tests.conftest import FrozenClock


async def test_demo_has_plans_history_and_varied_preferences(app, client, frozen_clock, new_client):
    await seed_demo(app.state)
    await seed_demo(app.state)  # idempotent: a second run adds nothing
    await client.login("manager@demo.test")
    this_week = date(2026, 11, 23)
    week = (await client.get("/api/teams/1/plans")).json()
    status = {r["name"]: r["status"] for r in week["rows"]}
    assert sorted(status.values()) == ["acknowledged", "acknowledged", "committed", "committed", "none", "none"]
    not_sure = {r["name"]: r["not_sure"] for r in week["rows"]}
    assert not_sure["Jordan Silva"] == ["checkin_rhythm", "style", "visibility"]
    assert not any(r["preferences_answered"] for r in week["rows"] if r["name"] == "Avery Patel")
    for weeks_ago in range(1, 9):
        past = (await client.get(f"/api/teams/1/plans?week={this_week - timedelta(weeks=weeks_ago)}")).json()
        assert all(r["status"] == "acknowledged" and r["revision_count"] == 1 for r in past["rows"])
    rep = new_client()
    await rep.login("rep1@demo.test")
    view = (await rep.get("/api/weeks/current")).json()
    assert view["plan"]["status"] == "committed" and len(view["plan"]["commitments"]) >= 1
    assert sum(p["target"] for p in view["progress"]) > 0
    assert sum(p["done_total"] for p in view["progress"]) > 0  # this week's activity so far
    last_week = (await rep.get("/api/weeks/2026-11-16")).json()
    calls = next(p for p in last_week["progress"] if p["activity_type"]["key"] == "call")
    assert 0.6 * calls["target"] <= calls["done_total"] <= 1.2 * calls["target"]
    funnel = (await rep.post("/api/funnel", json={"goal": {"kind": "deals", "amount": 10, "period": "month"}})).json()
    assert {s["ratio_source"] for s in funnel["stages"]} == {"rep_history"}  # 8 weeks of own data
    expectations = (await rep.get("/api/teams/1/expectations")).json()
    assert "What we measure" in expectations["text"] and len(expectations["history"]) == 0


# The demo story (README, backend/demo.DEMO_STORY) must hold whenever someone runs
# `make run`: each weekday of a normal week and of a week with a DST change (Europe
# falls back on Sun 25 Oct 2026 and the US on Sun 1 Nov 2026), early and late in the day
# (22:30 UTC is already tomorrow in Kolkata and still today in Chicago).
STORY_DAYS = [date(2026, 11, 23) + timedelta(days=n) for n in range(7)] + \
             [date(2026, 10, 26) + timedelta(days=n) for n in range(7)]
STORY_MOMENTS = [datetime.combine(day, at, tzinfo=UTC) for day in STORY_DAYS for at in (time(6, 0), time(22, 30))]


@pytest.mark.parametrize("moment", STORY_MOMENTS, ids=[m.strftime("%a-%Y-%m-%d-%H%M") for m in STORY_MOMENTS])
async def test_the_demo_story_holds_whatever_the_day(app, client, moment):
    clock.set_clock(FrozenClock(moment))
    await seed_demo(app.state)
    await client.login("manager@demo.test")
    review = (await client.get("/api/teams/1/review")).json()
    rows = {r["name"]: r for r in review["rows"]}
    kinds = {name: {s["kind"] for s in row["signals"]} for name, row in rows.items()}
    kudos = {name: {s["kind"] for s in row["signals"] if s["group"] == "kudos"} for name, row in rows.items()}
    reason = {(name, s["kind"]): s["reason"] for name, row in rows.items() for s in row["signals"]}

    # Riley: meetings rarely turn into proposals lately.
    assert "conversion_drop" in kinds["Riley Fischer"]
    assert reason["Riley Fischer", "conversion_drop"].startswith("Meetings turn into proposals at")
    # Sam: nothing logged for 3 working days, and nothing to praise this week.
    assert "silent" in kinds["Sam Okafor"]
    assert "No activity logged for 3 working days" in reason["Sam Okafor", "silent"]
    assert kudos["Sam Okafor"] == set()
    # Jordan and Avery: no plan this week, unsure how to be held accountable.
    for name in ("Jordan Silva", "Avery Patel"):
        assert rows[name]["plan_status"] == "none" and "not_sure" in kinds[name]
    # Taylor: three finished weeks in a row on plan.
    assert rows["Taylor Nguyen"]["streak"] == 3 and "streak_milestone" in kinds["Taylor Nguyen"]
    assert rows["Taylor Nguyen"]["plan_status"] == "committed"
    # Casey: logs waiting on her phone (pending, never "off plan"), quality slipped, commitments missed.
    casey = rows["Casey Kowalski"]
    assert casey["pending_sync"] and casey["pending_sync_reason"] == "2 logs waiting on a device to sync."
    assert {"low_quality", "commitments_missed"} <= kinds["Casey Kowalski"]
    assert "behind_pace" not in kinds["Casey Kowalski"]
    # Avery: the most improved.
    assert "most_improved" in kinds["Avery Patel"]
    assert [name for name, row in rows.items() if row["pending_sync"]] == ["Casey Kowalski"]
    # Riley and Sam committed, and their plans were acknowledged.
    assert rows["Riley Fischer"]["plan_status"] == rows["Sam Okafor"]["plan_status"] == "acknowledged"
    # Last week's kudos are there for Taylor; Avery's arrived an hour ago.
    assert rows["Avery Patel"]["kudos_this_week"] == 1
    # The triage is a realistic team's: two or three reps first, Sam first (silent), Riley
    # (meetings stopped turning into proposals) among them; Casey pending, never flagged.
    first = [next(n for n, r in rows.items() if r["user_id"] == uid) for uid in review["talk_first"]]
    assert 2 <= len(first) <= 3 and first[0] == "Sam Okafor" and "Riley Fischer" in first
    assert review["needs_conversation"] == len(first)
    assert rows["Sam Okafor"]["why"] == reason["Sam Okafor", "silent"] and rows["Sam Okafor"]["question"]
    assert casey["attention"] == "pending" and casey["why"] == casey["pending_sync_reason"]
    assert all(s["severity"] == "watch" for s in casey["signals"] if s["group"] == "conversation")
    assert {rows[n]["attention"] for n in ("Jordan Silva", "Avery Patel")} <= {"watch", "kudos"}
