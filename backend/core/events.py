"""Things that happened in one domain that another domain records (an outbox).

A domain that causes them (plans, coaching) emits a Happened inside the transaction of
the cause; listeners (the manager alerts) write their row in that same transaction, so an
event is stored exactly when its cause is. The emitting domain knows nothing of who listens.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

EventKind = Literal["plan_committed", "plan_changed", "reflection", "help_wanted", "reply"]


@dataclass(frozen=True)
class Happened:
    kind: EventKind
    rep_id: int
    team_id: int
    week_start: date
    ref_id: int  # the plan, reflection or comment it is about
    at: datetime


Listener = Callable[[Happened], Awaitable[None]]


class Events:
    def __init__(self) -> None:
        self.listeners: list[Listener] = []

    def listen(self, listener: Listener) -> None:
        self.listeners.append(listener)

    async def emit(self, event: Happened) -> None:
        """Call inside the cause's write transaction: a listener that fails fails the cause."""
        for listener in self.listeners:
            await listener(event)
