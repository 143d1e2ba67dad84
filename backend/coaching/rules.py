"""Pure coaching rules: commitment follow-up, when commitments count as repeatedly missed,
the next check-in, milestones worth celebrating. No I/O; tested in tests/test_coaching_rules.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from typing import Literal

from backend.reminders.rules import next_occurrence

Status = Literal["open", "met", "partly", "not_met", "to_review"]
Source = Literal["measured", "manager", "pending"]
MAX_DUE_DAYS = 56  # commitments are for the next weeks, not the next quarter


def may_see_note(*, shared: bool, author_id: int, viewer_id: int) -> bool:
    """A shared note is for everyone who may see the check-in; a private one for the
    manager who wrote it only: not a co-manager, not an admin, not the rep. Every route
    that returns or changes a note asks this."""
    return shared or author_id == viewer_id


def commitment_status(*, target: int | None, done: int | None, due_on: date, today: date,
                      manager_status: str | None) -> tuple[Status, Source]:
    """Where a commitment stands.

    Measurable ones (a target count of an activity type) follow themselves up: met as soon
    as the count is reached; after the due date, partly (some done) or not met. The others
    stay open until due, then wait for the manager's verdict at the next check-in.
    """
    if target is not None:
        done = done or 0
        if done >= target:
            return "met", "measured"
        if today <= due_on:
            return "open", "measured"
        return ("partly" if done > 0 else "not_met"), "measured"
    if manager_status in ("met", "partly", "not_met"):
        return manager_status, "manager"  # type: ignore[return-value]
    return ("open" if today <= due_on else "to_review"), "pending"


def due_date_problem(due_on: date, today: date) -> str | None:
    if due_on < today:
        return "The due date has passed: pick today or a later day."
    if due_on > today + timedelta(days=MAX_DUE_DAYS):
        return f"Pick a due date within {MAX_DUE_DAYS // 7} weeks: commitments are for the coming weeks."
    return None


def missed(statuses: Sequence[Status]) -> int:
    return sum(1 for s in statuses if s in ("not_met", "partly"))


def repeatedly_missed(check_ins: Sequence[Sequence[Status]]) -> bool:
    """Check-ins newest first, each with its commitments' statuses. Repeatedly: two or more
    missed in the last check-in, or at least one missed in each of the last two."""
    if not check_ins:
        return False
    if missed(check_ins[0]) >= 2:
        return True
    return len(check_ins) >= 2 and missed(check_ins[0]) >= 1 and missed(check_ins[1]) >= 1


def next_checkin(weekdays: Sequence[int], wall: str, zone: str, now: datetime) -> datetime | None:
    """The next check-in: a local date + wall time in the rep's zone, converted to UTC."""
    hour, minute = (int(x) for x in wall.split(":"))
    occurrence = next_occurrence(list(weekdays), [time(hour, minute)], zone, now)
    return occurrence.fire_at if occurrence else None


@dataclass(frozen=True)
class WeekRecord:
    monday: date
    attainment: Fraction | None
    plan_met: bool
    won: int


@dataclass(frozen=True)
class FoundMilestone:
    kind: Literal["first_plan_met", "streak", "commitments_kept", "won_deal"]
    week_start: date
    title: str


def milestones(weeks: Sequence[WeekRecord], kept: Sequence[tuple[date, int]], on_plan_share: Fraction,
               streak_marks: Sequence[int]) -> list[FoundMilestone]:
    """Wins worth celebrating, oldest first: the first week the plan was met, streak
    milestones (weeks in a row on plan), check-ins whose commitments were all kept
    (kept: (week, how many)), and weeks with won deals. weeks: finished weeks, oldest first."""
    found: list[FoundMilestone] = []
    first_met = next((w for w in weeks if w.plan_met), None)
    if first_met:
        found.append(FoundMilestone("first_plan_met", first_met.monday, "First week with the whole plan met."))
    run = 0
    for w in weeks:
        run = run + 1 if w.attainment is not None and w.attainment >= on_plan_share else 0
        if run in streak_marks:
            found.append(FoundMilestone("streak", w.monday, f"{run} weeks in a row on plan."))
        if w.won:
            found.append(FoundMilestone("won_deal", w.monday,
                                        "Won a deal." if w.won == 1 else f"Won {w.won} deals."))
    for monday, count in kept:
        found.append(FoundMilestone("commitments_kept", monday,
                                    "Kept every commitment from the check-in." if count > 1
                                    else "Kept the commitment from the check-in."))
    return sorted(found, key=lambda m: m.week_start)
