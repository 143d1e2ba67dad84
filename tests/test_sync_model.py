"""A randomized model-based test of the sync layer.

Hypothesis writes programs for two devices of one rep: offline creates, edits and
deletes, pushes of part of the outbox, pushes whose answer is lost (the device keeps and
resends), and pulls. The model is the protocol as documented (docs/sync-protocol.md).
After draining every outbox, the server's activities must equal the model's, and each
week count must equal the number of distinct live (qualifying) activities.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.activities.tables import Activity, RepSyncState, SyncBatch, SyncClient, SyncMutation
from tests.sync_device import Device

QUALITY_BAR = {"call": 2, "visit": 3}  # the demo team's defaults for these two types

create = st.tuples(st.just("create"), st.integers(0, 1), st.sampled_from(["call", "visit"]), st.integers(1, 5))
edit = st.tuples(st.just("edit"), st.integers(0, 1), st.integers(0, 50), st.sampled_from(["call", "visit"]), st.integers(1, 5))
delete = st.tuples(st.just("delete"), st.integers(0, 1), st.integers(0, 50))
push = st.tuples(st.just("push"), st.integers(0, 1), st.integers(1, 8), st.booleans())
pull = st.tuples(st.just("pull"), st.integers(0, 1))
PROGRAMS = st.lists(st.one_of(create, edit, delete, push, pull), min_size=1, max_size=30)


@dataclass
class Model:
    """The server as the protocol describes it."""

    activities: dict[str, dict] = field(default_factory=dict)  # uid -> {"deleted", "type", "quality"}
    last_seq: dict[str, int] = field(default_factory=dict)

    def arrive(self, client_id: str, mutations: list[dict]) -> None:
        last = self.last_seq.get(client_id, 0)
        for m in sorted(mutations, key=lambda m: m["seq"]):
            if m["seq"] <= last:
                continue  # duplicate: no effect
            assert m["seq"] == last + 1  # devices send from their first unacknowledged seq
            last = m["seq"]
            uid, known = m["entity_id"], self.activities.get(m["entity_id"])
            if m["kind"] == "activity.delete":
                self.activities[uid] = {**(known or {}), "deleted": True}
            elif m["kind"] == "activity.create" and known is None or m["kind"] == "activity.update" and known and not known["deleted"]:
                self.activities[uid] = {"deleted": False, **m["fields"]}
            # anything else is rejected and changes nothing
        self.last_seq[client_id] = last


@pytest.fixture
async def rep(client, demo, frozen_clock):
    await client.login("rep1@demo.test")  # once: examples share the session
    return client


async def reset_sync_tables() -> None:
    for table in (SyncMutation, SyncBatch, SyncClient, RepSyncState, Activity):
        await table.delete(force=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(program=PROGRAMS)
async def test_any_interleaving_settles_exactly_once(program, rep):
    client = rep
    await reset_sync_tables()
    type_ids = {t["key"]: t["id"] for t in (await client.get("/api/teams/1/activity-types")).json()}
    devices = [Device(client), Device(client)]
    known: list[list[str]] = [[], []]  # entity ids each device knows
    model = Model()

    def tag(device: Device, kind: str, quality: int | None = None) -> None:
        m = device.outbox[-1]
        m["fields"] = {"type": kind, "quality": quality}

    async def send(device: Device, count: int, lose_answer: bool) -> None:
        batch = device.outbox[:count]
        if not batch:
            return
        wire = [{k: v for k, v in m.items() if k != "fields"} for m in batch]
        response = await device.push(wire, keep=lose_answer)
        assert response.status_code == 200, response.text
        model.arrive(device.client_id, batch)

    for op in program:
        device = devices[op[1]]
        mine = known[op[1]]
        if op[0] == "create":
            mine.append(device.log(type_ids[op[2]], quality=op[3]))
            tag(device, op[2], op[3])
        elif op[0] == "edit" and mine:
            device.edit(mine[op[2] % len(mine)], type_ids[op[3]], quality=op[4])
            tag(device, op[3], op[4])
        elif op[0] == "delete" and mine:
            device.delete(mine[op[2] % len(mine)])
            device.outbox[-1]["fields"] = {}
        elif op[0] == "push":
            await send(device, op[2], op[3])
        elif op[0] == "pull":
            page = (await client.get(f"/api/sync/pull?client_id={device.client_id}&cursor=0")).json()
            mine.extend(c["id"] for c in page["changes"] if c["id"] not in mine)

    for device in devices:  # drain: every outbox reaches the server, answers arrive
        while device.outbox:
            await send(device, 200, False)

    server = {}
    cursor, more = 0, True
    while more:
        page = (await client.get(f"/api/sync/pull?client_id={devices[0].client_id}&cursor={cursor}")).json()
        server.update({c["id"]: c for c in page["changes"]})
        cursor, more = page["cursor"], page["has_more"]
    by_id = {v: k for k, v in type_ids.items()}
    assert {uid for uid, a in server.items() if not a["deleted"]} == {
        uid for uid, a in model.activities.items() if not a["deleted"]}
    for uid, expected in model.activities.items():
        if not expected["deleted"]:
            assert (by_id[server[uid]["activity_type_id"]], server[uid]["quality"]) == (expected["type"], expected["quality"])

    live = [a for a in model.activities.values() if not a["deleted"]]
    totals = Counter(a["type"] for a in live)
    qualifying = Counter(a["type"] for a in live if a["quality"] >= QUALITY_BAR[a["type"]])
    view = (await client.get("/api/weeks/current")).json()
    counts = {p["activity_type"]["key"]: (p["done_total"], p["done_qualifying"]) for p in view["progress"]}
    for kind in ("call", "visit"):
        assert counts[kind] == (totals[kind], qualifying[kind])
