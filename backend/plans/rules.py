"""Pure plan rules: funnel math and pace. No I/O; property-tested in tests/test_plan_rules.py."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from functools import lru_cache
from typing import Literal

from backend.core.weeks import local_date, working_days_in

# Ratios arrive as decimals ("0.3"); exact fractions keep 3 / 0.3 equal to 10, not 10.000…2.
Ratio = float | Fraction


def exact(value: Ratio) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(str(value))


# ----------------------------------------------------------------------------- logged activity
@dataclass(frozen=True)
class Tally:
    """Distinct live activities of one rep in a date range: per activity type, how many at
    each quality (1–5); and how many ended in a won deal."""

    by_type: dict[int, dict[int, int]]
    won: int = 0

    def total(self, type_id: int) -> int:
        return sum(self.by_type.get(type_id, {}).values())

    def qualifying(self, type_id: int, quality_min: int) -> int:
        return sum(n for quality, n in self.by_type.get(type_id, {}).items() if quality >= quality_min)


EMPTY_TALLY = Tally(by_type={})


# ----------------------------------------------------------------------------- funnel math
def deals_needed(goal_kind: Literal["revenue", "deals"], amount: float, deal_size: float | None) -> int:
    """Deals to close for a goal. Revenue needs a positive average deal size."""
    if amount < 0:
        raise ValueError("the goal cannot be negative")
    if goal_kind == "deals":
        return math.ceil(exact(amount))
    if not deal_size or deal_size <= 0:
        raise ValueError("a revenue goal needs an average deal size above 0")
    return math.ceil(exact(amount) / exact(deal_size))


def working_weeks(period_start: date, period_end_exclusive: date, working_weekdays: Iterable[int],
                  holidays: Iterable[date] = ()) -> Fraction:
    """How many weeks of work a period holds: its working days / working days per week."""
    weekdays = frozenset(working_weekdays)
    if not weekdays:
        raise ValueError("a team needs at least one working day")
    off = set(holidays)
    days = [d for d in working_days_in(period_start, period_end_exclusive, weekdays) if d not in off]
    return Fraction(len(days), len(weekdays))


@dataclass(frozen=True)
class StageNeed:
    stage: str
    # For the whole period: how many of this stage it takes to reach the goal.
    total: int
    # Per working week, rounded up so the plan never falls short.
    weekly: int


def funnel_needs(deals: int, stages: Sequence[str], ratios: Sequence[Ratio], weeks: Fraction) -> list[StageNeed]:
    """Work back from deals to the top of the funnel.

    stages are ordered top first (calls, meetings, proposals); ratios[i] converts
    stages[i] into the next stage, and the last ratio converts the last stage into won deals.
    """
    if len(stages) != len(ratios):
        raise ValueError("give one conversion ratio per funnel stage")
    if weeks <= 0:
        raise ValueError("the period has no working days")
    needs: list[StageNeed] = []
    below = deals
    for stage, ratio in zip(reversed(stages), reversed(ratios), strict=True):
        r = exact(ratio)
        if not 0 < r <= 1:
            raise ValueError(f"the conversion ratio of {stage} must be above 0 and at most 1")
        total = math.ceil(below / r)
        needs.append(StageNeed(stage=stage, total=total, weekly=math.ceil(total / weeks)))
        below = total
    return list(reversed(needs))


def conversion_ratios(counts: Sequence[int], won: int, min_points: int) -> list[Fraction] | None:
    """A rep's or team's own ratios from stage counts, or None when there is too little data.

    counts are the numbers of each stage in the window (top first); a ratio needs at least
    `min_points` at the stage it converts from, and must not be 0.
    """
    flow = [*counts, won]
    ratios: list[Fraction] = []
    for upper, lower in zip(flow, flow[1:], strict=False):
        if upper < min_points or lower <= 0:
            return None
        ratios.append(min(Fraction(lower, upper), Fraction(1)))
    return ratios


# ----------------------------------------------------------------------------- pace
PaceStatus = Literal["no_plan", "done", "ahead", "on_track", "behind"]


@dataclass(frozen=True)
class Pace:
    status: PaceStatus
    target: int
    done: int
    # What a steady rep would have done by the start of today (whole working days only).
    expected_by_now: int
    working_days: int
    working_days_left: int
    # Still to do, spread over the working days left (today included), rounded up.
    per_day_left: int
    # A steady pace's count by the end of today: above it is "ahead".
    expected_by_end_of_today: Fraction = Fraction(0)


def week_working_days(monday: date, working_weekdays: Iterable[int], holidays: Iterable[date] = ()) -> list[date]:
    return list(_week_working_days(monday, frozenset(working_weekdays), frozenset(holidays)))


@lru_cache(maxsize=512)
def _week_working_days(monday: date, working_weekdays: frozenset[int], holidays: frozenset[date]) -> tuple[date, ...]:
    # Pace asks this for every rep and activity type of a week (thousands of reminders
    # in one minute), always with the same few teams' settings.
    return tuple(d for d in working_days_in(monday, monday + timedelta(days=7), working_weekdays) if d not in holidays)


@dataclass(frozen=True)
class WeekPosition:
    """How far a rep's week has gone, as of a moment in their zone: the same for every
    activity type, so it is worked out once per rep and week."""

    working_days: int
    elapsed: int  # working days that are over
    through_today: int  # working days up to the end of today


def week_position(*, now: datetime, zone: str, monday: date, working_weekdays: Iterable[int],
                  holidays: Iterable[date] = ()) -> WeekPosition:
    days = _week_working_days(monday, frozenset(working_weekdays), frozenset(holidays))
    today = local_date(now, zone)
    return WeekPosition(len(days), sum(1 for d in days if d < today), sum(1 for d in days if d <= today))


def pace(*, target: int, done: int, now: datetime, zone: str, monday: date,
         working_weekdays: Iterable[int], holidays: Iterable[date] = ()) -> Pace:
    """Where a rep stands on one activity type this week, as of `now` in their zone.

    A working day counts as elapsed once it is over, so nobody is behind first thing
    on Monday; 'ahead' means more than a steady pace needs by the end of today.
    """
    position = week_position(now=now, zone=zone, monday=monday, working_weekdays=working_weekdays,
                             holidays=holidays)
    return pace_at(target=target, done=done, position=position)


def pace_at(*, target: int, done: int, position: WeekPosition) -> Pace:
    """`pace`, for a week position already worked out."""
    elapsed, days = position.elapsed, position.working_days
    left = days - elapsed
    if target <= 0:
        return Pace("no_plan", target, done, 0, days, left, 0, Fraction(0))
    total_days = days or 1
    expected_now = target * elapsed // total_days  # floor, in integers
    expected_end_of_today = Fraction(target * position.through_today, total_days)
    remaining = max(target - done, 0)
    per_day = -(-remaining // left) if left else remaining  # ceiling, in integers
    if done >= target:
        status: PaceStatus = "done"
    elif done < expected_now:
        status = "behind"
    elif done > expected_end_of_today:
        status = "ahead"
    else:
        status = "on_track"
    return Pace(status, target, done, expected_now, days, left, per_day, expected_end_of_today)


# ----------------------------------------------------------------------------- visibility
# A new team shows its undecided reps without their names: on the scrum, yet not exposed.
DEFAULT_TEAM_VISIBILITY = "anonymous"


def shown_as(visibility: str, team_default: str) -> str:
    """How a rep appears on shared views: as they chose, or, while they have not chosen
    ("not_sure", or never answered), as their team shows reps by default. Treating the
    undecided as hidden emptied the scrum of a new team (30 of 30 reps "chose" nothing)."""
    return team_default if visibility == "not_sure" else visibility


# ----------------------------------------------------------------------------- time off
# Days a rep declared away are skipped like the team's holidays: by pace (the week's target
# spreads over the working days left), by silence, and by the plan deadline of a week off.
MAX_TIME_OFF_DAYS = 60  # one entry; a longer leave is several entries, or an admin matter
TIME_OFF_REACH_DAYS = 366  # how far back (a forgotten sick day) or ahead an entry may be


@dataclass(frozen=True)
class Away:
    """One declared absence: first..last, inclusive, in the rep's own dates."""

    first: date
    last: date


def time_off_problem(first: date, last: date, today: date) -> tuple[str, str] | None:
    """Why an absence cannot be declared, as (message, field), or None when it can."""
    if last < first:
        return "The last day off is before the first.", "last_day"
    if (last - first).days + 1 > MAX_TIME_OFF_DAYS:
        return (f"At most {MAX_TIME_OFF_DAYS} days in one entry: add a longer absence as several entries.",
                "last_day")
    if first < today - timedelta(days=TIME_OFF_REACH_DAYS):
        return "Time off can be declared up to a year back, not earlier.", "first_day"
    if last > today + timedelta(days=TIME_OFF_REACH_DAYS):
        return "Time off can be declared up to a year ahead, not later.", "last_day"
    return None


def overlapping(entries: Iterable[Away], first: date, last: date) -> Away | None:
    """The first declared absence that shares a day with first..last."""
    return next((a for a in sorted(entries, key=lambda a: a.first) if a.first <= last and first <= a.last), None)


def days_off(entries: Iterable[Away], start: date, end: date) -> frozenset[date]:
    """Every declared day off between start and end, both included."""
    days: set[date] = set()
    for a in entries:
        day, last = max(a.first, start), min(a.last, end)
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    return frozenset(days)


def off_until(entries: Iterable[Away], day: date, working_weekdays: Iterable[int],
              holidays: Iterable[date] = ()) -> date | None:
    """The last day of the absence `day` falls in, or None when the rep is not off that day.
    Absences that only a weekend or a holiday separates are one ('off until' the later end)."""
    ranges = sorted(entries, key=lambda a: a.first)
    weekdays, off = frozenset(working_weekdays), set(holidays)
    inside = [a.last for a in ranges if a.first <= day <= a.last]
    if not inside:
        return None
    until = max(inside)
    while True:
        # The next working day after `until`: inside another absence, the absence goes on.
        nxt = until + timedelta(days=1)
        for _ in range(14):
            if nxt.weekday() in weekdays and nxt not in off:
                break
            nxt += timedelta(days=1)
        later = [a.last for a in ranges if a.first <= nxt <= a.last]
        if not later or max(later) <= until:
            return until
        until = max(later)


def week_off(monday: date, working_weekdays: Iterable[int], holidays: Iterable[date],
             off: Iterable[date]) -> bool:
    """Whether the rep is away every working day of a week that has working days."""
    days = _week_working_days(monday, frozenset(working_weekdays), frozenset(holidays))
    away = set(off)
    return bool(days) and all(d in away for d in days)
