"""`recover`: a new archive holding everything that can still be read from a damaged one -
articles, their facts and the researcher's own data - and a report of what could not.

The rows come from db.recovery (SQLite's reader and the page reader together). Then the
parts that are the application's: an article whose row is lost but whose source text
survived is read again from that text under its old id (so annotations and notes find it);
every article's facts are read again from its source (rows of facts on damaged pages come
back); research rows whose article is gone for good are written to a JSON file beside the
new archive instead of vanishing; the full-text index is rebuilt. The damaged file is only
read. The new archive is built under a temporary name and appears only when complete.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from db import Archive, fts, open_archive
from db.archive import over_sqlite_connection
from db.integrity import AutomaticBackup, automatic_backups
from db.migrate import upgrade
from db.recovery import (
    Extraction,
    add_sources,
    extract,
    incidents_without_source,
    remove_orphans,
    sources_without_incident,
    temporary_destination,
    title_taken,
    write_rows,
)
from db.store import ArchiveWriter, utc_now
from viewer.parsing import ArticleRejected, formats
from viewer.parsing.formats import ParseRequest
from viewer.parsing.model import clean_title
from viewer.services.preparing import build_record, drop_impossible_numbers
from viewer.services.reindexing import reindex

LOST_SOURCE_PATH = "(source text lost to damage; the article's text stands in)"


class RecoveryError(Exception):
    """Recovery cannot start or cannot finish; the message is one line."""


@dataclass
class RecoveryReport:
    source: Path
    destination: Path
    revision: str | None = None
    found: dict[str, int] = field(default_factory=dict)
    written: dict[str, int] = field(default_factory=dict)
    from_pages: int = 0
    lost_and_found: int = 0
    unplaced_cells: int = 0
    damaged_pages: int = 0
    restored_articles: list[str] = field(default_factory=list)
    reread: int = 0
    sources_rebuilt: int = 0
    unplaced: dict[str, int] = field(default_factory=dict)
    unplaced_file: Path | None = None
    problems: list[str] = field(default_factory=list)
    backups: list[AutomaticBackup] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Nothing known to be lost: no damaged page, no row without a place."""
        return not (
            self.damaged_pages
            or self.unplaced_cells
            or self.unplaced
            or self.problems
            or self.sources_rebuilt
        )

    def lines(self) -> list[str]:
        written = self.written
        lines = [
            f"recovered {self.source} into {self.destination}:",
            f"  {written.get('incidents', 0)} articles ({written.get('sources', 0)} with their "
            f"source text), {written.get('annotations', 0)} annotations, "
            f"{written.get('notes', 0)} notes, {written.get('tags', 0)} tags, "
            f"{written.get('bookmarks', 0)} bookmarks",
            f"  {self.from_pages} rows read from pages SQLite could not reach, "
            f"{self.lost_and_found} of them from pages no table reaches any more",
        ]
        if self.restored_articles:
            lines.append(
                f"  {len(self.restored_articles)} articles rebuilt from their surviving source "
                "text: " + ", ".join(self.restored_articles[:5])
            )
        lines.append(f"  facts read again from the source text of {self.reread} articles")
        if self.sources_rebuilt:
            lines.append(
                f"  {self.sources_rebuilt} articles lost their source text (it was on damaged "
                "pages): their text as shown stands in for it; import the original files "
                "again to put it back"
            )
        if self.damaged_pages:
            lines.append(f"  {self.damaged_pages} damaged pages could not be read")
        if self.unplaced_cells:
            lines.append(
                f"  {self.unplaced_cells} rows found on lost pages could not be told to one "
                "table (kept in the file below)"
            )
        if self.unplaced_file is not None:
            counts = ", ".join(f"{n} {table}" for table, n in sorted(self.unplaced.items()))
            lines.append(
                f"  your data whose article could not be recovered ({counts}) is in "
                f"{self.unplaced_file}"
            )
        lines += [f"  problem: {problem}" for problem in self.problems]
        lines += backup_lines(self.backups)
        return lines


def backup_lines(backups: list[AutomaticBackup]) -> list[str]:
    if not backups:
        return [
            "  no automatic backups beside it (one is made before each schema upgrade; "
            "make your own with `incident-viewer backup PATH`)"
        ]
    lines = ["  automatic backups of this archive, newest first:"]
    for backup in backups:
        lines.append(
            f"    {backup.path} (taken {backup.taken:%Y-%m-%d %H:%M} UTC, "
            f"{backup.size / 2**20:.1f} MB)"
        )
    return lines


def _refuse(source: Path, destination: Path) -> None:
    if not source.is_file():
        raise RecoveryError(f"cannot recover {source}: no such file")
    if destination.exists() or destination.is_symlink():
        raise RecoveryError(
            f"cannot recover into {destination}: it exists; recover writes a new archive, "
            "choose a name that is not in use"
        )
    if not destination.parent.is_dir():
        raise RecoveryError(
            f"cannot recover into {destination}: the folder {destination.parent} does not exist"
        )
    own = {str(p.resolve()) for p in (source, *archive_files_of(source))}
    if str(destination.resolve()) in own:
        raise RecoveryError(f"cannot recover into {destination}: it is the damaged archive")


def archive_files_of(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def recover(source: Path, destination: Path) -> RecoveryReport:
    """Copy everything readable from the archive at source into a new archive at
    destination; the report says what was found, rebuilt and lost."""
    _refuse(source, destination)
    report = RecoveryReport(source, destination, backups=automatic_backups(source))
    extraction = extract(source)
    _count(extraction, report)
    if not any(report.found.values()) and extraction.problems:
        raise RecoveryError(
            f"cannot recover {source}: nothing in it can be read ({extraction.problems[0]})"
        )
    building = temporary_destination(destination)
    try:
        _build(building, extraction, report)
        building.replace(destination)
    except BaseException:
        for leftover in (building, *archive_files_of(building)):
            leftover.unlink(missing_ok=True)
        raise
    if report.unplaced:
        report.unplaced_file = destination.with_name(destination.name + ".unplaced.json")
    return report


def _count(extraction: Extraction, report: RecoveryReport) -> None:
    report.revision = extraction.revision
    report.found = {name: len(table.rows) for name, table in extraction.tables.items()}
    report.from_pages = sum(t.by_pages + t.lost_and_found for t in extraction.tables.values())
    report.lost_and_found = sum(t.lost_and_found for t in extraction.tables.values())
    report.unplaced_cells = extraction.unplaced_cells
    report.damaged_pages = len(extraction.damaged_pages)
    report.problems = list(extraction.problems)


def _build(building: Path, extraction: Extraction, report: RecoveryReport) -> None:
    assert extraction.revision is not None
    upgrade(building, had_data=False, busy_timeout_ms=5000, target=extraction.revision)
    report.written = write_rows(building, extraction)
    connection = sqlite3.connect(building, isolation_level=None)
    try:
        connection.execute("PRAGMA foreign_keys = OFF")
        report.restored_articles = _restore_articles(connection)
        connection.execute("BEGIN IMMEDIATE")
        removed = remove_orphans(connection)
        connection.execute("COMMIT")
    finally:
        connection.close()
    report.written["incidents"] = report.written.get("incidents", 0) + len(report.restored_articles)
    if extraction.unplaced:
        removed["rows whose table could not be told"] = extraction.unplaced  # type: ignore[assignment]
    if removed:
        report.unplaced = {table: len(rows) for table, rows in removed.items()}
        unplaced = report.destination.with_name(report.destination.name + ".unplaced.json")
        unplaced.write_text(
            json.dumps(removed, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
        )
        for table, rows in removed.items():
            if table in report.written:
                report.written[table] -= len(rows)
    with open_archive(building) as archive:  # brings it to the newest schema
        substitutes = _substitute_sources(archive)
        report.sources_rebuilt = len(substitutes)
        report.reread = reindex(archive, skip=substitutes).done
        with archive.write() as writable:
            fts.rebuild(writable)
        damage = archive.check_integrity()
        if damage:
            raise RecoveryError(f"the recovered archive fails its own check: {damage[0]}")


def _substitute_sources(archive: Archive) -> set[int]:
    """A source for each article whose source text was on damaged pages: the article's own
    text as it was shown (format plain). Their facts are kept as recovered, not read again
    from that text; importing the original file again puts its source text back."""
    with archive.raw_connection() as connection:
        lost = incidents_without_source(connection)
        if not lost:
            return set()
        now = utc_now()
        add_sources(
            connection,
            [
                (incident_id, LOST_SOURCE_PATH, hashlib.sha256(body.encode()).hexdigest(),
                 body, now)
                for incident_id, body in lost
            ],
        )  # fmt: skip
    return {incident_id for incident_id, _body in lost}


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _restore_articles(connection: sqlite3.Connection) -> list[str]:
    """Incident rows for sources whose incident is lost, read again from the source text."""
    orphans = sources_without_incident(connection)
    restored: list[str] = []
    with over_sqlite_connection(connection) as bulk, ArchiveWriter(bulk) as writer:
        for incident_id, raw, fmt, path, sha in orphans:
            try:
                request = ParseRequest(str(raw), file_stem=PurePath(str(path)).stem)
                article = formats.by_name(str(fmt)).parse(request)
                article.title, _warning = clean_title(article.title)
                record = build_record(article, str(path))
            except (ArticleRejected, RecursionError, ValueError):
                continue  # its source cannot be read as an article: the row goes with it
            record.sha256 = str(sha)
            drop_impossible_numbers(record.facts)
            if title_taken(connection, record.title_key):
                continue
            writer.restore_incident(int(incident_id), record)
            restored.append(record.title)
    return restored
