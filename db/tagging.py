"""Tagging many incidents at once (the incident table's selection), in one transaction,
with SQLAlchemy Core so that it runs on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import delete, func, insert, select, tuple_
from sqlalchemy.orm import Session

from db.models import Tag, incident_tags


def ensure_tags(
    session: Session, names: Sequence[tuple[str, str]], colour_for: Callable[[int], str],
    created_at: str,
) -> list[tuple[int, str]]:  # fmt: skip
    """The (id, name) of each (name, folded key), creating the missing tags; colour_for(n)
    gives the colour of the n-th tag of the archive."""
    found: list[tuple[int, str]] = []
    for name, key in names:
        row = session.execute(select(Tag.id, Tag.name).where(Tag.name_key == key)).first()
        if row is not None:
            tag = (int(row[0]), str(row[1]))
        else:
            count = session.scalar(select(func.count()).select_from(Tag)) or 0
            tag_id = session.execute(
                insert(Tag)
                .values(name=name, name_key=key, color=colour_for(count), created_at=created_at)
                .returning(Tag.id)
            ).scalar_one()
            tag = (int(tag_id), name)
        if all(tag[0] != known for known, _ in found):
            found.append(tag)
    return found


def add_incident_tags(
    session: Session, incident_ids: Sequence[int], tags: Sequence[tuple[int, str]]
) -> dict[int, list[str]]:
    """Tag the incidents; returns, per incident, the names of the tags it did not have."""
    wanted = list(dict.fromkeys(incident_ids))
    tag_ids = [tag_id for tag_id, _name in tags]
    if not wanted or not tag_ids:
        return {}
    existing = set(
        session.execute(
            select(incident_tags.c.incident_id, incident_tags.c.tag_id).where(
                incident_tags.c.incident_id.in_(wanted), incident_tags.c.tag_id.in_(tag_ids)
            )
        )
    )
    rows = [
        {"incident_id": incident_id, "tag_id": tag_id}
        for incident_id in wanted
        for tag_id in tag_ids
        if (incident_id, tag_id) not in existing
    ]
    if rows:
        session.execute(insert(incident_tags), rows)
    names = dict(tags)
    added: dict[int, list[str]] = {}
    for row in rows:
        added.setdefault(row["incident_id"], []).append(names[row["tag_id"]])
    return added


def remove_incident_tags(session: Session, pairs: Sequence[tuple[int, str]]) -> None:
    """Take tags (by folded key) off incidents: (incident id, key) pairs."""
    if not pairs:
        return
    keys = {key for _incident, key in pairs}
    ids = {
        key: tag_id
        for key, tag_id in session.execute(
            select(Tag.name_key, Tag.id).where(Tag.name_key.in_(keys))
        )
    }
    links = [(incident, ids[key]) for incident, key in pairs if key in ids]
    if links:
        session.execute(
            delete(incident_tags).where(
                tuple_(incident_tags.c.incident_id, incident_tags.c.tag_id).in_(links)
            )
        )
