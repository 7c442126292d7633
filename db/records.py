"""Plain records that the application hands to the archive to store an article."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SectionRecord:
    heading: str | None
    level: int
    heading_start: int
    start: int
    end: int


@dataclass
class InfoboxRecord:
    key: str
    value: str
    markup: str | None = None


@dataclass
class Toll:
    """A casualty figure: low and high ends, open-ended ("40+"), and the raw text."""

    min: int | None = None
    max: int | None = None
    open_ended: bool = False
    text: str | None = None


@dataclass
class Facts:
    """Normalised values computed from an article (the raw ones are kept separately)."""

    date_start: str | None = None
    date_end: str | None = None
    date_text: str | None = None
    location_text: str | None = None
    fatalities: Toll = field(default_factory=Toll)
    injuries: Toll = field(default_factory=Toll)


@dataclass
class IncidentRecord:
    title: str
    title_key: str
    body: str
    sections: list[SectionRecord]
    infobox: list[InfoboxRecord]
    source_path: str
    source_format: str
    sha256: str
    raw_text: str
    facts: Facts = field(default_factory=Facts)
