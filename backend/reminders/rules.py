"""Pure reminder rules: when reminders fire, and which push endpoints may be contacted."""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit

from ada_url import normalize_url
from cryptography.hazmat.primitives.asymmetric import ec

from backend.core.weeks import local_date, local_wall_time

# Push services of the browsers people use. A subscription endpoint must be https on 443
# at one of these (or a host below one of them); settings may add more (e.g. for tests).
DEFAULT_PUSH_HOSTS = (
    "fcm.googleapis.com",
    "android.googleapis.com",
    "updates.push.services.mozilla.com",
    "push.services.mozilla.com",
    "push.apple.com",
    "notify.windows.com",
)
MAX_ENDPOINT_LENGTH = 1024


@dataclass(frozen=True)
class Occurrence:
    """One firing of a reminder: the local date and wall time it is for, and its instant (UTC)."""

    local_date: date
    wall_time: time
    fire_at: datetime


def occurrences(weekdays: Iterable[int], wall_times: Iterable[time], zone: str,
                start: datetime, end: datetime) -> Iterator[Occurrence]:
    """Every occurrence with start <= fire_at < end, in order.

    Each is its local date + wall time in `zone` converted to an instant (never "the
    previous one + 24 h"): a time that does not exist on a DST day moves forward by the
    gap, a repeated time fires once (its first occurrence).
    """
    days = frozenset(weekdays)
    times = sorted(set(wall_times))
    day = local_date(start, zone) - timedelta(days=1)  # a zone ahead of UTC may start "yesterday"
    last = local_date(end, zone) + timedelta(days=1)
    while day <= last:
        if day.weekday() in days:
            for wall in times:
                fire_at = local_wall_time(day, wall, zone).astimezone(UTC)
                if start <= fire_at < end:
                    yield Occurrence(day, wall, fire_at)
        day += timedelta(days=1)


def next_occurrence(weekdays: Iterable[int], wall_times: Iterable[time], zone: str,
                    after: datetime) -> Occurrence | None:
    """The first occurrence strictly after `after` (None when no day is chosen)."""
    days = frozenset(weekdays)
    if not days or not list(wall_times):
        return None
    for occurrence in occurrences(days, wall_times, zone, after + timedelta(microseconds=1),
                                  after + timedelta(days=9)):
        return occurrence
    return None


def endpoint_problem(endpoint: str, allowed_hosts: Iterable[str] = DEFAULT_PUSH_HOSTS,
                     test_origins: Iterable[str] = ()) -> str | None:
    """Why a subscription endpoint must not be contacted, or None when it may be.

    Endpoints come from browsers, so they are attacker-controlled: only https on port 443
    to a known push service by name; no IP literals, no credentials, no other ports.
    `test_origins` (exact scheme://host:port) admits a local push service in tests.
    """
    if len(endpoint) > MAX_ENDPOINT_LENGTH:
        return f"The endpoint is longer than {MAX_ENDPOINT_LENGTH} characters."
    # The checks below read the URL with Python's urlsplit; a browser (and many HTTP
    # stacks) read it the WHATWG way, which differs on backslashes, tabs and line breaks,
    # surrounding spaces, percent-encoded hosts, case... ("https://127.0.0.1\.push.apple.com/"
    # is 127.0.0.1 to WHATWG). A browser's PushSubscription.endpoint is a WHATWG-serialized
    # URL, so anything that serializes differently is refused, whatever it would mean.
    try:
        whatwg = normalize_url(endpoint)
    except ValueError:
        return "The endpoint is not a valid URL."
    if whatwg != endpoint:
        return ("The endpoint is not a URL as a browser writes it (backslashes, spaces, control characters, "
                "upper case or percent-encoding in the host, an explicit default port are refused).")
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return "The endpoint is not a valid URL."
    origin = f"{parts.scheme}://{parts.netloc}"
    if origin in set(test_origins) and not parts.username and not parts.password:
        return None
    if parts.scheme != "https":
        return "Push endpoints must use https."
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return "Push endpoints must not contain credentials."
    if port not in (None, 443):
        return "Push endpoints must use port 443."
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        return "The endpoint has no host."
    try:
        host.encode("idna")
    except UnicodeError:
        return "The endpoint's host is not a valid name."
    try:
        ipaddress.ip_address(host)
        return "Push endpoints must name a push service, not an IP address."
    except ValueError:
        pass
    if not any(host == allowed or host.endswith("." + allowed) for allowed in allowed_hosts):
        return f"{host} is not a known push service."
    return None


def address_problem(address: str) -> str | None:
    """At send time: a push service name must not resolve to a private or special address."""
    ip = ipaddress.ip_address(address)
    mapped = getattr(ip, "ipv4_mapped", None) or getattr(ip, "sixtofour", None)
    for candidate in (ip, mapped):
        if candidate is not None and not candidate.is_global:
            return f"{address} is not a public address."
    if isinstance(ip, ipaddress.IPv6Address) and ip in ipaddress.ip_network("64:ff9b::/96"):
        return f"{address} is a NAT64 address."
    return None


_BASE64URL = re.compile(r"[A-Za-z0-9_-]*={0,2}")


def _b64url(value: str) -> bytes | None:
    # Python's decoder drops characters outside the alphabet; a key with any is refused.
    if not _BASE64URL.fullmatch(value):
        return None
    try:
        return base64.urlsafe_b64decode(value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4))
    except (binascii.Error, ValueError):
        return None


def _on_curve(point: bytes) -> bool:
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        return False
    return True


def keys_problem(p256dh: str, auth: str) -> str | None:
    """The browser's keys: an uncompressed P-256 point (65 bytes, 0x04 first, on the
    curve: "B" + "A" * 86 has the right shape and is not) and 16 bytes. A key that is not
    a point cannot encrypt a message, so it is refused here rather than at every send."""
    point = _b64url(p256dh) if len(p256dh) <= 128 else None
    if point is None or len(point) != 65 or point[0] != 0x04 or not _on_curve(point):
        return "keys.p256dh must be a 65-byte uncompressed P-256 public key (base64url)."
    secret = _b64url(auth) if len(auth) <= 64 else None
    if secret is None or len(secret) != 16:
        return "keys.auth must be 16 bytes (base64url)."
    return None
