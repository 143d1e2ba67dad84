from backend.core.migrations import sql_migration

ID = "2026-11-25T06:35:16:413818"
VERSION = "1.38.0"
DESCRIPTION = "activities: composite keys"

INDEXES = [
    # One receipt per device and seq; a device id is unique per user.
    "CREATE UNIQUE INDEX sync_mutations_client_seq ON sync_mutations (client, seq)",
    'CREATE UNIQUE INDEX sync_clients_user_client ON sync_clients ("user", client_id)',
    # Pull by change counter; week progress by local week.
    'CREATE INDEX activities_user_version ON activities ("user", version)',
    'CREATE INDEX activities_user_local_date ON activities ("user", local_date)',
]


async def forwards():
    return sql_migration(ID, "activities", DESCRIPTION, INDEXES)
