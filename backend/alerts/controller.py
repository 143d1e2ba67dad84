"""Routes of the manager alerts: thin, they call Alerts. Managers only: the alerts are
about the teams they manage."""

from __future__ import annotations

from typing import Annotated

from litestar import Request, get, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter

from backend.accounts.web import requires_role
from backend.alerts.service import INBOX_LIMIT, Alerts
from shared_schemas import (
    AlertCount,
    AlertInbox,
    AlertSettings,
    MarkAlertsRead,
    UpdateAlertSettings,
)

AlertsDep = NamedDependency[Alerts]
MANAGERS = [requires_role("manager")]
TAGS = ["alerts"]


@get("/api/me/alert-settings", guards=MANAGERS, tags=TAGS)
async def alert_settings(request: Request, alerts: AlertsDep) -> AlertSettings:
    """Which alerts this manager gets and when (the defaults until they save)."""
    return await alerts.settings(request.user)


@put("/api/me/alert-settings", guards=MANAGERS, tags=TAGS)
async def update_alert_settings(request: Request, data: JSONBody[UpdateAlertSettings],
                                alerts: AlertsDep) -> AlertSettings:
    return await alerts.update_settings(request.user, data)


@get("/api/me/alerts", guards=MANAGERS, tags=TAGS)
async def inbox(request: Request, alerts: AlertsDep,
                limit: Annotated[int, QueryParameter(ge=1, le=INBOX_LIMIT)] = INBOX_LIMIT) -> AlertInbox:
    """The alerts inbox, newest first, with the unread count."""
    return await alerts.inbox(request.user, limit)


@get("/api/me/alerts/unread", guards=MANAGERS, tags=TAGS)
async def unread(request: Request, alerts: AlertsDep) -> AlertCount:
    """How many alerts are unread (the navigation's badge)."""
    return await alerts.unread(request.user)


@post("/api/me/alerts/read", guards=MANAGERS, tags=TAGS, status_code=200)
async def mark_read(request: Request, data: JSONBody[MarkAlertsRead], alerts: AlertsDep) -> AlertCount:
    """Mark these alerts read; answers the unread count left."""
    return await alerts.mark_read(request.user, data.ids)


ROUTES = [alert_settings, update_alert_settings, inbox, unread, mark_read]
