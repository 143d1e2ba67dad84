from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-03T08:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "sync_mutations: keep receipts of rejected mutations only"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="activities", description=DESCRIPTION)

    async def drop_applied_receipts():
        # A push no longer writes a receipt for an applied seq: up to the device's last_seq,
        # no receipt means applied, so these rows answer nothing the server does not know.
        await engine_finder().run_ddl("DELETE FROM sync_mutations WHERE status = 'applied'")

    manager.add_raw(drop_applied_receipts)
    return manager
