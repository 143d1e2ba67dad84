"""Web Push: the server's public key, device subscriptions and test sends."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from shared_schemas.common import Instant


class PushPublicKey(msgspec.Struct, kw_only=True):
    # The VAPID application server key (base64url) for pushManager.subscribe().
    public_key: str


class PushKeys(msgspec.Struct, kw_only=True):
    p256dh: Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
    auth: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class PushSubscriptionInput(msgspec.Struct, kw_only=True):
    """What PushSubscription.toJSON() gives, plus the device's sync client_id."""

    endpoint: Annotated[str, msgspec.Meta(min_length=1, max_length=1024)]
    keys: PushKeys
    client_id: Annotated[str, msgspec.Meta(max_length=36)] | None = None
    user_agent: Annotated[str, msgspec.Meta(max_length=200)] = ""


class PushDevice(msgspec.Struct, kw_only=True):
    id: int
    # Only the push service's host: the full endpoint is a bearer secret.
    service: str
    user_agent: str
    created_at: Instant
    last_success_at: Instant | None
    # Set after repeated failed sends (bad keys, refusals): this device gets nothing until it
    # subscribes again.
    disabled_at: Instant | None = None


class RemoveSubscription(msgspec.Struct, kw_only=True):
    endpoint: Annotated[str, msgspec.Meta(min_length=1, max_length=1024)]


class PushOutcome(msgspec.Struct, kw_only=True):
    device_id: int
    status: Literal["delivered", "gone", "retry_later", "failed"]
    detail: str


class TestPushResult(msgspec.Struct, kw_only=True):
    results: list[PushOutcome]


class NextReminder(msgspec.Struct, kw_only=True):
    """When the rep's next reminder fires, in their own zone (for the settings screen)."""

    local_date: str
    wall_time: str
    time_zone: str
    fire_at: Instant
