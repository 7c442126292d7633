"""Opening an archive file: checks, connection settings, and schema upgrades on open."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from db.errors import ArchiveError, archive_error, raise_if_known
from db.schema import SCHEMA_HEAD, SCHEMA_REVISIONS

__all__ = ["Archive", "ArchiveError", "archive_error", "open_archive"]

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


def _apply_pragmas(dbapi_connection: sqlite3.Connection, writable: bool) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    if writable:
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _inspect_existing(path: Path) -> str | None:
    """Return the schema revision of an existing file, refusing anything that is not ours.

    Reads with a read-only connection so that a file we refuse is left byte-for-byte as it was.
    """
    if path.is_dir():
        raise ArchiveError(f"cannot use archive {path}: it is a folder, not an archive file")
    if not os.access(path, os.R_OK):
        raise ArchiveError(f"cannot use archive {path}: permission denied (it is not readable)")
    size = path.stat().st_size
    if size == 0:
        return None
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_MAGIC))
    if header != SQLITE_MAGIC:
        raise ArchiveError(
            f"cannot use archive {path}: it is not an Incident Archive Viewer archive "
            "(not a SQLite database)"
        )
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if not tables:
                return None
            if "alembic_version" not in tables:
                raise ArchiveError(
                    f"cannot use archive {path}: it is a SQLite database but not an "
                    "Incident Archive Viewer archive"
                )
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise_if_known(path, exc)
        raise
    return row[0] if row else None


class Archive:
    """An open archive: a SQLAlchemy engine plus the path it was opened from."""

    def __init__(self, path: Path, engine: Engine, *, writable: bool) -> None:
        self.path = path
        self.engine = engine
        self.writable = writable
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def name(self) -> str:
        return self.path.stem

    def session(self) -> Session:
        return self._sessions()

    @contextmanager
    def raw_connection(self) -> Iterator[sqlite3.Connection]:
        """A plain sqlite3 connection in autocommit mode, for bulk writes that manage
        their own transactions (the importer). Same pragmas as the engine's connections."""
        connection = sqlite3.connect(
            str(self.path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
        )
        try:
            _apply_pragmas(connection, self.writable)
            yield connection
        finally:
            connection.close()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _make_engine(path: Path, writable: bool) -> Engine:
    if writable:
        url = f"sqlite:///{path}"
        connect_args: dict[str, Any] = {"check_same_thread": False}
    else:
        url = f"sqlite:///file:{path.resolve()}?mode=ro&uri=true"
        connect_args = {"check_same_thread": False, "uri": True}
    engine = create_engine(url, connect_args=connect_args)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        _apply_pragmas(dbapi_connection, writable)

    return engine


def open_archive(path: str | os.PathLike[str], *, create: bool = True) -> Archive:
    """Open (and if needed create or upgrade) the archive at path.

    Raises ArchiveError with a message for the user when the file cannot be used;
    a file that is refused is not modified.
    """
    path = Path(path).expanduser()
    exists = path.exists()
    revision = _inspect_existing(path) if exists else None
    if not exists:
        if not create:
            raise ArchiveError(f"cannot use archive {path}: no such file")
        if not path.parent.is_dir():
            raise ArchiveError(
                f"cannot create archive {path}: the folder {path.parent} does not exist"
            )
    if revision is not None and revision not in SCHEMA_REVISIONS:
        raise ArchiveError(
            f"cannot use archive {path}: it was made by a newer version of Incident Archive "
            f"Viewer (schema {revision}); install that version or a later one to open it"
        )
    writable = os.access(path.parent, os.W_OK) and (not exists or os.access(path, os.W_OK))
    if not writable and revision != SCHEMA_HEAD:
        raise ArchiveError(
            f"cannot use archive {path}: it is read-only and needs a schema upgrade; "
            "copy it to a writable place first"
        )
    engine = _make_engine(path, writable)
    try:
        if revision != SCHEMA_HEAD:
            from db.migrate import upgrade  # Alembic is slow to import: only when needed.

            upgrade(
                path,
                had_data=revision is not None,
                busy_timeout_ms=BUSY_TIMEOUT_MS,
                on_connect=lambda connection: _apply_pragmas(connection, True),
            )
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1 FROM incidents LIMIT 1")
    except Exception as exc:
        engine.dispose()
        raise_if_known(path, exc)
        raise  # a bug (a migration failing, say): the crash handler logs it
    return Archive(path, engine, writable=writable)
