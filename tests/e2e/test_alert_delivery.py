"""A manager's alert delivered through a real local push service (web-push-testing) at the
chosen local time, exactly once, with TWO `followthrough serve` processes (each running
the scheduler) on one PostgreSQL database.

No browser. Marked `db`: it runs in CI's PostgreSQL pass (TEST_DATABASE_URL, whose server
gets a scratch database of its own) or with E2E_POSTGRES_URL=postgresql://user@host:5432;
skipped otherwise. It waits for a real minute to come, as the scheduler does.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.e2e.conftest import (
    DEMO_PASSWORD,
    DIST,
    _followthrough,
    _free_port,
    _psql,
    _server_env,
    _wait_for_health,
)
from tests.e2e.test_durability import _postgres_server_url
from tests.e2e.test_push import WPT_SERVER, PushService, wait_for_messages

pytestmark = pytest.mark.db
CSRF = {"X-Followthrough": "1"}


@pytest.fixture
def local_push_service():
    if not WPT_SERVER.is_file() or shutil.which("node") is None:
        pytest.skip("web-push-testing (npm) and node are needed")
    port = _free_port()
    proc = subprocess.Popen(["node", str(WPT_SERVER), str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    service = PushService(port)
    deadline = time.monotonic() + 20
    while True:
        try:
            service.post("/status")
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise
            time.sleep(0.2)
    yield service
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def two_servers(local_push_service):
    """migrate + demo once, then two `serve` processes on one scratch PostgreSQL database."""
    server_url = _postgres_server_url()
    if not server_url:
        pytest.skip("needs PostgreSQL: TEST_DATABASE_URL or E2E_POSTGRES_URL")
    command = _followthrough()
    tmp = Path(tempfile.mkdtemp(prefix="followthrough-alerts-"))
    name = f"ft_alerts_{uuid.uuid4().hex[:12]}"
    _psql(server_url, f'CREATE DATABASE "{name}"')
    database_url = f"{server_url.rstrip('/')}/{name}"
    origins = f"http://localhost:{local_push_service.port},http://127.0.0.1:{local_push_service.port}"
    procs: list[subprocess.Popen] = []
    try:
        env = {**_server_env(tmp, _free_port(), DIST, database_url), "PUSH_TEST_ORIGINS": origins}
        env.pop("TEST_DATABASE_URL", None)
        for step in (["migrate"], ["demo"]):
            subprocess.run([command, *step], env=env, cwd=tmp, check=True, capture_output=True, timeout=180)
        urls = []
        for i in range(2):
            port = _free_port()
            # One DATA_DIR: both processes share the secret key (sessions) and the VAPID keys.
            process_env = {**env, "PORT": str(port), "PUBLIC_URL": f"http://127.0.0.1:{port}"}
            log = tmp / f"serve-{i}.log"
            with log.open("wb") as out:
                procs.append(subprocess.Popen([command, "serve"], env=process_env, cwd=tmp, stdout=out,
                                              stderr=subprocess.STDOUT, start_new_session=True))
            _wait_for_health(f"http://127.0.0.1:{port}", procs[-1], log)
            urls.append(f"http://127.0.0.1:{port}")
        yield urls, database_url
    finally:
        for proc in procs:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        _psql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)


def _query(database_url: str, sql: str) -> list[str]:
    out = subprocess.run(["psql", database_url, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql], check=True,
                         capture_output=True, text=True, timeout=60).stdout
    return [line for line in out.splitlines() if line]


def test_the_pace_check_arrives_once_at_the_chosen_local_time_with_two_server_processes(
        two_servers, local_push_service):
    (first, second), database_url = two_servers
    with httpx.Client(base_url=first, headers=CSRF, timeout=10) as api:
        assert api.post("/api/auth/login", json={"email": "manager@demo.test", "password": DEMO_PASSWORD}).is_success
        zone = ZoneInfo(api.get("/api/me").json()["time_zone"])
        key = api.get("/api/push/public-key").json()["public_key"]
        subscription = local_push_service.subscribe(key)
        device = api.post("/api/push/subscriptions", json={
            "endpoint": subscription["endpoint"], "keys": subscription["keys"], "user_agent": "manager tablet"})
        assert device.is_success, device.text
        # The pace check alone, at the next whole minute (the one after, if this one is about to end).
        now = datetime.now(zone)
        target = (now + timedelta(minutes=1)).replace(second=0, microsecond=0)
        if (target - now).total_seconds() < 10:
            target += timedelta(minutes=1)
        saved = api.put("/api/me/alert-settings", json={
            "pace": True, "pace_weekday": target.weekday(), "pace_time": target.strftime("%H:%M"),
            "plans": False, "reflections": False, "help": False, "commitments": False,
            "digest_days": [], "digest_time": "13:00"})
        assert saved.is_success, saved.text
        # The review's diagnosis the alert must repeat (read now; the demo's story holds all day).
        review = api.get("/api/teams/1/review").json()
        behind = [r["name"] for r in review["rows"]
                  if r["attention"] == "talk" or any(s["kind"] == "behind_pace" for s in r["signals"])]

    wait = (target - datetime.now(zone)).total_seconds() + 30
    messages = wait_for_messages(local_push_service, subscription["clientHash"], 1, timeout=wait)
    arrived = datetime.now(zone)
    assert len(messages) == 1, f"no alert within {wait:.0f}s"
    assert target <= arrived <= target + timedelta(seconds=30), (target, arrived)
    message = messages[0]
    assert message["tag"] == "alert-pace" and message["url"] == "/alerts"
    assert message["title"].startswith(f"Behind by {target:%A} {target:%H:%M}: ")
    assert behind and behind[0] in message["body"]

    # Both processes ticked through that minute and more: still exactly one push, one inbox row.
    time.sleep(65)
    assert len(local_push_service.messages(subscription["clientHash"])) == 1
    assert _query(database_url, "SELECT count(*) FROM manager_alerts WHERE kind = 'pace'") == ["1"]
    assert _query(database_url, "SELECT status FROM reminder_sends WHERE kind = 'alert_pace'") == ["sent"]
    with httpx.Client(base_url=second, headers=CSRF, timeout=10) as api:  # the other process's answer
        assert api.post("/api/auth/login", json={"email": "manager@demo.test", "password": DEMO_PASSWORD}).is_success
        inbox = api.get("/api/me/alerts").json()
        assert inbox["unread"] == 1 and [a["kind"] for a in inbox["alerts"]] == ["pace"]
        assert [r["name"] for r in inbox["alerts"][0]["reps"]] == behind
