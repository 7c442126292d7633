"""Moving a whole archive between engines: a personal SQLite archive into a team archive on
PostgreSQL (start a team from one person's work), or a team archive into a SQLite file (take
it offline). Incidents, facts, sources and the research layer with its authors, times and
anchors arrive as they were; the copy is one transaction on the destination."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from db import ArchiveError, open_archive
from db import copying as stored


@dataclass
class CopyReport:
    source: str
    destination: str
    rows: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        research = sum(self.rows.get(t, 0) for t in ("annotations", "notes", "bookmarks", "tags"))
        return (
            f"copied {self.rows.get('incidents', 0):,} incidents and {research:,} annotations, "
            f"notes, bookmarks and tags from {self.source} to {self.destination}"
        )


def copy_archive(source: str | os.PathLike[str], destination: str | os.PathLike[str]) -> CopyReport:
    """Copy the archive at source into destination: a new (or empty) SQLite file, or a team
    archive that `team init` made and nothing was written to yet (copying into it needs its
    owner, who alone may write everyone's annotations)."""
    if isinstance(destination, Path) and destination.exists() and destination.stat().st_size:
        with open_archive(destination, create=False) as existing, existing.read() as target:
            if not stored.is_empty(target):
                raise ArchiveError(
                    f"cannot copy into {destination}: it already holds an archive; copy into "
                    "a new file"
                )
    with open_archive(source, create=False) as origin, open_archive(destination) as target:
        report = CopyReport(origin.location, target.location)
        with target.write() as writing:
            if not stored.is_empty(writing):
                raise ArchiveError(
                    f"cannot copy into {target.location}: it already holds incidents or "
                    "research; copy into an empty archive"
                )
            with origin.read() as reading:
                report.rows = stored.copy_rows(reading, writing)
            stored.after_copy(writing)
    return report
