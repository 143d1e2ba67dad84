"""Property tests of the sync layer's pure rules (backend/activities/rules.py): how far a
device's clock is trusted, and what text a mutation may carry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from backend.activities.rules import (
    EARLIEST_CLOCK,
    FUTURE_TOLERANCE,
    MAX_SKEW,
    SKEW_TOLERANCE,
    corrected_time,
    latest_accepted,
    measured_skew,
    payload_problem,
)

NOW = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC))
SKEW = st.timedeltas(min_value=-MAX_SKEW, max_value=MAX_SKEW)
SINCE = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30))


@given(NOW, SKEW)
def test_a_plausible_clock_gives_its_skew(now, skew):
    sent = now + skew
    expected = skew if sent >= EARLIEST_CLOCK else None
    assert measured_skew(sent, now) == expected


@given(NOW, st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2019, 12, 31), timezones=st.just(UTC)))
def test_a_clock_before_2020_is_no_reading(now, sent):
    assert measured_skew(sent, now) is None


@given(NOW, st.timedeltas(min_value=MAX_SKEW + timedelta(seconds=1), max_value=timedelta(days=20_000)), st.booleans())
def test_a_clock_over_a_year_off_is_no_reading(now, off, ahead):
    assert measured_skew(now + off if ahead else now - off, now) is None


@given(NOW, SKEW, SINCE)
def test_a_log_stamped_by_a_clearly_wrong_clock_lands_when_it_happened(now, skew, since):
    """The device stamped its log `since` before its own now: on the server's clock that is
    `since` before the server's now, whatever the skew, and never in the future."""
    stamped = now + skew - since
    corrected = corrected_time(stamped, skew)
    if abs(skew) > SKEW_TOLERANCE:
        assert corrected == now - since
    else:
        assert corrected == stamped  # a clock within tolerance is taken as right
    assert corrected <= latest_accepted(now, skew)


@given(NOW, SKEW, SINCE)
def test_an_update_keeping_the_stored_time_is_not_corrected_twice(now, skew, since):
    stored = corrected_time(now + skew - since, skew)
    assert corrected_time(stored, skew, stored=stored) == stored


@given(NOW, SINCE)
def test_an_unknown_skew_corrects_nothing(now, since):
    assert corrected_time(now - since, None) == now - since
    assert latest_accepted(now, None) == now + FUTURE_TOLERANCE


@given(NOW, SKEW)
def test_the_future_limit_is_the_servers_clock_plus_at_most_a_small_skew(now, skew):
    limit = latest_accepted(now, skew)
    assert now + FUTURE_TOLERANCE <= limit <= now + FUTURE_TOLERANCE + SKEW_TOLERANCE


CLEAN = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=40)
PAYLOADS = st.recursive(
    st.none() | st.booleans() | st.integers() | CLEAN,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(CLEAN, inner, max_size=4),
    max_leaves=12,
)


@given(PAYLOADS)
def test_clean_payloads_pass(payload):
    assert payload_problem(payload) is None


@given(CLEAN, CLEAN, st.sampled_from(["\x00", "\ud800", "\udfff", "\udc80"]))
def test_a_nul_or_lone_surrogate_anywhere_is_found_and_named(before, after, bad):
    payload = {"account_name": "Acme", "note": before + bad + after, "jottings": ["fine"]}
    problem = payload_problem(payload)
    assert problem is not None and problem.startswith("note ")
    assert payload_problem({"jottings": ["ok", before + bad]}).startswith("jottings[1] ")
