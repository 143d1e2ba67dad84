"""HTTP edges shared by all domains: error bodies, security headers, CSRF, body limits."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
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

from backend.core.db import is_busy
from backend.core.errors import DomainError, InvalidInput
from backend.core.security import NO_STORE, csrf_problem, security_headers
from backend.core.text import FORBIDDEN_CHARACTER, NUL_MESSAGE, text_problem
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
    (re.compile(r"Expected `int( \| null)?`, got .*"), "must be a whole number"),
    (re.compile(r"Expected `bool( \| null)?`, got .*"), "must be true or false"),
    (re.compile(r"Expected `str( \| null)?`, got .*"), "must be text"),
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
    server's. Strict, as every body (check_request), with the same 400 answers."""
    if not body:
        raise ValidationException(detail="it is empty")
    return _decode(msgspec.json.Decoder(kind), body)


def _decode(decoder: msgspec.json.Decoder, body: bytes) -> Any:
    """A body through its strict decoder; every way it can be malformed is a 400 that says how."""
    try:
        try:
            return decoder.decode(body)
        except msgspec.ValidationError:
            # JSON has one kind of number: 1.0 is the integer 1 (JSON Schema says so too), which
            # msgspec's strict mode refuses. Read again with such numbers as ints, still strict
            # about everything else ("1" is no integer, 0 no boolean).
            return msgspec.convert(_integral(msgspec.json.decode(body)), decoder.type)
    except msgspec.ValidationError as error:
        raise ValidationException(detail=str(error), extra=[{"message": str(error), "source": "body"}]) from None
    except msgspec.DecodeError as error:
        raise ValidationException(detail=f"JSON is malformed: {str(error).removeprefix('JSON is malformed: ')}") from None
    except UnicodeDecodeError as error:
        raise ValidationException(detail=f"it is not UTF-8 (byte {error.start})") from None
    except RecursionError:
        raise ValidationException(detail="it is nested too deeply") from None


def convert_strictly(value: Any, kind: type[Body]) -> Body:
    """Decoded JSON (a sync mutation's payload) as `kind`, as strictly as a body: "5" is no
    integer, 0 no boolean, yet 1.0 is the integer 1. Raises msgspec.ValidationError
    (described() says it in words)."""
    try:
        return msgspec.convert(value, kind)
    except msgspec.ValidationError as error:
        try:
            return msgspec.convert(_integral(value), kind)
        except RecursionError:
            raise error from None  # nested too deeply to be read again (no field is that deep)


def described(error: msgspec.ValidationError) -> str:
    """A conversion error in the words of a 400's `extra`: "self_rating must be a whole number"."""
    message = str(error)
    field = _field_from_message(message)
    return f"{field} {_humanize(message)}" if field else _humanize(message)


def _integral(value: Any) -> Any:
    """Whole-valued floats (1.0, 2e3) as ints, anywhere in decoded JSON."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, list):
        return [_integral(item) for item in value]
    if isinstance(value, dict):
        return {key: _integral(item) for key, item in value.items()}
    return value


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
# Every other whole number the API takes fits a 32-bit column too.
MAX_ID = 2**31 - 1
MAX_INT = MAX_ID

# The days the app computes with (weeks, months, quarters, history before and after): a
# date far outside them is a typo or a probe, and 9999-12-31 plus a week overflows Python.
MIN_DAY = date(1900, 1, 1)
MAX_DAY = date(2999, 12, 31)

def value_problems(value: Any, path: str = "") -> dict[str, str]:
    """What no field of a decoded body may hold, by field path: NUL in a text, a whole number
    beyond the database's 32 bits, a day outside MIN_DAY..MAX_DAY."""
    problems: dict[str, str] = {}
    _walk(value, path, problems)
    return problems


def _walk(value: Any, path: str, problems: dict[str, str]) -> None:
    if isinstance(value, str):
        if FORBIDDEN_CHARACTER in value:
            problems[path or "body"] = NUL_MESSAGE
    elif isinstance(value, bool) or value is None or isinstance(value, float):
        return
    elif isinstance(value, int):
        if not -MAX_INT <= value <= MAX_INT:
            problems[path or "body"] = f"must be between {-MAX_INT} and {MAX_INT}"
    elif isinstance(value, date):  # datetimes too
        day = value.date() if isinstance(value, datetime) else value
        if not MIN_DAY <= day <= MAX_DAY:
            problems[path or "body"] = f"must be between {MIN_DAY} and {MAX_DAY}"
    elif isinstance(value, msgspec.Struct):
        for name in value.__struct_fields__:
            _walk(getattr(value, name), f"{path}.{name}" if path else name, problems)
    elif isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            _walk(item, f"{path}[{index}]", problems)
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk(key, path or "body", problems)
            _walk(item, f"{path}.{key}" if path else str(key), problems)


def _refuse(problems: dict[str, str]) -> None:
    parts = [f"{key} {text}" for key, text in problems.items()]
    raise InvalidInput("Please check: " + "; ".join(parts) + ".", problems)


@dataclass(frozen=True)
class _Inputs:
    """What check_request needs to know about a handler, worked out once."""

    body: msgspec.json.Decoder | None  # strict decoder of its `data`, when it takes one
    ints: frozenset[str]  # query parameters (wire names) that are whole numbers
    days: frozenset[str]  # query parameters that are dates


def _inputs(handler: Any) -> _Inputs:
    # Kept on the handler itself: an id() could be a freed handler's (a test's earlier app).
    known = handler.opt.get("_checked_inputs")
    if known is None:
        body, ints, days = None, set(), set()
        for name, field in handler.parsed_fn_signature.parameters.items():
            if name == "data":
                body = msgspec.json.Decoder(field.annotation)
                continue
            kinds = {inner.annotation for inner in field.inner_types} if field.is_union else {field.annotation}
            definition = field.kwarg_definition
            wire = getattr(definition, "query", None) or name
            if kinds & {int}:
                ints.add(wire)
            if kinds & {date}:
                days.add(wire)
        known = handler.opt["_checked_inputs"] = _Inputs(body, frozenset(ints), frozenset(days))
    return known


def _options(request: Request) -> Response:
    """OPTIONS: every method of the path. Litestar's automatic answer lists only the methods
    of the first handler registered there (GET /api/me, not its PATCH)."""
    allow = request.route_handler.opt.get("_allow")
    if allow is None:
        paths = request.route_handler.paths
        methods = {method for route in request.app.routes if route.path in paths
                   for method in getattr(route, "methods", ())}
        allow = request.route_handler.opt["_allow"] = ", ".join(sorted(methods | {"OPTIONS"}))
    return Response(content=None, status_code=204, headers={"Allow": allow})


async def check_request(request: Request) -> Response | None:
    """before_request: what no route may receive, refused in one place before any handler.

    - An id in the path or query that no row can have is not found (404).
    - A whole number beyond 32 bits, a day outside MIN_DAY..MAX_DAY, a NUL in any text: 422.
    - The body is decoded strictly, as the OpenAPI document says: "1" is not 1, "true" is not
      true (Litestar converts `data` with strict=False). The struct is handed to Litestar,
      which passes an instance of the right type through unchanged.
    Query parameters are text by nature: Litestar still parses "5" for an int there.
    """
    if request.method == "OPTIONS":
        return _options(request)
    inputs = _inputs(request.route_handler)
    ids = [value for value in request.path_params.values() if isinstance(value, int) and not isinstance(value, bool)]
    problems: dict[str, str] = {}
    for name, value in request.path_params.items():
        if isinstance(value, str) and text_problem(value):
            raise NotFoundException(detail="Nothing here: check the address.")
        if isinstance(value, date) and not MIN_DAY <= value <= MAX_DAY:
            problems[name] = f"must be between {MIN_DAY} and {MAX_DAY}"
    for name, value in request.query_params.items():
        if text_problem(value):
            problems[name] = NUL_MESSAGE
        # ASCII digits only: str.isdigit() also accepts "¹" or "٣", which int() refuses or reads.
        elif re.fullmatch(r"-?[0-9]+", value) and (name.endswith("_id") or name in inputs.ints):
            if name.endswith("_id"):
                ids.append(int(value))
            elif not -MAX_INT <= int(value) <= MAX_INT:
                problems[name] = f"must be between {-MAX_INT} and {MAX_INT}"
        elif (name in inputs.days and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value)
              and not str(MIN_DAY) <= value <= str(MAX_DAY)):  # ISO dates sort as text
            problems[name] = f"must be between {MIN_DAY} and {MAX_DAY}"
    if any(not -MAX_ID <= value <= MAX_ID for value in ids):
        raise NotFoundException(detail="Nothing here: that id does not exist.")
    if problems:
        _refuse(problems)
    if inputs.body is not None:
        raw = await request.body()
        if raw:
            data = _decode(inputs.body, raw)
            problems = value_problems(data)
            if problems:
                _refuse(problems)
            request._connection_state.json = request._json = data


# When a client should try again after the database said it is busy.
RETRY_AFTER_SECONDS = 2


def server_error(request: Request, exc: Exception) -> Response:
    if is_busy(exc):
        # Nothing was written (the transaction rolled back): the same request can be sent again.
        log.warning("database busy on %s %s: %s", request.method, request.url.path, exc)
        return _json_error(503, "The server is busy. Try again in a few seconds.", None,
                           {"Retry-After": str(RETRY_AFTER_SECONDS)})
    # The trace goes to the log only; the client learns nothing about the internals.
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _json_error(500, "Something went wrong on our side. Try again in a moment.")


EXCEPTION_HANDLERS = {
    ValidationException: validation_error,
    DomainError: domain_error,
    HTTPException: http_error,
    Exception: server_error,
}


def security_headers_hook(public_url: str):
    """A before_send hook: runs for every response, including 404s and errors. API and schema
    answers are also marked no-store (personal data) unless their route said otherwise."""
    fixed = [(name.encode(), value.encode()) for name, value in security_headers(public_url).items()]

    async def add_security_headers(message: Message, scope: Scope) -> None:
        if message["type"] == "http.response.start":
            headers = message.setdefault("headers", [])
            present = {name.lower() for name, _ in headers}
            headers.extend(header for header in fixed if header[0] not in present)
            path = scope.get("path", "")
            if b"cache-control" not in present and (path.startswith("/api/") or path.startswith("/schema")):
                headers.append((b"cache-control", NO_STORE.encode()))

    return add_security_headers


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
