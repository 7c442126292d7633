"""Schema upgrades with Alembic, configured in code, with a backup taken before each one.

An upgrade (and the creation of a new archive's schema) is one SQLite transaction: a kill
or a crash half-way leaves the archive as it was before, never with half a schema.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.pool import NullPool

from db.backup import backup_archive, pre_migration_backup_path

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def script_revisions() -> list[str]:
    """Revisions of the shipped migration scripts, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def upgrade(
    path: Path,
    *,
    had_data: bool,
    busy_timeout_ms: int,
    on_connect: Any = None,
    target: str = "head",
    downgrade: bool = False,
) -> None:
    """Bring the archive to the newest schema (or to target) in one transaction; back it up
    first if it already held a schema.

    Python's sqlite3 module commits before every CREATE/ALTER on its own, so the connection
    is put in autocommit mode and the transaction is begun by hand: BEGIN IMMEDIATE takes
    the write lock first, so that of two programs creating the same new archive at once the
    second waits, then finds the schema made and does nothing.
    """
    if had_data:
        backup_archive(path, pre_migration_backup_path(path))
    engine = create_engine(
        f"sqlite:///{path}",
        poolclass=NullPool,
        connect_args={"timeout": busy_timeout_ms / 1000},
    )

    @event.listens_for(engine, "connect")
    def _autocommit(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        if on_connect is not None:
            on_connect(dbapi_connection)
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            if downgrade:
                command.downgrade(config, target)
            else:
                command.upgrade(config, target)
    finally:
        engine.dispose()


_SCHEMAS: dict[str, dict[str, list[Any]]] = {}


def schema_at(revision: str, tables: tuple[str, ...]) -> dict[str, list[Any]]:
    """The columns (db.recovery.Column) of tables as the migrations make them at revision,
    read from a scratch archive built for the purpose (and remembered)."""
    from db.recovery import Column

    if revision not in _SCHEMAS:
        with tempfile.TemporaryDirectory(prefix="iav-schema-") as folder:
            path = Path(folder) / "schema.sqlite"
            upgrade(path, had_data=False, busy_timeout_ms=1000, target=revision)
            connection = sqlite3.connect(path)
            try:
                found: dict[str, list[Any]] = {}
                for table in tables:
                    info = connection.execute(f'PRAGMA table_info("{table}")').fetchall()
                    keys = [row for row in info if row[5]]
                    links = {
                        row[3]: row[2]
                        for row in connection.execute(f'PRAGMA foreign_key_list("{table}")')
                    }
                    found[table] = [
                        Column(
                            name=row[1],
                            kind=str(row[2]).upper(),
                            not_null=bool(row[3]),
                            rowid_alias=len(keys) == 1
                            and row[5] == 1
                            and str(row[2]).upper() == "INTEGER",
                            references=links.get(row[1]),
                        )
                        for row in info
                    ]
            finally:
                connection.close()
        _SCHEMAS[revision] = found
    return _SCHEMAS[revision]


# Any fixed number: two programs upgrading one team archive at once take turns on it.
UPGRADE_LOCK = 0x1A7C_0015


def upgrade_server(engine: Engine, target: str = "head") -> None:
    """Bring a team archive to the newest schema in one transaction (PostgreSQL's DDL is
    transactional: a failure leaves the schema as it was). An advisory lock makes a second
    program wait and then find nothing left to do."""
    config = alembic_config()
    with engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPGRADE_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, target)
