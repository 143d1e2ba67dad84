"""The reminder loop: runs inside `followthrough serve` and as `followthrough worker`.
Safe in every process at once: each occurrence is claimed before it is sent."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

from backend.core import clock
from backend.reminders.service import Reminders

log = logging.getLogger("followthrough.reminders")
# A tick reads every rep's reminder settings, so it runs once a minute (prepared just
# before it starts), and also after a stall such as a suspended machine.
INTERVAL_SECONDS = 60
# Reminder times are whole minutes. The reads that find a minute's reminders run this
# long before it starts, so that thousands of pushes can leave as it starts.
PREPARE_AHEAD_SECONDS = 1.5
START_DELAY = timedelta(milliseconds=50)  # past the boundary, so the minute has surely begun


def next_minute(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0) + timedelta(minutes=1) + START_DELAY


def seconds_to_next_tick(now: datetime, interval: float = INTERVAL_SECONDS) -> float:
    """Wake in time to prepare the next minute (and at least every `interval` seconds)."""
    prepare_at = next_minute(now) - timedelta(seconds=PREPARE_AHEAD_SECONDS)
    if prepare_at <= now:
        prepare_at += timedelta(minutes=1)
    return max(0.05, min(interval, (prepare_at - now).total_seconds()))


async def _one_tick(reminders: Reminders, stop: asyncio.Event) -> dict[str, int]:
    now = clock.now()
    start = next_minute(now)
    if (start - now).total_seconds() > PREPARE_AHEAD_SECONDS:
        return await reminders.tick()
    prepared = await reminders.prepare(until=start)
    with contextlib.suppress(TimeoutError):  # wait for the minute to begin (or a stop)
        await asyncio.wait_for(stop.wait(), timeout=max(0.0, (start - clock.now()).total_seconds()))
    return await reminders.send_due(prepared)


async def run(reminders: Reminders, stop: asyncio.Event, interval: float = INTERVAL_SECONDS) -> None:
    while not stop.is_set():
        try:
            counts = await _one_tick(reminders, stop)
            if counts:
                log.info("reminders: %s", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        except Exception:  # one bad tick must not stop reminders for everyone
            log.exception("reminder tick failed")
        with contextlib.suppress(TimeoutError):  # the normal way to wait for the next tick
            await asyncio.wait_for(stop.wait(), timeout=seconds_to_next_tick(clock.now(), interval))
