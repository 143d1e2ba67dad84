"""Routes of the reminders domain: thin, they call Reminders."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from backend.reminders.service import Reminders
from shared_schemas import (
    NextReminder,
    PushDevice,
    PushPublicKey,
    PushSubscriptionInput,
    RemoveSubscription,
    TestPushResult,
)

RemindersDep = NamedDependency[Reminders]


class PushController(Controller):
    path = "/api/push"
    tags = ["reminders"]

    @get("/public-key")
    async def public_key(self, reminders: RemindersDep) -> PushPublicKey:
        return PushPublicKey(public_key=reminders.public_key)

    @get("/subscriptions")
    async def devices(self, request: Request, reminders: RemindersDep) -> list[PushDevice]:
        return await reminders.devices(request.user)

    @post("/subscriptions", status_code=200)
    async def subscribe(self, request: Request, data: JSONBody[PushSubscriptionInput], reminders: RemindersDep) -> PushDevice:
        """Turn notifications on for this device (idempotent; 409 for another account's endpoint)."""
        return await reminders.subscribe(request.user, data)

    @post("/subscriptions/remove", status_code=204)
    async def unsubscribe(self, request: Request, data: JSONBody[RemoveSubscription], reminders: RemindersDep) -> None:
        await reminders.unsubscribe(request.user, data.endpoint)

    @post("/test", status_code=200)
    async def test(self, request: Request, reminders: RemindersDep) -> TestPushResult:
        """Send "Notifications work" to every device of this account, now."""
        return await reminders.send_test(request.user)

    @get("/next")
    async def next_reminder(self, request: Request, reminders: RemindersDep) -> NextReminder | None:
        return await reminders.next_reminder(request.user)


ROUTES = [PushController]
