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
INTERVAL_SECONDS = 20


def seconds_to_next_tick(now: datetime, interval: float = INTERVAL_SECONDS) -> float:
    """Reminder times are whole minutes: wake just after each minute starts (and at least
    every `interval` seconds), so a reminder goes out within a second or two of its time."""
    next_minute = now.replace(second=0, microsecond=0) + timedelta(minutes=1, milliseconds=50)
    return max(0.05, min(interval, (next_minute - now).total_seconds()))


async def run(reminders: Reminders, stop: asyncio.Event, interval: float = INTERVAL_SECONDS) -> None:
    while not stop.is_set():
        try:
            counts = await reminders.tick()
            if counts:
                log.info("reminders: %s", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        except Exception:  # one bad tick must not stop reminders for everyone
            log.exception("reminder tick failed")
        with contextlib.suppress(TimeoutError):  # the normal way to wait for the next tick
            await asyncio.wait_for(stop.wait(), timeout=seconds_to_next_tick(clock.now(), interval))
