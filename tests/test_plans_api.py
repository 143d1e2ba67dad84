"""The weekly plan lifecycle through the API: draft, commit, adjust with a reason,
acknowledge, comment; funnel math; preferences; team settings and expectations."""

from __future__ import annotations

import pytest

# The frozen clock stands at Wednesday 2026-11-25 09:00 UTC.
THIS_WEEK = "2026-11-23"
NEXT_WEEK = "2026-11-30"


@pytest.fixture
async def rep(client, demo, frozen_clock):
    await client.login("rep1@demo.test")
    return client


async def types_by_key(client, team_id=1) -> dict[str, dict]:
    response = await client.get(f"/api/teams/{team_id}/activity-types")
    assert response.status_code == 200, response.text
    return {t["key"]: t for t in response.json()}


async def test_teams_start_with_sensible_activity_types(rep):
    types = await types_by_key(rep)
    assert list(types) == ["call", "visit", "meeting", "proposal", "follow_up"]
    assert [types[k]["funnel_stage"] for k in ("call", "meeting", "proposal")] == [1, 2, 3]
    assert types["visit"]["funnel_stage"] is None and types["visit"]["quality_bar"]
    denied = await rep.post("/api/teams/1/activity-types", json={"name": "Demo"})
    assert denied.status_code == 403


async def test_a_rep_drafts_commits_and_adjusts_their_plan(rep, new_client):
    types = await types_by_key(rep)
    call, visit = types["call"]["id"], types["visit"]["id"]
    draft = await rep.put(f"/api/my-plans/{THIS_WEEK}", json={
        "targets": [{"activity_type_id": call, "target": 40}, {"activity_type_id": visit, "target": 8}],
        "commitments": ["Book 2 demos with existing accounts", "  "],
    })
    assert draft.status_code == 200, draft.text
    plan = draft.json()
    assert plan["status"] == "draft" and plan["commitments"] == ["Book 2 demos with existing accounts"]
    again = await rep.put(f"/api/my-plans/{THIS_WEEK}", json={
        "targets": [{"activity_type_id": visit, "target": 8}, {"activity_type_id": call, "target": 40}],
        "commitments": ["Book 2 demos with existing accounts"],
    })
    assert again.json()["revisions"] == [] and again.json()["id"] == plan["id"]  # a retry changes nothing

    committed = (await rep.post(f"/api/my-plans/{THIS_WEEK}/commit")).json()
    assert committed["status"] == "committed" and committed["version"] == 1 and committed["committed_at"]
    assert (await rep.post(f"/api/my-plans/{THIS_WEEK}/commit")).json()["version"] == 1  # idempotent

    no_reason = await rep.put(f"/api/my-plans/{THIS_WEEK}", json={"targets": [{"activity_type_id": call, "target": 30}]})
    assert no_reason.status_code == 422 and no_reason.json()["extra"] == {"reason": "Say why the plan changes."}

    manager = new_client()
    await manager.login("manager@demo.test")
    acked = (await manager.post(f"/api/plans/{plan['id']}/acknowledge")).json()
    assert acked["acknowledged_by"] == "Morgan Manager"

    adjusted = await rep.put(f"/api/my-plans/{THIS_WEEK}", json={
        "targets": [{"activity_type_id": call, "target": 30}, {"activity_type_id": visit, "target": 8}],
        "commitments": ["Book 2 demos with existing accounts"],
        "reason": "Two days at the trade fair",
    })
    body = adjusted.json()
    assert body["version"] == 2 and body["acknowledged_at"] is None  # a changed plan is re-acknowledged
    assert [(r["version"], r["reason"]) for r in body["revisions"]] == [
        (2, "Two days at the trade fair"), (1, "Committed the plan")]

    view = (await manager.get(f"/api/weeks/{THIS_WEEK}?user_id={plan['user_id']}")).json()
    assert view["plan"]["version"] == 2 and len(view["plan"]["revisions"]) == 2


async def test_plan_comments_are_a_thread_both_can_add_to_once(rep, new_client):
    types = await types_by_key(rep)
    plan = (await rep.put(f"/api/my-plans/{THIS_WEEK}", json={
        "targets": [{"activity_type_id": types["call"]["id"], "target": 10}]})).json()
    manager = new_client()
    await manager.login("manager@demo.test")
    question = {"body": "What would make 10 calls feel easy?", "client_key": "c-0001-aaaa"}
    first = await manager.post(f"/api/plans/{plan['id']}/comments", json=question)
    retry = await manager.post(f"/api/plans/{plan['id']}/comments", json=question)
    assert first.status_code == retry.status_code == 201 and first.json()["id"] == retry.json()["id"]
    await rep.post(f"/api/plans/{plan['id']}/comments", json={"body": "Blocking mornings for calls."})
    thread = (await rep.get(f"/api/weeks/{THIS_WEEK}")).json()["plan"]["comments"]
    assert [c["author"] for c in thread] == ["Morgan Manager", "Riley Fischer"]
    outsider = new_client()
    await outsider.login("rep2@demo.test")
    assert (await outsider.post(f"/api/plans/{plan['id']}/comments", json={"body": "hi"})).status_code == 404


@pytest.mark.parametrize("body,problem", [
    ({"targets": [{"activity_type_id": 1, "target": 10_000}]}, "targets"),
    ({"targets": [{"activity_type_id": 1, "target": -1}]}, "targets"),
    ({"targets": [{"activity_type_id": 999, "target": 5}]}, "targets"),
    ({"targets": [{"activity_type_id": 1, "target": 5}, {"activity_type_id": 1, "target": 6}]}, "targets"),
])
async def test_absurd_plans_are_refused_and_nothing_is_stored(rep, body, problem):
    response = await rep.put(f"/api/my-plans/{THIS_WEEK}", json=body)
    assert response.status_code in (400, 422)
    assert problem in str(response.json()["extra"]) or problem in response.json()["detail"]
    assert (await rep.get(f"/api/weeks/{THIS_WEEK}")).json()["plan"] is None


@pytest.mark.parametrize("week,why", [("2026-11-24", "Pick a Monday"), ("2026-11-16", "Only this week or next"),
                                      ("2027-01-04", "Only this week or next")])
async def test_only_this_and_next_week_can_be_planned(rep, week, why):
    response = await rep.put(f"/api/my-plans/{week}", json={"targets": []})
    assert response.status_code == 422 and why in response.json()["extra"]["week_start"]
    ok = await rep.put(f"/api/my-plans/{NEXT_WEEK}", json={"targets": []})
    assert ok.status_code == 200


async def test_committing_needs_a_target(rep):
    await rep.put(f"/api/my-plans/{THIS_WEEK}", json={"targets": [], "commitments": ["Be nice"]})
    response = await rep.post(f"/api/my-plans/{THIS_WEEK}/commit")
    assert response.status_code == 422 and "at least one" in response.json()["detail"]
    assert (await rep.post(f"/api/my-plans/{NEXT_WEEK}/commit")).status_code == 404


async def test_managers_see_only_their_reps_and_cannot_plan_for_them(client, demo, accounts, frozen_clock, new_client):
    other = await accounts.create_team("Other team", [])
    far = await accounts.create_user(email="far@x.test", name="Far", password="long-enough-pw", role="rep", team_id=other.id)
    await client.login("manager@demo.test")
    assert (await client.get(f"/api/weeks/current?user_id={far}")).status_code == 404
    assert (await client.get(f"/api/teams/{other.id}/plans")).status_code == 404
    assert (await client.put(f"/api/my-plans/{THIS_WEEK}", json={"targets": []})).status_code == 403
    far_rep = new_client()
    await far_rep.login("far@x.test", "long-enough-pw")
    types = await types_by_key(far_rep, other.id)
    plan = (await far_rep.put(f"/api/my-plans/{THIS_WEEK}", json={
        "targets": [{"activity_type_id": types["call"]["id"], "target": 5}]})).json()
    await far_rep.post(f"/api/my-plans/{THIS_WEEK}/commit")
    assert (await client.post(f"/api/plans/{plan['id']}/acknowledge")).status_code == 404
    # A rep cannot use another team's activity types either.
    mine = await types_by_key(client)
    wrong = await far_rep.put(f"/api/my-plans/{THIS_WEEK}", json={
        "targets": [{"activity_type_id": mine["call"]["id"], "target": 5}], "reason": "x"})
    assert wrong.status_code == 422


async def test_team_week_flags_missed_deadlines_and_not_sure_answers(client, demo, frozen_clock, new_client):
    rep = new_client()
    await rep.login("rep2@demo.test")
    await rep.put("/api/me/preferences", json={
        "checkin_rhythm": "not_sure", "reminder_days": [0, 2, 4], "reminder_times": ["08:30"],
        "style": "autonomy", "visibility": "not_sure"})
    types = await types_by_key(rep)
    await rep.put(f"/api/my-plans/{THIS_WEEK}", json={"targets": [{"activity_type_id": types["call"]["id"], "target": 5}]})
    await rep.post(f"/api/my-plans/{THIS_WEEK}/commit")
    await client.login("manager@demo.test")
    week = (await client.get("/api/teams/1/plans")).json()
    assert week["week_start"] == THIS_WEEK and "Monday 12:00" in week["deadline_note"]
    rows = {r["name"]: r for r in week["rows"]}
    assert len(rows) == 6
    assert rows["Sam Okafor"]["status"] == "committed" and not rows["Sam Okafor"]["missed_deadline"]
    assert rows["Sam Okafor"]["not_sure"] == ["checkin_rhythm", "visibility"]
    assert rows["Riley Fischer"]["status"] == "none" and rows["Riley Fischer"]["missed_deadline"]
    assert week["rows"][-1]["name"] == "Sam Okafor"  # who needs a nudge comes first
    next_week = (await client.get(f"/api/teams/1/plans?week={NEXT_WEEK}")).json()
    assert not any(r["missed_deadline"] for r in next_week["rows"])


async def test_week_view_shows_pace_per_activity_type(rep):
    types = await types_by_key(rep)
    await rep.put(f"/api/my-plans/{THIS_WEEK}", json={"targets": [{"activity_type_id": types["call"]["id"], "target": 10}]})
    view = (await rep.get("/api/weeks/current")).json()
    assert view["week_start"] == THIS_WEEK and view["week_end"] == "2026-11-29"
    assert view["time_zone"] == "Europe/Berlin" and len(view["working_days"]) == 5
    progress = {p["activity_type"]["key"]: p for p in view["progress"]}
    call = progress["call"]
    # Wednesday morning: Monday and Tuesday are over, nothing logged yet.
    assert call["target"] == 10 and call["done_total"] == 0
    assert call["pace"] == {"status": "behind", "expected_by_now": 4, "expected_by_end_of_today": 6.0,
                            "working_days_left": 3, "per_day_left": 4}
    assert progress["visit"]["pace"]["status"] == "no_plan"
    assert view["missed_deadline"] is True  # a draft is not a commitment


async def test_funnel_math_with_what_if_and_its_source(rep):
    goal = {"kind": "revenue", "amount": 60000, "period": "month", "avg_deal_size": 5000}
    result = (await rep.post("/api/funnel", json={"goal": goal, "on": "2026-11-25"})).json()
    # November 2026 has 21 working days (Mon–Fri) = 4.2 weeks; 12 deals.
    assert result["deals"] == 12 and result["working_weeks"] == 4.2
    assert [(s["name"], s["total"], s["weekly"], s["ratio_source"]) for s in result["stages"]] == [
        ("Call", 600, 143, "team_default"), ("Meeting", 120, 29, "team_default"), ("Proposal", 48, 12, "team_default")]
    assert "default ratios" in result["explanation"]
    meeting = result["stages"][1]["activity_type_id"]
    what_if = {**goal, "ratio_overrides": [{"activity_type_id": meeting, "ratio": 0.8}]}
    better = (await rep.post("/api/funnel", json={"goal": what_if, "on": "2026-11-25"})).json()
    assert better["stages"][1]["ratio_source"] == "override"
    assert better["stages"][0]["total"] < result["stages"][0]["total"]

    for bad in ({**goal, "avg_deal_size": None}, {**goal, "ratio_overrides": [{"activity_type_id": meeting, "ratio": 0}]},
                {**goal, "ratio_overrides": [{"activity_type_id": meeting, "ratio": 1.5}]}, {**goal, "amount": -5}):
        response = await rep.post("/api/funnel", json={"goal": bad})
        assert response.status_code in (400, 422), bad
    saved = await rep.put("/api/me/goal", json={**goal, "period": "quarter"})
    assert saved.status_code == 200 and (await rep.get("/api/me/goal")).json()["period"] == "quarter"


async def test_preferences_default_to_unanswered_and_not_sure_is_an_answer(rep):
    prefs = (await rep.get("/api/me/preferences")).json()
    assert prefs["answered"] is False and prefs["time_zone"] == "Europe/Berlin"
    saved = await rep.put("/api/me/preferences", json={
        "checkin_rhythm": "twice_weekly", "reminder_days": [4, 0, 0], "reminder_times": ["17:30", "08:00"],
        "style": "not_sure", "visibility": "anonymous", "time_zone": "Europe/Lisbon"})
    body = saved.json()
    assert body["answered"] is True and body["reminder_days"] == [0, 4] and body["reminder_times"] == ["08:00", "17:30"]
    assert body["style"] == "not_sure" and body["time_zone"] == "Europe/Lisbon"
    bad_time = await rep.put("/api/me/preferences", json={**body, "reminder_times": ["25:00"]})
    assert bad_time.status_code == 400 and "reminder_times" in bad_time.text


async def test_managers_tune_settings_types_and_expectations(client, demo, frozen_clock, new_client):
    await client.login("manager@demo.test")
    settings = (await client.patch("/api/teams/1/plan-settings", json={
        "working_days": [0, 1, 2, 3], "plan_deadline_time": "10:00", "holidays": ["2026-12-24"]})).json()
    assert settings["working_days"] == [0, 1, 2, 3] and settings["plan_deadline_time"] == "10:00"
    assert (await client.patch("/api/teams/1/plan-settings", json={"working_days": []})).status_code == 422

    demo_type = await client.post("/api/teams/1/activity-types", json={
        "name": "Demo", "icon": "screen", "quality_min": 3, "quality_bar": "Customer saw the product working"})
    assert demo_type.status_code == 201 and demo_type.json()["key"] == "demo"
    assert (await client.post("/api/teams/1/activity-types", json={"name": "demo"})).status_code == 409
    clash = await client.post("/api/teams/1/activity-types", json={"name": "Cold email", "funnel_stage": 1})
    assert clash.status_code == 409 and "stage 1" in clash.json()["detail"]
    retired = await client.put(f"/api/activity-types/{demo_type.json()['id']}", json={
        "name": "Demo", "icon": "screen", "active": False})
    assert retired.json()["active"] is False

    first = (await client.put("/api/teams/1/expectations", json={"text": "We measure calls and visits."})).json()
    second = (await client.put("/api/teams/1/expectations", json={"text": "We measure calls, visits and demos."})).json()
    assert second["text"].endswith("demos.") and [h["text"] for h in second["history"]] == [first["text"]]
    rep = new_client()
    await rep.login("rep3@demo.test")
    assert (await rep.get("/api/teams/1/expectations")).json()["author"] == "Morgan Manager"
    assert (await rep.put("/api/teams/1/expectations", json={"text": "mine"})).status_code == 403
    assert "demo" not in await types_by_key(rep)  # retired types are gone for reps
