"""The researcher's corrections of extracted facts: one per incident and field, kept apart
from what extraction writes so that every write of the incident can apply them again.
SQLAlchemy Core, for SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from db.fields import CORRECTABLE_FIELDS as CORRECTABLE_FIELDS
from db.models import Correction, Incident


@dataclass(frozen=True)
class StoredCorrection:
    incident_id: int
    field: str
    value: str
    note: str | None
    created_at: str
    modified_at: str


_COLUMNS = (
    Correction.incident_id,
    Correction.field,
    Correction.value,
    Correction.note,
    Correction.created_at,
    Correction.modified_at,
)


def corrections_of(session: Session, incident_id: int) -> list[StoredCorrection]:
    rows = session.execute(
        select(*_COLUMNS).where(Correction.incident_id == incident_id).order_by(Correction.id)
    )
    return [StoredCorrection(*row) for row in rows]


def corrections_of_incidents(
    session: Session, incident_ids: Sequence[int]
) -> dict[int, list[StoredCorrection]]:
    """The corrections of each of these incidents (as corrections_of), in one query."""
    found: dict[int, list[StoredCorrection]] = {}
    query = select(*_COLUMNS).where(Correction.incident_id.in_(list(incident_ids)))
    for row in session.execute(query.order_by(Correction.id)):
        found.setdefault(row[0], []).append(StoredCorrection(*row))
    return found


def corrections_by_incident(session: Session) -> dict[int, list[StoredCorrection]]:
    """Every correction of the archive, by incident (few: the researcher wrote each)."""
    found: dict[int, list[StoredCorrection]] = {}
    for row in session.execute(select(*_COLUMNS).order_by(Correction.id)):
        found.setdefault(row[0], []).append(StoredCorrection(*row))
    return found


def corrections_by_title_key(session: Session) -> dict[str, list[StoredCorrection]]:
    """Every correction, by the folded title of its incident (how an import finds them)."""
    found: dict[str, list[StoredCorrection]] = {}
    rows = session.execute(
        select(Incident.title_key, *_COLUMNS)
        .join(Incident, Incident.id == Correction.incident_id)
        .order_by(Correction.id)
    )
    for key, incident_id, field, value, note, created, modified in rows:
        found.setdefault(key, []).append(
            StoredCorrection(incident_id, field, value, note, created, modified)
        )
    return found


def _one(session: Session, incident_id: int, field: str) -> StoredCorrection | None:
    row = session.execute(
        select(*_COLUMNS).where(Correction.incident_id == incident_id, Correction.field == field)
    ).first()
    return StoredCorrection(*row) if row is not None else None


def put_correction(
    session: Session, incident_id: int, field: str, value: str, note: str | None, now: str
) -> StoredCorrection | None:
    """Set the researcher's value of a field; returns the correction it replaced, if any."""
    previous = _one(session, incident_id, field)
    if previous is None:
        session.execute(
            insert(Correction).values(
                incident_id=incident_id, field=field, value=value, note=note, created_at=now,
                modified_at=now,
            )
        )  # fmt: skip
    else:
        session.execute(
            update(Correction)
            .where(Correction.incident_id == incident_id, Correction.field == field)
            .values(value=value, note=note, modified_at=now)
        )
    return previous


def drop_correction(session: Session, incident_id: int, field: str) -> StoredCorrection | None:
    """Remove a correction (extraction decides again); returns what was removed."""
    previous = _one(session, incident_id, field)
    if previous is not None:
        session.execute(
            delete(Correction).where(
                Correction.incident_id == incident_id, Correction.field == field
            )
        )
    return previous


def restore_correction(session: Session, correction: StoredCorrection) -> None:
    """Put a correction back exactly as it was (undo), replacing any other of its field."""
    drop_correction(session, correction.incident_id, correction.field)
    session.execute(
        insert(Correction).values(
            incident_id=correction.incident_id, field=correction.field, value=correction.value,
            note=correction.note, created_at=correction.created_at,
            modified_at=correction.modified_at,
        )
    )  # fmt: skip
