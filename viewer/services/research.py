"""The researcher's own data: annotations, tags, bookmarks and notes.

Every change is one transaction committed at once, so a crash or a kill loses at most the
change in progress. Deleting returns a snapshot that restores the same record (undo).
"""

from __future__ import annotations

import json
import uuid as uuid_module
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from db import Archive
from db import research as stored
from db.anchoring import Anchor, anchor_for, place
from db.errors import ArchiveError, Condition
from db.research import AnnotationFilter, AnnotationRecord, BookmarkView, NoteView, TagView
from db.store import utc_now
from db.titles import title_key as _title_key
from viewer.annotation_colors import ANNOTATION_COLORS, DEFAULT_COLOR
from viewer.interchange.w3c import AnnotationData
from viewer.services.catalog import MAX_ID
from viewer.services.vocabulary import tag_key as tag_key

__all__ = ["AnnotationView", "BookmarkView", "NoteView", "TagView"]

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
    author: str = ""
    version: int = 1

    def as_data(self) -> AnnotationData:
        """The exchanged part only, times in the form W3C examples use ("...Z")."""
        shared = {field.name: getattr(self, field.name) for field in fields(AnnotationData)}
        return replace(
            AnnotationData(**shared),
            created=_w3c_time(self.created),
            modified=_w3c_time(self.modified),
            creator=self.author,
        )


def _view(record: AnnotationRecord) -> AnnotationView:
    return AnnotationView(**{field.name: getattr(record, field.name) for field in fields(record)})


@dataclass
class AnnotationSnapshot:
    """Everything needed to put a deleted annotation back exactly as it was: its row by
    column name, and its tags."""

    row: dict[str, object]
    tag_ids: list[int] = field(default_factory=list)


class AnnotationConflict(ResearchError):
    """Someone changed the annotation after this change started from it (one line)."""


class TagConflict(ResearchError):
    """Someone renamed, merged or recoloured the tag after this change started from it."""


def _not_yours(archive: Archive, what: str, number: int, author: object) -> ArchiveError:
    """The server's row-level security hid another's row from a change (no error of its
    own): said as the refusal it is."""
    return ArchiveError(
        f"{archive.location}: the server refused the change: {what} {number} is {author}'s; "
        f"{archive.user} may change only their own",
        Condition.REFUSED,
    )


def _body(connection: Connection, incident_id: int) -> tuple[str, str]:
    found = stored.incident_text(connection, incident_id)
    if found is None:
        raise ResearchError(f"no incident with id {incident_id}")
    return found


# -- tags --------------------------------------------------------------------------------


def _tag_ids(connection: Connection, names: Sequence[str]) -> list[int]:
    """Ids of the named tags, creating the missing ones (with the next free colour)."""
    ids: list[int] = []
    for raw in names:
        name = " ".join(raw.split())
        if not name:
            continue
        found = stored.tag_id(connection, tag_key(name))
        if found is None:
            color = TAG_COLORS[stored.tag_count(connection) % len(TAG_COLORS)]
            found = stored.insert_tag(connection, name, tag_key(name), color, utc_now())
        if found not in ids:
            ids.append(found)
    return ids


def tag_incident(archive: Archive, incident_id: int, names: Sequence[str]) -> list[str]:
    """Add tags to an incident; returns the names newly added (for undo)."""
    with archive.write() as connection:
        _body(connection, incident_id)
        return [
            stored.tag_name(connection, tag)
            for tag in _tag_ids(connection, names)
            if stored.link_incident_tag(connection, incident_id, tag)
        ]


def untag_incident(archive: Archive, incident_id: int, names: Sequence[str]) -> list[str]:
    """Remove tags from an incident; returns the names that were there (for undo)."""
    with archive.write() as connection:
        removed = []
        for name in names:
            found = stored.incident_tag(connection, incident_id, tag_key(name))
            if found is not None:
                stored.unlink_incident_tag(connection, incident_id, found[0])
                removed.append(found[1])
        return removed


def incident_tags(archive: Archive, incident_id: int) -> list[TagView]:
    with archive.read() as connection:
        return stored.tags_of_incident(connection, incident_id)


def tags_with_counts(archive: Archive) -> list[TagView]:
    with archive.read() as connection:
        return stored.tags_with_counts(connection)


def _tag_changed_meanwhile(name: str) -> TagConflict:
    return TagConflict(
        f"the tag “{name}” was changed meanwhile (by someone else); nothing was changed: "
        "look at it again and retry"
    )


def set_tag_color(
    archive: Archive, tag_id: int, color: str, expected_version: int | None = None
) -> str:
    """Returns the previous colour (for undo). With expected_version (the version the
    change started from), a change made meanwhile is never overwritten: TagConflict."""
    with archive.write() as connection:
        previous = stored.tag_color(connection, tag_id)
        if previous is None:
            raise ResearchError(f"no tag with id {tag_id}")
        if not stored.set_tag_color(connection, tag_id, color, expected_version):
            raise _tag_changed_meanwhile(stored.tag_name(connection, tag_id))
        return previous


def _source_tag(connection: Connection, name: str, expected_version: int | None) -> int | None:
    """The id of the tag a rename or merge starts from, taken for the change (its version
    raised); None when there is no such tag and the change named no version. A tag renamed,
    merged or changed since expected_version is a TagConflict."""
    source = stored.tag_id(connection, tag_key(name))
    if source is None:
        if expected_version is not None:
            raise _tag_changed_meanwhile(name)
        return None
    if not stored.claim_tag(connection, source, expected_version):
        raise _tag_changed_meanwhile(name)
    return source


def rename_tag(archive: Archive, old: str, new: str, expected_version: int | None = None) -> None:
    """Rename a tag; renaming onto an existing tag merges the two. With expected_version,
    a tag someone else renamed, merged or recoloured meanwhile is left alone (TagConflict)."""
    new = " ".join(new.split())
    if not new:
        raise ResearchError("a tag needs a name")
    with archive.write() as connection:
        source = _source_tag(connection, old, expected_version)
        if source is None:
            raise ResearchError(f"no tag named {old!r}")
        target = stored.tag_id(connection, tag_key(new))
        if target is None or target == source:
            stored.rename_tag(connection, source, new, tag_key(new))
        else:
            stored.merge_tag(connection, source, target)


def merge_tags(
    archive: Archive,
    sources: Sequence[str],
    target: str,
    expected_versions: Mapping[str, int] | None = None,
) -> None:
    """Fold the source tags into target (created if needed); the sources disappear. With
    expected_versions (per source name), a source changed meanwhile stops the whole merge
    (TagConflict) instead of being folded as it is now or skipped."""
    versions = expected_versions or {}
    with archive.write() as connection:
        (target_id,) = _tag_ids(connection, [target])
        for name in sources:
            source = _source_tag(connection, name, versions.get(name))
            if source is not None and source != target_id:
                stored.merge_tag(connection, source, target_id)


def tagged_incidents(archive: Archive, tag: str) -> frozenset[int]:
    """Incidents with the tag, or with an annotation that has it."""
    with archive.read() as connection:
        return stored.tagged_incidents(connection, tag_key(tag))


# -- annotations -----------------------------------------------------------------------------


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
    with archive.write() as connection:
        _title, body = _body(connection, incident_id)
        if not 0 <= start < end <= len(body):
            raise ResearchError(f"the passage {start}-{end} is not inside the article")
        anchor = anchor_for(body, start, end)
        now = utc_now()
        annotation_id = stored.insert_annotation(
            connection,
            {
                "uuid": uuid or str(uuid_module.uuid4()), "incident_id": incident_id,
                "quote": anchor.quote, "prefix": anchor.prefix, "suffix": anchor.suffix,
                "start": start, "end": end, "color": color, "note": note or None,
                "orphaned": False, "anchored_by": "position", "created_at": now,
                "modified_at": now, "author": archive.user,
            },
        )  # fmt: skip
        stored.set_annotation_tags(connection, annotation_id, _tag_ids(connection, tags))
        return _view(stored.annotation(connection, annotation_id))


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
    with archive.read() as connection:
        _title, body = _body(connection, incident_id)
    start, end = find_quote(body, quote, occurrence)
    return create_annotation(archive, incident_id, start, end, color=color, note=note, tags=tags)


def _no_such_id(annotation_id: int) -> bool:
    """An id no SQLite row can have (a typed 25-digit number would overflow the driver)."""
    return not 0 < annotation_id <= MAX_ID


def _existing_annotation(connection: Connection, annotation_id: int) -> int:
    """The incident of an annotation; ResearchError when there is no such annotation."""
    if _no_such_id(annotation_id):
        raise ResearchError(f"no annotation with id {annotation_id}")
    incident_id = stored.annotation_incident(connection, annotation_id)
    if incident_id is None:
        raise ResearchError(f"no annotation with id {annotation_id}")
    return incident_id


def update_annotation(
    archive: Archive,
    annotation_id: int,
    *,
    color: str | None = None,
    note: str | None = None,
    tags: Sequence[str] | None = None,
    clear_note: bool = False,
    expected_version: int | None = None,
) -> AnnotationView:
    """Change an annotation. With expected_version (the version the editor started from),
    a change made meanwhile by someone else is never overwritten: AnnotationConflict says
    who changed it and when, and nothing is written."""
    with archive.write() as connection:
        _existing_annotation(connection, annotation_id)
        values: dict[str, object] = {"modified_at": utc_now()}
        if color is not None:
            values["color"] = _check_color(color)
        if note is not None or clear_note:
            values["note"] = note or None
        if not stored.update_annotation(connection, annotation_id, values, expected_version):
            now = stored.annotation(connection, annotation_id)
            raise AnnotationConflict(
                f"annotation {annotation_id} was changed by {now.author} at {now.modified} "
                "after you opened it; nothing was overwritten: look at it again and redo "
                "your change"
            )
        if tags is not None:
            stored.set_annotation_tags(connection, annotation_id, _tag_ids(connection, tags))
        return _view(stored.annotation(connection, annotation_id))


def reattach_annotation(
    archive: Archive, annotation_id: int, start: int, end: int
) -> AnnotationView:
    """Attach an annotation (an orphaned one, typically) to a new passage of its article."""
    with archive.write() as connection:
        _title, body = _body(connection, _existing_annotation(connection, annotation_id))
        if not 0 <= start < end <= len(body):
            raise ResearchError("the new passage is not inside the article")
        anchor = anchor_for(body, start, end)
        stored.update_annotation(
            connection,
            annotation_id,
            {
                "quote": anchor.quote, "prefix": anchor.prefix, "suffix": anchor.suffix,
                "start": start, "end": end, "orphaned": False, "anchored_by": "position",
                "modified_at": utc_now(),
            },
        )  # fmt: skip
        return _view(stored.annotation(connection, annotation_id))


def delete_annotation(archive: Archive, annotation_id: int) -> AnnotationSnapshot:
    """Delete an annotation on the researcher's request; the snapshot restores it."""
    with archive.write() as connection:
        known = not _no_such_id(annotation_id)
        found = stored.annotation_row(connection, annotation_id) if known else None
        if found is None:
            raise ResearchError(f"no annotation with id {annotation_id}")
        if not stored.delete_annotation(connection, annotation_id):
            raise _not_yours(archive, "annotation", annotation_id, found[0]["author"])
        return AnnotationSnapshot(*found)


def restore_annotation(archive: Archive, snapshot: AnnotationSnapshot) -> None:
    with archive.write() as connection:
        stored.restore_annotation(connection, snapshot.row, snapshot.tag_ids)


def list_annotations(
    archive: Archive,
    *,
    incident_id: int | None = None,
    color: str | None = None,
    tag: str | None = None,
    text: str | None = None,
    orphaned: bool | None = None,
    author: str | None = None,
) -> list[AnnotationView]:
    which = AnnotationFilter(
        author=author,
        incident_id=incident_id,
        color=color,
        tag_key=tag_key(tag) if tag else None,
        text=text,
        orphaned=orphaned,
    )
    with archive.read() as connection:
        return [_view(record) for record in stored.annotation_records(connection, which)]


def annotation_authors(archive: Archive) -> list[str]:
    """Everyone who wrote an annotation here (the Annotations pane filters by them)."""
    with archive.read() as connection:
        return stored.annotation_authors(connection)


def annotation_dict(a: AnnotationView) -> dict[str, object]:
    """An annotation as `annotations --json` prints it (the contract's shape)."""
    return {
        "id": a.id, "incident_id": a.incident_id, "incident_title": a.incident_title,
        "author": a.author, "quote": a.quote, "note": a.note, "color": a.color,
        "tags": a.tags, "created": a.created, "modified": a.modified,
        "orphaned": a.orphaned,
    }  # fmt: skip


# -- bookmarks -------------------------------------------------------------------------------


def add_bookmark(
    archive: Archive, incident_id: int, label: str | None = None, start: int | None = None
) -> BookmarkView:
    with archive.write() as connection:
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
        bookmark_id = stored.insert_bookmark(
            connection,
            {
                "incident_id": incident_id, "label": label, "start": start, "quote": quote,
                "prefix": prefix, "suffix": suffix, "orphaned": False, "created_at": utc_now(),
                "author": archive.user,
            },
        )  # fmt: skip
        return stored.bookmarks(connection, bookmark_id=bookmark_id)[0]


def list_bookmarks(archive: Archive, incident_id: int | None = None) -> list[BookmarkView]:
    with archive.read() as connection:
        return stored.bookmarks(connection, incident_id=incident_id)


def delete_bookmark(archive: Archive, bookmark_id: int) -> dict[str, object]:
    """Delete a bookmark; returns its row (by column name), which restores it."""
    with archive.write() as connection:
        row = stored.bookmark_row(connection, bookmark_id)
        if row is None:
            raise ResearchError(f"no bookmark with id {bookmark_id}")
        if not stored.delete_bookmark(connection, bookmark_id):
            raise _not_yours(archive, "bookmark", bookmark_id, row["author"])
        return row


def restore_bookmark(archive: Archive, row: dict[str, object]) -> None:
    with archive.write() as connection:
        stored.restore_bookmark(connection, row)


def rename_bookmark(archive: Archive, bookmark_id: int, label: str) -> str:
    with archive.write() as connection:
        row = stored.bookmark_row(connection, bookmark_id)
        if row is None:
            raise ResearchError(f"no bookmark with id {bookmark_id}")
        if not stored.set_bookmark_label(connection, bookmark_id, label):
            raise _not_yours(archive, "bookmark", bookmark_id, row["author"])
        return str(row["label"])


# -- notes -----------------------------------------------------------------------------------


def get_note(archive: Archive, incident_id: int) -> tuple[str, str]:
    """The text and format of this user's own note on the incident ("" when none)."""
    with archive.read() as connection:
        mine = stored.notes(connection, incident_id, archive.user)
    return (mine[0].text, mine[0].format) if mine else ("", "plain")


def incident_notes(archive: Archive, incident_id: int) -> list[NoteView]:
    """Every author's note on the incident, by author."""
    with archive.read() as connection:
        return stored.notes(connection, incident_id)


def save_note(archive: Archive, incident_id: int, text: str, fmt: str = "plain") -> None:
    """Save (or with empty text, remove) this user's note, and put it in the full-text
    index."""
    if fmt not in NOTE_FORMATS:
        raise ResearchError(f"unknown note format {fmt!r}; use plain or markdown")
    with archive.write() as connection:
        _body(connection, incident_id)
        stored.save_note(connection, incident_id, archive.user, text, fmt, utc_now())


# -- in the JSON export ------------------------------------------------------------------------


def research_dict(archive: Archive, incident_id: int) -> dict[str, object]:
    """The researcher's data on one incident, in the export contract's shape."""
    return research_dicts(archive, [incident_id])[incident_id]


def research_dicts(archive: Archive, incident_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The researcher's data on each of these incidents, in the export contract's shape:
    four queries on one connection for all of them (an export asks for a chunk at a time)."""
    with archive.read() as connection:
        tags = stored.tags_of_incidents(connection, incident_ids)
        marks = stored.bookmarks(connection, incident_ids=incident_ids)
        notes = stored.notes_of_incidents(connection, incident_ids)
        which = AnnotationFilter(incident_ids=incident_ids)
        annotations = [_view(record) for record in stored.annotation_records(connection, which)]
    found: dict[int, dict[str, Any]] = {
        incident_id: {
            "tags": [tag.name for tag in tags.get(incident_id, [])],
            "bookmarks": [],
            "notes": [
                {"text": n.text, "format": n.format, "author": n.author,
                 "modified": n.modified_at}
                for n in notes.get(incident_id, [])
            ],
            "annotations": [],
        }
        for incident_id in incident_ids
    }  # fmt: skip
    for b in marks:
        found[b.incident_id]["bookmarks"].append(
            {"id": b.id, "label": b.label, "start": b.start, "quote": b.quote,
             "orphaned": b.orphaned, "created": b.created_at, "author": b.author}
        )  # fmt: skip
    for a in annotations:
        found[a.incident_id]["annotations"].append(
            {"id": a.uuid, "quote": a.quote, "prefix": a.prefix, "suffix": a.suffix,
             "start": a.start, "end": a.end, "color": a.color, "note": a.note, "tags": a.tags,
             "orphaned": a.orphaned, "created": a.created, "modified": a.modified,
             "author": a.author}
        )  # fmt: skip
    return found


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
    with archive.write() as connection:
        for item in items:
            found = stored.incident_by_title_key(connection, _title_key(item.incident_title))
            if found is None:
                report.problems.append(
                    f"annotation {item.uuid}: no article titled {item.incident_title!r} here"
                )
                continue
            incident_id, body = found
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
            values: dict[str, object] = {
                "incident_id": incident_id, "quote": anchor.quote, "prefix": anchor.prefix,
                "suffix": anchor.suffix, "start": anchor.start, "end": anchor.end,
                "color": item.color if item.color in ANNOTATION_COLORS else DEFAULT_COLOR,
                "note": item.note or None, "orphaned": orphaned,
                "anchored_by": None if orphaned else placed.method,
                "created_at": item.created, "modified_at": item.modified,
            }  # fmt: skip
            annotation_id = stored.annotation_by_uuid(connection, item.uuid)
            if annotation_id is None:
                # the W3C creator stays the author on a personal archive; on a team archive
                # the server makes everyone the author of what they write
                author = item.creator if item.creator and not archive.is_team else archive.user
                annotation_id = stored.insert_annotation(
                    connection, {**values, "uuid": item.uuid, "author": author}
                )
                report.added += 1
            else:
                stored.update_annotation(connection, annotation_id, values)
                report.updated += 1
            stored.set_annotation_tags(connection, annotation_id, _tag_ids(connection, item.tags))
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
    with archive.read() as connection:
        row = stored.tag_row(connection, tag_key(name))
        if row is None:
            return None
        incidents, annotations = stored.tag_links(connection, row[0])
    return TagSnapshot(row, incidents, annotations)


def restore_tag_snapshot(archive: Archive, snapshot: TagSnapshot) -> None:
    """Put a tag back exactly as it was: its name, colour and links (only those)."""
    with archive.write() as connection:
        stored.restore_tag(connection, snapshot.row, snapshot.incident_ids, snapshot.annotation_ids)


def drop_tag(archive: Archive, name: str) -> None:
    with archive.write() as connection:
        stored.drop_tag(connection, tag_key(name))
