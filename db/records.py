"""Plain records that the application hands to the archive to store an article, and
that the archive hands back (the same shapes; StoredReaction adds the row's ids)."""

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
    field: str | None = None  # the unified field the key stands for ("perpetrators")


@dataclass
class Toll:
    """A casualty figure: low and high ends, open-ended ("40+"), and the raw text."""

    min: int | None = None
    max: int | None = None
    open_ended: bool = False
    text: str | None = None


@dataclass
class PerpetratorRecord:
    name: str
    suspected: bool
    # the words of the article the perpetrator was read from, when not an infobox field
    evidence: str | None = None


@dataclass
class TermRecord:
    """One item of a list-valued fact: kind is place, type, target, part_of or weapon."""

    kind: str
    value: str


@dataclass
class ReactionRecord:
    category: str
    actor: str
    actor_kind: str
    speaker: str | None
    role: str | None
    stance: str
    text: str
    start: int  # offsets of the statement in the incident body
    end: int
    section: str | None
    country: str | None  # ISO code of the actor's state, where known


@dataclass
class StoredReaction(ReactionRecord):
    """A reaction read back from the archive (what the reactions pane calls a statement):
    the record, its row id and its incident."""

    id: int
    incident_id: int


@dataclass
class EventRecord:
    date: str
    date_text: str
    text: str
    start: int
    end: int
    section: str | None
    relative: bool
    precision: str


@dataclass
class SeeAlsoRecord:
    title: str
    title_key: str  # resolves to incidents.title_key whenever that article is archived


@dataclass
class Facts:
    """Normalised values computed from an article (the raw ones are kept separately)."""

    date_start: str | None = None
    date_end: str | None = None
    date_text: str | None = None
    date_precision: str | None = None
    location_text: str | None = None
    country: str | None = None
    fatalities: Toll = field(default_factory=Toll)
    injuries: Toll = field(default_factory=Toll)
    # attackers among the fatalities, where the text separates them (GTD's nkillter)
    perpetrators_killed: Toll = field(default_factory=Toll)
    perpetrators: list[PerpetratorRecord] = field(default_factory=list)
    terms: list[TermRecord] = field(default_factory=list)
    reactions: list[ReactionRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    see_also: list[SeeAlsoRecord] = field(default_factory=list)


@dataclass
class SourceOrigin:
    """Where the input says the article was published (Special:Export's site, the page's
    address and title, the revision's time), each None where it says nothing."""

    url: str | None = None
    site: str | None = None
    page_title: str | None = None
    revised_at: str | None = None


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
    origin: SourceOrigin = field(default_factory=SourceOrigin)
