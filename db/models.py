"""SQLAlchemy models: the schema of an archive, as the migrations create it."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, MetaData, String, Table, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names keep Alembic batch migrations on SQLite predictable.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Incident(Base):
    """One article about one incident, with the facts normalised from it."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    # Case- and space-folded title: the identity an updated article is matched by.
    title_key: Mapped[str] = mapped_column(unique=True)
    # The article's readable text, one block (heading, paragraph, list item) per line.
    # Section offsets and annotation positions count characters in this string.
    body: Mapped[str]
    date_start: Mapped[str | None] = mapped_column(index=True)
    date_end: Mapped[str | None]
    date_text: Mapped[str | None]
    date_precision: Mapped[str | None]
    location_text: Mapped[str | None]
    country: Mapped[str | None] = mapped_column(index=True)
    fatalities_min: Mapped[int | None]
    fatalities_max: Mapped[int | None]
    fatalities_open: Mapped[bool] = mapped_column(default=False)
    fatalities_text: Mapped[str | None]
    injuries_min: Mapped[int | None]
    injuries_max: Mapped[int | None]
    injuries_open: Mapped[bool] = mapped_column(default=False)
    injuries_text: Mapped[str | None]
    # Attackers among the fatalities where the text says so (GTD's nkillter); null otherwise.
    perpetrators_killed_min: Mapped[int | None]
    perpetrators_killed_max: Mapped[int | None]
    # The first perpetrator and the first place, kept here for the timeline's lanes (a
    # lookup per incident in perpetrators/incident_terms is too slow across 100,000).
    lane_perpetrator: Mapped[str | None]
    lane_place: Mapped[str | None]
    # The first type, kept here for the same reason: the incident table sorts by it through
    # an index (migration 0009).
    first_type: Mapped[str | None]
    created_at: Mapped[str]
    updated_at: Mapped[str]

    sections: Mapped[list[Section]] = relationship(
        order_by="Section.position", cascade="all, delete-orphan", passive_deletes=True
    )
    infobox: Mapped[list[InfoboxField]] = relationship(
        order_by="InfoboxField.position", cascade="all, delete-orphan", passive_deletes=True
    )
    source: Mapped[Source] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    perpetrators: Mapped[list[Perpetrator]] = relationship(
        order_by="Perpetrator.position", cascade="all, delete-orphan", passive_deletes=True
    )
    terms: Mapped[list[IncidentTerm]] = relationship(
        order_by="IncidentTerm.position", cascade="all, delete-orphan", passive_deletes=True
    )
    reactions: Mapped[list[Reaction]] = relationship(
        order_by="Reaction.position", cascade="all, delete-orphan", passive_deletes=True
    )
    events: Mapped[list[Event]] = relationship(
        order_by="Event.position", cascade="all, delete-orphan", passive_deletes=True
    )
    see_also: Mapped[list[SeeAlso]] = relationship(
        order_by="SeeAlso.position", cascade="all, delete-orphan", passive_deletes=True
    )


class Section(Base):
    """A heading and the span of the incident body it covers (the lead has no heading)."""

    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("incident_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    position: Mapped[int]
    heading: Mapped[str | None]
    level: Mapped[int]
    # Offset of the heading line in the body (equal to start for the lead).
    heading_start: Mapped[int]
    # The section's own text is body[start:end].
    start: Mapped[int]
    end: Mapped[int]


class InfoboxField(Base):
    """One infobox line exactly as the article gave it."""

    __tablename__ = "infobox_fields"
    __table_args__ = (UniqueConstraint("incident_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    position: Mapped[int]
    key: Mapped[str]
    value: Mapped[str]
    # The field's original markup where the source had any (wikitext), else NULL.
    markup: Mapped[str | None]
    # The unified field this key stands for ("Perps" -> "perpetrators"), else NULL.
    field: Mapped[str | None]


class Source(Base):
    """Where an article came from, and its raw text as read (the input to re-extraction)."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), unique=True
    )
    path: Mapped[str]
    format: Mapped[str]
    sha256: Mapped[str]
    raw_text: Mapped[str]
    imported_at: Mapped[str]
    # What the input says about where it was published (Special:Export's <base> and page
    # title, its revision's timestamp), else NULL; the researcher's own values are in
    # citations and win over these (migration 0009).
    url: Mapped[str | None]
    site: Mapped[str | None]
    page_title: Mapped[str | None]
    revised_at: Mapped[str | None]


Index("ix_sources_path", Source.path)
# Lists of incidents by id (an actor's incidents, by date) without reading the wide rows,
# whose body comes before date_start (migration 0005).
Index("ix_incidents_listing", Incident.id, Incident.date_start, Incident.title_key, Incident.title)
# `list`: every incident in the listing's order with the columns it shows, read from this
# index alone instead of the wide rows and a sort (migration 0013).
Index(
    "ix_incidents_list",
    Incident.date_start,
    Incident.title_key,
    Incident.id,
    Incident.title,
    Incident.date_end,
    Incident.location_text,
    Incident.fatalities_min,
    Incident.fatalities_max,
    Incident.fatalities_open,
)
# The timeline's date windows and lanes read only this index (migration 0004); SQLite's
# indexes hold the rowid, PostgreSQL's this one only with the id included (migration 0014).
# The id is included by db/server.py, which only a team archive loads: a PostgreSQL option
# given here would load SQLAlchemy's PostgreSQL dialect (35-40 ms) as a file archive opens.
TIMELINE_INDEX = Index(
    "ix_incidents_timeline",
    Incident.date_start,
    Incident.date_end,
    Incident.fatalities_min,
    Incident.fatalities_max,
    Incident.fatalities_open,
    Incident.country,
    Incident.lane_perpetrator,
    Incident.lane_place,
)


class _IncidentChild:
    """Columns every extracted child row has: its incident and its order there."""

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]


class Perpetrator(_IncidentChild, Base):
    __tablename__ = "perpetrators"

    name: Mapped[str] = mapped_column(index=True)
    suspected: Mapped[bool]
    # The article's words it was read from when not from an infobox field.
    evidence: Mapped[str | None]


class IncidentTerm(_IncidentChild, Base):
    """One item of a list-valued fact: kind is place, type, target, part_of or weapon."""

    __tablename__ = "incident_terms"

    kind: Mapped[str]
    value: Mapped[str]


Index("ix_incident_terms_kind_value", IncidentTerm.kind, IncidentTerm.value)


class Reaction(_IncidentChild, Base):
    """One actor's statement about an incident; text is body[start:end]."""

    __tablename__ = "reactions"

    category: Mapped[str]
    actor: Mapped[str]
    actor_kind: Mapped[str]
    speaker: Mapped[str | None]
    role: Mapped[str | None]
    stance: Mapped[str]
    text: Mapped[str]
    start: Mapped[int]
    end: Mapped[int]
    section: Mapped[str | None]
    country: Mapped[str | None]


# Reactions by actor (the reactions pane's second mode) read only this index (migration 0005).
Index(
    "ix_reactions_actor_incident",
    Reaction.actor,
    Reaction.incident_id,
    Reaction.stance,
    Reaction.actor_kind,
)


class Event(_IncidentChild, Base):
    """A dated sentence of the article (relative ones dated from the event before them)."""

    __tablename__ = "events"

    date: Mapped[str] = mapped_column(index=True)
    date_text: Mapped[str]
    text: Mapped[str]
    start: Mapped[int]
    end: Mapped[int]
    section: Mapped[str | None]
    relative: Mapped[bool]
    precision: Mapped[str]


class SeeAlso(_IncidentChild, Base):
    """A see-also title; it resolves to an incident by title_key whenever one is archived."""

    __tablename__ = "see_also"

    title: Mapped[str]
    title_key: Mapped[str] = mapped_column(index=True)


# -- the researcher's layer (never rewritten by imports; incidents with it cannot be deleted)

incident_tags = Table(
    "incident_tags",
    Base.metadata,
    Column("incident_id", ForeignKey("incidents.id", ondelete="RESTRICT"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)
annotation_tags = Table(
    "annotation_tags",
    Base.metadata,
    Column("annotation_id", ForeignKey("annotations.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    name_key: Mapped[str] = mapped_column(unique=True)  # case-folded: "ISIS" and "isis" are one
    color: Mapped[str]
    created_at: Mapped[str]
    # raised by every change: an update names the version it started from (migration 0010)
    version: Mapped[int] = mapped_column(default=1)


class Annotation(Base):
    """A highlighted passage with the W3C selectors that find it again after a change."""

    __tablename__ = "annotations"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(unique=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="RESTRICT"), index=True
    )
    quote: Mapped[str]
    prefix: Mapped[str]
    suffix: Mapped[str]
    start: Mapped[int]
    end: Mapped[int]
    color: Mapped[str]
    note: Mapped[str | None]
    orphaned: Mapped[bool] = mapped_column(default=False)
    anchored_by: Mapped[str | None]  # how it was last placed: position, quote, fuzzy
    created_at: Mapped[str]
    modified_at: Mapped[str]
    # who wrote it: a team archive's role, a personal archive's user (migration 0010)
    author: Mapped[str] = mapped_column(index=True)
    version: Mapped[int] = mapped_column(default=1)


class Bookmark(Base):
    """A whole incident (no position) or a place in its article."""

    __tablename__ = "bookmarks"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="RESTRICT"), index=True
    )
    label: Mapped[str]
    start: Mapped[int | None]
    quote: Mapped[str | None]
    prefix: Mapped[str | None]
    suffix: Mapped[str | None]
    orphaned: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[str]
    author: Mapped[str]


class Note(Base):
    """A researcher's note on an incident (one per incident and author); all of an
    incident's notes are in the full-text index."""

    __tablename__ = "notes"

    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="RESTRICT"), primary_key=True
    )
    author: Mapped[str] = mapped_column(primary_key=True)
    text: Mapped[str]
    format: Mapped[str]  # "plain" or "markdown"
    modified_at: Mapped[str]
    version: Mapped[int] = mapped_column(default=1)


# -- the researcher's workbench (migration 0009): corrections, citations, collections,
# saved searches. Like the research layer, never rewritten by imports.


class Correction(Base):
    """The researcher's value for an extracted fact; it wins over extraction every time the
    incident is written (import, re-import, reindex). One per incident and field."""

    __tablename__ = "corrections"
    __table_args__ = (UniqueConstraint("incident_id", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="RESTRICT"), index=True
    )
    field: Mapped[str]  # date, place, country, fatalities, injuries, perpetrators, type
    value: Mapped[str]  # as the researcher wrote it
    note: Mapped[str | None]
    created_at: Mapped[str]
    modified_at: Mapped[str]


class Citation(Base):
    """Where the researcher says an article was published and when they read it; each value
    wins over what the import found (sources.url, sources.site)."""

    __tablename__ = "citations"

    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="RESTRICT"), primary_key=True
    )
    url: Mapped[str | None]
    site: Mapped[str | None]
    accessed: Mapped[str | None]  # ISO date
    modified_at: Mapped[str]


collection_items = Table(
    "collection_items",
    Base.metadata,
    Column("collection_id", ForeignKey("collections.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "incident_id", ForeignKey("incidents.id", ondelete="RESTRICT"), primary_key=True, index=True
    ),
    Column("added_at", String, nullable=False),
)


class Collection(Base):
    """A set of incidents the researcher put together (a research question)."""

    __tablename__ = "collections"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    name_key: Mapped[str] = mapped_column(unique=True)  # case- and space-folded
    created_at: Mapped[str]
    # raised by every rename: shared like tags on a team archive (migration 0011)
    version: Mapped[int] = mapped_column(default=1)


class SavedSearch(Base):
    """A query and its filters under a name; its incidents are whatever it finds now."""

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    name_key: Mapped[str] = mapped_column(unique=True)
    query: Mapped[str]
    filters: Mapped[str]  # JSON object of db.queries.SearchFilters' text fields
    created_at: Mapped[str]
    version: Mapped[int] = mapped_column(default=1)  # migration 0011


# The incident table sorts by each of its columns through an index (migration 0009); date,
# title and country already have one.
Index("ix_incidents_lane_place", Incident.lane_place)
Index("ix_incidents_lane_perpetrator", Incident.lane_perpetrator)
Index("ix_incidents_fatalities", Incident.fatalities_max, Incident.fatalities_min)
Index("ix_incidents_injuries", Incident.injuries_max, Incident.injuries_min)
Index("ix_incidents_first_type", Incident.first_type)
