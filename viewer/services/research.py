"""The researcher's own data: annotations, tags, bookmarks and notes.

Every change is one transaction committed at once, so a crash or a kill loses at most the
change in progress. Deleting returns a snapshot that restores the same record (undo).
"""

from __future__ import annotations

import json
import sqlite3
import uuid as uuid_module
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from db import Archive, fts
from db.anchoring import Anchor, anchor_for, place
from db.errors import raise_if_known
from db.queries import like_contains
from db.store import rollback_quietly, utc_now
from viewer.annotation_colors import ANNOTATION_COLORS, DEFAULT_COLOR
from viewer.interchange.w3c import AnnotationData
from viewer.parsing import title_key as _title_key

TAG_COLORS = ("#e57373", "#64b5f6", "#81c784", "#ffb74d", "#ba68c8", "#4db6ac", "#f06292",
              "#a1887f", "#90a4ae", "#dce775")  # fmt: skip
NOTE_FORMATS = ("plain", "markdown")


class ResearchError(ValueError):
    """A request about the researcher's data that cannot be done as asked (one line)."""


@dataclass
class AnnotationView(AnnotationData):
    """An annotation as the archive holds it: what the W3C format carries (created and
    modified as stored, "...+00:00"), its row ids, and how it was last placed."""

    id: int
    incident_id: int
    anchored_by: str | None

    def as_data(self) -> AnnotationData:
        """The exchanged part only, times in the form W3C examples use ("...Z")."""
        shared = {field.name: getattr(self, field.name) for field in fields(AnnotationData)}
        return replace(
            AnnotationData(**shared),
            created=_w3c_time(self.created),
            modified=_w3c_time(self.modified),
        )


@dataclass
class TagView:
    id: int
    name: str
    color: str
    incidents: int = 0
    annotations: int = 0


@dataclass
class BookmarkView:
    id: int
    incident_id: int
    incident_title: str
    label: str
    start: int | None
    quote: str | None
    orphaned: bool
    created_at: str


@dataclass
class AnnotationSnapshot:
    """Everything needed to put a deleted annotation back exactly as it was."""

    row: tuple[object, ...]
    tag_ids: list[int] = field(default_factory=list)


@contextmanager
def _write(archive: Archive) -> Iterator[sqlite3.Connection]:
    """One committed transaction (the change is on disk when this block ends)."""
    archive.refuse_writes()
    try:
        with archive.raw_connection() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                rollback_quietly(connection)
                raise
            connection.execute("COMMIT")
    except sqlite3.Error as exc:
        raise_if_known(archive.path, exc)
        raise


@contextmanager
def _read(archive: Archive) -> Iterator[sqlite3.Connection]:
    with archive.raw_connection() as connection:
        yield connection


_TABLES = {"annotation": "annotations", "bookmark": "bookmarks", "tag": "tags"}


def _row(
    connection: sqlite3.Connection, kind: str, row_id: int, columns: str = "*"
) -> tuple[Any, ...]:
    """Columns of the annotation, bookmark or tag with this id; a ResearchError saying
    there is none."""
    row = connection.execute(
        f"SELECT {columns} FROM {_TABLES[kind]} WHERE id = ?", (row_id,)
    ).fetchone()
    if row is None:
        raise ResearchError(f"no {kind} with id {row_id}")
    return tuple(row)


def _body(connection: sqlite3.Connection, incident_id: int) -> tuple[str, str]:
    row = connection.execute(
        "SELECT title, body FROM incidents WHERE id = ?", (incident_id,)
    ).fetchone()
    if row is None:
        raise ResearchError(f"no incident with id {incident_id}")
    return row[0], row[1]


# -- tags --------------------------------------------------------------------------------


def tag_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _tag_ids(connection: sqlite3.Connection, names: Iterable[str]) -> list[int]:
    """Ids of the named tags, creating the missing ones (with the next free colour)."""
    ids = []
    for raw in names:
        name = " ".join(raw.split())
        if not name:
            continue
        row = connection.execute(
            "SELECT id FROM tags WHERE name_key = ?", (tag_key(name),)
        ).fetchone()
        if row is None:
            (count,) = connection.execute("SELECT count(*) FROM tags").fetchone()
            cursor = connection.execute(
                "INSERT INTO tags (name, name_key, color, created_at) VALUES (?, ?, ?, ?)",
                (name, tag_key(name), TAG_COLORS[count % len(TAG_COLORS)], utc_now()),
            )
            row = (cursor.lastrowid,)
        if row[0] not in ids:
            ids.append(int(row[0]))
    return ids


def tag_incident(archive: Archive, incident_id: int, names: Sequence[str]) -> list[str]:
    """Add tags to an incident; returns the names newly added (for undo)."""
    with _write(archive) as connection:
        _body(connection, incident_id)
        added = []
        for tag_id in _tag_ids(connection, names):
            cursor = connection.execute(
                "INSERT OR IGNORE INTO incident_tags (incident_id, tag_id) VALUES (?, ?)",
                (incident_id, tag_id),
            )
            if cursor.rowcount:
                (name,) = connection.execute(
                    "SELECT name FROM tags WHERE id = ?", (tag_id,)
                ).fetchone()
                added.append(name)
        return added


def untag_incident(archive: Archive, incident_id: int, names: Sequence[str]) -> list[str]:
    """Remove tags from an incident; returns the names that were there (for undo)."""
    with _write(archive) as connection:
        removed = []
        for name in names:
            row = connection.execute(
                "SELECT t.id, t.name FROM tags t JOIN incident_tags it ON it.tag_id = t.id "
                "WHERE it.incident_id = ? AND t.name_key = ?",
                (incident_id, tag_key(name)),
            ).fetchone()
            if row is not None:
                connection.execute(
                    "DELETE FROM incident_tags WHERE incident_id = ? AND tag_id = ?",
                    (incident_id, row[0]),
                )
                removed.append(row[1])
        return removed


def incident_tags(archive: Archive, incident_id: int) -> list[TagView]:
    with _read(archive) as connection:
        rows = connection.execute(
            "SELECT t.id, t.name, t.color FROM tags t JOIN incident_tags it ON it.tag_id = t.id "
            "WHERE it.incident_id = ? ORDER BY t.name_key",
            (incident_id,),
        ).fetchall()
    return [TagView(*row) for row in rows]


def tags_with_counts(archive: Archive) -> list[TagView]:
    with _read(archive) as connection:
        rows = connection.execute(
            "SELECT t.id, t.name, t.color, "
            "(SELECT count(*) FROM incident_tags it WHERE it.tag_id = t.id), "
            "(SELECT count(*) FROM annotation_tags at WHERE at.tag_id = t.id) "
            "FROM tags t ORDER BY t.name_key"
        ).fetchall()
    return [TagView(*row) for row in rows]


def set_tag_color(archive: Archive, tag_id: int, color: str) -> str:
    """Returns the previous colour (for undo)."""
    with _write(archive) as connection:
        row = _row(connection, "tag", tag_id, "color")
        connection.execute("UPDATE tags SET color = ? WHERE id = ?", (color, tag_id))
        return str(row[0])


def rename_tag(archive: Archive, old: str, new: str) -> None:
    """Rename a tag; renaming onto an existing tag merges the two."""
    new = " ".join(new.split())
    if not new:
        raise ResearchError("a tag needs a name")
    with _write(archive) as connection:
        source = connection.execute(
            "SELECT id FROM tags WHERE name_key = ?", (tag_key(old),)
        ).fetchone()
        if source is None:
            raise ResearchError(f"no tag named {old!r}")
        target = connection.execute(
            "SELECT id FROM tags WHERE name_key = ?", (tag_key(new),)
        ).fetchone()
        if target is None or target[0] == source[0]:
            connection.execute(
                "UPDATE tags SET name = ?, name_key = ? WHERE id = ?",
                (new, tag_key(new), source[0]),
            )
        else:
            _merge(connection, source[0], target[0])


def merge_tags(archive: Archive, sources: Sequence[str], target: str) -> None:
    """Fold the source tags into target (created if needed); the sources disappear."""
    with _write(archive) as connection:
        (target_id,) = _tag_ids(connection, [target])
        for name in sources:
            row = connection.execute(
                "SELECT id FROM tags WHERE name_key = ?", (tag_key(name),)
            ).fetchone()
            if row is not None and row[0] != target_id:
                _merge(connection, row[0], target_id)


def _merge(connection: sqlite3.Connection, source_id: int, target_id: int) -> None:
    for table, owner in (("incident_tags", "incident_id"), ("annotation_tags", "annotation_id")):
        connection.execute(
            f"INSERT OR IGNORE INTO {table} ({owner}, tag_id) "
            f"SELECT {owner}, ? FROM {table} WHERE tag_id = ?",
            (target_id, source_id),
        )
    connection.execute("DELETE FROM tags WHERE id = ?", (source_id,))


def tagged_incidents(archive: Archive, tag: str) -> frozenset[int]:
    """Incidents with the tag, or with an annotation that has it."""
    with _read(archive) as connection:
        rows = connection.execute(
            "SELECT it.incident_id FROM incident_tags it JOIN tags t ON t.id = it.tag_id "
            "WHERE t.name_key = ? UNION SELECT a.incident_id FROM annotations a "
            "JOIN annotation_tags at ON at.annotation_id = a.id JOIN tags t ON t.id = at.tag_id "
            "WHERE t.name_key = ?",
            (tag_key(tag), tag_key(tag)),
        ).fetchall()
    return frozenset(row[0] for row in rows)


# -- annotations -----------------------------------------------------------------------------

_ANNOTATION_COLUMNS = (
    'a.id, a.uuid, a.incident_id, i.title, a.quote, a.prefix, a.suffix, a.start, a."end", '
    "a.color, a.note, a.orphaned, a.anchored_by, a.created_at, a.modified_at"
)


def _annotation_views(
    connection: sqlite3.Connection, where: str, params: Sequence[object]
) -> list[AnnotationView]:
    rows = connection.execute(
        f"SELECT {_ANNOTATION_COLUMNS} FROM annotations a JOIN incidents i ON i.id = a.incident_id "
        f"WHERE {where} ORDER BY i.title_key, a.start, a.id",
        tuple(params),
    ).fetchall()
    tags: dict[int, list[str]] = {}
    if rows:
        ids = ",".join(str(row[0]) for row in rows)
        for annotation_id, name in connection.execute(
            "SELECT at.annotation_id, t.name FROM annotation_tags at JOIN tags t "
            f"ON t.id = at.tag_id WHERE at.annotation_id IN ({ids}) ORDER BY t.name_key"
        ):
            tags.setdefault(annotation_id, []).append(name)
    return [
        AnnotationView(
            id=row[0], uuid=row[1], incident_id=row[2], incident_title=row[3], quote=row[4],
            prefix=row[5], suffix=row[6], start=row[7], end=row[8], color=row[9], note=row[10],
            tags=tags.get(row[0], []), orphaned=bool(row[11]), anchored_by=row[12],
            created=row[13], modified=row[14],
        )
        for row in rows
    ]  # fmt: skip


def _check_color(color: str) -> str:
    if color not in ANNOTATION_COLORS:
        raise ResearchError(f"unknown colour {color!r}; use one of {', '.join(ANNOTATION_COLORS)}")
    return color


def create_annotation(
    archive: Archive,
    incident_id: int,
    start: int,
    end: int,
    *,
    color: str = DEFAULT_COLOR,
    note: str | None = None,
    tags: Sequence[str] = (),
    uuid: str | None = None,
) -> AnnotationView:
    _check_color(color)
    with _write(archive) as connection:
        _title, body = _body(connection, incident_id)
        if not 0 <= start < end <= len(body):
            raise ResearchError(f"the passage {start}-{end} is not inside the article")
        anchor = anchor_for(body, start, end)
        now = utc_now()
        cursor = connection.execute(
            'INSERT INTO annotations (uuid, incident_id, quote, prefix, suffix, start, "end", '
            "color, note, orphaned, anchored_by, created_at, modified_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'position', ?, ?)",
            (
                uuid or str(uuid_module.uuid4()),
                incident_id,
                anchor.quote,
                anchor.prefix,
                anchor.suffix,
                start,
                end,
                color,
                note or None,
                now,
                now,
            ),
        )
        annotation_id = int(cursor.lastrowid or 0)
        _set_annotation_tags(connection, annotation_id, tags)
        return _annotation_views(connection, "a.id = ?", [annotation_id])[0]


def _set_annotation_tags(
    connection: sqlite3.Connection, annotation_id: int, names: Sequence[str]
) -> None:
    connection.execute("DELETE FROM annotation_tags WHERE annotation_id = ?", (annotation_id,))
    connection.executemany(
        "INSERT INTO annotation_tags (annotation_id, tag_id) VALUES (?, ?)",
        [(annotation_id, tag_id) for tag_id in _tag_ids(connection, names)],
    )


def find_quote(body: str, quote: str, occurrence: int | None = None) -> tuple[int, int]:
    """Where quote is in body; several places need occurrence (counted from 1)."""
    if not quote:
        raise ResearchError("the quote is empty")
    places = []
    position = body.find(quote)
    while position != -1:
        places.append(position)
        position = body.find(quote, position + 1)
    if not places:
        raise ResearchError(f"the quote {quote!r} is not in the article")
    if occurrence is None:
        if len(places) > 1:
            raise ResearchError(
                f"the quote {quote!r} occurs {len(places)} times in the article; "
                "say which with --occurrence N"
            )
        occurrence = 1
    if not 1 <= occurrence <= len(places):
        raise ResearchError(f"--occurrence {occurrence}: the quote occurs {len(places)} time(s)")
    start = places[occurrence - 1]
    return start, start + len(quote)


def annotate_quote(
    archive: Archive,
    incident_id: int,
    quote: str,
    *,
    occurrence: int | None = None,
    color: str = DEFAULT_COLOR,
    note: str | None = None,
    tags: Sequence[str] = (),
) -> AnnotationView:
    with _read(archive) as connection:
        _title, body = _body(connection, incident_id)
    start, end = find_quote(body, quote, occurrence)
    return create_annotation(archive, incident_id, start, end, color=color, note=note, tags=tags)


def update_annotation(
    archive: Archive,
    annotation_id: int,
    *,
    color: str | None = None,
    note: str | None = None,
    tags: Sequence[str] | None = None,
    clear_note: bool = False,
) -> AnnotationView:
    with _write(archive) as connection:
        _row(connection, "annotation", annotation_id, "1")
        if color is not None:
            connection.execute(
                "UPDATE annotations SET color = ? WHERE id = ?",
                (_check_color(color), annotation_id),
            )
        if note is not None or clear_note:
            connection.execute(
                "UPDATE annotations SET note = ? WHERE id = ?", (note or None, annotation_id)
            )
        if tags is not None:
            _set_annotation_tags(connection, annotation_id, tags)
        connection.execute(
            "UPDATE annotations SET modified_at = ? WHERE id = ?", (utc_now(), annotation_id)
        )
        return _annotation_views(connection, "a.id = ?", [annotation_id])[0]


def reattach_annotation(
    archive: Archive, annotation_id: int, start: int, end: int
) -> AnnotationView:
    """Attach an annotation (an orphaned one, typically) to a new passage of its article."""
    with _write(archive) as connection:
        (incident_id,) = _row(connection, "annotation", annotation_id, "incident_id")
        _title, body = _body(connection, incident_id)
        if not 0 <= start < end <= len(body):
            raise ResearchError("the new passage is not inside the article")
        anchor = anchor_for(body, start, end)
        connection.execute(
            'UPDATE annotations SET quote = ?, prefix = ?, suffix = ?, start = ?, "end" = ?, '
            "orphaned = 0, anchored_by = 'position', modified_at = ? WHERE id = ?",
            (anchor.quote, anchor.prefix, anchor.suffix, start, end, utc_now(), annotation_id),
        )
        return _annotation_views(connection, "a.id = ?", [annotation_id])[0]


def delete_annotation(archive: Archive, annotation_id: int) -> AnnotationSnapshot:
    """Delete an annotation on the researcher's request; the snapshot restores it."""
    with _write(archive) as connection:
        row = _row(connection, "annotation", annotation_id)
        tag_ids = [
            r[0]
            for r in connection.execute(
                "SELECT tag_id FROM annotation_tags WHERE annotation_id = ?", (annotation_id,)
            )
        ]
        connection.execute("DELETE FROM annotations WHERE id = ?", (annotation_id,))
        return AnnotationSnapshot(tuple(row), tag_ids)


def restore_annotation(archive: Archive, snapshot: AnnotationSnapshot) -> None:
    with _write(archive) as connection:
        placeholders = ", ".join("?" * len(snapshot.row))
        connection.execute(f"INSERT INTO annotations VALUES ({placeholders})", snapshot.row)
        connection.executemany(
            "INSERT OR IGNORE INTO annotation_tags (annotation_id, tag_id) "
            "SELECT ?, id FROM tags WHERE id = ?",
            [(snapshot.row[0], tag_id) for tag_id in snapshot.tag_ids],
        )


def list_annotations(
    archive: Archive,
    *,
    incident_id: int | None = None,
    color: str | None = None,
    tag: str | None = None,
    text: str | None = None,
    orphaned: bool | None = None,
) -> list[AnnotationView]:
    clauses: list[str] = ["1"]
    params: list[object] = []
    if incident_id is not None:
        clauses.append("a.incident_id = ?")
        params.append(incident_id)
    if color:
        clauses.append("a.color = ?")
        params.append(color)
    if orphaned is not None:
        clauses.append("a.orphaned = ?")
        params.append(int(orphaned))
    if text:
        clauses.append(
            "(a.quote LIKE ? ESCAPE '\\' OR a.note LIKE ? ESCAPE '\\' "
            "OR i.title LIKE ? ESCAPE '\\')"
        )
        params.extend([like_contains(text)] * 3)
    if tag:
        clauses.append(
            "a.id IN (SELECT at.annotation_id FROM annotation_tags at JOIN tags t "
            "ON t.id = at.tag_id WHERE t.name_key = ?)"
        )
        params.append(tag_key(tag))
    with _read(archive) as connection:
        return _annotation_views(connection, " AND ".join(clauses), params)


# -- bookmarks -------------------------------------------------------------------------------


def add_bookmark(
    archive: Archive, incident_id: int, label: str | None = None, start: int | None = None
) -> BookmarkView:
    with _write(archive) as connection:
        title, body = _body(connection, incident_id)
        quote = prefix = suffix = None
        if start is not None:
            if not 0 <= start <= len(body):
                raise ResearchError("the bookmarked place is not inside the article")
            end = min(len(body), start + 60)
            anchor = anchor_for(body, start, end)
            quote, prefix, suffix = anchor.quote, anchor.prefix, anchor.suffix
        label = (label or "").strip() or (
            f"{title}: {quote.splitlines()[0][:40]}…" if quote else title
        )
        cursor = connection.execute(
            "INSERT INTO bookmarks (incident_id, label, start, quote, prefix, suffix, orphaned, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
            (incident_id, label, start, quote, prefix, suffix, utc_now()),
        )
        return _bookmarks(connection, "b.id = ?", [int(cursor.lastrowid or 0)])[0]


def _bookmarks(
    connection: sqlite3.Connection, where: str, params: Sequence[object]
) -> list[BookmarkView]:
    rows = connection.execute(
        "SELECT b.id, b.incident_id, i.title, b.label, b.start, b.quote, b.orphaned, "
        f"b.created_at FROM bookmarks b JOIN incidents i ON i.id = b.incident_id WHERE {where} "
        "ORDER BY b.created_at DESC, b.id DESC",
        tuple(params),
    ).fetchall()
    return [BookmarkView(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7]) for r in rows]


def list_bookmarks(archive: Archive, incident_id: int | None = None) -> list[BookmarkView]:
    with _read(archive) as connection:
        if incident_id is None:
            return _bookmarks(connection, "1", [])
        return _bookmarks(connection, "b.incident_id = ?", [incident_id])


def delete_bookmark(archive: Archive, bookmark_id: int) -> tuple[object, ...]:
    with _write(archive) as connection:
        row = _row(connection, "bookmark", bookmark_id)
        connection.execute("DELETE FROM bookmarks WHERE id = ?", (bookmark_id,))
        return tuple(row)


def restore_bookmark(archive: Archive, row: tuple[object, ...]) -> None:
    with _write(archive) as connection:
        connection.execute(f"INSERT INTO bookmarks VALUES ({', '.join('?' * len(row))})", row)


def rename_bookmark(archive: Archive, bookmark_id: int, label: str) -> str:
    with _write(archive) as connection:
        row = _row(connection, "bookmark", bookmark_id, "label")
        connection.execute("UPDATE bookmarks SET label = ? WHERE id = ?", (label, bookmark_id))
        return str(row[0])


# -- notes -----------------------------------------------------------------------------------


def get_note(archive: Archive, incident_id: int) -> tuple[str, str]:
    with _read(archive) as connection:
        row = connection.execute(
            "SELECT text, format FROM notes WHERE incident_id = ?", (incident_id,)
        ).fetchone()
    return (row[0], row[1]) if row else ("", "plain")


def save_note(archive: Archive, incident_id: int, text: str, fmt: str = "plain") -> None:
    """Save (or with empty text, remove) the note, and put it in the full-text index."""
    if fmt not in NOTE_FORMATS:
        raise ResearchError(f"unknown note format {fmt!r}; use plain or markdown")
    with _write(archive) as connection:
        _body(connection, incident_id)
        if text.strip():
            connection.execute(
                "INSERT INTO notes (incident_id, text, format, modified_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (incident_id) DO UPDATE SET text = excluded.text, "
                "format = excluded.format, modified_at = excluded.modified_at",
                (incident_id, text, fmt, utc_now()),
            )
        else:
            connection.execute("DELETE FROM notes WHERE incident_id = ?", (incident_id,))
        fts.set_notes(connection, incident_id, text)


# -- in the JSON export ------------------------------------------------------------------------


def research_dict(archive: Archive, incident_id: int) -> dict[str, object]:
    """The researcher's data on one incident, in the export contract's shape."""
    text, fmt = get_note(archive, incident_id)
    return {
        "tags": [tag.name for tag in incident_tags(archive, incident_id)],
        "bookmarks": [
            {"id": b.id, "label": b.label, "start": b.start, "quote": b.quote,
             "orphaned": b.orphaned, "created": b.created_at}
            for b in list_bookmarks(archive, incident_id)
        ],
        "notes": [{"text": text, "format": fmt}] if text else [],
        "annotations": [
            {"id": a.uuid, "quote": a.quote, "prefix": a.prefix, "suffix": a.suffix,
             "start": a.start, "end": a.end, "color": a.color, "note": a.note, "tags": a.tags,
             "orphaned": a.orphaned, "created": a.created, "modified": a.modified}
            for a in list_annotations(archive, incident_id=incident_id)
        ],
    }  # fmt: skip


# -- W3C Web Annotation collections ------------------------------------------------------------

MAX_JSON_DEPTH = 64  # our collections nest 6 deep; a thousand is an attack, not a document
MAX_JSON_DIGITS = 16  # offsets and counts fit; 5,000 digits do not


class AnnotationFileError(ValueError):
    """An annotation file that is not a usable document; nothing of it is imported."""


def read_annotation_file(path: Path) -> list[AnnotationData]:
    """The annotations of a W3C collection file, or AnnotationFileError (one line) for a
    file that is not JSON, is hostile (nested a thousand deep, numbers of thousands of
    digits, text that is not Unicode) or not a collection this program can use."""
    from viewer.interchange.w3c import W3CFormatError, from_w3c

    try:
        text = path.read_bytes().decode("utf-8-sig")
        document = json.loads(text, parse_int=_bounded_int, parse_constant=_no_constant)
    except UnicodeDecodeError as exc:
        raise AnnotationFileError(f"not UTF-8 text (byte {exc.start})") from None
    except RecursionError:
        raise AnnotationFileError("not a JSON-LD file: nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise AnnotationFileError(f"not a JSON-LD file ({exc})") from None
    except ValueError as exc:  # from the parse hooks
        raise AnnotationFileError(f"not a usable JSON-LD file: {exc}") from None
    _check_plain_data(document)
    try:
        return from_w3c(document)
    except W3CFormatError as exc:
        raise AnnotationFileError(str(exc)) from None


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_JSON_DIGITS:
        raise ValueError(f"a number of {len(digits):,} digits")
    return int(digits)


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _check_plain_data(document: object) -> None:
    """Depth and text checked without recursion (a deep document must not blow the stack)."""
    stack: list[tuple[object, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise AnnotationFileError(
                f"not a usable JSON-LD file: nested over {MAX_JSON_DEPTH} deep"
            )
        if isinstance(value, str):
            _check_text(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                _check_text(key)
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise AnnotationFileError(
            f"not a usable JSON-LD file: text with a lone surrogate ({text[exc.start]!r}) "
            "is not Unicode"
        ) from None


@dataclass
class AnnotationImportReport:
    added: int = 0
    updated: int = 0
    orphaned: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.added} annotations added, {self.updated} updated, "
            f"{self.orphaned} orphaned, {len(self.problems)} rejected"
        )


def import_annotations(archive: Archive, items: Sequence[AnnotationData]) -> AnnotationImportReport:
    """Put annotations read from a W3C collection into the archive: each finds its article by
    title and its passage by its selectors (as after a re-import); one whose passage is not
    there is kept as orphaned. An annotation already here (same id) is updated, not doubled."""
    report = AnnotationImportReport()
    with _write(archive) as connection:
        for item in items:
            row = connection.execute(
                "SELECT id, body FROM incidents WHERE title_key = ?",
                (_title_key(item.incident_title),),
            ).fetchone()
            if row is None:
                report.problems.append(
                    f"annotation {item.uuid}: no article titled {item.incident_title!r} here"
                )
                continue
            incident_id, body = row
            if not item.quote and 0 <= item.start < item.end <= len(body):
                # Another tool sent only a position: take the words there as the quote.
                item = replace(item, quote=body[item.start : item.end])
            placed = place(body, Anchor(item.quote, item.prefix, item.suffix, item.start, item.end))
            orphaned = item.orphaned or placed.orphaned
            if orphaned:
                anchor = Anchor(item.quote, item.prefix, item.suffix, item.start, item.end)
                report.orphaned += 1
            else:
                anchor = anchor_for(body, placed.start, placed.end)
            values = (
                incident_id,
                anchor.quote,
                anchor.prefix,
                anchor.suffix,
                anchor.start,
                anchor.end,
                _check_color(item.color) if item.color in ANNOTATION_COLORS else DEFAULT_COLOR,
                item.note or None,
                int(orphaned),
                None if orphaned else placed.method,
                item.created,
                item.modified,
            )
            existing = connection.execute(
                "SELECT id FROM annotations WHERE uuid = ?", (item.uuid,)
            ).fetchone()
            if existing is None:
                cursor = connection.execute(
                    'INSERT INTO annotations (incident_id, quote, prefix, suffix, start, "end", '
                    "color, note, orphaned, anchored_by, created_at, modified_at, uuid) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*values, item.uuid),
                )
                annotation_id = int(cursor.lastrowid or 0)
                report.added += 1
            else:
                annotation_id = existing[0]
                connection.execute(
                    "UPDATE annotations SET incident_id = ?, quote = ?, prefix = ?, suffix = ?, "
                    'start = ?, "end" = ?, color = ?, note = ?, orphaned = ?, anchored_by = ?, '
                    "created_at = ?, modified_at = ? WHERE id = ?",
                    (*values, annotation_id),
                )
                report.updated += 1
            _set_annotation_tags(connection, annotation_id, item.tags)
    return report


def export_annotation_data(archive: Archive) -> list[AnnotationData]:
    return [annotation.as_data() for annotation in list_annotations(archive)]


def _w3c_time(stamp: str) -> str:
    """Our stored UTC times ("...+00:00") in the form W3C examples use ("...Z")."""
    return stamp.replace("+00:00", "Z")


# -- undo support for tag renames and merges ------------------------------------------------


@dataclass
class TagSnapshot:
    row: tuple[object, ...]  # id, name, name_key, color, created_at
    incident_ids: list[int]
    annotation_ids: list[int]


def tag_snapshot(archive: Archive, name: str) -> TagSnapshot | None:
    with _read(archive) as connection:
        row = connection.execute(
            "SELECT id, name, name_key, color, created_at FROM tags WHERE name_key = ?",
            (tag_key(name),),
        ).fetchone()
        if row is None:
            return None
        incidents = [
            r[0]
            for r in connection.execute(
                "SELECT incident_id FROM incident_tags WHERE tag_id = ?", (row[0],)
            )
        ]
        annotations = [
            r[0]
            for r in connection.execute(
                "SELECT annotation_id FROM annotation_tags WHERE tag_id = ?", (row[0],)
            )
        ]
    return TagSnapshot(tuple(row), incidents, annotations)


def restore_tag_snapshot(archive: Archive, snapshot: TagSnapshot) -> None:
    """Put a tag back exactly as it was: its name, colour and links (only those)."""
    tag_id, name, key, color, created = snapshot.row
    with _write(archive) as connection:
        clash = connection.execute(
            "SELECT id FROM tags WHERE name_key = ? AND id != ?", (key, tag_id)
        ).fetchone()
        if clash is not None:  # the name was taken over meanwhile (renamed onto): give it back
            connection.execute("DELETE FROM tags WHERE id = ?", (clash[0],))
        connection.execute(
            "INSERT INTO tags (id, name, name_key, color, created_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_key = excluded.name_key, "
            "color = excluded.color",
            (tag_id, name, key, color, created),
        )
        connection.execute("DELETE FROM incident_tags WHERE tag_id = ?", (tag_id,))
        connection.execute("DELETE FROM annotation_tags WHERE tag_id = ?", (tag_id,))
        connection.executemany(
            "INSERT OR IGNORE INTO incident_tags (incident_id, tag_id) VALUES (?, ?)",
            [(i, tag_id) for i in snapshot.incident_ids],
        )
        connection.executemany(
            "INSERT OR IGNORE INTO annotation_tags (annotation_id, tag_id) "
            "SELECT ?, ? WHERE EXISTS (SELECT 1 FROM annotations WHERE id = ?)",
            [(a, tag_id, a) for a in snapshot.annotation_ids],
        )


def drop_tag(archive: Archive, name: str) -> None:
    with _write(archive) as connection:
        connection.execute("DELETE FROM tags WHERE name_key = ?", (tag_key(name),))
