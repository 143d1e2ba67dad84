"""VAPID keys: generated once into the data directory (owner-only), or from the environment."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from webpush.vapid import VAPID

PRIVATE_FILE = "vapid_private.pem"
PUBLIC_FILE = "vapid_public.pem"


@dataclass(frozen=True)
class VapidKeys:
    private_pem: bytes
    public_pem: bytes

    @property
    def application_server_key(self) -> str:
        vapid = VAPID(private_key=self.private_pem, public_key=self.public_pem)
        return vapid.get_application_server_key(vapid.public_key)


def _write_owner_only(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def load_or_create(data_dir: Path) -> tuple[VapidKeys, bool]:
    """The keys, and whether they were just made. VAPID_PRIVATE_KEY / VAPID_PUBLIC_KEY
    (PEM text) win over files; changing keys invalidates every subscription."""
    env_private, env_public = os.environ.get("VAPID_PRIVATE_KEY"), os.environ.get("VAPID_PUBLIC_KEY")
    if env_private and env_public:
        return VapidKeys(env_private.encode(), env_public.encode()), False
    private_path, public_path = data_dir / PRIVATE_FILE, data_dir / PUBLIC_FILE
    if private_path.exists() and public_path.exists():
        return VapidKeys(private_path.read_bytes(), public_path.read_bytes()), False
    data_dir.mkdir(parents=True, exist_ok=True)
    private_pem, public_pem, _ = VAPID.generate_keys()
    _write_owner_only(private_path, private_pem)
    _write_owner_only(public_path, public_pem)
    return VapidKeys(private_pem, public_pem), True


class PortAwareVAPID(VAPID):
    """webpush 1.0.6 builds the JWT audience without the port; push services on another
    port (and the spec) need scheme://host[:port].

    A token is good for one push service until it expires (at most 24 h), so it is
    signed once per audience and reused for an hour: signing it for every message cost
    half as much again as encrypting the message."""

    REUSE_SECONDS = 60 * 60

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._signing_key = serialization.load_pem_private_key(self.private_key, password=None)
        self._tokens: dict[tuple[str, str], tuple[str, float]] = {}

    def get_authorization_header(self, endpoint, subscriber, expiration: int) -> str:
        parts = urlsplit(str(endpoint))
        audience = f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"
        if (parts.scheme, parts.port) in (("https", 443), ("http", 80)):
            audience = f"{parts.scheme}://{parts.hostname}"
        now = time.time()
        cached = self._tokens.get((audience, subscriber))
        if cached and now < cached[1]:
            return cached[0]
        token = jwt.encode(
            payload={"aud": audience, "exp": int(now) + expiration, "sub": subscriber},
            key=self._signing_key,
            algorithm="ES256",
        )
        header = f"vapid t={token}, k={self.get_application_server_key(self.public_key)}"
        # Reused while it has well over its remaining life left (a push service checks exp).
        self._tokens[(audience, subscriber)] = (header, now + min(self.REUSE_SECONDS, expiration / 2))
        return header
