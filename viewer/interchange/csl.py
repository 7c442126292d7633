"""Incident articles as CSL-JSON citations (the Citation Style Language input format that
Zotero, Pandoc/citeproc and other reference managers read).

Each article is cited as an encyclopedia entry: its title, the site that published it
(``container-title``, "Wikipedia" for its articles), its address (``URL``), the date of the
revision read (``issued``, where the input gave one: Special:Export's timestamp), and when
the researcher read it (``accessed``: their date, else the day it was imported). The date of
the incident goes in ``event-date`` and its places in ``event-place`` (the CSL variables for
the event an item is about).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

WIKIPEDIA = "Wikipedia"
WIKI_FORMATS = frozenset({"wikitext", "mediawiki-xml"})
# "2023 Mastung bombing - Wikipedia": the title a browser gives a saved Wikipedia page.
_WIKIPEDIA_SUFFIX = re.compile(r"\s+[-–—|]\s+Wikipedia\s*$", re.IGNORECASE)
_ISO_DATE = re.compile(r"(-?[0-9]{1,4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?")


@dataclass
class CitationData:
    id: int
    title: str
    date_start: str | None
    date_end: str | None
    source_path: str
    source_format: str
    imported: str  # ISO date-time
    country: str | None
    places: list[str] = field(default_factory=list)
    perpetrators: list[str] = field(default_factory=list)
    url: str | None = None
    site: str | None = None  # the publishing site, where known (the researcher's or the input's)
    accessed: str | None = None  # ISO date the researcher read it (else: imported)
    issued: str | None = None  # ISO date-time of the revision read


def _is_wikipedia_url(url: str | None) -> bool:
    if not url:
        return False
    host = (urlsplit(url).hostname or "").lower()
    return host == "wikipedia.org" or host.endswith(".wikipedia.org")


def _file_name(path: str) -> str:
    return re.split(r"[\\/]", path.rstrip("\\/"))[-1] or path


def container_title(
    title: str, source_format: str, source_path: str, url: str | None
) -> tuple[str, str]:
    """The entry's title (without a browser's " - Wikipedia") and the work it is part of:
    Wikipedia for its articles, else the file it came from."""
    title = title.strip()
    bare = _WIKIPEDIA_SUFFIX.sub("", title)
    from_wikipedia = (
        source_format in WIKI_FORMATS
        or bare != title
        or _is_wikipedia_url(url)
        or "wikipedia" in _file_name(source_path).lower()
    )
    if from_wikipedia:
        return bare or title, WIKIPEDIA
    return title, _file_name(source_path)


def _title_and_container(item: CitationData) -> tuple[str, str]:
    title, container = container_title(item.title, item.source_format, item.source_path, item.url)
    return title, item.site or container


def _parts(value: str | None) -> tuple[int, ...] | None:
    """ "2024-02-07" -> (2024, 2, 7); "2024-02" -> (2024, 2); None when not an ISO date."""
    if not value:
        return None
    match = _ISO_DATE.fullmatch(value.strip())
    if match is None:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if month is None:
        return (year,)
    if not 1 <= month <= 12:
        return None
    if day is None:
        return (year, month)
    if not 1 <= day <= calendar.monthrange(year if year > 0 else 4, month)[1]:
        return None
    return (year, month, day)


def _whole_period(start: tuple[int, ...], end: tuple[int, ...]) -> tuple[int, ...] | None:
    """A range the archive stored for a month or year ("February 2024" is kept as 1-29
    February) as that month or year."""
    if len(start) != 3 or len(end) != 3 or start[0] != end[0] or start[0] <= 0:
        return None
    year = start[0]
    if start[1:] == (1, 1) and end[1:] == (12, 31):
        return (year,)
    last_day = calendar.monthrange(year, start[1])[1]
    if start[1] == end[1] and start[2] == 1 and end[2] == last_day:
        return (year, start[1])
    return None


def _event_date(item: CitationData) -> dict[str, Any] | None:
    start, end = _parts(item.date_start), _parts(item.date_end)
    if start is None:
        text = item.date_start or item.date_end
        return {"literal": text} if text else None
    if end is None or end == start:
        return {"date-parts": [list(start)]}
    period = _whole_period(start, end)
    if period is not None:
        return {"date-parts": [list(period)]}
    return {"date-parts": [list(start), list(end)]}


def _accessed(imported: str) -> dict[str, Any] | None:
    """An ISO date or date-time as CSL date-parts of its (UTC) day."""
    try:
        moment = datetime.fromisoformat(imported.strip().replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    day: date = moment.astimezone(UTC).date() if moment.tzinfo else moment.date()
    return {"date-parts": [[day.year, day.month, day.day]]}


def _unique(values: list[str | None]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        text = " ".join((value or "").split())
        if text and text.casefold() not in {s.casefold() for s in seen}:
            seen[text] = None
    return list(seen)


def to_csl_item(item: CitationData) -> dict[str, Any]:
    """One incident article as a CSL-JSON item (an encyclopedia entry)."""
    title, container = _title_and_container(item)
    csl: dict[str, Any] = {
        "id": f"incident-{item.id}",
        "type": "entry-encyclopedia",
        "title": title,
        "container-title": container,
    }
    event_date = _event_date(item)
    if event_date is not None:
        csl["event-date"] = event_date
    places = _unique(list(item.places))
    if places:
        csl["event-place"] = "; ".join(places)
    accessed = _accessed(item.accessed or item.imported)
    if accessed is not None:
        csl["accessed"] = accessed
    issued = _accessed(item.issued) if item.issued else None
    if issued is not None:
        csl["issued"] = issued
    if item.url:
        csl["URL"] = item.url
    perpetrators = _unique(list(item.perpetrators))
    note = []
    if perpetrators:
        note.append("Perpetrators: " + "; ".join(perpetrators))
    if item.country:
        note.append("Country: " + item.country)
    if note:
        csl["note"] = "\n".join(note)
    keywords = _unique([*perpetrators, *places, item.country])
    if keywords:
        csl["keyword"] = ", ".join(keywords)
    return csl


def to_csl_items(items: list[CitationData]) -> list[dict[str, Any]]:
    """CSL-JSON (a JSON array of these is what reference managers import)."""
    return [to_csl_item(item) for item in items]
