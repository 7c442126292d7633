"""Importing article files and folders into an archive, with progress and cancellation."""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from db import Archive
from db.errors import raise_if_known
from db.store import ArchiveWriter, WriteOutcome
from db.turns import WriteTurns
from viewer.services import corrections
from viewer.services.corrections import CorrectingWriter
from viewer.services.outputs import archive_files
from viewer.services.preparing import (
    MAX_WORKERS,
    PARALLEL_MIN_FILES,
    WORKERS_VARIABLE,
    Piece,
    Prepared,
    ReadLimits,
    Rejection,
    build_record,
    display_path,
    prepare_file,
    prepared_in_order,
)

__all__ = [
    "MAX_WORKERS",
    "PARALLEL_MIN_FILES",
    "WORKERS_VARIABLE",
    "ImportProgress",
    "ImportReport",
    "Prepared",
    "ReadLimits",
    "Rejection",
    "build_record",
    "collect_files",
    "import_paths",
    "prepare_file",
]

log = logging.getLogger("viewer.import")

# Prepared articles are written in batches; the write lock is taken only while a batch is
# written, never while files are read and parsed, so that another program (a window, a second
# import) waits at most one batch. A writer of this program (a tag or an annotation from the
# window) waits less: the batch commits and gives way after the article being written
# (Archive.turns).
BATCH_ARTICLES = 500
BATCH_SECONDS = 1.0
BATCH_BYTES = 16 * 2**20
# While changes come (a writer found the turn taken in the last CONTESTED_SECONDS), a batch
# commits every SHORT_SECONDS as well: what the import commits before it gives way, which a
# change waits for, is then at most that much (instead of up to a whole batch's second).
CONTESTED_SECONDS = 5.0
SHORT_SECONDS = 0.05


@dataclass
class ImportProgress:
    files_done: int
    files_total: int
    current: str
    articles: int


@dataclass
class ImportReport:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[Rejection] = field(default_factory=list)
    changed_ids: list[int] = field(default_factory=list)
    cancelled: bool = False
    # the files counted as unchanged, each named (the window lists them)
    unchanged_files: list[Rejection] = field(default_factory=list)
    # title key -> the file it first came from in this import (duplicates are warnings)
    first_file: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def articles(self) -> int:
        return self.imported + self.updated + self.unchanged

    def summary(self) -> str:
        text = (
            f"{self.imported} imported, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.rejected)} rejected"
        )
        return text + (" (cancelled)" if self.cancelled else "")


_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _special_kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


class _Collector:
    """Files to import, found in the paths given; what cannot be imported is said once."""

    def __init__(self, skip: frozenset[str]) -> None:
        self.files: list[Path] = []
        self.problems: list[Rejection] = []
        self.warnings: list[Rejection] = []
        self._skip = skip
        self._seen: set[tuple[int, int]] = set()

    def add(self, raw: str | os.PathLike[str]) -> None:
        if not os.fspath(raw):
            self.problems.append(Rejection('""', "an empty path names nothing to import"))
            return
        path = Path(raw)
        try:
            info = path.stat()
        except OSError as exc:
            reason = "no such file or folder" if exc.errno == errno.ENOENT else _reason(exc)
            self.problems.append(Rejection(display_path(path), reason))
            return
        if stat.S_ISDIR(info.st_mode):
            self._walk(path)
        else:
            self._file(path, info)

    def _file(self, path: Path, info: os.stat_result) -> None:
        shown = display_path(path)
        if not stat.S_ISREG(info.st_mode):
            kind = _special_kind(info.st_mode)
            self.warnings.append(Rejection(shown, f"skipped: {kind}, not a file to import"))
            return
        if os.path.realpath(path) in self._skip:
            self.warnings.append(Rejection(shown, "skipped: this is the archive being written"))
            return
        if (info.st_dev, info.st_ino) in self._seen:
            return  # the same file again (named twice, or through a link)
        self._seen.add((info.st_dev, info.st_ino))
        if shown != os.path.abspath(path):
            self.warnings.append(
                Rejection(shown, "the file name is not valid UTF-8; it is stored as shown")
            )
        self.files.append(path)

    def _walk(self, folder: Path) -> None:
        def unreadable(exc: OSError) -> None:
            where = display_path(Path(exc.filename)) if exc.filename else display_path(folder)
            self.problems.append(Rejection(where, f"cannot read the folder: {_reason(exc)}"))

        # os.walk does not follow links to folders, so a link loop cannot trap it; links to
        # files are followed (and a loop among them is an unreadable file, said once)
        for root, dirs, files in os.walk(folder, onerror=unreadable):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith("."):
                    continue
                path = Path(root, name)
                try:
                    info = path.stat()
                except OSError as exc:
                    self.problems.append(Rejection(display_path(path), _reason(exc)))
                    continue
                self._file(path, info)


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "a symbolic link that leads round in a loop"
    return exc.strerror or str(exc)


def collect_files(
    paths: Iterable[str | os.PathLike[str]], skip: Iterable[Path] = ()
) -> tuple[list[Path], list[Rejection], list[Rejection]]:
    """The regular files named or found (recursively) in the folders named; what cannot be
    imported (missing, empty path, unreadable folder) as problems; what is skipped on
    purpose (special files, the archive itself) as warnings."""
    collector = _Collector(frozenset(os.path.realpath(p) for p in skip))
    for raw in paths:
        collector.add(raw)
    return collector.files, collector.problems, collector.warnings


def import_paths(
    archive: Archive,
    paths: Iterable[str | os.PathLike[str]],
    *,
    progress: Callable[[ImportProgress], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    workers: int | None = None,
    limits: ReadLimits | None = None,
) -> ImportReport:
    """Import every article found under paths.

    Articles are committed in batches; each article is written whole or not at all. On
    cancel, what was imported so far stays. Bad input becomes a Rejection, never an exception;
    a storage failure (disk full, locked archive) raises ArchiveError after rolling back the
    unfinished batch.
    """
    archive.refuse_writes()
    files, problems, skipped = collect_files(paths, skip=archive_files(archive))
    report = ImportReport(rejected=problems, warnings=skipped)
    total = len(files)
    limits = limits or ReadLimits.from_environment()
    try:
        with archive.bulk() as connection:
            # the researcher's corrections win over what the articles say
            writer = CorrectingWriter(connection, corrections.for_import(archive))
            prepared = prepared_in_order(files, workers, limits)
            try:
                _import_files(
                    writer, prepared, total, report, progress, should_cancel, archive.turns
                )
            finally:
                prepared.close()
    except (sqlite3.Error, OSError) as exc:
        raise_if_known(archive.path, exc)
        raise
    if progress is not None and not report.cancelled:
        progress(ImportProgress(total, total, "", report.articles))
    return report


def _import_files(
    writer: ArchiveWriter,
    prepared: Iterator[Piece],
    total: int,
    report: ImportReport,
    progress: Callable[[ImportProgress], None] | None,
    should_cancel: Callable[[], bool] | None,
    turns: WriteTurns,
) -> None:
    batch: list[Prepared] = []
    size = 0
    started = time.monotonic()
    files_done = 0
    said = False  # whether the progress named the file being read
    for path, items, last in prepared:
        if should_cancel is not None and should_cancel():
            report.cancelled = True
            break
        if progress is not None and (items or not said):
            progress(ImportProgress(files_done, total, display_path(path), report.articles))
        said = not last
        files_done += last
        batch.extend(items)
        size += sum(item.size for item in items)
        del items  # a written batch is freed: nothing else holds its articles
        if (
            len(batch) >= BATCH_ARTICLES
            or size >= BATCH_BYTES
            or time.monotonic() - started > BATCH_SECONDS
        ):
            _write_batch(writer, batch, report, turns)
            batch, size, started = [], 0, time.monotonic()
    _write_batch(writer, batch, report, turns)


def _write_batch(
    writer: ArchiveWriter, batch: list[Prepared], report: ImportReport, turns: WriteTurns
) -> None:
    """Write a batch in one transaction (each article in its own savepoint); when another
    writer of this program waits, commit what is written and let it go first."""
    if not batch:
        return
    # the log copied into the file (the last batch's pages and the short changes' since),
    # before the turn: a change that comes meanwhile does not wait for it; the batch then
    # begins on a log copied whole, which SQLite writes from its start again
    writer.checkpoint()
    with turns.turn():
        try:
            writer.expect(item.record.title_key for item in batch if item.record is not None)
            committed = time.monotonic()
            for item in batch:
                _store(writer, item, report)
                if turns.wanted:
                    writer.commit()
                    turns.give_way()
                    committed = time.monotonic()
                elif time.monotonic() - committed > SHORT_SECONDS and turns.contested_within(
                    CONTESTED_SECONDS
                ):
                    writer.commit()
                    committed = time.monotonic()
            writer.commit()
        except BaseException:
            writer.rollback()
            raise


def _store(writer: ArchiveWriter, item: Prepared, report: ImportReport) -> None:
    report.warnings.extend(item.warnings)
    if item.record is None:
        assert item.rejection is not None
        report.rejected.append(item.rejection)
        return
    record = item.record
    earlier = report.first_file.setdefault(record.title_key, record.source_path)
    if earlier != record.source_path:
        report.warnings.append(
            Rejection(
                record.source_path,
                f"duplicate: the same title as {earlier} (“{record.title}”); "
                "one incident, with this file's text",
            )
        )
    outcome, incident_id = writer.store(record)
    if outcome is WriteOutcome.IMPORTED:
        report.imported += 1
    elif outcome is WriteOutcome.UPDATED:
        report.updated += 1
    else:
        report.unchanged += 1
        report.unchanged_files.append(
            Rejection(record.source_path, f"unchanged, already in the archive (“{record.title}”)")
        )
        return
    report.changed_ids.append(incident_id)
