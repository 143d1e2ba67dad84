"""Sends one Web Push message: `webpush` encrypts and signs, httpx posts.

The endpoint is attacker-controlled input, so the client follows no redirects, ignores
proxy settings from the environment, times out quickly, reads at most a few KiB of the
answer, and connects only after the name resolved to public addresses.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

import httpx
import msgspec
from webpush import WebPush
from webpush.types import WebPushSubscription

from backend.reminders.rules import address_problem, endpoint_problem
from backend.reminders.vapid import PortAwareVAPID, VapidKeys

log = logging.getLogger("followthrough.push")
# httpx logs every request URL at INFO; a push endpoint is a bearer secret of the push
# service, so it must never reach a log.
for _name in ("httpx", "httpcore"):
    logging.getLogger(_name).setLevel(logging.WARNING)

MAX_PLAINTEXT = 3993  # what fits one aes128gcm record with the push services' 4096-byte cap
MAX_ANSWER = 4096
DEFAULT_TTL = 4 * 60 * 60  # a phone offline for a few hours still gets today's nudge
RETRIES = 2


@dataclass(frozen=True)
class Sent:
    status: Literal["delivered", "gone", "retry_later", "failed"]
    detail: str
    retry_after: int | None = None


class PushSender:
    # Few origins (FCM, Mozilla, Apple) and keep-alive: a small pool is faster, because
    # httpcore checks every idle connection (a poll syscall each) on every request.
    MAX_CONNECTIONS = 16

    def __init__(self, keys: VapidKeys, subject: str, allowed_hosts: tuple[str, ...],
                 test_origins: tuple[str, ...] = (), ttl: int = DEFAULT_TTL,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.allowed_hosts = allowed_hosts
        self.test_origins = test_origins
        self.subject = subject
        self.webpush = WebPush(private_key=keys.private_pem, public_key=keys.public_pem, subscriber=subject, ttl=ttl)
        self.webpush.vapid = PortAwareVAPID(private_key=keys.private_pem, public_key=keys.public_pem)
        self.http = httpx.AsyncClient(
            timeout=httpx.Timeout(5.0, connect=3.0),
            follow_redirects=False,
            trust_env=False,
            limits=httpx.Limits(max_connections=self.MAX_CONNECTIONS, max_keepalive_connections=self.MAX_CONNECTIONS),
            transport=transport,  # tests put a fake push service here
        )
        self.counts: dict[str, int] = {}

    async def close(self) -> None:
        await self.http.aclose()

    def _count(self, status: str) -> None:
        self.counts[status] = self.counts.get(status, 0) + 1

    async def _resolves_publicly(self, endpoint: str) -> str | None:
        parts = urlsplit(endpoint)
        if f"{parts.scheme}://{parts.netloc}" in self.test_origins:
            return None
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(parts.hostname, 443, type=socket.SOCK_STREAM)
        except OSError as error:
            return f"cannot resolve {parts.hostname}: {error}"
        for info in infos:
            problem = address_problem(info[4][0])
            if problem:
                return problem
        return None

    async def send(self, endpoint: str, p256dh: str, auth: str, payload: dict, *,
                   topic: str | None = None, urgency: str = "normal") -> Sent:
        problem = endpoint_problem(endpoint, self.allowed_hosts, self.test_origins)
        if problem:
            self._count("refused")
            return Sent("gone", problem)
        plaintext = msgspec.json.encode(payload)
        if len(plaintext) > MAX_PLAINTEXT:
            raise ValueError(f"push payload is {len(plaintext)} bytes; the limit is {MAX_PLAINTEXT}")
        problem = await self._resolves_publicly(endpoint)
        if problem:
            self._count("refused")
            return Sent("failed", problem)
        message = self.webpush.get(plaintext, WebPushSubscription(endpoint=endpoint, keys={"p256dh": p256dh, "auth": auth}))
        headers = {**message.headers, "content-type": "application/octet-stream", "urgency": urgency}
        if topic:
            headers["topic"] = topic[:32]
        for attempt in range(RETRIES + 1):
            result = await self._post(endpoint, message.encrypted, headers)
            if result.status != "retry_later" or result.retry_after is not None or attempt == RETRIES:
                self._count(result.status)
                return result
            await asyncio.sleep(0.5 * 2**attempt)  # 5xx or timeout: back off and try again
        raise AssertionError("unreachable")

    async def _post(self, endpoint: str, body: bytes, headers: dict) -> Sent:
        try:
            async with self.http.stream("POST", endpoint, content=body, headers=headers) as response:
                answer = b""
                async for chunk in response.aiter_bytes():
                    answer += chunk
                    if len(answer) >= MAX_ANSWER:  # a huge answer cannot hurt us: stop reading
                        break
                status = response.status_code
                retry_after = response.headers.get("retry-after")
        except httpx.TimeoutException:
            return Sent("retry_later", "the push service timed out")
        except httpx.HTTPError as error:
            return Sent("retry_later", f"could not reach the push service: {type(error).__name__}")
        if 200 <= status < 300:
            return Sent("delivered", f"{status}")
        if status in (404, 410):
            return Sent("gone", f"{status}: the subscription has expired")
        if status == 429:
            seconds = int(retry_after) if retry_after and retry_after.isdigit() else 60
            return Sent("retry_later", "429: rate limited by the push service", retry_after=seconds)
        if status >= 500:
            return Sent("retry_later", f"{status} from the push service")
        return Sent("failed", f"{status}: {answer[:200].decode('utf-8', 'replace')}")
