"""Reminders over the database: device subscriptions, test sends, and the scheduler.

Each reminder occurrence (rep, kind, local date, wall time) is claimed with a unique row
before anything is sent, so any number of scheduler processes send it once. Messages are
built at send time from live pace, and carry ids and numbers, never private notes.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit

from piccolo.engine.base import Engine

from backend.accounts.service import Accounts, Principal
from backend.core import clock
from backend.core.db import id_list, insert_rows, write_transaction
from backend.core.errors import Conflict, InvalidInput, NotFound
from backend.plans.service import Plans, RepWeek
from backend.reminders.rules import (
    Occurrence,
    endpoint_problem,
    keys_problem,
    next_occurrence,
    occurrences,
)
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
# Failed sends in a row (keys that cannot encrypt, a 4xx, a host resolving to a private
# address) after which a subscription is disabled until the device subscribes again.
# Timeouts, 5xx and 429 do not count: they are the push service's trouble, not the device's.
MAX_FAILURES = 3
DISABLED = (f"turned off after {MAX_FAILURES} failed sends in a row: "
            "turn notifications off and on again on this device")
# An exception of our own while building or sending one push: that push fails, the others go out.
SERVER_ERROR = Sent("failed", "the server could not send it (see its log)", counted=False)
DAILY = "daily"


@dataclass(frozen=True)
class ExtraReminder:
    """One occurrence of another domain's reminder, with its message (ids and numbers only)."""

    user_id: int
    kind: str  # at most 20 characters: part of the once-only key
    local_date: date
    wall_time: str
    fire_at: datetime
    payload: dict


# (active reps by id, start, end) -> occurrences with start <= fire_at < end.
ReminderSource = Callable[[dict, datetime, datetime], Awaitable[list[ExtraReminder]]]
SEND_CONCURRENCY = PushSender.MAX_IN_FLIGHT
# Reminders claimed, prepared and sent together: small enough that the first pushes leave
# within a fraction of a second, large enough that the bulk reads and writes stay few.
CLAIM_CHUNK = 250


@dataclass(frozen=True)
class DueReminders:
    """Occurrences due before `until`, with what sending them needs."""

    until: datetime
    by_user: dict[int, list[dict]]  # push subscriptions per rep
    prefs: dict
    people: dict
    due: list[dict]
    payloads: dict  # other domains' messages by occurrence key


class Reminders:
    def __init__(self, engine: Engine, accounts: Accounts, plans: Plans, sender: PushSender,
                 public_key: str) -> None:
        self.engine = engine
        self.accounts = accounts
        self.plans = plans
        self.sender = sender
        self.public_key = public_key
        self.sources: list[tuple[ReminderSource, frozenset[str]]] = []
        self.before_prepare: list[Callable[[datetime], Awaitable[None]]] = []

    def add_source(self, source: ReminderSource, roles: tuple[str, ...] = ("rep",)) -> None:
        """Another domain's reminders, claimed and sent exactly once like the daily nudge;
        the source is asked about the active people of these roles who have a device."""
        self.sources.append((source, frozenset(roles)))

    def add_before_prepare(self, step: Callable[[datetime], Awaitable[None]]) -> None:
        """Work of another domain for each tick, whoever has a device (the managers' inbox):
        called with the tick's `until` before anything is read."""
        self.before_prepare.append(step)

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
                PushSubscription.disabled_at: None,  # subscribing again turns a disabled device back on
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
                           created_at=r["created_at"], last_success_at=r["last_success_at"],
                           disabled_at=r["disabled_at"]) for r in rows]

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
            if sub["disabled_at"]:
                outcomes.append(PushOutcome(device_id=sub["id"], status="failed", detail=DISABLED))
                continue
            if sub["retry_after"] and sub["retry_after"] > now:
                outcomes.append(PushOutcome(device_id=sub["id"], status="retry_later",
                                            detail="the push service asked us to wait"))
                continue
            try:
                sent = await self.sender.send(sub["endpoint"], sub["p256dh"], sub["auth"], payload, topic=topic)
            except Exception:  # one device's push must not stop the others'
                log.exception("push to device %s failed", sub["id"])
                sent = SERVER_ERROR
            await self._record_many([(sub["id"], sent)], now)
            outcomes.append(PushOutcome(device_id=sub["id"], status=sent.status, detail=sent.detail))
        return outcomes

    async def notify(self, user_id: int, payload: dict, topic: str) -> None:
        """Push a one-off message (kudos, …) to every device of a user; never raises: the
        message is already stored in the app, the push is a courtesy."""
        try:
            outcomes = await self._send_to_user(user_id, payload, topic=topic)
            log.info("notify %s: %s", topic, ",".join(o.status for o in outcomes) or "no device")
        except Exception:  # noqa: BLE001 - a failed courtesy push must not fail the caller
            log.exception("notify %s failed", topic)

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
        return await self.send_due(await self.prepare(clock.now() + timedelta(microseconds=1)))

    async def prepare(self, until: datetime) -> DueReminders:
        """What falls due before `until` and no process has claimed yet: a handful of
        set-based reads, however many reps. The scheduler prepares just before a minute
        starts, so that the minute's pushes leave as it starts."""
        for step in self.before_prepare:
            try:
                await step(until)
            except Exception:  # another domain's trouble must not stop the reps' reminders
                log.exception("a step before the reminders failed")
        now = clock.now()
        subs = await PushSubscription.select().where(PushSubscription.disabled_at.is_null())
        by_user: dict[int, list[dict]] = {}
        for sub in subs:
            by_user.setdefault(sub["user"], []).append(sub)
        if not by_user:
            return DueReminders(until, {}, {}, {}, [], {})
        users = sorted(by_user)
        people = await self.accounts.people(users)
        prefs = await self.plans.preferences_for(people)
        done = await self._already_claimed(users, now)
        due = self._due(now, until, by_user, prefs, people, done)
        # Other domains' reminders (check-in reflection, commitments due), with their message.
        payloads: dict[tuple[int, str, object, str], dict] = {}
        for source, roles in self.sources:
            active = {u: p for u, p in people.items() if p.active and p.role in roles}
            for extra in await source(active, now - LOOKBACK, until):
                key = (extra.user_id, extra.kind, extra.local_date, extra.wall_time)
                since = min(s["created_at"] for s in by_user[extra.user_id])
                if key not in done and key not in payloads and extra.fire_at >= since:
                    payloads[key] = extra.payload
                    due.append({"user": extra.user_id, "kind": extra.kind, "local_date": extra.local_date,
                                "wall_time": extra.wall_time, "fire_at": extra.fire_at})
        return DueReminders(until, by_user, prefs, people, due, payloads)

    async def send_due(self, prepared: DueReminders) -> dict[str, int]:
        """Claim, build and send what `prepare` found, chunk by chunk: a bulk claim, a few
        reads for those reps' weeks (messages come from live numbers), concurrent sends,
        and the results written back in bulk. Chunks let the first pushes leave at once
        and let several processes share a busy minute: each starts at a different chunk,
        and a chunk another process claimed first costs one insert that claims nothing."""
        now = clock.now()
        due = [d for d in prepared.due if d["fire_at"] <= now]  # the rest: a later tick
        if not due:
            return {}
        by_user, prefs, people, payloads = prepared.by_user, prepared.prefs, prepared.people, prepared.payloads
        chunks = [due[i:i + CLAIM_CHUNK] for i in range(0, len(due), CLAIM_CHUNK)]
        first = secrets.randbelow(len(chunks))
        pending = iter(chunks[first:] + chunks[:first])
        counts: dict[str, int] = {}
        gate = asyncio.Semaphore(SEND_CONCURRENCY)  # pushes in flight, over both chunks

        async def work() -> None:
            # Two chunks at a time: one is being prepared while the other's pushes travel.
            for chunk in pending:
                claimed = await self._claim(chunk, now)
                if claimed:
                    try:
                        outcome = await self._deliver(claimed, now, by_user, prefs, people, payloads, gate)
                    except Exception:
                        # Whatever went wrong, no claim stays "claimed" for ever, and the
                        # other chunks still go out.
                        log.exception("a chunk of %s reminders failed", len(claimed))
                        outcome = {c["id"]: ("failed", SERVER_ERROR.detail) for c in claimed}
                        await self._finish(outcome)
                    for status, _ in outcome.values():
                        counts[status] = counts.get(status, 0) + 1

        await asyncio.gather(work(), work())
        return counts

    async def _deliver(self, claimed: list[dict], now: datetime, by_user, prefs, people,
                       payloads: dict, gate: asyncio.Semaphore) -> dict[int, tuple[str, str]]:
        """Build each claimed reminder's message from live numbers, send it to the rep's
        devices, and record what happened to every claim."""
        late = [c for c in claimed if now - c["fire_at"] > GRACE]
        fresh = [c for c in claimed if now - c["fire_at"] <= GRACE]
        weeks = await self.plans.weeks_of([people[c["user"]] for c in fresh if c["kind"] == DAILY])
        outcome: dict[int, tuple[str, str]] = {
            c["id"]: ("skipped_late", f"missed by {int((now - c['fire_at']).total_seconds() // 60)} min") for c in late}
        jobs = []
        for claim in fresh:
            user_id = claim["user"]
            key = (user_id, claim["kind"], claim["local_date"], claim["wall_time"])
            if claim["kind"] == DAILY and user_id in weeks and weeks[user_id].off_today:
                outcome[claim["id"]] = ("not_needed", "the rep is off today")
                continue
            payload = payloads[key] if claim["kind"] != DAILY else message(weeks.get(user_id), prefs[user_id].style,
                                                                            user_id)
            if payload is None:
                outcome[claim["id"]] = ("not_needed", "on pace, and the rep chose autonomy")
                continue
            targets = [s for s in by_user[user_id] if not (s["retry_after"] and s["retry_after"] > now)]
            if not targets:
                outcome[claim["id"]] = ("no_device", "no device can receive it now")
            jobs.extend((claim["id"], sub, payload, f"{claim['kind']}-{user_id}") for sub in targets)
        delivered = await self._send_all(jobs, now, gate)
        for claim_id, results in delivered.items():
            ok = sum(sent.status == "delivered" for sent in results)
            why = next((f": {sent.detail}" for sent in results if sent.status != "delivered"), "") if not ok else ""
            outcome[claim_id] = ("sent" if ok else "failed", f"{ok} of {len(results)} devices{why}")
        await self._finish(outcome)
        return outcome

    @staticmethod
    async def _already_claimed(users: list[int], now: datetime) -> set[tuple[int, str, object, str]]:
        rows = await ReminderSend.select(ReminderSend.user, ReminderSend.kind, ReminderSend.local_date,
                                         ReminderSend.wall_time).where(
            ReminderSend.user.is_in(id_list(users)) & (ReminderSend.fire_at >= now - LOOKBACK - timedelta(days=1)))
        return {(r["user"], r["kind"], r["local_date"], r["wall_time"]) for r in rows}

    @staticmethod
    def _due(now: datetime, until: datetime, by_user: dict[int, list[dict]], prefs, people, done) -> list[dict]:
        due = []
        # Reps who chose the same days, times and zone share their occurrences: computed once
        # per schedule over the whole look-back window, then cut to each rep's own start.
        schedules: dict[tuple, list[tuple[Occurrence, str]]] = {}
        for user_id, subs in by_user.items():
            pref, person = prefs.get(user_id), people.get(user_id)
            if not pref or not pref.answered or not person or not person.active or person.role != "rep":
                continue
            # Nothing was "missed" before the rep chose their times and turned notifications on.
            since = min(s["created_at"] for s in subs)
            start = max(now - LOOKBACK, since, pref.updated_at or since)
            schedule = (tuple(pref.reminder_days), tuple(pref.reminder_times), pref.time_zone)
            found = schedules.get(schedule)
            if found is None:
                found = schedules[schedule] = [
                    (o, o.wall_time.strftime("%H:%M")) for o in occurrences(
                        pref.reminder_days, _times(pref.reminder_times), pref.time_zone, now - LOOKBACK, until)]
            for occurrence, wall in found:
                if occurrence.fire_at >= start and (user_id, DAILY, occurrence.local_date, wall) not in done:
                    due.append({"user": user_id, "kind": DAILY, "local_date": occurrence.local_date,
                                "wall_time": wall, "fire_at": occurrence.fire_at})
        return due

    async def _claim(self, due: list[dict], now: datetime) -> list[dict]:
        """Insert every due occurrence, skipping those another process already holds, and
        return the ones this tick got (a unique key per rep, kind, local date and time)."""
        if not due:
            return []
        token = secrets.token_hex(16)
        rows = [{**d, "claimed_at": now, "claimed_by": token, "status": "claimed", "detail": ""} for d in due]
        async with write_transaction(self.engine):
            await insert_rows(ReminderSend, rows, skip_conflicts=True)
        return await ReminderSend.select(ReminderSend.id, ReminderSend.user, ReminderSend.kind, ReminderSend.local_date,
                                         ReminderSend.wall_time, ReminderSend.fire_at).where(
            ReminderSend.claimed_by == token)

    async def _send_all(self, jobs: list[tuple], now: datetime, gate: asyncio.Semaphore) -> dict[int, list[Sent]]:
        """Build every push of the chunk, send them concurrently (bounded), then record
        every subscription's result in bulk."""
        # Encrypting the chunk in one go, before any of it travels, costs a third less CPU a
        # push than encrypting each between the other pushes' network work (sender.build).
        # A push that cannot be built (a device's bad keys are a Sent from build) fails alone.
        built = []
        for claim_id, sub, payload, topic in jobs:
            try:
                push = await self.sender.build(sub["endpoint"], sub["p256dh"], sub["auth"], payload, topic=topic)
            except Exception:
                log.exception("could not build the push for device %s", sub["id"])
                push = SERVER_ERROR
            built.append((claim_id, sub, push))

        async def one(claim_id, sub, push):
            if isinstance(push, Sent):  # refused before sending
                return claim_id, sub["id"], push
            try:
                async with gate:
                    return claim_id, sub["id"], await self.sender.deliver(push)
            except Exception:
                log.exception("the push to device %s failed", sub["id"])
                return claim_id, sub["id"], SERVER_ERROR

        results = await asyncio.gather(*(one(*job) for job in built))
        by_claim: dict[int, list[Sent]] = {}
        for claim_id, _, sent in results:
            by_claim.setdefault(claim_id, []).append(sent)
        await self._record_many([(sub_id, sent) for _, sub_id, sent in results], now)
        return by_claim

    async def _record_many(self, results: list[tuple[int, Sent]], now: datetime) -> None:
        """What each subscription's send did to it: gone ones are deleted, a delivery
        clears its failures, a failure counts (MAX_FAILURES in a row disable it), a 429
        holds it until its Retry-After."""
        gone = [sub_id for sub_id, sent in results if sent.status == "gone"]
        delivered = [sub_id for sub_id, sent in results if sent.status == "delivered"]
        failed = [sub_id for sub_id, sent in results if sent.status == "failed" and sent.counted]
        waiting = [(sub_id, sent.retry_after) for sub_id, sent in results
                   if sent.status == "retry_later" and sent.retry_after]
        async with write_transaction(self.engine):
            if gone:
                await PushSubscription.delete().where(PushSubscription.id.is_in(id_list(gone)))
            if delivered:
                await PushSubscription.update({PushSubscription.last_success_at: now, PushSubscription.failures: 0,
                                               PushSubscription.retry_after: None}).where(
                    PushSubscription.id.is_in(id_list(delivered)))
            if failed:
                await PushSubscription.update({PushSubscription.failures: PushSubscription.failures + 1}).where(
                    PushSubscription.id.is_in(id_list(failed)))
                await PushSubscription.update({PushSubscription.disabled_at: now}).where(
                    PushSubscription.id.is_in(id_list(failed)) & (PushSubscription.failures >= MAX_FAILURES)
                    & PushSubscription.disabled_at.is_null())
            for sub_id, seconds in waiting:
                await PushSubscription.update({PushSubscription.retry_after: now + timedelta(seconds=seconds)}).where(
                    PushSubscription.id == sub_id)

    async def _finish(self, outcome: dict[int, tuple[str, str]]) -> None:
        groups: dict[tuple[str, str], list[int]] = {}
        for claim_id, status_detail in outcome.items():
            groups.setdefault(status_detail, []).append(claim_id)
        async with write_transaction(self.engine):
            for (status, detail), ids in groups.items():
                await ReminderSend.update({ReminderSend.status: status, ReminderSend.detail: detail[:300]}).where(
                    ReminderSend.id.is_in(id_list(ids)))


def message(week: RepWeek | None, style: str, user_id: int) -> dict | None:
    """The nudge, from live numbers: what is behind, by how much, and what to do next.
    Ids and numbers only; never a note's text. None: no nudge is needed."""
    if week is None or not week.committed:
        return {"title": "Your week needs a plan", "url": "/plan", "tag": "plan",
                "body": "Commit this week's plan: two minutes now saves guessing all week."}
    planned = [p for p in week.progress if p.target > 0]
    behind = [p for p in planned if p.pace.status == "behind"]
    if not behind and style == "autonomy":
        return None
    focus = min(behind or planned or week.progress,
                key=lambda p: (p.done_qualifying - p.pace.expected_by_now, p.activity_type.position))
    days_left = focus.pace.working_days_left
    name = focus.activity_type.name.lower()
    body = (f"{focus.done_qualifying} of {focus.target} {name}s logged — "
            f"{days_left} day{'s' if days_left != 1 else ''} left. Log today's activity while it's fresh.")
    return {"title": "Today's activity", "body": body, "url": "/log", "tag": "daily",
            "activity_type_id": focus.activity_type.id, "week_start": week.monday.isoformat()}


def _times(values: list[str]) -> list[time]:
    return [time(int(v[:2]), int(v[3:5])) for v in values]

