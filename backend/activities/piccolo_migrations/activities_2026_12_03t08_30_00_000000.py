from backend.core.migrations import sql_migration

ID = "2026-12-03T08:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "sync_mutations: keep receipts of rejected mutations only"

STATEMENTS = [
    # A push no longer writes a receipt for an applied seq: up to the device's last_seq, no
    # receipt means applied, so these rows answer nothing the server does not know.
    "DELETE FROM sync_mutations WHERE status = 'applied'",
]


async def forwards():
    return sql_migration(ID, "activities", DESCRIPTION, STATEMENTS)
