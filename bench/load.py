"""Load benchmark: 500 reps and their managers at ten times a realistic peak (issue #8).

    .venv/bin/python bench/load.py                                  # SQLite, then PostgreSQL
    .venv/bin/python bench/load.py --engine sqlite                  # one server process
    .venv/bin/python bench/load.py --engine postgres --workers 2    # several server processes
    .venv/bin/python bench/load.py --engine sqlite --duration 20 --clients 2

A realistic peak, per rep per minute (Monday morning, everyone in the field at once):
0.5 sync pushes of 1-5 logs (a log every ~40 s across a team is already a lot), 0.5 pulls
(the app comes back to the foreground), 0.5 home screens (GET /api/weeks/current); per
manager per minute 0.2 team screens (GET /api/teams/{id}/review). This runs at --factor
(10) times that: with 504 reps and 84 managers about 126 + 2.8 requests per second.

Arrivals are open-loop: every rep's pushes, pulls and home screens and every manager's
team screens are Poisson processes at the target rate, drawn in advance; a request is
sent at its time whether the server has answered the previous ones or not, and its
latency runs from that scheduled time (no coordinated omission). A device's pushes go
one at a time like a phone's outbox: each push adds 1-5 fresh logs (new activity ids) to
the outbox and sends the outbox with gap-free per-device seqs; what the server did not
settle (an error, a timeout) is sent again with the next push. Pulls pass the cursor the
last pull returned.

It migrates a fresh database (SQLite in a temp DATA_DIR; on PostgreSQL a scratch database
bench_load_<pid> on --postgres-server, dropped afterwards), seeds --teams teams of
--reps-per-team reps and a manager (accounts through the service with the cheapest
argon2 cost; plans for --weeks weeks, this week's committed; about --logs activities per
rep; a device per rep) straight through the driver, starts `followthrough serve`, signs
everyone in, pulls each device's history once, runs --warmup seconds of load unmeasured
and then --duration seconds measured. It prints per request kind and overall: requests,
throughput, p50/p95/p99/max latency, errors with their status codes; the server's CPU and
the load generator's own CPU (when the generator nears a full core its figures say more
about the client than the server: use --clients 2). Figures, not a pass/fail test.
Targets: zero errors; p99 < 200 ms on SQLite, < 100 ms on PostgreSQL (2-core machine).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from datetime import time as wall
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
BIN = REPO / ".venv" / "bin" / "followthrough"
PASSWORD = "bench-password-1"
ZONES = ["Europe/Berlin", "Europe/London", "Europe/Warsaw", "America/New_York", "Europe/Madrid"]
OUTCOMES = ["next_step", "next_step", "follow_up", "no_interest", "proposal_requested", "won"]
ACCOUNTS = [f"{a} {b}" for a in ("Northwind", "Contoso", "Fabrikam", "Tailspin", "Wingtip", "Litware")
            for b in ("Traders", "Pharma", "Foods", "Logistics", "Hotels")]
MIX = {"call": 0.45, "visit": 0.10, "meeting": 0.15, "proposal": 0.05, "follow_up": 0.25}
# Per rep (or manager) per minute at a realistic peak; run at --factor times this.
PEAK_PER_MINUTE = {"push": 0.5, "pull": 0.5, "home": 0.5}
MANAGER_PEAK_PER_MINUTE = {"review": 0.2}
KINDS = ["push", "pull", "home", "review"]
LABELS = {"push": "push 1-5 logs  POST /api/sync/push", "pull": "pull           GET /api/sync/pull",
          "home": "home screen    GET /api/weeks/current", "review": "team screen    GET /api/teams/{id}/review"}
TIMEOUT_S = 10.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(url: str, data_dir: Path, port: int) -> dict:
    return {**os.environ, "DATA_DIR": str(data_dir), "DATABASE_URL": url, "PORT": str(port), "HOST": "127.0.0.1",
            "PUBLIC_URL": f"http://127.0.0.1:{port}", "SECRET_KEY": "bench", "ARGON2_TIME_COST": "1",
            "ARGON2_MEMORY_KIB": "1024", "LOGIN_ATTEMPTS_PER_MINUTE": "100000", "PICCOLO_CONF": "backend.piccolo_conf",
            "PYTHONPATH": str(REPO)}  # this checkout's backend, also from a git worktree sharing the .venv


def psql(server: str, sql: str) -> None:
    subprocess.run(["psql", f"{server.rstrip('/')}/postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql],
                   check=True, capture_output=True, timeout=120)


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its live children (uvicorn's workers), Linux /proc."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return total
    return total + sum(cpu_seconds(int(child)) for child in children)


# ----------------------------------------------------------------------------- seeding (child process)
async def seed(teams: int, per_team: int, weeks: int, logs: int, out: Path) -> dict:
    """Teams, managers, reps through the accounts service; plans, activities, devices and
    sync counters straight through the driver. Writes what the generators need to `out`."""
    import msgspec

    from backend.activities.tables import Activity, RepSyncState, SyncClient
    from backend.cli import _services
    from backend.core.db import close_pool, insert_rows, start_pool, write_transaction
    from backend.plans.tables import Plan, PlanRevision
    from shared_schemas import PlanTarget

    services = _services()
    await start_pool(services.engine)
    try:
        accounts, plans = services.accounts, services.plans
        now = datetime.now(UTC)
        plan_rows, activity_rows, devices, states, layout = [], [], [], [], []
        started = time.perf_counter()
        for t in range(teams):
            team = (await accounts.create_team(f"Load team {t:03d}", [])).id
            manager = await accounts.create_user(email=f"manager{t}@load.test", name=f"Manager {t}",
                                                 password=PASSWORD, role="manager", team_id=team,
                                                 time_zone="Europe/Berlin")
            type_ids = await plans.team_type_ids(team)
            reps = []
            for i in range(per_team):
                n = t * per_team + i
                zone = ZONES[n % len(ZONES)]
                email = f"rep{n}@load.test"
                user_id = await accounts.create_user(email=email, name=f"Rep {n:03d}", password=PASSWORD,
                                                     role="rep", team_id=team, time_zone=zone,
                                                     joined_at=now - timedelta(weeks=weeks + 1))
                r = random.Random(n)
                tz = ZoneInfo(zone)
                today = now.astimezone(tz).date()
                current = today - timedelta(days=today.weekday())
                per_week = logs / weeks
                rows = []
                for weeks_ago in range(weeks - 1, -1, -1):
                    monday = current - timedelta(weeks=weeks_ago)
                    targets = {k: max(1, round(per_week * share * r.uniform(0.8, 1.2))) for k, share in MIX.items()}
                    at = datetime.combine(monday, wall(8, r.randrange(60)), tzinfo=tz).astimezone(UTC)
                    plan_rows.append({
                        "user": user_id, "week_start": monday, "status": "committed", "version": 1,
                        "targets": msgspec.json.encode(sorted(
                            (PlanTarget(activity_type_id=type_ids[k], target=v) for k, v in targets.items()),
                            key=lambda x: x.activity_type_id)).decode(),
                        "commitments": msgspec.json.encode(["Book 2 demos with existing accounts"]).decode(),
                        "committed_at": at, "acknowledged_at": at + timedelta(hours=2) if weeks_ago else None,
                        "acknowledged_by": manager if weeks_ago else None, "created_at": at, "updated_at": at})
                    for key, share in MIX.items():
                        for _ in range(round(per_week * share * r.uniform(0.8, 1.2))):
                            day = monday + timedelta(days=r.randrange(5))
                            at = datetime.combine(day, wall(r.randint(8, 17), r.randrange(60)),
                                                  tzinfo=tz).astimezone(UTC)
                            if at > now - timedelta(minutes=5):
                                continue
                            outcome = r.choice(OUTCOMES)
                            rows.append({
                                "uid": str(uuid.UUID(int=r.getrandbits(128), version=4)), "user": user_id,
                                "activity_type": type_ids[key], "account_name": r.choice(ACCOUNTS),
                                "outcome": outcome, "quality": r.randint(1, 5), "note": None,
                                "next_step": "", "follow_up_on": None,
                                "deal_value": 5000.0 if outcome == "won" else None, "occurred_at": at,
                                "time_zone": zone, "local_date": day, "week_start": monday, "late": False,
                                "created_at": at + timedelta(minutes=2), "updated_at": at + timedelta(minutes=2),
                                "deleted_at": None})
                rows.sort(key=lambda row: row["updated_at"])
                for version, row in enumerate(rows, start=1):
                    row["version"] = version
                activity_rows += rows
                client_id = str(uuid.UUID(int=r.getrandbits(128), version=4))
                states.append({"user": user_id, "version": len(rows), "pruned_through": 0})
                last = rows[-1]["updated_at"] if rows else now
                devices.append({"client_id": client_id, "user": user_id, "last_seq": len(rows),
                                "last_push_at": last, "last_pull_at": last, "outbox_size": 0, "skew_seconds": 0,
                                "created_at": now - timedelta(weeks=weeks)})
                reps.append({"email": email, "client_id": client_id, "last_seq": len(rows), "zone": zone})
            layout.append({"team": team, "manager": f"manager{t}@load.test", "type_ids": sorted(type_ids.values()),
                           "reps": reps})
        accounts_seconds = time.perf_counter() - started
        started = time.perf_counter()
        async with write_transaction(services.engine):
            await insert_rows(Plan, plan_rows)
            committed = await Plan.select(Plan.id, Plan.user, Plan.targets, Plan.commitments, Plan.committed_at)
            await insert_rows(PlanRevision, [{
                "plan": p["id"], "version": 1, "targets": p["targets"], "commitments": p["commitments"],
                "reason": "Committed the plan", "author": p["user"], "created_at": p["committed_at"]}
                for p in committed])
            for i in range(0, len(activity_rows), 10_000):
                await insert_rows(Activity, activity_rows[i:i + 10_000])
            await insert_rows(RepSyncState, states)
            await insert_rows(SyncClient, devices)
        if services.engine.engine_type == "postgres":
            await services.engine.run_ddl("VACUUM ANALYZE")
        out.write_text(json.dumps(layout))
        return {"teams": teams, "reps": len(devices), "activities": len(activity_rows), "plans": len(plan_rows),
                "accounts_seconds": accounts_seconds, "insert_seconds": time.perf_counter() - started}
    finally:
        await close_pool(services.engine)


# ----------------------------------------------------------------------------- the generator (child process)
class HTTP:
    """A bare HTTP/1.1 keep-alive client: each person (a phone, a manager's browser) has its
    own connections, opened when needed and reused. httpx's shared pool was tried first: with
    hundreds of requests in flight its queue costs grow with their square and the generator,
    not the server, set the latencies."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port

    async def request(self, who, method: str, path: str, body: object = None) -> tuple[int, dict, bytes]:
        while who.idle:  # a kept-alive connection the server has closed since (uvicorn: 5 s idle) is retried
            try:
                return await self._exchange(who, who.idle.pop(), method, path, body)
            except (ConnectionError, asyncio.IncompleteReadError, EOFError):
                continue
        return await self._exchange(who, await asyncio.open_connection(self.host, self.port), method, path, body)

    async def _exchange(self, who, conn, method: str, path: str, body: object) -> tuple[int, dict, bytes]:
        import msgspec

        reader, writer = conn
        try:
            payload = b"" if body is None else msgspec.json.encode(body)
            head = (f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nX-Followthrough: 1\r\n"
                    f"Accept: application/json\r\n")
            if who.cookie:
                head += f"Cookie: {who.cookie}\r\n"
            if body is not None:
                head += f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
            writer.write(head.encode() + b"\r\n" + payload)
            line = await reader.readline()
            if not line:
                raise EOFError("the server closed the connection")
            status = int(line.split(b" ", 2)[1])
            headers: dict[str, str] = {}
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            if "content-length" in headers:
                data = await reader.readexactly(int(headers["content-length"]))
            elif headers.get("transfer-encoding") == "chunked":
                data = b""
                while size := int((await reader.readline()).strip(), 16):
                    data += await reader.readexactly(size)
                    await reader.readline()
                await reader.readline()
            else:
                data = b""
        except BaseException:
            writer.close()
            raise
        if headers.get("connection") == "close":
            writer.close()
        else:
            who.idle.append(conn)
        return status, headers, data


class Person:
    def __init__(self, email: str) -> None:
        self.email = email
        self.cookie = ""
        self.idle: list = []


class Device(Person):
    """One rep's phone: its session, outbox, next seq and pull cursor."""

    def __init__(self, rep: dict, type_ids: list[int]) -> None:
        super().__init__(rep["email"])
        self.client_id = rep["client_id"]
        self.zone = rep["zone"]
        self.next_seq = rep["last_seq"] + 1
        self.type_ids = type_ids
        self.outbox: list[dict] = []
        self.sending = asyncio.Lock()
        self.cursor = 0
        self.logged = 0

    def log(self, rng: random.Random, count: int) -> None:
        now = datetime.now(UTC)
        for _ in range(count):
            self.outbox.append({
                "mutation_id": str(uuid.uuid4()), "seq": self.next_seq, "kind": "activity.create",
                "entity_id": str(uuid.uuid4()),
                "payload": {"activity_type_id": rng.choice(self.type_ids), "account_name": rng.choice(ACCOUNTS),
                            "outcome": rng.choice(OUTCOMES), "quality": rng.randint(1, 5), "time_zone": self.zone,
                            "occurred_at": (now - timedelta(minutes=rng.randrange(1, 90))).isoformat()}})
            self.next_seq += 1
        self.logged += count

    def push_body(self) -> dict:
        return {"client_id": self.client_id, "sent_at": datetime.now(UTC).isoformat(),
                "mutations": self.outbox[:200], "outbox_size": len(self.outbox)}

    def pull_path(self) -> str:
        return f"/api/sync/pull?client_id={self.client_id}&cursor={self.cursor}"


class Manager(Person):
    def __init__(self, email: str, team: int) -> None:
        super().__init__(email)
        self.team = team


async def generate(args) -> None:
    """Sign in this shard's people, pull every device once, say "ready", wait for the start
    time on stdin, then run the schedule and print the samples as JSON."""
    import msgspec

    try:
        import uvloop  # the generator's own overhead matters: use the fast loop when present
        uvloop.install()
    except ImportError:
        pass
    layout = json.loads(Path(args.layout).read_text())
    rng = random.Random(1000 + args.shard)
    devices = [Device(rep, team["type_ids"]) for team in layout for rep in team["reps"]][args.shard::args.shards]
    managers = [Manager(team["manager"], team["team"]) for team in layout][args.shard::args.shards]
    host, port = args.base.split("//")[1].rsplit(":", 1)
    http = HTTP(host, int(port))
    gate = asyncio.Semaphore(16)

    async def sign_in(person: Person) -> None:
        async with gate:
            status, headers, data = await http.request(person, "POST", "/api/auth/login",
                                                       {"email": person.email, "password": PASSWORD})
            if status != 200:
                raise SystemExit(f"sign-in of {person.email} failed: {status} {data[:200]!r}")
            person.cookie = headers["set-cookie"].split(";", 1)[0]

    async def first_pull(device: Device) -> None:
        async with gate:
            while True:
                status, _, data = await http.request(device, "GET", device.pull_path())
                if status != 200:
                    raise SystemExit(f"pull failed: {status} {data[:200]!r}")
                body = msgspec.json.decode(data)
                device.cursor = body["cursor"]
                if not body["has_more"]:
                    return

    await asyncio.gather(*(sign_in(p) for p in [*devices, *managers]))
    await asyncio.gather(*(first_pull(d) for d in devices))

    # The schedule: (offset in seconds, kind, who), Poisson arrivals per person and kind.
    horizon = args.warmup + args.duration
    events: list[tuple[float, str, Person]] = []

    def arrivals(per_minute: float, kind: str, who: Person) -> None:
        rate = per_minute * args.factor / 60
        t = rng.expovariate(rate)
        while t < horizon:
            events.append((t, kind, who))
            t += rng.expovariate(rate)

    for device in devices:
        for kind, per_minute in PEAK_PER_MINUTE.items():
            arrivals(per_minute, kind, device)
    for manager in managers:
        arrivals(MANAGER_PEAK_PER_MINUTE["review"], "review", manager)
    events.sort(key=lambda e: e[0])

    print("ready", flush=True)
    start_at = float(sys.stdin.readline())  # wall-clock time, the same for every generator
    loop = asyncio.get_running_loop()
    start = loop.time() + (start_at - time.time())
    samples: list[tuple[str, float, str]] = []  # kind, seconds from the scheduled time, "200" or error
    lags: list[float] = []
    unsettled = {"rejected": 0, "gap": 0}

    def record(kind: str, offset: float, outcome: str) -> None:
        if offset >= args.warmup:
            samples.append((kind, loop.time() - (start + offset), outcome))

    async def call(kind: str, offset: float, who) -> None:
        if kind == "push":
            device: Device = who
            device.log(rng, rng.randint(1, 5))
            async with device.sending:  # a phone sends its outbox one batch at a time
                if not device.outbox:  # the previous push already carried these logs
                    record(kind, offset, "200")
                    return
                status, _, data = await http.request(device, "POST", "/api/sync/push", device.push_body())
                if status == 200:
                    results = msgspec.json.decode(data)["results"]
                    done = {x["seq"] for x in results if x["status"] in ("applied", "duplicate", "rejected")}
                    for x in results:
                        if x["status"] in unsettled:
                            unsettled[x["status"]] += 1
                    device.outbox = [m for m in device.outbox if m["seq"] not in done]
        elif kind == "pull":
            status, _, data = await http.request(who, "GET", who.pull_path())
            if status == 200:
                who.cursor = msgspec.json.decode(data)["cursor"]
        elif kind == "home":
            status, _, data = await http.request(who, "GET", "/api/weeks/current")
        else:
            status, _, data = await http.request(who, "GET", f"/api/teams/{who.team}/review")
        record(kind, offset, str(status))

    async def request(kind: str, offset: float, who) -> None:
        try:
            await asyncio.wait_for(call(kind, offset, who), TIMEOUT_S)
        except TimeoutError:
            record(kind, offset, "timeout")
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as error:
            record(kind, offset, type(error).__name__)

    tasks = set()
    cpu_start = None
    for offset, kind, who in events:
        if cpu_start is None and offset >= args.warmup:
            cpu_start = (time.process_time(), loop.time())
        delay = start + offset - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        if offset >= args.warmup:
            lags.append(loop.time() - (start + offset))
        task = asyncio.create_task(request(kind, offset, who))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    if tasks:
        await asyncio.wait(list(tasks))
    cpu_end = (time.process_time(), loop.time())
    # Logs left in outboxes (errors near the end) are sent once more, unmeasured, so that
    # the parent can check that every log was stored exactly once.
    async def flush(device: Device) -> None:
        async with gate:
            with contextlib.suppress(OSError, asyncio.IncompleteReadError, TimeoutError):
                await asyncio.wait_for(http.request(device, "POST", "/api/sync/push", device.push_body()), 60)

    await asyncio.gather(*(flush(d) for d in devices if d.outbox))
    print(json.dumps({"samples": samples, "lags": lags, "cpu": cpu_end[0] - cpu_start[0],
                      "wall": cpu_end[1] - cpu_start[1], "logged": sum(d.logged for d in devices),
                      "unsettled": unsettled, "left": sum(len(d.outbox) for d in devices)}), flush=True)


# ----------------------------------------------------------------------------- report
def ms(q: float) -> str:
    return f"{q * 1000:7.1f}"


def report(results: list[dict], duration: float, server_cpu: float, engine: str, target_p99: float) -> None:
    samples = [s for r in results for s in r["samples"]]
    header = f"{'':43} {'requests':>8} {'req/s':>7} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}  errors"
    print(header + "\n" + " " * 43 + " " * 26 + "(ms)")
    for kind in [*KINDS, "all"]:
        rows = [s for s in samples if kind in ("all", s[0])]
        if len(rows) < 2:
            continue
        latencies = sorted(s[1] for s in rows)
        q = statistics.quantiles(latencies, n=100, method="inclusive")
        errors: dict[str, int] = {}
        for _, _, outcome in rows:
            if not outcome.startswith("2"):
                errors[outcome] = errors.get(outcome, 0) + 1
        text = ", ".join(f"{n} x {code}" for code, n in sorted(errors.items())) or "0"
        label = LABELS.get(kind, "all requests")
        print(f"{label:43} {len(rows):8} {len(rows) / duration:7.1f} {ms(q[49])} {ms(q[94])} {ms(q[98])} "
              f"{ms(latencies[-1])}  {text}")
    lags = sorted(x for r in results for x in r["lags"])
    lq = statistics.quantiles(lags, n=100, method="inclusive")
    client_cpu = sum(r["cpu"] for r in results)
    wall_s = max(r["wall"] for r in results)
    worst = max(r["cpu"] / r["wall"] for r in results)
    print(f"server CPU {server_cpu:.1f} s in {duration:.0f} s ({server_cpu / duration:.0%} of one core, "
          f"{server_cpu / max(len(samples), 1) * 1000:.1f} ms per request; {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f}); load generator CPU {client_cpu:.1f} s in {wall_s:.0f} s over "
          f"{len(results)} process(es) (busiest {worst:.0%} of a core); dispatch lag p99 {lq[98] * 1000:.1f} ms"
          + ("  <- the generator is saturated: use --clients 2" if worst > 0.8 else ""))
    unsettled = {k: sum(r["unsettled"][k] for r in results) for k in ("rejected", "gap")}
    all_q = statistics.quantiles(sorted(s[1] for s in samples), n=100, method="inclusive")
    failed = sum(1 for s in samples if not s[2].startswith("2"))
    print(f"mutations answered rejected {unsettled['rejected']}, gap {unsettled['gap']}; "
          f"logs still in outboxes after the run {sum(r['left'] for r in results)}")
    verdict = "met" if failed == 0 and all_q[98] * 1000 < target_p99 else "NOT met"
    print(f"targets on {engine} (0 errors, p99 < {target_p99:.0f} ms): {verdict} "
          f"({failed} errors, p99 {all_q[98] * 1000:.1f} ms)")


# ----------------------------------------------------------------------------- one engine
def wait_healthy(base: str, server: subprocess.Popen) -> None:
    import httpx

    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit(f"the server exited: {server.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit("the server did not become healthy")


def count_activities(url: str) -> int:
    if url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(url.split(":///", 1)[1]) as db:
            return db.execute("SELECT count(*) FROM activities").fetchone()[0]
    out = subprocess.run(["psql", url, "-tAc", "SELECT count(*) FROM activities"], check=True,
                         capture_output=True, text=True)
    return int(out.stdout.strip())


def run_engine(engine: str, args) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="followthrough-load-bench-"))
    port = free_port()
    workers = 1 if engine == "sqlite" else args.workers
    if engine == "sqlite":
        url = f"sqlite:///{data_dir / 'bench.db'}"
    else:
        name = f"bench_load_{os.getpid()}"
        psql(args.postgres_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        psql(args.postgres_server, f'CREATE DATABASE "{name}"')
        url = f"{args.postgres_server.rstrip('/')}/{name}"
    env = environment(url, data_dir, port)
    server, generators = None, []
    layout = data_dir / "layout.json"
    try:
        subprocess.run([str(BIN), "migrate"], env=env, check=True, capture_output=True, cwd=REPO)
        seeded = subprocess.run([sys.executable, __file__, "--phase", "seed", "--teams", str(args.teams),
                                 "--reps-per-team", str(args.reps_per_team), "--weeks", str(args.weeks),
                                 "--logs", str(args.logs), "--layout", str(layout)],
                                env=env, check=True, capture_output=True, text=True, cwd=REPO)
        facts = json.loads(seeded.stdout.strip().splitlines()[-1])
        label = "SQLite" if engine == "sqlite" else "PostgreSQL"
        reps, managers = facts["reps"], facts["teams"]
        rate = reps * sum(PEAK_PER_MINUTE.values()) / 60 * args.factor + \
            managers * sum(MANAGER_PEAK_PER_MINUTE.values()) / 60 * args.factor
        print(f"== {label}, {workers} server process(es): {reps} reps and {managers} managers in {managers} teams, "
              f"{facts['activities']:,} activities, {facts['plans']:,} plans over {args.weeks} weeks "
              f"(seeded: accounts {facts['accounts_seconds']:.1f} s, rows {facts['insert_seconds']:.1f} s)")
        print(f"load: {args.factor:g} x a realistic peak = {rate:.1f} requests/s offered, Poisson arrivals, "
              f"{args.warmup:g} s warm-up then {args.duration:g} s measured; {args.clients} generator process(es)")

        server = subprocess.Popen([str(BIN), "serve", "--workers", str(workers), "--log-level", "warning"],
                                  env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base, server)
        before = count_activities(url)
        for shard in range(args.clients):
            generators.append(subprocess.Popen(
                [sys.executable, __file__, "--phase", "generate", "--base", base, "--layout", str(layout),
                 "--shard", str(shard), "--shards", str(args.clients), "--factor", str(args.factor),
                 "--warmup", str(args.warmup), "--duration", str(args.duration)],
                env=env, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
        for g in generators:
            line = g.stdout.readline()
            if line.strip() != "ready":
                raise SystemExit(f"a generator failed to start: {line}")
        start_at = time.time() + 0.5
        for g in generators:
            g.stdin.write(f"{start_at}\n")
            g.stdin.flush()
        time.sleep(max(0.0, start_at + args.warmup - time.time()))
        cpu0 = cpu_seconds(server.pid)
        time.sleep(max(0.0, start_at + args.warmup + args.duration - time.time()))
        server_cpu = cpu_seconds(server.pid) - cpu0
        results = []
        for g in generators:
            out, _ = g.communicate(timeout=900)
            results.append(json.loads(out.strip().splitlines()[-1]))
        generators = []
        report(results, args.duration, server_cpu, label, 200 if engine == "sqlite" else 100)
        logged = sum(r["logged"] for r in results)
        stored = count_activities(url) - before
        print(f"logs sent {logged}, new activities stored {stored}" + ("" if logged == stored else "  <- MISMATCH"))
    except subprocess.CalledProcessError as error:
        print(f"{error.cmd[:4]} failed:\n{error.stdout}\n{error.stderr}", file=sys.stderr)
        raise
    finally:
        for g in generators:
            g.kill()
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        if engine == "postgres":
            psql(args.postgres_server, f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
        shutil.rmtree(data_dir, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--workers", type=int, default=2, help="server processes on PostgreSQL (SQLite: 1)")
    parser.add_argument("--teams", type=int, default=84)
    parser.add_argument("--reps-per-team", type=int, default=6)
    parser.add_argument("--weeks", type=int, default=12, help="weeks of history (plans and activity)")
    parser.add_argument("--logs", type=int, default=300, help="activities per rep over --weeks")
    parser.add_argument("--factor", type=float, default=10, help="times a realistic peak")
    parser.add_argument("--warmup", type=float, default=10, help="seconds of load before measuring")
    parser.add_argument("--duration", type=float, default=60, help="seconds measured")
    parser.add_argument("--clients", type=int, default=1, help="load generator processes")
    parser.add_argument("--postgres-server", default="postgresql://postgres@127.0.0.1:5432",
                        help="a PostgreSQL server URL; a scratch database is created and dropped on it")
    parser.add_argument("--phase", choices=["seed", "generate"], help=argparse.SUPPRESS)
    parser.add_argument("--layout", help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    parser.add_argument("--shard", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--shards", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase == "seed":  # child processes: DATABASE_URL and friends are in the environment
        sys.path.insert(0, str(REPO))
        print(json.dumps(asyncio.run(seed(args.teams, args.reps_per_team, args.weeks, args.logs, Path(args.layout)))))
        return 0
    if args.phase == "generate":
        asyncio.run(generate(args))
        return 0
    for engine in (["sqlite", "postgres"] if args.engine == "both" else [args.engine]):
        run_engine(engine, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
