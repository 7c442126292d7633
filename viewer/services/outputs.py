"""Files the program writes besides the archive (exports, backups): never the archive itself,
never half a file where a good one was.

Every output is written to a temporary file beside its target and renamed over it only when
complete and flushed to disk; a full disk, an error or a kill leaves the old file as it was.
A path that is the open archive, one of the files SQLite keeps beside it (-wal, -shm,
-journal) or a temporary file of a write in progress is refused before anything is written.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from db.errors import Condition, classify
from viewer.crash import process_alive

if TYPE_CHECKING:
    from db import Archive

SIDE_FILES = ("-wal", "-shm", "-journal")
TEMPORARY_SUFFIX = ".partial"
_TEMPORARY = re.compile(r"^\..+\.\d+\.[0-9a-f]{8}\.partial$")


class OutputRefused(ValueError):
    """An output file that cannot or must not be written; the message is one line."""


def archive_files(archive: Archive) -> list[Path]:
    """The archive and the files SQLite keeps beside it (a team archive has no file here)."""
    if archive.is_team:
        return []
    base = archive.path
    return [base, *(base.with_name(base.name + suffix) for suffix in SIDE_FILES)]


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)  # also through links, hard or symbolic
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def check_output(archive: Archive, path: Path, what: str = "the output") -> Path:
    """path, if it may be written as an output; else OutputRefused saying why."""
    if path.is_dir():
        raise OutputRefused(f"cannot write {path}: it is a folder")
    if not path.parent.is_dir():
        raise OutputRefused(f"cannot write {path}: the folder {path.parent} does not exist")
    for own in archive_files(archive):
        if _same_file(path, own):
            kind = "the archive itself" if own == archive.path else "a working file of the archive"
            raise OutputRefused(
                f"cannot write {what} to {path}: it is {kind} ({archive.path}); choose another file"
            )
    if _TEMPORARY.match(path.name):
        raise OutputRefused(f"cannot write {what} to {path}: it is a file being written")
    return path


def temporary_beside(path: Path) -> Path:
    """A fresh temporary name in path's folder, recognisable as ours (check_output refuses
    it as a target, and a later write clears it when the process that made it is gone)."""
    _clear_leftovers(path)
    return path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}{TEMPORARY_SUFFIX}")


def _clear_leftovers(path: Path) -> None:
    """Temporary files of earlier writes to path whose process died (a kill -9 cannot
    clean up after itself)."""
    prefix = f".{path.name}."
    with contextlib.suppress(OSError):
        for entry in path.parent.iterdir():
            name = entry.name
            if not (name.startswith(prefix) and _TEMPORARY.match(name)):
                continue
            pid = int(name[len(prefix) :].split(".", 1)[0])
            if not process_alive(pid):
                entry.unlink(missing_ok=True)


def output_error(path: Path, exc: BaseException) -> OutputRefused:
    """One line for an error writing an output file (an OSError, or SQLite's own)."""
    condition = classify(exc)
    if condition is Condition.FULL:
        reason = "the disk is full; free some space and try again (the old file, if any, is kept)"
    elif condition is Condition.READ_ONLY:
        reason = "the disk or folder is read-only"
    elif condition is Condition.PERMISSION:
        reason = "permission denied"
    else:
        reason = getattr(exc, "strerror", None) or str(exc)
    return OutputRefused(f"cannot write {path}: {reason}")


@contextmanager
def atomic_output(path: Path, mode: str = "w", **options: Any) -> Iterator[IO[Any]]:
    """A file to write path's new content to; it replaces path only when the block ends
    without an error, flushed to disk first."""
    temporary = temporary_beside(path)
    try:
        with open(temporary, mode, **options) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise output_error(path, exc) from exc
        raise
