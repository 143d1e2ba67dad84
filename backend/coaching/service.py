"""The coaching loop over the database: check-in schedules, reflections (written through the
sync outbox), the manager's check-in with notes and commitments, commitments that follow
themselves up, self-coaching prompts, milestones and the rep's timeline.

Rules are pure (coaching.rules). People come from accounts, plans and preferences from
plans, logged activity from activities, numbers and questions from review.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction

import msgspec
from piccolo.engine.base import Engine

from backend.accounts.service import Accounts, Person, Principal
from backend.activities.service import Activities, Rejected
from backend.coaching import prompts, rules
from backend.coaching.tables import (
    CheckIn,
    CheckinEdit,
    CheckinNote,
    CheckinSchedule,
    Commitment,
    Reflection,
    SelfCoachingTip,
)
from backend.core import clock
from backend.core.db import id_list, write_transaction
from backend.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from backend.core.events import Events, Happened
from backend.core.http import convert_strictly, described
from backend.core.weeks import local_date, local_wall_time, week_start
from backend.plans.service import Plans
from backend.reminders.rules import occurrences
from backend.reminders.service import ExtraReminder
from backend.review import rules as review_rules
from backend.review.service import Review
from shared_schemas import CheckIn as CheckInBody
from shared_schemas import CheckinEdit as CheckinEditBody
from shared_schemas import CheckinNote as CheckinNoteBody
from shared_schemas import CheckinSchedule as ScheduleBody
from shared_schemas import (
    CheckinWorkspace,
    Milestone,
    ReflectionFields,
    SelfCoachingPrompt,
    Timeline,
    TimelineEntry,
)
from shared_schemas import Commitment as CommitmentBody
from shared_schemas import Reflection as ReflectionBody

DEFAULT_WEEKDAYS = [3]  # Thursday
DEFAULT_TIME = "14:00"
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
REFLECTION_WEEKS_BACK = 8
REFLECT_BEFORE = timedelta(hours=2)  # the reflection prompt comes this long before the 1:1
COMMITMENT_REMINDER_AT = time(9, 0)  # local morning of the due date  # a reflection can still be written for the last 8 weeks
TIMELINE_WEEKS = 26


class Coaching:
    def __init__(self, engine: Engine, accounts: Accounts, plans: Plans, activities: Activities,
                 review: Review) -> None:
        self.engine = engine
        self.accounts = accounts
        self.plans = plans
        self.activities = activities
        self.review = review
        # Reflections written and asks for help, told in the sync push's transaction (manager alerts).
        self.events = Events()
        activities.handle_kind("reflection.upsert", self.apply_reflection)
        review.use_commitment_checks(self.commitment_checks)

    # ------------------------------------------------------------------ access
    async def _rep(self, who: Principal, user_id: int) -> Person:
        """A rep the asker may see: themselves or a rep of a team they manage (else 404)."""
        rep = await self.plans.visible_rep(who, user_id)
        if rep.role != "rep" or rep.team_id is None:
            raise NotFound("That person is not a rep on a team.")
        return rep

    async def _managed_rep(self, who: Principal, user_id: int) -> Person:
        rep = await self._rep(who, user_id)
        if not who.can_manage_team(rep.team_id):
            raise Forbidden("Only the rep's manager can do this.")
        return rep

    async def _checkin_row(self, who: Principal, checkin_id: int, *, manage: bool) -> tuple[dict, Person]:
        row = await CheckIn.select().where(CheckIn.id == checkin_id).first()
        rep = await self.accounts.person(row["user"]) if row else None
        if row is None or rep is None or not (rep.id == who.user_id or who.can_manage_team(rep.team_id)):
            raise NotFound("That check-in does not exist or is not yours.")
        if manage and not who.can_manage_team(rep.team_id):
            raise Forbidden("Only the rep's manager can change a check-in.")
        return row, rep

    # ------------------------------------------------------------------ schedule
    async def _schedule(self, rep: Person) -> ScheduleBody:
        row = await CheckinSchedule.select(CheckinSchedule.all_columns(), CheckinSchedule.set_by.name).where(
            CheckinSchedule.user == rep.id).first()
        weekdays = msgspec.json.decode(row["weekdays"], type=list[int]) if row else DEFAULT_WEEKDAYS
        wall = row["wall_time"] if row else DEFAULT_TIME
        prefs = (await self.plans.preferences_of([rep.id]))[rep.id]
        upcoming = rules.next_checkin(weekdays, wall, rep.time_zone, clock.now())
        words = None
        if upcoming:
            local = upcoming.astimezone(_zone(rep.time_zone))
            words = f"{WEEKDAY_NAMES[local.weekday()]} {local.day} {local:%b}, {local:%H:%M}"
        return ScheduleBody(
            user_id=rep.id, weekdays=weekdays, time=wall, time_zone=rep.time_zone,
            rhythm_preference=prefs.checkin_rhythm if prefs.answered else "not answered yet",
            agreed=row is not None, set_by=row["set_by.name"] if row else None,
            updated_at=row["updated_at"] if row else None, next_at=upcoming, next_words=words)

    async def schedule(self, who: Principal, user_id: int) -> ScheduleBody:
        return await self._schedule(await self._rep(who, user_id))

    async def set_schedule(self, who: Principal, user_id: int, body) -> ScheduleBody:
        rep = await self._managed_rep(who, user_id)
        weekdays = sorted(set(body.weekdays))
        values = {"weekdays": msgspec.json.encode(weekdays).decode(), "wall_time": body.time,
                  "set_by": who.user_id, "updated_at": clock.now()}
        async with write_transaction(self.engine):
            if await CheckinSchedule.exists().where(CheckinSchedule.user == rep.id):
                await CheckinSchedule.update({getattr(CheckinSchedule, k): v for k, v in values.items()}).where(
                    CheckinSchedule.user == rep.id)
            else:
                await CheckinSchedule.insert(CheckinSchedule(user=rep.id, **values))
        return await self._schedule(rep)

    # ------------------------------------------------------------------ reflections (through sync)
    async def apply_reflection(self, rep_id: int, uid: str, payload: dict | None, now: datetime) -> None:
        """A `reflection.upsert` from a device's outbox, inside the push's transaction.
        One reflection per rep and week: a later write (any device) replaces the text."""
        try:
            # Strict, as the schema and every body say ("5" is no self_rating; 4.0 is 4).
            fields = convert_strictly(payload or {}, ReflectionFields)
        except msgspec.ValidationError as error:
            raise Rejected("invalid", f"The reflection is not valid: {described(error)}.") from None
        rep = await self.accounts.person(rep_id)
        this_week = week_start(local_date(now, rep.time_zone if rep else "UTC"))
        if fields.week_start.weekday() != 0:
            raise Rejected("invalid", "A reflection is for a week: its week_start must be a Monday.")
        # One day of slack: a rep east of the server's idea of "now" may already be in next week.
        if fields.week_start > week_start(local_date(now, rep.time_zone if rep else "UTC") + timedelta(days=1)):
            raise Rejected("in_future", "That week has not started yet.")
        if fields.week_start < this_week - timedelta(weeks=REFLECTION_WEEKS_BACK):
            raise Rejected("too_old", f"Reflections can be written for the last {REFLECTION_WEEKS_BACK} weeks.")
        values = {
            Reflection.wins: fields.wins.strip(), Reflection.stuck: fields.stuck.strip(),
            Reflection.differently: fields.differently.strip(), Reflection.help_wanted: fields.help_wanted.strip(),
            Reflection.self_rating: fields.self_rating,
            Reflection.jottings: msgspec.json.encode([j.strip() for j in fields.jottings if j.strip()]).decode(),
            Reflection.updated_at: now,
        }
        # Ids are per rep: another rep's id is, in mine, an id like any unknown one.
        other = await Reflection.select(Reflection.week_start).where(
            (Reflection.user == rep_id) & (Reflection.uid == uid)).first()
        if other and other["week_start"] != fields.week_start:
            raise Rejected("already_exists", "This reflection's id belongs to another week: use a new id.")
        found = await Reflection.select(Reflection.id, Reflection.help_wanted).where(
            (Reflection.user == rep_id) & (Reflection.week_start == fields.week_start)).first()
        if found:
            await Reflection.update(values).where(Reflection.id == found["id"])
            reflection_id = found["id"]
        else:
            rows = await Reflection.insert(Reflection(uid=uid, user=rep_id, week_start=fields.week_start,
                                                      **{column._meta.name: v for column, v in values.items()})
                                           ).returning(Reflection.id)
            reflection_id = rows[0]["id"]
        if rep and rep.team_id is not None:
            # A reflection is news once (its first write); an ask for help whenever it is new or reworded.
            if not found:
                await self.events.emit(Happened("reflection", rep_id, rep.team_id, fields.week_start, reflection_id,
                                                now))
            help_wanted = values[Reflection.help_wanted]
            if help_wanted and help_wanted != (found["help_wanted"] if found else ""):
                await self.events.emit(Happened("help_wanted", rep_id, rep.team_id, fields.week_start,
                                                reflection_id, now))

    async def _reflection(self, rep_id: int, monday: date) -> ReflectionBody | None:
        row = await Reflection.select().where((Reflection.user == rep_id) & (Reflection.week_start == monday)).first()
        return _reflection_body(row) if row else None

    async def reflection(self, who: Principal, user_id: int, monday: date) -> ReflectionBody | None:
        rep = await self._rep(who, user_id)
        if monday.weekday() != 0:
            raise InvalidInput(f"{monday.isoformat()} is not a Monday.", extra={"week_start": "Pick a Monday."})
        return await self._reflection(rep.id, monday)

    # ------------------------------------------------------------------ commitments
    async def _commitments(self, condition, rep: Person) -> list[CommitmentBody]:
        rows = await Commitment.select().where(condition).order_by(Commitment.created_at, ascending=False).order_by(
            Commitment.id, ascending=False)
        types = {t.id: t.name for t in await self.plans.team_types(rep.team_id)} if rep.team_id else {}
        today = local_date(clock.now(), rep.time_zone)
        result = []
        for row in rows:
            done = None
            if row["activity_type"] is not None:
                # What was logged after the commitment was made ("3 more follow-ups"), up to the due date.
                done = await self.activities.count_since(row["user"], row["activity_type"], row["created_at"],
                                                         row["due_on"])
            status, source = rules.commitment_status(target=row["target_count"], done=done, due_on=row["due_on"],
                                                     today=today, manager_status=row["manager_status"])
            result.append(CommitmentBody(
                id=row["id"], user_id=row["user"], checkin_id=row["checkin"], text=row["text"], due_on=row["due_on"],
                activity_type_id=row["activity_type"], activity_type_name=types.get(row["activity_type"]),
                target_count=row["target_count"], done_count=done, status=status, status_source=source,
                created_at=row["created_at"]))
        return result

    async def commitments(self, who: Principal, user_id: int) -> list[CommitmentBody]:
        """Open commitments and those of the last 8 weeks, newest first."""
        rep = await self._rep(who, user_id)
        since = local_date(clock.now(), rep.time_zone) - timedelta(weeks=8)
        every = await self._commitments((Commitment.user == rep.id) & (Commitment.due_on >= since), rep)
        return every

    async def open_commitments_due(self, reps: list[Person], day: date) -> dict[int, list[CommitmentBody]]:
        """Commitments due on `day` and still open, by rep (the manager alerts' "commitments due")."""
        rows = await Commitment.select(Commitment.user).where(
            Commitment.user.is_in(id_list([r.id for r in reps])) & (Commitment.due_on == day))
        found: dict[int, list[CommitmentBody]] = {}
        for rep in reps:
            if any(r["user"] == rep.id for r in rows):
                due = [c for c in await self._commitments((Commitment.user == rep.id) & (Commitment.due_on == day), rep)
                       if c.status == "open"]
                if due:
                    found[rep.id] = due
        return found

    async def commitment_checks(self, user_ids: list[int], monday: date) -> dict[int, list[review_rules.CommitmentCheck]]:
        """For review's "needs a conversation": the missed commitments of reps who missed
        them repeatedly (two in the last check-in, or in each of the last two)."""
        result: dict[int, list[review_rules.CommitmentCheck]] = {}
        # One query for the whole team: most reps' screens cost nothing more.
        rows = await CheckIn.select(CheckIn.id, CheckIn.user).where(
            CheckIn.user.is_in(user_ids or [0]) & CheckIn.closed_at.is_not_null()).order_by(
            CheckIn.started_at, ascending=False)
        latest: dict[int, list[dict]] = {}
        for row in rows:
            if len(latest.setdefault(row["user"], [])) < 2:
                latest[row["user"]].append(row)
        people = await self.accounts.people(list(latest))
        for user_id, closed in latest.items():
            rep = people[user_id]
            per_checkin = [await self._commitments(Commitment.checkin == c["id"], rep) for c in closed]
            if rules.repeatedly_missed([[c.status for c in group] for group in per_checkin]):
                result[user_id] = [review_rules.CommitmentCheck(c.text, c.status) for group in per_checkin
                                   for c in group if c.status in ("not_met", "partly")]
        return result

    # ------------------------------------------------------------------ check-ins
    async def _checkin_body(self, row: dict, rep: Person, *, viewer: int) -> CheckInBody:
        """A check-in as `viewer` may see it: shared notes, and private notes (and their
        audit entries) only for the manager who wrote them, even after the rep changes teams."""
        notes = await CheckinNote.select(CheckinNote.all_columns(), CheckinNote.author.name).where(
            CheckinNote.checkin == row["id"]).order_by(CheckinNote.created_at).order_by(CheckinNote.id)
        edits = await CheckinEdit.select(CheckinEdit.all_columns(), CheckinEdit.author.name).where(
            CheckinEdit.checkin == row["id"]).order_by(CheckinEdit.at)
        previous = await CheckIn.select(CheckIn.id).where(
            (CheckIn.user == rep.id) & (CheckIn.started_at < row["started_at"])).order_by(
            CheckIn.started_at, ascending=False).first()
        manager = await self.accounts.person(row["manager"])
        return CheckInBody(
            id=row["id"], user_id=rep.id, rep_name=rep.name, manager_name=manager.name if manager else "",
            week_start=row["week_start"], started_at=row["started_at"], closed_at=row["closed_at"],
            notes=[CheckinNoteBody(id=n["id"], author=n["author.name"], body=n["body"], shared=n["shared"],
                                   created_at=n["created_at"], edited_at=n["edited_at"])
                   for n in notes if rules.may_see_note(shared=n["shared"], author_id=n["author"], viewer_id=viewer)],
            commitments=await self._commitments(Commitment.checkin == row["id"], rep),
            follow_up=await self._commitments(Commitment.checkin == previous["id"], rep) if previous else [],
            edits=[CheckinEditBody(author=e["author.name"], at=e["at"], what=e["what"], before=e["before"],
                                   after=e["after"], reason=e["reason"])
                   for e in edits if "private" not in e["what"] or e["author"] == viewer],
        )

    async def checkin(self, who: Principal, checkin_id: int) -> CheckInBody:
        row, rep = await self._checkin_row(who, checkin_id, manage=False)
        return await self._checkin_body(row, rep, viewer=who.user_id)

    async def start_checkin(self, who: Principal, user_id: int, client_key: str | None) -> tuple[CheckInBody, bool]:
        """Start a 1:1, or return the rep's open one: (check-in, created)."""
        rep = await self._managed_rep(who, user_id)
        now = clock.now()
        async with write_transaction(self.engine):
            if client_key:
                found = await CheckIn.select().where(CheckIn.client_key == client_key).first()
                if found:
                    if found["user"] != rep.id:
                        raise InvalidInput("That client_key was already used.", extra={"client_key": "Use a new key."})
                    return await self._checkin_body(found, rep, viewer=who.user_id), False
            open_one = await CheckIn.select().where((CheckIn.user == rep.id) & CheckIn.closed_at.is_null()).first()
            if open_one:
                return await self._checkin_body(open_one, rep, viewer=who.user_id), False
            rows = await CheckIn.insert(CheckIn(
                user=rep.id, manager=who.user_id, week_start=week_start(local_date(now, rep.time_zone)),
                started_at=now, client_key=client_key)).returning(CheckIn.id)
        row = await CheckIn.select().where(CheckIn.id == rows[0]["id"]).first()
        return await self._checkin_body(row, rep, viewer=who.user_id), True

    async def close_checkin(self, who: Principal, checkin_id: int) -> CheckInBody:
        row, rep = await self._checkin_row(who, checkin_id, manage=True)
        if row["closed_at"] is None:
            async with write_transaction(self.engine):
                await CheckIn.update({CheckIn.closed_at: clock.now()}).where(
                    (CheckIn.id == checkin_id) & CheckIn.closed_at.is_null())
            row = await CheckIn.select().where(CheckIn.id == checkin_id).first()
        return await self._checkin_body(row, rep, viewer=who.user_id)

    async def add_note(self, who: Principal, checkin_id: int, body) -> tuple[CheckinNoteBody, bool]:
        row, _ = await self._checkin_row(who, checkin_id, manage=True)
        if row["closed_at"] is not None:
            raise Conflict("This check-in is closed: edit an existing note with a reason instead.")
        async with write_transaction(self.engine):
            if body.client_key:
                found = await CheckinNote.select(CheckinNote.id, CheckinNote.checkin, CheckinNote.author).where(
                    CheckinNote.client_key == body.client_key).first()
                if found:
                    # A key is its author's: replaying another's (a co-manager's private note)
                    # must not hand their note over.
                    if found["checkin"] != checkin_id or found["author"] != who.user_id:
                        raise InvalidInput("That client_key was already used.", extra={"client_key": "Use a new key."})
                    return await self._note(found["id"]), False
            rows = await CheckinNote.insert(CheckinNote(
                checkin=checkin_id, author=who.user_id, body=body.body.strip(), shared=body.shared,
                client_key=body.client_key, created_at=clock.now())).returning(CheckinNote.id)
        return await self._note(rows[0]["id"]), True

    @staticmethod
    async def _note(note_id: int) -> CheckinNoteBody:
        n = await CheckinNote.select(CheckinNote.all_columns(), CheckinNote.author.name).where(
            CheckinNote.id == note_id).first()
        return CheckinNoteBody(id=n["id"], author=n["author.name"], body=n["body"], shared=n["shared"],
                               created_at=n["created_at"], edited_at=n["edited_at"])

    async def edit_note(self, who: Principal, note_id: int, body) -> CheckinNoteBody:
        """Change a note's text or sharing. A private note exists for its author only: to a
        co-manager or an admin its id answers like one that does not exist, as
        GET /api/checkins/{id} does not list it for them."""
        if body.body is None and body.shared is None:
            raise InvalidInput("Nothing to change: give the note's new body, shared, or both.",
                               extra={"body": "Give the new text, or shared: true/false."})
        note = await CheckinNote.select().where(CheckinNote.id == note_id).first()
        if note is None or not rules.may_see_note(shared=note["shared"], author_id=note["author"],
                                                  viewer_id=who.user_id):
            raise NotFound("That note does not exist.")
        row, _ = await self._checkin_row(who, note["checkin"], manage=True)
        changes: dict = {}
        if body.body is not None and body.body.strip() != note["body"]:
            changes[CheckinNote.body] = body.body.strip()
        if body.shared is not None and body.shared != note["shared"]:
            changes[CheckinNote.shared] = body.shared
        if not changes:
            return await self._note(note_id)
        closed = row["closed_at"] is not None
        if closed and not body.reason:
            raise InvalidInput("This check-in is closed: say why the note changes (kept in the audit trail).",
                               extra={"reason": "Say why it changes."})
        now = clock.now()
        async with write_transaction(self.engine):
            await CheckinNote.update({**changes, CheckinNote.edited_at: now}).where(CheckinNote.id == note_id)
            if closed:
                was = "shared" if note["shared"] else "private"
                now_kind = "shared" if changes.get(CheckinNote.shared, note["shared"]) else "private"
                # "private" in `what` whenever either side was private: the rep never sees that entry.
                what = f"note {note_id} ({was})" if was == now_kind else f"note {note_id} ({was} → {now_kind})"
                await CheckinEdit.insert(CheckinEdit(
                    checkin=row["id"], author=who.user_id, at=now, what=what, before=f"{note['body']} ({was})",
                    after=f"{changes.get(CheckinNote.body, note['body'])} ({now_kind})", reason=body.reason.strip()))
        return await self._note(note_id)

    async def add_commitment(self, who: Principal, checkin_id: int, body) -> tuple[CommitmentBody, bool]:
        row, rep = await self._checkin_row(who, checkin_id, manage=True)
        if row["closed_at"] is not None:
            raise Conflict("This check-in is closed: record new commitments in the next one.")
        today = local_date(clock.now(), rep.time_zone)
        problems = {}
        if (problem := rules.due_date_problem(body.due_on, today)) is not None:
            problems["due_on"] = problem
        if (body.activity_type_id is None) != (body.target_count is None):
            problems["target_count"] = "A measurable commitment needs both an activity type and a count."
        if body.activity_type_id is not None and body.activity_type_id not in {
                t.id for t in await self.plans.team_types(rep.team_id)}:
            problems["activity_type_id"] = "That activity type is not one of the team's."
        if problems:
            raise InvalidInput("This commitment cannot be recorded as it is.", extra=problems)
        async with write_transaction(self.engine):
            if body.client_key:
                found = await Commitment.select(Commitment.id, Commitment.checkin).where(
                    Commitment.client_key == body.client_key).first()
                if found:
                    if found["checkin"] != checkin_id:
                        raise InvalidInput("That client_key was already used.", extra={"client_key": "Use a new key."})
                    return (await self._commitments(Commitment.id == found["id"], rep))[0], False
            rows = await Commitment.insert(Commitment(
                checkin=checkin_id, user=rep.id, text=" ".join(body.text.split()), starts_on=today,
                due_on=body.due_on, activity_type=body.activity_type_id, target_count=body.target_count,
                client_key=body.client_key, created_at=clock.now())).returning(Commitment.id)
        return (await self._commitments(Commitment.id == rows[0]["id"], rep))[0], True

    async def mark_commitment(self, who: Principal, commitment_id: int, status: str) -> CommitmentBody:
        row = await Commitment.select().where(Commitment.id == commitment_id).first()
        rep = await self.accounts.person(row["user"]) if row else None
        if row is None or rep is None or not who.can_manage_team(rep.team_id):
            raise NotFound("That commitment does not exist or is not your team's.")
        if row["target_count"] is not None:
            raise InvalidInput("This commitment is measured from logged activity: its status follows by itself.",
                               extra={"status": "Measured commitments cannot be marked."})
        async with write_transaction(self.engine):
            await Commitment.update({Commitment.manager_status: status}).where(Commitment.id == commitment_id)
        return (await self._commitments(Commitment.id == commitment_id, rep))[0]

    async def workspace(self, who: Principal, user_id: int, week: date | None) -> CheckinWorkspace:
        """The manager's one screen for a 1:1."""
        rep = await self._managed_rep(who, user_id)
        drill = await self.review.drilldown(who, rep.id, week)
        current = await CheckIn.select().where((CheckIn.user == rep.id) & CheckIn.closed_at.is_null()).first()
        last_closed = await CheckIn.select().where(
            (CheckIn.user == rep.id) & CheckIn.closed_at.is_not_null()).order_by(
            CheckIn.started_at, ascending=False).first()
        follow_up = await self._commitments(Commitment.checkin == last_closed["id"], rep) if last_closed else []
        open_ones = [c for c in await self.commitments(who, rep.id)
                     if c.status in ("open", "to_review") and c.id not in {f.id for f in follow_up}]
        return CheckinWorkspace(
            user_id=rep.id, rep_name=rep.name, week_start=drill.week_start, row=drill.row,
            # This week's reflection; until it is written, last week's (the rep may reflect after the 1:1).
            reflection=await self._reflection(rep.id, drill.week_start)
            or await self._reflection(rep.id, drill.week_start - timedelta(weeks=1)),
            follow_up=follow_up, open_commitments=open_ones, gaps=drill.gaps, questions=drill.questions,
            schedule=await self._schedule(rep),
            current=await self._checkin_body(current, rep, viewer=who.user_id) if current else None,
            last_closed=await self._checkin_body(last_closed, rep, viewer=who.user_id) if last_closed else None,
        )

    # ------------------------------------------------------------------ imports (demo data)
    async def import_checkin(self, *, rep: Person, manager_id: int, started_at: datetime, closed: bool,
                             notes: list[tuple[str, bool]],
                             commitments: list[tuple[str, date, int | None, int | None, str | None]], key: str) -> None:
        """A past check-in as it happened; idempotent by key. commitments: (text, due,
        activity type id, count, the manager's verdict)."""
        if await CheckIn.exists().where(CheckIn.client_key == key):
            return
        day = local_date(started_at, rep.time_zone)
        async with write_transaction(self.engine):
            rows = await CheckIn.insert(CheckIn(
                user=rep.id, manager=manager_id, week_start=week_start(day), started_at=started_at,
                closed_at=started_at + timedelta(minutes=25) if closed else None, client_key=key)
            ).returning(CheckIn.id)
            checkin_id = rows[0]["id"]
            for body, shared in notes:
                await CheckinNote.insert(CheckinNote(checkin=checkin_id, author=manager_id, body=body, shared=shared,
                                                     created_at=started_at + timedelta(minutes=10)))
            for text, due, type_id, count, verdict in commitments:
                await Commitment.insert(Commitment(
                    checkin=checkin_id, user=rep.id, text=text, starts_on=day, due_on=due, activity_type=type_id,
                    target_count=count, manager_status=verdict, created_at=started_at + timedelta(minutes=20)))

    async def import_schedule(self, rep_id: int, weekdays: list[int], wall: str, set_by: int) -> None:
        if not await CheckinSchedule.exists().where(CheckinSchedule.user == rep_id):
            async with write_transaction(self.engine):
                await CheckinSchedule.insert(CheckinSchedule(
                    user=rep_id, weekdays=msgspec.json.encode(weekdays).decode(), wall_time=wall, set_by=set_by,
                    updated_at=clock.now()))

    async def import_reflection(self, rep_id: int, uid: str, fields: ReflectionFields, written_at: datetime) -> None:
        if not await Reflection.exists().where((Reflection.user == rep_id)
                                               & (Reflection.week_start == fields.week_start)):
            async with write_transaction(self.engine):
                await self.apply_reflection(rep_id, uid, msgspec.to_builtins(fields), written_at)

    # ------------------------------------------------------------------ reminders
    async def due_reminders(self, reps: dict[int, Person], start: datetime, end: datetime) -> list[ExtraReminder]:
        """For the scheduler: a reflection prompt two hours before each agreed check-in
        (unless the week's reflection is written), and a morning reminder on the day a
        commitment is due while it is still open."""
        ids = list(reps)
        found: list[ExtraReminder] = []
        schedules = await CheckinSchedule.select().where(CheckinSchedule.user.is_in(id_list(ids)))
        for row in schedules:
            rep = reps[row["user"]]
            hour, minute = (int(x) for x in row["wall_time"].split(":"))
            weekdays = msgspec.json.decode(row["weekdays"], type=list[int])
            for occurrence in occurrences(weekdays, [time(hour, minute)], rep.time_zone, start + REFLECT_BEFORE,
                                          end + REFLECT_BEFORE):
                monday = week_start(occurrence.local_date)
                if await Reflection.exists().where((Reflection.user == rep.id) & (Reflection.week_start == monday)):
                    continue
                found.append(ExtraReminder(
                    user_id=rep.id, kind="reflect", local_date=occurrence.local_date, wall_time=row["wall_time"],
                    fire_at=occurrence.fire_at - REFLECT_BEFORE,
                    payload={"title": f"Your 1:1 is at {row['wall_time']}",
                             "body": "Two minutes first: your wins, where you got stuck, what would help.",
                             "url": f"/reflect?week={monday.isoformat()}", "tag": "reflect",
                             "week_start": monday.isoformat()}))
        first, last = start.date() - timedelta(days=1), end.date() + timedelta(days=1)
        rows = await Commitment.select(Commitment.user).where(
            Commitment.user.is_in(id_list(ids)) & (Commitment.due_on >= first) & (Commitment.due_on <= last))
        for user_id in sorted({r["user"] for r in rows}):
            rep = reps[user_id]
            by_day: dict[date, list[CommitmentBody]] = {}
            for c in await self._commitments((Commitment.user == user_id) & (Commitment.due_on >= first)
                                             & (Commitment.due_on <= last), rep):
                if c.status == "open":
                    by_day.setdefault(c.due_on, []).append(c)
            for day, due in by_day.items():
                fire_at = local_wall_time(day, COMMITMENT_REMINDER_AT, rep.time_zone).astimezone(UTC)
                if not start <= fire_at < end:
                    continue
                one = due[0]
                body = (f"Due today: \u201c{one.text}\u201d" + (
                    f" ({one.done_count} of {one.target_count} done)." if one.target_count else ".")
                    if len(due) == 1 else f"{len(due)} commitments are due today: \u201c{one.text}\u201d and more.")
                found.append(ExtraReminder(
                    user_id=user_id, kind="commitment", local_date=day,
                    wall_time=COMMITMENT_REMINDER_AT.strftime("%H:%M"), fire_at=fire_at,
                    payload={"title": "A commitment is due today" if len(due) == 1 else "Commitments due today",
                             "body": body, "url": "/home", "tag": "commitment",
                             "commitment_ids": [c.id for c in due]}))
        return found

    # ------------------------------------------------------------------ self-coaching
    async def _team_prompts(self, team_id: int) -> list[SelfCoachingPrompt]:
        rows = await SelfCoachingTip.select().where(
            (SelfCoachingTip.team == team_id) & SelfCoachingTip.archived_at.is_null()).order_by(SelfCoachingTip.id)
        return [SelfCoachingPrompt(id=f"team-{r['id']}", text=r["text"], trigger=r["trigger"], source="team")
                for r in rows]

    async def team_prompts(self, who: Principal, team_id: int) -> list[SelfCoachingPrompt]:
        if not who.can_manage_team(team_id) or not await self.accounts.team_exists(team_id):
            raise NotFound("That team does not exist or is not yours.")
        library = [SelfCoachingPrompt(id=pid, text=text, trigger=trigger, source="library")
                   for pid, trigger, text in prompts.LIBRARY]
        return [*await self._team_prompts(team_id), *library]

    async def prompt_for(self, who: Principal, trigger: str) -> SelfCoachingPrompt | None:
        """One prompt for the rep, a different one each day (the team's own come first in turn)."""
        if who.role != "rep" or who.team_id is None:
            raise Forbidden("Self-coaching prompts are for reps on a team.")
        pool = [p for p in [*await self._team_prompts(who.team_id),
                            *(SelfCoachingPrompt(id=pid, text=text, trigger=t, source="library")
                              for pid, t, text in prompts.LIBRARY)] if p.trigger == trigger]
        if not pool:
            return None
        return pool[(clock.now().toordinal() + who.user_id) % len(pool)]

    async def add_prompt(self, who: Principal, team_id: int, body) -> tuple[SelfCoachingPrompt, bool]:
        if not who.can_manage_team(team_id) or not await self.accounts.team_exists(team_id):
            raise NotFound("That team does not exist or is not yours.")
        text = " ".join(body.text.split())
        async with write_transaction(self.engine):
            if body.client_key:
                found = await SelfCoachingTip.select().where(SelfCoachingTip.client_key == body.client_key).first()
                if found:
                    if found["team"] != team_id:
                        raise InvalidInput("That client_key was already used.", extra={"client_key": "Use a new key."})
                    return SelfCoachingPrompt(id=f"team-{found['id']}", text=found["text"], trigger=found["trigger"],
                                              source="team"), False
            if await SelfCoachingTip.exists().where((SelfCoachingTip.team == team_id) & (SelfCoachingTip.text == text)
                                                    & SelfCoachingTip.archived_at.is_null()):
                raise InvalidInput("Your team already has that prompt.", extra={"text": "Already in the library."})
            rows = await SelfCoachingTip.insert(SelfCoachingTip(
                team=team_id, text=text, trigger=body.trigger, author=who.user_id, client_key=body.client_key,
                created_at=clock.now())).returning(SelfCoachingTip.id)
        return SelfCoachingPrompt(id=f"team-{rows[0]['id']}", text=text, trigger=body.trigger, source="team"), True

    async def remove_prompt(self, who: Principal, prompt_id: str) -> None:
        if not prompt_id.startswith("team-") or not prompt_id[5:].isdigit():
            raise InvalidInput("Only a team's own prompts can be removed; the curated library stays.",
                               extra={"prompt_id": "Give a team prompt's id, e.g. team-3."})
        row = await SelfCoachingTip.select(SelfCoachingTip.id, SelfCoachingTip.team).where(
            SelfCoachingTip.id == int(prompt_id[5:])).first()
        if row is None or not who.can_manage_team(row["team"]):
            raise NotFound("That prompt does not exist or is not your team's.")
        async with write_transaction(self.engine):
            await SelfCoachingTip.update({SelfCoachingTip.archived_at: clock.now()}).where(
                SelfCoachingTip.id == row["id"])

    # ------------------------------------------------------------------ timeline and milestones
    async def _milestones(self, rep: Person) -> list[Milestone]:
        thresholds = await self.review.thresholds(rep.team_id)
        weeks = [rules.WeekRecord(monday, attainment, met, won)
                 for monday, attainment, met, won in await self.review.finished_weeks(rep, TIMELINE_WEEKS)]
        kept = []
        for checkin in await CheckIn.select(CheckIn.id, CheckIn.week_start).where(
                (CheckIn.user == rep.id) & CheckIn.closed_at.is_not_null()):
            made = await self._commitments(Commitment.checkin == checkin["id"], rep)
            if made and all(c.status == "met" for c in made):
                kept.append((checkin["week_start"], len(made)))
        found = rules.milestones(weeks, kept, Fraction(str(thresholds.on_plan_share)), thresholds.streak_milestones)
        return [Milestone(kind=m.kind, week_start=m.week_start, title=m.title) for m in found]

    async def timeline(self, who: Principal, user_id: int) -> Timeline:
        """Check-ins, reflections, commitments, kudos and milestones, newest first. A rep
        sees shared notes only; private notes stay with the manager."""
        rep = await self._rep(who, user_id)
        since = week_start(local_date(clock.now(), rep.time_zone)) - timedelta(weeks=TIMELINE_WEEKS)
        entries: list[TimelineEntry] = []
        for row in await CheckIn.select().where((CheckIn.user == rep.id) & (CheckIn.week_start >= since)):
            body = await self._checkin_body(row, rep, viewer=who.user_id)
            shared = [n.body for n in body.notes]
            entries.append(TimelineEntry(
                kind="checkin", at=row["started_at"], week_start=row["week_start"], ref_id=row["id"],
                title=f"1:1 with {body.manager_name}" + ("" if row["closed_at"] else " (in progress)"),
                detail=" · ".join(shared) if shared else None))
        for row in await Reflection.select().where((Reflection.user == rep.id) & (Reflection.week_start >= since)):
            r = _reflection_body(row)
            entries.append(TimelineEntry(kind="reflection", at=r.updated_at, week_start=r.week_start,
                                         title="Reflected on the week" + (f" ({r.self_rating}/5)" if r.self_rating
                                                                          else ""),
                                         detail=r.wins or r.stuck or None))
        for c in await self._commitments((Commitment.user == rep.id) & (Commitment.created_at >= _start(since)), rep):
            entries.append(TimelineEntry(kind="commitment", at=c.created_at,
                                         week_start=week_start(local_date(c.created_at, rep.time_zone)),
                                         title=c.text, detail=f"Due {c.due_on:%a %d %b}", status=c.status,
                                         ref_id=c.id))
        kudos = await self.review.kudos(who, rep.id, 50)
        for k in kudos:
            entries.append(TimelineEntry(kind="kudos", at=k.created_at, week_start=k.week_start, ref_id=k.id,
                                         title=f"Kudos from {k.from_name}", detail=k.message or k.reason))
        milestones = await self._milestones(rep)
        for m in milestones:
            entries.append(TimelineEntry(kind="milestone", at=_start(m.week_start + timedelta(days=6)),
                                         week_start=m.week_start, title=m.title))
        entries.sort(key=lambda e: e.at, reverse=True)
        return Timeline(user_id=rep.id, name=rep.name, entries=entries, milestones=milestones[::-1], kudos=kudos)


def _reflection_body(row: dict) -> ReflectionBody:
    return ReflectionBody(
        id=row["uid"], user_id=row["user"], week_start=row["week_start"], wins=row["wins"], stuck=row["stuck"],
        differently=row["differently"], help_wanted=row["help_wanted"], self_rating=row["self_rating"],
        jottings=msgspec.json.decode(row["jottings"], type=list[str]), updated_at=row["updated_at"])


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def _start(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UTC)
