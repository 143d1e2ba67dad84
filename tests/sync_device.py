"""A scripted device for sync tests: an outbox with seqs, like the PWA's."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from backend.core import clock


class Device:
    def __init__(self, client, time_zone: str = "Europe/Berlin", skew: timedelta = timedelta(0)) -> None:
        self.client = client
        self.client_id = str(uuid.uuid4())
        self.seq = 0
        self.time_zone = time_zone
        self.skew = skew
        self.outbox: list[dict] = []

    def _mutation(self, kind: str, entity_id: str, payload: dict | None) -> dict:
        self.seq += 1
        mutation = {"mutation_id": str(uuid.uuid4()), "seq": self.seq, "kind": kind, "entity_id": entity_id,
                    "payload": payload}
        self.outbox.append(mutation)
        return mutation

    def log(self, type_id: int, *, at: datetime | None = None, quality: int = 3, outcome: str = "next_step",
            account: str = "Acme GmbH", entity_id: str | None = None, **extra) -> str:
        entity_id = entity_id or str(uuid.uuid4())
        occurred = at or (clock.now() + self.skew - timedelta(minutes=5))
        self._mutation("activity.create", entity_id, {
            "activity_type_id": type_id, "account_name": account, "outcome": outcome, "quality": quality,
            # A naive value is sent as it is (the server must refuse it), never "fixed" here.
            "occurred_at": (occurred.astimezone(UTC) if occurred.tzinfo else occurred).isoformat(),
            "time_zone": self.time_zone, **extra})
        return entity_id

    def edit(self, entity_id: str, type_id: int, **fields) -> None:
        payload = {"activity_type_id": type_id, "account_name": "Acme GmbH", "outcome": "follow_up", "quality": 3,
                   "occurred_at": (clock.now() - timedelta(minutes=5)).isoformat(), "time_zone": self.time_zone}
        self._mutation("activity.update", entity_id, {**payload, **fields})

    def delete(self, entity_id: str) -> None:
        self._mutation("activity.delete", entity_id, None)

    def raw(self, kind: str, entity_id: str, payload: dict | None) -> None:
        self._mutation(kind, entity_id, payload)

    def body(self, mutations: list[dict] | None = None) -> dict:
        return {"client_id": self.client_id, "sent_at": (clock.now() + self.skew).isoformat(),
                "mutations": self.outbox if mutations is None else mutations, "outbox_size": len(self.outbox)}

    async def push(self, mutations: list[dict] | None = None, *, keep: bool = False):
        """Send the outbox (or some of it); drop what got a terminal answer, as the PWA does."""
        response = await self.client.post("/api/sync/push", json=self.body(mutations))
        if response.status_code == 200 and not keep:
            done = {r["seq"] for r in response.json()["results"] if r["status"] != "gap"}
            self.outbox = [m for m in self.outbox if m["seq"] not in done]
        return response
