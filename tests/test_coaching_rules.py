"""The pure coaching rules: commitment auto-verification over activity sequences, repeated
misses, due dates, the next check-in, milestones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from backend.coaching import rules
from backend.coaching.rules import WeekRecord

START = date(2026, 11, 23)


def count_until(log_days: list[date], start: date, end: date) -> int:
    """What the service counts: logs of the type from the check-in's date to the due date."""
    return sum(1 for d in log_days if start <= d <= end)


@given(st.integers(1, 20), st.lists(st.integers(-5, 30), max_size=40), st.integers(0, 21), st.integers(-3, 40))
def test_a_measured_commitment_follows_itself_up(target, offsets, due_in, today_in):
    logs = [START + timedelta(days=o) for o in offsets]
    due, today = START + timedelta(days=due_in), START + timedelta(days=today_in)
    # Only what has happened by today can count.
    done = count_until([d for d in logs if d <= today], START, due)
    status, source = rules.commitment_status(target=target, done=done, due_on=due, today=today, manager_status=None)
    assert source == "measured"
    if done >= target:
        assert status == "met"  # met the moment the count is reached, before the due date too
    elif today <= due:
        assert status == "open"
    else:
        assert status == ("partly" if done else "not_met")


@given(st.integers(1, 10), st.lists(st.integers(0, 14), max_size=30))
def test_more_logged_activity_never_makes_a_commitment_worse(target, offsets):
    order = ["not_met", "partly", "open", "met"]
    due, today = START + timedelta(days=7), START + timedelta(days=10)
    done = count_until([START + timedelta(days=o) for o in offsets], START, due)
    worse = rules.commitment_status(target=target, done=done, due_on=due, today=today, manager_status=None)[0]
    better = rules.commitment_status(target=target, done=done + 1, due_on=due, today=today, manager_status=None)[0]
    assert order.index(better) >= order.index(worse)


def test_commitments_in_words_wait_for_the_managers_verdict():
    due = START + timedelta(days=3)
    assert rules.commitment_status(target=None, done=None, due_on=due, today=START, manager_status=None) == \
        ("open", "pending")
    assert rules.commitment_status(target=None, done=None, due_on=due, today=due + timedelta(days=1),
                                   manager_status=None) == ("to_review", "pending")
    assert rules.commitment_status(target=None, done=None, due_on=due, today=START, manager_status="partly") == \
        ("partly", "manager")


def test_due_dates_are_for_the_coming_weeks():
    assert rules.due_date_problem(START, START) is None
    assert "passed" in rules.due_date_problem(START - timedelta(days=1), START)
    assert rules.due_date_problem(START + timedelta(days=56), START) is None
    assert "within 8 weeks" in rules.due_date_problem(START + timedelta(days=57), START)


def test_repeatedly_missed_means_two_in_one_check_in_or_one_in_each_of_two():
    assert not rules.repeatedly_missed([])
    assert not rules.repeatedly_missed([["not_met", "met"]])
    assert rules.repeatedly_missed([["not_met", "partly"]])
    assert rules.repeatedly_missed([["not_met", "met"], ["partly"]])
    assert not rules.repeatedly_missed([["met"], ["not_met", "not_met"]])  # kept the latest ones
    assert not rules.repeatedly_missed([["open", "to_review"], ["not_met"]])


STATUSES = st.lists(st.lists(st.sampled_from(["open", "met", "partly", "not_met", "to_review"]), max_size=5),
                    max_size=4)


@given(STATUSES)
def test_keeping_every_latest_commitment_is_never_repeatedly_missed(history):
    assert not rules.repeatedly_missed([["met"] * 3, *history])


def test_the_next_check_in_is_local_wall_time_in_the_reps_zone():
    # Wednesday 09:00 UTC; Thursdays 14:00 in New York.
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    upcoming = rules.next_checkin([3], "14:00", "America/New_York", now)
    local = upcoming.astimezone(ZoneInfo("America/New_York"))
    assert (local.date(), local.hour, local.minute) == (date(2026, 11, 26), 14, 0)
    assert rules.next_checkin([], "14:00", "UTC", now) is None


def test_milestones_celebrate_first_plan_met_streaks_kept_commitments_and_wins():
    weeks = [WeekRecord(START - timedelta(weeks=n), a, a == 1, won)
             for n, a, won in [(5, Fraction(1, 2), 0), (4, Fraction(95, 100), 0), (3, Fraction(1), 1),
                               (2, Fraction(92, 100), 0), (1, Fraction(3, 10), 2)]]
    found = rules.milestones(weeks, [(START - timedelta(weeks=2), 2)], Fraction(9, 10), (3, 5))
    assert [(m.kind, m.title) for m in found] == [
        ("first_plan_met", "First week with the whole plan met."),
        ("won_deal", "Won a deal."),
        ("streak", "3 weeks in a row on plan."),
        ("commitments_kept", "Kept every commitment from the check-in."),
        ("won_deal", "Won 2 deals."),
    ]
