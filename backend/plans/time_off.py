"""Declared time off over the database: a rep, or their manager, marks days away; pace and
silence skip them (plans.rules: Away, days_off, off_until). Part of the plans domain: a
week's working days are its business."""

from __future__ import annotations

from datetime import date

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine

from backend.accounts.service import Accounts, Person, Principal
from backend.accounts.tables import User
from backend.core import clock
from backend.core.db import id_list, write_transaction
from backend.core.errors import Forbidden, InvalidInput, NotFound
from backend.core.weeks import local_date
from backend.plans import rules
from backend.plans.tables import TimeOff
from shared_schemas import NewTimeOff
from shared_schemas import TimeOff as TimeOffBody

NOT_YOURS = "That time off does not exist or is not yours to change."
REPS_ONLY = "Time off belongs to reps on a team."


def _words(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def span_words(first: date, last: date) -> str:
    return _words(first) if first == last else f"{_words(first)} – {_words(last)}"


class TimeOffs:
    def __init__(self, engine: Engine, accounts: Accounts) -> None:
        self.engine = engine
        self.accounts = accounts

    async def _rep(self, who: Principal, user_id: int | None) -> Person:
        """The rep whose time off is asked for: the asker, or a rep of a team they manage."""
        person = await self.accounts.person(who.user_id if user_id is None else user_id)
        if person is None or not (
            person.id == who.user_id or (person.role == "rep" and who.can_manage_team(person.team_id))
        ):
            raise NotFound("That person does not exist or is not on your team.")
        if person.role != "rep" or person.team_id is None:
            raise Forbidden(REPS_ONLY)
        return person

    async def entries(self, who: Principal, user_id: int | None) -> list[TimeOffBody]:
        """The rep's current and upcoming time off, soonest first."""
        rep = await self._rep(who, user_id)
        today = local_date(clock.now(), rep.time_zone)
        rows = await self._select().where((TimeOff.user == rep.id) & (TimeOff.last_day >= today)).order_by(
            TimeOff.first_day)
        return [_body(r) for r in rows]

    async def add(self, who: Principal, user_id: int | None, body: NewTimeOff) -> tuple[TimeOffBody, bool]:
        """Declare days away: (entry, created). The same client_key again returns the entry;
        days that overlap an entry already declared are refused (cancel that one first)."""
        rep = await self._rep(who, user_id)
        today = local_date(clock.now(), rep.time_zone)
        problem = rules.time_off_problem(body.first_day, body.last_day, today)
        if problem:
            message, field = problem
            raise InvalidInput(message, extra={field: message})
        note = (body.note or "").strip() or None
        async with write_transaction(self.engine):
            if body.client_key:
                found = await TimeOff.select(TimeOff.id, TimeOff.user).where(
                    TimeOff.client_key == body.client_key).first()
                if found:
                    if found["user"] != rep.id:
                        raise InvalidInput("That client_key was already used.", extra={"client_key": "Use a new key."})
                    return await self._one(found["id"]), False
            if isinstance(self.engine, PostgresEngine):
                # Two overlapping entries sent at once: the second waits here and then sees
                # the first (SQLite's write transaction already runs one writer at a time).
                await User.raw("SELECT id FROM users WHERE id = {} FOR UPDATE", rep.id)
            existing = [rules.Away(r["first_day"], r["last_day"]) for r in await TimeOff.select(
                TimeOff.first_day, TimeOff.last_day).where(
                (TimeOff.user == rep.id) & (TimeOff.last_day >= body.first_day)
                & (TimeOff.first_day <= body.last_day))]
            clash = rules.overlapping(existing, body.first_day, body.last_day)
            if clash:
                message = (f"{rep.name} is already off {span_words(clash.first, clash.last)}: "
                           "cancel that time off first, or pick days around it.")
                raise InvalidInput(message, extra={"first_day": message})
            rows = await TimeOff.insert(TimeOff(
                user=rep.id, first_day=body.first_day, last_day=body.last_day, note=note, created_by=who.user_id,
                created_at=clock.now(), client_key=body.client_key)).returning(TimeOff.id)
        return await self._one(rows[0]["id"]), True

    async def cancel(self, who: Principal, time_off_id: int) -> None:
        row = await TimeOff.select(TimeOff.id, TimeOff.user).where(TimeOff.id == time_off_id).first()
        if row is None:
            raise NotFound(NOT_YOURS)
        try:
            await self._rep(who, row["user"])
        except (NotFound, Forbidden):
            raise NotFound(NOT_YOURS) from None
        async with write_transaction(self.engine):
            await TimeOff.delete().where(TimeOff.id == time_off_id)

    # ------------------------------------------------------------------ for pace and review
    @staticmethod
    async def of_reps(user_ids: list[int], since: date) -> dict[int, list[rules.Away]]:
        """Every rep's time off that ends on `since` or later (a year ahead at most)."""
        if not user_ids:
            return {}
        rows = await TimeOff.select(TimeOff.user, TimeOff.first_day, TimeOff.last_day).where(
            TimeOff.user.is_in(id_list(user_ids)) & (TimeOff.last_day >= since))
        result: dict[int, list[rules.Away]] = {}
        for r in rows:
            result.setdefault(r["user"], []).append(rules.Away(r["first_day"], r["last_day"]))
        return result

    @staticmethod
    def _select():
        return TimeOff.select(TimeOff.id, TimeOff.user, TimeOff.first_day, TimeOff.last_day, TimeOff.note,
                              TimeOff.created_by.name, TimeOff.created_at)

    async def _one(self, time_off_id: int) -> TimeOffBody:
        return _body(await self._select().where(TimeOff.id == time_off_id).first())


def _body(row: dict) -> TimeOffBody:
    return TimeOffBody(id=row["id"], user_id=row["user"], first_day=row["first_day"], last_day=row["last_day"],
                       note=row["note"], created_by=row["created_by.name"], created_at=row["created_at"])
