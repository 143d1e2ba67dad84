"""The error answers of every route, written into the OpenAPI document in one place.

Litestar documents a route's success status and, for routes with input, a 400. Every other
answer the API gives (docs/api.md, "Errors") comes from the shared layers: the session
middleware (401), CSRF and role guards (403), services (404, 409, 410, 422 through
`DomainError`), the body limit (413), the sign-in limits (429) and a busy database (503,
every route). This derives each
route's list from what the route is (public or not, writes or reads, takes input or not)
plus a few routes with answers of their own, so the schema tells clients every status
they can meet, each with the `ErrorBody` shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import msgspec
from litestar import Litestar, Request, Response
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.openapi.spec import OpenAPIMediaType, Operation, Reference, RequestBody
from litestar.routes import HTTPRoute

from shared_schemas import ErrorBody

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
_NOT_INPUT = {"request", "state", "scope", "headers", "cookies", "socket", "self"}
# A route's body: `data` (Litestar decodes it) or `body` (RawBody: the route decodes it itself).
_BODY = {"data", "body"}

_MEANING = {
    400: "The request is malformed (not JSON, a field of the wrong type or out of range).",
    401: "Not signed in, or the session expired.",
    403: "Signed in but not allowed, or the CSRF header is missing.",
    404: "Not found, or not yours.",
    409: "Conflicts with existing data.",
    410: "The invitation expired, was used or was revoked.",
    413: "The body is over 1 MiB.",
    422: "Well formed, but breaks a rule (e.g. not a Monday, an unknown time zone).",
    429: "Too many sign-in attempts, or wrong current passwords (see Retry-After).",
    503: "The database is busy (a lock held over 5 s) or not reachable: nothing was written; "
         "send the same request again after Retry-After seconds.",
}

# Answers that the general rules below do not derive, by "METHOD /path".
_EXTRA: dict[str, set[int]] = {
    "POST /api/auth/login": {401, 429},  # wrong email or password; rate limited
    "POST /api/me/password": {429},  # too many wrong current passwords
    "POST /api/invitations/lookup": {410},
    "POST /api/invitations/accept": {410},
    "GET /api/health": {503},
    "POST /api/push/test": {404},  # no device with notifications on
    "GET /api/push/next": {403},
}


def _error_statuses(method: str, path: str, public: bool, has_body: bool, has_params: bool) -> set[int]:
    statuses: set[int] = {503}  # every route reads or writes the database
    if has_body or has_params:
        statuses |= {400, 404, 422}
    if has_body:
        statuses.add(413)
    if not public:
        statuses |= {401, 403}
    if method in UNSAFE:
        statuses |= {403, 409}  # the CSRF check covers public writes too
    return statuses | _EXTRA.get(f"{method} {path}", set())


def document_responses(app: Litestar) -> None:
    """Set the documented error answers (and the 200 of create-or-return routes) on every route."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if not handler.resolve_include_in_schema():
                continue
            parameters = set(handler.parsed_fn_signature.parameters) - _NOT_INPUT - set(handler.resolve_dependencies())
            has_body = bool(parameters & _BODY)
            public = bool(handler.opt.get("exclude_from_auth"))
            responses: dict[int, ResponseSpec] = {}
            for method in handler.http_methods:
                for status in _error_statuses(method, route.path, public, has_body, bool(parameters - _BODY)):
                    responses[status] = ResponseSpec(
                        data_container=ErrorBody, description=_MEANING[status], generate_examples=False
                    )
            created_or_found = _created_or_found(handler)
            if created_or_found is not None:
                responses[200] = ResponseSpec(
                    data_container=created_or_found,
                    description="Already there: the one this client_key (or the open one) made before.",
                    generate_examples=False,
                )
            handler.responses = {**responses, **(handler.responses or {})}


def body_of(struct: type) -> type[Operation]:
    """The `operation_class` of a route that takes `body: RawBody` and decodes it into `struct`
    itself (core.http.decoded_body): its OpenAPI operation documents that JSON body."""

    @dataclass
    class WithBody(Operation):
        def __post_init__(self) -> None:
            schema = Reference(ref=f"#/components/schemas/{struct.__name__}")
            self.request_body = RequestBody(required=True, content={"application/json": OpenAPIMediaType(schema=schema)})

    return WithBody


def _created_or_found(handler: Any) -> Any:
    """Routes that return `Response[T]` with 201 answer 200 with the same T when nothing was created."""
    returned = handler.parsed_fn_signature.return_type
    if handler.status_code != 201 or not returned.is_subclass_of(Response) or not returned.inner_types:
        return None
    return returned.inner_types[0].annotation


class MsgspecSchemaJson(JsonRenderPlugin):
    """/schema/openapi.json with every body's schema as msgspec itself defines it.

    Litestar's generator drops some constraints (bounds of 0 on optional fields, every
    constraint on list items), so clients and fuzzers would send values the API then
    refuses. msgspec's JSON Schema is exactly what the server validates."""

    def render(self, request: Request, openapi_schema: dict[str, Any]) -> bytes:
        components = openapi_schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(_msgspec_components())
        parameters = _parameter_schemas(request.app)
        for path, item in openapi_schema.get("paths", {}).items():
            for method, operation in item.items():
                for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                    exact = parameters.get((path, method, parameter.get("name")))
                    if exact is not None:
                        default = parameter.get("schema", {}).get("default")
                        parameter["schema"] = {**exact, **({"default": default} if default is not None else {})}
        return self.render_json(request, openapi_schema)


# Litestar's parameter bounds (QueryParameter(ge=…)) as JSON Schema keywords.
_BOUNDS = (("ge", "minimum"), ("le", "maximum"), ("gt", "exclusiveMinimum"), ("lt", "exclusiveMaximum"),
           ("min_length", "minLength"), ("max_length", "maxLength"), ("pattern", "pattern"))


def _parameter_schemas(app: Litestar) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Path and query parameters' schemas from their types (msgspec Meta included) and their
    Litestar bounds: Litestar drops a bound of 0 on an optional parameter and every Meta."""
    schemas: dict[tuple[str, str, str], dict[str, Any]] = {}
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            skip = _NOT_INPUT | _BODY | set(handler.resolve_dependencies())
            for name, field in handler.parsed_fn_signature.parameters.items():
                if name in skip:
                    continue
                try:
                    schema = msgspec.json.schema(field.raw)  # with its msgspec Meta
                except (TypeError, ValueError):
                    continue  # not a type msgspec describes: keep Litestar's schema
                definition = field.kwarg_definition
                bounds = {key: getattr(definition, attr) for attr, key in _BOUNDS
                          if getattr(definition, attr, None) is not None}
                if bounds:
                    target = next((s for s in schema.get("anyOf", []) if s.get("type") != "null"), schema)
                    target.update(bounds)
                wire = getattr(definition, "name", None) or getattr(definition, "query", None) or name
                for method in handler.http_methods:
                    schemas[(route.path_format, method.lower(), wire)] = schema
    return schemas


@cache
def _msgspec_components() -> dict[str, Any]:
    from shared_schemas import ALL_STRUCTS

    _, components = msgspec.json.schema_components(ALL_STRUCTS, ref_template="#/components/schemas/{name}")
    return components
