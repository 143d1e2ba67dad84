"""Push subscriptions, sending, and the reminder scheduler, against a fake push service
that decrypts what it receives (http_ece) the way a browser would."""

from __future__ import annotations

import asyncio
import base64
import json
import os
from datetime import UTC, datetime

import http_ece
import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from backend.reminders.sender import PushSender
from backend.reminders.tables import ReminderSend

PUSH_ORIGIN = "https://push.test"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Browser:
    """A browser's push keys, able to decrypt what the push service delivers."""

    def __init__(self, name: str = "phone") -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.endpoint = f"{PUSH_ORIGIN}/send/{name}-{b64(os.urandom(6))}"

    def subscription(self) -> dict:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        return {"endpoint": self.endpoint, "keys": {"p256dh": b64(point), "auth": b64(self.auth)}}

    def decrypt(self, body: bytes) -> dict:
        return json.loads(http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth,
                                           version="aes128gcm"))


class FakePushService:
    """Answers like a push service; `answers` maps an endpoint to a status (default 201)."""

    def __init__(self) -> None:
        self.received: list[httpx.Request] = []
        self.answers: dict[str, httpx.Response] = {}

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.received.append(request)
        return self.answers.get(str(request.url), httpx.Response(201))


@pytest.fixture
def push_service(app):
    service = FakePushService()
    old = app.state.reminders.sender
    sender = PushSender(_keys(app), "mailto:ops@followthrough.example", old.allowed_hosts, (PUSH_ORIGIN,),
                        transport=httpx.MockTransport(service.handler))
    app.state.reminders.sender = sender
    yield service


def _keys(app):
    from backend.reminders.vapid import load_or_create

    return load_or_create(app.state.settings.data_dir)[0]


@pytest.fixture
async def rep(client, demo, frozen_clock):
    await client.login("rep1@demo.test")
    return client


async def test_a_test_notification_is_encrypted_signed_and_readable_by_the_browser(rep, push_service, app):
    browser = Browser()
    device = await rep.post("/api/push/subscriptions", json={**browser.subscription(), "user_agent": "Pixel 8"})
    assert device.status_code == 200 and device.json()["service"] == "push.test"
    result = (await rep.post("/api/push/test")).json()
    assert [r["status"] for r in result["results"]] == ["delivered"]
    request = push_service.received[0]
    assert browser.decrypt(request.content)["body"] == "Notifications work on this device."
    assert request.headers["content-encoding"] == "aes128gcm"
    assert request.headers["content-type"] == "application/octet-stream"
    assert int(request.headers["ttl"]) > 0 and request.headers["urgency"] == "normal"
    assert request.headers["topic"] == "test"
    token = request.headers["authorization"].split("t=", 1)[1].split(",", 1)[0]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["aud"] == PUSH_ORIGIN and claims["sub"].startswith("mailto:")
    public = (await rep.get("/api/push/public-key")).json()["public_key"]
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), base64.urlsafe_b64decode(public + "=="))
    jwt.decode(token, key=key, algorithms=["ES256"], audience=PUSH_ORIGIN)  # signed with our VAPID key
    assert "PRIVATE" not in (await rep.get("/api/push/public-key")).text


async def test_the_audience_keeps_a_non_default_port(app):
    from backend.reminders.vapid import PortAwareVAPID

    keys = _keys(app)
    vapid = PortAwareVAPID(private_key=keys.private_pem, public_key=keys.public_pem)
    header = vapid.get_authorization_header("http://127.0.0.1:8090/notify/x", "mailto:a@b.example", 3600)
    claims = jwt.decode(header.split("t=", 1)[1].split(",", 1)[0], options={"verify_signature": False})
    assert claims["aud"] == "http://127.0.0.1:8090"


async def test_expired_subscriptions_are_deleted_and_429_is_honoured(rep, push_service, frozen_clock):
    gone, busy = Browser("gone"), Browser("busy")
    for browser in (gone, busy):
        await rep.post("/api/push/subscriptions", json=browser.subscription())
    push_service.answers[gone.endpoint] = httpx.Response(410)
    push_service.answers[busy.endpoint] = httpx.Response(429, headers={"retry-after": "120"})
    statuses = sorted(r["status"] for r in (await rep.post("/api/push/test")).json()["results"])
    assert statuses == ["gone", "retry_later"]
    assert len((await rep.get("/api/push/subscriptions")).json()) == 1
    sent_before = len(push_service.received)
    again = (await rep.post("/api/push/test")).json()["results"]
    assert again[0]["status"] == "retry_later" and len(push_service.received) == sent_before  # waited
    frozen_clock.advance(seconds=121)
    del push_service.answers[busy.endpoint]
    assert (await rep.post("/api/push/test")).json()["results"][0]["status"] == "delivered"


async def test_redirects_errors_and_huge_answers_cannot_hurt_the_sender(rep, push_service):
    browser = Browser()
    await rep.post("/api/push/subscriptions", json=browser.subscription())
    push_service.answers[browser.endpoint] = httpx.Response(302, headers={"location": "http://169.254.169.254/"})
    assert (await rep.post("/api/push/test")).json()["results"][0]["status"] == "failed"
    assert all("169.254" not in str(r.url) for r in push_service.received)  # never followed
    push_service.answers[browser.endpoint] = httpx.Response(400, content=b"x" * 10_000_000)
    result = (await rep.post("/api/push/test")).json()["results"][0]
    assert result["status"] == "failed" and len(result["detail"]) < 300
    push_service.answers[browser.endpoint] = httpx.Response(503)
    before = len(push_service.received)
    assert (await rep.post("/api/push/test")).json()["results"][0]["status"] == "retry_later"
    assert len(push_service.received) - before == 3  # bounded retries


class TcpPushService:
    """A push service on a real socket, answering each request by its path, so that the
    sender's own transport (not a mock) meets hangs, redirects and huge answers."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, bytes]] = []  # (path, body) in arrival order

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = await reader.read(65536)
                    if not chunk:
                        return
                    head += chunk
                head, _, body = head.partition(b"\r\n\r\n")
                length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                                  if line.lower().startswith(b"content-length")))
                while len(body) < length:
                    body += await reader.read(65536)
                path = head.split(b" ")[1].decode()
                self.requests.append((path, body))
                if path.endswith("/hang"):
                    await asyncio.sleep(30)
                elif path.endswith("/redirect"):
                    writer.write(b"HTTP/1.1 301 Moved\r\nlocation: http://169.254.169.254/\r\ncontent-length: 0\r\n\r\n")
                elif path.endswith("/huge"):
                    writer.write(b"HTTP/1.1 400 Bad\r\ncontent-length: 10000000\r\n\r\n" + b"x" * 10_000_000)
                elif path.endswith("/gone"):
                    writer.write(b"HTTP/1.1 410 Gone\r\ncontent-length: 0\r\n\r\n")
                else:
                    writer.write(b"HTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n")
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()


def test_a_request_head_and_body_leave_in_one_write_and_line_breaks_in_headers_are_refused():
    from urllib.parse import urlsplit

    from backend.reminders.sender import _target
    from backend.reminders.transport import PushRequest, request_bytes

    push = PushRequest(tls=True, host="push.example", port=8443, host_header=b"push.example:8443",
                       target=_target(urlsplit("https://push.example:8443/p/1?x=2")), body=b"body",
                       headers=[(b"ttl", b"60"), (b"topic", b"daily-7")])
    assert request_bytes(push) == (b"POST /p/1?x=2 HTTP/1.1\r\nHost: push.example:8443\r\nttl: 60\r\n"
                                   b"topic: daily-7\r\nContent-Length: 4\r\n\r\nbody")
    # The same bytes from an httpx Request (PushTransport is an httpx transport too).
    request = httpx.Request("POST", "https://push.example:8443/p/1?x=2", content=b"body",
                            headers=[(b"ttl", b"60"), (b"topic", b"daily-7")])
    assert request_bytes(PushRequest.from_httpx(request)) == request_bytes(push)
    sneaky = PushRequest(tls=True, host="push.example", port=443, host_header=b"push.example", target=b"/p",
                         body=b"", headers=[(b"topic", b"a\r\nx-injected: 1")])
    with pytest.raises(httpx.LocalProtocolError):
        request_bytes(sneaky)
    # Whatever a stored endpoint holds, nothing but a percent-encoded target reaches the request line.
    assert _target(urlsplit("https://push.example/a b/\u00fc?k=v w")) == b"/a%20b/%C3%BC?k=v%20w"
    assert _target(urlsplit("https://push.example")) == b"/"


async def test_the_transport_reads_chunked_and_close_delimited_answers_and_replaces_closed_connections():
    """A connection the service closed after answering is replaced without failing the next
    push; answers framed by chunks or by the end of the connection are read."""
    from backend.reminders.transport import PushTransport

    answers = [b"HTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n",  # then the service drops it
               b"HTTP/1.1 400 Bad\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
               b"HTTP/1.1 400 Bad\r\nconnection: close\r\n\r\nuntil the end"]
    connections = []

    async def handle(reader, writer):
        connections.append(writer)
        await reader.readuntil(b"\r\n\r\n")
        writer.write(answers[len(connections) - 1])
        await writer.drain()
        writer.close()  # every connection serves one request

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/p"
    transport = PushTransport(httpx.create_ssl_context(), max_answer=4096)
    try:
        first = await transport.handle_async_request(httpx.Request("POST", url, content=b"1"))
        assert first.status_code == 201
        await asyncio.sleep(0.05)  # the service has closed the kept connection meanwhile
        chunked = await transport.handle_async_request(httpx.Request("POST", url, content=b"2"))
        assert (chunked.status_code, chunked.content) == (400, b"abcde")
        closed = await transport.handle_async_request(httpx.Request("POST", url, content=b"3"))
        assert (closed.status_code, closed.content) == (400, b"until the end")
        assert len(connections) == 3
    finally:
        await transport.aclose()
        server.close()


async def test_the_real_transport_delivers_and_survives_hangs_redirects_and_huge_answers(app):
    service = TcpPushService()
    server = await asyncio.start_server(service.handle, "127.0.0.1", 0)
    origin = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    sender = PushSender(_keys(app), "mailto:ops@followthrough.example", (), (origin,), timeout=0.5)
    browser = Browser()
    keys = browser.subscription()["keys"]

    async def send(path: str):
        return await sender.send(f"{origin}/push/{path}", keys["p256dh"], keys["auth"], {"body": path}, topic="t")

    try:
        results = await asyncio.gather(*(send(f"ok-{i}") for i in range(40)))
        assert {r.status for r in results} == {"delivered"}
        assert sorted(browser.decrypt(body)["body"] for _, body in service.requests) == sorted(
            f"ok-{i}" for i in range(40))
        assert (await send("gone")).status == "gone"
        redirected = await send("redirect")
        assert redirected.status == "failed" and redirected.detail.startswith("301")
        assert all("169.254" not in path for path, _ in service.requests)  # never followed
        huge = await send("huge")
        assert huge.status == "failed" and len(huge.detail) < 300
        started = asyncio.get_running_loop().time()
        hung = await send("hang")
        assert hung.status == "retry_later" and "timed out" in hung.detail
        assert asyncio.get_running_loop().time() - started < 10  # 3 tries of 0.5 s, with backoff
        assert (await send("ok-after")).status == "delivered"  # the sender still works
    finally:
        await sender.close()
        server.close()


def _self_signed_certificate(tmp_path) -> tuple[str, str]:
    """A certificate for localhost and its key, as PEM files."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_file), str(key_file)


async def test_pushes_go_over_tls_and_an_untrusted_certificate_is_refused(app, tmp_path):
    import ssl

    cert, key = _self_signed_certificate(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    service = TcpPushService()
    server = await asyncio.start_server(service.handle, "127.0.0.1", 0, ssl=server_tls)
    origin = f"https://localhost:{server.sockets[0].getsockname()[1]}"
    trusting = httpx.create_ssl_context(verify=ssl.create_default_context(cafile=cert))
    browser = Browser()
    keys = browser.subscription()["keys"]
    senders = [PushSender(_keys(app), "mailto:ops@followthrough.example", (), (origin,), timeout=0.5,
                          ssl_context=context) for context in (trusting, None)]
    try:
        for _ in range(3):  # and again on the kept connection
            sent = await senders[0].send(f"{origin}/push/1", keys["p256dh"], keys["auth"], {"body": "over TLS"})
            assert sent.status == "delivered"
        assert [browser.decrypt(body)["body"] for _, body in service.requests] == ["over TLS"] * 3
        refused = await senders[1].send(f"{origin}/push/2", keys["p256dh"], keys["auth"], {"body": "no"})
        assert refused.status == "retry_later" and "could not reach" in refused.detail
        assert len(service.requests) == 3  # nothing reached the service unverified
    finally:
        for sender in senders:
            await sender.close()
        server.close()


@pytest.mark.parametrize("endpoint", ["http://127.0.0.1:5432/", "https://169.254.169.254/", "https://[::1]/",
                                      "https://a@fcm.googleapis.com/x", "https://fcm.googleapis.com:8443/x",
                                      "https://127.0.0.1:5432/x?.push.apple.com/",
                                      "https://127.0.0.1\\.push.apple.com/",
                                      "https://fcm.googleapis.com/fcm/send/x\r\nX-Injected: 1"])
async def test_ssrf_endpoints_are_refused_at_subscribe(rep, push_service, endpoint):
    body = {**Browser().subscription(), "endpoint": endpoint}
    response = await rep.post("/api/push/subscriptions", json=body)
    assert response.status_code == 422 and "endpoint" in response.json()["extra"]
    assert push_service.received == []


SSRF_VECTORS = [
    # plain http, even to a real push service
    "http://fcm.googleapis.com/fcm/send/x", "http://fcm.googleapis.com:443/fcm/send/x",
    # other ports
    "https://fcm.googleapis.com:80/x", "https://fcm.googleapis.com:0/x", "https://fcm.googleapis.com:99999/x",
    # userinfo, also the classic "real host as user name" trick
    "https://user:pass@fcm.googleapis.com/x", "https://:@fcm.googleapis.com/x",
    "https://fcm.googleapis.com@169.254.169.254/latest/meta-data/",
    # IP literals: v4/v6, private, loopback, link-local, metadata, mapped, public, odd spellings
    "https://10.0.0.1/x", "https://192.168.1.1/x", "https://172.16.0.1/x", "https://127.0.0.1/x",
    "https://169.254.169.254/latest/meta-data/", "https://[fe80::1]/x", "https://[fd00::1]/x",
    "https://[::ffff:169.254.169.254]/x", "https://[::ffff:7f00:1]/x", "https://8.8.8.8/x",
    "https://[2001:4860:4860::8888]/x", "https://2130706433/x", "https://0x7f.0.0.1/x", "https://0177.0.0.1/x",
    # unknown hosts, look-alikes and local names
    "https://evil.example/x", "https://fcm.googleapis.com.evil.example/x", "https://evilfcm.googleapis.com/x",
    "https://localhost/x", "https://metadata.google.internal/computeMetadata/v1/",
    # not https URLs at all
    "ftp://fcm.googleapis.com/x", "file:///etc/passwd", "javascript:alert(1)",
    # read differently by a WHATWG parser (a browser, many HTTP stacks) than by urlsplit (issue 14):
    # a backslash is a slash there, so this is 127.0.0.1 with the path /.push.apple.com/
    "https://127.0.0.1\\.push.apple.com/", "https://169.254.169.254\\.fcm.googleapis.com/latest/meta-data/",
    "https://evil.example\\@fcm.googleapis.com/x", "https://fcm.googleapis.com\\.evil.example/x",
    # tabs and line breaks are dropped there (and by urlsplit), control characters and spaces
    "https://fcm.goo\tgleapis.com/fcm/send/x", "https://fcm.googleapis.com/fcm/send/x\r\nHost: evil.example",
    "https://fcm.googleapis.com/fcm/send/x\n", " https://fcm.googleapis.com/fcm/send/x",
    "https://fcm.googleapis.com/fcm/send/x ", "https://fcm.googleapis.com/fcm/send/x\x00y",
    "https://fcm.googleapis.com/fcm/send/x\x7f", "\x1bhttps://fcm.googleapis.com/fcm/send/x",
    # hosts a WHATWG parser percent-decodes or maps (full stops, full-width letters)
    "https://fcm%2egoogleapis.com/x", "https://127.0.0.1%2f.push.apple.com/", "https://127.0.0.1\u3002push.apple.com/",
    "https://\uff46cm.googleapis.com/x",
    # no slashes: https:host is https://host to WHATWG
    "https:fcm.googleapis.com/fcm/send/x", "https:/fcm.googleapis.com/fcm/send/x",
]


async def test_every_ssrf_vector_is_refused_at_subscribe_and_nothing_is_stored(rep, push_service):
    accepted = []
    for endpoint in SSRF_VECTORS:
        response = await rep.post("/api/push/subscriptions", json={**Browser().subscription(), "endpoint": endpoint})
        if response.status_code != 422 or "endpoint" not in response.json().get("extra", {}):
            accepted.append((endpoint, response.status_code))
    assert accepted == []
    assert (await rep.get("/api/push/subscriptions")).json() == []
    assert push_service.received == []


async def test_overlong_endpoints_at_a_real_push_service_are_refused(rep, push_service):
    for length in (1025, 4096):
        endpoint = "https://fcm.googleapis.com/fcm/send/"
        endpoint += "x" * (length - len(endpoint))
        response = await rep.post("/api/push/subscriptions", json={**Browser().subscription(), "endpoint": endpoint})
        assert response.status_code in (400, 422) and "endpoint" in response.text, length
    assert (await rep.get("/api/push/subscriptions")).json() == []


async def test_a_push_service_name_that_resolves_privately_or_not_at_all_is_never_contacted(
        rep, push_service, monkeypatch, app):
    """DNS rebinding: a known push host name that resolves (even partly) to a private,
    loopback, link-local or metadata address, or does not resolve, gets no request."""
    import socket

    answer: list[str] | None = None

    def fake_getaddrinfo(host, port, *args, **kwargs):
        if answer is None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                for a in answer]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    for answer in (["169.254.169.254"], ["10.1.2.3"], ["127.0.0.1"], ["::1"], ["fe80::1"], ["::ffff:10.0.0.1"],
                   ["142.250.1.95", "192.168.0.10"], None):
        app.state.reminders.sender._resolved.clear()  # each answer is asked for, not the first one's held
        endpoint = "https://fcm.googleapis.com/fcm/send/rebind-" + b64(os.urandom(6))
        body = {**Browser().subscription(), "endpoint": endpoint}
        assert (await rep.post("/api/push/subscriptions", json=body)).status_code == 200
        result = (await rep.post("/api/push/test")).json()
        # A private address is refused (and counts towards disabling the device); a name that
        # does not resolve may next time (a DNS outage must not disable every device).
        assert [r["status"] for r in result["results"]] == (["failed"] if answer else ["retry_later"]), answer
        assert push_service.received == [], answer
        assert (await rep.post("/api/push/subscriptions/remove", json={"endpoint": endpoint})).status_code == 204


async def test_bad_keys_and_oversized_endpoints(rep, push_service):
    body = Browser().subscription()
    bad = await rep.post("/api/push/subscriptions", json={**body, "keys": {"p256dh": "abc", "auth": "abc"}})
    assert bad.status_code == 422 and "p256dh" in bad.json()["detail"]
    huge = await rep.post("/api/push/subscriptions", json={**body, "endpoint": PUSH_ORIGIN + "/" + "x" * 10_000})
    assert huge.status_code == 400


async def test_another_users_endpoint_is_not_taken_over(rep, push_service, new_client):
    browser = Browser()
    assert (await rep.post("/api/push/subscriptions", json=browser.subscription())).status_code == 200
    assert (await rep.post("/api/push/subscriptions", json=browser.subscription())).status_code == 200  # idempotent
    other = new_client()
    await other.login("rep2@demo.test")
    response = await other.post("/api/push/subscriptions", json=browser.subscription())
    assert response.status_code == 409
    assert len((await rep.get("/api/push/subscriptions")).json()) == 1
    assert (await other.get("/api/push/subscriptions")).json() == []


async def test_signing_out_or_deactivation_removes_subscriptions(rep, push_service, new_client):
    await rep.post("/api/push/subscriptions", json=Browser().subscription())
    await rep.post("/api/auth/logout")
    await rep.login("rep1@demo.test")
    assert (await rep.get("/api/push/subscriptions")).json() == []
    await rep.post("/api/push/subscriptions", json=Browser().subscription())
    rep_id = (await rep.get("/api/me")).json()["id"]
    manager = new_client()
    await manager.login("manager@demo.test")
    await manager.patch(f"/api/users/{rep_id}", json={"active": False})
    await manager.patch(f"/api/users/{rep_id}", json={"active": True})
    await rep.login("rep1@demo.test")
    assert (await rep.get("/api/push/subscriptions")).json() == []


PREFS = {"checkin_rhythm": "daily", "reminder_days": [0, 1, 2, 3, 4], "reminder_times": ["17:30"],
         "style": "often", "visibility": "named"}


async def plan_and_subscribe(rep, prefs=PREFS) -> Browser:
    types = {t["key"]: t["id"] for t in (await rep.get("/api/teams/1/activity-types")).json()}
    await rep.put("/api/my-plans/2026-11-23", json={"targets": [{"activity_type_id": types["visit"], "target": 5}]})
    await rep.post("/api/my-plans/2026-11-23/commit")
    await rep.put("/api/me/preferences", json=prefs)
    browser = Browser()
    await rep.post("/api/push/subscriptions", json=browser.subscription())
    return browser


async def test_the_daily_reminder_fires_once_at_the_reps_local_time_with_live_numbers(rep, push_service, app, frozen_clock):
    browser = await plan_and_subscribe(rep)
    reminders = app.state.reminders
    frozen_clock.now = datetime(2026, 11, 25, 16, 29, tzinfo=UTC)  # 17:29 in Berlin
    assert await reminders.tick() == {}
    nxt = (await rep.get("/api/push/next")).json()
    assert nxt["wall_time"] == "17:30" and nxt["fire_at"].startswith("2026-11-25T16:30")
    frozen_clock.now = datetime(2026, 11, 25, 16, 30, 5, tzinfo=UTC)
    assert await reminders.tick() == {"sent": 1}
    assert await reminders.tick() == {}  # once
    message = browser.decrypt(push_service.received[-1].content)
    assert message["body"].startswith("0 of 5 visits logged — 3 days left")
    assert message["url"] == "/log" and "note" not in message
    assert push_service.received[-1].headers["topic"] == f"daily-{(await rep.get('/api/me')).json()['id']}"


async def test_the_scheduler_prepares_before_the_minute_and_sends_as_it_starts(rep, push_service, app, frozen_clock):
    from backend.reminders import scheduler

    await plan_and_subscribe(rep)
    frozen_clock.now = datetime(2026, 11, 25, 16, 29, 59, tzinfo=UTC)  # 17:29:59 in Berlin
    stop = asyncio.Event()

    async def the_minute_starts():
        await asyncio.sleep(0.3)
        assert push_service.received == []  # prepared, but nothing is sent before 17:30
        frozen_clock.now = datetime(2026, 11, 25, 16, 30, 0, 60000, tzinfo=UTC)

    counts, _ = await asyncio.gather(scheduler._one_tick(app.state.reminders, stop), the_minute_starts())
    assert counts == {"sent": 1} and len(push_service.received) == 1
    assert await app.state.reminders.tick() == {}  # once


async def test_a_reminder_prepared_but_not_yet_due_waits_for_its_time(rep, push_service, app, frozen_clock):
    await plan_and_subscribe(rep)
    reminders = app.state.reminders
    frozen_clock.now = datetime(2026, 11, 25, 16, 29, 59, tzinfo=UTC)
    prepared = await reminders.prepare(until=datetime(2026, 11, 25, 16, 30, 0, 50000, tzinfo=UTC))
    assert len(prepared.due) == 1
    assert await reminders.send_due(prepared) == {} and push_service.received == []  # a stop came early
    frozen_clock.now = datetime(2026, 11, 25, 16, 30, 1, tzinfo=UTC)
    assert await reminders.tick() == {"sent": 1}


async def test_two_schedulers_at_once_send_each_occurrence_once(rep, push_service, app, frozen_clock):
    await plan_and_subscribe(rep)
    from backend.app import create_app

    other_process = create_app(manage_pool=False).state.reminders
    other_process.sender = app.state.reminders.sender
    frozen_clock.now = datetime(2026, 11, 25, 16, 31, tzinfo=UTC)
    results = await asyncio.gather(app.state.reminders.tick(), other_process.tick())
    assert sum(r.get("sent", 0) for r in results) == 1 and len(push_service.received) == 1


async def test_after_downtime_recent_occurrences_go_late_and_old_ones_are_skipped(rep, push_service, app, frozen_clock):
    frozen_clock.now = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)  # set up Wednesday morning
    await plan_and_subscribe(rep)
    frozen_clock.now = datetime(2026, 11, 26, 16, 45, tzinfo=UTC)  # down since Wednesday noon
    counts = await app.state.reminders.tick()
    assert counts == {"sent": 1, "skipped_late": 1}  # Thursday's 15 min late; Wednesday's skipped
    statuses = {(r["local_date"].isoformat(), r["status"]) for r in await ReminderSend.select()}
    assert statuses == {("2026-11-25", "skipped_late"), ("2026-11-26", "sent")}


async def test_no_nudge_for_an_autonomous_rep_on_pace_and_a_plan_nudge_without_a_plan(rep, push_service, app, frozen_clock):
    frozen_clock.now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    browser = await plan_and_subscribe(rep, {**PREFS, "style": "autonomy"})
    frozen_clock.now = datetime(2026, 11, 23, 16, 31, tzinfo=UTC)  # Monday evening: nobody is behind yet
    assert await app.state.reminders.tick() == {"not_needed": 1}
    assert push_service.received == []
    frozen_clock.now = datetime(2026, 11, 30, 16, 31, tzinfo=UTC)  # next Monday: no plan committed
    assert await app.state.reminders.tick() == {"sent": 1}
    message = browser.decrypt(push_service.received[-1].content)
    assert message["url"] == "/plan" and "plan" in message["body"]


async def test_two_schedulers_over_many_occurrences_no_duplicates_no_misses(client, demo, app, frozen_clock, push_service):
    """Every rep with two reminder times, three days, a tick every 10 minutes from two
    scheduler instances at once (separate service stacks on the same database)."""
    from datetime import timedelta

    from backend.app import create_app
    from backend.reminders.rules import occurrences
    from backend.reminders.service import _times

    frozen_clock.now = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)
    zones = {}
    for i in range(1, 7):
        rep = client if i == 1 else None
        c = rep or app_client(app)
        await c.login(f"rep{i}@demo.test")
        await c.put("/api/me/preferences", json={**PREFS, "reminder_times": ["09:00", "17:30"], "style": "often"})
        await c.post("/api/push/subscriptions", json=Browser(f"rep{i}").subscription())
        zones[i] = (await c.get("/api/me/preferences")).json()["time_zone"]
    second = create_app(manage_pool=False).state.reminders
    second.sender = app.state.reminders.sender
    start = frozen_clock.now
    end = start + timedelta(days=3)
    while frozen_clock.now < end:
        frozen_clock.advance(minutes=10)
        await asyncio.gather(app.state.reminders.tick(), second.tick())
    expected = sum(len(list(occurrences(range(5), _times(["09:00", "17:30"]), zone, start, frozen_clock.now)))
                   for zone in zones.values())
    rows = await ReminderSend.select()
    keys = [(r["user"], r["local_date"], r["wall_time"]) for r in rows]
    assert len(keys) == len(set(keys)) == expected  # each occurrence once, none missed
    assert {r["status"] for r in rows} == {"sent"} and len(push_service.received) == expected


def app_client(app):
    from tests.conftest import make_client

    return make_client(app)


async def test_push_endpoints_never_reach_the_logs(rep, push_service, caplog):
    import logging

    browser = Browser()
    await rep.post("/api/push/subscriptions", json=browser.subscription())
    with caplog.at_level(logging.DEBUG):
        await rep.post("/api/push/test")
    assert browser.endpoint not in caplog.text and "/send/" not in caplog.text


async def test_coaching_reminders_reflect_before_the_one_to_one_and_commitments_due_today(
        rep, push_service, app, frozen_clock, new_client):
    from tests.sync_device import Device

    frozen_clock.now = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    browser = Browser()
    await rep.post("/api/push/subscriptions", json=browser.subscription())
    riley = (await rep.get("/api/me")).json()["id"]
    manager = new_client()
    await manager.login("manager@demo.test")
    assert (await manager.put(f"/api/reps/{riley}/checkin-schedule",
                              json={"weekdays": [3], "time": "14:00"})).status_code == 200  # Thursdays, Berlin
    call = next(t["id"] for t in (await rep.get("/api/teams/1/activity-types")).json() if t["key"] == "call")
    checkin = (await manager.post(f"/api/reps/{riley}/checkins", json={})).json()
    await manager.post(f"/api/checkins/{checkin['id']}/commitments", json={
        "text": "Call the trade-fair leads", "due_on": "2026-11-26", "activity_type_id": call, "target_count": 2})
    reminders = app.state.reminders

    frozen_clock.now = datetime(2026, 11, 26, 8, 0, 30, tzinfo=UTC)  # Thursday 09:00 in Berlin
    assert await reminders.tick() == {"sent": 1}
    due = browser.decrypt(push_service.received[-1].content)
    assert due["body"] == "Due today: \u201cCall the trade-fair leads\u201d (0 of 2 done)." and due["url"] == "/home"
    frozen_clock.now = datetime(2026, 11, 26, 11, 0, 30, tzinfo=UTC)  # 12:00 Berlin: two hours before the 1:1
    assert await reminders.tick() == {"sent": 1}
    reflect = browser.decrypt(push_service.received[-1].content)
    assert reflect["title"] == "Your 1:1 is at 14:00" and reflect["url"] == "/reflect?week=2026-11-23"
    assert await reminders.tick() == {}  # each once

    # Next week the reflection is written on Monday: no prompt before that 1:1.
    frozen_clock.now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    phone = Device(rep)
    phone.raw("reflection.upsert", "6f1d7a52-3c1e-4d1a-9b1e-2f0c5d4e8a01", {"week_start": "2026-11-30", "wins": "x"})
    assert (await phone.push()).json()["results"][0]["status"] == "applied"
    frozen_clock.now = datetime(2026, 12, 3, 11, 0, 30, tzinfo=UTC)
    assert await reminders.tick() == {}
    assert {r["kind"] for r in await ReminderSend.select()} == {"commitment", "reflect"}


# ----------------------------------------------------------------------------- one bad key (issue 14)
BAD_P256DH = "B" + "A" * 86  # 65 bytes with a leading 0x04, but not a point on P-256


async def test_a_key_that_is_not_a_p256_point_is_refused_at_subscribe(rep, push_service):
    body = Browser().subscription()
    for keys in ({"p256dh": BAD_P256DH, "auth": body["keys"]["auth"]},
                 {"p256dh": body["keys"]["p256dh"], "auth": b64(os.urandom(15))},
                 {"p256dh": body["keys"]["p256dh"][:30] + "!" + body["keys"]["p256dh"][30:],
                  "auth": body["keys"]["auth"]}):
        response = await rep.post("/api/push/subscriptions", json={**body, "keys": keys})
        assert response.status_code == 422 and "keys" in response.json()["extra"], keys
    assert (await rep.get("/api/push/subscriptions")).json() == []


async def old_bad_row(user_id: int, name: str = "oldphone") -> tuple[int, str]:
    """A subscription stored before keys were checked as P-256 points, as it sits in the
    database: (its id, its endpoint)."""
    from backend.core import clock
    from backend.reminders.tables import PushSubscription

    endpoint = f"{PUSH_ORIGIN}/send/{name}-{b64(os.urandom(6))}"
    rows = await PushSubscription.insert(PushSubscription(
        user=user_id, endpoint=endpoint, p256dh=BAD_P256DH, auth=b64(os.urandom(16)),
        created_at=clock.now())).returning(PushSubscription.id)
    return rows[0]["id"], endpoint


async def subscription_row(sub_id: int) -> dict:
    from backend.reminders.tables import PushSubscription

    return await PushSubscription.select().where(PushSubscription.id == sub_id).first()


async def scheduler_tick(app) -> dict[str, int]:
    """One pass of the real scheduler loop (scheduler.run), stopped after its tick."""
    from backend.reminders import scheduler

    reminders, stop, counts = app.state.reminders, asyncio.Event(), {}
    send_due = reminders.send_due

    async def send_then_stop(prepared):
        try:
            counts.update(await send_due(prepared))
            return counts
        finally:
            stop.set()

    reminders.send_due = send_then_stop
    try:
        await asyncio.wait_for(scheduler.run(reminders, stop), timeout=60)
    finally:
        del reminders.send_due
    return counts


async def test_one_bad_key_never_stops_another_reps_reminder_in_the_same_minute(
        rep, push_service, app, frozen_clock, new_client, caplog):
    """Issue 14: `ValueError: Invalid EC key` escaped a chunk's build, the tick failed and
    every rep's reminder of that minute stayed `claimed`. Riley (a good phone) and Casey (an
    old row with a bad key) are due at 17:30 in the same minute."""
    import logging

    frozen_clock.now = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    browser = await plan_and_subscribe(rep)  # Riley, Berlin
    riley = (await rep.get("/api/me")).json()["id"]
    casey_client = new_client()
    await casey_client.login("rep5@demo.test")  # Warsaw: 17:30 is the same instant as Berlin's
    assert (await casey_client.put("/api/me/preferences", json=PREFS)).status_code == 200
    casey = (await casey_client.get("/api/me")).json()["id"]
    bad_id, bad_endpoint = await old_bad_row(casey)

    frozen_clock.now = datetime(2026, 11, 25, 16, 30, 5, tzinfo=UTC)
    with caplog.at_level(logging.INFO, logger="followthrough.reminders"):
        counts = await scheduler_tick(app)
    assert "reminder tick failed" not in caplog.text
    assert counts == {"sent": 1, "failed": 1}
    rows = {r["user"]: r for r in await ReminderSend.select()}
    assert {u: r["status"] for u, r in rows.items()} == {riley: "sent", casey: "failed"}  # nothing left claimed
    assert "keys cannot encrypt" in rows[casey]["detail"]
    assert [str(r.url) for r in push_service.received] == [browser.endpoint]
    assert browser.decrypt(push_service.received[0].content)["url"] == "/log"
    bad = await subscription_row(bad_id)
    assert bad["failures"] == 1 and bad["disabled_at"] is None

    # The same every evening until MAX_FAILURES in a row: then that device is disabled and
    # no longer tried; Riley's reminders keep going out.
    from backend.reminders.service import MAX_FAILURES

    for day in range(2, MAX_FAILURES + 1):
        frozen_clock.now = datetime(2026, 11, 24 + day, 16, 30, 5, tzinfo=UTC)
        assert await scheduler_tick(app) == {"sent": 1, "failed": 1}, day
    bad = await subscription_row(bad_id)
    assert bad["failures"] == MAX_FAILURES and bad["disabled_at"] == frozen_clock.now
    devices = (await casey_client.get("/api/push/subscriptions")).json()
    assert [d["disabled_at"] is not None for d in devices] == [True]
    frozen_clock.now = datetime(2026, 11, 30, 16, 30, 5, tzinfo=UTC)  # Monday
    assert await scheduler_tick(app) == {"sent": 1}
    statuses = [(r["user"], r["status"]) for r in await ReminderSend.select()]
    assert statuses.count((riley, "sent")) == MAX_FAILURES + 1 and statuses.count((casey, "failed")) == MAX_FAILURES
    assert "claimed" not in {s for _, s in statuses}
    assert bad_endpoint not in {str(r.url) for r in push_service.received}


async def test_an_error_in_one_push_fails_that_push_only(rep, push_service, app, frozen_clock, new_client):
    """Not only bad keys: whatever one push raises while it is sent, the others go out, its
    reminder is recorded as failed, and the device is not blamed for the server's error."""
    frozen_clock.now = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    browser = await plan_and_subscribe(rep)
    casey_client = new_client()
    await casey_client.login("rep5@demo.test")
    other = await plan_and_subscribe(casey_client)
    sender = app.state.reminders.sender
    deliver = sender.deliver

    async def broken_for_casey(push):
        if other.endpoint.endswith(push.target.decode()):
            raise RuntimeError("a bug of ours")
        return await deliver(push)

    sender.deliver = broken_for_casey
    frozen_clock.now = datetime(2026, 11, 25, 16, 30, 5, tzinfo=UTC)
    assert await scheduler_tick(app) == {"sent": 1, "failed": 1}
    assert [str(r.url) for r in push_service.received] == [browser.endpoint]
    assert {r["status"] for r in await ReminderSend.select()} == {"sent", "failed"}
    devices = (await casey_client.get("/api/push/subscriptions")).json()
    assert (await subscription_row(devices[0]["id"]))["failures"] == 0


async def test_a_test_push_to_a_device_with_a_bad_key_answers_clearly(rep, push_service):
    """POST /api/push/test answered 500 for a device with a bad key; now that device's
    outcome says what is wrong, the other device still gets it, and after MAX_FAILURES in a
    row the device is disabled until it subscribes again."""
    good = Browser("good")
    good_id = (await rep.post("/api/push/subscriptions", json=good.subscription())).json()["id"]
    bad_id, bad_endpoint = await old_bad_row((await rep.get("/api/me")).json()["id"])
    max_failures = 3  # backend.reminders.service.MAX_FAILURES, as README and docs/api.md say
    for _ in range(max_failures):
        response = await rep.post("/api/push/test")
        assert response.status_code == 200, response.text
        outcomes = {r["device_id"]: r for r in response.json()["results"]}
        assert outcomes[good_id]["status"] == "delivered"
        assert outcomes[bad_id]["status"] == "failed" and "keys cannot encrypt" in outcomes[bad_id]["detail"]
    assert {str(r.url) for r in push_service.received} == {good.endpoint}
    devices = {d["id"]: d for d in (await rep.get("/api/push/subscriptions")).json()}
    assert devices[bad_id]["disabled_at"] is not None and devices[good_id]["disabled_at"] is None
    outcomes = {r["device_id"]: r for r in (await rep.post("/api/push/test")).json()["results"]}
    assert outcomes[bad_id]["status"] == "failed" and "turned off" in outcomes[bad_id]["detail"]
    # The browser subscribes again (new, valid keys for the same endpoint): it is back on.
    fixed = Browser()
    fixed.endpoint = bad_endpoint
    assert (await rep.post("/api/push/subscriptions", json=fixed.subscription())).json()["disabled_at"] is None
    outcomes = {r["device_id"]: r for r in (await rep.post("/api/push/test")).json()["results"]}
    assert outcomes[bad_id]["status"] == "delivered"
    to_fixed = [r for r in push_service.received if str(r.url) == bad_endpoint]
    assert len(to_fixed) == 1 and fixed.decrypt(to_fixed[0].content)["tag"] == "test"


async def test_an_endpoint_stored_before_the_whatwg_check_is_never_contacted(rep, push_service):
    """A row subscribed when `https://127.0.0.1\\.push.apple.com/` was still accepted: the
    send path refuses it as well (and forgets it), and the other device still gets its push."""
    from backend.core import clock
    from backend.reminders.tables import PushSubscription

    good = Browser("good")
    await rep.post("/api/push/subscriptions", json=good.subscription())
    keys = Browser().subscription()["keys"]
    await PushSubscription.insert(PushSubscription(
        user=(await rep.get("/api/me")).json()["id"], endpoint="https://127.0.0.1\\.push.apple.com/",
        p256dh=keys["p256dh"], auth=keys["auth"], created_at=clock.now()))
    results = (await rep.post("/api/push/test")).json()["results"]
    assert sorted(r["status"] for r in results) == ["delivered", "gone"]
    assert [str(r.url) for r in push_service.received] == [good.endpoint]
    assert len((await rep.get("/api/push/subscriptions")).json()) == 1


async def test_no_daily_nudge_on_a_declared_day_off(rep, push_service, app, frozen_clock):
    await plan_and_subscribe(rep)
    assert (await rep.post("/api/me/time-off", json={"first_day": "2026-11-25", "last_day": "2026-11-25"})
            ).status_code == 201
    frozen_clock.now = datetime(2026, 11, 25, 16, 30, 5, tzinfo=UTC)  # 17:30 in Berlin, a day off
    assert await app.state.reminders.tick() == {"not_needed": 1}
    assert push_service.received == []
    frozen_clock.now = datetime(2026, 11, 26, 16, 30, 5, tzinfo=UTC)  # back the next day
    assert await app.state.reminders.tick() == {"sent": 1}
