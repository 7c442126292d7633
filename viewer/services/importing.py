"""Importing article files and folders into an archive, with progress and cancellation."""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from db import Archive
from db.archive import friendly_error
from db.records import IncidentRecord, InfoboxRecord, SectionRecord
from db.store import ArchiveWriter, WriteOutcome
from viewer.extraction import extract_facts
from viewer.extraction.keys import canonical_field
from viewer.parsing import ArticleProblem, ParsedArticle, parse_path, title_key

log = logging.getLogger("viewer.import")

BATCH_ARTICLES = 500
BATCH_SECONDS = 1.0


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


def import_paths(
    archive: Archive,
    paths: Iterable[str | os.PathLike[str]],
    *,
    progress: Callable[[ImportProgress], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
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
            _import_files(writer, files, report, progress, should_cancel)
    except (sqlite3.Error, OSError) as exc:
        raise friendly_error(archive.path, exc) from exc
    if progress is not None and not report.cancelled:
        progress(ImportProgress(total, total, "", report.articles))
    return report


def _import_files(
    writer: ArchiveWriter,
    files: list[Path],
    report: ImportReport,
    progress: Callable[[ImportProgress], None] | None,
    should_cancel: Callable[[], bool] | None,
) -> None:
    batch_started = time.monotonic()
    in_batch = 0
    try:
        for done, path in enumerate(files):
            if should_cancel is not None and should_cancel():
                report.cancelled = True
                break
            if progress is not None:
                progress(ImportProgress(done, len(files), str(path), report.articles))
            for item in _read_file(path):
                if isinstance(item, ArticleProblem):
                    report.rejected.append(Rejection(item.where, item.reason))
                    continue
                _store(writer, item, str(path.resolve()), report)
                in_batch += 1
            if in_batch >= BATCH_ARTICLES or time.monotonic() - batch_started > BATCH_SECONDS:
                writer.commit()
                in_batch = 0
                batch_started = time.monotonic()
        writer.commit()
    except BaseException:
        writer.rollback()
        raise


def _store(writer: ArchiveWriter, article: ParsedArticle, path: str, report: ImportReport) -> None:
    for warning in article.warnings:
        report.warnings.append(Rejection(f"{path} ({article.title})", warning))
    try:
        record = build_record(article, path)
    except RecursionError:
        report.rejected.append(Rejection(path, "the article is nested too deeply to read"))
        return
    except Exception as exc:  # a bug in extraction must not sink the rest of the import
        log.exception("extraction failed for %s (%s)", path, article.title)
        report.rejected.append(
            Rejection(f"{path} ({article.title})", f"internal error while reading facts: {exc!r}")
        )
        return
    outcome, incident_id = writer.store(record)
    if outcome is WriteOutcome.IMPORTED:
        report.imported += 1
    elif outcome is WriteOutcome.UPDATED:
        report.updated += 1
    else:
        report.unchanged += 1
        return
    report.changed_ids.append(incident_id)
