"""The connection pushes go out on: one keep-alive HTTP/1.1 connection on asyncio streams,
answers read by httptools (llhttp, the parser uvicorn uses).

The sender hands it a PushRequest (the parts of one POST, as bytes) and gets a
PushAnswer back. httpx's own objects are left out of that path: building an httpx URL,
Request and Response cost about 100 µs a push, a third of the encryption, and httpcore's
pool with h11 over anyio cost 1.1 ms. PushTransport is still an httpx transport
(handle_async_request) for anything that wants one, and HttpxConnection puts any httpx
transport (tests' fake push services) behind the sender's post().

A push service is a peer we do not trust blindly: the answer head is capped, the body is
read up to a cap and then the connection is dropped, every exchange has a deadline, and
the connection goes to the address the sender vetted, not to a second DNS answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from dataclasses import dataclass
from typing import NamedTuple

import httptools
import httpx

MAX_HEAD = 16 * 1024  # status line and headers of one answer


class _Answer:
    """httptools' callbacks for one response: headers and a capped body."""

    __slots__ = ("body", "cap", "complete", "head_complete", "headers", "keep_alive", "parser", "truncated")

    def __init__(self, cap: int) -> None:
        self.headers: list[tuple[bytes, bytes]] = []
        self.body = bytearray()
        self.cap = cap
        self.head_complete = self.complete = self.truncated = self.keep_alive = False
        self.parser = httptools.HttpResponseParser(self)

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name.lower(), value))

    def on_headers_complete(self) -> None:
        self.head_complete = True

    def on_body(self, body: bytes) -> None:
        room = self.cap - len(self.body)
        if len(body) > room:
            self.truncated = True
        self.body += body[:room]

    def on_message_complete(self) -> None:
        self.complete = True
        # Asked here: once the callback returns, llhttp has moved on and says False.
        self.keep_alive = self.parser.should_keep_alive()


class _StaleConnection(Exception):
    """A kept connection the service had closed: nothing of the request was answered."""


@dataclass(frozen=True, slots=True)
class PushRequest:
    """One POST to a push service. `host_header` is the URL's host[:port], `target` its
    path and query, already percent-encoded; `address`, when set, is where to connect."""

    tls: bool
    host: str
    port: int
    host_header: bytes
    target: bytes
    headers: list[tuple[bytes, bytes]]
    body: bytes
    address: str | None = None

    @classmethod
    def from_httpx(cls, request: httpx.Request) -> PushRequest:
        url = request.url
        tls = url.scheme == "https"
        headers = [(name, value) for name, value in request.headers.raw
                   if name.lower() not in (b"host", b"content-length")]
        return cls(tls=tls, host=url.host, port=url.port or (443 if tls else 80), host_header=url.netloc,
                   target=url.raw_path, headers=headers, body=request.content,
                   address=request.extensions.get("address"))


class PushAnswer(NamedTuple):
    status: int
    headers: list[tuple[bytes, bytes]]  # names lower-case
    body: bytes  # at most the transport's cap

    def header(self, name: bytes) -> str | None:
        return next((value.decode("latin-1") for key, value in self.headers if key == name), None)


def request_bytes(push: PushRequest) -> bytes:
    """The request's head and body as one write (one system call, one TCP segment for a
    push). A CR or LF in a header would start a header of the sender's choosing: refused."""
    head = [b"POST ", push.target, b" HTTP/1.1\r\nHost: ", push.host_header, b"\r\n"]
    for name, value in push.headers:
        if b"\r" in name or b"\n" in name or b"\r" in value or b"\n" in value:
            raise httpx.LocalProtocolError(f"header {name!r} holds a line break")
        head += (name, b": ", value, b"\r\n")
    head += (b"Content-Length: ", str(len(push.body)).encode(), b"\r\n\r\n", push.body)
    return b"".join(head)


class PushTransport(httpx.AsyncBaseTransport):
    """One keep-alive connection to one push service origin, one request at a time. It
    follows no redirects and reads no proxy settings: a push is one POST and its answer.

    A request's `address`, when given, is where to connect (the address the sender
    checked is public); TLS still verifies the certificate for the URL's host.
    """

    def __init__(self, ssl_context: ssl.SSLContext, max_answer: int) -> None:
        self._ssl = ssl_context
        self._max_answer = max_answer
        self._lock = asyncio.Lock()
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        answer = await self.post(PushRequest.from_httpx(request), request.extensions.get("timeout", {}))
        return httpx.Response(answer.status, headers=answer.headers, content=answer.body, request=request)

    async def post(self, push: PushRequest, timeouts: dict) -> PushAnswer:
        """Send one push and read its answer, within httpx-style `timeouts` (connect, read, pool)."""
        if self._lock.locked():  # wait for the push ahead of this one, within the pool timeout
            try:
                async with asyncio.timeout(timeouts.get("pool")):
                    await self._lock.acquire()
            except TimeoutError as error:
                raise httpx.PoolTimeout("no free connection to the push service") from error
        else:
            await self._lock.acquire()
        try:
            reused = self._writer is not None and not (self._reader.at_eof() or self._writer.is_closing())
            if not reused:
                await self._connect(push, timeouts.get("connect"))
            try:
                return await self._exchange(push, timeouts.get("read"), reused)
            except _StaleConnection:  # closed by the service while idle: once more, on a new one
                await self._connect(push, timeouts.get("connect"))
                return await self._exchange(push, timeouts.get("read"), False)
        except BaseException:
            await self._drop()
            raise
        finally:
            self._lock.release()

    async def _connect(self, push: PushRequest, timeout: float | None) -> None:
        await self._drop()
        try:
            async with asyncio.timeout(timeout):
                self._reader, self._writer = await asyncio.open_connection(
                    push.address or push.host, push.port,
                    ssl=self._ssl if push.tls else None, server_hostname=push.host if push.tls else None)
        except TimeoutError as error:
            raise httpx.ConnectTimeout(f"connecting took over {timeout} s") from error
        except (OSError, ssl.SSLError) as error:
            raise httpx.ConnectError(str(error)) from error

    async def _exchange(self, push: PushRequest, timeout: float | None, reused: bool) -> PushAnswer:
        reader, writer = self._reader, self._writer
        answer = _Answer(self._max_answer)
        received = 0
        try:
            # One deadline for the whole answer: a service that drips bytes cannot hold us.
            async with asyncio.timeout(timeout):
                writer.write(request_bytes(push))
                await writer.drain()
                while not answer.complete and not answer.truncated:
                    data = await reader.read(65536)
                    if not data:
                        if answer.head_complete:  # a body that ends with the connection
                            break
                        if reused and not received:
                            raise _StaleConnection
                        raise httpx.RemoteProtocolError("the push service closed the connection")
                    received += len(data)
                    answer.parser.feed_data(data)
                    if not answer.head_complete and received > MAX_HEAD:
                        raise httpx.RemoteProtocolError("the answer's head is too large")
        except TimeoutError as error:
            raise httpx.ReadTimeout(f"no answer within {timeout} s") from error
        except httptools.HttpParserError as error:
            raise httpx.RemoteProtocolError(f"unreadable answer: {error}") from error
        except (ConnectionError, OSError) as error:
            if reused and not received:
                raise _StaleConnection from error
            raise httpx.ReadError(str(error)) from error
        if not answer.keep_alive:
            await self._drop()  # cut short, or the service closes it: a new one next time
        return PushAnswer(answer.parser.get_status_code(), answer.headers, bytes(answer.body))

    async def _drop(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError, asyncio.CancelledError, TimeoutError, ssl.SSLError):
                async with asyncio.timeout(1):
                    await writer.wait_closed()

    async def aclose(self) -> None:
        await self._drop()


class HttpxConnection:
    """Any httpx transport behind the sender's post(): tests put a fake push service here."""

    def __init__(self, transport: httpx.AsyncBaseTransport, max_answer: int) -> None:
        self.transport = transport
        self._max_answer = max_answer

    async def post(self, push: PushRequest, timeouts: dict) -> PushAnswer:
        scheme = "https" if push.tls else "http"
        url = httpx.URL(f"{scheme}://{push.host_header.decode('ascii')}{push.target.decode('ascii')}")
        request = httpx.Request("POST", url, content=push.body, headers=push.headers,
                                extensions={"timeout": timeouts, **({"address": push.address} if push.address else {})})
        response = await self.transport.handle_async_request(request)
        try:
            body = b""
            async for chunk in response.stream:  # raw bytes as they come, capped
                body += chunk
                if len(body) >= self._max_answer:
                    break
        finally:
            await response.aclose()
        return PushAnswer(response.status_code, [(k.lower(), v) for k, v in response.headers.raw],
                          body[:self._max_answer])

    async def aclose(self) -> None:
        await self.transport.aclose()
