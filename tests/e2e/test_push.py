"""Push reminders end to end.

(a) The real pipeline: our server encrypts and signs, the npm package `web-push-testing`
    (a local push service) verifies VAPID and decrypts, and we read the plaintext back —
    for a test send, for an expired subscription (410 → removed), and for a scheduled
    reminder fired by the scheduler inside `followthrough serve`.
(b) The service worker: a push delivered with CDP shows the notification; a tap opens
    the log form.
(c) The notifications section in Settings and Preferences: every state, axe-clean.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    DEMO_PASSWORD,
    DIST,
    REPO,
    _free_port,
    _require_browser_and_dist,
    axe_violations,
    format_violations,
    running_server,
    screenshot,
    sign_in,
    wait_for_js,
    wait_for_service_worker,
    wait_until_settled,
)

pytestmark = pytest.mark.e2e

WPT_SERVER = REPO / "node_modules" / "web-push-testing" / "src" / "bin" / "server.js"
CSRF = {"X-Followthrough": "1"}


# ---------------------------------------------------------------------------- fixtures


def _json_or_text(raw: bytes):
    try:
        return json.loads(raw or b"{}")
    except ValueError:
        return {"text": raw.decode(errors="replace")}


class PushService:
    """web-push-testing, spoken to over plain HTTP."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"

    def post(self, path: str, body: dict | None = None) -> tuple[int, dict]:
        request = urllib.request.Request(
            f"{self.base_url}{path}", data=json.dumps(body or {}).encode(), method="POST",
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                return answer.status, _json_or_text(answer.read())
        except urllib.error.HTTPError as error:
            return error.code, _json_or_text(error.read())

    def subscribe(self, public_key: str) -> dict:
        # "true" as a string: that is what the package expects.
        status, answer = self.post("/subscribe", {"userVisibleOnly": "true", "applicationServerKey": public_key})
        assert status == 200, answer
        return answer["data"]

    def messages(self, client_hash: str) -> list[dict]:
        status, answer = self.post("/get-notifications", {"clientHash": client_hash})
        assert status == 200, answer
        return [json.loads(m) if isinstance(m, str) else m for m in answer["data"]["messages"]]

    def expire(self, client_hash: str) -> None:
        status, answer = self.post(f"/expire-subscription/{client_hash}")
        assert status == 200, answer


@pytest.fixture(scope="session")
def push_service() -> Iterator[PushService]:
    if not WPT_SERVER.is_file():
        pytest.skip(f"{WPT_SERVER} is missing: run `npm install` (devDependency web-push-testing)")
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    port = _free_port()
    proc = subprocess.Popen(
        ["node", str(WPT_SERVER), str(port)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    service = PushService(port)
    try:
        deadline = time.monotonic() + 20
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"web-push-testing exited: {proc.stdout.read().decode() if proc.stdout else ''}")
            try:
                service.post("/status")
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield service
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="session")
def push_server(push_service):
    """An app server of its own that may send to the local push service."""
    _require_browser_and_dist()
    origins = f"http://localhost:{push_service.port},http://127.0.0.1:{push_service.port}"
    with running_server(DIST, {"PUSH_TEST_ORIGINS": origins}) as running:
        yield running


@pytest.fixture
def api_as(browser, push_server):
    """api_as(email) → a Playwright APIRequestContext signed in on the push server."""
    contexts = []

    def open_as(email: str):
        context = browser.new_context(base_url=push_server.base_url)
        contexts.append(context)
        answer = context.request.post("/api/auth/login", data={"email": email, "password": DEMO_PASSWORD},
                                      headers=CSRF)
        assert answer.ok, answer.text()
        return context.request

    yield open_as
    for context in contexts:
        context.close()


def register(api, push_service: PushService) -> dict:
    """Subscribe at the local push service with our key, and register it with our API."""
    key = api.get("/api/push/public-key").json()["public_key"]
    subscription = push_service.subscribe(key)
    answer = api.post("/api/push/subscriptions", headers=CSRF, data={
        "endpoint": subscription["endpoint"], "keys": subscription["keys"],
        "client_id": "e2e-device", "user_agent": "e2e test device",
    })
    assert answer.ok, answer.text()
    return {**subscription, "device": answer.json()}


def wait_for_messages(push_service: PushService, client_hash: str, count: int, timeout: float) -> list[dict]:
    deadline = time.monotonic() + timeout
    while True:
        messages = push_service.messages(client_hash)
        if len(messages) >= count or time.monotonic() > deadline:
            return messages
        time.sleep(0.5)


# ---------------------------------------------------------------------------- (a) pipeline


def test_test_push_is_encrypted_signed_and_decrypted_by_a_real_push_service(api_as, push_service):
    api = api_as("rep3@demo.test")
    sub = register(api, push_service)
    assert sub["device"]["service"] == "localhost"

    answer = api.post("/api/push/test", headers=CSRF)
    assert answer.ok, answer.text()
    results = answer.json()["results"]
    assert results == [{"device_id": sub["device"]["id"], "status": "delivered", "detail": results[0]["detail"]}]

    messages = wait_for_messages(push_service, sub["clientHash"], 1, timeout=10)
    assert len(messages) == 1
    assert messages[0]["title"] == "Followthrough"
    assert messages[0]["body"] == "Notifications work on this device."
    assert messages[0]["url"] == "/home"

    devices = api.get("/api/push/subscriptions").json()
    assert [d["id"] for d in devices] == [sub["device"]["id"]]
    assert devices[0]["last_success_at"] is not None

    # The push service says the subscription has expired (410): it is gone from our side.
    push_service.expire(sub["clientHash"])
    answer = api.post("/api/push/test", headers=CSRF)
    assert answer.ok, answer.text()
    assert [r["status"] for r in answer.json()["results"]] == ["gone"]
    assert api.get("/api/push/subscriptions").json() == []
    assert api.post("/api/push/test", headers=CSRF).status == 404  # no device left


def test_scheduled_reminder_arrives_with_live_numbers(api_as, push_service):
    api = api_as("rep1@demo.test")
    prefs = api.get("/api/me/preferences").json()
    zone = ZoneInfo(prefs["time_zone"])
    # The scheduler only sends occurrences after the preferences were saved, so aim at the
    # next whole minute (the one after, if this one is about to end).
    now = datetime.now(zone)
    target = (now + timedelta(minutes=1)).replace(second=0, microsecond=0)
    if (target - now).total_seconds() < 8:
        target += timedelta(minutes=1)
    answer = api.put("/api/me/preferences", headers=CSRF, data={
        "checkin_rhythm": prefs["checkin_rhythm"], "visibility": prefs["visibility"], "style": "often",
        "reminder_days": [target.weekday()], "reminder_times": [target.strftime("%H:%M")],
        "time_zone": prefs["time_zone"],
    })
    assert answer.ok, answer.text()
    sub = register(api, push_service)

    following = api.get("/api/push/next").json()
    assert following["wall_time"] == target.strftime("%H:%M")
    assert following["local_date"] == target.date().isoformat()
    assert following["time_zone"] == prefs["time_zone"]

    # Due at `target`; the scheduler ticks every 20 s inside `followthrough serve`.
    wait = (target - datetime.now(zone)).total_seconds() + 30
    messages = wait_for_messages(push_service, sub["clientHash"], 1, timeout=wait)
    assert len(messages) == 1, f"no reminder within {wait:.0f}s"
    message = messages[0]
    assert message["url"] == "/log"
    assert message["tag"] == "daily"
    assert " of " in message["body"] and "logged" in message["body"], message
    # Once: a later tick does not send the same occurrence again.
    time.sleep(21)
    assert len(push_service.messages(sub["clientHash"])) == 1


# ---------------------------------------------------------------------------- (b) service worker


def deliver_push(page, payload: dict) -> None:
    """CDP: deliver a push message into this origin's service worker."""
    cdp = page.context.new_cdp_session(page)
    registrations: list[str] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated",
           lambda event: registrations.extend(r["registrationId"] for r in event["registrations"]
                                              if not r.get("isDeleted")))
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not registrations and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert registrations, "no service worker registration reported by CDP"
    origin = page.evaluate("location.origin")
    cdp.send("ServiceWorker.deliverPushMessage",
             {"origin": origin, "registrationId": registrations[-1], "data": json.dumps(payload)})


SHOWN = """async () => (await (await navigator.serviceWorker.ready).getNotifications()).map(n => ({
    title: n.title, body: n.body, tag: n.tag, icon: n.icon, badge: n.badge, data: n.data}))"""


def test_push_shows_a_notification_and_a_tap_opens_the_log_form(new_page, server):
    page = new_page("phone")
    page.context.grant_permissions(["notifications"], origin=server.base_url)
    sign_in(page, "rep2@demo.test")
    wait_for_service_worker(page)
    expect(page).to_have_url(f"{server.base_url}/home")

    payload = {"title": "Today's activity", "body": "1 of 5 calls logged — 2 days left.", "url": "/log",
               "tag": "daily"}
    deliver_push(page, payload)
    wait_for_js(page, "(async () => (await (await navigator.serviceWorker.ready).getNotifications()).length > 0)()")
    shown = page.evaluate(SHOWN)
    assert len(shown) == 1
    assert shown[0]["title"] == payload["title"]
    assert shown[0]["body"] == payload["body"]
    assert shown[0]["tag"] == "daily"
    assert shown[0]["icon"].endswith("/icons/icon-192.png")
    assert shown[0]["badge"].endswith("/icons/badge-96.png")
    assert shown[0]["data"] == {"url": "/log"}

    # A newer reminder with the same tag replaces the older one.
    deliver_push(page, {**payload, "body": "2 of 5 calls logged — 2 days left."})
    deadline = time.monotonic() + 10
    while page.evaluate(SHOWN)[0]["body"] != "2 of 5 calls logged — 2 days left." and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    shown = page.evaluate(SHOWN)
    assert [n["body"] for n in shown] == ["2 of 5 calls logged — 2 days left."]

    # The tap, in the worker: a notificationclick carrying that notification.
    worker = page.context.service_workers[0]
    worker.evaluate("""async () => {
        const [notification] = await self.registration.getNotifications({ tag: 'daily' });
        self.dispatchEvent(new NotificationEvent('notificationclick', { notification }));
    }""")
    expect(page).to_have_url(f"{server.base_url}/log")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log activity")
    expect(page.get_by_role("region", name="1. What did you do?")).to_be_visible()
    wait_for_js(page, "(async () => (await (await navigator.serviceWorker.ready).getNotifications()).length === 0)()")


def test_a_push_that_is_not_our_json_still_shows_something(new_page, server):
    page = new_page("phone")
    page.context.grant_permissions(["notifications"], origin=server.base_url)
    sign_in(page, "rep2@demo.test")
    wait_for_service_worker(page)
    cdp_payload = "this is not JSON"
    cdp = page.context.new_cdp_session(page)
    ids: list[str] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated",
           lambda event: ids.extend(r["registrationId"] for r in event["registrations"]))
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not ids and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    cdp.send("ServiceWorker.deliverPushMessage",
             {"origin": page.evaluate("location.origin"), "registrationId": ids[-1], "data": cdp_payload})
    wait_for_js(page, "(async () => (await (await navigator.serviceWorker.ready).getNotifications()).length > 0)()")
    shown = page.evaluate(SHOWN)
    assert shown[0]["title"] == "Followthrough"
    assert shown[0]["data"] == {"url": "/home"}


# ---------------------------------------------------------------------------- (c) the settings UI

IPHONE_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
             "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1")

# The browser here has no push service: these stand in for what a phone's browser offers.
STUB = """(() => {
  const cfg = %s;
  if (cfg.ios) {
    Object.defineProperty(Navigator.prototype, 'userAgent', { get: () => cfg.ios });
    Object.defineProperty(Navigator.prototype, 'platform', { get: () => 'iPhone' });
    Object.defineProperty(Navigator.prototype, 'maxTouchPoints', { get: () => 5 });
  }
  if (cfg.noPush) delete window.PushManager;
  if (cfg.permission) Object.defineProperty(Notification, 'permission', { get: () => cfg.permission, configurable: true });
  if (cfg.subscription && window.PushManager) {
    const KEY = 'e2e-fake-push';
    const sub = cfg.subscription;
    const make = () => ({
      endpoint: sub.endpoint, expirationTime: null, options: { applicationServerKey: null },
      toJSON: () => ({ endpoint: sub.endpoint, expirationTime: null, keys: sub.keys }),
      unsubscribe: async () => { sessionStorage.removeItem(KEY); return true; },
    });
    PushManager.prototype.getSubscription = async function () { return sessionStorage.getItem(KEY) ? make() : null; };
    PushManager.prototype.subscribe = async function (options) {
      if (!options || options.userVisibleOnly !== true || !options.applicationServerKey) throw new Error('bad options');
      sessionStorage.setItem(KEY, '1');
      return make();
    };
    if (cfg.subscribed) sessionStorage.setItem(KEY, '1');
  }
})()"""


def open_settings(new_page, push_server, email, *, size="phone", scheme="light", bypass_csp=False, **stub):
    page = new_page(size, color_scheme=scheme, bypass_csp=bypass_csp, base_url=push_server.base_url)
    if stub.get("permission", "granted") == "granted":
        page.context.grant_permissions(["notifications"], origin=push_server.base_url)
    page.add_init_script(STUB % json.dumps(stub))
    sign_in(page, email)
    wait_for_service_worker(page)
    page.goto("/settings")
    wait_until_settled(page)
    return page


def section(page):
    return page.get_by_role("region", name="Reminder notifications")


def test_turn_on_send_a_test_and_turn_off(new_page, push_server, push_service, api_as):
    api = api_as("rep4@demo.test")
    subscription = push_service.subscribe(api.get("/api/push/public-key").json()["public_key"])
    page = open_settings(new_page, push_server, "rep4@demo.test", subscription=subscription)
    panel = section(page)
    expect(panel).to_contain_text("We'll nudge you at the times you chose, in your time zone. Nothing else.")
    expect(panel.locator("[data-push-state='off']")).to_be_visible()

    panel.get_by_role("button", name="Turn on reminders on this device").click()
    expect(panel.locator("[data-push-state='on']")).to_contain_text("Reminders are on for this device")
    device = panel.get_by_role("listitem")
    expect(device).to_have_count(1)
    expect(device).to_contain_text("This device")
    expect(device).to_contain_text("localhost")
    registered = api.get("/api/push/subscriptions").json()
    assert len(registered) == 1 and registered[0]["user_agent"].startswith("Mozilla/5.0")

    panel.get_by_role("button", name="Send me a test notification").click()
    expect(device).to_contain_text("Test: Sent. It should appear in a moment.")
    messages = wait_for_messages(push_service, subscription["clientHash"], 1, timeout=10)
    assert [m["body"] for m in messages] == ["Notifications work on this device."]
    expect(device).not_to_contain_text("Not yet")  # "last delivered" now has a time

    # Reload: the device is still on (the browser's subscription is confirmed with the server).
    page.reload()
    expect(section(page).locator("[data-push-state='on']")).to_be_visible()

    section(page).get_by_role("button", name="Turn off on this device").click()
    expect(section(page).locator("[data-push-state='off']")).to_be_visible()
    expect(section(page).get_by_role("listitem")).to_have_count(0)
    assert api.get("/api/push/subscriptions").json() == []


def test_next_reminder_is_shown_and_follows_preference_changes(new_page, push_server):
    page = open_settings(new_page, push_server, "rep5@demo.test", noPush=True)
    page.goto("/preferences")
    wait_until_settled(page)
    panel = page.locator(".push")
    expect(panel.get_by_role("heading", name="Reminder notifications")).to_be_visible()
    page.get_by_role("checkbox", name="Monday").check()
    for day in ("Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        box = page.get_by_role("checkbox", name=day)
        if box.is_checked():
            box.uncheck()
    page.get_by_label("Time 1").fill("06:15")
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    zone = page.get_by_label("Time zone").input_value()
    expect(panel.get_by_test_id("next-reminder")).to_contain_text(f"Next reminder: Monday 06:15 ({zone})")
    page.get_by_label("Time 1").fill("07:45")
    page.get_by_role("button", name="Save my answers").click()
    expect(panel.get_by_test_id("next-reminder")).to_contain_text(f"Next reminder: Monday 07:45 ({zone})")


STATES = {
    "unsupported": {"noPush": True},
    "denied": {"permission": "denied"},
    "ios-needs-home-screen": {"ios": IPHONE_UA},
    "on": {"subscribed": True},
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", ["phone", "tablet"])
@pytest.mark.parametrize("state", sorted(STATES))
def test_notification_states_render_and_pass_axe(new_page, push_server, push_service, api_as, state, size, scheme):
    stub = dict(STATES[state])
    if state == "on":
        key = api_as("rep6@demo.test").get("/api/push/public-key").json()["public_key"]
        stub["subscription"] = push_service.subscribe(key)
    page = open_settings(new_page, push_server, "rep6@demo.test", size=size, scheme=scheme, bypass_csp=True, **stub)
    panel = section(page)
    expect(panel.locator(f"[data-push-state='{state}']")).to_be_visible()
    expect(panel).to_contain_text("We'll nudge you at the times you chose")
    if state == "denied":
        expect(panel).to_contain_text("allow notifications for this site")
    if state == "ios-needs-home-screen":
        expect(panel).to_contain_text("Add to Home Screen")
    if state != "on":
        expect(panel.get_by_role("button", name="Turn on reminders on this device")).to_have_count(0)
    panel.scroll_into_view_if_needed()
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    screenshot(page, f"push-settings-{state}-{size}-{scheme}")
    if state == "on":
        page.goto("/preferences")
        wait_until_settled(page)
        nested = page.locator(".push")
        expect(nested.locator("[data-push-state='on']")).to_be_visible()
        nested.scroll_into_view_if_needed()
        violations = axe_violations(page)
        assert not violations, format_violations(violations)
        screenshot(page, f"push-preferences-on-{size}-{scheme}")


def test_signing_out_turns_this_device_off_in_the_browser_too(new_page, push_server, push_service, api_as):
    api = api_as("rep2@demo.test")
    subscription = push_service.subscribe(api.get("/api/push/public-key").json()["public_key"])
    page = open_settings(new_page, push_server, "rep2@demo.test", subscription=subscription)
    section(page).get_by_role("button", name="Turn on reminders on this device").click()
    expect(section(page).locator("[data-push-state='on']")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('e2e-fake-push')") == "1"

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('e2e-fake-push')") is None  # unsubscribed in the browser
    assert api.get("/api/push/subscriptions").json() == []  # and the server forgot it
