"""HTTP edges shared by all domains: error bodies, security headers, CSRF, body limits."""

from __future__ import annotations

import logging
import re
from typing import Any, TypeVar

import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    NotFoundException,
    PermissionDeniedException,
    SerializationException,
    ValidationException,
)
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from backend.core.errors import DomainError
from backend.core.security import SECURITY_HEADERS, csrf_problem
from shared_schemas import ErrorBody

log = logging.getLogger("followthrough")

MAX_BODY_BYTES = 1024 * 1024


def _json_error(status: int, detail: str, extra: dict[str, Any] | None = None, headers=None):
    return Response(
        ErrorBody(status_code=status, detail=detail, extra=extra),
        status_code=status,
        media_type=MediaType.JSON,
        headers=headers,
    )


_MSGSPEC_HINTS = [
    (re.compile(r"Expected `str` of length >= (\d+)"), r"must be at least \1 characters"),
    (re.compile(r"Expected `str` of length <= (\d+)"), r"must be at most \1 characters"),
    (re.compile(r"Expected `str` matching regex .*"), "is not valid"),
    (re.compile(r"Expected `int` >= (\d+)"), r"must be at least \1"),
    (re.compile(r"Expected `int` <= (\d+)"), r"must be at most \1"),
    (re.compile(r"Expected `int`, got .*"), "must be a whole number"),
    (re.compile(r"Expected `bool`, got .*"), "must be true or false"),
    (re.compile(r"Expected `datetime` with a timezone.*"), "must include a time zone offset"),
    (re.compile(r"Invalid enum value (.*)"), r"has an unknown value \1"),
]


def _humanize(message: str) -> str:
    message = message.split(" - at ")[0]
    for pattern, replacement in _MSGSPEC_HINTS:
        if pattern.search(message):
            return pattern.sub(replacement, message)
    return message


def validation_error(request: Request, exc: ValidationException) -> Response:
    problems: dict[str, str] = {}
    for item in exc.extra if isinstance(exc.extra, list) else []:
        message = str(item.get("message", "is not valid"))
        key = item.get("key") or _field_from_message(message) or "body"
        problems[str(key)] = _humanize(message)
    if not problems:
        reason = f" ({exc.detail})" if exc.detail else ""
        return _json_error(400, f"The request body is not valid JSON{reason}.")
    parts = [f"{key} {text}" if key != "body" else text for key, text in problems.items()]
    return _json_error(400, "Please check: " + "; ".join(parts) + ".", problems)


Body = TypeVar("Body")


def decoded_body(body: bytes, kind: type[Body]) -> Body:
    """A JSON body decoded straight into its struct, for a route that takes `body: RawBody`
    (document it with `openapi.body_of`). Litestar's `data` decodes to dicts, then converts
    them: twice the CPU, which on the sync push (100 mutations a request) was a tenth of the
    server's. Same rules (strict=False, as Litestar's conversion) and the same 400 answers."""
    if not body:
        raise ValidationException(detail="it is empty")
    try:
        return msgspec.json.decode(body, type=kind, strict=False)
    except msgspec.ValidationError as error:
        raise ValidationException(detail=str(error), extra=[{"message": str(error), "source": "body"}]) from None
    except msgspec.DecodeError as error:
        raise ValidationException(detail=f"JSON is malformed: {str(error).removeprefix('JSON is malformed: ')}") from None


def _field_from_message(message: str) -> str | None:
    at = re.search(r"at `\$\.([\w.\[\]]+)`", message)
    if at:
        return at.group(1)
    missing = re.search(r"missing required field `(\w+)`", message)
    return missing.group(1) if missing else None


def domain_error(request: Request, exc: DomainError) -> Response:
    return _json_error(exc.status_code, exc.detail, exc.extra, exc.headers)


def http_error(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    headers = dict(exc.headers or {})
    detail = exc.detail
    if isinstance(exc.__cause__, SerializationException):
        detail = f"The request body is not valid JSON ({exc.__cause__})."
    elif status == 413:
        detail = f"The request body is too large (limit {MAX_BODY_BYTES // 1024} KiB)."
    elif status == 404 and detail in ("", "Not Found"):
        detail = "Nothing here: check the address."
    elif status == 405:
        detail = f"{request.method} is not allowed on {request.url.path}."
    return _json_error(status, detail or "Request refused.", None, headers or None)


# Ids are 32-bit in the database (PostgreSQL SERIAL); a bigger one cannot exist, and sent to
# the database it would fail there (SQLite and asyncpg overflow) instead of answering 404.
MAX_ID = 2**31 - 1


async def unknown_ids(request: Request) -> None:
    """before_request: an id in the path or the query that no row can have is not found."""
    ids = [value for value in request.path_params.values() if isinstance(value, int)]
    for name, value in request.query_params.items():
        # ASCII digits only: str.isdigit() also accepts "¹" or "٣", which int() refuses or reads.
        if name.endswith("_id") and re.fullmatch(r"-?[0-9]+", value):
            ids.append(int(value))
    if any(not -MAX_ID <= value <= MAX_ID for value in ids):
        raise NotFoundException(detail="Nothing here: that id does not exist.")


def server_error(request: Request, exc: Exception) -> Response:
    # The trace goes to the log only; the client learns nothing about the internals.
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _json_error(500, "Something went wrong on our side. Try again in a moment.")


EXCEPTION_HANDLERS = {
    ValidationException: validation_error,
    DomainError: domain_error,
    HTTPException: http_error,
    Exception: server_error,
}


async def add_security_headers(message: Message, scope: Scope) -> None:
    """before_send hook: runs for every response, including 404s and errors."""
    if message["type"] == "http.response.start":
        headers = message.setdefault("headers", [])
        present = {name.lower() for name, _ in headers}
        for name, value in SECURITY_HEADERS.items():
            if name.encode() not in present:
                headers.append((name.encode(), value.encode()))


class CSRFMiddleware(ASGIMiddleware):
    """Refuses unsafe /api requests without the custom header or from another origin."""

    def __init__(self, allowed_origin: str) -> None:
        self.allowed_origin = allowed_origin

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/api/"):
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
            problem = csrf_problem(scope["method"], headers, self.allowed_origin)
            if problem:
                raise PermissionDeniedException(detail=problem)
        await next_app(scope, receive, send)
