from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-25T06:35:16:413818"
VERSION = "1.38.0"
DESCRIPTION = "activities: composite keys"

INDEXES = [
    # One result per device and seq; a device id is unique per user.
    "CREATE UNIQUE INDEX sync_mutations_client_seq ON sync_mutations (client, seq)",
    'CREATE UNIQUE INDEX sync_clients_user_client ON sync_clients ("user", client_id)',
    # Pull by change counter; week progress by local week.
    'CREATE INDEX activities_user_version ON activities ("user", version)',
    'CREATE INDEX activities_user_local_date ON activities ("user", local_date)',
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="activities", description=DESCRIPTION)

    async def composite_keys():
        engine = engine_finder()
        for statement in INDEXES:
            await engine.run_ddl(statement)

    manager.add_raw(composite_keys)
    return manager
