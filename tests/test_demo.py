"""The demo data a person sees after `make run`."""

from __future__ import annotations

from datetime import date, timedelta

from backend.demo import seed_demo


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
