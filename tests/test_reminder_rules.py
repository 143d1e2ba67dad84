"""Reminder times in a rep's zone, and which push endpoints may ever be contacted."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.reminders.rules import (
    address_problem,
    endpoint_problem,
    keys_problem,
    next_occurrence,
    occurrences,
)

ZONES = st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "America/Santiago", "Australia/Lord_Howe",
                         "Asia/Kolkata", "Pacific/Auckland", "America/St_Johns", "Europe/London"])
TIMES = st.lists(st.times(), min_size=1, max_size=3).map(lambda ts: [t.replace(second=0, microsecond=0) for t in ts])
DAYS = st.sets(st.integers(0, 6), min_size=1)
STARTS = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC))


@given(DAYS, TIMES, ZONES, STARTS)
def test_one_occurrence_per_chosen_day_and_time_no_drift_no_double(days, times, zone, start):
    end = start + timedelta(days=21)
    found = list(occurrences(days, times, zone, start, end))
    keys = [(o.local_date, o.wall_time) for o in found]
    assert len(keys) == len(set(keys))  # never twice (a repeated hour fires once)
    assert [o.fire_at for o in found] == sorted(o.fire_at for o in found)
    tz = ZoneInfo(zone)
    for o in found:
        assert start <= o.fire_at < end and o.local_date.weekday() in days
        local = o.fire_at.astimezone(tz)
        assert local.date() == o.local_date
        asked = datetime.combine(o.local_date, o.wall_time)
        # Exactly the wall time, or later by a DST gap: no drift.
        assert timedelta(0) <= local.replace(tzinfo=None) - asked < timedelta(hours=3)
    # No skip: every chosen (day, time) strictly inside the window appears.
    first_day = start.astimezone(tz).date() + timedelta(days=1)
    for offset in range(19):
        day = first_day + timedelta(days=offset)
        if day.weekday() in days:
            for wall in set(times):
                assert (day, wall) in keys


def test_weekdays_1730_in_berlin_across_both_dst_changes():
    weekdays, times = range(5), [time(17, 30)]
    spring = list(occurrences(weekdays, times, "Europe/Berlin", datetime(2026, 3, 23, tzinfo=UTC),
                              datetime(2026, 4, 4, tzinfo=UTC)))
    assert [o.fire_at.astimezone(ZoneInfo("Europe/Berlin")).strftime("%a %H:%M") for o in spring] == [
        "Mon 17:30", "Tue 17:30", "Wed 17:30", "Thu 17:30", "Fri 17:30"] * 2
    assert spring[4].fire_at.hour == 16 and spring[5].fire_at.hour == 15  # UTC moves, local does not


def test_gap_moves_forward_and_repeat_fires_once():
    gap = list(occurrences([6], [time(2, 30)], "Europe/Berlin", datetime(2026, 3, 28, tzinfo=UTC),
                           datetime(2026, 3, 30, tzinfo=UTC)))
    assert [o.fire_at.astimezone(ZoneInfo("Europe/Berlin")).strftime("%H:%M") for o in gap] == ["03:30"]
    repeat = list(occurrences([6], [time(2, 30)], "Europe/Berlin", datetime(2026, 10, 24, tzinfo=UTC),
                              datetime(2026, 10, 26, tzinfo=UTC)))
    assert len(repeat) == 1  # the first 02:30, still summer time (+02:00)
    assert repeat[0].fire_at.astimezone(ZoneInfo("Europe/Berlin")).utcoffset() == timedelta(hours=2)


def test_next_occurrence():
    after = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)  # Friday 18:00 in Berlin
    nxt = next_occurrence(range(5), [time(17, 30)], "Europe/Berlin", after)
    assert nxt.local_date == date(2026, 11, 30) and nxt.fire_at == datetime(2026, 11, 30, 16, 30, tzinfo=UTC)
    assert next_occurrence([], [time(9, 0)], "UTC", after) is None


@pytest.mark.parametrize("endpoint", [
    "http://127.0.0.1:5432/",
    "https://169.254.169.254/",
    "https://[::1]/",
    "https://[::ffff:127.0.0.1]/",
    "https://100.100.100.100/",
    "https://[64:ff9b::a9fe:a9fe]/",
    "https://[2002:7f00:1::1]/",
    "https://a@fcm.googleapis.com/fcm/send/abc",
    "https://fcm.googleapis.com:8443/fcm/send/abc",
    "https://127.0.0.1:5432/x?.push.apple.com/",
    "https://fcm.googleapis.com.evil.example/x",
    "https://evilfcm.googleapis.com.example/x",
    "https://fcm.googleapis.com:0/x",
    "https://" + "a" * 2000 + ".push.apple.com/",
    "https://fcm.googleapis.com" + "/x" * 600,
    "ftp://fcm.googleapis.com/x",
    "not a url",
    "https://" + "b" * 70 + ".fcm.googleapis.com/x",  # a label IDNA cannot encode
    "https://a..fcm.googleapis.com/x",
    # What a WHATWG parser reads differently from urlsplit (issue 14): a browser's endpoint is
    # always WHATWG-serialized, so anything that serializes differently is refused.
    "https://127.0.0.1\\.push.apple.com/",  # 127.0.0.1 to WHATWG
    "https://fcm.googleapis.com/fcm/send/x\r\nX-Injected: 1",
    "https://fcm.goo\tgleapis.com/fcm/send/x",
    " https://fcm.googleapis.com/fcm/send/x",
    "https://fcm.googleapis.com/fcm/send/\x00",
    "https://fcm%2egoogleapis.com/fcm/send/x",
    "https://FCM.googleapis.com/fcm/send/x",
    "https://fcm.googleapis.com:443/fcm/send/abc",  # a browser never writes the default port
    "https://fcm.googleapis.com",  # nor leaves out the path's slash
])
def test_ssrf_vectors_are_refused(endpoint):
    assert endpoint_problem(endpoint) is not None


@pytest.mark.parametrize("endpoint", [
    "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91b",
    "https://updates.push.services.mozilla.com/wpush/v2/gAAAAA",
    "https://web.push.apple.com/QGx5",
    "https://wns2-db5p.notify.windows.com/w/?token=BQYAAAB",
])
def test_real_push_services_are_allowed(endpoint):
    assert endpoint_problem(endpoint) is None


def test_a_local_push_service_only_by_exact_origin():
    assert endpoint_problem("http://127.0.0.1:8090/notify/abc", test_origins=["http://127.0.0.1:8090"]) is None
    assert endpoint_problem("http://127.0.0.1:8091/notify/abc", test_origins=["http://127.0.0.1:8090"]) is not None


@pytest.mark.parametrize("address,bad", [("10.0.0.1", True), ("127.0.0.1", True), ("169.254.169.254", True),
                                         ("100.100.100.100", True), ("::1", True), ("::ffff:127.0.0.1", True),
                                         ("2002:7f00:1::1", True), ("64:ff9b::a9fe:a9fe", True),
                                         ("142.250.1.95", False), ("2a00:1450:4001::200e", False)])
def test_resolved_addresses_must_be_public(address, bad):
    assert (address_problem(address) is not None) == bad


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_subscription_keys_are_checked():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    good_point = b64(ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint))
    good_auth = b64(b"\x02" * 16)
    assert keys_problem(good_point, good_auth) is None
    assert keys_problem(good_point + "=", good_auth + "==") is None  # padded base64url is fine too
    # The right length and a leading 0x04, but not a point on P-256 (issue 14): refused.
    assert keys_problem("B" + "A" * 86, good_auth)
    assert keys_problem(b64(b"\x04" + b"\x01" * 64), good_auth)
    # Characters outside base64url (Python's decoder would silently drop them).
    assert keys_problem(good_point[:40] + "!" + good_point[40:], good_auth)
    assert keys_problem(good_point, good_auth[:10] + " " + good_auth[10:])
    assert keys_problem(good_point, b64(b"\x02" * 17))
    assert keys_problem(b64(b"\x03" + b"\x01" * 64), good_auth)  # compressed point
    assert keys_problem(b64(b"\x04" * 10), good_auth)
    assert keys_problem(good_point, b64(b"\x02" * 15))
    assert keys_problem("%%%", good_auth) and keys_problem(good_point, "x" * 5000)


def test_the_scheduler_wakes_in_time_to_prepare_each_minute():
    from backend.reminders.scheduler import seconds_to_next_tick

    # Prepared 1.5 s before the minute starts (16:30:00.05), so it wakes at 16:29:58.55.
    assert seconds_to_next_tick(datetime(2026, 11, 25, 16, 29, 58, tzinfo=UTC)) == pytest.approx(0.55)
    assert seconds_to_next_tick(datetime(2026, 11, 25, 16, 29, 0, 100000, tzinfo=UTC)) == pytest.approx(58.45)
    # Just after a minute was sent: the next preparation is almost a minute away.
    assert seconds_to_next_tick(datetime(2026, 11, 25, 16, 30, 0, 900000, tzinfo=UTC)) == pytest.approx(57.65)
    assert seconds_to_next_tick(datetime(2026, 11, 25, 16, 30, 50, tzinfo=UTC)) == pytest.approx(8.55)
    assert seconds_to_next_tick(datetime(2026, 11, 25, 16, 30, 50, tzinfo=UTC), interval=5) == 5  # capped
