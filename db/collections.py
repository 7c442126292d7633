"""Collections (sets of incidents the researcher put together) and saved searches (a query
and its filters under a name): their statements, in SQLAlchemy Core for both engines.

Like tags they are shared on a team archive: any editor may change them, and a rename names
the version it started from (migration 0011) so that two renames at once do not overwrite
each other silently. What may be changed and how names fold is decided by
viewer/services/collections.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, delete, func, insert, select, update

from db.incident_table import IncidentScope, matching_condition
from db.models import Collection, Incident, SavedSearch, collection_items


@dataclass(frozen=True)
class CollectionRow:
    id: int
    name: str
    count: int
    version: int


@dataclass(frozen=True)
class CollectionSnapshot:
    """A whole collection as it was, so that undoing its deletion puts it back exactly."""

    id: int
    name: str
    name_key: str
    created_at: str
    items: tuple[tuple[int, str], ...] = field(default=())  # (incident id, added at)


@dataclass(frozen=True)
class SavedSearchRow:
    id: int
    name: str
    name_key: str
    query: str
    filters: str  # JSON
    created_at: str
    version: int


def collections_with_counts(db: Connection) -> list[CollectionRow]:
    """Every collection with how many incidents it holds, by name (counted from the items'
    primary key, which starts with the collection)."""
    counts = (
        select(collection_items.c.collection_id, func.count().label("n"))
        .group_by(collection_items.c.collection_id)
        .subquery()
    )
    rows = db.execute(
        select(Collection.id, Collection.name, func.coalesce(counts.c.n, 0), Collection.version)
        .outerjoin(counts, counts.c.collection_id == Collection.id)
        .order_by(Collection.name_key)
    )
    return [CollectionRow(int(r[0]), str(r[1]), int(r[2]), int(r[3])) for r in rows]


def collection_by_key(db: Connection, name_key: str) -> CollectionRow | None:
    row = db.execute(
        select(Collection.id, Collection.name, Collection.version).where(
            Collection.name_key == name_key
        )
    ).first()
    if row is None:
        return None
    count = db.scalar(
        select(func.count())
        .select_from(collection_items)
        .where(collection_items.c.collection_id == row[0])
    )
    return CollectionRow(int(row[0]), str(row[1]), int(count or 0), int(row[2]))


def create_collection(db: Connection, name: str, name_key: str, created_at: str) -> int:
    return int(
        db.execute(
            insert(Collection)
            .values(name=name, name_key=name_key, created_at=created_at, version=1)
            .returning(Collection.id)
        ).scalar_one()
    )


def existing_incidents(db: Connection, incident_ids: Sequence[int]) -> set[int]:
    wanted = sorted(set(incident_ids))
    if not wanted:
        return set()
    return set(db.scalars(select(Incident.id).where(Incident.id.in_(wanted))))


def add_items(
    db: Connection, collection_id: int, incident_ids: Sequence[int], added_at: str
) -> list[int]:
    """Put incidents in a collection; returns those that were not in it yet."""
    wanted = list(dict.fromkeys(incident_ids))
    if not wanted:
        return []
    present = set(
        db.scalars(
            select(collection_items.c.incident_id).where(
                collection_items.c.collection_id == collection_id,
                collection_items.c.incident_id.in_(wanted),
            )
        )
    )
    new = [incident for incident in wanted if incident not in present]
    if new:
        db.execute(
            insert(collection_items),
            [{"collection_id": collection_id, "incident_id": i, "added_at": added_at} for i in new],
        )
    return new


def restore_items(db: Connection, collection_id: int, items: Sequence[tuple[int, str]]) -> None:
    """Put back items as they were (their incident and when it was added)."""
    present = set(
        db.scalars(
            select(collection_items.c.incident_id).where(
                collection_items.c.collection_id == collection_id
            )
        )
    )
    rows = [
        {"collection_id": collection_id, "incident_id": incident, "added_at": added_at}
        for incident, added_at in items
        if incident not in present
    ]
    if rows:
        db.execute(insert(collection_items), rows)


def remove_items(
    db: Connection, collection_id: int, incident_ids: Sequence[int]
) -> list[tuple[int, str]]:
    """Take incidents out of a collection; returns (incident id, added at) of those that
    were in it (for undo)."""
    wanted = sorted(set(incident_ids))
    if not wanted:
        return []
    where = (
        collection_items.c.collection_id == collection_id,
        collection_items.c.incident_id.in_(wanted),
    )
    removed = [
        (int(r[0]), str(r[1]))
        for r in db.execute(
            select(collection_items.c.incident_id, collection_items.c.added_at).where(*where)
        )
    ]
    if removed:
        db.execute(delete(collection_items).where(*where))
    return removed


def rename_collection(
    db: Connection, collection_id: int, name: str, name_key: str, expected_version: int | None
) -> int | None:
    """Rename; returns the new version, or None when the collection is gone or another
    change came first (its version is no longer the expected one)."""
    conditions = [Collection.id == collection_id]
    if expected_version is not None:
        conditions.append(Collection.version == expected_version)
    row = db.execute(
        update(Collection)
        .where(*conditions)
        .values(name=name, name_key=name_key, version=Collection.version + 1)
        .returning(Collection.version)
    ).first()
    return int(row[0]) if row is not None else None


def delete_collection(db: Connection, collection_id: int) -> CollectionSnapshot | None:
    row = db.execute(
        select(Collection.id, Collection.name, Collection.name_key, Collection.created_at).where(
            Collection.id == collection_id
        )
    ).first()
    if row is None:
        return None
    items = tuple(
        (int(r[0]), str(r[1]))
        for r in db.execute(
            select(collection_items.c.incident_id, collection_items.c.added_at)
            .where(collection_items.c.collection_id == collection_id)
            .order_by(collection_items.c.incident_id)
        )
    )
    db.execute(delete(collection_items).where(collection_items.c.collection_id == collection_id))
    db.execute(delete(Collection).where(Collection.id == collection_id))
    return CollectionSnapshot(int(row[0]), str(row[1]), str(row[2]), str(row[3]), items)


def restore_collection(db: Connection, snapshot: CollectionSnapshot) -> None:
    """The collection back with its id, name and items (undo of a deletion)."""
    db.execute(
        insert(Collection).values(
            id=snapshot.id, name=snapshot.name, name_key=snapshot.name_key,
            created_at=snapshot.created_at, version=1,
        )
    )  # fmt: skip
    restore_items(db, snapshot.id, snapshot.items)


def collection_incidents(db: Connection, collection_id: int) -> list[int]:
    return [
        int(i)
        for i in db.scalars(
            select(collection_items.c.incident_id)
            .where(collection_items.c.collection_id == collection_id)
            .order_by(collection_items.c.incident_id)
        )
    ]


# -- saved searches ---------------------------------------------------------------------------

_SAVED = (
    SavedSearch.id, SavedSearch.name, SavedSearch.name_key, SavedSearch.query,
    SavedSearch.filters, SavedSearch.created_at, SavedSearch.version,
)  # fmt: skip


def _saved(row: Sequence[object]) -> SavedSearchRow:
    return SavedSearchRow(
        int(str(row[0])), str(row[1]), str(row[2]), str(row[3]), str(row[4]), str(row[5]),
        int(str(row[6])),
    )  # fmt: skip


def saved_searches(db: Connection) -> list[SavedSearchRow]:
    return [_saved(r) for r in db.execute(select(*_SAVED).order_by(SavedSearch.name_key))]


def saved_search_by_key(db: Connection, name_key: str) -> SavedSearchRow | None:
    row = db.execute(select(*_SAVED).where(SavedSearch.name_key == name_key)).first()
    return _saved(row) if row is not None else None


def put_saved_search(db: Connection, row: SavedSearchRow) -> int:
    """Write a saved search: a new one (row.id 0), or the same id again (undo of a delete,
    or replacing one of the same name)."""
    values = {
        "name": row.name, "name_key": row.name_key, "query": row.query,
        "filters": row.filters, "created_at": row.created_at,
    }  # fmt: skip
    if row.id and db.scalar(select(SavedSearch.id).where(SavedSearch.id == row.id)) is not None:
        db.execute(
            update(SavedSearch)
            .where(SavedSearch.id == row.id)
            .values(**values, version=SavedSearch.version + 1)
        )
        return row.id
    if row.id:
        values["id"] = row.id  # type: ignore[assignment]
    return int(
        db.execute(insert(SavedSearch).values(**values).returning(SavedSearch.id)).scalar_one()
    )


def delete_saved_search(db: Connection, search_id: int) -> SavedSearchRow | None:
    row = db.execute(select(*_SAVED).where(SavedSearch.id == search_id)).first()
    if row is None:
        return None
    db.execute(delete(SavedSearch).where(SavedSearch.id == search_id))
    return _saved(row)


# -- scopes -----------------------------------------------------------------------------------


def scope_count(db: Connection, scope: IncidentScope) -> int:
    """How many incidents a scope holds (a collection, a saved search, a tag...)."""
    return int(
        db.scalar(select(func.count()).select_from(Incident).where(matching_condition(scope))) or 0
    )


def scope_ids(db: Connection, scope: IncidentScope) -> list[int]:
    return [
        int(i)
        for i in db.scalars(
            select(Incident.id).where(matching_condition(scope)).order_by(Incident.id)
        )
    ]
