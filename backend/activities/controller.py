"""Routes of the sync layer: push, pull, and what managers see of it. Thin: they call Activities."""

from __future__ import annotations

import json
from typing import Annotated

import msgspec
from litestar import Controller, MediaType, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException, ServiceUnavailableException, ValidationException
from litestar.params import FromPath, QueryParameter, RawBody

from backend.accounts.web import requires_role
from backend.activities.rules import MAX_MUTATION_BYTES
from backend.activities.service import Activities, size_hint
from backend.core.http import MAX_BODY_BYTES, decoded_body, http_error
from backend.core.openapi import body_of
from shared_schemas import ErrorBody, PullResponse, PushRequest, PushResponse, RepSync
from shared_schemas.sync import UUID_PATTERN

ActivitiesDep = NamedDependency[Activities]
RETRY_AFTER_SECONDS = 2


def _transient(error: Exception) -> bool:
    """Failures worth retrying: lock contention, serialization conflicts, a lost connection."""
    text = f"{type(error).__name__} {error}".lower()
    return any(word in text for word in (
        "database is locked", "deadlock", "serializ", "connection", "timeout", "too many clients", "busy"))


def push_body(body: bytes) -> tuple[PushRequest, bool]:
    """The push's body. JSON text that msgspec refuses, a lone surrogate (\\ud800) or bytes
    that are not UTF-8, is usually one rep's note: read again leniently, that text reaches
    the batch as a lone surrogate, and only its mutation is `rejected invalid`
    (rules.payload_problem) while the rest of the batch applies. A body that is still no
    JSON, or no push, is the whole batch's 400 as before.

    Also whether the payloads' text needs checking: msgspec read valid JSON text, so the
    only text no field may hold that it can carry is NUL, which JSON spells \\u0000. The
    check of every string of every mutation costs more than decoding them; a scan of the
    body's bytes for that escape costs next to nothing."""
    try:
        return decoded_body(body, PushRequest), b"\\u0000" in body
    except (ValidationException, UnicodeDecodeError) as error:
        refused = error
    try:
        # surrogateescape: each byte that is not UTF-8 becomes a lone surrogate; strict=False:
        # a raw control character in a string (a NUL byte) is read as one.
        text = body.decode("utf-8", errors="surrogateescape")
        lenient = json.loads(text, strict=False, parse_constant=_no_constant)
        return msgspec.convert(lenient, PushRequest, strict=True), True
    except (ValueError, RecursionError, msgspec.ValidationError):
        if isinstance(refused, ValidationException):
            raise refused from None
        raise ValidationException(detail="it is not UTF-8") from None


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")  # Python's json reads NaN and Infinity; JSON has neither


def body_too_large(request: Request, error: HTTPException) -> Response:
    """The body limit's 413 on the sync routes, with what a device needs to split its batch
    (the same hint as a batch of too many mutations)."""
    if error.status_code != 413:
        return http_error(request, error)
    return Response(ErrorBody(status_code=413, detail=(
        f"The batch is over {MAX_BODY_BYTES // 1024} KiB: send fewer mutations at a time. A mutation over"
        f" {MAX_MUTATION_BYTES // 1024} KiB is never accepted: send it as too_large."), extra=size_hint()),
        status_code=413, media_type=MediaType.JSON)


class SyncController(Controller):
    path = "/api/sync"
    tags = ["sync"]
    exception_handlers = {HTTPException: body_too_large}

    # The body is decoded here in one pass (decoded_body): the hottest route of the API.
    @post("/push", status_code=200, operation_class=body_of(PushRequest))
    async def push(self, request: Request, body: RawBody, activities: ActivitiesDep) -> PushResponse:
        """Apply a batch in one transaction. Safe to resend: replays answer `duplicate`."""
        data, check_text = push_body(body)
        try:
            return await activities.push(request.user, data, len(body), check_text=check_text)
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
        # Opaque to the device: the `cursor` of the last answer (negative while a first pull or
        # a snapshot is paged).
        cursor: Annotated[int, QueryParameter(ge=-(2**31 - 1), le=2**31 - 1)] = 0,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 500,
        outbox_size: Annotated[int | None, QueryParameter(ge=0)] = None,
    ) -> PullResponse:
        return await activities.pull(request.user, client_id, cursor, limit, outbox_size)


@get("/api/teams/{team_id:int}/sync", guards=[requires_role("manager", "admin")], tags=["sync"])
async def team_sync(request: Request, team_id: FromPath[int], activities: ActivitiesDep) -> list[RepSync]:
    """Per rep, when each device last synced and whether it still holds changes."""
    return await activities.team_sync(request.user, team_id)


ROUTES = [SyncController, team_sync]
