from backend.core.migrations import sql_migration

ID = "2026-11-25T08:24:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "coaching: composite keys"

INDEXES = [
    # One reflection per rep and week: two devices writing the same week update one row.
    'CREATE UNIQUE INDEX reflections_user_week ON reflections ("user", week_start)',
    'CREATE INDEX checkins_user_started ON checkins ("user", started_at)',
]


async def forwards():
    return sql_migration(ID, "coaching", DESCRIPTION, INDEXES)
