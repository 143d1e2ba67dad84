"""create_app(settings): the one place that wires every domain into the Litestar app."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from litestar import Litestar, Request, get
from litestar.config.compression import CompressionConfig
from litestar.di import Provide
from litestar.exceptions import ServiceUnavailableException
from litestar.logging import LoggingConfig
from litestar.openapi import OpenAPIConfig

from backend import __version__
from backend.accounts.controller import CONTROLLERS as ACCOUNT_CONTROLLERS
from backend.accounts.passwords import Passwords
from backend.accounts.service import Accounts, AccountsConfig
from backend.accounts.throttle import ThrottleConfig
from backend.accounts.web import SessionAuthMiddleware
from backend.activities.controller import ROUTES as ACTIVITY_ROUTES
from backend.activities.service import Activities
from backend.alerts.controller import ROUTES as ALERT_ROUTES
from backend.alerts.service import Alerts
from backend.coaching.controller import ROUTES as COACHING_ROUTES
from backend.coaching.service import Coaching
from backend.core.db import close_pool, ping, start_pool
from backend.core.http import (
    EXCEPTION_HANDLERS,
    MAX_BODY_BYTES,
    CSRFMiddleware,
    check_request,
    security_headers_hook,
)
from backend.core.openapi import MsgspecSchemaJson, document_responses
from backend.core.static import spa, spa_root
from backend.plans.controller import ROUTES as PLAN_ROUTES
from backend.plans.service import Plans
from backend.reminders import scheduler
from backend.reminders.controller import ROUTES as REMINDER_ROUTES
from backend.reminders.rules import DEFAULT_PUSH_HOSTS
from backend.reminders.sender import PushSender
from backend.reminders.service import Reminders
from backend.reminders.vapid import load_or_create
from backend.review.controller import ROUTES as REVIEW_ROUTES
from backend.review.service import Review
from backend.settings import Settings, load_settings
from shared_schemas import Health


@get("/api/health", opt={"exclude_from_auth": True}, tags=["system"])
async def health(request: Request) -> Health:
    """200 when the app can reach its database, 503 otherwise (for load balancers)."""
    if not await ping(request.app.state.engine):
        raise ServiceUnavailableException(detail="The database is not reachable.")
    return Health(status="ok", database="ok")


def create_app(settings: Settings | None = None, *, manage_pool: bool = True) -> Litestar:
    settings = settings or load_settings()
    # Imported here so that DATABASE_URL is read when the app is made, not at import.
    from backend.piccolo_conf import DB as engine

    accounts = Accounts(
        engine,
        AccountsConfig(
            secret_key=settings.secret_key,
            session_idle=timedelta(days=settings.session_idle_days),
            session_max=timedelta(days=settings.session_max_days),
            invite_valid=timedelta(days=settings.invite_days),
            public_url=settings.public_url,
            throttle=ThrottleConfig(
                attempts_per_address=settings.login_attempts_per_minute,
                failures_per_account=settings.login_failures_per_account,
                failure_window=timedelta(minutes=settings.login_failure_window_minutes),
            ),
        ),
        Passwords(time_cost=settings.argon2_time_cost, memory_kib=settings.argon2_memory_kib),
    )

    plans = Plans(engine, accounts)
    activities = Activities(engine, accounts, plans)
    plans.use_activity_counter(activities.tally, activities.tally_many)  # week progress is settled from logged activity
    vapid_keys, _ = load_or_create(settings.data_dir)
    sender = PushSender(vapid_keys, settings.vapid_subject, DEFAULT_PUSH_HOSTS + settings.push_hosts,
                        settings.push_test_origins)
    reminders = Reminders(engine, accounts, plans, sender, vapid_keys.application_server_key)
    accounts.on_sessions_ended.append(reminders.forget_sessions)
    accounts.on_user_deactivated.append(reminders.forget_user)
    review = Review(engine, accounts, plans, activities, notify=reminders.notify)
    coaching = Coaching(engine, accounts, plans, activities, review)  # reflections ride the sync outbox
    reminders.add_source(coaching.due_reminders)  # reflect before the 1:1; commitments due today
    # Manager alerts: events into the outbox in the cause's transaction; each tick builds the
    # day's grouped alerts (the inbox), then pushes them through the reminders' claims.
    alerts = Alerts(engine, accounts, review, coaching)
    plans.events.listen(alerts.record)
    coaching.events.listen(alerts.record)
    reminders.add_before_prepare(alerts.materialize)
    reminders.add_source(alerts.due_pushes, roles=("manager",))

    @asynccontextmanager
    async def pool(_: Litestar) -> AsyncIterator[None]:
        if manage_pool:
            await start_pool(engine)
            # Everything loaded at startup lives as long as the process: out of the
            # collector's sight, so full collections stay short (they set the p99).
            gc.freeze()
        stop = asyncio.Event()
        loop = asyncio.create_task(scheduler.run(reminders, stop)) if manage_pool and settings.scheduler else None
        # Tombstones past their horizon go where reminders are sent: in `serve` (safe in every process).
        pruning = asyncio.create_task(activities.prune_loop(stop)) if manage_pool and settings.scheduler else None
        try:
            yield
        finally:
            stop.set()
            if loop:
                await loop
            if pruning:
                await pruning
            await sender.close()
            await activities.settle()  # pulls being noted
            if manage_pool:
                await close_pool(engine)

    # Routes opt out with opt={"exclude_from_auth": True}: the PWA's files, login, health.
    auth_exclude: list[str] = []
    if settings.openapi_public:
        auth_exclude.append(r"^/schema")

    app = Litestar(
        route_handlers=[
            health, *ACCOUNT_CONTROLLERS, *PLAN_ROUTES, *ACTIVITY_ROUTES, *REMINDER_ROUTES, *REVIEW_ROUTES, *COACHING_ROUTES, *ALERT_ROUTES, spa_root, spa
        ],
        dependencies={
            "accounts": Provide(lambda: accounts, sync_to_thread=False, use_cache=True),
            "plans": Provide(lambda: plans, sync_to_thread=False, use_cache=True),
            "activities": Provide(lambda: activities, sync_to_thread=False, use_cache=True),
            "reminders": Provide(lambda: reminders, sync_to_thread=False, use_cache=True),
            "review": Provide(lambda: review, sync_to_thread=False, use_cache=True),
            "coaching": Provide(lambda: coaching, sync_to_thread=False, use_cache=True),
            "alerts": Provide(lambda: alerts, sync_to_thread=False, use_cache=True),
        },
        middleware=[
            CSRFMiddleware(settings.origin),
            lambda app: SessionAuthMiddleware(app, exclude=auth_exclude or None),
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        before_send=[security_headers_hook(settings.public_url)],
        before_request=check_request,
        request_max_body_size=MAX_BODY_BYTES,
        # gzip for answers above 1 KiB: the app's JS on a phone, a first sync's pull, CSV exports.
        compression_config=CompressionConfig(backend="gzip", minimum_size=1024, gzip_compress_level=6),
        openapi_config=OpenAPIConfig(
            title="Followthrough API",
            version=__version__,
            path="/schema",
            render_plugins=[MsgspecSchemaJson()],
        ),
        # 4xx are answers, not incidents; 500s are logged with their trace by server_error.
        logging_config=LoggingConfig(log_exceptions="never"),
        lifespan=[pool],
        state=None,
        on_app_init=[lambda config: _state(
            config, settings=settings, engine=engine, accounts=accounts, plans=plans, activities=activities,
            reminders=reminders, review=review, coaching=coaching, alerts=alerts,
        )],
    )
    document_responses(app)
    return app


def _state(config, **services):
    config.state.update(services)
    return config
