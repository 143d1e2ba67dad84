"""Bodies shared by every domain: errors and health."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec

# A row id in a request body: positive and within the database's 32-bit integers.
Id = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]

# A count a client reports (an outbox's size): it fits the same 32-bit columns.
Count = Annotated[int, msgspec.Meta(ge=0, le=2**31 - 1)]

# An aware instant. Naive datetimes are rejected at decode time (no silent UTC guess).
Instant = Annotated[datetime, msgspec.Meta(tz=True)]


class ErrorBody(msgspec.Struct, kw_only=True):
    """Every 4xx/5xx answer: a message a person can read, and details for forms."""

    status_code: int
    detail: str
    # Field-level problems, e.g. {"email": "already in use"}.
    extra: dict[str, Any] | None = None


class Health(msgspec.Struct, kw_only=True):
    # No version: it told anonymous callers which release (and its known bugs) runs here;
    # signed-in users find it in the OpenAPI document.
    status: str
    database: str
