from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-25T06:20:36:403792"
VERSION = "1.38.0"
DESCRIPTION = "plans: composite unique keys"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="plans", description=DESCRIPTION)

    async def composite_keys():
        # One plan per rep and week; one key per team's activity type. Same SQL on both engines.
        engine = engine_finder()
        await engine.run_ddl('CREATE UNIQUE INDEX plans_user_week ON plans ("user", week_start)')
        await engine.run_ddl("CREATE UNIQUE INDEX activity_types_team_key ON activity_types (team, key)")

    manager.add_raw(composite_keys)
    return manager
