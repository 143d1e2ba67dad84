from backend.core.migrations import sql_migration

ID = "2026-12-04T19:05:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "alerts: one alert per manager, kind and local day; inbox and outbox reads"

INDEXES = [
    # At most once a day per kind: every scheduler process inserts, one row stays.
    'CREATE UNIQUE INDEX manager_alerts_once_a_day ON manager_alerts ("user", kind, local_date)',
    'CREATE INDEX manager_alerts_user_fire ON manager_alerts ("user", fire_at)',
    'CREATE INDEX alert_events_team_at ON alert_events (team, at)',
]


async def forwards():
    return sql_migration(ID, "alerts", DESCRIPTION, INDEXES)
