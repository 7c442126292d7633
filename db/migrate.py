"""Schema upgrades with Alembic, configured in code, with a backup taken before each one."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

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


def upgrade(engine: Engine, path: Path, *, had_data: bool) -> None:
    """Bring the archive to the newest schema; back it up first if it already held a schema."""
    if had_data:
        backup_archive(path, pre_migration_backup_path(path))
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
