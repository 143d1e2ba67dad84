"""Property tests for the pure plan rules: weeks, funnel math and pace."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.core.weeks import local_date, local_wall_time, week_of
from backend.plans.rules import (
    MAX_TIME_OFF_DAYS,
    Away,
    conversion_ratios,
    days_off,
    deals_needed,
    funnel_needs,
    off_until,
    overlapping,
    pace,
    time_off_problem,
    week_off,
    week_working_days,
    working_weeks,
)

ZONES = st.sampled_from([
    "UTC", "Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles",
    "America/Santiago", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe",
    "Pacific/Auckland", "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/St_Johns",
])
INSTANTS = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC))
RATIOS = st.fractions(min_value=Fraction(1, 100), max_value=1, max_denominator=1000)
WEEKDAYS = st.sets(st.integers(0, 6), min_size=1)


# ----------------------------------------------------------------------------- weeks
@given(INSTANTS, ZONES)
def test_an_instant_belongs_to_the_monday_week_of_its_local_date(instant, zone):
    monday = week_of(instant, zone)
    assert monday.weekday() == 0
    assert monday <= local_date(instant, zone) < monday + timedelta(days=7)


def test_sunday_late_and_monday_early_land_in_the_right_weeks():
    # Sunday 23:59 in Berlin on the DST weekend is still the old week …
    sunday_night = datetime(2026, 10, 25, 23, 59, tzinfo=ZoneInfo("Europe/Berlin"))
    assert week_of(sunday_night.astimezone(UTC), "Europe/Berlin") == date(2026, 10, 19)
    # … and Monday 00:30 Berlin is Sunday in UTC but already the new week for the rep.
    monday_early = datetime(2026, 10, 26, 0, 30, tzinfo=ZoneInfo("Europe/Berlin")).astimezone(UTC)
    assert monday_early.date() == date(2026, 10, 25)
    assert week_of(monday_early, "Europe/Berlin") == date(2026, 10, 26)


def test_naive_instants_are_refused():
    with pytest.raises(ValueError):
        week_of(datetime(2026, 1, 1, 12, 0), "UTC")


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 1, 1)), st.times(), ZONES)
def test_wall_times_exist_and_never_move_backwards(day, wall, zone):
    instant = local_wall_time(day, wall.replace(tzinfo=None, fold=0), zone)
    local = instant.astimezone(ZoneInfo(zone))
    # Either exactly the wall time asked for, or later the same day (a DST gap) by < 3 h.
    asked = datetime.combine(day, wall.replace(tzinfo=None))
    shown = local.replace(tzinfo=None)
    assert timedelta(0) <= shown - asked < timedelta(hours=3)


def test_dst_gap_moves_forward_and_repeat_fires_first():
    assert local_wall_time(date(2026, 3, 29), time(2, 30), "Europe/Berlin").hour == 3
    repeated = local_wall_time(date(2026, 10, 25), time(2, 30), "Europe/Berlin")
    assert repeated.utcoffset() == timedelta(hours=2)  # the first 02:30 (still summer time)


# ----------------------------------------------------------------------------- funnel math
@given(st.integers(0, 500), st.integers(0, 500), st.lists(RATIOS, min_size=1, max_size=4),
       st.fractions(min_value=Fraction(1, 5), max_value=14, max_denominator=5))
def test_funnel_is_monotonic_in_the_goal(a, b, ratios, weeks):
    stages = [f"s{i}" for i in range(len(ratios))]
    low, high = sorted((a, b))
    for lo, hi in zip(funnel_needs(low, stages, ratios, weeks), funnel_needs(high, stages, ratios, weeks), strict=True):
        assert lo.total <= hi.total and lo.weekly <= hi.weekly


@given(st.integers(0, 500), st.lists(RATIOS, min_size=1, max_size=4), st.data(),
       st.fractions(min_value=Fraction(1, 5), max_value=14, max_denominator=5))
def test_a_lower_ratio_never_needs_fewer_activities(deals, ratios, data, weeks):
    stages = [f"s{i}" for i in range(len(ratios))]
    i = data.draw(st.integers(0, len(ratios) - 1))
    lower = list(ratios)
    lower[i] = data.draw(st.fractions(min_value=Fraction(1, 100), max_value=ratios[i], max_denominator=1000))
    for base, worse in zip(funnel_needs(deals, stages, ratios, weeks), funnel_needs(deals, stages, lower, weeks), strict=True):
        assert worse.total >= base.total and worse.weekly >= base.weekly


@given(st.integers(0, 500), st.lists(RATIOS, min_size=1, max_size=4),
       st.fractions(min_value=Fraction(1, 5), max_value=14, max_denominator=5))
def test_rounding_never_falls_short_of_the_goal(deals, ratios, weeks):
    stages = [f"s{i}" for i in range(len(ratios))]
    needs = funnel_needs(deals, stages, ratios, weeks)
    flow = [n.total for n in needs] + [deals]
    for need, ratio, below in zip(needs, ratios, flow[1:], strict=True):
        assert need.total * ratio >= below  # converting this stage yields enough of the next
        assert need.weekly * weeks >= need.total  # the weekly pace covers the period


def test_funnel_example_in_words():
    # 60,000 a month at 5,000 a deal = 12 deals; 25% of proposals win, 40% of meetings
    # become proposals, 20% of calls become meetings; 20 working days = 4 weeks.
    deals = deals_needed("revenue", 60_000, 5_000)
    needs = funnel_needs(deals, ["call", "meeting", "proposal"], [0.2, 0.4, 0.25], Fraction(4))
    assert deals == 12
    assert [(n.stage, n.total, n.weekly) for n in needs] == [
        ("call", 600, 150), ("meeting", 120, 30), ("proposal", 48, 12)]
    assert [n.total for n in funnel_needs(3, ["a"], [0.3], Fraction(1))] == [10]  # not 11


@pytest.mark.parametrize("kind,amount,size", [("revenue", 1000, None), ("revenue", 1000, 0), ("deals", -1, None)])
def test_bad_goals_are_refused(kind, amount, size):
    with pytest.raises(ValueError):
        deals_needed(kind, amount, size)


@pytest.mark.parametrize("ratio", [0, 1.5, -0.2])
def test_ratios_must_be_between_0_and_1(ratio):
    with pytest.raises(ValueError):
        funnel_needs(5, ["call"], [ratio], Fraction(4))


def test_working_weeks_count_working_days_and_holidays():
    december = working_weeks(date(2026, 12, 1), date(2027, 1, 1), range(5))
    assert december == Fraction(23, 5)
    with_holidays = working_weeks(date(2026, 12, 1), date(2027, 1, 1), range(5), [date(2026, 12, 24), date(2026, 12, 25)])
    assert with_holidays == Fraction(21, 5)
    assert working_weeks(date(2026, 12, 1), date(2027, 1, 1), {0, 1, 2, 3}) == Fraction(19, 4)  # 4 Mondays, 5 Tue, Wed, Thu


def test_conversion_ratios_need_enough_data():
    assert conversion_ratios([100, 20, 8], 2, min_points=10) is None  # only 8 proposals
    assert conversion_ratios([100, 20, 10], 2, min_points=10) == [Fraction(1, 5), Fraction(1, 2), Fraction(1, 5)]
    assert conversion_ratios([100, 0, 10], 2, min_points=10) is None  # a zero ratio is no ratio


# ----------------------------------------------------------------------------- pace
def at_local(day: date, hour: int, zone: str) -> datetime:
    return local_wall_time(day, time(hour, 0), zone).astimezone(UTC)


@given(ZONES, st.integers(1, 60), st.integers(0, 80), WEEKDAYS,
       st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)))
def test_expected_pace_grows_through_the_week_and_ends_at_the_target(zone, target, done, weekdays, any_day):
    monday = any_day - timedelta(days=any_day.weekday())
    expected = []
    for offset in range(-1, 9):
        now = at_local(monday + timedelta(days=offset), 12, zone)
        p = pace(target=target, done=done, now=now, zone=zone, monday=monday, working_weekdays=weekdays)
        expected.append(p.expected_by_now)
        assert p.working_days == len(weekdays)
        assert (p.status == "done") == (done >= target)
        if p.working_days_left and done < target:
            assert p.per_day_left * p.working_days_left >= target - done
    assert expected == sorted(expected)
    assert expected[0] == 0 and expected[-1] == target


@given(ZONES, st.integers(1, 40), st.data())
def test_status_matches_the_definition(zone, target, data):
    monday = date(2026, 10, 19)  # the week that ends with Europe's DST change
    offset = data.draw(st.integers(0, 6))
    done = data.draw(st.integers(0, target + 5))
    now = at_local(monday + timedelta(days=offset), data.draw(st.integers(0, 23)), zone)
    p = pace(target=target, done=done, now=now, zone=zone, monday=monday, working_weekdays=range(5))
    days_over = min(offset, 5)
    expected_now = math.floor(Fraction(target * days_over, 5))
    assert p.expected_by_now == expected_now
    if done >= target:
        assert p.status == "done"
    elif done < expected_now:
        assert p.status == "behind"
    elif done > Fraction(target * min(offset + 1, 5), 5):
        assert p.status == "ahead"
    else:
        assert p.status == "on_track"


def test_pace_in_words():
    zone = "America/New_York"
    monday = date(2026, 11, 23)
    wed_noon = at_local(date(2026, 11, 25), 12, zone)
    p = pace(target=10, done=3, now=wed_noon, zone=zone, monday=monday, working_weekdays=range(5))
    assert (p.status, p.expected_by_now, p.working_days_left, p.per_day_left) == ("behind", 4, 3, 3)
    # Thanksgiving off: 4 working days, Monday+Tuesday over = 5 expected.
    p = pace(target=10, done=5, now=wed_noon, zone=zone, monday=monday, working_weekdays=range(5),
             holidays=[date(2026, 11, 26)])
    assert (p.status, p.expected_by_now, p.working_days, p.working_days_left) == ("on_track", 5, 4, 2)
    assert pace(target=0, done=2, now=wed_noon, zone=zone, monday=monday, working_weekdays=range(5)).status == "no_plan"
    early = pace(target=10, done=3, now=at_local(monday, 8, zone), zone=zone, monday=monday, working_weekdays=range(5))
    assert early.status == "ahead"  # 3 logged before the end of Monday's share (2)


def test_holiday_weeks_have_fewer_working_days():
    days = week_working_days(date(2026, 12, 21), range(5), [date(2026, 12, 24), date(2026, 12, 25)])
    assert [d.day for d in days] == [21, 22, 23]


# ----------------------------------------------------------------------------- time off
MONDAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)).map(
    lambda d: d - timedelta(days=d.weekday()))
ABSENCES = st.lists(st.tuples(st.integers(-10, 10), st.integers(0, 6)).map(
    lambda t: (t[0], t[0] + t[1])), max_size=4)


def _aways(monday: date, spans: list[tuple[int, int]]) -> list[Away]:
    return [Away(monday + timedelta(days=a), monday + timedelta(days=b)) for a, b in spans]


@given(MONDAYS, WEEKDAYS, st.sets(st.integers(0, 6)), st.sets(st.integers(0, 6)), st.integers(1, 200),
       st.integers(0, 6), st.integers(0, 23), ZONES)
def test_days_off_are_never_behind_and_the_rest_carries_the_target(monday, weekdays, holiday_offsets, off_offsets,
                                                                    target, day, hour, zone):
    """Nothing done at all: a rep is behind only for working days they were not off, and
    what a steady pace needs by now is the target spread over the days not off."""
    holidays = {monday + timedelta(days=i) for i in holiday_offsets}
    off = frozenset(monday + timedelta(days=i) for i in off_offsets)
    now = local_wall_time(monday + timedelta(days=day), time(hour), zone)
    p = pace(target=target, done=0, now=now, zone=zone, monday=monday, working_weekdays=weekdays,
             holidays=[*holidays, *off])
    working = [d for d in week_working_days(monday, weekdays, holidays) if d not in off]
    elapsed = [d for d in working if d < monday + timedelta(days=day)]
    assert p.working_days == len(working)
    assert p.expected_by_now == (target * len(elapsed) // len(working) if working else 0)
    if not elapsed:  # every working day so far was a day off (or none has passed)
        assert p.status != "behind"
    if working and len(elapsed) < len(working):
        assert p.per_day_left * (len(working) - len(elapsed)) >= target  # the rest covers the whole target


@given(MONDAYS, ABSENCES, st.integers(-12, 12), WEEKDAYS)
def test_off_until_is_the_end_of_the_absence_a_day_falls_in(monday, spans, offset, weekdays):
    aways = _aways(monday, spans)
    day = monday + timedelta(days=offset)
    until = off_until(aways, day, weekdays)
    inside = [a for a in aways if a.first <= day <= a.last]
    if not inside:
        assert until is None
        return
    assert until >= max(a.last for a in inside)
    # Every working day from `day` to `until` is declared off: the rep is away all along.
    off = days_off(aways, day, until)
    assert all(d in off for d in week_working_days_between(day, until, weekdays))


def week_working_days_between(first: date, last: date, weekdays) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)
            if (first + timedelta(days=i)).weekday() in weekdays]


@given(MONDAYS, ABSENCES, WEEKDAYS)
def test_a_week_is_off_only_when_every_working_day_is(monday, spans, weekdays):
    off = days_off(_aways(monday, spans), monday, monday + timedelta(days=6))
    days = week_working_days(monday, weekdays)
    assert week_off(monday, weekdays, (), off) == all(d in off for d in days)


@given(MONDAYS, ABSENCES, st.integers(-12, 12), st.integers(0, 8))
def test_an_overlap_is_found_exactly_when_days_are_shared(monday, spans, start, length):
    aways = _aways(monday, spans)
    first, last = monday + timedelta(days=start), monday + timedelta(days=start + length)
    shared = days_off(aways, first, last)
    clash = overlapping(aways, first, last)
    assert (clash is not None) == bool(shared)
    if clash:
        assert clash.first <= last and first <= clash.last


def test_time_off_bounds_say_what_is_wrong():
    today = date(2026, 11, 25)
    assert time_off_problem(today, today, today) is None
    assert time_off_problem(today, today - timedelta(days=1), today)[1] == "last_day"
    assert time_off_problem(today, today + timedelta(days=MAX_TIME_OFF_DAYS - 1), today) is None
    assert "At most 60" in time_off_problem(today, today + timedelta(days=MAX_TIME_OFF_DAYS), today)[0]
    assert "year back" in time_off_problem(date(2025, 11, 1), date(2025, 11, 2), today)[0]
    assert "year ahead" in time_off_problem(date(2027, 12, 1), date(2027, 12, 2), today)[0]
    # Off Mon to Fri and again the next Monday: one absence over the weekend.
    aways = [Away(date(2026, 12, 7), date(2026, 12, 11)), Away(date(2026, 12, 14), date(2026, 12, 15))]
    assert off_until(aways, date(2026, 12, 9), range(5)) == date(2026, 12, 15)
    assert off_until(aways, date(2026, 12, 12), range(5)) is None
