"""What is wrong with an archive file: SQLite's own checks, read-only, and a report."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from db.errors import Condition, classify
from db.titles import title_key

if TYPE_CHECKING:
    from db.archive import Archive

MAX_PROBLEMS = 20  # SQLite lists every bad page; the first few say enough
_BACKUP = re.compile(r"\.before-upgrade-(\d{8}T\d{6}Z)\.bak$")


def quick_check(archive: Archive) -> list[str]:
    """What SQLite's quick_check finds (every page read once, indexes not compared with
    their tables); an empty list when the archive is sound."""
    try:
        with archive.raw_connection() as connection:
            rows = connection.execute(f"PRAGMA quick_check({MAX_PROBLEMS})").fetchall()
    except sqlite3.DatabaseError as exc:
        if classify(exc) is Condition.DAMAGED:
            return [str(exc)]
        raise
    found = [str(row[0]) for row in rows]
    return [] if found == ["ok"] else found


@dataclass
class AutomaticBackup:
    path: Path
    taken: datetime
    size: int


def automatic_backups(path: Path) -> list[AutomaticBackup]:
    """The copies the program made of this archive by itself (before each schema upgrade),
    newest first."""
    found = []
    try:
        candidates = list(path.parent.glob(f"{path.name}.before-upgrade-*.bak"))
    except OSError:
        return []
    for candidate in candidates:
        match = _BACKUP.search(candidate.name)
        if match is None:
            continue
        taken = datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        try:
            size = candidate.stat().st_size
        except OSError:
            continue
        found.append(AutomaticBackup(candidate, taken, size))
    return sorted(found, key=lambda backup: backup.taken, reverse=True)


@dataclass
class CheckReport:
    """What `check` found: SQLite's integrity check, the full-text index, the links between
    tables, and what the archive holds."""

    path: Path
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int | None] = field(default_factory=dict)
    look_alikes: list[tuple[int, int, str]] = field(default_factory=list)
    backups: list[AutomaticBackup] = field(default_factory=list)
    revision: str | None = None

    @property
    def sound(self) -> bool:
        return not self.problems


COUNTED = ("incidents", "sources", "annotations", "bookmarks", "notes", "tags")


def check_file(path: Path, *, immutable: bool = False) -> CheckReport:
    """A full report on an archive file, read-only, however damaged it is."""
    report = CheckReport(path, backups=automatic_backups(path))
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
    try:
        connection = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        report.problems.append(f"SQLite cannot open it: {exc}")
        return report
    try:
        _run_checks(connection, report)
    finally:
        connection.close()
    return report


def _run_checks(connection: sqlite3.Connection, report: CheckReport) -> None:
    steps = (
        ("integrity check", _integrity),
        ("schema revision", _revision),
        ("counts", _counts),
        ("links between tables", _links),
        ("full-text index", _full_text),
        ("look-alike titles", _look_alikes),
    )
    for name, step in steps:
        try:
            step(connection, report)
        except sqlite3.Error as exc:
            if classify(exc) is None and not isinstance(exc, sqlite3.OperationalError):
                raise
            report.problems.append(f"{name}: SQLite cannot read it ({exc})")


def _integrity(connection: sqlite3.Connection, report: CheckReport) -> None:
    rows = connection.execute(f"PRAGMA integrity_check({MAX_PROBLEMS})").fetchall()
    found = [str(row[0]) for row in rows]
    if found != ["ok"]:
        report.problems += [f"integrity check: {line}" for line in found]


def _revision(connection: sqlite3.Connection, report: CheckReport) -> None:
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    report.revision = row[0] if row else None


def _counts(connection: sqlite3.Connection, report: CheckReport) -> None:
    for table in COUNTED:
        try:
            (report.counts[table],) = connection.execute(f"SELECT count(*) FROM {table}").fetchone()
        except sqlite3.DatabaseError as exc:
            report.counts[table] = None
            report.problems.append(f"{table}: cannot be counted ({exc})")


def _links(connection: sqlite3.Connection, report: CheckReport) -> None:
    broken = connection.execute("PRAGMA foreign_key_check").fetchall()
    tables: dict[str, int] = {}
    for table, *_rest in broken:
        tables[table] = tables.get(table, 0) + 1
    for table, count in sorted(tables.items()):
        report.problems.append(f"{table}: {count} rows point to rows that are gone")
    (sourceless,) = connection.execute(
        "SELECT count(*) FROM incidents WHERE id NOT IN (SELECT incident_id FROM sources)"
    ).fetchone()
    if sourceless:
        report.problems.append(f"incidents: {sourceless} have lost their source text")


def _full_text(connection: sqlite3.Connection, report: CheckReport) -> None:
    """Every article in the full-text index, and nothing else (FTS5's own integrity-check
    is a write, which a read-only check may not do)."""
    (missing,) = connection.execute(
        "SELECT count(*) FROM (SELECT id FROM incidents EXCEPT SELECT rowid FROM incident_fts)"
    ).fetchone()
    (extra,) = connection.execute(
        "SELECT count(*) FROM (SELECT rowid FROM incident_fts EXCEPT SELECT id FROM incidents)"
    ).fetchone()
    if missing or extra:
        report.problems.append(
            f"full-text index: {missing} articles missing from it, {extra} entries for none"
        )


def _look_alikes(connection: sqlite3.Connection, report: CheckReport) -> None:
    """Incidents whose titles look the same (kept apart by an older version's identity)."""
    seen: dict[str, int] = {}
    for incident_id, title in connection.execute("SELECT id, title FROM incidents ORDER BY id"):
        key = title_key(title)
        if key in seen:
            report.look_alikes.append((seen[key], incident_id, title))
        else:
            seen[key] = incident_id
