"""Piccolo configuration: the engine comes from DATABASE_URL (see backend/settings.py)."""

from piccolo.conf.apps import AppRegistry

from backend.core.db import make_engine
from backend.settings import load_settings

DB = make_engine(load_settings().database_url)

APP_REGISTRY = AppRegistry(
    apps=[
        "backend.accounts.piccolo_app",
        "backend.plans.piccolo_app",
        "backend.activities.piccolo_app",
        "backend.reminders.piccolo_app",
        "backend.review.piccolo_app",
        "backend.coaching.piccolo_app",
        "backend.alerts.piccolo_app",
    ]
)
