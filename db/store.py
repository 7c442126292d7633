"""Writing articles into the archive: the bulk path the importer and re-indexing use.

The caller controls transactions (a batch of articles per transaction, a savepoint per
article); statements are SQLAlchemy Core on the archive's pooled connection, executed as
one executemany per child table so that the per-article cost stays close to the engine's own.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from enum import Enum
from operator import itemgetter
from types import TracebackType
from typing import Any

from sqlalchemy import (
    Connection,
    Table,
    bindparam,
    delete,
    false,
    insert,
    select,
    text,
    true,
    update,
)
from sqlalchemy.engine import CursorResult, NestedTransaction, Transaction
from sqlalchemy.exc import DBAPIError

from db import fts
from db.anchoring import Anchor, anchor_for, place
from db.archive import checkpoint
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


def _origin(record: IncidentRecord) -> dict[str, str | None]:
    """Where the input says the article was published (sources' url, site, page_title and
    revised_at)."""
    origin = record.origin
    return {
        "url": origin.url, "site": origin.site, "page_title": origin.page_title,
        "revised_at": origin.revised_at,
    }  # fmt: skip


def stored_sources(
    db: Connection, incident_id: int | None = None
) -> list[tuple[int, str, str, str, str, str]]:
    """Every incident's (or one's) (id, title, raw text, format, path, sha256), by id: what
    re-indexing reads again. Ends the read before the caller begins writing."""
    query = (
        select(
            Incident.id, Incident.title, Source.raw_text, Source.format, Source.path,
            Source.sha256,
        )
        .join(Source, Source.incident_id == Incident.id)
        .order_by(Incident.id)
    )  # fmt: skip
    if incident_id is not None:
        query = query.where(Incident.id == incident_id)
    with db.begin():
        rows = db.execute(query).all()
    return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]


# The bulk path's statements, written once with Core, compiled once per engine and run on
# the driver's own cursor (executemany), inside the transaction SQLAlchemy began: per
# statement, SQLAlchemy's execute costs more than SQLite's own insert of a row.
_STATEMENTS: dict[str, Any] = {
    "existing": select(Incident.id, Source.sha256)
    .join(Source, Source.incident_id == Incident.id)
    .where(Incident.title_key == bindparam("key")),
    "body": select(Incident.body).where(Incident.id == bindparam("incident_id")),
    "source_sha": select(Source.sha256).where(Source.incident_id == bindparam("incident_id")),
    "insert_incident": insert(_INCIDENTS),
    "insert_source": insert(_SOURCES),
    "update_incident": update(_INCIDENTS).where(_INCIDENTS.c.id == bindparam("incident_id_")),
    "update_source": update(_SOURCES).where(_SOURCES.c.incident_id == bindparam("incident_id_")),
    **{f"insert_{table.name}": insert(table) for table in _CHILD_TABLES},
    **{
        f"delete_{table.name}": delete(table).where(table.c.incident_id == bindparam("incident_id"))
        for table in _CHILD_TABLES
    },
}


class _Driver:
    """Runs _STATEMENTS on a connection's driver cursor with the driver's parameter style."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._dialect = connection.dialect
        self._returning = connection.dialect.name == "postgresql"
        # (statement, its columns) -> (SQL, what turns a row into the driver's parameters)
        self._compiled: dict[tuple[str, tuple[str, ...]], tuple[str, Callable[[Any], Any]]] = {}
        # PostgreSQL: a new article's rows are kept, not sent (staged()), and the batch's
        # are sent at flush() in one COPY per table, under ids taken from the incidents'
        # sequence a block at a time: no round trip per article or per row.
        self.deferred = self._returning
        self._staging: list[tuple[str, dict[str, object]]] | None = None
        self._batch: dict[tuple[str, tuple[str, ...]], list[tuple[object, ...]]] = {}
        self._ids: list[int] = []

    def _sql(self, name: str, keys: tuple[str, ...]) -> tuple[str, Callable[[Any], Any]]:
        found = self._compiled.get((name, keys))
        if found is None:
            statement = _STATEMENTS[name]
            if name == "insert_incident" and self._returning:
                statement = statement.returning(_INCIDENTS.c.id)
            compiled = statement.compile(dialect=self._dialect, column_keys=list(keys))
            if compiled.positional:
                order = list(compiled.positiontup or ())
                pick = itemgetter(*order)
                params: Callable[[Any], Any] = (
                    pick if len(order) > 1 else (lambda row: (pick(row),))
                )
            else:
                params = dict
            found = self._compiled[(name, keys)] = (str(compiled), params)
        return found

    def _cursor(self) -> Any:
        return self._connection.connection.cursor()

    def execute(self, name: str, row: dict[str, object]) -> Any:
        if self._staging is not None and name in _INSERTED:
            self._staging.append((name, row))
            return None
        sql, params = self._sql(name, tuple(row))
        cursor = self._cursor()
        cursor.execute(sql, params(row))
        return cursor

    def executemany(self, name: str, rows: list[dict[str, object]]) -> None:
        if self._staging is not None and name in _INSERTED:
            self._staging.extend((name, row) for row in rows)
            return
        if rows:
            sql, params = self._sql(name, tuple(rows[0]))
            self._cursor().executemany(sql, list(map(params, rows)))

    def insert_id(self, name: str, row: dict[str, object]) -> int:
        if self._staging is not None and name == "insert_incident":
            incident_id = self._next_id()
            self._staging.append((name, {"id": incident_id, **row}))
            return incident_id
        cursor = self.execute(name, row)
        if self._returning:
            return int(cursor.fetchone()[0])
        return int(cursor.lastrowid)

    def savepoint(self, verb: str) -> None:
        self._cursor().execute(f"{verb} article")

    @contextlib.contextmanager
    def staged(self) -> Iterator[None]:
        """The inserts made inside are kept for flush() if all of them were made, and
        forgotten if one failed: all of an article or none of it (PostgreSQL only)."""
        assert self.deferred
        self._staging = []
        try:
            yield
            for name, row in self._staging:
                self._batch.setdefault((name, tuple(row)), []).append(tuple(row.values()))
        finally:
            self._staging = None

    def query(self, sql: str, *params: object) -> list[Any]:
        """The rows of one statement in the driver's own terms (%s parameters)."""
        return list(self._cursor().execute(sql, params).fetchall())

    def _next_id(self) -> int:
        if not self._ids:
            rows = self.query(_ID_BLOCK, ID_BLOCK)
            self._ids = sorted((int(row[0]) for row in rows), reverse=True)
        return self._ids.pop()

    def flush(self) -> None:
        """Send the kept rows: one COPY per table, the incidents first (the rest point to
        them). The ids left in the block are given up, so that a later batch (after
        another program's) never takes ids below those it took."""
        batch, self._batch, self._ids = self._batch, {}, []
        cursor = self._cursor()
        quote = self._dialect.identifier_preparer.quote
        for (name, columns), rows in sorted(
            batch.items(), key=lambda item: item[0][0] != "insert_incident"
        ):
            table = _INSERTED[name]
            listed = ", ".join(quote(column) for column in columns)
            with cursor.copy(f"COPY {table} ({listed}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)


# each statement the new-article path runs, with the table it writes
_INSERTED = {
    "insert_incident": _INCIDENTS.name,
    "insert_source": _SOURCES.name,
    **{f"insert_{table.name}": table.name for table in _CHILD_TABLES},
}
_EXISTING_MANY = (
    "SELECT i.title_key, i.id, s.sha256 FROM incidents AS i "
    "JOIN sources AS s ON s.incident_id = i.id WHERE i.title_key = ANY(%s)"
)
ID_BLOCK = 100  # ids taken from the sequence at once
_ID_BLOCK = "SELECT nextval(pg_get_serial_sequence('incidents', 'id')) FROM generate_series(1, %s)"


IMPORT_LOCK = 0x1A7C_1500  # any fixed number, the same in every program


class ArchiveWriter:
    """Stores IncidentRecords; use as a context manager around a batch of articles.

    The connection must be outside any transaction (Archive.bulk()): the writer begins
    and commits one per batch.
    """

    def __init__(self, connection: Connection) -> None:
        if connection.in_transaction():
            raise ValueError("ArchiveWriter needs a connection outside any transaction")
        self._db = connection
        self._driver: _Driver | None = None
        self._transaction: Transaction | None = None
        # Full-text rows are written at commit, outside the per-article savepoints.
        self._new_text: list[tuple[int, str, str]] = []
        self._changed_text: list[tuple[int, str, str]] = []
        # PostgreSQL: (id, sha256) of the articles of this batch not sent yet, by title key;
        # and what expect() found (None: not archived) while this transaction holds the lock
        self._kept: dict[str, tuple[int, str]] = {}
        self._known: dict[str, tuple[int, str] | None] = {}

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
            self._driver = _Driver(self._db)
            if self._db.dialect.name == "postgresql":
                # Two imports into one team archive take turns batch by batch (SQLite's
                # BEGIN IMMEDIATE does the same): the second looks titles up only after
                # the first committed, so an article is never stored twice. The lock ends
                # with the transaction.
                self._db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK})

    @property
    def _run(self) -> _Driver:
        assert self._driver is not None, "begin() first"
        return self._driver

    def commit(self) -> None:
        if self._transaction is not None:
            self._run.flush()
            fts.index_new(self._db, self._new_text)
            fts.reindex_text(self._db, self._changed_text)
            transaction, self._transaction = self._transaction, None
            transaction.commit()
        self._new_text, self._changed_text, self._kept, self._known = [], [], {}, {}

    def checkpoint(self) -> None:
        """Between batches, outside this program's turn at the write lock: the write-ahead
        log copied into the archive file (Archive.bulk turns SQLite's own checkpoints off, so
        that no commit, the bulk writer's or a short change's, pays for one)."""
        if self._transaction is None:
            checkpoint(self._db)

    def rollback(self) -> None:
        if self._transaction is not None:
            transaction, self._transaction = self._transaction, None
            rollback_quietly(transaction)
        self._new_text, self._changed_text, self._kept, self._known = [], [], {}, {}

    def existing(self, title_key: str) -> tuple[int, str] | None:
        """(incident id, sha256 of its stored source) for an archived title, else None."""
        self.begin()
        if title_key in self._kept:
            return self._kept[title_key]
        if title_key in self._known:
            return self._known[title_key]
        row = self._run.execute("existing", {"key": title_key}).fetchone()
        return (row[0], row[1]) if row else None

    def expect(self, title_keys: Iterable[str]) -> None:
        """Look up at once the titles the next store() calls of this batch will ask for
        (PostgreSQL: one round trip instead of one per article; SQLite asks in-process)."""
        self.begin()
        if not self._run.deferred:
            return
        keys = sorted(set(title_keys) - self._known.keys())
        self._known.update(dict.fromkeys(keys))
        if keys:
            for key, incident_id, sha256 in self._run.query(_EXISTING_MANY, keys):
                self._known[key] = (incident_id, sha256)

    def store(self, record: IncidentRecord) -> tuple[WriteOutcome, int]:
        """Insert a new article or update the one with the same title in place.

        All of one article is written or none of it (a savepoint per article).
        """
        self.begin()
        found = self.existing(record.title_key)
        if found is not None and found[1] == record.sha256:
            return WriteOutcome.UNCHANGED, found[0]
        if found is None and self._run.deferred:
            with self._run.staged():
                incident_id = self._insert(record)
            self._kept[record.title_key] = (incident_id, record.sha256)
            self._new_text.append((incident_id, record.title, record.body))
            return WriteOutcome.IMPORTED, incident_id
        if found is not None and record.title_key in self._kept:
            self._run.flush()  # the same title earlier in this batch: its rows are changed
        try:
            if found is None:
                self._run.savepoint("SAVEPOINT")
                incident_id = self._insert(record)
                self._run.savepoint("RELEASE SAVEPOINT")
                outcome = WriteOutcome.IMPORTED
            else:
                self._run.savepoint("SAVEPOINT")
                incident_id = found[0]
                self._replace(incident_id, record)
                self._run.savepoint("RELEASE SAVEPOINT")
                outcome = WriteOutcome.UPDATED
        except BaseException:
            # a full disk or an I/O error may have ended the whole transaction already: the
            # error being raised says what went wrong; another would hide it
            with contextlib.suppress(Exception):
                self._run.savepoint("ROLLBACK TO SAVEPOINT")
                self._run.savepoint("RELEASE SAVEPOINT")
            raise
        indexed = (incident_id, record.title, record.body)
        (self._new_text if outcome is WriteOutcome.IMPORTED else self._changed_text).append(indexed)
        return outcome, incident_id

    def _insert(self, record: IncidentRecord) -> int:
        now = utc_now()
        incident_id = self._run.insert_id(
            "insert_incident", {**_incident_values(record), "created_at": now, "updated_at": now}
        )
        self._insert_children(incident_id, record)
        self._run.execute(
            "insert_source",
            {
                "incident_id": incident_id, "path": record.source_path,
                "format": record.source_format, "sha256": record.sha256,
                "raw_text": record.raw_text, "imported_at": now, **_origin(record),
            },
        )  # fmt: skip
        return incident_id

    def restore_incident(self, incident_id: int, record: IncidentRecord) -> None:
        """Put back the incident row (and its facts) of a source that survived without it,
        under its old id, so that what points to it (annotations, notes) finds it again.
        The source row is there already."""
        self.begin()
        self._run.flush()
        now = utc_now()
        self._db.execute(
            insert(_INCIDENTS).values(
                id=incident_id, **_incident_values(record), created_at=now, updated_at=now
            )
        )
        for table in _CHILD_TABLES:  # facts that survived without it: read again
            self._run.execute(f"delete_{table.name}", {"incident_id": incident_id})
        self._insert_children(incident_id, record)

    def replace_content(self, incident_id: int, record: IncidentRecord) -> None:
        """Replace everything imported for an incident, keeping its id and user data."""
        self.begin()
        self._run.flush()
        self._replace(incident_id, record)
        self._changed_text.append((incident_id, record.title, record.body))

    def _replace(self, incident_id: int, record: IncidentRecord) -> None:
        now = utc_now()
        (old_body,) = self._run.execute("body", {"incident_id": incident_id}).fetchone()
        self._run.execute(
            "update_incident",
            {**_incident_values(record), "updated_at": now, "incident_id_": incident_id},
        )
        if old_body != record.body:
            reanchor_research(self._db, incident_id, record.body, now)
        for table in _CHILD_TABLES:
            self._run.execute(f"delete_{table.name}", {"incident_id": incident_id})
        self._insert_children(incident_id, record)
        (old_sha,) = self._run.execute("source_sha", {"incident_id": incident_id}).fetchone()
        # the same text again (reindex, a correction) keeps its import time; where the record
        # says nothing of where the article was published (a reindex reads only the page's
        # text), what the import recorded stays
        changed = {"imported_at": now} if old_sha != record.sha256 else {}
        known = {key: value for key, value in _origin(record).items() if value is not None}
        self._run.execute(
            "update_source",
            {
                "path": record.source_path, "format": record.source_format,
                "sha256": record.sha256, "raw_text": record.raw_text, **changed, **known,
                "incident_id_": incident_id,
            },
        )  # fmt: skip

    def _insert_children(self, incident_id: int, record: IncidentRecord) -> None:
        for table, rows in _child_rows(incident_id, record):
            self._run.executemany(f"insert_{table.name}", rows)


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
