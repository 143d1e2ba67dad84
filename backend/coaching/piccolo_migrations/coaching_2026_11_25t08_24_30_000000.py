from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-25T08:24:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "coaching: composite keys"

INDEXES = [
    # One reflection per rep and week: two devices writing the same week update one row.
    'CREATE UNIQUE INDEX reflections_user_week ON reflections ("user", week_start)',
    'CREATE INDEX checkins_user_started ON checkins ("user", started_at)',
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="coaching", description=DESCRIPTION)

    async def composite_keys():
        engine = engine_finder()
        for statement in INDEXES:
            await engine.run_ddl(statement)

    manager.add_raw(composite_keys)
    return manager
