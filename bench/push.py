"""Reminder delivery benchmark: many reps whose reminder is due in the same minute.

    .venv/bin/python bench/push.py                    # 10,000 reps, SQLite
    .venv/bin/python bench/push.py --postgres postgresql://postgres@127.0.0.1:5432/bench_scratch

It seeds reps with answered preferences (a reminder at the next whole minute in their
zone), a committed plan for every other rep (so half the messages come from live pace),
and one push subscription each pointing at a local push sink, then starts the real
scheduler as `followthrough worker` processes (--processes, one per core by default; the
loop `followthrough serve` runs too) and waits until every reminder arrived. It prints sends per second, lateness after the due time (p50/p99, as
the sink saw it), and the cost of encryption alone per message measured in the same run
(the ceiling), with the ratio. Figures, not a pass/fail test.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

SINK = r'''
"""A local push sink: answers 201 to every POST and, to GET, the arrival times as JSON.
A bare asyncio protocol (HTTP/1.1 keep-alive, Content-Length bodies) so that the stand-in
for FCM takes as little as possible of the CPU the sender is measured on."""
import asyncio, json, sys, time

received = []


class Sink(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport, self.buffer = transport, b""

    def data_received(self, data):
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            head = self.buffer[:end].decode("latin-1").split("\r\n")
            length = next((int(line.split(":", 1)[1]) for line in head[1:]
                           if line.lower().startswith("content-length:")), 0)
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length:]
            method, path, _ = head[0].split(" ", 2)
            if method == "POST":
                received.append((path, time.time(), length))
                self.transport.write(b"HTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n")
            else:
                out = json.dumps(received).encode()
                self.transport.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                                     b"content-length: " + str(len(out)).encode() + b"\r\n\r\n" + out)


async def main():
    server = await asyncio.get_running_loop().create_server(Sink, "127.0.0.1", int(sys.argv[1]))
    await server.serve_forever()

asyncio.run(main())
'''


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def browser_keys() -> tuple[str, str]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    point = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return b64(point), b64(os.urandom(16))


async def seed(services, reps: int, sink_origin: str, zones: list[str], due: datetime) -> None:
    """Users, preferences, plans and subscriptions written straight through the driver: seeding
    10,000 people through the API would measure argon2, not reminders."""
    from backend.accounts.tables import User
    from backend.core.db import insert_rows, write_transaction
    from backend.core.weeks import local_date, week_start
    from backend.plans.tables import AccountabilityPreferences, Plan
    from backend.reminders.tables import PushSubscription

    team = (await services.accounts.create_team("Bench team", [])).id
    now = datetime.now(UTC)
    async with write_transaction(services.engine):
        await insert_rows(User, [{
            "email": f"rep{i}@bench.test", "name": f"Rep {i}", "password_hash": "x", "role": "rep", "team": team,
            "time_zone": zones[i % len(zones)], "active": True, "created_at": now, "last_login_at": None,
        } for i in range(reps)])
    ids = [r["id"] for r in await User.select(User.id, User.time_zone).order_by(User.id)]
    zone_of = {r["id"]: r["time_zone"] for r in await User.select(User.id, User.time_zone)}
    p256dh, auth = browser_keys()
    from zoneinfo import ZoneInfo

    types = await services.plans.team_types(team)
    async with write_transaction(services.engine):
        await insert_rows(AccountabilityPreferences, [{
            "user": user_id, "checkin_rhythm": "daily",
            "reminder_days": json.dumps(list(range(7))),
            "reminder_times": json.dumps([due.astimezone(ZoneInfo(zone_of[user_id])).strftime("%H:%M")]),
            "style": "often", "visibility": "named", "updated_at": now - timedelta(hours=1),
        } for user_id in ids])
        # Half the reps committed this week's plan: their nudge comes from live pace (their
        # week's counts and targets); the others are nudged to plan.
        targets = json.dumps([{"activity_type_id": t.id, "target": 5 + i} for i, t in enumerate(types[:3])])
        await insert_rows(Plan, [{
            "user": user_id, "week_start": week_start(local_date(due, zone_of[user_id])), "status": "committed",
            "version": 1, "targets": targets, "commitments": "[]", "committed_at": now - timedelta(hours=2),
            "acknowledged_at": None, "acknowledged_by": None, "created_at": now - timedelta(hours=2),
            "updated_at": now - timedelta(hours=2),
        } for user_id in ids[::2]])
        await insert_rows(PushSubscription, [{
            "user": user_id, "endpoint": f"{sink_origin}/push/{user_id}", "p256dh": p256dh, "auth": auth,
            "client_id": None, "session_hash": "", "user_agent": "bench", "created_at": now - timedelta(hours=1),
            "last_success_at": None, "failures": 0, "retry_after": None,
        } for user_id in ids])


def encryption_ceiling(services, samples: int) -> float:
    """Seconds per message for the encryption alone, as the sender does it (webpush.get,
    with the VAPID token it reuses per push service): no network, no database."""
    from webpush.types import WebPushSubscription

    p256dh, auth = browser_keys()
    payload = json.dumps({"title": "Today's activity", "body": "3 of 5 visits logged — 2 days left."}).encode()
    webpush = services.reminders.sender.webpush
    endpoint = "https://fcm.googleapis.com/fcm/send/x"
    webpush.get(payload, WebPushSubscription(endpoint=endpoint, keys={"p256dh": p256dh, "auth": auth}))
    started = time.perf_counter()
    for _ in range(samples):
        webpush.get(payload, WebPushSubscription(endpoint=endpoint, keys={"p256dh": p256dh, "auth": auth}))
    return (time.perf_counter() - started) / samples


async def run(args, data_dir: Path, sink_port: int) -> None:
    import httpx

    from backend.cli import _migrate, _services
    from backend.core.db import close_pool, start_pool

    await _migrate()
    services = _services()
    await start_pool(services.engine)
    workers = []
    try:
        now = datetime.now(UTC)
        due = now.replace(second=0, microsecond=0) + timedelta(minutes=1 if now.second < 40 else 2)
        zones = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC"]
        origin = f"http://127.0.0.1:{sink_port}"
        started = time.perf_counter()
        await seed(services, args.reps, origin, zones, due)
        print(f"seeded {args.reps} reps in {time.perf_counter() - started:.1f} s; reminders due at {due:%H:%M:%S} UTC")
        per_message = encryption_ceiling(services, 2000)
        # The real scheduler, as deployed: `followthrough worker` processes (each claims
        # chunks of the minute's reminders; `serve` runs the same loop).
        command = [str(REPO / ".venv" / "bin" / "followthrough"), "worker"]
        workers = [subprocess.Popen(
            [sys.executable, "-m", "cProfile", "-o", f"{args.profile}.{n}", *command] if args.profile else command,
            cwd=REPO, stdout=subprocess.DEVNULL) for n in range(args.processes)]
        # The workers' CPU from just before the minute is prepared: startup is not counted.
        await asyncio.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds() - 2.5))
        cpu_before = sum(cpu_seconds(worker.pid) for worker in workers)
        async with httpx.AsyncClient() as client:
            deadline = due + timedelta(seconds=args.timeout)
            received = []
            while datetime.now(UTC) < deadline:
                await asyncio.sleep(1)
                received = (await client.get(f"{origin}/stats")).json()
                if len(received) >= args.reps:
                    break
        worker_cpu = sum(cpu_seconds(worker.pid) for worker in workers) - cpu_before
        arrivals = sorted(t for _, t, _ in received)
        lateness = [t - due.timestamp() for t in arrivals]
        engine = "PostgreSQL" if args.postgres else "SQLite"
        duplicates = len(received) - len({path for path, _, _ in received})
        print(f"== {engine}, {args.processes} worker process(es): {len(arrivals)} of {args.reps} reminders "
              f"delivered to the local push sink ({duplicates} duplicates)")
        if len(arrivals) > 1:
            span = arrivals[-1] - arrivals[0]
            rate = len(arrivals) / max(arrivals[-1] - due.timestamp(), 1e-9)
            q = statistics.quantiles(lateness, n=100)
            print(f"sends/s (from the due time to the last arrival): {rate:,.0f}; first-to-last {span:.1f} s")
            print(f"lateness after the due time: p50 {q[49]:.2f} s, p99 {q[98]:.2f} s, max {max(lateness):.2f} s "
                  "(target p99 < 5 s)")
            print(f"CPU per delivered reminder (all workers, from the minute's preparation on): "
                  f"{worker_cpu / len(arrivals) * 1e6:.0f} µs "
                  f"(encryption alone {per_message * 1e6:.0f} µs)")
            ceiling = 1 / per_message
            cores = os.cpu_count() or 1
            print(f"encryption alone: {per_message * 1e6:.0f} µs/message = ceiling {ceiling:,.0f}/s on one core; "
                  f"ratio {rate / ceiling:.2f} (target >= 0.5); "
                  f"against all {cores} cores ({ceiling * cores:,.0f}/s): {rate / (ceiling * cores):.2f}")
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
        await services.reminders.sender.close()
        await close_pool(services.engine)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=10_000)
    parser.add_argument("--postgres", help="a scratch PostgreSQL URL (its tables are dropped)")
    parser.add_argument("--timeout", type=int, default=90, help="seconds after the due time to wait")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1,
                        help="`followthrough worker` processes sending reminders (default: one per core)")
    parser.add_argument("--profile", help="write each worker's cProfile statistics to PROFILE.<n>")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="followthrough-push-bench-"))
    sink_port = free_port()
    (data_dir / "sink.py").write_text(SINK)
    sink = subprocess.Popen([sys.executable, str(data_dir / "sink.py"), str(sink_port)], cwd=data_dir)
    os.environ.update({
        "DATA_DIR": str(data_dir), "SECRET_KEY": "bench", "PICCOLO_CONF": "backend.piccolo_conf",
        "DATABASE_URL": args.postgres or f"sqlite:///{data_dir / 'bench.db'}",
        "PUSH_TEST_ORIGINS": f"http://127.0.0.1:{sink_port}", "VAPID_SUBJECT": "mailto:bench@followthrough.example",
    })
    if args.postgres:
        sys.path.insert(0, str(REPO / "bench"))
        from sync import reset_postgres

        reset_postgres(args.postgres)
    sys.path.insert(0, str(REPO))
    try:
        time.sleep(1)
        asyncio.run(run(args, data_dir, sink_port))
    finally:
        sink.terminate()
        sink.wait(timeout=10)
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
