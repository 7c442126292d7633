"""Storage errors are told apart by SQLite's result code: known conditions become one line
the user can act on, everything else stays a bug (with its traceback)."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

import db.archive
from db import ArchiveError, open_archive
from db.errors import ArchiveDamaged, Condition, archive_error, classify


def _error_of(connection: sqlite3.Connection, sql: str) -> sqlite3.Error:
    with pytest.raises(sqlite3.Error) as caught:
        connection.execute(sql)
    return caught.value


def test_busy_by_code(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    error = _error_of(other, "BEGIN IMMEDIATE")
    assert classify(error) is Condition.BUSY
    holder.execute("ROLLBACK")


def test_read_only_by_code(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite"
    sqlite3.connect(path).execute("CREATE TABLE t (x)")
    reader = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    assert classify(_error_of(reader, "INSERT INTO t VALUES (1)")) is Condition.READ_ONLY


def test_full_by_code(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / "x.sqlite")
    connection.execute("CREATE TABLE t (x)")
    connection.execute("PRAGMA max_page_count = 3")
    error = _error_of(connection, "INSERT INTO t SELECT zeroblob(100000)")
    assert classify(error) is Condition.FULL
    message = str(archive_error(tmp_path / "x.sqlite", error))
    assert message.endswith("the disk is full; free some space and try again")


def test_damage_and_not_a_database_by_code(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (x)")
        connection.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 200)
    data = bytearray(path.read_bytes())
    data[4096 + 8 : 4096 + 60] = b"\xff" * 52  # the second page's header and cells
    path.write_bytes(bytes(data))
    error = _error_of(sqlite3.connect(path), "SELECT count(*), max(length(x)) FROM t")
    assert classify(error) is Condition.DAMAGED
    assert isinstance(archive_error(path, error), ArchiveDamaged)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"x" * 8192)
    assert classify(_error_of(sqlite3.connect(junk), "SELECT * FROM sqlite_master")) is (
        Condition.DAMAGED
    )


def test_a_wrapped_error_is_classified_by_the_error_it_wraps(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / "x.sqlite")
    connection.execute("CREATE TABLE t (x)")
    connection.execute("PRAGMA max_page_count = 3")
    original = _error_of(connection, "INSERT INTO t SELECT zeroblob(100000)")
    wrapped = OperationalError("INSERT ...", {}, original)
    assert classify(wrapped) is Condition.FULL


def test_bugs_are_not_conditions() -> None:
    connection = sqlite3.connect(":memory:")
    assert classify(_error_of(connection, "SELECT * FROM no_such_table")) is None
    connection.execute("CREATE TABLE t (x UNIQUE)")
    connection.execute("INSERT INTO t VALUES (1)")
    assert classify(_error_of(connection, "INSERT INTO t VALUES (1)")) is None
    assert classify(KeyError("x")) is None
    assert archive_error(Path("a"), ValueError("x")) is None


def test_os_errors_by_errno() -> None:
    assert classify(OSError(errno.ENOSPC, "No space left on device")) is Condition.FULL
    assert classify(OSError(errno.EROFS, "Read-only file system")) is Condition.READ_ONLY
    assert classify(OSError(errno.EIO, "Input/output error")) is Condition.DISK_ERROR
    assert classify(OSError(errno.EBADF, "Bad file descriptor")) is None


def test_a_bug_while_opening_is_not_disguised_as_an_unusable_archive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every exception used to become "cannot use archive" (exit 2, nothing logged)."""

    def broken_migration(*args: object, **kwargs: object) -> None:
        raise KeyError("revision")

    monkeypatch.setattr("db.migrate.upgrade", broken_migration)
    with pytest.raises(KeyError):
        open_archive(tmp_path / "new.sqlite")


def test_a_full_disk_while_opening_is_a_known_condition(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = db.archive._apply_pragmas

    def tiny_disk(connection: sqlite3.Connection, writable: bool) -> None:
        real(connection, writable)
        connection.execute("PRAGMA max_page_count = 4")

    monkeypatch.setattr(db.archive, "_apply_pragmas", tiny_disk)
    with pytest.raises(ArchiveError, match="the disk is full") as caught:
        open_archive(tmp_path / "new.sqlite")
    assert caught.value.condition is Condition.FULL
    monkeypatch.setattr(db.archive, "_apply_pragmas", real)
    with open_archive(tmp_path / "new.sqlite") as archive:  # nothing half-made stayed
        assert archive.writable
