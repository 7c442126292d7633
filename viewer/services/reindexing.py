"""Re-extraction: recompute every derived value from the stored raw text, without re-import."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from db import Archive
from db.corrections import StoredCorrection
from db.errors import raise_if_known
from db.records import IncidentRecord
from db.store import ArchiveWriter, stored_sources
from viewer.extraction.gazetteer import flag_country_name
from viewer.parsing import ArticleRejected, reparse
from viewer.services import corrections
from viewer.services.corrections import apply_to_record
from viewer.services.importing import BATCH_SECONDS, build_record


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
    article = reparse(raw, fmt, title, PurePath(path).stem, flag_country_name)
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
            done = 0
            while done < len(rows):
                done = _reindex_batch(writer, rows, done, corrected, report, progress, archive)
    except (sqlite3.Error, OSError) as exc:
        raise_if_known(archive.path, exc)
        raise
    return report


def _reindex_batch(
    writer: ArchiveWriter,
    rows: list[tuple[int, str, str, str, str, str]],
    done: int,
    corrected: dict[int, list[StoredCorrection]],
    report: ReindexReport,
    progress: Callable[[int, int], None] | None,
    archive: Archive,
) -> int:
    """Rewrite incidents from rows[done] on in one transaction of about BATCH_SECONDS, as an
    import writes a batch: a short change of this program waits for one incident (the
    batch commits and gives way), another program for one batch. Returns how many rows are
    done."""
    turns, started = archive.turns, time.monotonic()
    writer.checkpoint()  # before the turn, as an import does (importing._write_batch)
    with archive.write_turn():
        try:
            while done < len(rows) and time.monotonic() - started < BATCH_SECONDS:
                row = rows[done]
                done += 1
                try:
                    record = _record(row, corrected.get(row[0], ()))
                except (ArticleRejected, RecursionError) as exc:
                    report.problems.append(f"{row[0]} ({row[1]}): {exc}")
                    continue
                writer.replace_content(row[0], record)
                report.done += 1
                if progress is not None:
                    progress(done, len(rows))
                if turns.wanted:
                    writer.commit()
                    turns.give_way()
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
    return done


def reindex_incident(archive: Archive, incident_id: int) -> None:
    """Write one incident again from its stored source with its corrections (after the
    researcher corrects a fact or takes a correction back)."""
    archive.refuse_writes()
    found = corrections.corrections_of(archive, incident_id)
    try:
        with archive.bulk(short=True) as connection:
            rows = stored_sources(connection, incident_id)
            if not rows:
                return
            with ArchiveWriter(connection) as writer:
                writer.replace_content(incident_id, _record(rows[0], found))
    except (sqlite3.Error, OSError) as exc:
        raise_if_known(archive.path, exc)
        raise
