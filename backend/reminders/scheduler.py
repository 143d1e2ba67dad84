"""The reminder loop: runs inside `followthrough serve` and as `followthrough worker`.
Safe in every process at once: each occurrence is claimed before it is sent."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from backend.reminders.service import Reminders

log = logging.getLogger("followthrough.reminders")
INTERVAL_SECONDS = 20


async def run(reminders: Reminders, stop: asyncio.Event, interval: float = INTERVAL_SECONDS) -> None:
    while not stop.is_set():
        try:
            counts = await reminders.tick()
            if counts:
                log.info("reminders: %s", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        except Exception:  # one bad tick must not stop reminders for everyone
            log.exception("reminder tick failed")
        with contextlib.suppress(TimeoutError):  # the normal way to wait for the next tick
            await asyncio.wait_for(stop.wait(), timeout=interval)
