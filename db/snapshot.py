"""An archive file read with plain sqlite3, read-only, for a command that only reads and
must start fast (`search`): SQLAlchemy, the models and the migrations are never imported.

Only an archive this program would open as it is qualifies (a readable SQLite file at the
current schema); for anything else (no file yet, an older or newer schema, not an archive,
unreadable, locked) open_snapshot says None and the caller opens the archive the usual way
(db.archive.open_archive), which creates, upgrades, refuses or reports as it always does.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from db.fts_search import Run
from db.locations import BUSY_TIMEOUT_MS, SQLITE_MAGIC, read_only_uri
from db.schema import SCHEMA_HEAD


def open_snapshot(path: Path) -> sqlite3.Connection | None:
    """A read-only connection to the archive file at path, or None (see the module)."""
    try:
        with path.open("rb") as handle:
            if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                return None
    except OSError:  # no such file, a folder, no permission
        return None
    try:
        connection = sqlite3.connect(
            read_only_uri(path, immutable=False), uri=True, isolation_level=None,
            timeout=BUSY_TIMEOUT_MS / 1000,
        )  # fmt: skip
    except sqlite3.Error:
        return None
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        row = None
    if row is None or row[0] != SCHEMA_HEAD:
        connection.close()
        return None
    return connection


def runner(connection: sqlite3.Connection) -> Run:
    """db.fts_search's way of running a statement, on this connection."""

    def run(sql: str, params: dict[str, object]) -> Sequence[Any]:
        return connection.execute(sql, params).fetchall()

    return run
