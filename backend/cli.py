"""The `followthrough` command: serve | worker | migrate | demo | create-user | vapid."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from pathlib import Path

from backend.settings import load_settings


def _services():
    """The app's services (accounts, plans, …) without serving HTTP."""
    from backend.app import create_app

    return create_app(manage_pool=False).state


def _accounts():
    return _services().accounts


async def _migrate() -> None:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from backend.core.db import prepare_sqlite_file, sqlite_path

    settings = load_settings()
    if settings.is_sqlite:
        # Owner-only: it holds the database, the secret key and the VAPID keys.
        Path(sqlite_path(settings.database_url)).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        prepare_sqlite_file(settings.database_url)
    result = await run_forwards(app_name="all", migration_id="all", fake=False)
    if not result.success:
        raise SystemExit(f"Migration failed: {result.message}")


def cmd_migrate(args: argparse.Namespace) -> int:
    asyncio.run(_migrate())
    print("Database is up to date.")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from backend.demo import DEMO_STORY, demo_logins_text, seed_demo

    async def run() -> bool:
        services = _services()
        if args.if_empty and await services.accounts.user_count() > 0:
            return False
        await seed_demo(services)
        return True

    if asyncio.run(run()):
        # With --if-empty (make run) the server's banner shows the logins right after.
        print("Demo data loaded." + ("" if args.if_empty else " Demo logins:\n" + demo_logins_text()))
        print(DEMO_STORY)
    else:
        print("The database already has users: demo data not loaded.")
    return 0


def cmd_create_user(args: argparse.Namespace) -> int:
    from backend.core.errors import DomainError

    # Read and checked before anything is written: a refused password creates no team.
    password = None if args.invite else _read_password(args)

    async def run() -> str:
        accounts = _accounts()
        team_id = None
        if args.team:
            team_id = await accounts.team_id_by_name(args.team)
            if team_id is None:
                team_id = (await accounts.create_team(args.team, [])).id
                print(f"Created team {args.team!r}.")
        if args.invite:
            url = await accounts.create_invite_link(
                email=args.email, name=args.name, role=args.role, team_id=team_id
            )
            return f"Invitation for {args.email} (valid {load_settings().invite_days} days):\n  {url}"
        assert password is not None
        await accounts.create_user(
            email=args.email,
            name=args.name,
            password=password,
            role=args.role,
            team_id=team_id,
            time_zone=args.time_zone or "",
        )
        return f"Created {args.role} {args.email}."

    try:
        print(asyncio.run(run()))
    except DomainError as error:
        print(f"error: {error.detail}", file=sys.stderr)
        return 2
    return 0


def _read_password(args: argparse.Namespace) -> str:
    from backend.accounts.passwords import MIN_LENGTH, weak_password

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"Password (at least {MIN_LENGTH} characters, not a common one): ")
    reason = weak_password(password, email=args.email.strip().lower(), name=args.name)
    if reason:
        raise SystemExit(f"error: {reason}")
    return password


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = load_settings()
    if not (settings.frontend_dist / "index.html").is_file():
        print(f"warning: {settings.frontend_dist} has no built PWA; run `npm run build`.", file=sys.stderr)
    print(_banner(settings), flush=True)
    uvicorn.run(
        "backend.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=args.workers,
        log_level=args.log_level,
        server_header=False,  # "server: uvicorn" only tells a prober what to aim at
        **proxy_options(settings),
    )
    return 0


def proxy_options(settings) -> dict:
    """uvicorn believes X-Forwarded-For/-Proto only from FORWARDED_ALLOW_IPS. Its own
    default trusts 127.0.0.1, where anyone on the machine, or a proxy that passes the
    header through, could pick the address that the sign-in limit counts."""
    if not settings.forwarded_allow_ips:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": list(settings.forwarded_allow_ips)}


def _banner(settings) -> str:
    from backend.demo import DEMO_USERS, demo_logins_text

    async def has_demo() -> bool:
        accounts = _accounts()
        return bool(await accounts.existing_emails([DEMO_USERS[0].email]))

    text = f"\nFollowthrough is running: open {settings.public_url}\n"
    try:
        if asyncio.run(has_demo()):
            text += "Demo logins:\n" + demo_logins_text() + "\n"
    except Exception as error:  # the server still starts and reports the problem itself
        text += f"(could not read the database: {error.__class__.__name__})\n"
    return text


def cmd_vapid(args: argparse.Namespace) -> int:
    from backend.reminders.vapid import load_or_create

    settings = load_settings()
    keys, created = load_or_create(settings.data_dir)
    where = "from VAPID_PRIVATE_KEY/VAPID_PUBLIC_KEY" if os.environ.get("VAPID_PRIVATE_KEY") else (
        f"in {settings.data_dir} (owner-only files)")
    print(("Generated" if created else "Using") + f" the VAPID key pair {where}.")
    print(f"Public key (applicationServerKey): {keys.application_server_key}")
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    """The reminder scheduler without HTTP (several may run: each reminder is sent once)."""
    import gc
    import signal

    from backend.core.db import close_pool, start_pool
    from backend.reminders import scheduler

    async def run() -> None:
        services = _services()
        await start_pool(services.engine)
        gc.freeze()  # what startup loaded lives as long as the worker: keep collections short
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        print("Reminder worker running; Ctrl+C stops it.", flush=True)
        try:
            await scheduler.run(services.reminders, stop)
        finally:
            await services.reminders.sender.close()
            await close_pool(services.engine)

    # The same event loop `serve` runs on (uvicorn picks uvloop when it is installed):
    # a busy reminder minute is thousands of small network exchanges.
    with asyncio.Runner(loop_factory=_loop_factory()) as runner:
        runner.run(run())
    return 0


def _loop_factory():
    try:
        import uvloop
    except ImportError:  # uvicorn without its standard extras: asyncio's own loop
        return None
    return uvloop.new_event_loop


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="followthrough",
        description="Followthrough: sales accountability. Settings come from the environment "
        "(DATABASE_URL, SECRET_KEY, HOST, PORT, PUBLIC_URL, …; see README.md).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve the API and the PWA")
    serve.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "1")),
                       help="app processes (PostgreSQL only; SQLite wants 1). Default: $WORKERS or 1")
    serve.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    serve.set_defaults(func=cmd_serve)

    migrate = sub.add_parser("migrate", help="create or upgrade the database schema")
    migrate.set_defaults(func=cmd_migrate)

    demo = sub.add_parser("demo", help="load the demo team, users and data")
    demo.add_argument("--if-empty", action="store_true", help="only when the database has no users")
    demo.set_defaults(func=cmd_demo)

    vapid = sub.add_parser("vapid", help="create (once) and show the Web Push VAPID key pair")
    vapid.set_defaults(func=cmd_vapid)

    worker = sub.add_parser("worker", help="run the reminder scheduler without serving HTTP")
    worker.set_defaults(func=cmd_worker)

    create = sub.add_parser("create-user", help="create a user, or print a one-time invitation link")
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--role", choices=["rep", "manager", "admin"], default="rep")
    create.add_argument("--team", help="team name (created if it does not exist); required for reps")
    create.add_argument("--time-zone", help="IANA time zone, e.g. Europe/Berlin")
    create.add_argument("--invite", action="store_true",
                        help="print an invitation link instead of setting a password")
    create.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    create.set_defaults(func=cmd_create_user)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("PICCOLO_CONF", "backend.piccolo_conf")
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
