"""Hand-written migrations: SQL that Piccolo's auto migrations do not write (composite and
covering indexes, data fixes). The same statements run on SQLite and PostgreSQL."""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder


def sql_migration(migration_id: str, app_name: str, description: str, statements: list[str]) -> MigrationManager:
    """A migration that runs `statements` in order."""
    manager = MigrationManager(migration_id=migration_id, app_name=app_name, description=description)

    async def run_statements() -> None:
        engine = engine_finder()
        for statement in statements:
            await engine.run_ddl(statement)

    manager.add_raw(run_statements)
    return manager
