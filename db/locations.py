"""Where an archive is, told without opening it (and without loading SQLAlchemy): a team
archive's URL or a file, the URL as messages show it, a file on read-only media, the URI
that opens a file read-only."""

from __future__ import annotations

import os
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
SERVER_SCHEMES = ("postgresql://", "postgresql+psycopg://", "postgres://")


def is_server_url(location: str | os.PathLike[str]) -> bool:
    """Whether an --archive value names a team archive on a PostgreSQL server."""
    return isinstance(location, str) and location.startswith(SERVER_SCHEMES)


def public_location(location: str) -> str:
    """A team archive's URL as messages show it (no password), without loading psycopg."""
    _scheme, _, rest = location.partition("://")
    credentials, at, place = rest.rpartition("@")
    if not at:
        return location
    return f"postgresql://{credentials.split(':', 1)[0]}@{place}"


def on_read_only_mount(path: Path) -> bool:
    """Whether path's file system is mounted read-only (a CD, a locked card, a ro mount)."""
    try:
        return bool(os.statvfs(path).f_flag & getattr(os, "ST_RDONLY", 1))
    except (OSError, AttributeError):
        return False


def read_only_uri(path: Path, *, immutable: bool) -> str:
    """A URI that opens path read-only. immutable=1 also tells SQLite that nobody writes
    the file, so it needs no -wal or -shm beside it: the only way to read a WAL archive on
    read-only media, where those files cannot be made."""
    return f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
