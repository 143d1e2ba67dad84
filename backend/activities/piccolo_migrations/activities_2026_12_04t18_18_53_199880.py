"""Activity ids are unique per owner, not globally (issue 14, item 7): another rep's
delete of an id I have not synced yet left a tombstone of theirs that refused my create,
and a foreign id answered differently from an unknown one. Devices also say whether their
clock reading was plausible (sync_clients.clock_known)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.columns.column_types import Boolean
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-04T18:18:53:199880"
VERSION = "1.38.0"
DESCRIPTION = "activity ids unique per owner; device clock known"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="activities", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="SyncClient",
        tablename="sync_clients",
        column_name="clock_known",
        db_column_name="clock_known",
        column_class_name="Boolean",
        column_class=Boolean,
        params={
            "default": True,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.alter_column(
        table_class_name="Activity",
        tablename="activities",
        column_name="uid",
        db_column_name="uid",
        params={"unique": False},
        old_params={"unique": True},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )
    # The alteration above is for Piccolo's schema snapshot only: on SQLite a column's UNIQUE
    # cannot be dropped in place, so per_owner_ids below does it on both engines.
    manager._run_alter_columns = _snapshot_only
    manager.add_raw(per_owner_ids)

    return manager


async def _snapshot_only(backwards: bool = False) -> None:
    return None


async def per_owner_ids() -> None:
    engine = engine_finder()
    if isinstance(engine, SQLiteEngine):
        # SQLite's way to drop a column constraint: a copy of the table without it, inside
        # the migration's transaction (no table references activities).
        table = await engine.run_ddl("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'activities'")
        indexes = await engine.run_ddl(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'activities' AND sql IS NOT NULL")
        ddl = table[0]["sql"]
        assert '"uid" VARCHAR(36) UNIQUE' in ddl, ddl
        ddl = ddl.replace('"uid" VARCHAR(36) UNIQUE', '"uid" VARCHAR(36)', 1)
        ddl = ddl.replace('CREATE TABLE "activities"', 'CREATE TABLE "activities_per_owner"', 1)
        await engine.run_ddl(ddl)
        await engine.run_ddl('INSERT INTO "activities_per_owner" SELECT * FROM "activities"')
        await engine.run_ddl('DROP TABLE "activities"')
        await engine.run_ddl('ALTER TABLE "activities_per_owner" RENAME TO "activities"')
        for index in indexes:
            await engine.run_ddl(index["sql"])
    else:
        await engine.run_ddl("ALTER TABLE activities DROP CONSTRAINT IF EXISTS activities_uid_key")
    await engine.run_ddl('CREATE UNIQUE INDEX activities_user_uid ON activities ("user", uid)')
