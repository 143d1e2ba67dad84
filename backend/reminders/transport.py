"""The HTTP transport pushes go out on: httpx's own transport and httpcore's HTTP/1.1,
on one keep-alive connection over asyncio streams (`PushStream`).

Per push, the Python around the bytes is what costs: httpx's client layers, anyio's
cancel scopes, and a second system call for the request body. The sender skips the
client (a push needs no cookies, auth, redirects or proxies), and this network layer
skips anyio and sends each request in one write. TLS is asyncio's, with httpx's context.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import typing

import httpcore
import httpx


class PushStream(httpcore.AsyncNetworkStream):
    """A TCP (and TLS) connection on asyncio's own streams.

    httpcore's default backend goes through anyio, whose cancel scopes and task lookups
    cost more per push than the bytes; timeouts here are asyncio.timeout. Writes are
    held until the connection next reads (the answer), so a request's head and body,
    which httpcore writes separately, leave in one system call and TCP segment.
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader, self._writer = reader, writer
        self._pending: list[bytes] = []

    async def _flush(self, timeout: float | None) -> None:
        if self._pending:
            data = b"".join(self._pending)
            self._pending.clear()
            try:
                async with asyncio.timeout(timeout):
                    self._writer.write(data)
                    await self._writer.drain()
            except TimeoutError as error:
                raise httpcore.WriteTimeout(str(error)) from error
            except OSError as error:
                raise httpcore.WriteError(str(error)) from error

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if buffer:
            self._pending.append(buffer)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        await self._flush(timeout)
        try:
            async with asyncio.timeout(timeout):
                return await self._reader.read(max_bytes)
        except TimeoutError as error:
            raise httpcore.ReadTimeout(str(error)) from error
        except OSError as error:
            raise httpcore.ReadError(str(error)) from error

    async def aclose(self) -> None:
        self._pending.clear()
        self._writer.close()
        with contextlib.suppress(OSError, asyncio.CancelledError, TimeoutError):
            async with asyncio.timeout(1):
                await self._writer.wait_closed()

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        await self._flush(timeout)
        try:
            async with asyncio.timeout(timeout):
                # The context checks the certificate and the host name (httpx made it).
                await self._writer.start_tls(ssl_context, server_hostname=server_hostname)
        except TimeoutError as error:
            await self.aclose()
            raise httpcore.ConnectTimeout(str(error)) from error
        except (OSError, ssl.SSLError) as error:
            await self.aclose()
            raise httpcore.ConnectError(str(error)) from error
        return self

    def get_extra_info(self, info: str) -> typing.Any:
        if info == "is_readable":  # httpcore asks before reusing an idle connection
            return self._reader.at_eof() or self._writer.is_closing()
        return self._writer.get_extra_info(
            {"client_addr": "sockname", "server_addr": "peername"}.get(info, info))


class PushNetwork(httpcore.AsyncNetworkBackend):
    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: typing.Iterable[typing.Any] | None = None) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(
                    host, port, local_addr=(local_address, 0) if local_address else None)
        except TimeoutError as error:
            raise httpcore.ConnectTimeout(str(error)) from error
        except OSError as error:
            raise httpcore.ConnectError(str(error)) from error
        sock = writer.get_extra_info("socket")
        for option in socket_options or ():
            sock.setsockopt(*option)
        return PushStream(reader, writer)

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: typing.Iterable[typing.Any] | None = None
                                  ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("push services are reached over TCP only")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class PushTransport(httpx.AsyncHTTPTransport):
    """httpx's transport on a pool of exactly one connection over `PushNetwork`.
    A transport follows no redirects and reads no proxy settings from the environment."""

    def __init__(self, ssl_context: ssl.SSLContext) -> None:
        super().__init__(verify=ssl_context, trust_env=False)
        # httpx (pinned < 0.29) takes no network backend, so its pool is replaced by the
        # same pool with ours; tests/test_reminders.py sends through this class.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context, max_connections=1, max_keepalive_connections=1,
            network_backend=PushNetwork())
