"""Manager alerts: what a manager chose to hear about and when, and their inbox."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from shared_schemas.common import Id, Instant
from shared_schemas.plans import WallTime, Weekday

AlertKind = Literal["pace", "plans", "reflections", "help", "commitments"]


class AlertSettings(msgspec.Struct, kw_only=True):
    """A manager's alerts. Each kind comes at most once a day, grouped (one alert listing
    several reps). The pace check comes weekly at pace_weekday + pace_time; the others in
    the daily digest at digest_time on digest_days. Times are in the manager's time_zone."""

    pace: bool
    # "Who is behind by Wednesday 11:00": reps the review says to talk to, or behind pace.
    pace_weekday: Weekday
    pace_time: WallTime
    # A plan committed or changed.
    plans: bool
    # A reflection written (before the 1:1).
    reflections: bool
    # A rep asked for help in a reflection, or replied on their plan.
    help: bool
    # Commitments from a 1:1 due that day and still open.
    commitments: bool
    digest_days: list[Weekday]
    digest_time: WallTime
    time_zone: str
    # False until the manager saves their own choice (these are the defaults).
    saved: bool


class UpdateAlertSettings(msgspec.Struct, kw_only=True):
    pace: bool
    pace_weekday: Weekday
    pace_time: WallTime
    plans: bool
    reflections: bool
    help: bool
    commitments: bool
    digest_days: Annotated[list[Weekday], msgspec.Meta(max_length=7)]
    digest_time: WallTime


class AlertRep(msgspec.Struct, kw_only=True):
    """One rep in a grouped alert, with what happened in words (no private text)."""

    user_id: int
    name: str
    detail: str


class ManagerAlert(msgspec.Struct, kw_only=True):
    id: int
    kind: AlertKind
    # The manager's local day and time this alert is for.
    local_date: str
    wall_time: str
    title: str
    body: str
    # Where the PWA opens it.
    url: str
    reps: list[AlertRep]
    created_at: Instant
    read_at: Instant | None


class AlertInbox(msgspec.Struct, kw_only=True):
    """Newest first."""

    alerts: list[ManagerAlert]
    unread: int


class AlertCount(msgspec.Struct, kw_only=True):
    unread: int


class MarkAlertsRead(msgspec.Struct, kw_only=True):
    ids: Annotated[list[Id], msgspec.Meta(min_length=1, max_length=500)]
