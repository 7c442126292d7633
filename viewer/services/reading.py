"""What the reader shows for one incident, gathered in one read of the archive."""

from __future__ import annotations

from dataclasses import dataclass, field

from db import Archive
from db import corrections as stored_corrections
from db import queries as q
from db.fields import CORRECTABLE_FIELDS
from db.models import Incident
from db.records import EventRecord, SectionRecord
from viewer.extraction.keys import FIELD_LABELS
from viewer.services import catalog, sources
from viewer.wording import toll_text as toll_text


@dataclass(frozen=True)
class FactRow:
    """One infobox line: the label, what to show (normalised where we can), and the raw
    value the article gave (shown on hover)."""

    label: str
    shown: str
    raw: str
    key: str = ""  # the infobox key as the article wrote it ("Perps" for "Perpetrators")
    field: str = ""  # the fact a researcher can correct here (corrections.CORRECTABLE_FIELDS)
    corrected: bool = False  # the shown value is the researcher's, not extraction's
    note: str | None = None  # why, in the researcher's words


@dataclass(frozen=True)
class LinkView:
    title: str
    incident_id: int | None
    line_start: int  # offset of the see-also line in the body


@dataclass
class IncidentView:
    id: int
    title: str
    body: str
    subtitle: str
    facts: list[FactRow]
    sections: list[SectionRecord]
    links: list[LinkView]
    events: list[EventRecord] = field(default_factory=list)
    source: str = ""
    source_line: str = ""  # where it was published: site · address · revision
    reference: str = ""  # the reference "Copy Citation" copies


def _date_text(incident: Incident) -> str:
    if not incident.date_start:
        return ""
    if incident.date_end and incident.date_end != incident.date_start:
        return f"{incident.date_start} – {incident.date_end}"
    return incident.date_start


_PERPETRATORS_KILLED = "Perpetrators killed"


# The unified infobox field each correctable fact is shown under (the rest are the same).
_CORRECTED_AS = {"location": "place"}
_INFOBOX_OF = {"place": "location"}


def _shown_values(incident: Incident) -> dict[str, str]:
    return {
        "date": _date_text(incident),
        "fatalities": toll_text(
            incident.fatalities_min, incident.fatalities_max, incident.fatalities_open
        ),
        "injuries": toll_text(incident.injuries_min, incident.injuries_max, incident.injuries_open),
        "perpetrators": ", ".join(
            p.name + (" (suspected)" if p.suspected else "") for p in incident.perpetrators
        ),
        "location": ", ".join(t.value for t in incident.terms if t.kind == "place"),
        "country": incident.country or "",
        "type": ", ".join(t.value for t in incident.terms if t.kind == "type"),
        "target": ", ".join(t.value for t in incident.terms if t.kind == "target"),
        "part_of": "; ".join(t.value for t in incident.terms if t.kind == "part_of"),
    }


def _fact(label: str, shown: str, raw: str, key: str, name: str, notes: Notes) -> FactRow:
    """A row; name is the unified field, notes the corrections by field."""
    fact = _CORRECTED_AS.get(name, name)
    fact = fact if fact in CORRECTABLE_FIELDS else ""
    return FactRow(label, shown, raw, key, fact, fact in notes, notes.get(fact))


Notes = dict[str, str | None]


def _facts(incident: Incident, notes: Notes | None = None) -> list[FactRow]:
    """The infobox, each unified field shown normalised with its raw value kept; notes maps
    each corrected field to the researcher's note."""
    notes = notes or {}
    shown = _shown_values(incident)
    rows = []
    for entry in incident.infobox:
        if entry.field == "title":
            continue
        name = entry.field or ""
        normalised = shown.get(name, "")
        label = FIELD_LABELS.get(name, entry.key)
        rows.append(_fact(label, normalised or entry.value, entry.value, entry.key, name, notes))
    # facts read from the text (no infobox field) are shown too, with the words they came from
    present = {entry.field for entry in incident.infobox}
    evidence = "; ".join(p.evidence for p in incident.perpetrators if p.evidence)
    for name, raw in (
        ("date", incident.date_text),
        ("location", incident.location_text),
        ("fatalities", incident.fatalities_text),
        ("injuries", incident.injuries_text),
        ("perpetrators", evidence),
    ):
        if name not in present and raw and shown[name]:
            rows.append(_fact(FIELD_LABELS[name], shown[name], raw, "", name, notes))
            present.add(name)
    # a corrected fact the article gives no words for
    for corrected in notes:
        name = _INFOBOX_OF.get(corrected, corrected)
        if name not in present and shown.get(name):
            rows.append(_fact(FIELD_LABELS[name], shown[name], "", "", name, notes))
    if incident.perpetrators_killed_max:
        killed = toll_text(
            incident.perpetrators_killed_min, incident.perpetrators_killed_max, False
        )
        rows.append(FactRow(_PERPETRATORS_KILLED, killed, killed))
    return rows


def _links(incident: Incident, resolved: dict[str, int]) -> list[LinkView]:
    body = incident.body
    links = []
    for link in incident.see_also:
        position = body.find("- " + link.title)
        links.append(LinkView(link.title, resolved.get(link.title_key), max(position, 0)))
    return links


def load_incident_view(archive: Archive, incident_id: int) -> IncidentView:
    incident, resolved, notes = _read(archive, incident_id)
    killed = toll_text(incident.fatalities_min, incident.fatalities_max, incident.fatalities_open)
    subtitle = " · ".join(
        part
        for part in (
            _date_text(incident),
            incident.country or "",
            killed and f"killed: {killed}",
        )
        if part
    )
    return IncidentView(
        id=incident.id,
        title=incident.title,
        body=incident.body,
        subtitle=subtitle,
        facts=_facts(incident, notes),
        sections=[
            SectionRecord(s.heading, s.level, s.heading_start, s.start, s.end)
            for s in incident.sections
        ],
        links=_links(incident, resolved),
        events=[
            EventRecord(
                e.date, e.date_text, e.text, e.start, e.end, e.section, e.relative, e.precision
            )
            for e in incident.events
        ],
        source=f"{incident.source.path} ({incident.source.format})",
        **_source_texts(archive, incident.id),
    )


def _read(archive: Archive, incident_id: int) -> tuple[Incident, dict[str, int], Notes]:
    """The incident, its see-also titles resolved and its corrections' notes, in one read.
    The incident is read as plain rows (db.queries.get_incidents, as exports read it): no
    ORM objects, and not its source's file text, which the reader never shows. The notes
    come from db.corrections itself: viewer.services.corrections checks new values with
    extraction's parsers, whose import was most of an incident's first render."""
    with archive.session() as session:
        found = q.get_incidents(session, [incident_id])
        if not found:
            raise catalog.IncidentNotFound(f"no incident with id {incident_id}")
        incident = found[0]
        resolved = q.resolve_titles(session, [link.title_key for link in incident.see_also])
        notes: Notes = {
            c.field: c.note for c in stored_corrections.corrections_of(session, incident_id)
        }
    return incident, resolved, notes


def _source_texts(archive: Archive, incident_id: int) -> dict[str, str]:
    view = sources.source_view(archive, incident_id)
    if view is None:
        return {}
    parts = [view.site or "", view.url or view.path]
    if view.issued:
        parts.append(f"revision of {view.issued[:10]}")
    return {
        "source_line": " · ".join(part for part in parts if part),
        "reference": sources.reference_text(view),
    }
