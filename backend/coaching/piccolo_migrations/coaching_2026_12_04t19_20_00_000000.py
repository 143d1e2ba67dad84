"""Reflection ids are unique per owner, not globally (issue 14, item 7), as activity ids
became in activities_2026_12_04t18_18_53_199880: another rep's reflection id answered
`rejected not_found` while an unknown id applied (telling that it exists), and another
rep's use of an id refused mine."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar

from backend.core.migrations import unique_per_owner

ID = "2026-12-04T19:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "reflection ids unique per owner"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="coaching", description=DESCRIPTION)
    manager.alter_column(
        table_class_name="Reflection",
        tablename="reflections",
        column_name="uid",
        db_column_name="uid",
        params={"unique": False},
        old_params={"unique": True},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )
    # The alteration above is for Piccolo's schema snapshot only: on SQLite a column's UNIQUE
    # cannot be dropped in place, so unique_per_owner does it on both engines.
    manager._run_alter_columns = _snapshot_only
    manager.add_raw(per_owner_ids)
    return manager


async def _snapshot_only(backwards: bool = False) -> None:
    return None


async def per_owner_ids() -> None:
    await unique_per_owner("reflections", "uid", "reflections_user_uid")
