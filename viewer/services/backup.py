"""Copies of the whole archive: a consistent backup, also while the window has it open."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from db import Archive
from db.backup import backup_archive
from db.errors import Condition, classify, raise_if_known
from viewer.services.outputs import check_output, output_error, temporary_beside

_WRITING_CONDITIONS = (
    Condition.FULL,
    Condition.READ_ONLY,
    Condition.CANNOT_OPEN,
    Condition.PERMISSION,
)


def backup(archive: Archive, destination: Path) -> Path:
    """A consistent copy of the archive (SQLite's online backup), written beside the
    destination first and moved into place when complete. The archive itself (and its
    working files) is refused as a destination."""
    archive.refuse_if_damaged()  # a copy of a damaged file is a damaged file: recover it
    check_output(archive, destination, "the backup")
    partial = temporary_beside(destination)
    try:
        backup_archive(archive.path, partial)
        partial.replace(destination)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, OSError) or classify(exc) in _WRITING_CONDITIONS:
            # the copy could not be written (SQLite reports a full disk as its own error)
            raise output_error(destination, exc) from exc
        raise_if_known(archive.path, exc)  # the archive could not be read
        raise
    return destination
