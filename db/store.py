"""Writing articles into the archive: the bulk path the importer and re-indexing use.

The caller controls transactions (a batch of articles per transaction, a savepoint per
article); statements are SQLAlchemy Core on the archive's pooled connection, executed as
one executemany per child table so that the per-article cost stays close to the engine's own.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from enum import Enum
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Table, delete, false, insert, select, true, update
from sqlalchemy.engine import CursorResult, NestedTransaction, Transaction
from sqlalchemy.exc import DBAPIError

from db import fts
from db.anchoring import Anchor, anchor_for, place
from db.models import (
    Annotation,
    Bookmark,
    Event,
    Incident,
    IncidentTerm,
    InfoboxField,
    Perpetrator,
    Reaction,
    Section,
    SeeAlso,
    Source,
)
from db.records import IncidentRecord


def table_of(model: Any) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def new_id(result: CursorResult[Any]) -> int:
    """The primary key an INSERT of one row gave it."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


class WriteOutcome(Enum):
    IMPORTED = "imported"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


_CHILD_TABLES = tuple(
    table_of(model)
    for model in (Section, InfoboxField, Perpetrator, IncidentTerm, Reaction, Event, SeeAlso)
)
_INCIDENTS = table_of(Incident)
_SOURCES = table_of(Source)


def reanchor_research(db: Connection, incident_id: int, body: str, now: str) -> None:
    """Place every annotation and bookmark of an incident in its new text. Each is kept:
    moved to where its passage is now, or marked orphaned where the passage is gone."""
    annotations = db.execute(
        select(
            Annotation.id, Annotation.quote, Annotation.prefix, Annotation.suffix,
            Annotation.start, Annotation.end,
        ).where(Annotation.incident_id == incident_id)
    ).all()  # fmt: skip
    for annotation_id, quote, prefix, suffix, start, end in annotations:
        placed = place(body, Anchor(quote, prefix, suffix, start, end))
        change = update(Annotation).where(Annotation.id == annotation_id)
        if placed.orphaned:
            db.execute(change.values(orphaned=true(), anchored_by=None, modified_at=now))
            continue
        fresh = anchor_for(body, placed.start, placed.end)
        db.execute(
            change.values(
                quote=fresh.quote, prefix=fresh.prefix, suffix=fresh.suffix, start=fresh.start,
                end=fresh.end, orphaned=false(), anchored_by=placed.method, modified_at=now,
            )
        )  # fmt: skip
    bookmarks = db.execute(
        select(Bookmark.id, Bookmark.quote, Bookmark.prefix, Bookmark.suffix, Bookmark.start).where(
            Bookmark.incident_id == incident_id, Bookmark.start.is_not(None)
        )
    ).all()
    for bookmark_id, b_quote, b_prefix, b_suffix, b_start in bookmarks:
        mark = int(b_start or 0)  # never NULL here (the query asks for placed ones)
        placed = place(
            body,
            Anchor(b_quote or "", b_prefix or "", b_suffix or "", mark, mark + len(b_quote or "")),
        )
        change = update(Bookmark).where(Bookmark.id == bookmark_id)
        if placed.orphaned:
            db.execute(change.values(orphaned=true()))
            continue
        fresh = anchor_for(body, placed.start, placed.end)
        db.execute(
            change.values(
                start=fresh.start, quote=fresh.quote, prefix=fresh.prefix, suffix=fresh.suffix,
                orphaned=false(),
            )
        )  # fmt: skip


def rollback_quietly(transaction: Transaction | NestedTransaction) -> None:
    """Roll back the open transaction, if the engine has not already done so.

    SQLite ends a transaction by itself on a full disk or an I/O error; a ROLLBACK after
    that fails with "no transaction is active", which would replace the real reason.
    """
    if transaction.is_active:
        with contextlib.suppress(DBAPIError):  # the exception on its way up says why
            transaction.rollback()


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _first(values: Iterable[str]) -> str | None:
    """The first non-blank value, stripped (the timeline's lane of an incident)."""
    return next((v.strip() for v in values if v and v.strip()), None)


# Each incidents column the importer writes, with where its value comes from.
_INCIDENT_FIELDS: tuple[tuple[str, Callable[[IncidentRecord], object]], ...] = (
    ("title", lambda r: r.title),
    ("title_key", lambda r: r.title_key),
    ("body", lambda r: r.body),
    ("date_start", lambda r: r.facts.date_start),
    ("date_end", lambda r: r.facts.date_end),
    ("date_text", lambda r: r.facts.date_text),
    ("date_precision", lambda r: r.facts.date_precision),
    ("location_text", lambda r: r.facts.location_text),
    ("country", lambda r: r.facts.country),
    ("fatalities_min", lambda r: r.facts.fatalities.min),
    ("fatalities_max", lambda r: r.facts.fatalities.max),
    ("fatalities_open", lambda r: r.facts.fatalities.open_ended),
    ("fatalities_text", lambda r: r.facts.fatalities.text),
    ("injuries_min", lambda r: r.facts.injuries.min),
    ("injuries_max", lambda r: r.facts.injuries.max),
    ("injuries_open", lambda r: r.facts.injuries.open_ended),
    ("injuries_text", lambda r: r.facts.injuries.text),
    ("perpetrators_killed_min", lambda r: r.facts.perpetrators_killed.min),
    ("perpetrators_killed_max", lambda r: r.facts.perpetrators_killed.max),
    ("lane_perpetrator", lambda r: _first(p.name for p in r.facts.perpetrators)),
    ("lane_place", lambda r: _first(t.value for t in r.facts.terms if t.kind == "place")),
    ("first_type", lambda r: _first(t.value for t in r.facts.terms if t.kind == "type")),
)


def _incident_values(record: IncidentRecord) -> dict[str, object]:
    return {name: value(record) for name, value in _INCIDENT_FIELDS}


def stored_sources(db: Connection) -> list[tuple[int, str, str, str, str, str]]:
    """Every incident's (id, title, raw text, format, path, sha256), by id: what re-indexing
    reads again. Ends the read before the caller begins writing."""
    with db.begin():
        rows = db.execute(
            select(
                Incident.id, Incident.title, Source.raw_text, Source.format, Source.path,
                Source.sha256,
            )
            .join(Source, Source.incident_id == Incident.id)
            .order_by(Incident.id)
        ).all()  # fmt: skip
    return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]


class ArchiveWriter:
    """Stores IncidentRecords; use as a context manager around a batch of articles.

    The connection must be outside any transaction (Archive.connect()): the writer begins
    and commits one per batch.
    """

    def __init__(self, connection: Connection) -> None:
        if connection.in_transaction():
            raise ValueError("ArchiveWriter needs a connection outside any transaction")
        self._db = connection
        self._transaction: Transaction | None = None
        # Full-text rows are written at commit, outside the per-article savepoints.
        self._new_text: list[tuple[int, str, str]] = []
        self._changed_text: list[tuple[int, str, str]] = []

    def __enter__(self) -> ArchiveWriter:
        self.begin()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if kind is None:
            self.commit()
        else:
            self.rollback()

    def begin(self) -> None:
        if self._transaction is None:
            self._transaction = self._db.begin()

    def commit(self) -> None:
        if self._transaction is not None:
            fts.index_new(self._db, self._new_text)
            fts.reindex_text(self._db, self._changed_text)
            transaction, self._transaction = self._transaction, None
            transaction.commit()
        self._new_text, self._changed_text = [], []

    def rollback(self) -> None:
        if self._transaction is not None:
            transaction, self._transaction = self._transaction, None
            rollback_quietly(transaction)
        self._new_text, self._changed_text = [], []

    def existing(self, title_key: str) -> tuple[int, str] | None:
        """(incident id, sha256 of its stored source) for an archived title, else None."""
        row = self._db.execute(
            select(Incident.id, Source.sha256)
            .join(Source, Source.incident_id == Incident.id)
            .where(Incident.title_key == title_key)
        ).first()
        return (row[0], row[1]) if row else None

    def store(self, record: IncidentRecord) -> tuple[WriteOutcome, int]:
        """Insert a new article or update the one with the same title in place.

        All of one article is written or none of it (a savepoint per article).
        """
        self.begin()
        found = self.existing(record.title_key)
        if found is not None and found[1] == record.sha256:
            return WriteOutcome.UNCHANGED, found[0]
        savepoint = self._db.begin_nested()
        try:
            if found is None:
                incident_id = self._insert(record)
                outcome = WriteOutcome.IMPORTED
            else:
                incident_id = found[0]
                self._replace(incident_id, record)
                outcome = WriteOutcome.UPDATED
            savepoint.commit()
        except BaseException:
            # a full disk or an I/O error may have ended the whole transaction already: the
            # error being raised says what went wrong; another would hide it
            rollback_quietly(savepoint)
            raise
        text = (incident_id, record.title, record.body)
        (self._new_text if outcome is WriteOutcome.IMPORTED else self._changed_text).append(text)
        return outcome, incident_id

    def _insert(self, record: IncidentRecord) -> int:
        now = utc_now()
        result = self._db.execute(
            insert(_INCIDENTS).values(**_incident_values(record), created_at=now, updated_at=now)
        )
        incident_id = new_id(result)
        self._insert_children(incident_id, record)
        self._db.execute(
            insert(_SOURCES).values(
                incident_id=incident_id, path=record.source_path, format=record.source_format,
                sha256=record.sha256, raw_text=record.raw_text, imported_at=now,
            )
        )  # fmt: skip
        return incident_id

    def restore_incident(self, incident_id: int, record: IncidentRecord) -> None:
        """Put back the incident row (and its facts) of a source that survived without it,
        under its old id, so that what points to it (annotations, notes) finds it again.
        The source row is there already."""
        self.begin()
        now = utc_now()
        self._db.execute(
            insert(_INCIDENTS).values(
                id=incident_id, **_incident_values(record), created_at=now, updated_at=now
            )
        )
        self._delete_children(incident_id)  # facts that survived without it: read again
        self._insert_children(incident_id, record)

    def replace_content(self, incident_id: int, record: IncidentRecord) -> None:
        """Replace everything imported for an incident, keeping its id and user data."""
        self.begin()
        self._replace(incident_id, record)
        self._changed_text.append((incident_id, record.title, record.body))

    def _replace(self, incident_id: int, record: IncidentRecord) -> None:
        now = utc_now()
        old_body = self._db.execute(
            select(Incident.body).where(Incident.id == incident_id)
        ).scalar_one()
        self._db.execute(
            update(_INCIDENTS)
            .where(_INCIDENTS.c.id == incident_id)
            .values(**_incident_values(record), updated_at=now)
        )
        if old_body != record.body:
            reanchor_research(self._db, incident_id, record.body, now)
        self._delete_children(incident_id)
        self._insert_children(incident_id, record)
        self._db.execute(
            update(_SOURCES)
            .where(_SOURCES.c.incident_id == incident_id)
            .values(
                path=record.source_path, format=record.source_format, sha256=record.sha256,
                raw_text=record.raw_text, imported_at=now,
            )
        )  # fmt: skip

    def _delete_children(self, incident_id: int) -> None:
        for table in _CHILD_TABLES:
            self._db.execute(delete(table).where(table.c.incident_id == incident_id))

    def _insert_children(self, incident_id: int, record: IncidentRecord) -> None:
        for table, rows in _child_rows(incident_id, record):
            if rows:
                self._db.execute(insert(table), rows)


def _child_rows(
    incident_id: int, record: IncidentRecord
) -> Iterable[tuple[Table, list[dict[str, object]]]]:
    """Each child table of an incident with the rows the record gives it, in order."""
    facts = record.facts
    tables = dict(zip(("sections", "infobox", "perpetrators", "terms", "reactions", "events",
                       "see_also"), _CHILD_TABLES, strict=True))  # fmt: skip
    yield tables["sections"], [
        {"incident_id": incident_id, "position": n, "heading": s.heading, "level": s.level,
         "heading_start": s.heading_start, "start": s.start, "end": s.end}
        for n, s in enumerate(record.sections)
    ]  # fmt: skip
    yield tables["infobox"], [
        {"incident_id": incident_id, "position": n, "key": f.key, "value": f.value,
         "markup": f.markup, "field": f.field}
        for n, f in enumerate(record.infobox)
    ]  # fmt: skip
    yield tables["perpetrators"], [
        {"incident_id": incident_id, "position": n, "name": p.name, "suspected": p.suspected,
         "evidence": p.evidence}
        for n, p in enumerate(facts.perpetrators)
    ]  # fmt: skip
    yield (
        tables["terms"],
        [
            {"incident_id": incident_id, "position": n, "kind": t.kind, "value": t.value}
            for n, t in enumerate(facts.terms)
        ],
    )
    yield tables["reactions"], [
        {"incident_id": incident_id, "position": n, "category": r.category, "actor": r.actor,
         "actor_kind": r.actor_kind, "speaker": r.speaker, "role": r.role, "stance": r.stance,
         "text": r.text, "start": r.start, "end": r.end, "section": r.section,
         "country": r.country}
        for n, r in enumerate(facts.reactions)
    ]  # fmt: skip
    yield tables["events"], [
        {"incident_id": incident_id, "position": n, "date": e.date, "date_text": e.date_text,
         "text": e.text, "start": e.start, "end": e.end, "section": e.section,
         "relative": e.relative, "precision": e.precision}
        for n, e in enumerate(facts.events)
    ]  # fmt: skip
    yield tables["see_also"], [
        {"incident_id": incident_id, "position": n, "title": link.title,
         "title_key": link.title_key}
        for n, link in enumerate(facts.see_also)
    ]  # fmt: skip
