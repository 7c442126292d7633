"""Consistent copies of a live archive, with SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path


def backup_archive(source: Path, destination: Path) -> Path:
    """Copy an archive page by page; consistent even while another connection writes."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(str(destination))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return destination


def pre_migration_backup_path(path: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return path.with_name(f"{path.name}.before-upgrade-{stamp}.bak")
