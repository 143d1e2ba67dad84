"""Week rules, pure: a week is Monday to Sunday in the rep's own time zone.

An instant belongs to the week of its local date in the zone the rep was in at that
moment — never the server's date, never the sync time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MONDAY_FIRST_WORK_WEEK = frozenset({0, 1, 2, 3, 4})  # date.weekday(): Monday = 0


def week_start(day: date) -> date:
    """The Monday of the week that contains `day`."""
    return day - timedelta(days=day.weekday())


def local_date(instant: datetime, zone: str) -> date:
    if instant.tzinfo is None:
        raise ValueError("naive datetimes are not allowed: give the instant an offset")
    return instant.astimezone(ZoneInfo(zone)).date()


def week_of(instant: datetime, zone: str) -> date:
    """The Monday (local) of the week an instant belongs to, for a rep in `zone`."""
    return week_start(local_date(instant, zone))


def week_days(monday: date) -> list[date]:
    return [monday + timedelta(days=i) for i in range(7)]


def working_days_in(start: date, end_exclusive: date, working_weekdays: Iterable[int]) -> list[date]:
    weekdays = frozenset(working_weekdays)
    days = (end_exclusive - start).days
    return [start + timedelta(days=i) for i in range(days) if (start + timedelta(days=i)).weekday() in weekdays]


def local_start_of_day(day: date, zone: str) -> datetime:
    """The first instant of a local date. Midnight can be skipped by a DST change
    (e.g. America/Santiago): then the day starts at the first wall time that exists."""
    return local_wall_time(day, time(0, 0), zone)


def local_wall_time(day: date, wall: time, zone: str) -> datetime:
    """The instant a wall-clock time happens on a local date, as an aware datetime.

    A time that does not exist (spring forward) moves forward by the gap; a repeated
    time (fall back) is its first occurrence.
    """
    tz = ZoneInfo(zone)
    # fold=0: a repeated time is its first occurrence, and a time in a gap is read with
    # the offset before the change, which lands after the gap; the UTC round trip then
    # shows it as the real wall time (02:30 on a spring-forward night becomes 03:30).
    return datetime.combine(day, wall, tzinfo=tz).astimezone(UTC).astimezone(tz)
