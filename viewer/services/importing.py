"""Importing article files and folders into an archive, with progress and cancellation."""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from db import Archive
from db.errors import raise_if_known
from db.records import IncidentRecord, InfoboxRecord, SectionRecord
from db.store import ArchiveWriter, WriteOutcome
from viewer.extraction import extract_facts
from viewer.extraction.keys import canonical_field
from viewer.parsing import ArticleProblem, ParsedArticle, parse_path, title_key

log = logging.getLogger("viewer.import")

BATCH_ARTICLES = 500
BATCH_SECONDS = 1.0
# Imports of at least this many files are parsed by worker processes.
PARALLEL_MIN_FILES = 200
CHUNK_FILES = 32
CHUNKS_PER_WORKER = 3
MAX_WORKERS = 4
WORKERS_VARIABLE = "INCIDENT_VIEWER_IMPORT_WORKERS"


@dataclass
class Rejection:
    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


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

    @property
    def articles(self) -> int:
        return self.imported + self.updated + self.unchanged

    def summary(self) -> str:
        text = (
            f"{self.imported} imported, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.rejected)} rejected"
        )
        return text + (" (cancelled)" if self.cancelled else "")


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root, name)


def collect_files(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[Rejection]]:
    """The files named or found (recursively) in the folders named; missing paths rejected."""
    files: list[Path] = []
    problems: list[Rejection] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(_walk(path))
        elif path.is_file():
            files.append(path)
        elif path.exists():
            problems.append(Rejection(str(path), "not a regular file or folder"))
        else:
            problems.append(Rejection(str(path), "no such file or folder"))
    return files, problems


def build_record(article: ParsedArticle, source_path: str) -> IncidentRecord:
    body, spans = article.layout()
    return IncidentRecord(
        title=article.title,
        title_key=title_key(article.title),
        body=body,
        sections=[
            SectionRecord(s.heading, s.level, s.heading_start, s.start, s.end) for s in spans
        ],
        infobox=[
            InfoboxRecord(e.key, e.value, e.markup, canonical_field(e.key)) for e in article.infobox
        ],
        source_path=source_path,
        source_format=article.format,
        sha256=article.sha256,
        raw_text=article.raw,
        facts=extract_facts(article, body, spans),
    )


def _read_file(path: Path) -> Iterator[ParsedArticle | ArticleProblem]:
    try:
        yield from parse_path(path)
    except OSError as exc:
        yield ArticleProblem(str(path), f"cannot read the file: {exc.strerror or exc}")


@dataclass
class Prepared:
    """One article ready to store (record), or why it cannot be (rejection)."""

    record: IncidentRecord | None = None
    rejection: Rejection | None = None
    warnings: list[Rejection] = field(default_factory=list)


def prepare_file(path: Path) -> list[Prepared]:
    """Read, parse and extract every article of one file. Pure work with no archive access,
    so it can run in a worker process."""
    source = str(path.resolve())
    prepared: list[Prepared] = []
    for item in _read_file(path):
        if isinstance(item, ArticleProblem):
            prepared.append(Prepared(rejection=Rejection(item.where, item.reason)))
            continue
        where = f"{source} ({item.title})"
        warnings = [Rejection(where, warning) for warning in item.warnings]
        try:
            prepared.append(Prepared(record=build_record(item, source), warnings=warnings))
        except RecursionError:
            prepared.append(Prepared(rejection=Rejection(where, "nested too deeply to read")))
        except Exception as exc:  # a bug in extraction must not sink the rest of the import
            log.exception("extraction failed for %s", where)
            prepared.append(
                Prepared(rejection=Rejection(where, f"internal error while reading facts: {exc!r}"))
            )
    return prepared


def _prepare_chunk(paths: list[Path]) -> list[list[Prepared]]:
    return [prepare_file(path) for path in paths]


def _worker_count() -> int:
    configured = os.environ.get(WORKERS_VARIABLE)
    if configured is not None and configured.isdigit():
        return int(configured)
    return min(MAX_WORKERS, os.cpu_count() or 1)


def prepared_in_order(
    files: list[Path], workers: int | None = None
) -> Iterator[tuple[Path, list[Prepared]]]:
    """Each file with its prepared articles, in file order. Large imports are parsed by a
    pool of worker processes (the writer stays in this one) with a bounded number of chunks
    in flight, so memory stays flat however many files there are."""
    workers = _worker_count() if workers is None else workers
    if workers <= 1 or len(files) < PARALLEL_MIN_FILES:
        for path in files:
            yield path, prepare_file(path)
        return
    chunks = [files[i : i + CHUNK_FILES] for i in range(0, len(files), CHUNK_FILES)]
    context = multiprocessing.get_context("spawn")  # safe beside Qt threads and when frozen
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    try:
        in_flight: deque[tuple[list[Path], Future[list[list[Prepared]]]]] = deque()
        pending = iter(chunks)
        for chunk in itertools.islice(pending, workers * CHUNKS_PER_WORKER):
            in_flight.append((chunk, pool.submit(_prepare_chunk, chunk)))
        while in_flight:
            chunk, future = in_flight.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                # A worker died (killed, out of memory): finish the rest in this process.
                log.warning("import worker pool broke; continuing without workers")
                rest = [path for c, _ in [(chunk, future), *in_flight] for path in c]
                rest += [path for c in pending for path in c]
                for path in rest:
                    yield path, prepare_file(path)
                return
            following = next(pending, None)
            if following is not None:
                in_flight.append((following, pool.submit(_prepare_chunk, following)))
            yield from zip(chunk, results, strict=True)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def import_paths(
    archive: Archive,
    paths: Iterable[str | os.PathLike[str]],
    *,
    progress: Callable[[ImportProgress], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Import every article found under paths.

    Articles are committed in batches; each article is written whole or not at all. On
    cancel, what was imported so far stays. Bad input becomes a Rejection, never an exception;
    a storage failure (disk full, locked archive) raises ArchiveError after rolling back the
    unfinished batch.
    """
    files, missing = collect_files(paths)
    report = ImportReport(rejected=list(missing))
    total = len(files)
    try:
        with archive.raw_connection() as connection:
            writer = ArchiveWriter(connection)
            _import_files(writer, files, report, progress, should_cancel, workers)
    except (sqlite3.Error, OSError) as exc:
        raise_if_known(archive.path, exc)
        raise
    if progress is not None and not report.cancelled:
        progress(ImportProgress(total, total, "", report.articles))
    return report


def _import_files(
    writer: ArchiveWriter,
    files: list[Path],
    report: ImportReport,
    progress: Callable[[ImportProgress], None] | None,
    should_cancel: Callable[[], bool] | None,
    workers: int | None,
) -> None:
    batch_started = time.monotonic()
    in_batch = 0
    prepared = prepared_in_order(files, workers)
    try:
        for done, (path, items) in enumerate(prepared):
            if should_cancel is not None and should_cancel():
                report.cancelled = True
                break
            if progress is not None:
                progress(ImportProgress(done, len(files), str(path), report.articles))
            for item in items:
                _store(writer, item, report)
                in_batch += 1
            if in_batch >= BATCH_ARTICLES or time.monotonic() - batch_started > BATCH_SECONDS:
                writer.commit()
                in_batch = 0
                batch_started = time.monotonic()
        writer.commit()
    except BaseException:
        writer.rollback()
        raise
    finally:
        prepared.close()


def _store(writer: ArchiveWriter, item: Prepared, report: ImportReport) -> None:
    report.warnings.extend(item.warnings)
    if item.record is None:
        assert item.rejection is not None
        report.rejected.append(item.rejection)
        return
    outcome, incident_id = writer.store(item.record)
    if outcome is WriteOutcome.IMPORTED:
        report.imported += 1
    elif outcome is WriteOutcome.UPDATED:
        report.updated += 1
    else:
        report.unchanged += 1
        return
    report.changed_ids.append(incident_id)
