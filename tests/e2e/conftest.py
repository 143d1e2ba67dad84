"""Browser end-to-end set-up: the real back end on a temp SQLite database, and Debian's
chromium driven by Playwright's sync API. Nothing is downloaded.

The server runs as `followthrough migrate`, `followthrough demo`, `followthrough serve` in
a subprocess, exactly as a person would start it, and is always stopped at the end.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# E2E_DIST: a copy of the build to serve, so that a rebuild of frontend/dist meanwhile
# (another checkout's `npm run build`) cannot pull chunks from under a running test.
DIST = Path(os.environ.get("E2E_DIST") or REPO / "frontend" / "dist")
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "test-results" / "screenshots"

DEMO_PASSWORD = "demo-pass-2026"
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1024, "height": 768}
NARROW = {"width": 360, "height": 740}  # the smallest phones we design for
PORTRAIT = {"width": 768, "height": 1024}  # a tablet held upright
VIEWPORTS = {"phone": PHONE, "tablet": TABLET, "narrow": NARROW, "portrait": PORTRAIT}

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _followthrough() -> str:
    # E2E_FOLLOWTHROUGH runs the tests against another build of the command.
    if os.environ.get("E2E_FOLLOWTHROUGH"):
        return os.environ["E2E_FOLLOWTHROUGH"]
    for candidate in (Path(sys.executable).parent / "followthrough", REPO / ".venv/bin/followthrough"):
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("followthrough")
    if not found:
        pytest.skip("the `followthrough` command is not installed (run `make install`)")
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_health(base_url: str, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"followthrough serve exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base_url}/api/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise RuntimeError(f"followthrough serve did not become healthy in {timeout}s:\n{log.read_text()}")


@dataclass(frozen=True)
class Server:
    base_url: str
    log: Path


def _check_static_serving(base_url: str) -> None:
    """The PWA only starts if the shell is served with real media types (nosniff is on)."""
    expected = {"/": "text/html", "/sw.js": "javascript", "/manifest.webmanifest": "manifest+json"}
    wrong = []
    for path, media in expected.items():
        with urllib.request.urlopen(f"{base_url}{path}", timeout=5) as answer:
            content_type = answer.headers.get("Content-Type", "")
        if media not in content_type:
            wrong.append(f"{path} is served as {content_type!r}, expected {media!r}")
    if wrong:
        pytest.fail("The back end serves the PWA with wrong media types: " + "; ".join(wrong))


def _require_browser_and_dist() -> None:
    if not (DIST / "index.html").is_file():
        pytest.skip(f"{DIST} is not built: run `npm run build` first")
    if shutil.which("chromium") is None:
        pytest.skip("Debian's chromium is not installed (`apt-get install chromium`)")


def _database_for(tmp: Path) -> str:
    """SQLite in the server's temp dir; or, with E2E_POSTGRES_URL (a server URL such as
    postgresql://postgres@127.0.0.1:5432), a scratch PostgreSQL database of its own."""
    server_url = os.environ.get("E2E_POSTGRES_URL")
    if not server_url:
        return f"sqlite:///{tmp / 'e2e.db'}"
    name = f"ft_e2e_{uuid.uuid4().hex[:12]}"
    _psql(server_url, f'CREATE DATABASE "{name}"')
    return f"{server_url.rstrip('/')}/{name}"


def _drop_database(url: str) -> None:
    if url.startswith("postgres"):
        server_url, name = url.rsplit("/", 1)
        _psql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _psql(server_url: str, sql: str) -> None:
    # psql, not asyncpg: fixtures may run while Playwright's event loop owns this thread.
    subprocess.run(["psql", f"{server_url.rstrip('/')}/postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql],
                   check=True, capture_output=True, timeout=60)


def _server_env(tmp: Path, port: int, dist: Path, database_url: str) -> dict[str, str]:
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DATA_DIR": str(tmp),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "FRONTEND_DIST": str(dist),
        # The unit-test conftest exports its own PUBLIC_URL; invite links and the CSRF
        # Origin check must name this server.
        "PUBLIC_URL": base_url,
        # Every test signs in several times from the same address.
        "LOGIN_ATTEMPTS_PER_MINUTE": "10000",
    }
    env.pop("COOKIE_SECURE", None)
    return env


@contextmanager
def running_server(dist: Path, extra_env: dict[str, str] | None = None) -> Iterator[Server]:
    """migrate + demo + serve on a fresh temp SQLite database; always stopped at the end.
    `extra_env` adds settings (e.g. PUSH_TEST_ORIGINS for a local push service)."""
    command = _followthrough()
    tmp = Path(tempfile.mkdtemp(prefix="followthrough-e2e-"))
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    database_url = _database_for(tmp)
    env = {**_server_env(tmp, port, dist, database_url), **(extra_env or {})}
    log = tmp / "serve.log"
    proc = None
    try:
        for step in (["migrate"], ["demo"]):
            subprocess.run([command, *step], env=env, cwd=tmp, check=True, capture_output=True, timeout=120)
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [command, "serve"], env=env, cwd=tmp, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        _wait_for_health(base_url, proc, log)
        _check_static_serving(base_url)
        yield Server(base_url=base_url, log=log)
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        _drop_database(database_url)
        shutil.rmtree(tmp, ignore_errors=True)


class RestartableServer:
    """A server of its own (fresh database) that a test may stop and start again on the
    same port and database, e.g. to kill it in the middle of a sync."""

    def __init__(self, dist: Path) -> None:
        self.command = _followthrough()
        self.tmp = Path(tempfile.mkdtemp(prefix="followthrough-e2e-restart-"))
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.database_url = _database_for(self.tmp)
        self.env = _server_env(self.tmp, self.port, dist, self.database_url)
        self.log = self.tmp / "serve.log"
        self.proc: subprocess.Popen | None = None
        for step in (["migrate"], ["demo"]):
            subprocess.run([self.command, *step], env=self.env, cwd=self.tmp, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [self.command, "serve"], env=self.env, cwd=self.tmp, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _wait_for_health(self.base_url, self.proc, self.log)

    def kill(self) -> None:
        """SIGKILL: no graceful shutdown, like a crash or a pulled plug."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)  # its own session: the server and any child
            self.proc.wait(timeout=10)
        self.proc = None

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None
        _drop_database(self.database_url)
        shutil.rmtree(self.tmp, ignore_errors=True)


@pytest.fixture
def restartable_server(server) -> Iterator[RestartableServer]:  # server first: same skips
    running = RestartableServer(DIST)
    try:
        running.start()
        yield running
    finally:
        running.close()


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    _require_browser_and_dist()
    with running_server(DIST) as running:
        yield running


@pytest.fixture(scope="session")
def browser(server):  # server first: it skips cleanly when chromium or dist is missing
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class CspWatcher:
    """Collects Content-Security-Policy violations reported on the console."""

    def __init__(self) -> None:
        self.violations: list[str] = []

    def __call__(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(message.text)


@pytest.fixture
def new_page(browser, server) -> Iterator[Callable[..., object]]:
    """new_page(viewport="phone"|"tablet"|"narrow"|"portrait", color_scheme="light"|"dark", bypass_csp=False, base_url=None)

    Each call opens a fresh context (its own cookies, IndexedDB and service worker).
    Unless bypass_csp is set (only for injecting axe), a CSP violation fails the test.
    """
    contexts = []
    watchers: list[CspWatcher] = []

    def open_page(
        viewport: str = "phone", color_scheme: str = "light", bypass_csp: bool = False, base_url: str | None = None
    ):
        context = browser.new_context(
            viewport=VIEWPORTS[viewport],
            color_scheme=color_scheme,
            base_url=base_url or server.base_url,
            bypass_csp=bypass_csp,
            service_workers="allow",
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        if not bypass_csp:
            watcher = CspWatcher()
            page.on("console", watcher)
            watchers.append(watcher)
        return page

    yield open_page
    for context in contexts:
        context.close()
    violations = [v for watcher in watchers for v in watcher.violations]
    assert not violations, f"CSP violations: {violations}"


def sign_in(page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.locator("nav[aria-label='Main']").wait_for()


def wait_until_settled(page) -> None:
    """The screen has its heading and nothing is loading any more."""
    from playwright.sync_api import expect

    page.locator("h1").first.wait_for()
    expect(page.locator(".loading")).to_have_count(0)


def wait_for_js(page, expression: str, timeout: float = 20) -> None:
    """Poll a JS expression from Python. (page.wait_for_function polls with eval, which the
    app's CSP forbids.)"""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for: {expression}")
        time.sleep(0.1)


def wait_for_service_worker(page) -> None:
    """The service worker has installed (precached the shell) and controls the page."""
    wait_for_js(page, "navigator.serviceWorker.controller !== null")


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core in the page; returns the violations of the given impacts."""
    page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate(
        """async () => {
            const result = await axe.run(document, { resultTypes: ['violations'] });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '')),
            }));
        }"""
    )
    return [v for v in results if v["impact"] in impacts]


def format_violations(violations: list[dict]) -> str:
    return json.dumps(violations, indent=2)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def demo_team_id(page) -> int:
    teams = page.request.get("/api/teams").json()
    return next(team["id"] for team in teams if team["name"] == "Demo team")


def create_invite(page, *, email: str, name: str, role: str = "rep", team_id: int | None = None) -> str:
    """Create an invitation through the API with the page's (signed-in) cookies."""
    if team_id is None and role == "rep":
        team_id = demo_team_id(page)
    answer = page.request.post(
        "/api/invites",
        data={"email": email, "name": name, "role": role, "team_id": team_id},
        headers={"X-Followthrough": "1"},
    )
    assert answer.status == 201, answer.text()
    return answer.json()["invite_url"]
