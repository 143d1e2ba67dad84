from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-25T07:11:14:233657"
VERSION = "1.38.0"
DESCRIPTION = "reminders: composite keys"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="reminders", description=DESCRIPTION)

    async def composite_keys():
        # Claimed before sending: each occurrence of each reminder is sent once.
        await engine_finder().run_ddl(
            'CREATE UNIQUE INDEX reminder_sends_occurrence ON reminder_sends ("user", kind, local_date, wall_time)'
        )

    manager.add_raw(composite_keys)
    return manager
