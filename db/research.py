"""The researcher's layer in the archive: the statements on tags, annotations, bookmarks and
notes. Each function runs on a connection the caller holds (one transaction per change, begun
by Archive.write()); what may be changed and how is decided by viewer/services/research.py."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    union,
    update,
)

from db import fts
from db.dialects import insert_missing, insert_missing_from, upsert
from db.models import (
    Annotation,
    Bookmark,
    Incident,
    Note,
    Tag,
    annotation_tags,
    incident_tags,
)
from db.queries import LIKE_ESCAPE, like_contains
from db.store import new_id, table_of


@dataclass
class AnnotationRecord:
    """An annotation as the archive holds it (the services show it as an AnnotationView)."""

    id: int
    uuid: str
    incident_id: int
    incident_title: str
    quote: str
    prefix: str
    suffix: str
    start: int
    end: int
    color: str
    note: str | None
    tags: list[str]
    orphaned: bool
    anchored_by: str | None
    created: str
    modified: str
    author: str = ""
    version: int = 1


@dataclass
class NoteView:
    """One author's note on an incident."""

    incident_id: int
    author: str
    text: str
    format: str
    modified_at: str
    version: int = 1


@dataclass
class TagView:
    id: int
    name: str
    color: str
    incidents: int = 0
    annotations: int = 0
    version: int = 1  # raised by every change of the tag (rename, merge, colour, undo)


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
    author: str = ""


_ANNOTATIONS = table_of(Annotation)
_BOOKMARKS = table_of(Bookmark)
_TAGS = table_of(Tag)
_NOTES = table_of(Note)


def incident_text(db: Connection, incident_id: int) -> tuple[str, str] | None:
    """(title, body) of an incident, or None when there is no such incident."""
    row = db.execute(
        select(Incident.title, Incident.body).where(Incident.id == incident_id)
    ).first()
    return (row[0], row[1]) if row else None


def incident_by_title_key(db: Connection, title_key: str) -> tuple[int, str] | None:
    """(id, body) of the incident with this folded title, or None."""
    row = db.execute(
        select(Incident.id, Incident.body).where(Incident.title_key == title_key)
    ).first()
    return (row[0], row[1]) if row else None


# -- tags --------------------------------------------------------------------------------------


def tag_id(db: Connection, key: str) -> int | None:
    return db.execute(select(Tag.id).where(Tag.name_key == key)).scalar_one_or_none()


def tag_count(db: Connection) -> int:
    return int(db.execute(select(func.count()).select_from(_TAGS)).scalar_one())


def insert_tag(db: Connection, name: str, key: str, color: str, now: str) -> int:
    """The id of the tag with this key, made now unless someone made it meanwhile (two
    editors tagging with a new name at once both get the one tag)."""
    insert_missing(db, _TAGS, [{"name": name, "name_key": key, "color": color, "created_at": now}])
    return int(db.execute(select(Tag.id).where(Tag.name_key == key)).scalar_one())


def tag_name(db: Connection, tag: int) -> str:
    return str(db.execute(select(Tag.name).where(Tag.id == tag)).scalar_one())


def link_incident_tag(db: Connection, incident_id: int, tag: int) -> bool:
    """Tag an incident; False when it already had the tag."""
    return insert_missing(db, incident_tags, [{"incident_id": incident_id, "tag_id": tag}]) > 0


def incident_tag(db: Connection, incident_id: int, key: str) -> tuple[int, str] | None:
    """(tag id, name) of the incident's tag with this key, or None."""
    row = db.execute(
        select(Tag.id, Tag.name)
        .join(incident_tags, incident_tags.c.tag_id == Tag.id)
        .where(incident_tags.c.incident_id == incident_id, Tag.name_key == key)
    ).first()
    return (row[0], row[1]) if row else None


def unlink_incident_tag(db: Connection, incident_id: int, tag: int) -> None:
    db.execute(
        delete(incident_tags).where(
            incident_tags.c.incident_id == incident_id, incident_tags.c.tag_id == tag
        )
    )


def tags_of_incident(db: Connection, incident_id: int) -> list[TagView]:
    rows = db.execute(
        select(Tag.id, Tag.name, Tag.color, Tag.version)
        .join(incident_tags, incident_tags.c.tag_id == Tag.id)
        .where(incident_tags.c.incident_id == incident_id)
        .order_by(Tag.name_key)
    )
    return [TagView(row[0], row[1], row[2], version=row[3]) for row in rows]


def tags_of_incidents(db: Connection, incident_ids: Sequence[int]) -> dict[int, list[TagView]]:
    """The tags of each of these incidents (as tags_of_incident), in one query."""
    found: dict[int, list[TagView]] = {}
    rows = db.execute(
        select(incident_tags.c.incident_id, Tag.id, Tag.name, Tag.color, Tag.version)
        .join(incident_tags, incident_tags.c.tag_id == Tag.id)
        .where(incident_tags.c.incident_id.in_(list(incident_ids)))
        .order_by(Tag.name_key)
    )
    for row in rows:
        found.setdefault(row[0], []).append(TagView(row[1], row[2], row[3], version=row[4]))
    return found


def tags_with_counts(db: Connection) -> list[TagView]:
    incidents = (
        select(func.count())
        .select_from(incident_tags)
        .where(incident_tags.c.tag_id == Tag.id)
        .scalar_subquery()
    )
    annotations = (
        select(func.count())
        .select_from(annotation_tags)
        .where(annotation_tags.c.tag_id == Tag.id)
        .scalar_subquery()
    )
    rows = db.execute(
        select(Tag.id, Tag.name, Tag.color, incidents, annotations, Tag.version).order_by(
            Tag.name_key
        )
    )
    return [TagView(*row) for row in rows]


def tag_color(db: Connection, tag: int) -> str | None:
    return db.execute(select(Tag.color).where(Tag.id == tag)).scalar_one_or_none()


def tag_version(db: Connection, tag: int) -> int | None:
    return db.execute(select(Tag.version).where(Tag.id == tag)).scalar_one_or_none()


def _change_tag(db: Connection, tag: int, expected_version: int | None, **values: object) -> bool:
    """Change a tag's row and raise its version; with expected_version, only if nobody
    changed the tag since that version was read (False then, or when the tag is gone:
    nothing was written). On PostgreSQL a second writer waits for the first's row lock and
    then finds the version moved on."""
    change = update(_TAGS).where(_TAGS.c.id == tag)
    if expected_version is not None:
        change = change.where(_TAGS.c.version == expected_version)
    return db.execute(change.values(**values, version=_TAGS.c.version + 1)).rowcount == 1


def set_tag_color(
    db: Connection, tag: int, color: str, expected_version: int | None = None
) -> bool:
    return _change_tag(db, tag, expected_version, color=color)


def rename_tag(
    db: Connection, tag: int, name: str, key: str, expected_version: int | None = None
) -> bool:
    return _change_tag(db, tag, expected_version, name=name, name_key=key)


def claim_tag(db: Connection, tag: int, expected_version: int | None) -> bool:
    """Take the tag for a change that ends it (a merge): its version raised, so that any
    other change started from the same version fails."""
    return _change_tag(db, tag, expected_version)


def merge_tag(db: Connection, source: int, target: int) -> None:
    """Give everything tagged source the tag target, then drop source."""
    for table, owner in ((incident_tags, "incident_id"), (annotation_tags, "annotation_id")):
        insert_missing_from(
            db,
            table,
            [owner, "tag_id"],
            select(table.c[owner], literal(target)).where(table.c.tag_id == source),
        )
    db.execute(delete(_TAGS).where(_TAGS.c.id == source))


def tagged_incidents(db: Connection, key: str) -> frozenset[int]:
    """Incidents with the tag, or with an annotation that has it."""
    direct = (
        select(incident_tags.c.incident_id)
        .join(Tag, Tag.id == incident_tags.c.tag_id)
        .where(Tag.name_key == key)
    )
    through_annotations = (
        select(Annotation.incident_id)
        .join(annotation_tags, annotation_tags.c.annotation_id == Annotation.id)
        .join(Tag, Tag.id == annotation_tags.c.tag_id)
        .where(Tag.name_key == key)
    )
    return frozenset(db.execute(union(direct, through_annotations)).scalars())


def tag_row(db: Connection, key: str) -> tuple[int, str, str, str, str] | None:
    """(id, name, name_key, color, created_at) of a tag, or None."""
    row = db.execute(
        select(Tag.id, Tag.name, Tag.name_key, Tag.color, Tag.created_at).where(Tag.name_key == key)
    ).first()
    return (row[0], row[1], row[2], row[3], row[4]) if row else None


def tag_links(db: Connection, tag: int) -> tuple[list[int], list[int]]:
    """The incidents and the annotations that have the tag."""
    incidents = db.execute(
        select(incident_tags.c.incident_id).where(incident_tags.c.tag_id == tag)
    ).scalars()
    annotations = db.execute(
        select(annotation_tags.c.annotation_id).where(annotation_tags.c.tag_id == tag)
    ).scalars()
    return list(incidents), list(annotations)


def restore_tag(
    db: Connection,
    row: tuple[object, ...],
    incident_ids: Sequence[int],
    annotation_ids: Sequence[int],
) -> None:
    """Put a tag back exactly as it was: its name, colour and links (only those); a tag
    that took its name meanwhile (renamed onto it) gives the name back."""
    tag, name, key, color, created = row
    db.execute(delete(_TAGS).where(_TAGS.c.name_key == key, _TAGS.c.id != tag))
    upsert(
        db,
        _TAGS,
        {"id": tag, "name": name, "name_key": key, "color": color, "created_at": created},
        key=["id"],
        changing=["name", "name_key", "color"],
    )
    # putting it back is a change too: its version moves on
    db.execute(update(_TAGS).where(_TAGS.c.id == tag).values(version=_TAGS.c.version + 1))
    db.execute(delete(incident_tags).where(incident_tags.c.tag_id == tag))
    db.execute(delete(annotation_tags).where(annotation_tags.c.tag_id == tag))
    insert_missing(db, incident_tags, [{"incident_id": i, "tag_id": tag} for i in incident_ids])
    alive = db.execute(select(Annotation.id).where(Annotation.id.in_(annotation_ids))).scalars()
    insert_missing(db, annotation_tags, [{"annotation_id": a, "tag_id": tag} for a in alive])


def drop_tag(db: Connection, key: str) -> None:
    db.execute(delete(_TAGS).where(_TAGS.c.name_key == key))


# -- annotations -------------------------------------------------------------------------------


@dataclass
class AnnotationFilter:
    """Which annotations to list; every given condition must hold."""

    ids: Sequence[int] | None = None
    incident_id: int | None = None
    incident_ids: Sequence[int] | None = None
    color: str | None = None
    tag_key: str | None = None
    text: str | None = None
    orphaned: bool | None = None
    author: str | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.ids is not None:
            found.append(Annotation.id.in_(list(self.ids)))
        if self.incident_id is not None:
            found.append(Annotation.incident_id == self.incident_id)
        if self.incident_ids is not None:
            found.append(Annotation.incident_id.in_(list(self.incident_ids)))
        if self.color:
            found.append(Annotation.color == self.color)
        if self.author is not None:
            found.append(Annotation.author == self.author)
        if self.orphaned is not None:
            found.append(Annotation.orphaned == self.orphaned)
        if self.text:
            pattern = like_contains(self.text)
            found.append(
                or_(
                    *(
                        column.like(pattern, escape=LIKE_ESCAPE)
                        for column in (Annotation.quote, Annotation.note, Incident.title)
                    )
                )
            )
        if self.tag_key:
            found.append(
                Annotation.id.in_(
                    select(annotation_tags.c.annotation_id)
                    .join(Tag, Tag.id == annotation_tags.c.tag_id)
                    .where(Tag.name_key == self.tag_key)
                )
            )
        return found


def annotation_records(db: Connection, which: AnnotationFilter) -> list[AnnotationRecord]:
    rows = db.execute(
        select(
            Annotation.id, Annotation.uuid, Annotation.incident_id, Incident.title,
            Annotation.quote, Annotation.prefix, Annotation.suffix, Annotation.start,
            Annotation.end, Annotation.color, Annotation.note, Annotation.orphaned,
            Annotation.anchored_by, Annotation.created_at, Annotation.modified_at,
            Annotation.author, Annotation.version,
        )
        .join(Incident, Incident.id == Annotation.incident_id)
        .where(true(), *which.conditions())
        .order_by(Incident.title_key, Annotation.start, Annotation.id)
    ).all()  # fmt: skip
    tags: dict[int, list[str]] = {}
    if rows:
        for annotation_id, name in db.execute(
            select(annotation_tags.c.annotation_id, Tag.name)
            .join(Tag, Tag.id == annotation_tags.c.tag_id)
            .where(annotation_tags.c.annotation_id.in_([row[0] for row in rows]))
            .order_by(Tag.name_key)
        ):
            tags.setdefault(annotation_id, []).append(name)
    return [
        AnnotationRecord(
            id=row[0], uuid=row[1], incident_id=row[2], incident_title=row[3], quote=row[4],
            prefix=row[5], suffix=row[6], start=row[7], end=row[8], color=row[9], note=row[10],
            tags=tags.get(row[0], []), orphaned=bool(row[11]), anchored_by=row[12],
            created=row[13], modified=row[14], author=row[15], version=row[16],
        )
        for row in rows
    ]  # fmt: skip


def annotation_authors(db: Connection) -> list[str]:
    """Everyone who wrote an annotation in this archive, by name."""
    query = select(Annotation.author).distinct().order_by(Annotation.author)
    return [str(name) for name in db.execute(query).scalars()]


def annotation(db: Connection, annotation_id: int) -> AnnotationRecord:
    return annotation_records(db, AnnotationFilter(ids=[annotation_id]))[0]


def insert_annotation(db: Connection, values: dict[str, object]) -> int:
    result = db.execute(insert(_ANNOTATIONS).values(**values))
    return new_id(result)


def update_annotation(
    db: Connection,
    annotation_id: int,
    values: dict[str, object],
    expected_version: int | None = None,
) -> bool:
    """Change an annotation and raise its version; with expected_version, only if nobody
    changed it since that version was read (False then: nothing was written)."""
    change = update(_ANNOTATIONS).where(_ANNOTATIONS.c.id == annotation_id)
    if expected_version is not None:
        change = change.where(_ANNOTATIONS.c.version == expected_version)
    result = db.execute(change.values(**values, version=_ANNOTATIONS.c.version + 1))
    return bool(result.rowcount)


def annotation_incident(db: Connection, annotation_id: int) -> int | None:
    """The incident an annotation is on, or None when there is no such annotation."""
    return db.execute(
        select(Annotation.incident_id).where(Annotation.id == annotation_id)
    ).scalar_one_or_none()


def annotation_by_uuid(db: Connection, uuid: str) -> int | None:
    return db.execute(select(Annotation.id).where(Annotation.uuid == uuid)).scalar_one_or_none()


def set_annotation_tags(db: Connection, annotation_id: int, tag_ids: Iterable[int]) -> None:
    db.execute(delete(annotation_tags).where(annotation_tags.c.annotation_id == annotation_id))
    rows = [{"annotation_id": annotation_id, "tag_id": tag} for tag in tag_ids]
    if rows:
        db.execute(insert(annotation_tags), rows)


def annotation_row(
    db: Connection, annotation_id: int
) -> tuple[dict[str, object], list[int]] | None:
    """An annotation's whole row (by column name) and its tag ids: what restores it."""
    row = db.execute(select(_ANNOTATIONS).where(_ANNOTATIONS.c.id == annotation_id)).first()
    if row is None:
        return None
    tag_ids = db.execute(
        select(annotation_tags.c.tag_id).where(annotation_tags.c.annotation_id == annotation_id)
    ).scalars()
    return dict(row._mapping), list(tag_ids)


def delete_annotation(db: Connection, annotation_id: int) -> bool:
    """False when nothing was deleted: on a team archive, the row is another's (row-level
    security hides it from DELETE without an error)."""
    result = db.execute(delete(_ANNOTATIONS).where(_ANNOTATIONS.c.id == annotation_id))
    return bool(result.rowcount)


def restore_annotation(db: Connection, row: dict[str, object], tag_ids: Sequence[int]) -> None:
    db.execute(insert(_ANNOTATIONS).values(**row))
    alive = db.execute(select(Tag.id).where(Tag.id.in_(list(tag_ids)))).scalars()
    insert_missing(db, annotation_tags, [{"annotation_id": row["id"], "tag_id": t} for t in alive])


# -- bookmarks ---------------------------------------------------------------------------------


def insert_bookmark(db: Connection, values: dict[str, object]) -> int:
    result = db.execute(insert(_BOOKMARKS).values(**values))
    return new_id(result)


def bookmarks(
    db: Connection,
    *,
    bookmark_id: int | None = None,
    incident_id: int | None = None,
    incident_ids: Sequence[int] | None = None,
) -> list[BookmarkView]:
    conditions: list[ColumnElement[bool]] = []
    if bookmark_id is not None:
        conditions.append(Bookmark.id == bookmark_id)
    if incident_id is not None:
        conditions.append(Bookmark.incident_id == incident_id)
    if incident_ids is not None:
        conditions.append(Bookmark.incident_id.in_(list(incident_ids)))
    rows = db.execute(
        select(
            Bookmark.id, Bookmark.incident_id, Incident.title, Bookmark.label, Bookmark.start,
            Bookmark.quote, Bookmark.orphaned, Bookmark.created_at, Bookmark.author,
        )
        .join(Incident, Incident.id == Bookmark.incident_id)
        .where(and_(true(), *conditions))
        .order_by(Bookmark.created_at.desc(), Bookmark.id.desc())
    )  # fmt: skip
    return [BookmarkView(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7], r[8]) for r in rows]


def bookmark_row(db: Connection, bookmark_id: int) -> dict[str, object] | None:
    row = db.execute(select(_BOOKMARKS).where(_BOOKMARKS.c.id == bookmark_id)).first()
    return dict(row._mapping) if row else None


def delete_bookmark(db: Connection, bookmark_id: int) -> bool:
    """False when nothing was deleted (another's bookmark on a team archive)."""
    result = db.execute(delete(_BOOKMARKS).where(_BOOKMARKS.c.id == bookmark_id))
    return bool(result.rowcount)


def restore_bookmark(db: Connection, row: dict[str, object]) -> None:
    db.execute(insert(_BOOKMARKS).values(**row))


def set_bookmark_label(db: Connection, bookmark_id: int, label: str) -> bool:
    result = db.execute(
        update(_BOOKMARKS).where(_BOOKMARKS.c.id == bookmark_id).values(label=label)
    )
    return bool(result.rowcount)


# -- notes -------------------------------------------------------------------------------------


_NOTE_COLUMNS = (
    Note.incident_id, Note.author, Note.text, Note.format, Note.modified_at, Note.version,
)  # fmt: skip


def notes(db: Connection, incident_id: int, author: str | None = None) -> list[NoteView]:
    """The incident's notes (one author's, when given), by author."""
    query = select(*_NOTE_COLUMNS).where(Note.incident_id == incident_id)
    if author is not None:
        query = query.where(Note.author == author)
    return [NoteView(*row) for row in db.execute(query.order_by(Note.author))]


def notes_of_incidents(db: Connection, incident_ids: Sequence[int]) -> dict[int, list[NoteView]]:
    """Each of these incidents' notes (as notes), in one query."""
    found: dict[int, list[NoteView]] = {}
    query = select(*_NOTE_COLUMNS).where(Note.incident_id.in_(list(incident_ids)))
    for row in db.execute(query.order_by(Note.author)):
        found.setdefault(row[0], []).append(NoteView(*row))
    return found


def save_note(db: Connection, incident_id: int, author: str, text: str, fmt: str, now: str) -> None:
    """Write (or with blank text, remove) one author's note, and put all of the incident's
    notes in its full-text row."""
    mine = and_(_NOTES.c.incident_id == incident_id, _NOTES.c.author == author)
    if text.strip():
        changed = db.execute(
            update(_NOTES)
            .where(mine)
            .values(text=text, format=fmt, modified_at=now, version=_NOTES.c.version + 1)
        )
        if not changed.rowcount:
            db.execute(
                insert(_NOTES).values(
                    incident_id=incident_id, author=author, text=text, format=fmt,
                    modified_at=now, version=1,
                )
            )  # fmt: skip
    else:
        db.execute(delete(_NOTES).where(mine))
    fts.set_notes(db, incident_id, "\n\n".join(n.text for n in notes(db, incident_id)))


def has_incident(db: Connection, incident_id: int) -> bool:
    return bool(db.execute(select(exists().where(Incident.id == incident_id))).scalar())
