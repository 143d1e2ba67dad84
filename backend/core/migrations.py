"""Hand-written migrations: SQL that Piccolo's auto migrations do not write (composite and
covering indexes, data fixes). The same statements run on SQLite and PostgreSQL."""

from __future__ import annotations

import re

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.sqlite import SQLiteEngine


def sql_migration(migration_id: str, app_name: str, description: str, statements: list[str]) -> MigrationManager:
    """A migration that runs `statements` in order."""
    manager = MigrationManager(migration_id=migration_id, app_name=app_name, description=description)

    async def run_statements() -> None:
        engine = engine_finder()
        for statement in statements:
            await engine.run_ddl(statement)

    manager.add_raw(run_statements)
    return manager


async def unique_per_owner(table: str, column: str, index_name: str, owner: str = "user") -> None:
    """Make `column` unique per `owner` instead of across the table (ids a device chose are
    per owner: another user's use of an id must never affect mine, nor tell me it exists).
    Inside the migration's transaction, existing rows kept. Pair it with the snapshot's
    alter_column (unique True -> False) and MigrationManager._run_alter_columns disabled: a
    column's UNIQUE cannot be dropped in place on SQLite."""
    engine = engine_finder()
    if isinstance(engine, SQLiteEngine):
        # SQLite's way to drop a column constraint: a copy of the table without it. Only for a
        # table no other table references (dropping it would break their foreign keys).
        found = await engine.run_ddl(f"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '{table}'")
        indexes = await engine.run_ddl(
            f"SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = '{table}' AND sql IS NOT NULL")
        ddl, replaced = re.subn(rf'("{column}" \w+(?:\(\d+\))?) UNIQUE', r"\1", found[0]["sql"], count=1)
        assert replaced == 1, found[0]["sql"]
        copy = f"{table}_per_owner"
        await engine.run_ddl(ddl.replace(f'CREATE TABLE "{table}"', f'CREATE TABLE "{copy}"', 1))
        await engine.run_ddl(f'INSERT INTO "{copy}" SELECT * FROM "{table}"')
        await engine.run_ddl(f'DROP TABLE "{table}"')
        await engine.run_ddl(f'ALTER TABLE "{copy}" RENAME TO "{table}"')
        for index in indexes:
            await engine.run_ddl(index["sql"])
    else:
        await engine.run_ddl(f'ALTER TABLE "{table}" DROP CONSTRAINT IF EXISTS "{table}_{column}_key"')
    await engine.run_ddl(f'CREATE UNIQUE INDEX "{index_name}" ON "{table}" ("{owner}", "{column}")')
