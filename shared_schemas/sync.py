"""The sync protocol: an outbox of mutations pushed by each device, and a pull of changes.

See docs/sync-protocol.md. Mutations are validated one by one on the server (an invalid
one is `rejected` and still advances the client's seq), so `kind` and `payload` are loose
here and strict in ActivityFields.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

import msgspec

from shared_schemas.common import Count, Id, Instant

UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
Uuid = Annotated[str, msgspec.Meta(pattern=UUID_PATTERN)]
Outcome = Literal["next_step", "follow_up", "no_interest", "proposal_requested", "won", "lost"]
MutationKind = Literal["activity.create", "activity.update", "activity.delete", "reflection.upsert"]


class ActivityFields(msgspec.Struct, kw_only=True, forbid_unknown_fields=False):
    """The payload of activity.create and activity.update (the whole editable record)."""

    activity_type_id: Id
    account_name: Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
    outcome: Outcome
    occurred_at: Instant
    # The rep's IANA zone at the moment it happened: the week is that zone's local week.
    time_zone: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    quality: Annotated[int, msgspec.Meta(ge=1, le=5)] = 3
    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    next_step: Annotated[str, msgspec.Meta(max_length=200)] = ""
    follow_up_on: date | None = None
    deal_value: Annotated[float, msgspec.Meta(ge=0, le=1e10)] | None = None


class Mutation(msgspec.Struct, kw_only=True):
    mutation_id: Uuid
    # Per device, starting at 1 and growing by exactly 1.
    seq: Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
    # One of MutationKind; anything else is rejected with code "unknown_kind".
    kind: Annotated[str, msgspec.Meta(max_length=40)]
    entity_id: Uuid
    # ActivityFields for activity create/update (ignored for delete); ReflectionFields for
    # reflection.upsert (entity_id: the reflection's id; one reflection per rep and week).
    payload: dict[str, Any] | None = None
    # Sent instead of a payload the device cannot send (its JSON is over the push answer's
    # `max_mutation_bytes`): the server answers `rejected` with `too_large`, the seq advances.
    too_large: bool = False


class PushRequest(msgspec.Struct, kw_only=True):
    client_id: Uuid
    # The device's clock when it sent this batch: the server measures the device's skew.
    sent_at: Instant
    mutations: list[Mutation]
    # How many mutations the device still holds (this batch included), for "pending sync".
    outbox_size: Count = 0


MutationStatus = Literal["applied", "duplicate", "rejected", "gap"]


class MutationResult(msgspec.Struct, kw_only=True):
    seq: int
    mutation_id: str
    status: MutationStatus
    # For rejected (and duplicates of rejected): a stable code and a sentence for the rep.
    code: str | None = None
    message: str | None = None
    # For duplicate: what the first delivery got ("applied" or "rejected").
    first_status: Literal["applied", "rejected"] | None = None


class PushResponse(msgspec.Struct, kw_only=True):
    last_applied_seq: int
    results: list[MutationResult]
    # Device clock minus server clock, in seconds (positive: the device runs ahead); null
    # when `sent_at` was no plausible clock reading (before 2020 or over a year off).
    clock_skew_seconds: int | None
    max_batch: int
    # Size limits: a batch's body, and one mutation's JSON (over it: `rejected too_large`).
    max_body_bytes: int = 1024 * 1024
    max_mutation_bytes: int = 256 * 1024


class ActivityRecord(msgspec.Struct, kw_only=True):
    """An activity as the server holds it. Deleted ones come as tombstones (deleted=true)."""

    id: str
    version: int
    deleted: bool
    activity_type_id: int | None = None
    account_name: str | None = None
    outcome: Outcome | None = None
    quality: int | None = None
    note: str | None = None
    next_step: str | None = None
    follow_up_on: date | None = None
    deal_value: float | None = None
    occurred_at: Instant | None = None
    time_zone: str | None = None
    # The Monday of the rep's local week it counts in.
    week_start: date | None = None
    # Arrived after its week was over.
    late: bool = False
    updated_at: Instant | None = None


class PullResponse(msgspec.Struct, kw_only=True):
    # Pass this back as `cursor` next time.
    cursor: int
    changes: list[ActivityRecord]
    has_more: bool
    # True when the cursor was too old or unknown: changes are a full snapshot of live
    # activities; drop synced local copies that are not in it.
    snapshot: bool
    # The last seq of this device the server applied: lets a device whose push answer was
    # lost clear its outbox up to here.
    last_applied_seq: int


class DeviceSync(msgspec.Struct, kw_only=True):
    client_id: str
    last_push_at: Instant | None
    last_pull_at: Instant | None
    # As the device last reported; 0 means all synced.
    outbox_size: int
    # null: the device's clock reading was implausible (e.g. 1970), its skew is unknown.
    clock_skew_seconds: int | None


class RepSync(msgspec.Struct, kw_only=True):
    """What a manager needs to tell "pending sync" from "off plan"."""

    user_id: int
    name: str
    last_sync_at: Instant | None
    pending: bool
    devices: list[DeviceSync]
