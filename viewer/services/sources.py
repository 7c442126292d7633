"""Citable sources: where each incident's article was published (its address, the site,
the revision's date, when the researcher read it), from what the import recorded and what
the researcher says, which wins; and the references and citations made from them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from db import Archive
from db import citations as stored
from db.citations import SourceRow, StoredCitation
from db.models import Incident
from db.store import utc_now
from viewer.interchange.csl import WIKIPEDIA, CitationData, container_title
from viewer.interchange.w3c import AnnotationData
from viewer.services.research import ResearchError

__all__ = ["SourceError", "SourceView", "StoredCitation"]


class SourceError(ResearchError):
    """A source value that cannot be used (one line naming it and what it expects)."""


@dataclass(frozen=True)
class SourceView:
    """An incident's source as a citation needs it; given lists what the researcher set."""

    incident_id: int
    title: str
    path: str
    format: str
    imported_at: str
    url: str | None
    site: str | None
    accessed: str  # ISO date: the researcher's, else the day the article was imported
    issued: str | None  # ISO date-time of the revision read, where the input gave one
    page_title: str | None
    given: frozenset[str] = frozenset()


def _day(stamp: str) -> str:
    try:
        moment = datetime.fromisoformat(stamp.strip().replace("Z", "+00:00"))
    except ValueError:
        return stamp[:10]
    return (moment.astimezone(UTC) if moment.tzinfo else moment).date().isoformat()


def _view(row: SourceRow) -> SourceView:
    cited = row.citation
    given = frozenset(
        name for name in ("url", "site", "accessed") if cited and getattr(cited, name)
    )
    url = (cited.url if cited and cited.url else None) or row.url
    site = (cited.site if cited and cited.site else None) or row.site
    inferred = container_title(row.title, row.format, row.path, url)[1]
    site = site or (inferred if inferred == WIKIPEDIA else None)
    accessed = (cited.accessed if cited and cited.accessed else None) or _day(row.imported_at)
    return SourceView(
        row.incident_id, row.title, row.path, row.format, row.imported_at, url, site, accessed,
        row.revised_at, row.page_title, given,
    )  # fmt: skip


def source_views(archive: Archive, incident_ids: list[int]) -> dict[int, SourceView]:
    with archive.session() as session:
        rows = stored.sources_of(session, incident_ids)
    return {incident_id: _view(row) for incident_id, row in rows.items()}


def source_view(archive: Archive, incident_id: int) -> SourceView | None:
    return source_views(archive, [incident_id]).get(incident_id)


def check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url):
        raise SourceError(f"URL {url!r} is not a web address (https://…)")
    return url


def check_accessed(text: str) -> str:
    text = text.strip()
    if text.casefold() == "today":
        return date.today().isoformat()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise SourceError(f"date {text!r} is not a date written as 2024-05-01") from None
    if day > date.today():
        raise SourceError(f"date {text!r} is in the future")
    return day.isoformat()


_UNSET = object()


def set_source(
    archive: Archive,
    incident_id: int,
    *,
    url: str | object | None = _UNSET,
    site: str | object | None = _UNSET,
    accessed: str | object | None = _UNSET,
) -> StoredCitation | None:
    """Set the researcher's URL, site or access date (those given; "" clears one, the
    others stay). Returns the citation as it was (for undo)."""
    archive.refuse_writes()
    checked: dict[str, str | None] = {}
    for name, value, check in (
        ("url", url, check_url),
        ("site", site, lambda text: " ".join(text.split())),
        ("accessed", accessed, check_accessed),
    ):
        if value is not _UNSET:
            text = str(value or "").strip()
            checked[name] = check(text) if text else None
    with archive.write_session() as session:
        current = stored.citation_of(session, incident_id)
        merged = {
            name: checked.get(name, getattr(current, name) if current else None)
            for name in ("url", "site", "accessed")
        }
        return stored.put_citation(session, incident_id, **merged, now=utc_now())


def restore_source(archive: Archive, incident_id: int, previous: StoredCitation | None) -> None:
    archive.refuse_writes()
    with archive.write_session() as session:
        stored.restore_citation(session, incident_id, previous)


# -- citations ------------------------------------------------------------------------------


def citation_data(incident: Incident, view: SourceView | None) -> CitationData:
    """What CSL-JSON is made of, for one incident and its source."""
    data = CitationData(
        id=incident.id, title=incident.title, date_start=incident.date_start,
        date_end=incident.date_end, source_path=incident.source.path,
        source_format=incident.source.format, imported=incident.source.imported_at,
        country=incident.country, places=[t.value for t in incident.terms if t.kind == "place"],
        perpetrators=[p.name for p in incident.perpetrators],
    )  # fmt: skip
    if view is None:
        return data
    return replace(data, url=view.url, site=view.site, accessed=view.accessed, issued=view.issued)


def _long_date(iso: str) -> str:
    day = date.fromisoformat(iso[:10])
    return f"{day.day} {day.strftime('%B')} {day.year}"


def reference_text(view: SourceView) -> str:
    """A reference to the article as a researcher pastes it in a paper (the parts a style
    like Chicago's gives for an online encyclopedia entry)."""
    title = container_title(view.title, view.format, view.path, view.url)[0]
    parts = [f"“{title}.”"]
    if view.site:
        parts.append(f"{view.site}.")
    if view.issued:
        parts.append(f"Revision of {_long_date(view.issued)}.")
    if view.url:
        parts.append(f"{view.url}.")
    else:
        parts.append(f"Copy in {view.path}.")
    parts.append(f"Accessed {_long_date(view.accessed)}.")
    return " ".join(parts)


def quote_with_reference(quote: str, view: SourceView) -> str:
    return f"“{' '.join(quote.split())}” — {reference_text(view)}"


def resolve_annotation_sources(
    archive: Archive, items: list[AnnotationData]
) -> list[AnnotationData]:
    """Annotations whose target names the article by its web address (as our W3C export
    does where the address is known) get the title of the incident with that address."""
    resolved = []
    with archive.session() as session:
        for item in items:
            if not item.incident_title and item.source_url:
                found = stored.incidents_with_url(session, item.source_url)
                title = found[0][1] if found else item.source_url
                item = replace(item, incident_title=title)
            resolved.append(item)
    return resolved
