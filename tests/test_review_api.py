"""Manager review through the API on the demo data: the team screen's signals, the drill-
down, kudos, coaching questions, thresholds, the scrum's privacy, CSV export; and who may
see what (a manager of team A gets nothing of team B)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

# The frozen clock stands at Wednesday 2026-11-25 09:00 UTC.
THIS_WEEK = "2026-11-23"
LAST_WEEK = "2026-11-16"


@pytest.fixture
async def other_team(seeded):
    """Team B: its own manager and rep."""
    accounts = seeded.accounts
    team_id = (await accounts.create_team("Team B", [])).id
    manager_id = await accounts.create_user(email="boss-b@example.test", name="Blake Boss", password="pass-b-2026-x",
                                            role="manager", team_id=team_id, time_zone="Europe/Paris")
    await accounts.update_team(team_id, name=None, manager_ids=[manager_id])
    rep_id = await accounts.create_user(email="rep-b@example.test", name="Robin B", password="pass-b-2026-x",
                                        role="rep", team_id=team_id, time_zone="Europe/Paris")
    return {"team_id": team_id, "manager_id": manager_id, "rep_id": rep_id}


async def rep_ids(client) -> dict[str, int]:
    rows = (await client.get("/api/teams/1/review")).json()["rows"]
    return {r["name"]: r["user_id"] for r in rows}


def strings(value) -> list[str]:
    """Every text in a JSON body (what a screen could show), without its keys."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return [value] if isinstance(value, str) else []


def kinds(row: dict) -> set[str]:
    return {s["kind"] for s in row["signals"]}


# ----------------------------------------------------------------------------- the team screen
async def test_the_team_screen_shows_who_needs_a_conversation_and_who_deserves_kudos(manager):
    response = await manager.get("/api/teams/1/review")
    assert response.status_code == 200, response.text
    review = response.json()
    assert review["week_start"] == THIS_WEEK and review["current"] and review["team_name"] == "Demo team"
    rows = {r["name"]: r for r in review["rows"]}
    rows_by_id = {r["user_id"]: r["name"] for r in review["rows"]}
    assert len(rows) == 6
    assert "silent" in kinds(rows["Sam Okafor"])
    assert "No activity logged for 3 working days" in next(
        s["reason"] for s in rows["Sam Okafor"]["signals"] if s["kind"] == "silent")
    casey = rows["Casey Kowalski"]
    assert casey["pending_sync"] and casey["pending_sync_reason"] == "2 logs waiting on a device to sync."
    assert "behind_pace" not in kinds(casey) and "low_quality" in kinds(casey)  # pending sync, never "off plan"
    assert {"not_sure", "no_plan"} <= kinds(rows["Jordan Silva"])
    assert {"not_sure", "no_plan", "most_improved"} <= kinds(rows["Avery Patel"])
    assert "streak_milestone" in kinds(rows["Taylor Nguyen"]) and rows["Taylor Nguyen"]["streak"] == 3
    assert "conversion_drop" in kinds(rows["Riley Fischer"])
    # A realistic triage: the few worth a conversation now, the rest to watch or praise.
    assert review["needs_conversation"] == len(review["talk_first"]) == 2 and review["pending_sync"] == 1
    assert [rows_by_id[uid] for uid in review["talk_first"]] == ["Sam Okafor", "Riley Fischer"]
    assert review["kudos_first"] and all(rows_by_id[uid] != "Avery Patel" for uid in review["kudos_first"])  # sent
    assert review["watch"] >= 2 and casey["attention"] == "pending"
    # Every signal says why, in words.
    assert all(s["reason"].endswith((".", "?")) for r in review["rows"] for s in r["signals"])
    # Plan vs actual per type, last sync, devices.
    taylor = rows["Taylor Nguyen"]
    assert [p["name"] for p in taylor["progress"]] == ["Call", "Visit", "Meeting", "Proposal", "Follow-up"]
    assert taylor["devices"] and taylor["last_sync_at"] and taylor["plan_status"] == "committed"
    # Sorted by who needs attention first: who to talk to, pending sync, kudos, watch, the rest.
    order = ["talk", "pending", "kudos", "watch", "ok"]
    attentions = [r["attention"] for r in review["rows"]]
    assert attentions == sorted(attentions, key=order.index) and attentions[0] == "talk"


async def test_the_week_picker_looks_back_and_refuses_bad_weeks(manager):
    last = (await manager.get(f"/api/teams/1/review?week={LAST_WEEK}")).json()
    assert last["week_start"] == LAST_WEEK and not last["current"]
    rows = {r["name"]: r for r in last["rows"]}
    # Casey's phone synced after last week ended: her two waiting logs are this week's.
    assert not rows["Casey Kowalski"]["pending_sync"] and last["pending_sync"] == 0
    assert "plan_met" in kinds(rows["Taylor Nguyen"])  # a finished week on plan
    assert rows["Taylor Nguyen"]["plan_status"] == "acknowledged"
    for week, status, words in [
        ("2026-11-24", 422, "is not a Monday"),
        ("2026-11-30", 422, "has not started yet"),
        ("2024-11-18", 422, "Reviews go back 104 weeks"),
        ("23-11-2026", 400, "week"),
    ]:
        response = await manager.get(f"/api/teams/1/review?week={week}")
        assert response.status_code == status, (week, response.text)
        assert words in response.json()["detail"] or words in str(response.json().get("extra"))


async def test_a_rep_who_joined_today_is_welcomed_not_flagged_and_absent_before(seeded, manager, new_client):
    """Invited on Wednesday: no "gone quiet" or "no plan" on day one, a first-week welcome
    instead, and no row at all in the weeks before they joined."""
    await seeded.accounts.create_user(email="new@demo.test", name="Noa New", password="a-long-new-pass-2026",
                                      role="rep", team_id=1, time_zone="Europe/Berlin")
    review = (await manager.get("/api/teams/1/review")).json()
    noa = next(r for r in review["rows"] if r["name"] == "Noa New")
    assert kinds(noa) & {"silent", "no_plan", "behind_pace"} == set()
    welcome = next(s for s in noa["signals"] if s["kind"] == "new_rep")
    assert welcome["reason"] == "New on the team since Wed 25 Nov: welcome them and set up a first plan together."
    last = (await manager.get(f"/api/teams/1/review?week={LAST_WEEK}")).json()
    assert "Noa New" not in {r["name"] for r in last["rows"]} and len(last["rows"]) == 6
    refused = await manager.get(f"/api/reps/{noa['user_id']}/review?week={LAST_WEEK}")
    assert refused.status_code == 422 and "joined on 2026-11-25" in refused.json()["detail"]
    checkin = await manager.get(f"/api/reps/{noa['user_id']}/checkin-workspace?week={LAST_WEEK}")
    assert checkin.status_code == 422 and "joined on 2026-11-25" in checkin.json()["detail"]
    scrum = (await manager.get(f"/api/teams/1/scrum?week={LAST_WEEK}")).json()
    assert len(scrum["cards"]) + scrum["hidden"] == 6  # the six demo reps, not Noa
    # Two working days later, still nothing logged: now it is worth a word.
    from backend.core import clock

    clock.set_clock(lambda: datetime(2026, 11, 27, 15, 0, tzinfo=UTC))
    later = (await manager.get("/api/teams/1/review")).json()
    noa = next(r for r in later["rows"] if r["name"] == "Noa New")
    silent = next(s for s in noa["signals"] if s["kind"] == "silent")
    assert silent["reason"] == "Nothing logged in 2 working days since joining on Wed 25 Nov."


async def test_thresholds_are_the_teams_to_tune(manager):
    defaults = (await manager.get("/api/teams/1/review-settings")).json()
    assert defaults["silent_working_days"] == 2 and defaults["streak_milestones"] == [3, 5, 8, 12, 26, 52]
    tuned = await manager.patch("/api/teams/1/review-settings", json={"silent_working_days": 4,
                                                                      "streak_milestones": [4, 2, 2]})
    assert tuned.status_code == 200, tuned.text
    assert tuned.json()["silent_working_days"] == 4 and tuned.json()["streak_milestones"] == [2, 4]
    rows = {r["name"]: r for r in (await manager.get("/api/teams/1/review")).json()["rows"]}
    assert "silent" not in kinds(rows["Sam Okafor"])  # 3 quiet days no longer count
    assert "streak_milestone" not in kinds(rows["Taylor Nguyen"])
    incoherent = await manager.patch("/api/teams/1/review-settings", json={"behind_share_autonomy": 0.95})
    assert incoherent.status_code == 422 and "behind_share" in incoherent.json()["extra"]
    out_of_range = await manager.patch("/api/teams/1/review-settings", json={"quality_share_min": 1.5})
    assert out_of_range.status_code == 400 and "quality_share_min" in out_of_range.json()["extra"]
    assert (await manager.get("/api/teams/1/review-settings")).json()["behind_share_autonomy"] == 0.6  # unchanged


# ----------------------------------------------------------------------------- the drill-down
async def test_the_drill_down_names_the_weak_stage_and_suggests_questions(manager):
    riley = (await rep_ids(manager))["Riley Fischer"]
    response = await manager.get(f"/api/reps/{riley}/review")
    assert response.status_code == 200, response.text
    drill = response.json()
    funnel = drill["funnel"]
    assert [s["from_name"] for s in funnel["stages"]] == ["Call", "Meeting", "Proposal"]
    assert funnel["weakest"] == 1 and funnel["summary"].startswith("Meetings turn into proposals at ")
    assert "the team's median is" in funnel["summary"]
    assert drill["gaps"][0]["kind"] == "weak_conversion"
    assert 2 <= len(drill["questions"]) <= 3
    assert all("{" not in q["text"] for q in drill["questions"])  # stage names filled in
    assert any("meetings" in q["text"] for q in drill["questions"])
    assert {m["name"] for m in drill["mix"]} == {"Call", "Visit", "Meeting", "Proposal", "Follow-up"}
    assert len(drill["trends"]) == 5 and all(len(t["points"]) == 12 for t in drill["trends"])
    assert drill["trends"][0]["points"][-1]["week_start"] == THIS_WEEK
    assert len(drill["quality"]) == 12 and drill["recent"] and drill["recent"][0]["occurred_at"]
    assert drill["plan"]["status"] == "committed" and drill["plan"]["revisions"]


async def test_the_drill_down_shows_each_rep_as_the_team_screen_does(manager):
    """The drill-down works out only its rep's week: the same row as on the team screen,
    signals (most improved among the whole team) included."""
    for week in (THIS_WEEK, LAST_WEEK):
        rows = (await manager.get(f"/api/teams/1/review?week={week}")).json()["rows"]
        assert any("most_improved" in kinds(r) for r in rows) or week == LAST_WEEK
        for row in rows:
            drill = (await manager.get(f"/api/reps/{row['user_id']}/review?week={week}")).json()
            assert drill["row"] == row, (week, row["name"])


async def test_team_card_drill_down_and_check_in_read_one_diagnosis(manager):
    """The same rep-week says the same thing wherever the manager looks: the silent rep is
    coached about going quiet everywhere, never "doing well: room to grow"."""
    review = (await manager.get("/api/teams/1/review")).json()
    for row in review["rows"]:
        drill = (await manager.get(f"/api/reps/{row['user_id']}/review")).json()
        workspace = (await manager.get(f"/api/reps/{row['user_id']}/checkin-workspace")).json()
        for other in (drill["row"], workspace["row"]):
            assert {k: other[k] for k in ("attention", "why", "question", "signals", "pending_sync")} == \
                {k: row[k] for k in ("attention", "why", "question", "signals", "pending_sync")}
        assert drill["questions"] == workspace["questions"] and drill["gaps"] == workspace["gaps"]
        if row["attention"] == "talk":
            assert drill["questions"][0]["text"] == row["question"]
            strongest = drill["gaps"][0]["reason"]
            assert strongest == row["why"]
        if row["attention"] == "pending":
            assert drill["gaps"][0]["kind"] == "pending_sync"
    sam = next(r for r in review["rows"] if r["name"] == "Sam Okafor")
    drill = (await manager.get(f"/api/reps/{sam['user_id']}/review")).json()
    # Each ratio says its window: the funnel's 8 finished weeks, the drop's last 2 against the 8 before.
    assert drill["funnel"]["window"] == ("Conversion over the 8 finished weeks 28 Sep – 22 Nov, next to the team's "
                                         "median. A conversion drop on the team screen compares the last 2 finished "
                                         "weeks with the 8 before them.")
    assert drill["gaps"][0]["kind"] == "silent" and "growth" not in {g["kind"] for g in drill["gaps"]}
    assert all(q["gap"] != "growth" for q in drill["questions"])
    # The scrum's wrap-up names, among the reps on the shared screen, exactly those to talk to.
    scrum = (await manager.get("/api/teams/1/scrum")).json()
    named = {c["display_name"] for c in scrum["cards"]}
    talk = {r["name"] for r in review["rows"] if r["attention"] == "talk"}
    assert set(scrum["wrap_up"]["needs_help"]) == talk & named and talk & named


async def test_a_rep_sees_only_their_own_drill_down(seeded, client, new_client, manager):
    ids = await rep_ids(manager)
    rep = new_client()
    await rep.login("rep1@demo.test")
    own = await rep.get(f"/api/reps/{ids['Riley Fischer']}/review")
    assert own.status_code == 200 and own.json()["name"] == "Riley Fischer"
    other = await rep.get(f"/api/reps/{ids['Sam Okafor']}/review")
    assert other.status_code == 404 and "Sam" not in other.text
    assert (await rep.get("/api/teams/1/review")).status_code == 403
    assert (await rep.get("/api/teams/1/scrum")).status_code == 403


async def test_a_manager_of_team_a_gets_nothing_of_team_b(manager, other_team, new_client):
    b = new_client()
    await b.login("boss-b@example.test", "pass-b-2026-x")
    ids = await rep_ids(manager)
    for path in ["/api/teams/1/review", "/api/teams/1/scrum", "/api/teams/1/review-settings",
                 "/api/teams/1/coaching-questions", f"/api/reps/{ids['Riley Fischer']}/review",
                 f"/api/kudos?user_id={ids['Riley Fischer']}",
                 "/api/export/activities?team_id=1&from=2026-11-01&to=2026-11-30",
                 f"/api/export/activities?user_id={ids['Riley Fischer']}&from=2026-11-01&to=2026-11-30"]:
        response = await b.get(path)
        assert response.status_code == 404, (path, response.text)
        assert "Riley" not in response.text
    kudos = await b.post("/api/kudos", json={"user_id": ids["Riley Fischer"], "message": "Nice"})
    assert kudos.status_code == 404
    assert (await manager.get(f"/api/reps/{other_team['rep_id']}/review")).status_code == 404
    own = (await b.get(f"/api/teams/{other_team['team_id']}/review")).json()
    assert [r["name"] for r in own["rows"]] == ["Robin B"]


# ----------------------------------------------------------------------------- kudos
async def test_kudos_reach_the_rep_once_and_show_in_their_history(seeded, manager, new_client, monkeypatch):
    pushed = []

    async def notify(user_id, payload, topic):
        pushed.append((user_id, payload, topic))

    monkeypatch.setattr(seeded.review, "notify", notify)
    taylor = (await rep_ids(manager))["Taylor Nguyen"]
    body = {"user_id": taylor, "message": "  Three weeks  on plan, well done! ", "signal": "streak_milestone",
            "client_key": "kudos-test-0001"}
    first = await manager.post("/api/kudos", json=body)
    assert first.status_code == 201, first.text
    kudos = first.json()
    assert kudos["message"] == "Three weeks on plan, well done!" and kudos["reason"] == "3 weeks in a row on plan."
    assert kudos["from_name"] == "Morgan Manager" and kudos["week_start"] == THIS_WEEK and kudos["seen_at"] is None
    again = await manager.post("/api/kudos", json=body)  # a retried tap
    assert again.status_code == 200 and again.json()["id"] == kudos["id"]
    assert len(pushed) == 1 and pushed[0][0] == taylor and pushed[0][1]["url"] == "/history#kudos"
    row = next(r for r in (await manager.get("/api/teams/1/review")).json()["rows"] if r["user_id"] == taylor)
    assert row["kudos_this_week"] == 1

    rep = new_client()
    await rep.login("rep4@demo.test")
    mine = (await rep.get("/api/kudos")).json()
    assert mine[0]["id"] == kudos["id"] and all(k["user_id"] == taylor for k in mine)  # newest first
    seen = await rep.post(f"/api/kudos/{kudos['id']}/seen")
    assert seen.status_code == 200 and seen.json()["seen_at"]
    other = new_client()
    await other.login("rep1@demo.test")
    assert (await other.get("/api/kudos")).json() == []
    assert (await other.post(f"/api/kudos/{kudos['id']}/seen")).status_code == 404
    assert (await other.get(f"/api/kudos?user_id={taylor}")).status_code == 404
    # Peers: only to teammates who chose to be named on team views (Taylor is anonymous, Sam named).
    assert (await other.post("/api/kudos", json={"user_id": taylor, "message": "hi"})).status_code == 403
    sam = (await rep_ids(manager))["Sam Okafor"]
    assert (await other.get("/api/kudos/teammates")).json() == [{"user_id": sam, "name": "Sam Okafor"}]
    assert (await manager.get("/api/kudos/teammates")).status_code == 403
    peer = await other.post("/api/kudos", json={"user_id": sam, "message": "Thanks for the referral!"})
    assert peer.status_code == 201 and peer.json()["from_name"] == "Riley Fischer"
    assert (await other.post("/api/kudos", json={"user_id": sam, "signal": "plan_met"})).status_code == 422
    drill = (await manager.get(f"/api/reps/{taylor}/review")).json()
    assert drill["kudos"][0]["id"] == kudos["id"]


async def test_bad_kudos_are_refused_and_nothing_is_stored(manager):
    taylor = (await rep_ids(manager))["Taylor Nguyen"]
    before = (await manager.get(f"/api/kudos?user_id={taylor}")).json()
    for body, status in [
        ({"user_id": taylor}, 422),  # neither a message nor a signal
        ({"user_id": taylor, "message": "x" * 281}, 400),
        ({"user_id": taylor, "message": "Ahead of time", "week_start": "2026-11-30"}, 422),
        ({"user_id": taylor, "message": "Tuesday?", "week_start": "2026-11-24"}, 422),
        ({"user_id": taylor, "message": "hi", "client_key": "bad key!"}, 400),
        ({"user_id": 999999, "message": "Who?"}, 404),
    ]:
        response = await manager.post("/api/kudos", json=body)
        assert response.status_code == status, (body, response.text)
    assert (await manager.get(f"/api/kudos?user_id={taylor}")).json() == before


# ----------------------------------------------------------------------------- coaching questions
async def test_managers_add_their_own_questions_to_the_library(manager, other_team, new_client):
    library = (await manager.get("/api/teams/1/coaching-questions")).json()
    assert {q["gap"] for q in library} == {"low_volume", "weak_conversion", "low_quality", "no_plan",
                                           "inconsistency", "growth", "silent", "new_rep", "commitments",
                                           "not_sure", "pending_sync"}
    body = {"text": "What would a great first meeting look like for you?", "gap": "weak_conversion",
            "client_key": "question-0001"}
    added = await manager.post("/api/teams/1/coaching-questions", json=body)
    assert added.status_code == 201 and added.json()["source"] == "team" and added.json()["author"] == "Morgan Manager"
    replay = await manager.post("/api/teams/1/coaching-questions", json=body)
    assert replay.status_code == 200 and replay.json()["id"] == added.json()["id"]
    duplicate = await manager.post("/api/teams/1/coaching-questions", json={**body, "client_key": "question-0002"})
    assert duplicate.status_code == 422
    assert (await manager.post("/api/teams/1/coaching-questions", json={"text": "Why?", "gap": "growth"})).status_code == 400
    listed = (await manager.get("/api/teams/1/coaching-questions")).json()
    assert listed[0]["id"] == added.json()["id"]

    b = new_client()
    await b.login("boss-b@example.test", "pass-b-2026-x")
    assert (await b.delete(f"/api/coaching-questions/{added.json()['id']}")).status_code == 404
    assert (await manager.delete("/api/coaching-questions/lib-volume-1")).status_code == 422
    assert (await manager.delete(f"/api/coaching-questions/{added.json()['id']}")).status_code == 204
    assert added.json()["id"] not in {q["id"] for q in (await manager.get("/api/teams/1/coaching-questions")).json()}


# ----------------------------------------------------------------------------- the scrum
async def test_the_scrum_shows_each_rep_only_as_they_chose(manager):
    scrum = (await manager.get("/api/teams/1/scrum")).json()
    # Named: Riley, Sam. Anonymous: Taylor. Manager only: Casey. Not sure / unanswered: Jordan,
    # Avery, who follow the team's default (anonymous until the manager changes it).
    names = [c["display_name"] for c in scrum["cards"]]
    assert names == ["Riley Fischer", "Sam Okafor", "Rep A", "Rep B", "Rep C"]
    assert scrum["hidden"] == 1 and scrum["undecided"] == 2 and scrum["default_visibility"] == "anonymous"
    anonymous = scrum["cards"][2:]
    assert all(c["anonymous"] for c in anonymous)
    assert not any(name in str(anonymous) for name in ("Taylor", "Jordan", "Avery", "Casey"))
    assert all(c["lines"] for c in scrum["cards"])

    # The manager shows undecided reps by name: Jordan and Avery are named, Casey's own
    # "manager only" and Taylor's own "anonymous" still win.
    saved = await manager.patch("/api/teams/1/plan-settings", json={"default_visibility": "named"})
    assert saved.status_code == 200 and saved.json()["default_visibility"] == "named"
    scrum = (await manager.get("/api/teams/1/scrum")).json()
    names = [c["display_name"] for c in scrum["cards"]]
    assert names == ["Avery Patel", "Jordan Silva", "Riley Fischer", "Sam Okafor", "Rep A"] and scrum["hidden"] == 1
    # Manager only: nobody undecided is on the screen; the chosen ones stay.
    await manager.patch("/api/teams/1/plan-settings", json={"default_visibility": "manager_only"})
    scrum = (await manager.get("/api/teams/1/scrum")).json()
    assert [c["display_name"] for c in scrum["cards"]] == ["Riley Fischer", "Sam Okafor", "Rep A"]
    assert scrum["hidden"] == 3
    bad = await manager.patch("/api/teams/1/plan-settings", json={"default_visibility": "not_sure"})
    assert bad.status_code == 400 and "default_visibility" in bad.text


async def test_a_new_team_of_thirty_undecided_reps_is_all_on_the_scrum(seeded, new_client):
    # Was: "30 reps chose not to be shown", and an empty scrum. Nobody chose anything.
    accounts = seeded.accounts
    team_id = (await accounts.create_team("Thirty", [])).id
    boss = await accounts.create_user(email="boss-30@example.test", name="Boss Thirty", password="pass-30-2026-x",
                                      role="manager", team_id=team_id, time_zone="Europe/Paris")
    await accounts.update_team(team_id, name=None, manager_ids=[boss])
    for n in range(30):
        await accounts.create_user(email=f"rep{n}@thirty.test", name=f"Thirty Rep {n:02}", password="pass-30-2026-x",
                                   role="rep", team_id=team_id, time_zone="Europe/Paris")
    manager = new_client()
    await manager.login("boss-30@example.test", "pass-30-2026-x")
    scrum = (await manager.get(f"/api/teams/{team_id}/scrum")).json()
    assert len(scrum["cards"]) == 30 and scrum["hidden"] == 0 and scrum["undecided"] == 30
    assert all(c["anonymous"] for c in scrum["cards"]) and "Thirty Rep" not in str(scrum["cards"])
    assert scrum["totals"]["whole_team"] and scrum["totals"]["reps"] == 30


async def test_the_scrum_says_nothing_private_on_the_shared_screen(manager):
    review = (await manager.get("/api/teams/1/review")).json()
    reasons = [s["reason"] for r in review["rows"] for s in r["signals"] if s["group"] == "conversation"]
    assert any("prefers autonomy" in r or "asked to be checked on often" in r for r in reasons)  # the 1:1 sees it
    scrum = (await manager.get("/api/teams/1/scrum")).json()
    assert all("flag" not in card for card in scrum["cards"])
    words = " ".join(strings(scrum)).lower()
    for private in ["prefers autonomy", "checked on often", "behind", "pace", "Nothing logged", "No activity",
                    "waiting on a device", "not sure", *reasons]:
        assert private.lower() not in words, private
    # Sam (silent, far behind) and Riley (conversion drop) are the team screen's "talk to first":
    # the wrap-up names them, without why.
    assert scrum["wrap_up"]["needs_help"] == ["Riley Fischer", "Sam Okafor"]


async def test_the_scrum_opens_on_the_team_against_its_plan(manager):
    review = (await manager.get("/api/teams/1/review")).json()
    rows = review["rows"]
    scrum = (await manager.get("/api/teams/1/scrum")).json()
    totals = scrum["totals"]
    # One rep (Casey) is kept off the screen: the totals less the cards would be her week,
    # so they cover the five reps on the screen only.
    assert totals["whole_team"] is False and totals["reps"] == 5
    shown = [r for r in rows if r["name"] != "Casey Kowalski"]
    expected = {}
    for row in shown:
        for p in row["progress"]:
            target, done = expected.get(p["name"], (0, 0))
            expected[p["name"]] = (target + p["target"], done + p["done_qualifying"])
    assert {line["name"]: (line["target"], line["done"]) for line in totals["lines"]} == {
        k: v for k, v in expected.items() if v != (0, 0)}
    # The cards add up to the totals.
    for line in totals["lines"]:
        assert line["done"] == sum(x["done"] for c in scrum["cards"] for x in c["lines"] if x["name"] == line["name"])
    judged = [r for r in shown if not r["pending_sync"] and any(p["target"] for p in r["progress"])]
    on_pace = [r for r in judged if not any(s["kind"] == "behind_pace" for s in r["signals"])]
    assert totals["judged"] == len(judged) and totals["on_pace"] == len(on_pace) and totals["pending"] == 0
    assert 0 < totals["on_pace"] < totals["judged"]

    # With two reps off the screen no one's week can be worked out: the totals are the team's.
    await manager.patch("/api/teams/1/plan-settings", json={"default_visibility": "manager_only"})
    totals = (await manager.get("/api/teams/1/scrum")).json()["totals"]
    assert totals["whole_team"] is True and totals["reps"] == 6 and totals["pending"] == 1  # Casey
    calls = sum(p["target"] for r in rows for p in r["progress"] if p["name"] == "Call")
    assert next(line for line in totals["lines"] if line["name"] == "Call")["target"] == calls


async def test_undecided_reps_see_the_team_default_and_their_own_choice_wins(seeded, manager, new_client):
    jordan, avery, taylor = new_client(), new_client(), new_client()
    await jordan.login("rep3@demo.test")  # answered "not sure"
    await avery.login("rep6@demo.test")  # never answered
    await taylor.login("rep4@demo.test")  # chose anonymous
    for rep in (jordan, avery):
        prefs = (await rep.get("/api/me/preferences")).json()
        assert prefs["visibility"] == "not_sure" and prefs["team_visibility"] == "anonymous"
        assert prefs["shown_as"] == "anonymous"
    # Reps read their team's default but cannot change it.
    assert (await jordan.get("/api/teams/1/plan-settings")).json()["default_visibility"] == "anonymous"
    assert (await jordan.patch("/api/teams/1/plan-settings", json={"default_visibility": "named"})).status_code == 403

    await manager.patch("/api/teams/1/plan-settings", json={"default_visibility": "named"})
    assert (await avery.get("/api/me/preferences")).json()["shown_as"] == "named"
    taylor_prefs = (await taylor.get("/api/me/preferences")).json()
    assert taylor_prefs["visibility"] == "anonymous" and taylor_prefs["shown_as"] == "anonymous"
    # The manager reads the same for a rep of theirs.
    ids = await rep_ids(manager)
    assert (await manager.get(f"/api/users/{ids['Jordan Silva']}/preferences")).json()["shown_as"] == "named"
    # Named by the team's default: teammates can send peer kudos (the same rule as the scrum).
    names = {t["name"] for t in (await taylor.get("/api/kudos/teammates")).json()}
    assert {"Jordan Silva", "Avery Patel"} <= names and "Casey Kowalski" not in names

    # Jordan chooses: his choice wins over the team's default.
    body = {k: v for k, v in (await jordan.get("/api/me/preferences")).json().items()
            if k in ("checkin_rhythm", "reminder_days", "reminder_times", "style")}
    saved = await jordan.put("/api/me/preferences", json={**body, "visibility": "manager_only"})
    assert saved.status_code == 200 and saved.json()["shown_as"] == "manager_only"
    names = [c["display_name"] for c in (await manager.get("/api/teams/1/scrum")).json()["cards"]]
    assert "Jordan Silva" not in names and "Avery Patel" in names


# ----------------------------------------------------------------------------- export
async def test_export_streams_csv_for_a_team_or_one_rep(seeded, manager, new_client):
    response = await manager.get("/api/export/activities?team_id=1&from=2026-09-28&to=2026-11-29")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="followthrough-activities-team-1-2026-09-28-2026-11-29.csv"' in response.headers[
        "content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) > 500 and {r["rep"] for r in rows} >= {"Riley Fischer", "Sam Okafor"}
    assert all("2026-09-28" <= r["local_date"] <= "2026-11-29" for r in rows)
    progress = list(csv.DictReader(io.StringIO((await manager.get(
        "/api/export/progress?team_id=1&from=2026-11-16&to=2026-11-22")).text)))
    taylor = [r for r in progress if r["rep"] == "Taylor Nguyen"]
    assert {r["week_start"] for r in taylor} == {LAST_WEEK} and all(r["met"] == "yes" for r in taylor)
    plans = list(csv.DictReader(io.StringIO((await manager.get(
        "/api/export/plans?team_id=1&from=2026-11-16&to=2026-11-29")).text)))
    assert len(plans) == 10 and "target_Call" in plans[0]  # 6 plans last week, 4 this week

    rep = new_client()
    await rep.login("rep1@demo.test")
    riley = (await rep_ids(manager))["Riley Fischer"]
    own = await rep.get(f"/api/export/activities?user_id={riley}&from=2026-11-01&to=2026-11-29")
    assert own.status_code == 200 and {r["rep"] for r in csv.DictReader(io.StringIO(own.text))} == {"Riley Fischer"}
    assert (await rep.get("/api/export/activities?team_id=1&from=2026-11-01&to=2026-11-29")).status_code == 403


async def test_export_refuses_bad_ranges(manager):
    for query, status in [
        ("team_id=1&from=2026-11-30&to=2026-11-01", 422),
        ("team_id=1&from=2025-01-01&to=2026-11-01", 422),
        ("team_id=1&user_id=3&from=2026-11-01&to=2026-11-02", 422),
        ("from=2026-11-01&to=2026-11-02", 422),
        ("team_id=1&from=2026-13-01&to=2026-11-02", 400),
    ]:
        response = await manager.get(f"/api/export/activities?{query}")
        assert response.status_code == status, (query, response.text)
    assert (await manager.get("/api/export/secrets?team_id=1&from=2026-11-01&to=2026-11-02")).status_code == 400


async def test_spreadsheet_formulas_in_notes_are_defused(seeded, manager, new_client):
    from backend.review.service import _cell

    assert _cell("=HYPERLINK(\"http://evil\")") == "'=HYPERLINK(\"http://evil\")"
    assert _cell("-5") == "-5" and _cell("+cmd") == "'+cmd" and _cell(None) == ""
