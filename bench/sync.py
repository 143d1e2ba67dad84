"""Sync throughput benchmark: a backlog from many devices through the real HTTP API.

    .venv/bin/python bench/sync.py                         # SQLite, one server process
    .venv/bin/python bench/sync.py --postgres postgresql://postgres@127.0.0.1:5432/test --workers 2

It starts `followthrough serve` on a fresh database, signs in one rep per device, and
pushes every device's backlog in batches (like a phone coming back online). The devices
share the server's cores here, unlike phones: their outboxes are made before the clock
starts and they push over a small keep-alive HTTP/1.1 client (session cookie, gzip
answers, JSON by msgspec) rather than httpx, whose per-request CPU was about that of the
server's work. It prints
logs settled per second, push latency and the server's CPU per log, then inserts the same number of activity rows
straight through the same database driver (the baseline) and prints the ratio; finally a
1,000-log backlog from one device. Figures, not a pass/fail test. The PostgreSQL run
drops and recreates the tables of the database it is given: use a scratch database.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import msgspec

REPO = Path(__file__).resolve().parent.parent
BIN = REPO / ".venv" / "bin" / "followthrough"
PASSWORD = "bench-password-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(args, data_dir: Path, port: int) -> dict:
    url = args.postgres or f"sqlite:///{data_dir / 'bench.db'}"
    return {**os.environ, "DATA_DIR": str(data_dir), "DATABASE_URL": url, "PORT": str(port),
            "HOST": "127.0.0.1", "PUBLIC_URL": f"http://127.0.0.1:{port}", "SECRET_KEY": "bench",
            "ARGON2_TIME_COST": "1", "ARGON2_MEMORY_KIB": "1024", "LOGIN_ATTEMPTS_PER_MINUTE": "100000",
            "PICCOLO_CONF": "backend.piccolo_conf"}


def reset_postgres(url: str) -> None:
    import asyncpg

    async def drop():
        name = url.rsplit("/", 1)[1].split("?")[0]
        try:
            conn = await asyncpg.connect(url)
        except asyncpg.InvalidCatalogNameError:  # a scratch database of its own: make it
            admin = await asyncpg.connect(url.rsplit("/", 1)[0] + "/postgres")
            await admin.execute(f'CREATE DATABASE "{name}"')
            await admin.close()
            conn = await asyncpg.connect(url)
        tables = [r["tablename"] for r in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname='public'")]
        for table in tables:
            await conn.execute(f'DROP TABLE IF EXISTS "{table}" CASCADE')
        await conn.close()

    asyncio.run(drop())


SETUP = """
import asyncio, sys
from backend.cli import _services
async def main(n, password):
    s = _services()
    team = (await s.accounts.create_team("Bench team", [])).id
    for i in range(n):
        await s.accounts.create_user(email=f"rep{i}@bench.test", name=f"Rep {i}", password=password,
                                     role="rep", team_id=team, time_zone="Europe/Berlin")
    print(",".join(str(i) for i in await s.plans.active_type_ids(team)))
asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
"""


def mutations(count: int, type_ids: list[int], start_seq: int = 1) -> list[dict]:
    now = datetime.now(UTC)
    return [{
        "mutation_id": str(uuid.uuid4()), "seq": start_seq + i, "kind": "activity.create",
        "entity_id": str(uuid.uuid4()),
        "payload": {"activity_type_id": type_ids[i % len(type_ids)], "account_name": f"Account {i % 37}",
                    "outcome": "next_step", "quality": 1 + i % 5, "time_zone": "Europe/Berlin",
                    "occurred_at": (now - timedelta(minutes=i % 600)).isoformat()},
    } for i in range(count)]


async def signed_in(base: str, index: int) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, headers={"X-Followthrough": "1"}, timeout=60)
    r = await client.post("/api/auth/login", json={"email": f"rep{index}@bench.test", "password": PASSWORD})
    r.raise_for_status()
    return client


class Device:
    """A signed-in device pushing over one keep-alive HTTP/1.1 connection: what a phone's
    browser sends (JSON, the session cookie, the CSRF header, gzip accepted), at a fraction
    of httpx's CPU per request."""

    def __init__(self, base: str, cookies: httpx.Cookies) -> None:
        self.host, self.port = base.removeprefix("http://").split(":")
        self.cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, int(self.port))
        self.writer.write((f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                           f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                           f"Accept-Encoding: gzip\r\nX-Followthrough: 1\r\nCookie: {self.cookie}\r\n\r\n"
                           ).encode() + body)
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:] if line)}
        if headers.get("transfer-encoding") == "chunked":
            content = b""
            while size := int((await self.reader.readline()).strip(), 16):
                content += await self.reader.readexactly(size)
                await self.reader.readline()
            await self.reader.readline()
        else:
            content = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("content-encoding") == "gzip":
            content = gzip.decompress(content)
        if headers.get("connection") == "close":
            self.writer.close()
            self.reader = self.writer = None
        return status, headers, content

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def run_device(device: Device, outbox: list[dict], batch: int, latencies: list[float]) -> int:
    try:
        client_id = str(uuid.uuid4())
        settled = 0
        while outbox:
            body = msgspec.json.encode({"client_id": client_id, "sent_at": datetime.now(UTC).isoformat(),
                                        "mutations": outbox[:batch], "outbox_size": len(outbox)})
            started = time.perf_counter()
            status, headers, content = await device.post("/api/sync/push", body)
            latencies.append(time.perf_counter() - started)
            if status == 503:
                await asyncio.sleep(float(headers.get("retry-after", "1")))
                continue
            if status != 200:
                raise RuntimeError(f"push answered {status}: {content[:300]!r}")
            results = msgspec.json.decode(content)["results"]
            done = {x["seq"] for x in results if x["status"] in ("applied", "duplicate")}
            settled += sum(1 for x in results if x["status"] == "applied")
            outbox = [m for m in outbox if m["seq"] not in done]
        return settled
    finally:
        await device.close()


async def signed_in_device(base: str, index: int) -> Device:
    client = await signed_in(base, index)  # a real sign-in: the server's session cookie
    await client.aclose()
    return Device(base, client.cookies)


def process_cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) of a process and its live child processes, from /proc (Linux)."""
    try:
        total, pending = 0.0, [pid]
        while pending:
            current = pending.pop()
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        return total
    except (OSError, ValueError):
        return None


async def push_all(base: str, devices: int, logs: int, batch: int, concurrency: int, type_ids, server_pid: int):
    """Every device signs in and has its outbox first; the clock runs only while backlogs are pushed."""
    latencies: list[float] = []
    gate = asyncio.Semaphore(concurrency)
    phones = [(await signed_in_device(base, i), mutations(logs, type_ids)) for i in range(devices)]

    async def one(device, outbox):
        async with gate:
            return await run_device(device, outbox, batch, latencies)

    cpu_before = process_cpu_seconds(server_pid)
    started = time.perf_counter()
    settled = sum(await asyncio.gather(*(one(d, o) for d, o in phones)))
    elapsed = time.perf_counter() - started
    cpu_after = process_cpu_seconds(server_pid)
    cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    return settled, elapsed, latencies, cpu


async def one_backlog(base: str, index: int, type_ids) -> tuple[int, float]:
    device, outbox = await signed_in_device(base, index), mutations(1000, type_ids)
    started = time.perf_counter()
    settled = await run_device(device, outbox, 200, [])
    return settled, time.perf_counter() - started


async def baseline(url: str, rows: int, batch: int, user_id: int, type_id: int) -> float:
    """The same rows straight into the activities table with the same driver, same batch size."""
    now = datetime.now(UTC)
    values = [(str(uuid.uuid4()), user_id, type_id, f"Account {i % 37}", "next_step", 1 + i % 5, "", "",
               now - timedelta(minutes=i % 600), "Europe/Berlin", now.date(), now.date(), False,
               10_000_000 + i, now, now) for i in range(rows)]
    columns = ("uid, \"user\", activity_type, account_name, outcome, quality, note, next_step, occurred_at, "
               "time_zone, local_date, week_start, late, version, created_at, updated_at")
    started = time.perf_counter()
    if url.startswith("sqlite"):
        import aiosqlite

        async with aiosqlite.connect(url.split(":///", 1)[1], isolation_level=None) as db:
            for i in range(0, rows, batch):
                await db.execute("BEGIN IMMEDIATE")
                await db.executemany(f"INSERT INTO activities ({columns}) VALUES ({','.join('?' * 16)})",
                                     [(*v[:8], v[8].isoformat(), v[9], v[10].isoformat(), v[11].isoformat(), v[12],
                                       v[13], v[14].isoformat(), v[15].isoformat()) for v in values[i:i + batch]])
                await db.execute("COMMIT")
    else:
        import asyncpg

        conn = await asyncpg.connect(url)
        placeholders = ",".join(f"${n}" for n in range(1, 17))
        for i in range(0, rows, batch):
            async with conn.transaction():
                await conn.executemany(f"INSERT INTO activities ({columns}) VALUES ({placeholders})", values[i:i + batch])
        await conn.close()
    return time.perf_counter() - started


async def count_activities(url: str) -> int:
    if url.startswith("sqlite"):
        import aiosqlite

        async with aiosqlite.connect(url.split(":///", 1)[1]) as db:
            return (await (await db.execute("SELECT count(*) FROM activities")).fetchone())[0]
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval("SELECT count(*) FROM activities")
    finally:
        await conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--logs", type=int, default=500, help="backlog per device")
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=16, help="devices pushing at once")
    parser.add_argument("--postgres", help="a scratch PostgreSQL URL (default: SQLite in a temp dir)")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="followthrough-bench-"))
    port = free_port()
    env = environment(args, data_dir, port)
    if args.postgres:
        reset_postgres(args.postgres)
    subprocess.run([str(BIN), "migrate"], env=env, check=True, capture_output=True)
    setup = subprocess.run([sys.executable, "-c", SETUP, str(args.devices + 1), PASSWORD], env=env, check=True,
                           capture_output=True, text=True, cwd=REPO)
    type_ids = [int(x) for x in setup.stdout.strip().splitlines()[-1].split(",")]
    server = subprocess.Popen([str(BIN), "serve", "--workers", str(args.workers), "--log-level", "warning"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        engine = "PostgreSQL" if args.postgres else "SQLite"
        total = args.devices * args.logs
        print(f"== {engine}, {args.workers} server process(es): {args.devices} devices x {args.logs} logs, "
              f"batches of {args.batch}, {args.concurrency} devices at once")
        settled, elapsed, latencies, cpu = asyncio.run(
            push_all(base, args.devices, args.logs, args.batch, args.concurrency, type_ids, server.pid))
        stored = asyncio.run(count_activities(env["DATABASE_URL"]))
        assert settled == total == stored, (settled, total, stored)
        q = statistics.quantiles(latencies, n=100)
        rate = settled / elapsed
        print(f"settled {settled} logs in {elapsed:.1f} s: {rate:,.0f} logs/s; "
              f"push latency p50 {q[49] * 1000:.0f} ms, p99 {q[98] * 1000:.0f} ms ({len(latencies)} pushes)")
        if cpu is not None:  # the server's own processes; PostgreSQL's backends are not counted
            print(f"server process CPU: {cpu / settled * 1e6:.0f} µs per log")

        raw_elapsed = asyncio.run(baseline(env["DATABASE_URL"], total, args.batch, 1, type_ids[0]))
        raw_rate = total / raw_elapsed
        print(f"baseline: {total} rows inserted directly in batches of {args.batch} in {raw_elapsed:.1f} s: "
              f"{raw_rate:,.0f} rows/s")
        print(f"ratio settled/baseline: {rate / raw_rate:.2f} (target >= 0.5)")

        settled_one, seconds = asyncio.run(one_backlog(base, args.devices, type_ids))
        print(f"one device, 1,000-log backlog in batches of 200: {seconds:.2f} s "
              f"({settled_one} settled; target < 1 s)")
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
