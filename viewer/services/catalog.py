"""Reading incidents out of an archive in the shapes the CLI, the exports and the UI use."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from db import Archive
from db import queries as q
from db.models import Incident
from db.search_grammar import to_fts_query
from db.titles import title_key
from viewer.services.search_results import SearchResult as SearchResult
from viewer.services.search_results import SearchResults as SearchResults

EXPORT_FORMAT = "incident-archive/1"
MAX_ID = 2**63 - 1  # the largest SQLite integer


class IncidentNotFound(LookupError):
    pass


def _infobox_dict(incident: Incident) -> dict[str, str]:
    fields: dict[str, str] = {}
    for field in incident.infobox:
        key = field.key
        counter = 2
        while key in fields:  # a key repeated in the article keeps every value
            key = f"{field.key} ({counter})"
            counter += 1
        fields[key] = field.value
    return fields


def _toll(low: int | None, high: int | None, open_ended: bool, text: str | None) -> dict[str, Any]:
    return {"min": low, "max": high, "open_ended": bool(open_ended), "text": text}


def _terms(incident: Incident, kind: str) -> list[str]:
    return [t.value for t in incident.terms if t.kind == kind]


def incident_dict(incident: Incident, links: dict[str, int] | None = None) -> dict[str, Any]:
    """One incident in the shape of the JSON export contract (docs/contract.md); links maps
    see-also title keys to archived incident ids."""
    body = incident.body
    links = links or {}
    return {
        "id": incident.id,
        "title": incident.title,
        "date": {
            "start": incident.date_start,
            "end": incident.date_end,
            "text": incident.date_text,
            "precision": incident.date_precision,
        },
        "location": {
            "text": incident.location_text,
            "places": _terms(incident, "place"),
            "country": incident.country,
        },
        "fatalities": _toll(
            incident.fatalities_min,
            incident.fatalities_max,
            incident.fatalities_open,
            incident.fatalities_text,
        ),
        "injuries": _toll(
            incident.injuries_min,
            incident.injuries_max,
            incident.injuries_open,
            incident.injuries_text,
        ),
        "perpetrators_killed": {
            "min": incident.perpetrators_killed_min,
            "max": incident.perpetrators_killed_max,
        },
        "perpetrators": [
            {"name": p.name, "suspected": p.suspected, "evidence": p.evidence}
            for p in incident.perpetrators
        ],
        "type": _terms(incident, "type"),
        "target": _terms(incident, "target"),
        "part_of": _terms(incident, "part_of"),
        "weapons": _terms(incident, "weapon"),
        "infobox": _infobox_dict(incident),
        "sections": [
            {"heading": s.heading, "level": s.level, "text": body[s.start : s.end]}
            for s in incident.sections
        ],
        "reactions": [
            {
                "category": r.category,
                "actor": r.actor,
                "actor_kind": r.actor_kind,
                "speaker": r.speaker,
                "role": r.role,
                "stance": r.stance,
                "text": r.text,
                "section": r.section,
                "start": r.start,
                "end": r.end,
            }
            for r in incident.reactions
        ],
        "events": [
            {
                "date": e.date,
                "text": e.text,
                "date_text": e.date_text,
                "relative": e.relative,
                "section": e.section,
                "start": e.start,
                "end": e.end,
            }
            for e in incident.events
        ],
        "see_also": [
            {"title": link.title, "incident_id": links.get(link.title_key)}
            for link in incident.see_also
        ],
        "tags": [],
        "bookmarks": [],
        "annotations": [],
        "notes": [],
        "source": {"path": incident.source.path, "format": incident.source.format},
    }


def see_also_links(archive: Archive, incident: Incident) -> dict[str, int]:
    """Archived incidents that this one's see-also titles resolve to, by title key (looked
    up when asked, so a later import of the target resolves the link)."""
    with archive.session() as session:
        return q.resolve_titles(session, [link.title_key for link in incident.see_also])


def links_of(archive: Archive, incidents: Sequence[Incident]) -> dict[str, int]:
    """see_also_links for several incidents in one query (one map serves them all: a title
    key names the same incident whichever article links to it)."""
    keys = sorted({link.title_key for incident in incidents for link in incident.see_also})
    with archive.session() as session:
        return q.resolve_titles(session, keys)


def load_incident(archive: Archive, incident_id: int) -> Incident:
    with archive.session() as session:
        incident = q.get_incident(session, incident_id)
    if incident is None:
        raise IncidentNotFound(f"no incident with id {incident_id}")
    return incident


def find_incident(archive: Archive, reference: str) -> Incident:
    """An incident by id, else by title (case and spacing do not matter)."""
    with archive.session() as session:
        incident = None
        number = reference.strip()
        # an id is a SQLite integer: a longer run of digits can only be a title
        if number.isascii() and number.isdigit() and int(number) <= MAX_ID:
            incident = q.get_incident(session, int(number))
        if incident is None:
            incident_id = q.find_incident_id(session, title_key(reference))
            incident = q.get_incident(session, incident_id) if incident_id is not None else None
    if incident is None:
        raise IncidentNotFound(f"no incident with id or title {reference!r}")
    return incident


def count(archive: Archive) -> int:
    with archive.session() as session:
        return q.count_incidents(session)


def list_summaries(archive: Archive) -> list[q.IncidentSummary]:
    with archive.session() as session:
        return q.list_incidents(session)


LIST_PAGE = 2000  # incidents read per query when the listing is streamed


def iter_summaries(archive: Archive, page: int | None = None) -> Iterator[q.IncidentSummary]:
    """Every incident in list_summaries' order, read a page at a time (each page its own
    short read, from where the last ended): memory stays flat however many there are."""
    after: q.ListPosition | None = None
    while True:
        with archive.session() as session:
            found, after = q.list_page(session, after, page or LIST_PAGE)
        yield from found
        if after is None:
            return


def iter_incidents(
    archive: Archive, chunk: int = 200, incident_ids: Sequence[int] | None = None
) -> Iterator[Incident]:
    """Every incident (or those given, by id) with its parts, by id."""
    for found in iter_incident_chunks(archive, chunk, incident_ids):
        yield from found


def iter_incident_chunks(
    archive: Archive, chunk: int = 200, incident_ids: Sequence[int] | None = None
) -> Iterator[list[Incident]]:
    """Every incident (or those given, by id) with its parts, a chunk at a time by id: one
    query per table per chunk, and only one chunk in memory (exports of large archives)."""
    if incident_ids is None:
        with archive.session() as session:
            ids = q.incident_ids(session)
    else:
        ids = sorted(set(incident_ids))
    for first in range(0, len(ids), chunk):
        with archive.session() as session:
            yield q.get_incidents(session, ids[first : first + chunk])


def search(
    archive: Archive,
    query: str,
    *,
    filters: q.SearchFilters | None = None,
    limit: int = 20,
    offset: int = 0,
    marks: tuple[str, str] = ("**", "**"),
) -> SearchResults:
    """Full-text search, optionally restricted by filters; with filters, an empty query
    lists what they allow. Raises SearchQueryError with a message for a query it cannot run."""
    fts_query = to_fts_query(query) if query.strip() or filters is None else None
    with archive.session() as session:
        page = q.search(
            session, fts_query, filters=filters, limit=limit, offset=offset, marks=marks
        )
    return SearchResults(
        [SearchResult(hit.id, hit.title, hit.date_start, hit.snippet) for hit in page.hits],
        page.total,
        page.ranked,
    )


def filter_values(archive: Archive, kind: str) -> list[tuple[str, int]]:
    """Values to offer in a filter (perpetrator, type, place, country), commonest first."""
    with archive.session() as session:
        return q.distinct_values(session, kind)


def date_span(archive: Archive, incident_ids: Sequence[int]) -> tuple[str, str] | None:
    """The first start and last end date of these incidents (None when none is dated)."""
    if not incident_ids:
        return None
    with archive.session() as session:
        return q.date_span(session, incident_ids)
