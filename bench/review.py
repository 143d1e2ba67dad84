"""Manager review benchmark: a team of 50 reps with a year of activity (issue #6).

    .venv/bin/python bench/review.py                          # SQLite and PostgreSQL
    .venv/bin/python bench/review.py --engine sqlite --reps 50 --logs 250000 --requests 200
    .venv/bin/python bench/review.py --engine postgres --postgres-server postgresql://postgres@127.0.0.1:5432

For each engine it migrates a fresh database (SQLite in a temp DATA_DIR; on PostgreSQL a
scratch database bench_review_<pid>, dropped afterwards), seeds one team straight through
the driver (a manager, the reps in several zones, a plan per rep and week, about --logs
activities over the past 52 weeks with each rep's own volume, types, qualities and
outcomes, a device per rep, sync counters), starts `followthrough serve` and, signed in as
the manager, times --requests team screens (GET /api/teams/{id}/review) and --requests
drill-downs over random reps (GET /api/reps/{id}/review), one after another after a
warm-up. The baseline, in the same run on the same database: one hand-written SQL
aggregate of the numbers the team screen needs (per rep, week and activity type over the
weeks the screen looks at: total, qualifying and won), timed as often; the ratio is
API p95 / baseline p95. The API's numbers for the reviewed week are checked against the
baseline's. --profile then runs the same service calls in-process and prints where the
time goes (SQL per query vs Python, the top functions, the plan of the largest query).
Figures, not a pass/fail test. Targets: p95 < 100 ms, within 2x of the hand-written query.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from datetime import time as wall
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

REPO = Path(__file__).resolve().parent.parent
BIN = REPO / ".venv" / "bin" / "followthrough"
PASSWORD = "bench-password-1"
MANAGER = "manager@bench.test"
MANAGER_ZONE = "Europe/Berlin"
WEEKS = 52
SCREEN_WEEKS = 12  # the team screen reads max(TREND_WEEKS, recent + baseline + 1) weeks
ZONES = ["Europe/Berlin", "Europe/London", "Europe/Warsaw", "America/New_York", "America/Chicago",
         "Asia/Kolkata", "Europe/Madrid"]
# Share of a rep's activity per type and the outcomes each type may end with.
MIX = {"call": 0.45, "visit": 0.10, "meeting": 0.15, "proposal": 0.05, "follow_up": 0.25}
OUTCOMES = ["next_step", "next_step", "follow_up", "follow_up", "no_interest", "proposal_requested"]
DEAL_OUTCOMES = [*OUTCOMES, "lost", "won", "won"]
QUALITIES = ([1, 2, 3, 4, 5], [8, 20, 35, 25, 12])
ACCOUNTS = [f"{a} {b}" for a in ("Northwind", "Contoso", "Fabrikam", "Tailspin", "Wingtip", "Litware", "Adatum",
                                 "Lucerne") for b in ("Traders", "Pharma", "Foods", "Logistics", "Hotels")]
COMMITMENTS = ["Book 2 demos with existing accounts", "Call back every lead from the trade fair",
               "Ask for a referral after each won deal", "Block Tuesday morning for prospecting calls"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(url: str, data_dir: Path, port: int) -> dict:
    return {**os.environ, "DATA_DIR": str(data_dir), "DATABASE_URL": url, "PORT": str(port), "HOST": "127.0.0.1",
            "PUBLIC_URL": f"http://127.0.0.1:{port}", "SECRET_KEY": "bench", "ARGON2_TIME_COST": "1",
            "ARGON2_MEMORY_KIB": "1024", "LOGIN_ATTEMPTS_PER_MINUTE": "100000", "PICCOLO_CONF": "backend.piccolo_conf"}


def psql(server: str, sql: str) -> None:
    subprocess.run(["psql", f"{server.rstrip('/')}/postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql],
                   check=True, capture_output=True, timeout=120)


def quantiles(samples: list[float]) -> tuple[float, float, float]:
    """p50, p95, max in ms."""
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return q[49] * 1000, q[94] * 1000, max(samples) * 1000


def this_monday() -> date:
    day = datetime.now(UTC).astimezone(ZoneInfo(MANAGER_ZONE)).date()
    return day - timedelta(days=day.weekday())


# ----------------------------------------------------------------------------- seeding (child process)
async def seed(reps: int, logs: int) -> dict:
    """One team straight through the driver; accounts through the service (50 argon2 hashes
    at the cheapest cost). Returns ids and counts for the parent."""
    import msgspec

    from backend.accounts.tables import User
    from backend.activities.tables import Activity, RepSyncState, SyncClient
    from backend.cli import _services
    from backend.core.db import close_pool, insert_rows, start_pool, write_transaction
    from backend.plans.tables import Plan, PlanRevision
    from backend.review.tables import Kudos
    from shared_schemas import PlanTarget, UpdatePreferences

    services = _services()
    await start_pool(services.engine)
    try:
        accounts, plans = services.accounts, services.plans
        team = (await accounts.create_team("Bench team", [])).id
        manager = await accounts.create_user(email=MANAGER, name="Morgan Manager", password=PASSWORD, role="manager",
                                             team_id=team, time_zone=MANAGER_ZONE)
        joined = datetime.now(UTC) - timedelta(weeks=WEEKS + 1)  # before the history: every week counts
        rep_ids = [await accounts.create_user(email=f"rep{i}@bench.test", name=f"Rep {i:03d}", password=PASSWORD,
                                              role="rep", team_id=team, time_zone=ZONES[i % len(ZONES)],
                                              joined_at=joined)
                   for i in range(reps)]
        zone_of = {r["id"]: r["time_zone"] for r in await User.select(User.id, User.time_zone)}
        type_ids = await plans.team_type_ids(team)
        rng = random.Random(6)
        for n, user_id in enumerate(rep_ids):
            if n % 5 == 4:
                continue  # a fifth have not answered the accountability questions
            await plans.set_preferences(user_id, UpdatePreferences(
                checkin_rhythm=rng.choice(["daily", "weekly", "twice_weekly", "not_sure"]),
                reminder_days=[0, 2, 4], reminder_times=["17:00"],
                style=rng.choice(["often", "autonomy", "not_sure", "often"]),
                visibility=rng.choice(["named", "anonymous", "manager_only"])))

        now = datetime.now(UTC)
        per_rep_week = logs / (reps * WEEKS)
        plan_rows, activity_rows, devices, states, kudos = [], [], [], [], []
        for n, user_id in enumerate(rep_ids):
            zone = zone_of[user_id]
            tz = ZoneInfo(zone)
            r = random.Random(f"rep-{n}")
            volume = r.uniform(0.6, 1.4)  # some reps log far more than others
            delivery = r.uniform(0.7, 1.15)  # and meet their plans more or less
            trend = r.choice([-0.01, 0, 0, 0.01])  # slipping, steady or improving week on week
            today = now.astimezone(tz).date()
            current = today - timedelta(days=today.weekday())
            rows = []
            for weeks_ago in range(WEEKS - 1, -1, -1):
                monday = current - timedelta(weeks=weeks_ago)
                mean = per_rep_week * volume * (1 + trend * (WEEKS / 2 - weeks_ago))
                targets = {k: max(1, round(mean * share / delivery * r.uniform(0.9, 1.1))) for k, share in MIX.items()}
                if not (weeks_ago == 0 and n % 10 == 3):  # a few have no plan this week yet
                    committed = not (weeks_ago == 0 and n % 10 == 7)
                    at = datetime.combine(monday, wall(9, r.randrange(60)), tzinfo=tz).astimezone(UTC)
                    plan_rows.append({
                        "user": user_id, "week_start": monday, "status": "committed" if committed else "draft",
                        "version": 1 if committed else 0,
                        "targets": msgspec.json.encode(sorted(
                            (PlanTarget(activity_type_id=type_ids[k], target=v) for k, v in targets.items()),
                            key=lambda t: t.activity_type_id)).decode(),
                        "commitments": msgspec.json.encode(r.sample(COMMITMENTS, k=r.randint(1, 2))).decode(),
                        "committed_at": at if committed else None,
                        "acknowledged_at": at + timedelta(hours=3) if committed and weeks_ago > 0 else None,
                        "acknowledged_by": manager if committed and weeks_ago > 0 else None,
                        "created_at": at, "updated_at": at})
                for key, share in MIX.items():
                    for _ in range(round(mean * share * r.uniform(0.75, 1.25))):
                        day = monday + timedelta(days=r.choices(range(6), [20, 20, 20, 20, 18, 2])[0])
                        at = datetime.combine(day, wall(r.randint(8, 17), r.randrange(60)), tzinfo=tz).astimezone(UTC)
                        if at > now - timedelta(minutes=5):
                            continue  # nothing in the future: this week stops at now
                        outcome = r.choice(DEAL_OUTCOMES if key in ("meeting", "proposal") else OUTCOMES)
                        synced = at + timedelta(minutes=r.choice([1, 2, 5, 30, 240]))
                        rows.append({
                            "uid": str(uuid.UUID(int=r.getrandbits(128), version=4)), "user": user_id,
                            "activity_type": type_ids[key], "account_name": r.choice(ACCOUNTS), "outcome": outcome,
                            "quality": r.choices(*QUALITIES)[0], "note": "Bench note" if r.random() < 0.2 else None,
                            "next_step": "Send the proposal" if outcome == "next_step" else "",
                            "follow_up_on": day + timedelta(days=7) if outcome == "follow_up" else None,
                            "deal_value": float(r.randrange(2, 80) * 500) if outcome == "won" else None,
                            "occurred_at": at, "time_zone": zone, "local_date": day, "week_start": monday,
                            "late": r.random() < 0.02, "created_at": synced, "updated_at": synced,
                            "deleted_at": synced if r.random() < 0.01 else None})
            rows.sort(key=lambda row: row["updated_at"])
            for version, row in enumerate(rows, start=1):
                row["version"] = version
            activity_rows += rows
            states.append({"user": user_id, "version": len(rows), "pruned_through": 0})
            stale = n % 25 == 11  # two reps' phones have not synced for days, with logs waiting
            last = rows[-1]["updated_at"] if rows else now
            seen = last - timedelta(days=3) if stale else last
            devices.append({"client_id": str(uuid.UUID(int=r.getrandbits(128), version=4)), "user": user_id,
                            "last_seq": len(rows), "last_push_at": seen, "last_pull_at": seen,
                            "outbox_size": 4 if stale else 0, "skew_seconds": r.randint(-3, 3),
                            "created_at": now - timedelta(days=7 * WEEKS)})
            for k in range(2):
                week = current - timedelta(weeks=r.randrange(WEEKS))
                kudos.append({"user": user_id, "sender": manager, "message": "Well done this week!", "signal": None,
                              "reason": None, "week_start": week, "client_key": f"bench-{n}-{k}",
                              "created_at": datetime.combine(week + timedelta(days=4), wall(16), tzinfo=UTC),
                              "seen_at": None})

        started = time.perf_counter()
        async with write_transaction(services.engine):
            await insert_rows(Plan, plan_rows)
            committed = await Plan.select(Plan.id, Plan.user, Plan.targets, Plan.commitments, Plan.committed_at).where(
                Plan.committed_at.is_not_null())
            await insert_rows(PlanRevision, [{
                "plan": p["id"], "version": 1, "targets": p["targets"], "commitments": p["commitments"],
                "reason": "Committed the plan", "author": p["user"], "created_at": p["committed_at"]}
                for p in committed])
            for i in range(0, len(activity_rows), 10_000):
                await insert_rows(Activity, activity_rows[i:i + 10_000])
            await insert_rows(RepSyncState, states)
            await insert_rows(SyncClient, devices)
            await insert_rows(Kudos, kudos)
        inserted = time.perf_counter() - started
        if services.engine.engine_type == "postgres":
            # Autovacuum would get there shortly after such a load; the steady state is measured.
            await services.engine.run_ddl("VACUUM ANALYZE")
        return {"team": team, "manager": manager, "reps": rep_ids, "activities": len(activity_rows),
                "plans": len(plan_rows), "insert_seconds": inserted,
                "quality_min": {str(t.id): t.quality_min for t in await plans.team_types(team)}}
    finally:
        await close_pool(services.engine)


# ----------------------------------------------------------------------------- the baseline
BASELINE_SQL = """
SELECT a."user", a.week_start, a.activity_type,
       count(*) AS total,
       sum(CASE WHEN a.quality >= t.quality_min THEN 1 ELSE 0 END) AS qualifying,
       sum(CASE WHEN a.outcome = 'won' THEN 1 ELSE 0 END) AS won
FROM activities a
JOIN users u ON u.id = a."user"
JOIN activity_types t ON t.id = a.activity_type
WHERE u.team = {team} AND u.role = 'rep' AND u.active AND a.deleted_at IS NULL
  AND a.week_start >= {first} AND a.week_start <= {last}
GROUP BY a."user", a.week_start, a.activity_type
"""


def baseline(url: str, team: int, monday: date, runs: int) -> tuple[list[float], list[tuple]]:
    """The hand-written aggregate over the weeks the team screen reads, timed `runs` times
    on one connection with the engine's own driver; (timings, rows of the last run). It
    selects by local week (week_start), the same rows as local dates from the first Monday
    to the last Sunday."""
    first, last = monday - timedelta(weeks=SCREEN_WEEKS - 1), monday
    timings: list[float] = []
    if url.startswith("sqlite"):
        import sqlite3

        sql = BASELINE_SQL.format(team="?", first="?", last="?")
        db = sqlite3.connect(url.split(":///", 1)[1])
        params = (team, first.isoformat(), last.isoformat())
        for _ in range(runs):
            started = time.perf_counter()
            rows = db.execute(sql, params).fetchall()
            timings.append(time.perf_counter() - started)
        db.close()
        return timings, [(u, date.fromisoformat(w), *rest) for u, w, *rest in rows]

    async def run() -> list[tuple]:
        import asyncpg

        conn = await asyncpg.connect(url)
        sql = BASELINE_SQL.format(team="$1", first="$2", last="$3")
        try:
            for _ in range(runs):
                started = time.perf_counter()
                rows = await conn.fetch(sql, team, first, last)
                timings.append(time.perf_counter() - started)
        finally:
            await conn.close()
        return [tuple(r) for r in rows]

    return timings, asyncio.run(run())


def check_against_baseline(team_body: dict, rows: list[tuple]) -> str:
    """The API's done_total / done_qualifying for the reviewed week vs the baseline's."""
    monday = date.fromisoformat(team_body["week_start"])
    expected = {(u, t): (total, qualifying) for u, w, t, total, qualifying, _ in rows if w == monday}
    got = {(row["user_id"], p["activity_type_id"]): (p["done_total"], p["done_qualifying"])
           for row in team_body["rows"] for p in row["progress"] if p["done_total"]}
    if got == expected:
        return f"API numbers for the week of {monday} = baseline's ({len(got)} rep x type cells)"
    wrong = sorted(set(got.items()) ^ set(expected.items()))[:3]
    return f"MISMATCH with baseline for the week of {monday}: {len(set(got.items()) ^ set(expected.items()))} " \
           f"cells differ, e.g. {wrong}"


# ----------------------------------------------------------------------------- the API
def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux): less sensitive to a busy machine than wall time."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_api(base: str, pid: int, team: int, reps: list[int], requests: int,
                warmup: int) -> tuple[list, list, dict, tuple[float, float]]:
    """Sequential GETs as the manager; (team screen timings, drill-down timings, the last team
    screen, the server process's CPU seconds per request of each kind)."""
    client = httpx.Client(base_url=base, headers={"X-Followthrough": "1"}, timeout=120)
    try:
        client.post("/api/auth/login", json={"email": MANAGER, "password": PASSWORD}).raise_for_status()
        rng = random.Random(1)

        def timed(path: str) -> tuple[float, dict]:
            started = time.perf_counter()
            r = client.get(path)
            elapsed = time.perf_counter() - started
            r.raise_for_status()
            return elapsed, r

        for _ in range(warmup):
            timed(f"/api/teams/{team}/review")
            timed(f"/api/reps/{rng.choice(reps)}/review")
        screens, body = [], None
        cpu = cpu_seconds(pid)
        for _ in range(requests):
            elapsed, r = timed(f"/api/teams/{team}/review")
            screens.append(elapsed)
            body = r
        cpu_screen, cpu = cpu_seconds(pid) - cpu, cpu_seconds(pid)
        drills = [timed(f"/api/reps/{rng.choice(reps)}/review")[0] for _ in range(requests)]
        cpu_drill = cpu_seconds(pid) - cpu
        return screens, drills, body.json(), (cpu_screen / requests, cpu_drill / requests)
    finally:
        client.close()


def wait_healthy(base: str, server: subprocess.Popen) -> None:
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


# ----------------------------------------------------------------------------- profiling (child process)
def in_flight(intervals: list[tuple[float, float]]) -> float:
    """Seconds during which at least one of the (start, end) intervals was running."""
    total, reached = 0.0, float("-inf")
    for start, end in sorted(intervals):
        if end > reached:
            total += end - max(start, reached)
            reached = end
    return total


async def profile(team: int, manager: int, reps: list[int], runs: int) -> None:
    """Where a team screen and a drill-down spend their time, in-process: SQL per query
    (wall time of the engine call, connection set-up included), the time with any query in
    flight (the reads run concurrently, so their times overlap), and this process's CPU."""
    import cProfile
    import pstats

    from backend.accounts.service import Principal
    from backend.cli import _services
    from backend.core.db import close_pool, start_pool

    services = _services()
    engine = services.engine
    await start_pool(engine)
    calls: list[tuple[object, float, float, int]] = []  # (querystring, start, end, rows)
    original = type(engine).run_querystring

    async def timed_querystring(self, querystring, in_pool: bool = True):
        started = time.perf_counter()
        response = await original(self, querystring, in_pool=in_pool)
        calls.append((querystring, started, time.perf_counter(), len(response or [])))  # compiled when reported
        return response

    def compiled(querystring) -> tuple[str, list]:
        return querystring.compile_string(engine_type=engine.engine_type)

    type(engine).run_querystring = timed_querystring  # engines have slots: patch the class (this process only)
    who = Principal(user_id=manager, role="manager", team_id=None, managed_team_ids=frozenset({team}),
                    session_hash="")
    try:
        for label, call in (("team screen", lambda: services.review.team_review(who, team, None)),
                            ("drill-down", lambda: services.review.drilldown(who, reps[len(reps) // 2], None))):
            await call()  # warm
            calls.clear()
            totals = []
            cpu = time.process_time()
            for _ in range(runs):
                started = time.perf_counter()
                await call()
                totals.append(time.perf_counter() - started)
            cpu = (time.process_time() - cpu) / runs
            per_query: dict[str, list] = {}
            for querystring, started, ended, count in calls:
                entry = per_query.setdefault(" ".join(compiled(querystring)[0].split())[:110], [0.0, 0, 0])
                entry[0] += ended - started
                entry[1] += 1
                entry[2] += count
            sql_sum = sum(ended - started for _, started, ended, _ in calls) / runs
            sql_wall = in_flight([(started, ended) for _, started, ended, _ in calls]) / runs
            p50 = statistics.median(totals) * 1000
            print(f"  {label}, in-process: median {p50:.0f} ms per call, of which {sql_wall * 1000:.0f} ms with a "
                  f"query in flight ({len(calls) // runs} queries, {sql_sum * 1000:.0f} ms added up: concurrent "
                  f"reads overlap); this process's CPU {cpu * 1000:.0f} ms per call (Piccolo, rows, rules, msgspec)")
            for text, (seconds, n, rows) in sorted(per_query.items(), key=lambda kv: -kv[1][0])[:5]:
                print(f"    {seconds / runs * 1000:6.1f} ms  x{n // runs:<2} {rows // n:>6} rows  {text}")
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(max(1, runs // 2)):
                await call()
            profiler.disable()
            out = pstats.Stats(profiler).sort_stats("tottime")
            width = max(1, runs // 2)
            print("    top functions by own time per call:")
            for (file, line, name), (_, ncalls, tottime, _, _) in sorted(
                    out.stats.items(), key=lambda kv: -kv[1][2])[:8]:
                where = file.replace(str(REPO) + "/", "").split("site-packages/")[-1]
                print(f"    {tottime / width * 1000:6.1f} ms  {ncalls // width:>7} calls  {where}:{line} {name}")
        # The plan of the slowest query.
        sql, sql_args = compiled(max(calls, key=lambda c: c[2] - c[1])[0])
        if engine.engine_type == "sqlite":
            rows = await engine._run_in_new_connection("EXPLAIN QUERY PLAN " + sql, list(sql_args))
            plan = [r["detail"] for r in rows]
        else:
            async with engine.pool.acquire() as conn:
                plan = [r[0] for r in await conn.fetch("EXPLAIN (ANALYZE, BUFFERS) " + sql, *sql_args)]
        print("    plan of the slowest query:")
        for line in plan:
            print(f"      {line}")
    finally:
        await close_pool(engine)


# ----------------------------------------------------------------------------- one engine
def run_engine(engine: str, args) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="followthrough-review-bench-"))
    port = free_port()
    if engine == "sqlite":
        url = f"sqlite:///{data_dir / 'bench.db'}"
    else:
        name = f"bench_review_{os.getpid()}"
        psql(args.postgres_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        psql(args.postgres_server, f'CREATE DATABASE "{name}"')
        url = f"{args.postgres_server.rstrip('/')}/{name}"
    env = environment(url, data_dir, port)
    server = None
    try:
        subprocess.run([str(BIN), "migrate"], env=env, check=True, capture_output=True, cwd=REPO)
        started = time.perf_counter()
        seeded = subprocess.run([sys.executable, __file__, "--phase", "seed", "--reps", str(args.reps),
                                 "--logs", str(args.logs)], env=env, check=True, capture_output=True, text=True,
                                cwd=REPO)
        facts = json.loads(seeded.stdout.strip().splitlines()[-1])
        seconds = time.perf_counter() - started
        label = "SQLite" if engine == "sqlite" else "PostgreSQL"
        print(f"== {label}: {args.reps} reps, {facts['activities']:,} activities over {WEEKS} weeks, "
              f"{facts['plans']:,} plans (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
        print(f"seeded in {seconds:.1f} s (rows inserted in {facts['insert_seconds']:.1f} s"
              f"{'; then VACUUM ANALYZE' if engine == 'postgres' else ''})")

        server = subprocess.Popen([str(BIN), "serve", "--log-level", "warning"], env=env, cwd=REPO,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base, server)
        screens, drills, body, cpu = measure_api(base, server.pid, facts["team"], facts["reps"], args.requests,
                                                 args.warmup)
        runs, rows = baseline(url, facts["team"], date.fromisoformat(body["week_start"]), args.requests)
        b50, b95, bmax = quantiles(runs)
        print(f"baseline: one hand-written aggregate ({len(rows):,} rows: rep x week x type over {SCREEN_WEEKS} weeks) "
              f"p50 {b50:.1f} ms, p95 {b95:.1f} ms, max {bmax:.1f} ms ({len(runs)} runs)")
        for what, samples, seconds in (("team screen", screens, cpu[0]), ("drill-down ", drills, cpu[1])):
            p50, p95, worst = quantiles(samples)
            print(f"{what} GET: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {worst:.1f} ms ({len(samples)} requests; "
                  f"server process CPU {seconds * 1000:.0f} ms/request); p95 / baseline p95 = {p95 / b95:.1f}x "
                  f"(targets: p95 < 100 ms, <= 2x)")
        print(check_against_baseline(body, rows))
        if args.profile:
            server.terminate()
            server.wait(timeout=20)
            server = None
            result = subprocess.run([sys.executable, __file__, "--phase", "profile", "--team", str(facts["team"]),
                                     "--manager", str(facts["manager"]), "--rep-ids",
                                     ",".join(map(str, facts["reps"])), "--requests", str(args.profile_runs)],
                                    env=env, capture_output=True, text=True, cwd=REPO)
            print("where the time goes:")
            print(result.stdout.rstrip() or result.stderr[-3000:])
    except subprocess.CalledProcessError as error:
        print(f"{error.cmd[:3]} failed:\n{error.stdout}\n{error.stderr}", file=sys.stderr)
        raise
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        if engine == "postgres":
            psql(args.postgres_server, f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
        shutil.rmtree(data_dir, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--logs", type=int, default=250_000, help="activities over the past 52 weeks, whole team")
    parser.add_argument("--requests", type=int, default=200, help="timed requests of each kind")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--postgres-server", default="postgresql://postgres@127.0.0.1:5432",
                        help="a PostgreSQL server URL; a scratch database is created and dropped on it")
    parser.add_argument("--profile", action="store_true", help="then time the service calls in-process")
    parser.add_argument("--profile-runs", type=int, default=20)
    parser.add_argument("--phase", choices=["seed", "profile"], help=argparse.SUPPRESS)
    parser.add_argument("--team", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--manager", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--rep-ids", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase:  # a child process: DATABASE_URL and friends are in the environment
        sys.path.insert(0, str(REPO))
        if args.phase == "seed":
            print(json.dumps(asyncio.run(seed(args.reps, args.logs))))
        else:
            asyncio.run(profile(args.team, args.manager, [int(x) for x in args.rep_ids.split(",")], args.requests))
        return 0
    # A terminated run still stops its server and drops its scratch database (finally blocks).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    for engine in (["sqlite", "postgres"] if args.engine == "both" else [args.engine]):
        run_engine(engine, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
