from backend.core.migrations import sql_migration

ID = "2026-11-25T08:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "activities: covering index for weekly tallies (manager review)"

INDEXES = [
    # Weekly tallies of a team (review screen, drill-down, progress export) read a range of
    # local weeks per rep and group by week, type and quality: with every column they read in
    # the index (deleted_at too, or SQLite does not take it as covering) they are index-only
    # scans in group-by order on both engines, without a sort. local_date last: a query that
    # still selects by local date and picks this index scans it without table lookups.
    # See bench/review.py.
    'CREATE INDEX activities_user_week_tally ON activities '
    '("user", week_start, activity_type, quality, outcome, deleted_at, local_date)',
]


async def forwards():
    return sql_migration(ID, "activities", DESCRIPTION, INDEXES)
