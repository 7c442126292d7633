"""Copies of the whole archive: a consistent backup, also while the window has it open."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from db import Archive
from db.backup import backup_archive
from db.errors import raise_if_known


def backup(archive: Archive, destination: Path) -> Path:
    """A consistent copy of the archive (SQLite's online backup), written beside the
    destination first and moved into place when complete."""
    partial = destination.with_name(destination.name + ".partial")
    try:
        backup_archive(archive.path, partial)
        partial.replace(destination)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise_if_known(destination, exc)
        raise
    return destination
