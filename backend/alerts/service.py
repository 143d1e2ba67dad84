"""Manager alerts over the database.

How an alert comes to be (docs/api.md, "Manager alerts"):
1. Things that happen (a plan committed or changed, a reflection, an ask for help, a
   rep's reply) are written to the outbox (`alert_events`) by `record`, a listener of the
   plans and coaching domains called inside the cause's own transaction.
2. Each tick of the reminder scheduler (every process) first calls `materialize`: for each
   manager and each enabled kind due by then, the grouped alert is built and inserted into
   the inbox with the unique key (manager, kind, local day): whichever process inserts
   first wins, so each kind comes at most once a day. The pace check asks the review
   (`Review.team_review`); commitments due ask coaching; event kinds read the outbox since
   the kind's previous alert.
3. The reminder scheduler then asks `due_pushes` (a reminder source for managers) for the
   new alerts of managers with a device, and claims and sends each exactly once like any
   reminder (reminder_sends). A manager without a device still has the inbox.
An email digest (once email sending exists) would be another reader of step 2's rows.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import msgspec
from piccolo.engine.base import Engine

from backend.accounts.service import Accounts, Person, Principal
from backend.alerts import rules
from backend.alerts.tables import AlertChoice, AlertEvent, ManagerAlert
from backend.coaching.service import Coaching
from backend.core import clock
from backend.core.db import id_list, insert_rows, write_transaction
from backend.core.errors import InvalidInput
from backend.core.events import Happened
from backend.reminders.service import ExtraReminder
from backend.review.service import Review
from shared_schemas import AlertCount, AlertInbox, AlertRep, AlertSettings, UpdateAlertSettings
from shared_schemas import ManagerAlert as AlertBody

# An alert whose time passed while no scheduler ran (downtime) is still built this long after,
# for the inbox; its push follows the reminders' own grace (sent late within an hour, else skipped).
LATE = timedelta(hours=6)
# Outbox rows older than this are deleted: every digest that could list them has been built.
KEEP_EVENTS = timedelta(days=30)
INBOX_LIMIT = 100
DETAIL_MAX = 160


class Alerts:
    def __init__(self, engine: Engine, accounts: Accounts, review: Review, coaching: Coaching) -> None:
        self.engine = engine
        self.accounts = accounts
        self.review = review
        self.coaching = coaching

    # ------------------------------------------------------------------ the outbox
    async def record(self, event: Happened) -> None:
        """A listener of plans and coaching: runs inside the cause's transaction."""
        await AlertEvent.insert(AlertEvent(team=event.team_id, rep=event.rep_id, kind=event.kind,
                                           week_start=event.week_start, ref_id=event.ref_id, at=event.at))

    # ------------------------------------------------------------------ settings
    @staticmethod
    def _choice(row: dict | None) -> rules.Choice:
        if row is None:
            return rules.Choice()
        return rules.Choice(pace=row["pace"], pace_weekday=row["pace_weekday"], pace_time=row["pace_time"],
                            plans=row["plans"], reflections=row["reflections"], help=row["help"],
                            commitments=row["commitments"],
                            digest_days=tuple(msgspec.json.decode(row["digest_days"], type=list[int])),
                            digest_time=row["digest_time"])

    async def _me(self, who: Principal) -> Person:
        me = await self.accounts.person(who.user_id)
        assert me is not None  # a signed-in user exists
        return me

    async def settings(self, who: Principal) -> AlertSettings:
        row = await AlertChoice.select().where(AlertChoice.user == who.user_id).first()
        choice = self._choice(row)
        me = await self._me(who)
        return AlertSettings(pace=choice.pace, pace_weekday=choice.pace_weekday, pace_time=choice.pace_time,
                             plans=choice.plans, reflections=choice.reflections, help=choice.help,
                             commitments=choice.commitments, digest_days=list(choice.digest_days),
                             digest_time=choice.digest_time, time_zone=me.time_zone, saved=row is not None)

    async def update_settings(self, who: Principal, body: UpdateAlertSettings) -> AlertSettings:
        if any(getattr(body, kind) for kind in rules.KINDS if kind != "pace") and not body.digest_days:
            raise InvalidInput("Pick at least one day for the daily digest, or turn its alerts off.",
                               extra={"digest_days": "Pick at least one day."})
        values = {
            AlertChoice.pace: body.pace, AlertChoice.pace_weekday: body.pace_weekday,
            AlertChoice.pace_time: body.pace_time, AlertChoice.plans: body.plans,
            AlertChoice.reflections: body.reflections, AlertChoice.help: body.help,
            AlertChoice.commitments: body.commitments,
            AlertChoice.digest_days: msgspec.json.encode(sorted(set(body.digest_days))).decode(),
            AlertChoice.digest_time: body.digest_time, AlertChoice.updated_at: clock.now(),
        }
        async with write_transaction(self.engine):
            if await AlertChoice.exists().where(AlertChoice.user == who.user_id):
                await AlertChoice.update(values).where(AlertChoice.user == who.user_id)
            else:
                await AlertChoice.insert(AlertChoice(user=who.user_id,
                                                     **{column._meta.name: v for column, v in values.items()}))
        return await self.settings(who)

    # ------------------------------------------------------------------ the inbox
    @staticmethod
    def _shown(who: Principal):
        return (ManagerAlert.user == who.user_id) & (ManagerAlert.listed > 0)

    async def inbox(self, who: Principal, limit: int = INBOX_LIMIT) -> AlertInbox:
        rows = await ManagerAlert.select().where(self._shown(who)).order_by(
            ManagerAlert.fire_at, ascending=False).order_by(ManagerAlert.id, ascending=False).limit(limit)
        return AlertInbox(alerts=[_body(r) for r in rows], unread=(await self.unread(who)).unread)

    async def unread(self, who: Principal) -> AlertCount:
        return AlertCount(unread=await ManagerAlert.count().where(self._shown(who) & ManagerAlert.read_at.is_null()))

    async def mark_read(self, who: Principal, ids: list[int]) -> AlertCount:
        """Ids that are not this manager's alerts are ignored (they say nothing about others')."""
        async with write_transaction(self.engine):
            await ManagerAlert.update({ManagerAlert.read_at: clock.now()}).where(
                self._shown(who) & ManagerAlert.id.is_in(id_list(ids)) & ManagerAlert.read_at.is_null())
        return await self.unread(who)

    # ------------------------------------------------------------------ building alerts (each tick)
    async def materialize(self, until: datetime) -> int:
        """Build every alert due before `until` that no process has built yet; returns how
        many this call inserted. Cheap when nothing is due: three small reads."""
        now = clock.now()
        managers = await self.accounts.managed_teams()
        if not managers:
            return 0
        people = await self.accounts.people(list(managers))
        choices = {r["user"]: self._choice(r) for r in await AlertChoice.select().where(
            AlertChoice.user.is_in(id_list(list(managers))))}
        candidates: list[tuple[Person, list[int], rules.Due]] = []
        for manager_id, teams in managers.items():
            person = people.get(manager_id)
            if person is None or not person.active:
                continue
            for found in rules.due(choices.get(manager_id, rules.Choice()), person.time_zone, now - LATE, until):
                candidates.append((person, teams, found))
        if not candidates:
            return 0
        first_day = min(c[2].occurrence.local_date for c in candidates)
        done = {(r["user"], r["kind"], r["local_date"]) for r in await ManagerAlert.select(
            ManagerAlert.user, ManagerAlert.kind, ManagerAlert.local_date).where(
            ManagerAlert.user.is_in(id_list([c[0].id for c in candidates])) & (ManagerAlert.local_date >= first_day))}
        built = 0
        for person, teams, found in candidates:
            if (person.id, found.kind, found.occurrence.local_date) in done:
                continue
            row = await self._build(person, teams, found, now)
            async with write_transaction(self.engine):
                await insert_rows(ManagerAlert, [row], skip_conflicts=True)  # another process may have won
            built += 1
        await self._prune(now)
        return built

    async def _build(self, manager: Person, teams: list[int], found: rules.Due, now: datetime) -> dict:
        occurrence = found.occurrence
        covers_until = occurrence.fire_at
        if found.kind == "pace":
            listed = await self._behind(manager, teams)
        elif found.kind == "commitments":
            listed = await self._commitments_due(teams, occurrence.local_date)
        else:
            last = await ManagerAlert.select(ManagerAlert.covers_until).where(
                (ManagerAlert.user == manager.id) & (ManagerAlert.kind == found.kind)
                & (ManagerAlert.local_date < occurrence.local_date)).order_by(
                ManagerAlert.local_date, ascending=False).first()
            since, covers_until = rules.window(last["covers_until"] if last else None, occurrence.fire_at, now)
            events = await AlertEvent.select().where(
                AlertEvent.team.is_in(id_list(teams)) & AlertEvent.kind.is_in(list(rules.EVENTS_OF[found.kind]))
                & (AlertEvent.at >= since) & (AlertEvent.at < covers_until))
            reps = await self._reps_of(teams)
            listed = rules.from_events(found.kind, [rules.Event(e["kind"], e["rep"], e["week_start"], e["at"])
                                                    for e in events], {r.id: r.name for r in reps})
        title, body = rules.compose(found.kind, listed, occurrence)
        return {"user": manager.id, "kind": found.kind, "local_date": occurrence.local_date,
                "wall_time": occurrence.wall_time.strftime("%H:%M"), "fire_at": occurrence.fire_at,
                "covers_until": covers_until, "title": title[:200], "body": body, "url": rules.URLS[found.kind],
                "reps": msgspec.json.encode([{"user_id": i.user_id, "name": i.name, "detail": i.detail[:DETAIL_MAX]}
                                             for i in listed]).decode(),
                "listed": len(listed), "created_at": now, "read_at": None}

    async def _reps_of(self, teams: list[int]) -> list[Person]:
        return [rep for team in teams for rep in await self.accounts.team_reps(team)]

    async def _behind(self, manager: Person, teams: list[int]) -> list[rules.Listed]:
        """The pace check reads the review's own diagnosis for this week (no second one here)."""
        who = Principal(user_id=manager.id, role=manager.role, team_id=manager.team_id,
                        managed_team_ids=frozenset(teams), session_hash="")
        listed: list[rules.Listed] = []
        for team in teams:
            review = await self.review.team_review(who, team, None)
            listed.extend(rules.behind(rules.ReviewedRep(
                user_id=row.user_id, name=row.name, attention=row.attention, why=row.why,
                behind_reason=next((s.reason for s in row.signals if s.kind == "behind_pace"), None))
                for row in review.rows))
        return listed

    async def _commitments_due(self, teams: list[int], day) -> list[rules.Listed]:
        reps = await self._reps_of(teams)
        due = await self.coaching.open_commitments_due(reps, day)
        listed = []
        for rep in reps:
            mine = due.get(rep.id)
            if mine:
                first = mine[0]
                words = f"\u201c{first.text}\u201d" + (
                    f", {first.done_count or 0} of {first.target_count} done" if first.target_count else "")
                listed.append(rules.Listed(rep.id, rep.name, words + (f" and {len(mine) - 1} more" if len(mine) > 1
                                                                      else "")))
        return listed

    async def _prune(self, now: datetime) -> None:
        if await AlertEvent.exists().where(AlertEvent.at < now - KEEP_EVENTS):
            async with write_transaction(self.engine):
                await AlertEvent.delete().where(AlertEvent.at < now - KEEP_EVENTS)

    # ------------------------------------------------------------------ pushes (a reminder source)
    async def due_pushes(self, managers: dict[int, Person], start: datetime, end: datetime) -> list[ExtraReminder]:
        """For the reminder scheduler: the shown alerts of managers with a device, due in
        [start, end). The scheduler claims each (manager, alert_<kind>, day, time) once."""
        if not managers:
            return []
        rows = await ManagerAlert.select().where(
            ManagerAlert.user.is_in(id_list(list(managers))) & (ManagerAlert.listed > 0)
            & (ManagerAlert.fire_at >= start) & (ManagerAlert.fire_at < end))
        return [ExtraReminder(user_id=r["user"], kind=f"alert_{r['kind']}", local_date=r["local_date"],
                              wall_time=r["wall_time"], fire_at=r["fire_at"],
                              payload={"title": r["title"], "body": r["body"], "url": "/alerts",
                                       "tag": f"alert-{r['kind']}", "alert_id": r["id"]}) for r in rows]


def _body(row: dict) -> AlertBody:
    return AlertBody(id=row["id"], kind=row["kind"], local_date=row["local_date"].isoformat(),
                     wall_time=row["wall_time"], title=row["title"], body=row["body"], url=row["url"],
                     reps=msgspec.json.decode(row["reps"], type=list[AlertRep]), created_at=row["created_at"],
                     read_at=row["read_at"])

