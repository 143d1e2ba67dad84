"""Security helpers shared by every domain: keyed token hashes, headers, CSRF checks."""

from __future__ import annotations

import hashlib
import hmac
import secrets

CSRF_HEADER = "x-followthrough"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# A strict CSP the PWA is built for: no inline scripts or styles, everything same-origin.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS: dict[str, str] = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
}


# HTTPS only from now on for a year, once a browser has seen the app over https. Not
# includeSubDomains: the app may share a domain with sites it does not control.
HSTS = "max-age=31536000"

# API answers are personal (a session's data): never kept by the browser's or a proxy's cache.
NO_STORE = "no-store"


def security_headers(public_url: str) -> dict[str, str]:
    """The headers of every answer; HSTS when the app is served over https."""
    headers = dict(SECURITY_HEADERS)
    if public_url.startswith("https://"):
        headers["strict-transport-security"] = HSTS
    return headers


def new_token() -> str:
    """A URL-safe secret with 256 bits of entropy."""
    return secrets.token_urlsafe(32)


def token_hash(secret_key: str, token: str) -> str:
    """What the database keeps instead of a session id or invite token."""
    return hmac.new(secret_key.encode(), token.encode(), hashlib.sha256).hexdigest()


def csrf_problem(method: str, headers: dict[str, str], allowed_origin: str) -> str | None:
    """Why an unsafe request looks cross-site, or None when it is fine.

    A custom header cannot be sent cross-origin without a CORS preflight, which this server
    never grants; the Origin check is defence in depth. Works for the service worker too.
    """
    if method not in UNSAFE_METHODS:
        return None
    if headers.get(CSRF_HEADER) != "1":
        return "Missing X-Followthrough header: the request was refused as possible cross-site request forgery."
    origin = headers.get("origin")
    if origin and origin != "null" and origin != allowed_origin:
        return f"Requests from {origin} are not allowed."
    if origin == "null":
        return "Requests from an opaque origin are not allowed."
    if headers.get("sec-fetch-site") == "cross-site":
        return "Cross-site requests are not allowed."
    return None
