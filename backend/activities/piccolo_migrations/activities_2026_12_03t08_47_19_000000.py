from backend.core.migrations import sql_migration

ID = "2026-12-03T08:47:19:000000"
VERSION = "1.38.0"
DESCRIPTION = "sync_batches: found by device and seq"

INDEXES = [
    # A replay's seqs: the runs of the device that end at or after the first of them.
    "CREATE INDEX sync_batches_client_last_seq ON sync_batches (client, last_seq)",
]


async def forwards():
    return sql_migration(ID, "activities", DESCRIPTION, INDEXES)
