"""Sends one Web Push message: `webpush` encrypts and signs, transport.py posts.

The endpoint is attacker-controlled input, so the client follows no redirects, ignores
proxy settings from the environment, times out quickly, reads at most a few KiB of the
answer, and connects only after the name resolved to public addresses.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import socket
import ssl
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Literal
from urllib.parse import SplitResult, quote, urlsplit

import httpx
import msgspec
from webpush import WebPush
from webpush.types import WebPushKeys, WebPushSubscription

from backend.reminders.rules import address_problem, endpoint_problem
from backend.reminders.transport import HttpxConnection, PushRequest, PushTransport
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
RESOLVE_TTL = 60.0  # seconds a push host's public-address check holds
UNRESOLVED = "cannot resolve"
BAD_KEYS = "the device's keys cannot encrypt a message: turn notifications off and on again there"


@dataclass(frozen=True)
class Sent:
    status: Literal["delivered", "gone", "retry_later", "failed"]
    detail: str
    retry_after: int | None = None
    # False when the server itself failed (a bug): not held against the device.
    counted: bool = True


class PushSender:
    # A push is one POST with no cookies, auth flows, redirects or proxies, so the sender
    # talks to an httpx transport directly: the client's layers cost more than encrypting.
    # Each push service origin gets a few keep-alive connections (transport.py), used in turn.
    CONNECTIONS_PER_ORIGIN = 8
    MAX_ORIGINS = 32  # FCM, Mozilla, Apple, Windows' regional hosts: the least recent is closed
    # Pushes in flight at once from one process: two per connection, so that each
    # connection has its next request ready when an answer arrives.
    MAX_IN_FLIGHT = 2 * CONNECTIONS_PER_ORIGIN

    def __init__(self, keys: VapidKeys, subject: str, allowed_hosts: tuple[str, ...],
                 test_origins: tuple[str, ...] = (), ttl: int = DEFAULT_TTL,
                 transport: httpx.AsyncBaseTransport | None = None, timeout: float = 5.0,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self.allowed_hosts = allowed_hosts
        self.timeouts = httpx.Timeout(timeout, connect=min(timeout, 3.0)).as_dict()
        self.test_origins = test_origins
        self.subject = subject
        self.webpush = WebPush(private_key=keys.private_pem, public_key=keys.public_pem, subscriber=subject, ttl=ttl)
        self.webpush.vapid = PortAwareVAPID(private_key=keys.private_pem, public_key=keys.public_pem)
        self.transport = transport  # tests put a fake push service here
        self._ssl = ssl_context  # httpx's default (system CAs) is made on the first connection
        self._pools: OrderedDict[str, list[PushTransport | HttpxConnection]] = OrderedDict()
        self._turn = itertools.count()
        self._resolved: dict[str, tuple[str | None, str | None, float]] = {}
        self.counts: dict[str, int] = {}

    def _connection(self) -> PushTransport | HttpxConnection:
        if self.transport is not None:
            return HttpxConnection(self.transport, MAX_ANSWER)
        self._ssl = self._ssl or httpx.create_ssl_context()
        return PushTransport(self._ssl, max_answer=MAX_ANSWER)

    async def _connection_for(self, origin: str) -> PushTransport | HttpxConnection:
        pool = self._pools.get(origin)
        if pool is None:
            pool = self._pools[origin] = [self._connection() for _ in range(self.CONNECTIONS_PER_ORIGIN)]
            while len(self._pools) > self.MAX_ORIGINS:
                for old in self._pools.popitem(last=False)[1]:
                    await old.aclose()
        self._pools.move_to_end(origin)
        return pool[next(self._turn) % len(pool)]

    async def close(self) -> None:
        for pool in self._pools.values():
            for connection in pool:
                await connection.aclose()
        self._pools.clear()

    def _count(self, status: str) -> None:
        self.counts[status] = self.counts.get(status, 0) + 1

    async def _vetted_address(self, parts: SplitResult) -> tuple[str | None, str | None]:
        """(where to connect, None) when the push host resolves to public addresses only,
        else (None, the problem). The connection goes to that address, so a second DNS
        answer cannot point it elsewhere. A local test origin is connected by name."""
        if f"{parts.scheme}://{parts.netloc}" in self.test_origins:
            return None, None
        host = parts.hostname or ""
        # A few push hosts serve every device: ask the resolver about each once a minute,
        # not once per message.
        known = self._resolved.get(host)
        if known and time.monotonic() - known[2] < RESOLVE_TTL:
            return known[0], known[1]
        address = problem = None
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, 443, type=socket.SOCK_STREAM)
            problem = next(filter(None, (address_problem(info[4][0]) for info in infos)),
                           None if infos else f"{UNRESOLVED} {host}: it has no address")
            address = None if problem else infos[0][4][0]
        except OSError as error:
            problem = f"{UNRESOLVED} {host}: {error}"
        self._resolved[host] = (address, problem, time.monotonic())
        return address, problem

    async def send(self, endpoint: str, p256dh: str, auth: str, payload: dict, *,
                   topic: str | None = None, urgency: str = "normal") -> Sent:
        built = await self.build(endpoint, p256dh, auth, payload, topic=topic, urgency=urgency)
        return built if isinstance(built, Sent) else await self.deliver(built)

    async def build(self, endpoint: str, p256dh: str, auth: str, payload: dict, *,
                    topic: str | None = None, urgency: str = "normal") -> PushRequest | Sent:
        """The encrypted, signed push for one device, or why it must not be sent. Only a
        push host's first address check of the minute waits on anything: the scheduler
        builds a whole chunk in one go: encrypting each push between other pushes'
        network work cost 490-680 µs of CPU a push here, in one go 330-350 µs."""
        problem = endpoint_problem(endpoint, self.allowed_hosts, self.test_origins)
        if problem:
            self._count("refused")
            return Sent("gone", problem)
        plaintext = msgspec.json.encode(payload)
        if len(plaintext) > MAX_PLAINTEXT:
            raise ValueError(f"push payload is {len(plaintext)} bytes; the limit is {MAX_PLAINTEXT}")
        parts = urlsplit(endpoint)
        address, problem = await self._vetted_address(parts)
        if problem:
            self._count("refused")
            # A name that does not resolve now may in a minute (a DNS outage must not
            # disable every device); one that resolves to a private address is refused.
            unresolved = problem.startswith(UNRESOLVED)
            return Sent("retry_later" if unresolved else "failed", problem)
        # The keys passed keys_problem when the device subscribed, so they are not checked
        # again for every push; a row stored before that check was strict fails here, as
        # this one message (the caller's other pushes go out).
        subscription = WebPushSubscription.model_construct(
            endpoint=endpoint, keys=WebPushKeys.model_construct(p256dh=p256dh, auth=auth))
        try:
            message = self.webpush.get(plaintext, subscription)
        except ValueError:  # "Invalid EC key", bad base64: the device's keys, not ours
            self._count("failed")
            return Sent("failed", BAD_KEYS)
        headers = [(name.lower().encode(), str(value).encode()) for name, value in message.headers.items()]
        headers += [(b"content-type", b"application/octet-stream"), (b"urgency", urgency.encode())]
        if topic:
            headers.append((b"topic", topic[:32].encode()))
        tls, host = parts.scheme == "https", parts.hostname or ""
        host_header = host.encode("idna") + (f":{parts.port}".encode() if parts.port else b"")
        return PushRequest(tls=tls, host=host, port=parts.port or (443 if tls else 80), host_header=host_header,
                           target=_target(parts), headers=headers, body=message.encrypted, address=address)

    async def deliver(self, push: PushRequest) -> Sent:
        """POST a built push, retrying a 5xx or a timeout a bounded number of times."""
        origin = f"{'https' if push.tls else 'http'}://{push.host_header.decode('ascii')}"
        for attempt in range(RETRIES + 1):
            result = await self._post(origin, push)
            if result.status != "retry_later" or result.retry_after is not None or attempt == RETRIES:
                self._count(result.status)
                return result
            await asyncio.sleep(0.5 * 2**attempt)  # 5xx or timeout: back off and try again
        raise AssertionError("unreachable")

    async def _post(self, origin: str, push: PushRequest) -> Sent:
        try:
            connection = await self._connection_for(origin)
            answer = await connection.post(push, self.timeouts)
        except httpx.TimeoutException:
            return Sent("retry_later", "the push service timed out")
        except httpx.HTTPError as error:
            return Sent("retry_later", f"could not reach the push service: {type(error).__name__}")
        status, retry_after = answer.status, answer.header(b"retry-after")
        if 200 <= status < 300:
            return Sent("delivered", f"{status}")
        if status in (404, 410):
            return Sent("gone", f"{status}: the subscription has expired")
        if status == 429:
            seconds = int(retry_after) if retry_after and retry_after.isdigit() else 60
            return Sent("retry_later", "429: rate limited by the push service", retry_after=seconds)
        if status >= 500:
            return Sent("retry_later", f"{status} from the push service")
        return Sent("failed", f"{status}: {answer.body[:200].decode('utf-8', 'replace')}")


def _target(parts: SplitResult) -> bytes:
    """The request target: the endpoint's path and query, percent-encoded where a browser
    would, so that no space or line break can reach the request line."""
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/?%:@!$&'()*+,;=-._~")
    return (path + ("?" + query if query else "")).encode("ascii")
