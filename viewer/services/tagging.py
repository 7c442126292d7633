"""Tags on many incidents at once: the incident table's bulk tagging and its undo."""

from __future__ import annotations

from collections.abc import Sequence

from db import Archive
from db import tagging as db_tagging
from db.store import utc_now
from viewer.services.research import TAG_COLORS, tag_key


def tag_incidents(
    archive: Archive, incident_ids: Sequence[int], names: Sequence[str]
) -> dict[int, list[str]]:
    """Add tags to many incidents in one transaction; returns, per incident, the names newly
    added (for undo: only those are taken off again)."""
    wanted = [(" ".join(n.split()), tag_key(n)) for n in names if n.strip()]
    with archive.write_session() as session:
        tags = db_tagging.ensure_tags(
            session, wanted, lambda n: TAG_COLORS[n % len(TAG_COLORS)], utc_now()
        )
        return db_tagging.add_incident_tags(session, incident_ids, tags)


def untag_incidents(archive: Archive, tags: dict[int, list[str]]) -> None:
    """Take these tags off these incidents, in one transaction (undo of tag_incidents)."""
    pairs = [(incident, tag_key(name)) for incident, names in tags.items() for name in names]
    with archive.write_session() as session:
        db_tagging.remove_incident_tags(session, pairs)
