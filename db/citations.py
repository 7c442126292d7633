"""Where an article was published, for citing it: what its import recorded (sources) and
what the researcher says (citations, which wins). SQLAlchemy Core, for both engines."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.orm import Session

from db.models import Citation, Incident, Source


@dataclass(frozen=True)
class StoredCitation:
    """The researcher's own values (None: not given)."""

    incident_id: int
    url: str | None
    site: str | None
    accessed: str | None
    modified_at: str


@dataclass(frozen=True)
class SourceRow:
    """An incident's source as imported, with the researcher's citation if there is one."""

    incident_id: int
    title: str
    path: str
    format: str
    imported_at: str
    url: str | None
    site: str | None
    page_title: str | None
    revised_at: str | None
    citation: StoredCitation | None


_CITATION = (Citation.incident_id, Citation.url, Citation.site, Citation.accessed,
             Citation.modified_at)  # fmt: skip


def citation_of(session: Session, incident_id: int) -> StoredCitation | None:
    row = session.execute(select(*_CITATION).where(Citation.incident_id == incident_id)).first()
    return StoredCitation(*row) if row is not None else None


def sources_of(session: Session, incident_ids: list[int]) -> dict[int, SourceRow]:
    """The sources of these incidents (with their citations), by incident id."""
    citations = {
        row[0]: StoredCitation(*row)
        for row in session.execute(select(*_CITATION).where(Citation.incident_id.in_(incident_ids)))
    }
    rows = session.execute(
        select(
            Source.incident_id, Incident.title, Source.path, Source.format, Source.imported_at,
            Source.url, Source.site, Source.page_title, Source.revised_at,
        )
        .join(Incident, Incident.id == Source.incident_id)
        .where(Source.incident_id.in_(incident_ids))
    )  # fmt: skip
    return {row[0]: SourceRow(*row, citations.get(row[0])) for row in rows}


def put_citation(
    session: Session,
    incident_id: int,
    url: str | None,
    site: str | None,
    accessed: str | None,
    now: str,
) -> StoredCitation | None:
    """Set the researcher's values (all three: None clears one); returns what was there."""
    previous = citation_of(session, incident_id)
    session.execute(delete(Citation).where(Citation.incident_id == incident_id))
    if url or site or accessed:
        session.execute(
            insert(Citation).values(
                incident_id=incident_id, url=url, site=site, accessed=accessed, modified_at=now
            )
        )
    return previous


def restore_citation(session: Session, incident_id: int, previous: StoredCitation | None) -> None:
    """Undo: the citation as it was (or none)."""
    session.execute(delete(Citation).where(Citation.incident_id == incident_id))
    if previous is not None:
        session.execute(
            insert(Citation).values(
                incident_id=incident_id, url=previous.url, site=previous.site,
                accessed=previous.accessed, modified_at=previous.modified_at,
            )
        )  # fmt: skip


def incidents_with_url(session: Session, url: str) -> list[tuple[int, str]]:
    """(id, title) of the incidents whose source or citation has this address."""
    rows = session.execute(
        select(Incident.id, Incident.title)
        .outerjoin(Source, Source.incident_id == Incident.id)
        .outerjoin(Citation, Citation.incident_id == Incident.id)
        .where(or_(Citation.url == url, Source.url == url))
        .order_by(Incident.id)
    )
    return [(int(row[0]), str(row[1])) for row in rows]
