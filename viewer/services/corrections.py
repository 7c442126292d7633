"""Corrections: the researcher's value for an extracted fact (date, place, country, tolls,
perpetrators, type) wins over extraction.

A correction is stored as the researcher wrote it (db.corrections) and read with the same
readers extraction uses (a date as dates are read, a toll as tolls are). It is applied to
the facts of every record written for its incident, so that import, re-import and reindex
all keep it, and the incident's columns (the timeline, the table, charts) show it. The
article's own words (the date, toll and place texts, the infobox) are never changed: the
reader shows them beside the correction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from db import Archive
from db import corrections as stored
from db.corrections import CORRECTABLE_FIELDS, StoredCorrection
from db.models import Incident
from db.records import Facts, IncidentRecord, PerpetratorRecord, TermRecord
from db.store import ArchiveWriter, WriteOutcome, utc_now
from viewer.extraction.dates import parse_date_text
from viewer.extraction.gazetteer import gazetteer
from viewer.extraction.lists import parse_perpetrators, parse_places, parse_terms
from viewer.extraction.tolls import parse_toll
from viewer.services.research import ResearchError

__all__ = [
    "CORRECTABLE_FIELDS",
    "FIELD_LABELS",
    "CorrectionError",
    "StoredCorrection",
    "apply_to_facts",
    "apply_to_record",
    "correct",
    "corrections_of",
    "restore",
]

FIELD_LABELS = {
    "date": "date",
    "place": "place",
    "country": "country",
    "fatalities": "fatalities",
    "injuries": "injuries",
    "perpetrators": "perpetrators",
    "type": "type",
}
# The infobox's unified field each correction stands for (reading.py shows them together).
INFOBOX_FIELD = {"place": "location"}
_ISO_RANGE = re.compile(
    r"^\s*(\d{4}-\d{2}-\d{2})\s*(?:/|–|—|\s-\s|\bto\b)\s*(\d{4}-\d{2}-\d{2})\s*$"
)


class CorrectionError(ResearchError):
    """A correction that cannot be read (one line naming the field and what it expects)."""


@dataclass(frozen=True)
class _Date:
    start: str
    end: str
    precision: str


def _read_date(value: str) -> _Date:
    ranged = _ISO_RANGE.match(value)
    if ranged:
        first, last = parse_date_text(ranged.group(1)), parse_date_text(ranged.group(2))
        if first is not None and last is not None and first.start <= last.end:
            return _Date(first.start.isoformat(), last.end.isoformat(), "day")
    found = parse_date_text(value)
    if found is None:
        raise CorrectionError(
            f"date {value!r} cannot be read; write it as 2024-02-07, 7 February 2024, "
            "7–8 February 2024, February 2024 or 2024"
        )
    return _Date(found.start.isoformat(), found.end.isoformat(), found.precision)


def _read_toll(field: str, value: str) -> tuple[int | None, int | None, bool]:
    toll = parse_toll(value)
    if toll.min is None and toll.max is None:
        raise CorrectionError(
            f"{field} {value!r} cannot be read; write a number or a range: 60, 28–30, 40+"
        )
    return toll.min, toll.max, toll.open_ended


def _read_country(value: str) -> str:
    gaz = gazetteer()
    name = gaz.state_name(gaz.state_code(value.strip()))
    if name is None:
        raise CorrectionError(f"country {value!r} is not a state this program knows")
    return name


def check(field: str, value: str) -> None:
    """Raise CorrectionError when the value cannot stand for the field."""
    if field not in CORRECTABLE_FIELDS:
        raise CorrectionError(
            f"cannot correct {field!r}; the fields are {', '.join(CORRECTABLE_FIELDS)}"
        )
    if field == "date":
        _read_date(value)
    elif field in ("fatalities", "injuries"):
        _read_toll(field, value)
    elif field == "country":
        _read_country(value)
    elif field == "place" and not parse_places(value):
        raise CorrectionError(f"place {value!r} names no place")
    elif field == "type" and not parse_terms(value):
        raise CorrectionError(f"type {value!r} names no type")


def _apply_one(facts: Facts, correction: StoredCorrection) -> None:
    field, value = correction.field, correction.value
    if field == "date":
        date = _read_date(value)
        facts.date_start, facts.date_end, facts.date_precision = (
            date.start, date.end, date.precision,
        )  # fmt: skip
    elif field in ("fatalities", "injuries"):
        toll = getattr(facts, field)
        toll.min, toll.max, toll.open_ended = _read_toll(field, value)
    elif field == "perpetrators":
        facts.perpetrators = [
            PerpetratorRecord(p.name, p.suspected) for p in parse_perpetrators(value)
        ]
    elif field == "place":
        places = parse_places(value)
        others = [t for t in facts.terms if t.kind != "place"]
        facts.terms = [TermRecord("place", p) for p in places] + others
        gaz = gazetteer()
        facts.country = gaz.state_name(gaz.country_of_places(places)) or facts.country
    elif field == "country":
        facts.country = _read_country(value)
    elif field == "type":
        others = [t for t in facts.terms if t.kind != "type"]
        facts.terms = others + [TermRecord("type", t) for t in parse_terms(value)]


def apply_to_facts(facts: Facts, corrections: Sequence[StoredCorrection]) -> list[str]:
    """Put the corrections in place of what extraction found (the country last, so that a
    corrected country wins over one a corrected place implies). Returns a line for each
    correction that could not be applied (none, unless the readers changed since)."""
    problems = []
    ordered = sorted(corrections, key=lambda c: c.field == "country")
    for correction in ordered:
        try:
            _apply_one(facts, correction)
        except CorrectionError as exc:
            problems.append(str(exc))
    return problems


def apply_to_record(record: IncidentRecord, corrections: Sequence[StoredCorrection]) -> None:
    apply_to_facts(record.facts, corrections)


class CorrectingWriter(ArchiveWriter):
    """The import's writer: each article whose title has corrections is written with them
    (an unchanged article is not written at all, and keeps them too)."""

    def __init__(
        self, connection: Connection, corrections: dict[str, list[StoredCorrection]]
    ) -> None:
        super().__init__(connection)
        self._corrections = corrections

    def store(self, record: IncidentRecord) -> tuple[WriteOutcome, int]:
        found = self._corrections.get(record.title_key)
        if found:
            apply_to_record(record, found)
        return super().store(record)


def corrections_of(archive: Archive, incident_id: int) -> list[StoredCorrection]:
    with archive.session() as session:
        return stored.corrections_of(session, incident_id)


def corrections_of_incidents(
    archive: Archive, incident_ids: Sequence[int]
) -> dict[int, list[StoredCorrection]]:
    with archive.session() as session:
        return stored.corrections_of_incidents(session, incident_ids)


def for_import(archive: Archive) -> dict[str, list[StoredCorrection]]:
    """Every correction by folded title: an import applies them to the articles it writes."""
    with archive.session() as session:
        return stored.corrections_by_title_key(session)


def by_incident(archive: Archive) -> dict[int, list[StoredCorrection]]:
    with archive.session() as session:
        return stored.corrections_by_incident(session)


def correct(
    archive: Archive, incident_id: int, field: str, value: str, note: str | None = None
) -> StoredCorrection | None:
    """Set (or with an empty value, remove) the researcher's value of a field, and write the
    incident again from its source with its corrections. Returns the correction replaced
    (for undo). Raises CorrectionError for a value that cannot be read."""
    from viewer.services.reindexing import reindex_incident

    archive.refuse_writes()
    value = " ".join(value.split())
    if field not in CORRECTABLE_FIELDS or value:
        check(field, value)
    with archive.write_session() as session:
        if value:
            note = " ".join((note or "").split()) or None
            previous = stored.put_correction(session, incident_id, field, value, note, utc_now())
        else:
            previous = stored.drop_correction(session, incident_id, field)
    reindex_incident(archive, incident_id)
    return previous


def restore(
    archive: Archive, incident_id: int, field: str, previous: StoredCorrection | None
) -> None:
    """Undo: the field's correction as it was before (or none), and the incident rewritten."""
    from viewer.services.reindexing import reindex_incident

    archive.refuse_writes()
    with archive.write_session() as session:
        if previous is None:
            stored.drop_correction(session, incident_id, field)
        else:
            stored.restore_correction(session, previous)
    reindex_incident(archive, incident_id)


_ARTICLE_FIELD = {"place": "location"}


def article_words(incident: Incident, field: str) -> str | None:
    """What the article itself says of a corrected field (its infobox value, else the
    words the value was read from), kept beside the correction."""
    unified = _ARTICLE_FIELD.get(field, field)
    for entry in incident.infobox:
        if entry.field == unified and entry.value.strip():
            return entry.value
    return {
        "date": incident.date_text,
        "place": incident.location_text,
        "fatalities": incident.fatalities_text,
        "injuries": incident.injuries_text,
        "perpetrators": "; ".join(p.evidence for p in incident.perpetrators if p.evidence) or None,
    }.get(field)
