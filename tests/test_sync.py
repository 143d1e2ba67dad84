"""The sync layer's fault cases: every log reaches the server exactly once and counts in
the right week, whatever the network and the devices do."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backend.activities.tables import SyncBatch, SyncMutation
from tests.sync_device import Device

# The frozen clock stands at Wednesday 2026-11-25 09:00 UTC (10:00 in Berlin).
THIS_WEEK = "2026-11-23"


@pytest.fixture
async def rep(client, demo, frozen_clock):
    await client.login("rep1@demo.test")
    return client


@pytest.fixture
async def types(rep) -> dict[str, int]:
    return {t["key"]: t["id"] for t in (await rep.get("/api/teams/1/activity-types")).json()}


async def progress(client, week: str = THIS_WEEK) -> dict[str, tuple[int, int]]:
    view = (await client.get(f"/api/weeks/{week}")).json()
    return {p["activity_type"]["key"]: (p["done_total"], p["done_qualifying"]) for p in view["progress"]}


async def pull_all(client, device: Device, cursor: int = 0) -> tuple[dict[str, dict], int]:
    seen: dict[str, dict] = {}
    while True:
        page = (await client.get(f"/api/sync/pull?client_id={device.client_id}&cursor={cursor}&limit=50")).json()
        for change in page["changes"]:
            seen[change["id"]] = change
        cursor = page["cursor"]
        if not page["has_more"]:
            return seen, cursor


async def test_a_batch_applies_and_counts_in_the_week(rep, types):
    device = Device(rep)
    device.log(types["visit"], quality=4)
    device.log(types["visit"], quality=2)  # logged, but below the visit's quality bar (3)
    device.log(types["call"])
    response = (await device.push()).json()
    assert [r["status"] for r in response["results"]] == ["applied"] * 3
    assert response["last_applied_seq"] == 3 and device.outbox == []
    counts = await progress(rep)
    assert counts["visit"] == (2, 1) and counts["call"] == (1, 1)


async def test_lost_response_replay_is_a_duplicate_and_never_double_counts(rep, types):
    device = Device(rep)
    device.log(types["visit"])
    device.raw("activity.create", str(uuid.uuid4()), {"activity_type_id": 999999})  # rejected
    first = (await device.push(keep=True)).json()  # the answer "never arrives": keep the outbox
    replay = (await device.push()).json()
    assert [r["status"] for r in first["results"]] == ["applied", "rejected"]
    assert [r["status"] for r in replay["results"]] == ["duplicate", "duplicate"]
    assert [r["first_status"] for r in replay["results"]] == ["applied", "rejected"]
    assert replay["results"][1]["code"] == first["results"][1]["code"]  # the same answer as the first time
    assert replay["results"][1]["message"] == first["results"][1]["message"]
    assert (await progress(rep))["visit"] == (1, 1)
    # A rejection keeps a receipt of its own; the push keeps one row naming both changes.
    receipts = await SyncMutation.select(SyncMutation.seq, SyncMutation.status)
    assert receipts == [{"seq": 2, "status": "rejected"}]
    runs = await SyncBatch.select(SyncBatch.first_seq, SyncBatch.last_seq, SyncBatch.mutation_ids)
    assert runs == [{"first_seq": 1, "last_seq": 2, "mutation_ids": ",".join(r["mutation_id"] for r in first["results"])}]


async def test_a_reused_seq_is_answered_with_the_change_that_first_took_it(rep, types):
    """A device that sends another change under a seq already taken (a client bug) hears
    the first change's id, so it can tell; the second change is never applied as if done."""
    device = Device(rep)
    device.log(types["visit"])
    taken = device.outbox[0]["mutation_id"]
    await device.push()
    device.log(types["call"])
    device.outbox[0]["seq"] = 1  # the same seq again, another change
    answer = (await device.push(keep=True)).json()["results"][0]
    assert answer["status"] == "duplicate" and answer["first_status"] == "applied"
    assert answer["mutation_id"] == taken != device.outbox[0]["mutation_id"]
    assert (await progress(rep)).get("call", (0, 0)) == (0, 0)


async def test_a_request_lost_before_the_server_is_simply_sent_again(rep, types):
    device = Device(rep)
    device.log(types["call"])
    # Nothing reached the server; the outbox is intact and the next push applies it.
    assert (await rep.get(f"/api/sync/pull?client_id={device.client_id}")).json()["last_applied_seq"] == 0
    assert [r["status"] for r in (await device.push()).json()["results"]] == ["applied"]


async def test_a_crash_mid_batch_rolls_back_everything(rep, types, app, monkeypatch):
    device = Device(rep)
    for _ in range(5):
        device.log(types["call"])
    service = app.state.activities
    original = service._apply_one
    calls = {"n": 0}

    async def dies_on_the_third(batch, mutation):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("server killed")
        return await original(batch, mutation)

    monkeypatch.setattr(service, "_apply_one", dies_on_the_third)
    crashed = await device.push()
    assert crashed.status_code == 500 and len(device.outbox) == 5
    monkeypatch.setattr(service, "_apply_one", original)
    assert (await progress(rep))["call"] == (0, 0)  # nothing half-applied
    retry = (await device.push()).json()
    assert [r["status"] for r in retry["results"]] == ["applied"] * 5
    assert (await progress(rep))["call"] == (5, 5)


async def test_transient_failures_answer_503_with_retry_after_and_write_nothing(rep, types, app, monkeypatch):
    device = Device(rep)
    device.log(types["call"])
    device.log(types["call"])

    async def busy(batch, mutation):
        raise Exception("database is locked")

    original = app.state.activities._apply_one
    monkeypatch.setattr(app.state.activities, "_apply_one", busy)
    response = await device.push()
    assert response.status_code == 503 and response.headers["retry-after"] == "2"
    assert "safe on the device" in response.json()["detail"]
    monkeypatch.setattr(app.state.activities, "_apply_one", original)
    assert (await device.push()).json()["last_applied_seq"] == 2


async def test_the_same_batch_sent_twice_at_once_applies_once(rep, types, new_client):
    device = Device(rep)
    for _ in range(10):
        device.log(types["meeting"])
    other_tab = new_client()
    other_tab.cookies = rep.cookies
    body = device.body()
    a, b = await asyncio.gather(rep.post("/api/sync/push", json=body), other_tab.post("/api/sync/push", json=body))
    statuses = sorted(r["status"] for r in a.json()["results"] + b.json()["results"])
    assert statuses == ["applied"] * 10 + ["duplicate"] * 10
    assert (await progress(rep))["meeting"] == (10, 10)


async def test_reordered_and_duplicated_mutations_in_a_batch(rep, types):
    device = Device(rep)
    for _ in range(3):
        device.log(types["call"])
    shuffled = [device.outbox[2], device.outbox[0], device.outbox[1], device.outbox[0]]
    results = (await device.push(shuffled)).json()["results"]
    assert [(r["seq"], r["status"]) for r in results] == [(1, "applied"), (1, "duplicate"), (2, "applied"), (3, "applied")]
    assert (await progress(rep))["call"] == (3, 3)


async def test_a_seq_gap_stops_the_batch_until_the_missing_one_arrives(rep, types):
    device = Device(rep)
    for _ in range(5):
        device.log(types["call"])
    missing_third = [m for m in device.outbox if m["seq"] != 3]
    response = (await device.push(missing_third)).json()
    assert [(r["seq"], r["status"]) for r in response["results"]] == [
        (1, "applied"), (2, "applied"), (4, "gap"), (5, "gap")]
    assert response["last_applied_seq"] == 2 and [m["seq"] for m in device.outbox] == [3, 4, 5]
    assert [r["status"] for r in (await device.push()).json()["results"]] == ["applied"] * 3


async def test_an_invalid_mutation_in_the_middle_is_rejected_and_does_not_block_the_queue(rep, types):
    device = Device(rep)
    device.log(types["call"])
    device.raw("activity.teleport", str(uuid.uuid4()), {})
    device.log(types["call"], time_zone="Mars/Olympus")
    device.log(types["call"], at=datetime(2026, 11, 25, 10, 0))  # naive: no offset
    device.log(types["call"], note="x" * 2001)
    device.log(types["call"], at=datetime(2026, 11, 27, 9, 0, tzinfo=UTC))  # two days ahead
    device.log(types["call"], at=datetime(2020, 1, 1, tzinfo=UTC))
    device.raw("activity.create", str(uuid.uuid4()), None)
    device.log(types["call"])
    results = (await device.push()).json()["results"]
    assert [r["status"] for r in results] == ["applied"] + ["rejected"] * 7 + ["applied"]
    assert [r["code"] for r in results[1:8]] == [
        "unknown_kind", "invalid_time_zone", "invalid", "invalid", "in_future", "too_old", "invalid"]
    assert all(r["message"] for r in results[1:8])
    assert (await progress(rep))["call"] == (2, 2)


async def test_a_mistyped_activity_is_rejected_alone_and_a_whole_float_is_an_integer(rep, types):
    """Payloads are as strict as every body: "4" is no quality, 0 no boolean; JSON's 4.0 is
    the integer 4 (it was rejected, unlike the same number anywhere else in the API)."""
    device = Device(rep)
    device.log(types["call"], quality="4")
    device.log(types["call"], quality=4.5)
    device.log(types["call"], account=7)
    device.log(float(types["call"]), quality=4.0)
    results = (await device.push()).json()["results"]
    assert [(r["status"], r["code"]) for r in results] == [("rejected", "invalid")] * 3 + [("applied", None)]
    assert [r["message"] for r in results[:3]] == [
        "The activity is not valid: quality must be a whole number.",
        "The activity is not valid: quality must be a whole number.",
        "The activity is not valid: account_name must be text."]
    assert (await progress(rep))["call"] == (1, 1)


async def test_malformed_batches_get_a_clear_400_and_too_big_a_413(rep, types):
    device = Device(rep)
    bad = await rep.post("/api/sync/push", json={"client_id": "not-a-uuid", "sent_at": "2026-11-25T09:00:00Z", "mutations": []})
    assert bad.status_code == 400 and "client_id" in bad.json()["detail"]
    naive = await rep.post("/api/sync/push", json={**device.body([]), "sent_at": "2026-11-25T09:00:00"})
    assert naive.status_code == 400
    for _ in range(201):
        device.log(types["call"])
    too_big = await device.push()
    assert too_big.status_code == 413
    assert too_big.json()["extra"] == {"max_batch": 200, "max_body_bytes": 1024 * 1024, "max_mutation_bytes": 256 * 1024}
    first, rest = device.outbox[:200], device.outbox[200:]
    assert (await device.push(first)).json()["last_applied_seq"] == 200
    assert (await device.push(rest)).json()["last_applied_seq"] == 201


async def test_an_expired_session_keeps_the_outbox_until_sign_in(rep, types, frozen_clock):
    device = Device(rep)
    device.log(types["visit"])
    frozen_clock.advance(days=15)  # two weeks offline: the session idled out
    device.outbox[0]["payload"]["occurred_at"] = (frozen_clock.now - timedelta(days=14)).isoformat()
    assert (await device.push()).status_code == 401 and len(device.outbox) == 1
    await rep.login("rep1@demo.test")
    assert (await device.push()).json()["results"][0]["status"] == "applied"


async def test_two_devices_editing_one_activity_converge(rep, types, new_client):
    phone, laptop = Device(rep), Device(rep)
    entity = phone.log(types["visit"], account="Globex")
    await phone.push()
    laptop.edit(entity, types["visit"], account_name="Globex (laptop)", quality=5)
    phone.edit(entity, types["visit"], account_name="Globex (phone)", quality=4)
    await laptop.push()
    await phone.push()  # arrives last: its edit wins
    phone_view, _ = await pull_all(rep, phone)
    laptop_view, _ = await pull_all(rep, laptop)
    assert phone_view[entity]["account_name"] == laptop_view[entity]["account_name"] == "Globex (phone)"
    assert (await progress(rep))["visit"] == (1, 1)


async def test_two_devices_of_one_rep_pushing_at_once_are_serialized(rep, types, new_client):
    # One device creates what the other deletes, at the same moment: whichever goes first,
    # the other sees its effect (no failed unique key, no resurrection, no shared version).
    for _ in range(5):
        phone, laptop = Device(rep), Device(new_client())
        laptop.client.cookies = rep.cookies
        entity = phone.log(types["call"])
        laptop.delete(entity)
        first, second = await asyncio.gather(phone.push(), laptop.push())
        assert first.status_code == second.status_code == 200
        assert first.json()["results"][0]["status"] in ("applied", "rejected")
        assert second.json()["results"][0]["status"] == "applied"
        changes, _ = await pull_all(rep, phone)
        assert changes[entity]["deleted"]
    versions = [c["version"] for c in changes.values()]
    assert len(versions) == len(set(versions))
    assert (await progress(rep))["call"] == (0, 0)


async def test_delete_before_create_double_delete_and_edit_after_delete(rep, types):
    device, other = Device(rep), Device(rep)
    ghost = str(uuid.uuid4())
    other.delete(ghost)  # the delete overtakes the create from another device
    await other.push()
    device.log(types["call"], entity_id=ghost)
    kept = device.log(types["call"])
    device.delete(kept)
    device.delete(kept)
    device.edit(kept, types["call"], quality=5)
    results = (await device.push()).json()["results"]
    assert [(r["status"], r.get("code")) for r in results] == [
        ("rejected", "deleted"), ("applied", None), ("applied", None), ("applied", None), ("rejected", "deleted")]
    assert (await progress(rep))["call"] == (0, 0)  # no resurrection, no double count
    changes, _ = await pull_all(rep, device)
    assert changes[ghost]["deleted"] and changes[kept]["deleted"]


async def test_another_reps_activity_cannot_be_touched(rep, types, new_client):
    device = Device(rep)
    entity = device.log(types["call"])
    await device.push()
    intruder_client = new_client()
    await intruder_client.login("rep2@demo.test")
    intruder = Device(intruder_client)
    intruder.edit(entity, types["call"], account_name="Mine now")
    intruder.delete(entity)
    results = (await intruder.push()).json()["results"]
    # Ids are per owner: to the intruder the id is unknown (an update of it is not found, a
    # delete of it leaves a tombstone of their own), and the rep's activity is untouched.
    assert [(r["status"], r.get("code")) for r in results] == [("rejected", "not_found"), ("applied", None)]
    assert (await progress(rep))["call"] == (1, 1)
    manager = new_client()
    await manager.login("manager@demo.test")
    assert (await manager.post("/api/sync/push", json=intruder.body([]))).status_code == 403


async def test_pull_pages_through_changes_and_tells_the_last_applied_seq(rep, types):
    device = Device(rep)
    ids = [device.log(types["call"]) for _ in range(120)]
    await device.push()
    seen, cursor = await pull_all(rep, device)
    assert set(seen) == set(ids) and cursor == 120
    page = (await rep.get(f"/api/sync/pull?client_id={device.client_id}&cursor={cursor}")).json()
    assert page["changes"] == [] and page["last_applied_seq"] == 120 and not page["has_more"]
    stale = (await rep.get(f"/api/sync/pull?client_id={device.client_id}&cursor=99999")).json()
    assert stale["snapshot"] and len(stale["changes"]) == 120  # an unknown cursor gets a full snapshot


async def test_pull_concurrent_with_push_skips_nothing(rep, types):
    writer, reader = Device(rep), Device(rep)
    cursor, seen = 0, {}
    for _round in range(5):
        for _ in range(20):
            writer.log(types["call"])
        _, page = await asyncio.gather(
            writer.push(),
            rep.get(f"/api/sync/pull?client_id={reader.client_id}&cursor={cursor}&limit=500"),
        )
        for change in page.json()["changes"]:
            seen[change["id"]] = change
        cursor = page.json()["cursor"]
    rest, _ = await pull_all(rep, reader, cursor)
    seen.update(rest)
    assert len(seen) == 100


async def test_device_clock_skew_is_measured_and_corrected(rep, types, frozen_clock):
    ahead = Device(rep, skew=timedelta(hours=3))  # the phone's clock runs 3 h fast
    entity = ahead.log(types["call"])  # "5 minutes ago" by the phone's clock
    response = (await ahead.push()).json()
    assert response["clock_skew_seconds"] == 3 * 3600
    assert response["results"][0]["status"] == "applied"
    behind = Device(rep, skew=timedelta(days=-2))
    behind.log(types["call"])
    assert (await behind.push()).json()["results"][0]["status"] == "applied"
    seen, _ = await pull_all(rep, ahead)
    assert {c["occurred_at"] for c in seen.values()} == {"2026-11-25T08:55:00Z"}  # both: 5 minutes ago
    assert entity in seen


@pytest.mark.parametrize("days", [5, -5])
async def test_a_phone_days_off_logs_now_in_this_week_not_another(rep, types, frozen_clock, days):
    """A phone 5 days fast logs "now" as next Monday, one 5 days slow as last Friday: the
    server measured the skew and did not use it. Now the log lands when it happened."""
    phone = Device(rep, skew=timedelta(days=days))
    entity = phone.log(types["visit"])
    response = (await phone.push()).json()
    assert response["clock_skew_seconds"] == days * 86400
    assert response["results"][0]["status"] == "applied"
    assert (await progress(rep))["visit"] == (1, 1)
    other_week = "2026-11-30" if days > 0 else "2026-11-16"
    assert (await progress(rep, other_week)).get("visit", (0, 0)) == (0, 0)
    record = (await pull_all(rep, phone))[0][entity]
    assert record["occurred_at"] == "2026-11-25T08:55:00Z" and record["week_start"] == THIS_WEEK
    assert not record["late"]
    # Editing it on the still-wrong phone: keeping the time it pulled does not move it again,
    # and a time the phone stamped itself is corrected the same way.
    phone.edit(entity, types["visit"], occurred_at=record["occurred_at"], quality=4)
    phone.edit(entity, types["visit"], occurred_at=(frozen_clock.now + timedelta(days=days, hours=-1)).isoformat())
    for answer, expected in zip((await phone.push()).json()["results"], ("applied", "applied"), strict=True):
        assert answer["status"] == expected
    record = (await pull_all(rep, phone))[0][entity]
    assert record["occurred_at"] == "2026-11-25T08:00:00Z"


async def test_a_log_beyond_the_skewed_phones_own_now_is_in_the_future(rep, types, frozen_clock):
    """After correction, a log is judged on the server's clock: 2 h after the (3 h fast)
    phone's own now is 2 h in the future. It used to pass, being before the phone's clock."""
    phone = Device(rep, skew=timedelta(hours=3))
    phone.log(types["call"], at=frozen_clock.now + timedelta(hours=5))
    phone.log(types["call"], at=frozen_clock.now + timedelta(hours=3, minutes=9))  # within 10 minutes
    results = (await phone.push()).json()["results"]
    assert [(r["status"], r.get("code")) for r in results] == [("rejected", "in_future"), ("applied", None)]


@pytest.mark.parametrize("sent_at", ["1970-01-01T00:00:00Z", "2019-12-31T23:59:59Z", "2028-01-01T00:00:00Z"])
async def test_an_absurd_device_clock_is_an_unknown_skew_not_a_figure(rep, types, new_client, frozen_clock, sent_at):
    """`sent_at: 1970` made a skew of -1.8 billion seconds that managers saw: a reading before
    2020 or over a year off is no clock reading. The skew is unknown (null), nothing is
    corrected by it, and the batch still applies."""
    device = Device(rep)
    device.log(types["call"])
    body = {**device.body(), "sent_at": sent_at}
    response = (await rep.post("/api/sync/push", json=body)).json()
    assert response["clock_skew_seconds"] is None
    assert [r["status"] for r in response["results"]] == ["applied"]
    seen, _ = await pull_all(rep, device)
    assert [c["occurred_at"] for c in seen.values()] == ["2026-11-25T08:55:00Z"]
    manager = new_client()
    await manager.login("manager@demo.test")
    rows = {r["name"]: r for r in (await manager.get("/api/teams/1/sync")).json()}
    mine = [d for d in rows["Riley Fischer"]["devices"] if d["client_id"] == device.client_id]
    assert mine[0]["clock_skew_seconds"] is None


async def test_week_attribution_uses_the_reps_local_date_at_the_time(rep, types, frozen_clock):
    # The clock stands in the week after Europe's DST change: 2026-11-02 is too far; use Oct 26.
    frozen_clock.now = datetime(2026, 10, 28, 9, 0, tzinfo=UTC)
    device = Device(rep)
    berlin = ZoneInfo("Europe/Berlin")
    device.log(types["call"], at=datetime(2026, 10, 25, 23, 59, tzinfo=berlin))  # Sunday night, DST day
    device.log(types["call"], at=datetime(2026, 10, 26, 0, 30, tzinfo=berlin))  # Monday 00:30 = Sunday UTC
    await device.push()
    assert (await progress(rep, "2026-10-19"))["call"] == (1, 1)
    assert (await progress(rep, "2026-10-26"))["call"] == (1, 1)
    ny = Device(rep, time_zone="America/New_York")  # the rep travelled: that day counts in New York
    ny.log(types["call"], at=datetime(2026, 10, 26, 2, 0, tzinfo=UTC))  # Sunday 22:00 in New York
    await ny.push()
    assert (await progress(rep, "2026-10-19"))["call"] == (2, 2)


async def test_activity_arriving_after_its_week_is_accepted_and_marked_late(rep, types, frozen_clock):
    device = Device(rep)
    last_friday = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    entity = device.log(types["visit"], at=last_friday)
    fresh = device.log(types["visit"])
    assert [r["status"] for r in (await device.push()).json()["results"]] == ["applied", "applied"]
    changes, _ = await pull_all(rep, device)
    assert changes[entity]["late"] is True and changes[entity]["week_start"] == "2026-11-16"
    assert changes[fresh]["late"] is False
    assert (await progress(rep, "2026-11-16"))["visit"] == (1, 1)


async def test_a_backlog_of_1000_mutations_from_one_device(rep, types):
    device = Device(rep)
    for i in range(1000):
        device.log(types["call"] if i % 2 else types["follow_up"], at=datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    while device.outbox:
        response = await device.push(device.outbox[:200])
        assert response.status_code == 200
    counts = await progress(rep)
    assert counts["call"] == (500, 500) and counts["follow_up"] == (500, 500)


async def test_managers_see_pending_sync_per_device(rep, types, new_client, frozen_clock):
    device = Device(rep)
    for _ in range(3):
        device.log(types["call"])
    await device.push(device.outbox[:1])  # two still waiting on the phone
    manager = new_client()
    await manager.login("manager@demo.test")
    rows = {r["name"]: r for r in (await manager.get("/api/teams/1/sync")).json()}
    riley = rows["Riley Fischer"]
    assert riley["pending"] is True and riley["last_sync_at"].startswith("2026-11-25T09:00")
    assert riley["devices"][0]["outbox_size"] == 2
    assert rows["Sam Okafor"]["devices"] == [] and rows["Sam Okafor"]["last_sync_at"] is None
    await device.push()
    assert not {r["name"]: r for r in (await manager.get("/api/teams/1/sync")).json()}["Riley Fischer"]["pending"]
    assert (await rep.get("/api/teams/1/sync")).status_code == 403


# ---------------------------------------------------------------- issue 14, item 7: no trap
def _long_note(device: Device, type_id: int, size: int) -> None:
    device.log(type_id, note="é" * 2000)
    device.outbox[-1]["payload"]["padding"] = "x" * size  # unknown fields are allowed (newer clients)


async def test_a_batch_over_the_body_limit_gets_a_size_hint_and_applies_once_split(rep, types):
    """200 valid logs with long notes, sent \\u-escaped, are over 1 MiB: the 413 says the
    limits, and the same mutations split to fit apply."""
    device = Device(rep)
    for _ in range(200):
        device.log(types["call"], note="😀" * 2000)  # 24 KB a note once escaped
    body = json.dumps(device.body()).encode()  # ensure_ascii: every emoji is \\ud83d\\ude00
    assert len(body) > 1024 * 1024
    refused = await rep.post("/api/sync/push", content=body, headers={"Content-Type": "application/json"})
    assert refused.status_code == 413
    hint = refused.json()["extra"]
    assert hint == {"max_batch": 200, "max_body_bytes": 1024 * 1024, "max_mutation_bytes": 256 * 1024}
    sent = 0
    while device.outbox:
        batch, size = [], 1024
        for mutation in device.outbox:
            size += len(json.dumps(mutation)) + 1
            if size > hint["max_body_bytes"]:
                break
            batch.append(mutation)
        response = await rep.post("/api/sync/push", content=json.dumps(device.body(batch)).encode(),
                                  headers={"Content-Type": "application/json"})
        assert response.status_code == 200
        sent += sum(r["status"] == "applied" for r in response.json()["results"])
        done = {r["seq"] for r in response.json()["results"]}
        device.outbox = [m for m in device.outbox if m["seq"] not in done]
    assert sent == 200 and (await progress(rep))["call"] == (200, 200)


async def test_a_mutation_too_large_to_store_is_rejected_alone_and_the_queue_moves_on(rep, types):
    device = Device(rep)
    device.log(types["call"])
    _long_note(device, types["call"], 300 * 1024)  # over max_mutation_bytes, under the body limit
    device.log(types["visit"])
    results = (await device.push()).json()["results"]
    assert [(r["status"], r.get("code")) for r in results] == [("applied", None), ("rejected", "too_large"),
                                                              ("applied", None)]
    assert "256 KiB" in results[1]["message"]
    # One that cannot even be sent (over the body limit alone) goes as a too_large stub.
    _long_note(device, types["call"], 2 * 1024 * 1024)
    alone = await device.push(keep=True)
    assert alone.status_code == 413
    stub = {**device.outbox[0], "payload": None, "too_large": True}
    device.log(types["visit"])
    answer = (await device.push([stub, device.outbox[1]])).json()
    assert [(r["status"], r.get("code")) for r in answer["results"]] == [("rejected", "too_large"), ("applied", None)]
    assert answer["last_applied_seq"] == 5
    assert (await progress(rep))["call"] == (1, 1) and (await progress(rep))["visit"] == (2, 2)


@pytest.mark.parametrize("text", ["\\ud800", "\\udfff tail", "a\\u0000b"])
async def test_a_note_with_invalid_text_is_rejected_alone(rep, types, text):
    """A lone surrogate or a NUL in one note (PostgreSQL refused the NUL with a 500 for ever)
    is that mutation's `rejected invalid`; the others in the batch apply, and the next push too."""
    device = Device(rep)
    device.log(types["call"])
    device.log(types["call"], note="PLACEHOLDER")
    device.log(types["visit"])
    body = json.dumps(device.body()).replace("PLACEHOLDER", text).encode()
    response = await rep.post("/api/sync/push", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [(r["status"], r.get("code")) for r in results] == [("applied", None), ("rejected", "invalid"),
                                                              ("applied", None)]
    assert "note" in results[1]["message"]
    assert (await progress(rep))["call"] == (1, 1)
    device.outbox = []
    device.log(types["call"])
    assert [r["status"] for r in (await device.push()).json()["results"]] == ["applied"]


@pytest.mark.parametrize("raw", [b"caf\xe9", b"a\x00b", b"\xed\xa0\x80"])  # Latin-1, a NUL byte, CESU surrogate
async def test_bytes_that_are_not_utf8_in_a_note_reject_only_that_mutation(rep, types, raw):
    device = Device(rep)
    device.log(types["call"], note="PLACEHOLDER")
    device.log(types["visit"])
    body = json.dumps(device.body()).encode().replace(b"PLACEHOLDER", raw)
    results = (await rep.post("/api/sync/push", content=body, headers={"Content-Type": "application/json"})).json()
    assert [(r["status"], r.get("code")) for r in results["results"]] == [("rejected", "invalid"), ("applied", None)]


async def test_a_body_that_is_no_json_is_still_refused_whole(rep, types):
    device = Device(rep)
    device.log(types["call"])
    body = json.dumps(device.body()).encode()[:-5]
    response = await rep.post("/api/sync/push", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and "JSON" in response.json()["detail"]


async def test_ids_are_per_owner_another_reps_delete_never_affects_mine(rep, types, new_client):
    """Rep 2 deletes an id rep 1 has not synced yet, and one rep 1 has: both answers are the
    same as for an id nobody used, and rep 1's create and log are untouched."""
    other = new_client()
    await other.login("rep2@demo.test")
    mine, pending = Device(rep), Device(rep)
    existing = mine.log(types["call"])
    await mine.push()
    future = str(uuid.uuid4())
    theirs = Device(other)
    theirs.delete(existing)
    theirs.delete(future)
    theirs.delete(str(uuid.uuid4()))  # nobody's
    answers = (await theirs.push()).json()["results"]
    assert [(r["status"], r.get("code")) for r in answers] == [("applied", None)] * 3
    pending.log(types["visit"], entity_id=future)
    assert [r["status"] for r in (await pending.push()).json()["results"]] == ["applied"]
    assert (await progress(rep))["call"] == (1, 1) and (await progress(rep))["visit"] == (1, 1)
    # Their create with an id of mine is theirs: applied, and neither sees the other's (their
    # delete of `existing` left a tombstone of their own: that id stays deleted for them).
    theirs.log(types["call"], entity_id=future)
    theirs.log(types["call"], entity_id=mine.log(types["call"]))
    await mine.push()
    assert [r.get("code") for r in (await theirs.push()).json()["results"]] == ["deleted", None]
    edits = Device(other)
    edits.edit(str(uuid.uuid4()), types["call"])
    unknown = (await edits.push()).json()["results"][0]
    untouched = mine.log(types["visit"])
    await mine.push()
    edits.edit(untouched, types["call"])
    foreign = (await edits.push()).json()["results"][0]
    assert (unknown["status"], unknown["code"], unknown["message"]) == (foreign["status"], foreign["code"],
                                                                         foreign["message"])
    mine_seen, _ = await pull_all(rep, mine)
    assert mine_seen[existing]["deleted"] is False and mine_seen[existing]["activity_type_id"] == types["call"]
    assert (await progress(rep))["call"] == (2, 2) and (await progress(rep))["visit"] == (2, 2)


async def test_a_pull_never_waits_for_a_writer(rep, types, app):
    """A pull used to write last_pull_at first and waited behind every writer (14 s behind
    SQLite writers). It reads only; the note for managers follows on its own."""
    from backend.core.db import TxSQL, write_transaction

    device = Device(rep)
    device.log(types["call"])
    await device.push()
    held, release = asyncio.Event(), asyncio.Event()

    async def long_writer():
        async with write_transaction(app.state.engine):
            # The device's row is locked on PostgreSQL; SQLite's one writer is taken.
            await TxSQL(app.state.engine).execute("UPDATE sync_clients SET outbox_size = 0")
            held.set()
            await release.wait()

    writer = asyncio.create_task(long_writer())
    await held.wait()
    try:
        page = await asyncio.wait_for(rep.get(f"/api/sync/pull?client_id={device.client_id}&outbox_size=3"), 2)
        assert page.status_code == 200 and page.json()["last_applied_seq"] == 1
        assert len(page.json()["changes"]) == 1
    finally:
        release.set()
        await writer
    await app.state.activities.settle()
    me = (await rep.get("/api/me")).json()["id"]
    seen = (await app.state.activities.devices_of([me]))[me]
    assert seen[0].outbox_size == 3 and seen[0].last_pull_at is not None


async def test_tombstones_are_pruned_after_the_horizon_and_old_cursors_get_a_snapshot(rep, types, app, frozen_clock):
    """Deleted activities used to stay for ever and the snapshot path never ran. After 90
    days a tombstone is removed; a device whose cursor is older than it gets a snapshot and
    ends with the right state; a device that saw the delete keeps pulling changes."""
    from backend.activities.tables import Activity

    phone, tablet = Device(rep), Device(rep)
    kept, gone, never = phone.log(types["call"]), phone.log(types["visit"]), str(uuid.uuid4())
    await phone.push()
    seen, old_cursor = await pull_all(rep, tablet)  # the tablet has both, then goes in a drawer
    assert set(seen) == {kept, gone}
    phone.delete(gone)
    phone.delete(never)  # a delete that overtook its create: a tombstone with no activity
    await phone.push()
    _, recent_cursor = await pull_all(rep, phone)
    frozen_clock.advance(days=89)
    assert await app.state.activities.prune_tombstones() == 0
    frozen_clock.advance(days=2)
    await rep.login("rep1@demo.test")  # the session idled out meanwhile
    fresh = phone.log(types["call"])  # a change after the deletes, and after the horizon
    await phone.push()
    assert await app.state.activities.prune_tombstones() == 2
    assert {r["uid"] for r in await Activity.select(Activity.uid)} == {kept, fresh}
    # The tablet's cursor predates the removed tombstones: a snapshot of the live activities.
    page = (await rep.get(f"/api/sync/pull?client_id={tablet.client_id}&cursor={old_cursor}")).json()
    assert page["snapshot"] is True and not page["has_more"]
    assert {c["id"] for c in page["changes"]} == {kept, fresh}
    assert not any(c["deleted"] for c in page["changes"])
    local = {change["id"] for change in page["changes"]}  # the device drops synced copies not in it
    assert gone not in local
    # The phone saw the deletes: it only gets what changed since.
    page = (await rep.get(f"/api/sync/pull?client_id={phone.client_id}&cursor={recent_cursor}")).json()
    assert page["snapshot"] is False and [c["id"] for c in page["changes"]] == [fresh]
    # The snapshot's cursor carries on normally.
    again = (await rep.get(f"/api/sync/pull?client_id={tablet.client_id}&cursor={page['cursor']}")).json()
    assert again["snapshot"] is False and again["changes"] == []


async def test_paging_a_snapshot_or_a_first_pull_past_pruned_tombstones_ends(rep, types, app, frozen_clock):
    """Pages of a read from scratch lie before pruned_through: their cursors must not be
    taken for stale ones (each page restarted the snapshot, for ever), and once caught up
    the device is not sent a snapshot again."""
    phone = Device(rep)
    live = [phone.log(types["call"]) for _ in range(5)]
    doomed = [phone.log(types["visit"]) for _ in range(3)]
    await phone.push()
    _, stale = await pull_all(rep, phone)
    for entity in doomed:
        phone.delete(entity)
    await phone.push()
    frozen_clock.advance(days=91)
    await rep.login("rep1@demo.test")
    assert await app.state.activities.prune_tombstones() == 3
    for start, first_is_snapshot in ((0, False), (stale - 2, True)):
        device, cursor, pages, seen = Device(rep), start, [], {}
        while len(pages) < 20:
            page = (await rep.get(f"/api/sync/pull?client_id={device.client_id}&cursor={cursor}&limit=2")).json()
            pages.append(page["snapshot"])
            seen.update({c["id"]: c for c in page["changes"]})
            cursor = page["cursor"]
            if not page["has_more"]:
                break
        assert pages == [first_is_snapshot] + [False] * (len(pages) - 1) and len(pages) == 3
        assert set(seen) == set(live) and not any(c["deleted"] for c in seen.values())
        after = (await rep.get(f"/api/sync/pull?client_id={device.client_id}&cursor={cursor}")).json()
        assert after["snapshot"] is False and after["changes"] == []
