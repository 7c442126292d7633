"""Re-extraction: recompute every derived value from the stored raw text, without re-import."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import PurePath

from db import Archive
from db.errors import raise_if_known
from db.store import ArchiveWriter, stored_sources
from viewer.parsing import ArticleRejected, reparse
from viewer.services.importing import build_record


@dataclass
class ReindexReport:
    done: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.done} incidents re-indexed, {len(self.problems)} not"


def reindex(
    archive: Archive,
    progress: Callable[[int, int], None] | None = None,
    *,
    skip: Collection[int] = (),
) -> ReindexReport:
    """Parse and extract every incident (but those in skip) again from its stored source;
    ids, user data and the stored source stay as they are."""
    archive.refuse_writes()
    report = ReindexReport()
    try:
        with archive.bulk() as connection:
            rows = [row for row in stored_sources(connection) if row[0] not in skip]
            writer = ArchiveWriter(connection)
            with writer:
                for number, (incident_id, title, raw, fmt, path, sha) in enumerate(rows, 1):
                    try:
                        article = reparse(raw, fmt, title, PurePath(path).stem)
                        record = build_record(article, path)
                    except (ArticleRejected, RecursionError) as exc:
                        report.problems.append(f"{incident_id} ({title}): {exc}")
                        continue
                    record.sha256 = sha
                    writer.replace_content(incident_id, record)
                    report.done += 1
                    if progress is not None:
                        progress(number, len(rows))
    except (sqlite3.Error, OSError) as exc:
        raise_if_known(archive.path, exc)
        raise
    return report
