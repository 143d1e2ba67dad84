from backend.core.migrations import sql_migration

ID = "2026-11-25T06:20:36:403792"
VERSION = "1.38.0"
DESCRIPTION = "plans: composite unique keys"

INDEXES = [
    # One plan per rep and week; one key per team's activity type.
    'CREATE UNIQUE INDEX plans_user_week ON plans ("user", week_start)',
    "CREATE UNIQUE INDEX activity_types_team_key ON activity_types (team, key)",
]


async def forwards():
    return sql_migration(ID, "plans", DESCRIPTION, INDEXES)
