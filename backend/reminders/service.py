"""Reminders over the database: device subscriptions, test sends, and the scheduler.

Each reminder occurrence (rep, kind, local date, wall time) is claimed with a unique row
before anything is sent, so any number of scheduler processes send it once. Messages are
built at send time from live pace, and carry ids and numbers, never private notes.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

from piccolo.engine.base import Engine

from backend.accounts.service import Accounts, Principal
from backend.core import clock
from backend.core.db import write_transaction
from backend.core.errors import Conflict, InvalidInput, NotFound
from backend.core.weeks import week_start
from backend.plans.service import Plans
from backend.reminders.rules import endpoint_problem, keys_problem, next_occurrence, occurrences
from backend.reminders.sender import PushSender, Sent
from backend.reminders.tables import PushSubscription, ReminderSend
from shared_schemas import (
    NextReminder,
    PushDevice,
    PushOutcome,
    PushSubscriptionInput,
    TestPushResult,
)

log = logging.getLogger("followthrough.reminders")

# Missed by less than this (downtime, a slow tick): still sent, late. Older: skipped, recorded.
GRACE = timedelta(hours=1)
# How far back a tick looks, so that what was skipped during downtime is recorded.
LOOKBACK = timedelta(hours=48)
DAILY = "daily"


class Reminders:
    def __init__(self, engine: Engine, accounts: Accounts, plans: Plans, sender: PushSender,
                 public_key: str) -> None:
        self.engine = engine
        self.accounts = accounts
        self.plans = plans
        self.sender = sender
        self.public_key = public_key

    # ------------------------------------------------------------------ subscriptions
    async def subscribe(self, who: Principal, body: PushSubscriptionInput) -> PushDevice:
        problem = endpoint_problem(body.endpoint, self.sender.allowed_hosts, self.sender.test_origins)
        if problem:
            raise InvalidInput(problem, extra={"endpoint": problem})
        problem = keys_problem(body.keys.p256dh, body.keys.auth)
        if problem:
            raise InvalidInput(problem, extra={"keys": problem})
        async with write_transaction(self.engine):
            existing = await PushSubscription.select(PushSubscription.id, PushSubscription.user).where(
                PushSubscription.endpoint == body.endpoint).first()
            if existing and existing["user"] != who.user_id:
                # Never move another person's device to this account.
                raise Conflict("This push subscription belongs to another account.")
            values = {
                PushSubscription.p256dh: body.keys.p256dh, PushSubscription.auth: body.keys.auth,
                PushSubscription.client_id: body.client_id, PushSubscription.session_hash: who.session_hash,
                PushSubscription.user_agent: body.user_agent[:200], PushSubscription.failures: 0,
            }
            if existing:  # the same device subscribing again: refresh its keys
                await PushSubscription.update(values).where(PushSubscription.id == existing["id"])
                sub_id = existing["id"]
            else:
                rows = await PushSubscription.insert(PushSubscription(
                    user=who.user_id, endpoint=body.endpoint, created_at=clock.now(),
                    **{column._meta.name: value for column, value in values.items()})).returning(PushSubscription.id)
                sub_id = rows[0]["id"]
        return (await self._devices(PushSubscription.id == sub_id))[0]

    async def unsubscribe(self, who: Principal, endpoint: str) -> None:
        async with write_transaction(self.engine):
            await PushSubscription.delete().where(
                (PushSubscription.endpoint == endpoint) & (PushSubscription.user == who.user_id))

    async def devices(self, who: Principal) -> list[PushDevice]:
        return await self._devices(PushSubscription.user == who.user_id)

    @staticmethod
    async def _devices(condition) -> list[PushDevice]:
        rows = await PushSubscription.select().where(condition).order_by(PushSubscription.id)
        return [PushDevice(id=r["id"], service=urlsplit(r["endpoint"]).hostname or "", user_agent=r["user_agent"],
                           created_at=r["created_at"], last_success_at=r["last_success_at"]) for r in rows]

    async def forget_sessions(self, session_hashes: list[str]) -> None:
        """Signing out of a device removes that device's subscriptions."""
        if session_hashes:
            async with write_transaction(self.engine):
                await PushSubscription.delete().where(PushSubscription.session_hash.is_in(session_hashes))

    async def forget_user(self, user_id: int) -> None:
        """A deactivated user gets no more pushes."""
        async with write_transaction(self.engine):
            await PushSubscription.delete().where(PushSubscription.user == user_id)

    # ------------------------------------------------------------------ sending
    async def _send_to_user(self, user_id: int, payload: dict, topic: str) -> list[PushOutcome]:
        now = clock.now()
        subs = await PushSubscription.select().where(PushSubscription.user == user_id)
        outcomes = []
        for sub in subs:
            if sub["retry_after"] and sub["retry_after"] > now:
                outcomes.append(PushOutcome(device_id=sub["id"], status="retry_later",
                                            detail="the push service asked us to wait"))
                continue
            sent = await self.sender.send(sub["endpoint"], sub["p256dh"], sub["auth"], payload, topic=topic)
            await self._record(sub["id"], sent, now)
            outcomes.append(PushOutcome(device_id=sub["id"], status=sent.status, detail=sent.detail))
        return outcomes

    async def _record(self, sub_id: int, sent: Sent, now: datetime) -> None:
        async with write_transaction(self.engine):
            if sent.status == "gone":
                await PushSubscription.delete().where(PushSubscription.id == sub_id)
            elif sent.status == "delivered":
                await PushSubscription.update({PushSubscription.last_success_at: now, PushSubscription.failures: 0,
                                               PushSubscription.retry_after: None}).where(PushSubscription.id == sub_id)
            else:
                changes = {PushSubscription.failures: PushSubscription.failures + 1}
                if sent.retry_after:
                    changes[PushSubscription.retry_after] = now + timedelta(seconds=sent.retry_after)
                await PushSubscription.update(changes).where(PushSubscription.id == sub_id)

    async def send_test(self, who: Principal) -> TestPushResult:
        if not await PushSubscription.exists().where(PushSubscription.user == who.user_id):
            raise NotFound("This account has no device with notifications turned on.")
        payload = {"title": "Followthrough", "body": "Notifications work on this device.", "url": "/home",
                   "tag": "test"}
        return TestPushResult(results=await self._send_to_user(who.user_id, payload, topic="test"))

    async def next_reminder(self, who: Principal) -> NextReminder | None:
        prefs = await self.plans.preferences(who)
        if not prefs.answered:
            return None
        occurrence = next_occurrence(prefs.reminder_days, _times(prefs.reminder_times), prefs.time_zone, clock.now())
        if occurrence is None:
            return None
        return NextReminder(local_date=occurrence.local_date.isoformat(),
                            wall_time=occurrence.wall_time.strftime("%H:%M"), time_zone=prefs.time_zone,
                            fire_at=occurrence.fire_at)

    # ------------------------------------------------------------------ the scheduler
    async def tick(self) -> dict[str, int]:
        """Send every reminder occurrence that is due and not yet claimed by any process."""
        now = clock.now()
        since: dict[int, datetime] = {}  # per rep: when the first device turned notifications on
        for row in await PushSubscription.select(PushSubscription.user, PushSubscription.created_at):
            since[row["user"]] = min(since.get(row["user"], row["created_at"]), row["created_at"])
        users = sorted(since)
        if not users:
            return {}
        prefs = await self.plans.preferences_of(users)
        people = await self.accounts.people(users)
        done = {(r["user"], r["local_date"], r["wall_time"]) for r in await ReminderSend.select(
            ReminderSend.user, ReminderSend.local_date, ReminderSend.wall_time).where(
            ReminderSend.user.is_in(users) & (ReminderSend.fire_at >= now - LOOKBACK - timedelta(days=1)))}
        counts: dict[str, int] = {}
        for user_id in users:
            pref, person = prefs.get(user_id), people.get(user_id)
            if not pref or not pref.answered or not person or not person.active or person.role != "rep":
                continue
            # Nothing was "missed" before the rep chose their times and turned notifications on.
            start = max(now - LOOKBACK, since[user_id], pref.updated_at or since[user_id])
            for occurrence in occurrences(pref.reminder_days, _times(pref.reminder_times), pref.time_zone,
                                          start, now + timedelta(microseconds=1)):
                key = (user_id, occurrence.local_date, occurrence.wall_time.strftime("%H:%M"))
                if key in done or not await self._claim(user_id, occurrence):
                    continue
                status, detail = await self._deliver(person, pref, occurrence, now)
                counts[status] = counts.get(status, 0) + 1
                async with write_transaction(self.engine):
                    await ReminderSend.update({ReminderSend.status: status, ReminderSend.detail: detail[:300]}).where(
                        (ReminderSend.user == user_id) & (ReminderSend.kind == DAILY)
                        & (ReminderSend.local_date == occurrence.local_date)
                        & (ReminderSend.wall_time == key[2]))
        return counts

    async def _claim(self, user_id: int, occurrence) -> bool:
        async with write_transaction(self.engine):
            rows = await ReminderSend.insert(ReminderSend(
                user=user_id, kind=DAILY, local_date=occurrence.local_date,
                wall_time=occurrence.wall_time.strftime("%H:%M"), fire_at=occurrence.fire_at,
                claimed_at=clock.now(), status="claimed",
            )).on_conflict(action="DO NOTHING").returning(ReminderSend.id)
        return bool(rows)

    async def _deliver(self, person, pref, occurrence, now: datetime) -> tuple[str, str]:
        if now - occurrence.fire_at > GRACE:
            return "skipped_late", f"missed by {int((now - occurrence.fire_at).total_seconds() // 60)} min"
        payload = await self.message_for(person, pref.style, occurrence.local_date)
        if payload is None:
            return "not_needed", "on pace, and the rep chose autonomy"
        outcomes = await self._send_to_user(person.id, payload, topic=f"daily-{person.id}")
        if not outcomes:
            return "no_device", "no subscription left"
        delivered = sum(o.status == "delivered" for o in outcomes)
        return ("sent" if delivered else "failed"), f"{delivered} of {len(outcomes)} devices"

    async def message_for(self, person, style: str, day) -> dict | None:
        """The nudge, from live numbers: what is behind, by how much, and what to do next."""
        who = Principal(user_id=person.id, role="rep", team_id=person.team_id, managed_team_ids=frozenset(),
                        session_hash="")
        view = await self.plans.week_view(who, None, week_start(day))
        if view.plan is None or view.plan.status != "committed":
            return {"title": "Your week needs a plan", "url": "/plan", "tag": "plan",
                    "body": "Commit this week's plan: two minutes now saves guessing all week."}
        planned = [p for p in view.progress if p.target > 0]
        behind = [p for p in planned if p.pace.status == "behind"]
        if not behind and style == "autonomy":
            return None
        focus = min(behind or planned or view.progress,
                    key=lambda p: (p.done_qualifying - p.pace.expected_by_now, p.activity_type.position))
        days_left = focus.pace.working_days_left
        name = focus.activity_type.name.lower()
        body = (f"{focus.done_qualifying} of {focus.target} {name}s logged — "
                f"{days_left} day{'s' if days_left != 1 else ''} left. Log today's activity while it's fresh.")
        return {"title": "Today's activity", "body": body, "url": "/log", "tag": "daily",
                "activity_type_id": focus.activity_type.id, "week_start": view.week_start.isoformat()}


def _times(values: list[str]) -> list[time]:
    return [time(int(v[:2]), int(v[3:5])) for v in values]

