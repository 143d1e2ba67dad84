"""Durability: a real `followthrough serve` is SIGKILLed twice while eight devices push
their outboxes, and restarted on the same database. Every mutation the server
acknowledged survives, exactly once; nothing is doubled; seqs continue; the database is
intact.

No browser: the devices are threads with httpx doing what the PWA's outbox does (keep
every mutation until a terminal answer, resend the rest). Runs on SQLite (a temp file) and,
when a PostgreSQL server is at hand, on a scratch PostgreSQL database:
  - TEST_DATABASE_URL=postgresql://…/db  (CI's `-m db` pass; the SQLite variant then skips),
  - or E2E_POSTGRES_URL=postgresql://user@host:5432 (a server URL, as in the browser tests).
Marked `db`, so CI's PostgreSQL pass picks it up. DURABILITY_SEED=<n> replays a run's
kill timing and mutation mix.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

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

pytestmark = pytest.mark.db

REPS = [f"rep{i}@demo.test" for i in range(1, 7)]
DEVICES = REPS + ["rep1@demo.test", "rep2@demo.test"]  # two reps with a second phone: 8 devices
KILLS = 2
TERMINAL = {"applied", "duplicate", "rejected"}


def _postgres_server_url() -> str | None:
    test_url = os.environ.get("TEST_DATABASE_URL", "")
    if test_url.startswith("postgres"):
        return test_url.rsplit("/", 1)[0]
    return os.environ.get("E2E_POSTGRES_URL") or None


# ---------------------------------------------------------------------------- the server


class CrashableServer:
    """migrate + demo once, then `serve` started, SIGKILLed and restarted on one database."""

    def __init__(self, engine: str) -> None:
        self.command = _followthrough()
        self.tmp = Path(tempfile.mkdtemp(prefix="followthrough-durability-"))
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.pg_server: str | None = None
        if engine == "postgresql":
            self.pg_server = _postgres_server_url()
            self.db_name = f"ft_durability_{uuid.uuid4().hex[:12]}"
            _psql(self.pg_server, f'CREATE DATABASE "{self.db_name}"')
            self.database_url = f"{self.pg_server.rstrip('/')}/{self.db_name}"
        else:
            self.database_url = f"sqlite:///{self.tmp / 'durability.db'}"
        self.env = _server_env(self.tmp, self.port, DIST, self.database_url)
        self.env.pop("TEST_DATABASE_URL", None)
        self.log = self.tmp / "serve.log"
        self.proc: subprocess.Popen | None = None
        for step in (["migrate"], ["demo"]):
            subprocess.run([self.command, *step], env=self.env, cwd=self.tmp, check=True, capture_output=True,
                           timeout=120)

    @property
    def sqlite_file(self) -> Path:
        return self.tmp / "durability.db"

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen([self.command, "serve"], env=self.env, cwd=self.tmp, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        _wait_for_health(self.base_url, self.proc, self.log)

    def kill(self) -> None:
        """SIGKILL the server's process group: no shutdown, like a crash or a pulled plug."""
        assert self.proc is not None and self.proc.poll() is None, "the server died on its own"
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.proc = None

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.proc = None
        if self.pg_server:
            _psql(self.pg_server, f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
        shutil.rmtree(self.tmp, ignore_errors=True)

    def query(self, sql: str) -> list[tuple[str, ...]]:
        """Rows as tuples of strings, straight from the database (not through the app)."""
        if self.pg_server:
            out = subprocess.run(["psql", self.database_url, "-v", "ON_ERROR_STOP=1", "-AtF", "\t", "-c", sql],
                                 check=True, capture_output=True, text=True, timeout=60).stdout
            return [tuple(line.split("\t")) for line in out.splitlines() if line]
        with sqlite3.connect(self.sqlite_file) as connection:
            return [tuple("" if v is None else str(v) for v in row) for row in connection.execute(sql).fetchall()]


# ---------------------------------------------------------------------------- a device


class Device(threading.Thread):
    """A phone with an outbox: mutations stay until a terminal answer for their seq."""

    def __init__(self, name: str, email: str, base_url: str, rng: random.Random, stop: threading.Event) -> None:
        super().__init__(name=name, daemon=True)
        self.email = email
        self.client_id = str(uuid.uuid4())
        self.http = httpx.Client(base_url=base_url, headers={"X-Followthrough": "1"}, timeout=5)
        self.rng = rng
        self.stop_making = stop
        self.seq = 0
        self.outbox: list[dict] = []
        self.made: list[dict] = []  # every mutation, in seq order
        self.live: list[str] = []  # entities this device created and has not deleted (its own view)
        self.answers: dict[int, list[dict]] = defaultdict(list)  # seq -> every 200 answer for it
        self.lock = threading.Lock()
        self.unexpected: list[str] = []
        self.types: list[int] = []
        self.pushes = 0
        self.cut = 0  # pushes whose answer was lost mid-flight (the kill hit them)

    def sign_in(self) -> None:
        response = self.http.post("/api/auth/login", json={"email": self.email, "password": DEMO_PASSWORD})
        assert response.status_code == 200, response.text
        team = response.json()["team"]["id"]
        self.types = [t["id"] for t in self.http.get(f"/api/teams/{team}/activity-types").json() if t["active"]]

    def acknowledged_max(self) -> int:
        with self.lock:
            return max((seq for seq, answers in self.answers.items()
                        if any(a["status"] in TERMINAL for a in answers)), default=0)

    def _make(self) -> None:
        for _ in range(self.rng.randint(1, 6)):
            self.seq += 1
            roll = self.rng.random()
            if roll < 0.2 and self.live:
                kind, entity = "activity.update", self.rng.choice(self.live)
            elif roll < 0.3 and self.live:
                kind, entity = "activity.delete", self.live.pop(self.rng.randrange(len(self.live)))
            else:
                kind, entity = "activity.create", str(uuid.uuid4())
                self.live.append(entity)
            payload = None
            if kind != "activity.delete":
                occurred = datetime.now(UTC) - timedelta(minutes=self.rng.randint(1, 3000))
                payload = {"activity_type_id": self.rng.choice(self.types), "account_name": f"{self.name}#{self.seq}",
                           "outcome": "next_step", "quality": self.rng.randint(1, 5),
                           "occurred_at": occurred.isoformat(), "time_zone": "Europe/Berlin"}
            mutation = {"mutation_id": str(uuid.uuid4()), "seq": self.seq, "kind": kind, "entity_id": entity,
                        "payload": payload}
            self.outbox.append(mutation)
            self.made.append(mutation)

    def run(self) -> None:
        while self.outbox or not self.stop_making.is_set():
            if not self.stop_making.is_set() and len(self.outbox) < 60:
                self._make()
            batch = self.outbox[:200]
            body = {"client_id": self.client_id, "sent_at": datetime.now(UTC).isoformat(),
                    "outbox_size": len(self.outbox), "mutations": batch}
            try:
                response = self.http.post("/api/sync/push", json=body)
            except httpx.TransportError as error:  # the server is down or died mid-request
                self.cut += not isinstance(error, httpx.ConnectError)
                time.sleep(0.1)
                continue
            self.pushes += 1
            if response.status_code == 503:
                time.sleep(min(float(response.headers.get("retry-after", "1")), 0.5))
                continue
            if response.status_code != 200:
                self.unexpected.append(f"{response.status_code} {response.text[:300]}")
                time.sleep(0.2)
                continue
            by_seq = {m["seq"]: m for m in batch}
            done = set()
            with self.lock:
                for result in response.json()["results"]:
                    mutation = by_seq.get(result["seq"])
                    if mutation is None or mutation["mutation_id"] != result["mutation_id"]:
                        self.unexpected.append(f"answer for a mutation not sent: {result}")
                        continue
                    self.answers[result["seq"]].append(result)
                    if result["status"] in TERMINAL:
                        done.add(result["seq"])
            self.outbox = [m for m in self.outbox if m["seq"] not in done]
            time.sleep(self.rng.uniform(0, 0.05))

    def pull_everything(self) -> tuple[dict[str, dict], int]:
        seen: dict[str, dict] = {}
        cursor, last_applied = 0, -1
        while True:
            response = self.http.get(f"/api/sync/pull?client_id={self.client_id}&cursor={cursor}&limit=500")
            assert response.status_code == 200, response.text
            page = response.json()
            for change in page["changes"]:
                seen[change["id"]] = change
            cursor, last_applied = page["cursor"], page["last_applied_seq"]
            if not page["has_more"]:
                return seen, last_applied


ACTIVITY_ROWS = ("SELECT u.email, a.uid, a.account_name, a.deleted_at IS NOT NULL FROM activities a "
                 "JOIN users u ON u.id = a.user")


def stored_state(server: CrashableServer) -> dict[str, dict[str, str | None]]:
    """Per rep email: entity id -> account_name, or None for a deleted one (tombstone)."""
    state: dict[str, dict[str, str | None]] = defaultdict(dict)
    for email, uid, account, deleted in server.query(ACTIVITY_ROWS):
        state[email][uid] = None if deleted in ("1", "t", "True") else account
    return state


def expected_state(baseline: dict[str, dict[str, str | None]], devices: list[Device]) -> dict[str, dict[str, str | None]]:
    """The demo's activities, then every device's mutations in seq order (last write wins)."""
    state: dict[str, dict[str, str | None]] = defaultdict(dict, {e: dict(s) for e, s in baseline.items()})
    for device in devices:
        for mutation in device.made:
            entities = state[device.email]
            entities[mutation["entity_id"]] = None if mutation["payload"] is None else mutation["payload"]["account_name"]
    return state


# ---------------------------------------------------------------------------- the test


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_acknowledged_mutations_survive_two_sigkills_exactly_once(engine):
    if engine == "sqlite" and os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"):
        pytest.skip("this pass is for PostgreSQL (TEST_DATABASE_URL); the SQLite variant runs in the default pass")
    if engine == "postgresql":
        if not _postgres_server_url():
            pytest.skip("no PostgreSQL server: set E2E_POSTGRES_URL or TEST_DATABASE_URL=postgresql://…")
        if shutil.which("psql") is None:
            pytest.skip("psql is not installed")

    seed = int(os.environ.get("DURABILITY_SEED") or time.time_ns() % 1_000_000)
    rng = random.Random(seed)
    note = f"(DURABILITY_SEED={seed})"
    started = time.monotonic()
    server = CrashableServer(engine)
    stop = threading.Event()
    devices: list[Device] = []
    try:
        baseline = stored_state(server)  # the demo team's own activities
        server.start()
        devices = [Device(f"d{i}", email, server.base_url, random.Random(rng.random()), stop)
                   for i, email in enumerate(DEVICES)]
        for device in devices:
            device.sign_in()
            device.start()

        for kill in range(KILLS):
            time.sleep(rng.uniform(1.0, 3.0))
            server.kill()
            acknowledged = {d.name: d.acknowledged_max() for d in devices}  # nothing more can be answered
            if engine == "sqlite":
                assert server.query("PRAGMA integrity_check") == [("ok",)], f"after kill {kill + 1} {note}"
            time.sleep(rng.uniform(0.1, 1.0))  # devices keep trying against a dead server
            server.start()
            for device in devices:  # what was acknowledged before the crash is still there
                _, last_applied = device.pull_everything()
                assert last_applied >= acknowledged[device.name], (
                    f"{device.name} had seq {acknowledged[device.name]} acknowledged before kill {kill + 1}, "
                    f"the restarted server reports last_applied_seq {last_applied} {note}")

        time.sleep(rng.uniform(1.0, 2.0))
        stop.set()
        for device in devices:
            device.join(timeout=30)
        stuck = {d.name: len(d.outbox) for d in devices if d.is_alive() or d.outbox}
        assert stuck == {}, f"outboxes that never drained (seq gaps after a crash?): {stuck} {note}"

        # -- every answer was sound
        problems = [f"{d.name}: {u}" for d in devices for u in d.unexpected]
        for device in devices:
            for seq in range(1, device.seq + 1):
                answers = device.answers.get(seq, [])
                terminal = [a for a in answers if a["status"] in TERMINAL]
                if not terminal:
                    problems.append(f"{device.name} seq {seq}: no terminal answer ({answers})")
                if any(a["status"] == "rejected" for a in answers):
                    problems.append(f"{device.name} seq {seq}: rejected {answers}")
                if sum(a["status"] == "applied" for a in answers) > 1:
                    problems.append(f"{device.name} seq {seq}: applied twice {answers}")
                for a in answers:
                    if a["status"] == "duplicate" and a.get("first_status") != "applied":
                        problems.append(f"{device.name} seq {seq}: duplicate of {a.get('first_status')}")
        assert problems == [], "\n".join(problems[:30]) + f"\n{note}"

        # -- the API: each device pulls exactly what its rep's devices wrote, once
        expected = expected_state(baseline, devices)
        for device in devices:
            seen, last_applied = device.pull_everything()
            assert last_applied == device.seq, f"{device.name}: seqs do not continue {note}"
            live = {eid: c["account_name"] for eid, c in seen.items() if not c["deleted"]}
            want = {eid: name for eid, name in expected[device.email].items() if name is not None}
            assert live == want, f"{device.name}: pulled state differs {note}"

        # -- the database itself
        assert server.query("SELECT uid FROM activities GROUP BY uid HAVING count(*) > 1") == []
        stored = stored_state(server)
        assert {e: s for e, s in stored.items() if s} == {e: s for e, s in expected.items() if s}, note
        for email in REPS:  # each change has its own version: pull cursors never skip or repeat
            (count, distinct, top), = server.query(
                "SELECT count(*), count(DISTINCT a.version), coalesce(max(a.version), 0) FROM activities a "
                f"JOIN users u ON u.id = a.user WHERE u.email = '{email}'")
            assert count == distinct, f"{email}: two activities share a version {note}"
            (counter,), = server.query(
                f"SELECT s.version FROM rep_sync_state s JOIN users u ON u.id = s.user WHERE u.email = '{email}'")
            assert int(counter) >= int(top), f"{email}: the change counter went back {note}"
        for device in devices:
            (last_seq, receipts), = server.query(
                "SELECT c.last_seq, count(m.id) FROM sync_clients c LEFT JOIN sync_mutations m ON m.client = c.id "
                f"WHERE c.client_id = '{device.client_id}' GROUP BY c.id, c.last_seq")
            assert int(last_seq) == device.seq, f"{device.name}: last_seq {last_seq} != {device.seq} {note}"
            # Receipts of their own are for rejections, and nothing here is ever rejected.
            assert int(receipts) == 0, f"{device.name}: {receipts} receipts of rejections {note}"
            # The pushes' runs name every seq's change once: no seq twice, none missing.
            (covered, low, high), = server.query(
                "SELECT coalesce(sum(b.last_seq - b.first_seq + 1), 0), coalesce(min(b.first_seq), 0), "
                "coalesce(max(b.last_seq), 0) FROM sync_batches b JOIN sync_clients c ON c.id = b.client "
                f"WHERE c.client_id = '{device.client_id}'")
            assert (int(covered), int(low), int(high)) == (device.seq, 1, device.seq), (
                f"{device.name}: runs cover {covered} seqs {low}..{high} {note}")
        if engine == "sqlite":
            server.proc.terminate()
            server.proc.wait(timeout=10)
            server.proc = None
            assert server.query("PRAGMA integrity_check") == [("ok",)], note
            assert server.query("PRAGMA foreign_key_check") == [], note

        log = server.log.read_text(errors="replace")
        assert "Traceback" not in log, log[-3000:]
        total = sum(d.seq for d in devices)
        assert total >= 100, f"too little traffic to mean anything: {total} mutations {note}"
        duplicates = sum(a["status"] == "duplicate" for d in devices for answers in d.answers.values() for a in answers)
        print(f"\n{engine}: {total} mutations from {len(devices)} devices, {sum(d.pushes for d in devices)} pushes, "
              f"{KILLS} kills cutting {sum(d.cut for d in devices)} pushes mid-flight, {duplicates} duplicate answers, "
              f"{time.monotonic() - started:.1f}s {note}")
    finally:
        stop.set()
        for device in devices:
            device.outbox.clear()  # let the threads end whatever happened
        for device in devices:
            device.join(timeout=10)
            device.http.close()
        server.close()
