"""The httpx transport pushes go out on: one keep-alive HTTP/1.1 connection on asyncio
streams, answers read by httptools (llhttp, the parser uvicorn uses).

The sender builds httpx Requests and gets httpx Responses, as with any httpx transport
(tests put httpx.MockTransport in its place). What this replaces is httpx's default
network stack: httpcore's pool and h11 over anyio cost about 1.1 ms of CPU per push on
our 2-core machine, four times the encryption; this costs about a tenth of that.

A push service is a peer we do not trust blindly: the answer head is capped, the body is
read up to a cap and then the connection is dropped, every exchange has a deadline, and
the connection goes to the address the sender vetted, not to a second DNS answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl

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
        self.headers.append((name, value))

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


def request_bytes(request: httpx.Request) -> bytes:
    """The request's head and body as one write (one system call, one TCP segment for a
    push). httpx has set Host and Content-Length; a CR or LF in a header is refused."""
    head = [request.method.encode("ascii"), b" ", request.url.raw_path, b" HTTP/1.1\r\n"]
    for name, value in request.headers.raw:
        if b"\r" in name or b"\n" in name or b"\r" in value or b"\n" in value:
            raise httpx.LocalProtocolError(f"header {name!r} holds a line break", request=request)
        head += (name, b": ", value, b"\r\n")
    head.append(b"\r\n")
    return b"".join(head) + request.content


class PushTransport(httpx.AsyncBaseTransport):
    """One keep-alive connection to one push service origin, one request at a time. It
    follows no redirects and reads no proxy settings: a push is one POST and its answer.

    `request.extensions["address"]`, when given, is where to connect (the address the
    sender checked is public); TLS still verifies the certificate for the URL's host.
    """

    def __init__(self, ssl_context: ssl.SSLContext, max_answer: int) -> None:
        self._ssl = ssl_context
        self._max_answer = max_answer
        self._lock = asyncio.Lock()
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeouts = request.extensions.get("timeout", {})
        if self._lock.locked():  # wait for the push ahead of this one, within the pool timeout
            try:
                async with asyncio.timeout(timeouts.get("pool")):
                    await self._lock.acquire()
            except TimeoutError as error:
                raise httpx.PoolTimeout("no free connection to the push service", request=request) from error
        else:
            await self._lock.acquire()
        try:
            reused = self._writer is not None and not (self._reader.at_eof() or self._writer.is_closing())
            if not reused:
                await self._connect(request, timeouts.get("connect"))
            try:
                return await self._exchange(request, timeouts.get("read"), reused)
            except _StaleConnection:  # closed by the service while idle: once more, on a new one
                await self._connect(request, timeouts.get("connect"))
                return await self._exchange(request, timeouts.get("read"), False)
        except BaseException:
            await self._drop()
            raise
        finally:
            self._lock.release()

    async def _connect(self, request: httpx.Request, timeout: float | None) -> None:
        await self._drop()
        url = request.url
        tls = url.scheme == "https"
        try:
            async with asyncio.timeout(timeout):
                self._reader, self._writer = await asyncio.open_connection(
                    request.extensions.get("address") or url.host, url.port or (443 if tls else 80),
                    ssl=self._ssl if tls else None, server_hostname=url.host if tls else None)
        except TimeoutError as error:
            raise httpx.ConnectTimeout(f"connecting took over {timeout} s", request=request) from error
        except (OSError, ssl.SSLError) as error:
            raise httpx.ConnectError(str(error), request=request) from error

    async def _exchange(self, request: httpx.Request, timeout: float | None, reused: bool) -> httpx.Response:
        reader, writer = self._reader, self._writer
        answer = _Answer(self._max_answer)
        received = 0
        try:
            # One deadline for the whole answer: a service that drips bytes cannot hold us.
            async with asyncio.timeout(timeout):
                writer.write(request_bytes(request))
                await writer.drain()
                while not answer.complete and not answer.truncated:
                    data = await reader.read(65536)
                    if not data:
                        if answer.head_complete:  # a body that ends with the connection
                            break
                        if reused and not received:
                            raise _StaleConnection
                        raise httpx.RemoteProtocolError("the push service closed the connection", request=request)
                    received += len(data)
                    answer.parser.feed_data(data)
                    if not answer.head_complete and received > MAX_HEAD:
                        raise httpx.RemoteProtocolError("the answer's head is too large", request=request)
        except TimeoutError as error:
            raise httpx.ReadTimeout(f"no answer within {timeout} s", request=request) from error
        except httptools.HttpParserError as error:
            raise httpx.RemoteProtocolError(f"unreadable answer: {error}", request=request) from error
        except (ConnectionError, OSError) as error:
            if reused and not received:
                raise _StaleConnection from error
            raise httpx.ReadError(str(error), request=request) from error
        if not answer.keep_alive:
            await self._drop()  # cut short, or the service closes it: a new one next time
        return httpx.Response(answer.parser.get_status_code(), headers=answer.headers, content=bytes(answer.body),
                              request=request)

    async def _drop(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError, asyncio.CancelledError, TimeoutError, ssl.SSLError):
                async with asyncio.timeout(1):
                    await writer.wait_closed()

    async def aclose(self) -> None:
        await self._drop()
