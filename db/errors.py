"""Known storage conditions (locked, read-only, full, damaged...) told apart from bugs.

SQLite says what went wrong in its result code, not in its English message: the code is
what decides. A condition the user can act on becomes an ArchiveError with one line saying
what to do; anything else (a constraint violated, a table missing, a misuse) is a bug and
is left to propagate, so that the crash handler logs its traceback.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from enum import Enum
from pathlib import Path

# Primary result codes (https://sqlite.org/rescode.html); extended codes carry the primary
# one in their low byte.
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_NOMEM = 7
SQLITE_READONLY = 8
SQLITE_INTERRUPT = 9
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_PROTOCOL = 15
SQLITE_NOLFS = 22
SQLITE_AUTH = 23
SQLITE_NOTADB = 26
# Extended codes that mean the file itself is damaged rather than the disk failing.
SQLITE_IOERR_SHORT_READ = 522
SQLITE_IOERR_CORRUPTFS = 8458
SQLITE_IOERR_NOMEM = 3082


class Condition(Enum):
    """What is wrong with the archive, in terms of what the user can do about it."""

    BUSY = "busy"
    READ_ONLY = "read-only"
    FULL = "full"
    DAMAGED = "damaged"
    CANNOT_OPEN = "cannot-open"
    DISK_ERROR = "disk-error"
    PERMISSION = "permission"
    NO_MEMORY = "no-memory"
    INTERRUPTED = "interrupted"
    REFUSED = "refused"  # the server refused a change this role may not make
    SERVER_LOST = "server-lost"  # the connection to a team archive's server went away
    UNUSABLE = "unusable"  # refused for a reason given in the message (a folder, newer...)


class ArchiveError(Exception):
    """A condition of the archive the user can act on (not a bug); the message is one line."""

    def __init__(self, message: str, condition: Condition = Condition.UNUSABLE) -> None:
        super().__init__(message)
        self.condition = condition


class ArchiveDamaged(ArchiveError):
    """The archive file is damaged: reads may fail and writes are refused."""

    def __init__(self, path: Path, detail: str = "") -> None:
        super().__init__(damaged_message(path, detail), Condition.DAMAGED)
        self.path = path


def damaged_message(path: Path, detail: str = "") -> str:
    quoted = _shell_quote(str(path))
    what = f" ({detail})" if detail else ""
    return (
        f"archive {path} is damaged{what}; nothing more is written to it. "
        f"See the damage with `incident-viewer --archive {quoted} check`, copy out everything "
        f"still readable with `incident-viewer --archive {quoted} recover NEW.sqlite`"
    )


def _shell_quote(text: str) -> str:
    if text and all(ch.isalnum() or ch in "/._-+:@%" for ch in text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"


_BY_PRIMARY_CODE = {
    SQLITE_BUSY: Condition.BUSY,
    SQLITE_LOCKED: Condition.BUSY,
    SQLITE_PROTOCOL: Condition.BUSY,
    SQLITE_READONLY: Condition.READ_ONLY,
    SQLITE_FULL: Condition.FULL,
    SQLITE_CORRUPT: Condition.DAMAGED,
    SQLITE_NOTADB: Condition.DAMAGED,
    SQLITE_CANTOPEN: Condition.CANNOT_OPEN,
    SQLITE_IOERR: Condition.DISK_ERROR,
    SQLITE_NOLFS: Condition.DISK_ERROR,
    SQLITE_PERM: Condition.PERMISSION,
    SQLITE_AUTH: Condition.PERMISSION,
    SQLITE_NOMEM: Condition.NO_MEMORY,
    SQLITE_INTERRUPT: Condition.INTERRUPTED,
}
_BY_ERRNO = {
    errno.ENOSPC: Condition.FULL,
    errno.EDQUOT: Condition.FULL,
    errno.EROFS: Condition.READ_ONLY,
    errno.EACCES: Condition.PERMISSION,
    errno.EPERM: Condition.PERMISSION,
    errno.EIO: Condition.DISK_ERROR,
    errno.ENOENT: Condition.CANNOT_OPEN,
    errno.ENOTDIR: Condition.CANNOT_OPEN,
    errno.EISDIR: Condition.CANNOT_OPEN,
    errno.ENAMETOOLONG: Condition.CANNOT_OPEN,
    errno.ELOOP: Condition.CANNOT_OPEN,
    errno.ENOMEM: Condition.NO_MEMORY,
}


def sqlite_error_of(exc: BaseException) -> sqlite3.Error | None:
    """The sqlite3 error itself, or the one a SQLAlchemy error wraps."""
    if isinstance(exc, sqlite3.Error):
        return exc
    original = getattr(exc, "orig", None)
    return original if isinstance(original, sqlite3.Error) else None


# PostgreSQL's SQLSTATE classes and codes (https://www.postgresql.org/docs/current/errcodes-appendix.html)
_BY_SQLSTATE = {
    "42501": Condition.REFUSED,  # insufficient_privilege (a GRANT or a row-level policy)
    "25006": Condition.READ_ONLY,  # read_only_sql_transaction
    "40001": Condition.BUSY,  # serialization_failure
    "40P01": Condition.BUSY,  # deadlock_detected
    "55P03": Condition.BUSY,  # lock_not_available
    "53100": Condition.FULL,  # disk_full
    "53200": Condition.NO_MEMORY,  # out_of_memory
    "57014": Condition.INTERRUPTED,  # query_canceled
    "57P01": Condition.SERVER_LOST,  # admin_shutdown
    "57P02": Condition.SERVER_LOST,  # crash_shutdown
    "57P03": Condition.SERVER_LOST,  # cannot_connect_now
}


def server_error_of(exc: BaseException) -> BaseException | None:
    """The psycopg error itself, or the one a SQLAlchemy error wraps (without importing
    psycopg: a SQLite-only run never loads it)."""
    for candidate in (exc, getattr(exc, "orig", None)):
        if candidate is not None and type(candidate).__module__.startswith("psycopg"):
            return candidate
    return None


def _classify_server(error: BaseException) -> Condition | None:
    state = getattr(error, "sqlstate", None)
    if state in _BY_SQLSTATE:
        return _BY_SQLSTATE[state]
    if state is None or state.startswith("08"):  # connection_exception: the link is gone
        name = type(error).__name__
        return Condition.SERVER_LOST if name in ("OperationalError", "InterfaceError") else None
    return None


def classify(exc: BaseException) -> Condition | None:
    """The known condition an exception stands for, or None when it is a bug."""
    if isinstance(exc, ArchiveError):
        return exc.condition
    server = server_error_of(exc)
    if server is not None:
        return _classify_server(server)
    error = sqlite_error_of(exc)
    if error is not None:
        code = getattr(error, "sqlite_errorcode", None)
        if code is None:
            return None
        if code in (SQLITE_IOERR_SHORT_READ, SQLITE_IOERR_CORRUPTFS):
            return Condition.DAMAGED
        if code == SQLITE_IOERR_NOMEM:
            return Condition.NO_MEMORY
        return _BY_PRIMARY_CODE.get(code & 0xFF)
    if isinstance(exc, MemoryError):
        return Condition.NO_MEMORY
    if isinstance(exc, OSError) and exc.errno is not None:
        return _BY_ERRNO.get(exc.errno)
    return None


_REASONS = {
    Condition.BUSY: "it is in use by another program that holds it locked; wait for that "
    "program to finish (or close it) and try again",
    Condition.READ_ONLY: "it is read-only; copy it to a writable place or change its "
    "permissions to change it",
    Condition.FULL: "the disk is full; free some space and try again",
    Condition.CANNOT_OPEN: "it cannot be opened (the file or its folder is missing or out of "
    "reach)",
    Condition.DISK_ERROR: "the disk reported an error while reading or writing it; check the "
    "disk and the connection to it",
    Condition.PERMISSION: "permission denied",
    Condition.NO_MEMORY: "there is not enough memory; close other programs and try again",
    Condition.INTERRUPTED: "the operation was interrupted",
    Condition.SERVER_LOST: "the connection to the server was lost; nothing half-written was "
    "kept, try again when the server is back",
}


# Archives found damaged in this process (by a check, or by an error while reading): every
# later write to them is refused, whichever Archive object it goes through.
_DAMAGED: set[str] = set()


def _key(path: Path) -> str:
    return os.path.realpath(path)


def mark_damaged(path: Path) -> None:
    _DAMAGED.add(_key(path))


def is_marked_damaged(path: Path) -> bool:
    return _key(path) in _DAMAGED


def archive_error(path: Path | str, exc: BaseException) -> ArchiveError | None:
    """The ArchiveError (one line) for a known condition, or None when exc is a bug."""
    if isinstance(exc, ArchiveError):
        return exc
    condition = classify(exc)
    if condition is None:
        return None
    if condition is Condition.DAMAGED:
        mark_damaged(Path(path))
        return ArchiveDamaged(Path(path))
    if condition is Condition.REFUSED:
        return ArchiveError(
            f"{path}: the server refused the change: {_server_detail(exc)}", condition
        )
    return ArchiveError(f"cannot use archive {path}: {_REASONS[condition]}", condition)


def _server_detail(exc: BaseException) -> str:
    """The server's own first line (it names the table or policy; never a password)."""
    error = server_error_of(exc) or exc
    return (str(error).strip().splitlines() or ["permission denied"])[0]


def raise_if_known(path: Path | str, exc: BaseException) -> None:
    """Raise the ArchiveError for exc when it is a known condition; return when it is a bug
    (the caller then re-raises the original with its traceback)."""
    error = archive_error(path, exc)
    if error is not None and error is not exc:
        raise error from exc
    if error is exc:
        raise error
