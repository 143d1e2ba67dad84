"""Routes of the sync layer: push, pull, and what managers see of it. Thin: they call Activities."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import ServiceUnavailableException
from litestar.params import FromPath, QueryParameter, RawBody

from backend.accounts.web import requires_role
from backend.activities.service import Activities
from backend.core.http import decoded_body
from backend.core.openapi import body_of
from shared_schemas import PullResponse, PushRequest, PushResponse, RepSync
from shared_schemas.sync import UUID_PATTERN

ActivitiesDep = NamedDependency[Activities]
RETRY_AFTER_SECONDS = 2


def _transient(error: Exception) -> bool:
    """Failures worth retrying: lock contention, serialization conflicts, a lost connection."""
    text = f"{type(error).__name__} {error}".lower()
    return any(word in text for word in (
        "database is locked", "deadlock", "serializ", "connection", "timeout", "too many clients", "busy"))


class SyncController(Controller):
    path = "/api/sync"
    tags = ["sync"]

    # The body is decoded here in one pass (decoded_body): the hottest route of the API.
    @post("/push", status_code=200, operation_class=body_of(PushRequest))
    async def push(self, request: Request, body: RawBody, activities: ActivitiesDep) -> PushResponse:
        """Apply a batch in one transaction. Safe to resend: replays answer `duplicate`."""
        data = decoded_body(body, PushRequest)
        try:
            return await activities.push(request.user, data)
        except Exception as error:
            if not _transient(error):
                raise
            # Nothing was written (the transaction rolled back): the device keeps its outbox.
            raise ServiceUnavailableException(
                detail="The server is busy: your changes are safe on the device and will be sent again shortly.",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            ) from error

    @get("/pull")
    async def pull(
        self,
        request: Request,
        activities: ActivitiesDep,
        # Litestar checks a parameter's own pattern, not the msgspec Meta inside Uuid.
        client_id: Annotated[str, QueryParameter(pattern=UUID_PATTERN)],
        cursor: Annotated[int, QueryParameter(ge=0)] = 0,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 500,
        outbox_size: Annotated[int | None, QueryParameter(ge=0)] = None,
    ) -> PullResponse:
        return await activities.pull(request.user, client_id, cursor, limit, outbox_size)


@get("/api/teams/{team_id:int}/sync", guards=[requires_role("manager", "admin")], tags=["sync"])
async def team_sync(request: Request, team_id: FromPath[int], activities: ActivitiesDep) -> list[RepSync]:
    """Per rep, when each device last synced and whether it still holds changes."""
    return await activities.team_sync(request.user, team_id)


ROUTES = [SyncController, team_sync]
