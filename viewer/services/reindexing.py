"""Re-extraction: recompute every derived value from the stored raw text, without re-import."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from db import Archive
from db.corrections import StoredCorrection
from db.errors import raise_if_known
from db.records import IncidentRecord
from db.store import ArchiveWriter, stored_sources
from viewer.parsing import ArticleRejected, reparse
from viewer.services import corrections
from viewer.services.corrections import apply_to_record
from viewer.services.importing import build_record


@dataclass
class ReindexReport:
    done: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.done} incidents re-indexed, {len(self.problems)} not"


def _record(
    row: tuple[int, str, str, str, str, str], found: Sequence[StoredCorrection]
) -> IncidentRecord:
    """The incident's record read again from its stored source, with its corrections."""
    _incident_id, title, raw, fmt, path, sha = row
    article = reparse(raw, fmt, title, PurePath(path).stem)
    record = build_record(article, path)
    record.sha256 = sha
    apply_to_record(record, found)
    return record


def reindex(
    archive: Archive,
    progress: Callable[[int, int], None] | None = None,
    *,
    skip: Collection[int] = (),
) -> ReindexReport:
    """Parse and extract every incident (but those in skip) again from its stored source;
    ids, user data and the stored source stay as they are, and the researcher's
    corrections are applied again."""
    archive.refuse_writes()
    report = ReindexReport()
    corrected = corrections.by_incident(archive)
    try:
        with archive.bulk() as connection:
            rows = [row for row in stored_sources(connection) if row[0] not in skip]
            writer = ArchiveWriter(connection)
            with writer:
                for number, row in enumerate(rows, 1):
                    incident_id, title = row[0], row[1]
                    try:
                        record = _record(row, corrected.get(incident_id, ()))
                    except (ArticleRejected, RecursionError) as exc:
                        report.problems.append(f"{incident_id} ({title}): {exc}")
                        continue
                    writer.replace_content(incident_id, record)
                    report.done += 1
                    if progress is not None:
                        progress(number, len(rows))
    except (sqlite3.Error, OSError) as exc:
        raise_if_known(archive.path, exc)
        raise
    return report


def reindex_incident(archive: Archive, incident_id: int) -> None:
    """Write one incident again from its stored source with its corrections (after the
    researcher corrects a fact or takes a correction back)."""
    archive.refuse_writes()
    found = corrections.corrections_of(archive, incident_id)
    try:
        with archive.bulk() as connection:
            rows = stored_sources(connection, incident_id)
            if not rows:
                return
            with ArchiveWriter(connection) as writer:
                writer.replace_content(incident_id, _record(rows[0], found))
    except (sqlite3.Error, OSError) as exc:
        raise_if_known(archive.path, exc)
        raise
