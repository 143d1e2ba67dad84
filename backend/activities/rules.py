"""Pure rules of the sync layer (no I/O): what a pushed mutation may hold, and how a
device's clock is trusted. docs/sync-protocol.md states each of them for client authors."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from backend.core.text import text_problem  # the one rule for every text the API stores

# Activity may be this far in the future of the server's clock: clocks and typing are not
# exact. A device clock within this of the server's is taken as right (nothing corrected).
FUTURE_TOLERANCE = timedelta(minutes=10)
SKEW_TOLERANCE = timedelta(minutes=10)
# A `sent_at` before this, or further than MAX_SKEW from the server's clock, is no clock
# reading at all (a phone that lost its time reads 1970): the device's skew is unknown.
EARLIEST_CLOCK = datetime(2020, 1, 1, tzinfo=UTC)
MAX_SKEW = timedelta(days=366)

# One mutation's JSON may be this big; a bigger one is rejected `too_large` (terminal), so
# it never blocks the queue. Every valid mutation is far below it (a reflection at every
# maximum is about 75 KiB of UTF-8; 220 KiB even if every character is \u-escaped), and a
# batch of one mutation this big still fits the 1 MiB body limit.
MAX_MUTATION_BYTES = 256 * 1024

# A UTF-16 surrogate is no character: JSON may spell a lone one (\ud800), and none may be
# stored. NUL cannot be stored in PostgreSQL text (SQLite would keep it): refused on both
# engines, as in every other body; other control characters are real (if odd) text.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(value: object) -> bool:
    """payload_problem(value) is None, fast: it runs for every mutation of every push, so
    it builds no field paths and skips the surrogate search for ASCII text."""
    kind = type(value)
    if kind is str:
        return text_problem(value) is None and (value.isascii() or _SURROGATE.search(value) is None)
    if kind is dict:
        for key, item in value.items():
            if not (_clean(key) and _clean(item)):
                return False
    elif kind is list:
        for item in value:
            if not _clean(item):
                return False
    return True


def payload_problem(value: object, where: str = "") -> str | None:
    """Where a mutation's payload holds text no field may store, and why; None if clean."""
    if not where and _clean(value):
        return None
    if isinstance(value, str):
        if _SURROGATE.search(value):
            return f"{where or 'payload'} holds a lone UTF-16 surrogate, which is no character"
        problem = text_problem(value)
        return f"{where or 'payload'} {problem}" if problem else None
    if isinstance(value, dict):
        for key, item in value.items():
            problem = payload_problem(key, where) or payload_problem(item, f"{where}.{key}" if where else str(key))
            if problem:
                return problem
    elif isinstance(value, list):
        for index, item in enumerate(value):
            problem = payload_problem(item, f"{where}[{index}]")
            if problem:
                return problem
    return None


def measured_skew(sent_at: datetime, now: datetime) -> timedelta | None:
    """The device's clock minus the server's, or None when `sent_at` is no plausible reading."""
    if sent_at < EARLIEST_CLOCK or abs(sent_at - now) > MAX_SKEW:
        return None
    return sent_at - now


def skew_is_clear(skew: timedelta | None) -> bool:
    """A skew the server acts on: known and beyond what clocks and latency explain."""
    return skew is not None and abs(skew) > SKEW_TOLERANCE


def corrected_time(occurred_at: datetime, skew: timedelta | None, stored: datetime | None = None) -> datetime:
    """`occurred_at` on the server's clock.

    A device whose clock is clearly off stamped its logs with that clock, so they are moved
    back by the measured skew (a phone 3 days fast logging "now" lands now, not next week).
    An update that keeps the time the server already holds (`stored`, corrected when it was
    created, and what the device pulled) is not corrected twice."""
    if not skew_is_clear(skew) or occurred_at == stored:
        return occurred_at
    return occurred_at - skew


def latest_accepted(now: datetime, skew: timedelta | None) -> datetime:
    """The latest `occurred_at` accepted (after correction): a device within tolerance may
    be ahead of the server by its (small) skew, plus the tolerance."""
    ahead = skew if skew is not None and not skew_is_clear(skew) and skew > timedelta(0) else timedelta(0)
    return now + ahead + FUTURE_TOLERANCE
