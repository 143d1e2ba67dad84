from backend.core.migrations import sql_migration

ID = "2026-11-25T07:11:14:233657"
VERSION = "1.38.0"
DESCRIPTION = "reminders: composite keys"

INDEXES = [
    # Claimed before sending: each occurrence of each reminder is sent once.
    'CREATE UNIQUE INDEX reminder_sends_occurrence ON reminder_sends ("user", kind, local_date, wall_time)',
]


async def forwards():
    return sql_migration(ID, "reminders", DESCRIPTION, INDEXES)
