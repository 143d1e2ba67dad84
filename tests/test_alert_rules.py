"""The pure rules of the manager alerts: when each kind is due, what a digest covers, who
an alert lists and how it reads (unit and property tests)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from backend.alerts import rules
from backend.reminders.rules import Occurrence
from backend.reminders.sender import MAX_PLAINTEXT

ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Auckland", "UTC"]
WEDNESDAY_11 = Occurrence(date(2026, 11, 25), time(11, 0), datetime(2026, 11, 25, 10, 0, tzinfo=UTC))


def test_the_default_pace_check_is_wednesday_11_in_the_managers_zone_and_the_digest_13_on_working_days():
    week = rules.due(rules.Choice(), "Europe/Berlin", datetime(2026, 11, 23, tzinfo=UTC),
                     datetime(2026, 11, 30, tzinfo=UTC))
    pace = [d.occurrence for d in week if d.kind == "pace"]
    assert pace == [WEDNESDAY_11]
    plans = [d.occurrence.local_date.weekday() for d in week if d.kind == "plans"]
    assert plans == [0, 1, 2, 3, 4]
    assert {d.occurrence.wall_time for d in week if d.kind != "pace"} == {time(13, 0)}
    # Turned off: never due.
    assert not [d for d in rules.due(rules.Choice(pace=False, help=False), "UTC", datetime(2026, 11, 23, tzinfo=UTC),
                                     datetime(2026, 11, 30, tzinfo=UTC)) if d.kind in ("pace", "help")]


def test_the_local_time_holds_across_a_daylight_saving_change():
    # Berlin leaves summer time on Sunday 25 October 2026: 11:00 is 09:00 UTC before, 10:00 after.
    choice = rules.Choice(pace_weekday=2)
    found = [d.occurrence.fire_at for d in rules.due(choice, "Europe/Berlin", datetime(2026, 10, 19, tzinfo=UTC),
                                                     datetime(2026, 11, 1, tzinfo=UTC)) if d.kind == "pace"]
    assert found == [datetime(2026, 10, 21, 9, 0, tzinfo=UTC), datetime(2026, 10, 28, 10, 0, tzinfo=UTC)]


@settings(max_examples=80, deadline=None)
@given(zone=st.sampled_from(ZONES), days=st.sets(st.integers(0, 6)), weekday=st.integers(0, 6),
       hour=st.integers(0, 23), minute=st.integers(0, 59), start=st.datetimes(
           min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 1)), span=st.integers(1, 24 * 21))
def test_each_kind_comes_at_most_once_a_local_day_and_only_on_its_days(zone, days, weekday, hour, minute, start, span):
    wall = f"{hour:02d}:{minute:02d}"
    choice = rules.Choice(pace_weekday=weekday, pace_time=wall, digest_days=tuple(sorted(days)), digest_time=wall)
    begin = start.replace(tzinfo=UTC)
    end = begin + timedelta(hours=span)
    found = rules.due(choice, zone, begin, end)
    keys = [(d.kind, d.occurrence.local_date) for d in found]
    assert len(keys) == len(set(keys))
    for d in found:
        assert begin <= d.occurrence.fire_at < end
        allowed = {weekday} if d.kind == "pace" else days
        assert d.occurrence.local_date.weekday() in allowed
    # Split the span anywhere: the two halves find exactly the same (no miss, no double at the seam).
    middle = begin + (end - begin) / 2
    assert rules.due(choice, zone, begin, middle) + rules.due(choice, zone, middle, end) == found


def test_a_digest_covers_from_where_the_last_stopped_to_just_before_it_is_read():
    fire = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    read_early = fire - timedelta(seconds=1.5)  # the scheduler prepares before the minute
    since, until = rules.window(None, fire, read_early)
    assert since == fire - timedelta(days=7) and until == read_early - timedelta(seconds=10)
    last = datetime(2026, 11, 24, 11, 59, 50, tzinfo=UTC)
    assert rules.window(last, fire, fire + timedelta(minutes=30)) == (last, fire - timedelta(seconds=10))
    assert rules.window(fire, fire, fire) == (fire, fire)  # never backwards


@given(st.lists(st.tuples(st.sampled_from(["plan_committed", "plan_changed", "reflection", "help_wanted", "reply"]),
                          st.integers(1, 6), st.integers(0, 2)), max_size=40))
def test_an_event_digest_lists_each_rep_once_and_only_for_its_kinds(raw):
    names = {i: f"Rep {i}" for i in range(1, 6)}  # rep 6 has left the team
    events = [rules.Event(kind, rep, date(2026, 11, 23) - timedelta(weeks=w), datetime(2026, 11, 25, tzinfo=UTC))
              for kind, rep, w in raw]
    for kind, wanted in rules.EVENTS_OF.items():
        listed = rules.from_events(kind, events, names)
        ids = [item.user_id for item in listed]
        assert len(ids) == len(set(ids))
        assert set(ids) == {e.rep_id for e in events if e.kind in wanted and e.rep_id in names}
        assert all(item.detail for item in listed)


def test_event_words_say_what_happened():
    at = datetime(2026, 11, 25, tzinfo=UTC)
    week = date(2026, 11, 23)
    events = [rules.Event("plan_committed", 1, week, at), rules.Event("plan_changed", 1, week, at),
              rules.Event("plan_changed", 1, week, at), rules.Event("help_wanted", 2, week, at),
              rules.Event("reply", 2, week, at), rules.Event("reflection", 2, week, at)]
    names = {1: "Riley", 2: "Sam"}
    assert rules.from_events("plans", events, names) == [
        rules.Listed(1, "Riley", "committed a plan and changed a plan (2 times) for the week of 23 Nov")]
    assert rules.from_events("help", events, names) == [
        rules.Listed(2, "Sam", "asked for help in a reflection and replied on a plan")]
    assert rules.from_events("reflections", events, names) == [rules.Listed(2, "Sam", "reflected on the week of 23 Nov")]


def test_the_pace_check_keeps_the_reviews_diagnosis_and_order():
    rows = [rules.ReviewedRep(3, "Sam", "talk", "Nothing logged in 3 working days.", None),
            rules.ReviewedRep(1, "Casey", "watch", None, "Calls: 4 of 20 so far"),
            rules.ReviewedRep(2, "Taylor", "kudos", "On a 3-week streak.", None),
            rules.ReviewedRep(4, "Avery", "watch", "Quality slipped.", None)]
    assert rules.behind(rows) == [rules.Listed(3, "Sam", "Nothing logged in 3 working days."),
                                  rules.Listed(1, "Casey", "Calls: 4 of 20 so far")]


@given(st.integers(1, 60), st.sampled_from(rules.KINDS), st.integers(0, 160))
def test_a_grouped_alert_always_fits_one_push(count, kind, detail_length):
    listed = [rules.Listed(i, "N" * 100, "d" * detail_length) for i in range(count)]
    title, body = rules.compose(kind, listed, WEDNESDAY_11)
    assert len((title + body).encode()) + 200 < MAX_PLAINTEXT
    assert (f"and {count - rules.NAMES_IN_BODY} more" in body) == (count > rules.NAMES_IN_BODY)
    assert title.endswith("1 rep" if count == 1 else f"{count} reps")
