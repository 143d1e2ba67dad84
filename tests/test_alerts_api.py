"""Manager alerts through the API and the reminder scheduler (SQLite, and PostgreSQL with
TEST_DATABASE_URL): choices, the pace check read from the review, event digests from the
outbox, the inbox with unread state, pushes once across two schedulers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from backend.alerts.tables import AlertEvent, ManagerAlert
from backend.reminders.tables import ReminderSend
from tests.sync_device import Device
from tests.test_reminders import Browser, push_service  # noqa: F401 - the fake push service fixture

MONDAY = "2026-11-23"
SETTINGS = {"pace": True, "pace_weekday": 2, "pace_time": "11:00", "plans": True, "reflections": True,
            "help": True, "commitments": True, "digest_days": [0, 1, 2, 3, 4], "digest_time": "13:00"}


async def signed_in(new_client, email: str):
    client = new_client()
    await client.login(email)
    return client


async def test_defaults_then_the_managers_own_choice_and_clear_refusals(client, demo, frozen_clock):
    await client.login("manager@demo.test")
    defaults = (await client.get("/api/me/alert-settings")).json()
    assert defaults == {**SETTINGS, "time_zone": "Europe/Berlin", "saved": False}
    chosen = {**SETTINGS, "pace_weekday": 3, "pace_time": "09:30", "plans": False, "digest_days": [4, 0, 0]}
    saved = (await client.put("/api/me/alert-settings", json=chosen)).json()
    assert saved == {**chosen, "digest_days": [0, 4], "time_zone": "Europe/Berlin", "saved": True}
    assert (await client.get("/api/me/alert-settings")).json() == saved

    no_days = await client.put("/api/me/alert-settings", json={**SETTINGS, "digest_days": []})
    assert no_days.status_code == 422 and "digest_days" in no_days.json()["extra"]
    bad_time = await client.put("/api/me/alert-settings", json={**SETTINGS, "pace_time": "25:00"})
    assert bad_time.status_code == 400 and "pace_time" in bad_time.text
    assert (await client.get("/api/me/alert-settings")).json() == saved  # nothing half-written
    # Only the digest's kinds need a day: the pace check alone is fine.
    alone = {**SETTINGS, "plans": False, "reflections": False, "help": False, "commitments": False, "digest_days": []}
    assert (await client.put("/api/me/alert-settings", json=alone)).status_code == 200

    await client.login("rep1@demo.test")
    assert (await client.get("/api/me/alert-settings")).status_code == 403
    assert (await client.get("/api/me/alerts")).status_code == 403


async def test_the_pace_check_lists_who_the_review_says_is_behind_once_at_the_chosen_local_time(
        seeded, new_client, push_service, frozen_clock, app):  # noqa: F811
    manager = await signed_in(new_client, "manager@demo.test")
    browser = Browser()
    assert (await manager.post("/api/push/subscriptions", json=browser.subscription())).status_code == 200
    # Only the pace check: Wednesday 11:00 in Berlin is 10:00 UTC.
    await manager.put("/api/me/alert-settings", json={**SETTINGS, "plans": False, "reflections": False,
                                                      "help": False, "commitments": False})
    reminders = app.state.reminders
    frozen_clock.now = datetime(2026, 11, 25, 9, 59, 30, tzinfo=UTC)
    assert await reminders.tick() == {}
    assert (await manager.get("/api/me/alerts")).json() == {"alerts": [], "unread": 0}

    frozen_clock.now = datetime(2026, 11, 25, 10, 0, 5, tzinfo=UTC)
    assert await reminders.tick() == {"sent": 1}
    assert await reminders.tick() == {}  # once

    review = (await manager.get("/api/teams/1/review")).json()
    behind = [r["name"] for r in review["rows"]
              if r["attention"] == "talk" or any(s["kind"] == "behind_pace" for s in r["signals"])]
    assert behind, "the demo team has someone behind on Wednesday"
    inbox = (await manager.get("/api/me/alerts")).json()
    assert inbox["unread"] == 1 and len(inbox["alerts"]) == 1
    alert = inbox["alerts"][0]
    assert alert["kind"] == "pace" and (alert["local_date"], alert["wall_time"]) == ("2026-11-25", "11:00")
    assert [r["name"] for r in alert["reps"]] == behind  # the review's diagnosis, in its order
    assert alert["title"] == f"Behind by Wednesday 11:00: {len(behind)} rep{'s' if len(behind) > 1 else ''}"

    pushed = browser.decrypt(push_service.received[-1].content)
    assert pushed == {"title": alert["title"], "body": alert["body"], "url": "/alerts", "tag": "alert-pace",
                      "alert_id": alert["id"]}
    assert behind[0] in pushed["body"]
    assert (await manager.get("/api/me/alerts/unread")).json() == {"unread": 1}
    assert (await manager.post("/api/me/alerts/read", json={"ids": [alert["id"]]})).json() == {"unread": 0}
    assert (await manager.get("/api/me/alerts")).json()["alerts"][0]["read_at"] is not None

    # Changing the time later the same day does not bring a second pace check.
    await manager.put("/api/me/alert-settings", json={**SETTINGS, "pace_time": "12:00", "plans": False,
                                                      "reflections": False, "help": False, "commitments": False})
    frozen_clock.now = datetime(2026, 11, 25, 11, 0, 5, tzinfo=UTC)
    assert await reminders.tick() == {}
    assert await ManagerAlert.count() == 1


async def test_what_reps_do_is_recorded_with_its_cause_and_sent_grouped_in_the_daily_digest(
        demo, new_client, frozen_clock, app):
    manager = await signed_in(new_client, "manager@demo.test")
    await manager.put("/api/me/alert-settings", json={**SETTINGS, "pace": False, "commitments": False})
    reps = [await signed_in(new_client, f"rep{i}@demo.test") for i in (1, 2)]
    call = next(t["id"] for t in (await reps[0].get("/api/teams/1/activity-types")).json() if t["key"] == "call")
    for rep in reps:
        await rep.put(f"/api/my-plans/{MONDAY}", json={"targets": [{"activity_type_id": call, "target": 10}]})
        assert (await rep.post(f"/api/my-plans/{MONDAY}/commit")).status_code == 200
        await rep.post(f"/api/my-plans/{MONDAY}/commit")  # committing again is no news
    # A change without a reason is refused: nothing is recorded for it.
    refused = await reps[0].put(f"/api/my-plans/{MONDAY}", json={"targets": [{"activity_type_id": call, "target": 5}]})
    assert refused.status_code == 422
    assert await AlertEvent.count() == 2
    plan = (await reps[0].post(f"/api/my-plans/{MONDAY}/commit")).json()  # idempotent: the plan as it is
    await reps[0].post(f"/api/plans/{plan['id']}/comments", json={"body": "Blocking mornings for calls."})
    await manager.post(f"/api/plans/{plan['id']}/comments", json={"body": "A manager's comment is not a reply."})
    phone = Device(reps[1])
    phone.raw("reflection.upsert", "6f1d7a52-3c1e-4d1a-9b1e-2f0c5d4e8a01",
              {"week_start": MONDAY, "wins": "Two demos", "help_wanted": "Pricing questions"})
    assert (await phone.push()).json()["results"][0]["status"] == "applied"
    phone.raw("reflection.upsert", "6f1d7a52-3c1e-4d1a-9b1e-2f0c5d4e8a01",
              {"week_start": MONDAY, "wins": "Two demos and a proposal", "help_wanted": "Pricing questions"})
    await phone.push()  # an edit with the same ask is no news
    assert sorted(e["kind"] for e in await AlertEvent.select(AlertEvent.kind)) == [
        "help_wanted", "plan_committed", "plan_committed", "reflection", "reply"]

    # No device: the digest still reaches the inbox, at 13:00 Berlin (12:00 UTC), grouped per kind.
    frozen_clock.now = datetime(2026, 11, 25, 12, 0, 5, tzinfo=UTC)
    assert await app.state.reminders.tick() == {}  # nothing to push
    inbox = (await manager.get("/api/me/alerts")).json()
    by_kind = {a["kind"]: a for a in inbox["alerts"]}
    assert set(by_kind) == {"plans", "reflections", "help"} and inbox["unread"] == 3
    riley, sam = sorted((await manager.get("/api/teams/1/review")).json()["rows"], key=lambda r: r["user_id"])[:2]
    assert [(r["name"], r["detail"]) for r in by_kind["plans"]["reps"]] == sorted([
        (riley["name"], "committed a plan for the week of 23 Nov"),
        (sam["name"], "committed a plan for the week of 23 Nov")])
    assert by_kind["plans"]["title"] == "Plans committed or changed: 2 reps"
    assert [(r["name"], r["detail"]) for r in by_kind["reflections"]["reps"]] == [
        (sam["name"], "reflected on the week of 23 Nov")]
    assert sorted((r["name"], r["detail"]) for r in by_kind["help"]["reps"]) == sorted([
        (riley["name"], "replied on a plan"), (sam["name"], "asked for help in a reflection")])
    assert "Pricing" not in str(inbox) and "mornings" not in str(inbox)  # what happened, never the text

    # The next day's digest lists only what happened since.
    await reps[1].put(f"/api/my-plans/{MONDAY}", json={"targets": [{"activity_type_id": call, "target": 8}],
                                                       "reason": "Two days at the trade fair"})
    frozen_clock.now = datetime(2026, 11, 26, 12, 0, 5, tzinfo=UTC)
    await app.state.reminders.tick()
    newest = (await manager.get("/api/me/alerts")).json()["alerts"][0]
    assert (newest["kind"], newest["local_date"]) == ("plans", "2026-11-26")
    assert [(r["name"], r["detail"]) for r in newest["reps"]] == [(sam["name"], "changed a plan for the week of 23 Nov")]
    assert len((await manager.get("/api/me/alerts")).json()["alerts"]) == 4


async def test_commitments_due_today_are_listed_for_the_manager(demo, new_client, frozen_clock, app):
    manager = await signed_in(new_client, "manager@demo.test")
    await manager.put("/api/me/alert-settings", json={**SETTINGS, "pace": False, "plans": False,
                                                      "reflections": False, "help": False})
    rep = await signed_in(new_client, "rep1@demo.test")
    riley = (await rep.get("/api/me")).json()
    call = next(t["id"] for t in (await rep.get("/api/teams/1/activity-types")).json() if t["key"] == "call")
    checkin = (await manager.post(f"/api/reps/{riley['id']}/checkins", json={})).json()
    await manager.post(f"/api/checkins/{checkin['id']}/commitments", json={
        "text": "Call the trade-fair leads", "due_on": "2026-11-26", "activity_type_id": call, "target_count": 2})
    frozen_clock.now = datetime(2026, 11, 25, 12, 0, 5, tzinfo=UTC)
    await app.state.reminders.tick()
    assert (await manager.get("/api/me/alerts")).json()["alerts"] == []  # nothing due on Wednesday
    frozen_clock.now = datetime(2026, 11, 26, 12, 0, 5, tzinfo=UTC)
    await app.state.reminders.tick()
    [alert] = (await manager.get("/api/me/alerts")).json()["alerts"]
    assert alert["title"] == "Commitments due today: 1 rep"
    assert alert["reps"] == [{"user_id": riley["id"], "name": riley["name"],
                              "detail": "\u201cCall the trade-fair leads\u201d, 0 of 2 done"}]


async def test_two_schedulers_build_and_push_each_alert_once(seeded, new_client, push_service, frozen_clock, app):  # noqa: F811
    from backend.app import create_app

    manager = await signed_in(new_client, "manager@demo.test")
    browser = Browser()
    await manager.post("/api/push/subscriptions", json=browser.subscription())
    other_process = create_app(manage_pool=False).state.reminders
    other_process.sender = app.state.reminders.sender
    frozen_clock.now = datetime(2026, 11, 25, 10, 0, 5, tzinfo=UTC)
    results = await asyncio.gather(app.state.reminders.tick(), other_process.tick())
    assert sum(r.get("sent", 0) for r in results) == 1 and len(push_service.received) == 1
    assert await ManagerAlert.count().where(ManagerAlert.kind == "pace") == 1
    assert await ReminderSend.count().where(ReminderSend.kind == "alert_pace") == 1
    assert browser.decrypt(push_service.received[0].content)["tag"] == "alert-pace"


async def test_the_inbox_is_the_managers_own(seeded, new_client, frozen_clock, app):
    manager = await signed_in(new_client, "manager@demo.test")
    frozen_clock.now = datetime(2026, 11, 25, 10, 0, 5, tzinfo=UTC)
    await app.state.reminders.tick()
    [alert] = (await manager.get("/api/me/alerts")).json()["alerts"]
    await app.state.accounts.create_user(email="other@demo.test", name="Other Manager", role="manager",
                                         password="another-long-pass-2026")
    other = new_client()
    await other.login("other@demo.test", "another-long-pass-2026")
    assert (await other.get("/api/me/alerts")).json() == {"alerts": [], "unread": 0}
    assert (await other.post("/api/me/alerts/read", json={"ids": [alert["id"]]})).json() == {"unread": 0}
    assert (await manager.get("/api/me/alerts/unread")).json() == {"unread": 1}  # still unread for its owner
    assert (await manager.post("/api/me/alerts/read", json={"ids": []})).status_code == 400
