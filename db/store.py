"""Writing articles into the archive: the bulk path the importer and re-indexing use.

It talks to a plain sqlite3 connection in autocommit mode so that the caller controls
transactions (a batch of articles per transaction, a savepoint per article) and so that the
per-article cost stays close to SQLite's own.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from enum import Enum
from types import TracebackType

from db import fts
from db.anchoring import Anchor, anchor_for, place
from db.records import IncidentRecord


class WriteOutcome(Enum):
    IMPORTED = "imported"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


_CHILD_TABLES = (
    "sections", "infobox_fields", "perpetrators", "incident_terms", "reactions", "events",
    "see_also",
)  # fmt: skip


def reanchor_research(db: sqlite3.Connection, incident_id: int, body: str, now: str) -> None:
    """Place every annotation and bookmark of an incident in its new text. Each is kept:
    moved to where its passage is now, or marked orphaned where the passage is gone."""
    annotations = db.execute(
        'SELECT id, quote, prefix, suffix, start, "end" FROM annotations WHERE incident_id = ?',
        (incident_id,),
    ).fetchall()
    for annotation_id, quote, prefix, suffix, start, end in annotations:
        placed = place(body, Anchor(quote, prefix, suffix, start, end))
        if placed.orphaned:
            db.execute(
                "UPDATE annotations SET orphaned = 1, anchored_by = NULL, modified_at = ? "
                "WHERE id = ?",
                (now, annotation_id),
            )
            continue
        fresh = anchor_for(body, placed.start, placed.end)
        db.execute(
            'UPDATE annotations SET quote = ?, prefix = ?, suffix = ?, start = ?, "end" = ?, '
            "orphaned = 0, anchored_by = ?, modified_at = ? WHERE id = ?",
            (
                fresh.quote,
                fresh.prefix,
                fresh.suffix,
                fresh.start,
                fresh.end,
                placed.method,
                now,
                annotation_id,
            ),
        )
    bookmarks = db.execute(
        "SELECT id, quote, prefix, suffix, start FROM bookmarks "
        "WHERE incident_id = ? AND start IS NOT NULL",
        (incident_id,),
    ).fetchall()
    for bookmark_id, quote, prefix, suffix, start in bookmarks:
        placed = place(
            body, Anchor(quote or "", prefix or "", suffix or "", start, start + len(quote or ""))
        )
        if placed.orphaned:
            db.execute("UPDATE bookmarks SET orphaned = 1 WHERE id = ?", (bookmark_id,))
            continue
        fresh = anchor_for(body, placed.start, placed.end)
        db.execute(
            "UPDATE bookmarks SET start = ?, quote = ?, prefix = ?, suffix = ?, orphaned = 0 "
            "WHERE id = ?",
            (fresh.start, fresh.quote, fresh.prefix, fresh.suffix, bookmark_id),
        )


def rollback_quietly(db: sqlite3.Connection) -> None:
    """Roll back the open transaction, if SQLite has not already done so.

    SQLite ends a transaction by itself on a full disk or an I/O error; a ROLLBACK after
    that fails with "no transaction is active", which would replace the real reason.
    """
    if db.in_transaction:
        with contextlib.suppress(sqlite3.Error):  # the exception on its way up says why
            db.execute("ROLLBACK")


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
_COLUMNS = [name for name, _ in _INCIDENT_FIELDS]
_INSERT_INCIDENT = (
    f"INSERT INTO incidents ({', '.join(_COLUMNS)}, created_at, updated_at) "
    f"VALUES ({', '.join('?' * (len(_COLUMNS) + 2))})"
)
_UPDATE_INCIDENT = (
    f"UPDATE incidents SET {', '.join(c + ' = ?' for c in _COLUMNS)}, updated_at = ? WHERE id = ?"
)


def _incident_values(record: IncidentRecord) -> tuple[object, ...]:
    return tuple(value(record) for _, value in _INCIDENT_FIELDS)


class ArchiveWriter:
    """Stores IncidentRecords; use as a context manager around a batch of articles."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        if connection.isolation_level is not None:
            raise ValueError("ArchiveWriter needs a connection in autocommit mode")
        self._db = connection
        self._open = False
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
        if not self._open:
            self._db.execute("BEGIN IMMEDIATE")
            self._open = True

    def commit(self) -> None:
        if self._open:
            fts.index_new(self._db, self._new_text)
            fts.reindex_text(self._db, self._changed_text)
            self._db.execute("COMMIT")
            self._open = False
        self._new_text, self._changed_text = [], []

    def rollback(self) -> None:
        if self._open:
            self._open = False
            rollback_quietly(self._db)
        self._new_text, self._changed_text = [], []

    def existing(self, title_key: str) -> tuple[int, str] | None:
        """(incident id, sha256 of its stored source) for an archived title, else None."""
        row = self._db.execute(
            "SELECT i.id, s.sha256 FROM incidents i JOIN sources s ON s.incident_id = i.id "
            "WHERE i.title_key = ?",
            (title_key,),
        ).fetchone()
        return (row[0], row[1]) if row else None

    def store(self, record: IncidentRecord) -> tuple[WriteOutcome, int]:
        """Insert a new article or update the one with the same title in place.

        All of one article is written or none of it (a savepoint per article).
        """
        self.begin()
        found = self.existing(record.title_key)
        if found is not None and found[1] == record.sha256:
            return WriteOutcome.UNCHANGED, found[0]
        self._db.execute("SAVEPOINT article")
        try:
            if found is None:
                incident_id = self._insert(record)
                outcome = WriteOutcome.IMPORTED
            else:
                incident_id = found[0]
                self._replace(incident_id, record)
                outcome = WriteOutcome.UPDATED
            self._db.execute("RELEASE article")
        except BaseException:
            if self._db.in_transaction:  # a full disk or an I/O error may have ended it
                # the error being raised says what went wrong; another would hide it
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK TO article")
                    self._db.execute("RELEASE article")
            raise
        text = (incident_id, record.title, record.body)
        (self._new_text if outcome is WriteOutcome.IMPORTED else self._changed_text).append(text)
        return outcome, incident_id

    def _insert(self, record: IncidentRecord) -> int:
        now = utc_now()
        cursor = self._db.execute(_INSERT_INCIDENT, (*_incident_values(record), now, now))
        incident_id = cursor.lastrowid
        assert incident_id is not None
        self._insert_children(incident_id, record)
        self._db.execute(
            "INSERT INTO sources (incident_id, path, format, sha256, raw_text, imported_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                incident_id,
                record.source_path,
                record.source_format,
                record.sha256,
                record.raw_text,
                now,
            ),
        )
        return incident_id

    def restore_incident(self, incident_id: int, record: IncidentRecord) -> None:
        """Put back the incident row (and its facts) of a source that survived without it,
        under its old id, so that what points to it (annotations, notes) finds it again.
        The source row is there already."""
        self.begin()
        now = utc_now()
        self._db.execute(
            f"INSERT INTO incidents (id, {', '.join(_COLUMNS)}, created_at, updated_at) "
            f"VALUES ({', '.join('?' * (len(_COLUMNS) + 3))})",
            (incident_id, *_incident_values(record), now, now),
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
        (old_body,) = self._db.execute(
            "SELECT body FROM incidents WHERE id = ?", (incident_id,)
        ).fetchone()
        self._db.execute(_UPDATE_INCIDENT, (*_incident_values(record), now, incident_id))
        if old_body != record.body:
            reanchor_research(self._db, incident_id, record.body, now)
        self._delete_children(incident_id)
        self._insert_children(incident_id, record)
        self._db.execute(
            "UPDATE sources SET path = ?, format = ?, sha256 = ?, raw_text = ?, imported_at = ? "
            "WHERE incident_id = ?",
            (
                record.source_path,
                record.source_format,
                record.sha256,
                record.raw_text,
                now,
                incident_id,
            ),
        )

    def _delete_children(self, incident_id: int) -> None:
        for table in _CHILD_TABLES:
            self._db.execute(f"DELETE FROM {table} WHERE incident_id = ?", (incident_id,))

    def _insert_children(self, incident_id: int, record: IncidentRecord) -> None:
        self._db.executemany(
            "INSERT INTO sections (incident_id, position, heading, level, heading_start, start, "
            '"end") VALUES (?, ?, ?, ?, ?, ?, ?)',
            [
                (incident_id, position, s.heading, s.level, s.heading_start, s.start, s.end)
                for position, s in enumerate(record.sections)
            ],
        )
        self._db.executemany(
            "INSERT INTO infobox_fields (incident_id, position, key, value, markup, field) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (incident_id, position, f.key, f.value, f.markup, f.field)
                for position, f in enumerate(record.infobox)
            ],
        )
        facts = record.facts
        self._db.executemany(
            "INSERT INTO perpetrators (incident_id, position, name, suspected, evidence) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (incident_id, n, p.name, p.suspected, p.evidence)
                for n, p in enumerate(facts.perpetrators)
            ],
        )
        self._db.executemany(
            "INSERT INTO incident_terms (incident_id, position, kind, value) VALUES (?, ?, ?, ?)",
            [(incident_id, n, t.kind, t.value) for n, t in enumerate(facts.terms)],
        )
        self._db.executemany(
            "INSERT INTO reactions (incident_id, position, category, actor, actor_kind, speaker, "
            'role, stance, text, start, "end", section, country) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    incident_id,
                    n,
                    r.category,
                    r.actor,
                    r.actor_kind,
                    r.speaker,
                    r.role,
                    r.stance,
                    r.text,
                    r.start,
                    r.end,
                    r.section,
                    r.country,
                )
                for n, r in enumerate(facts.reactions)
            ],
        )
        self._db.executemany(
            'INSERT INTO events (incident_id, position, date, date_text, text, start, "end", '
            "section, relative, precision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    incident_id,
                    n,
                    e.date,
                    e.date_text,
                    e.text,
                    e.start,
                    e.end,
                    e.section,
                    e.relative,
                    e.precision,
                )
                for n, e in enumerate(facts.events)
            ],
        )
        self._db.executemany(
            "INSERT INTO see_also (incident_id, position, title, title_key) VALUES (?, ?, ?, ?)",
            [(incident_id, n, link.title, link.title_key) for n, link in enumerate(facts.see_also)],
        )
