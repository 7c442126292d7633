"""Collections and saved searches: a research question as a set of incidents, or as a query
that finds them; and the scopes (a collection, a saved search, a tag, a query) that the
incident table, the timeline, the reactions view, exports and charts are narrowed to.

Names fold as tags do (case and spacing): "Mastung" and "mastung " are one collection. Every
change is one transaction and returns what undo needs."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, fields

from db import Archive
from db import collections as stored
from db.collections import CollectionRow, CollectionSnapshot, SavedSearchRow
from db.incident_table import IncidentScope
from db.queries import SearchFilters
from db.search_grammar import SearchQueryError, to_fts_query
from db.store import utc_now
from viewer.services import catalog
from viewer.services.research import ResearchError, tag_key

__all__ = [
    "CollectionError",
    "CollectionRow",
    "CollectionSnapshot",
    "SavedSearchView",
    "add_to_collection",
    "collection_scope",
    "collections_with_counts",
    "delete_collection",
    "delete_saved_search",
    "query_scope",
    "remove_from_collection",
    "rename_collection",
    "resolve_references",
    "restore_collection",
    "restore_saved_search",
    "save_search",
    "saved_search_scope",
    "saved_searches",
    "scope_ids",
    "tag_scope",
    "undo_add",
]

_FILTER_FIELDS = ("date_from", "date_to", "perpetrator", "type", "place", "country")


class CollectionError(ResearchError):
    """A collection or saved search that cannot be found or changed as asked (one line)."""


def _name(name: str) -> tuple[str, str]:
    shown = " ".join(name.split())
    if not shown:
        raise CollectionError("a collection needs a name")
    if len(shown) > 200:
        raise CollectionError(f"the name {shown[:40]!r}… is too long (200 characters at most)")
    return shown, tag_key(shown)


# -- collections -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AddOutcome:
    """What an addition did, for undo: the collection (made for it or not) and the incidents
    that were not in it before."""

    collection_id: int
    name: str
    created: bool
    added: tuple[int, ...]
    unknown: tuple[int, ...] = ()


def collections_with_counts(archive: Archive) -> list[CollectionRow]:
    with archive.read() as connection:
        return stored.collections_with_counts(connection)


def find_collection(archive: Archive, name: str) -> CollectionRow:
    _shown, key = _name(name)
    with archive.read() as connection:
        found = stored.collection_by_key(connection, key)
    if found is None:
        raise CollectionError(f"no collection named {' '.join(name.split())!r}")
    return found


def add_to_collection(archive: Archive, name: str, incident_ids: Sequence[int]) -> AddOutcome:
    """Put incidents in the named collection, making it when it is new (ids not archived
    are left out and named in the outcome)."""
    shown, key = _name(name)
    now = utc_now()
    with archive.write() as connection:
        known = stored.existing_incidents(connection, incident_ids)
        unknown = tuple(i for i in dict.fromkeys(incident_ids) if i not in known)
        found = stored.collection_by_key(connection, key)
        created = found is None
        collection_id = (
            stored.create_collection(connection, shown, key, now) if found is None else found.id
        )
        wanted = [i for i in incident_ids if i in known]
        added = stored.add_items(connection, collection_id, wanted, now)
    return AddOutcome(collection_id, found.name if found else shown, created, tuple(added), unknown)


def undo_add(archive: Archive, outcome: AddOutcome) -> None:
    """Take back an addition: the incidents it added, and the collection if it made it."""
    with archive.write() as connection:
        stored.remove_items(connection, outcome.collection_id, outcome.added)
        if outcome.created:
            stored.delete_collection(connection, outcome.collection_id)


def redo_add(archive: Archive, outcome: AddOutcome) -> None:
    """Do an addition again after its undo (the same collection id, the same incidents)."""
    with archive.write() as connection:
        if outcome.created:
            key = tag_key(outcome.name)
            stored.restore_collection(
                connection, CollectionSnapshot(outcome.collection_id, outcome.name, key, utc_now())
            )
        stored.add_items(connection, outcome.collection_id, outcome.added, utc_now())


def remove_from_collection(
    archive: Archive, name: str, incident_ids: Sequence[int]
) -> tuple[int, list[tuple[int, str]]]:
    """Take incidents out of a collection: (its id, what was removed, for undo)."""
    collection = find_collection(archive, name)
    with archive.write() as connection:
        return collection.id, stored.remove_items(connection, collection.id, incident_ids)


def restore_items(archive: Archive, collection_id: int, items: Sequence[tuple[int, str]]) -> None:
    with archive.write() as connection:
        stored.restore_items(connection, collection_id, items)


def rename_collection(
    archive: Archive, collection_id: int, new_name: str, expected_version: int | None = None
) -> tuple[str, int]:
    """Rename a collection; returns its previous name and its new version. Refused when the
    name is another collection's, or when someone else changed it since expected_version."""
    shown, key = _name(new_name)
    with archive.write() as connection:
        other = stored.collection_by_key(connection, key)
        if other is not None and other.id != collection_id:
            raise CollectionError(f"there is already a collection named {other.name!r}")
        rows = {row.id: row for row in stored.collections_with_counts(connection)}
        if collection_id not in rows:
            raise CollectionError("the collection is no longer there")
        version = stored.rename_collection(connection, collection_id, shown, key, expected_version)
        if version is None:
            raise CollectionError(
                f"“{rows[collection_id].name}” was changed meanwhile (by someone else); "
                "see its new name and try again"
            )
    return rows[collection_id].name, version


def delete_collection(archive: Archive, collection_id: int) -> CollectionSnapshot:
    with archive.write() as connection:
        snapshot = stored.delete_collection(connection, collection_id)
    if snapshot is None:
        raise CollectionError("the collection is no longer there")
    return snapshot


def restore_collection(archive: Archive, snapshot: CollectionSnapshot) -> None:
    with archive.write() as connection:
        stored.restore_collection(connection, snapshot)


def collection_ids(archive: Archive, collection_id: int) -> list[int]:
    with archive.read() as connection:
        return stored.collection_incidents(connection, collection_id)


# -- saved searches ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SavedSearchView:
    id: int
    name: str
    query: str
    filters: SearchFilters
    count: int | None  # None: not counted (or the query can no longer be read)
    version: int = 1

    def describe(self) -> str:
        """The query and its filters in words (a tooltip, the CLI)."""
        parts = [self.query] if self.query.strip() else []
        for name in _FILTER_FIELDS:
            value = getattr(self.filters, name)
            if value:
                parts.append(f"{name.replace('_', ' ')}: {value}")
        return "; ".join(parts) or "everything"


def filters_json(filters: SearchFilters | None) -> str:
    """The text fields of the filters as a JSON object (a filter by ids is not saved: it
    stands for a selection of the moment)."""
    values = {name: getattr(filters, name) for name in _FILTER_FIELDS} if filters else {}
    return json.dumps({k: v for k, v in values.items() if v}, ensure_ascii=False, sort_keys=True)


def filters_from_json(text: str) -> SearchFilters:
    try:
        values = json.loads(text or "{}")
    except ValueError:
        values = {}
    known = {f.name for f in fields(SearchFilters)} & set(_FILTER_FIELDS)
    if not isinstance(values, dict):
        values = {}
    chosen: dict[str, str] = {k: str(v) for k, v in values.items() if k in known and v}
    return SearchFilters(**chosen)  # type: ignore[arg-type]  # text fields only


def _view(row: SavedSearchRow, count: int | None) -> SavedSearchView:
    return SavedSearchView(
        row.id, row.name, row.query, filters_from_json(row.filters), count, row.version
    )


def saved_search_scope(view: SavedSearchView) -> IncidentScope:
    """What a saved search finds now (its query read as the search field reads it)."""
    fts = to_fts_query(view.query) if view.query.strip() else None
    filters = None if view.filters.empty else view.filters
    if fts is None and filters is None:
        return IncidentScope()
    return IncidentScope(fts_query=fts, filters=filters)


def saved_searches(archive: Archive, *, counted: bool = True) -> list[SavedSearchView]:
    """Every saved search, by name, with how many incidents it finds now."""
    with archive.read() as connection:
        rows = stored.saved_searches(connection)
        views = []
        for row in rows:
            view = _view(row, None)
            if counted:
                with contextlib.suppress(SearchQueryError):  # a query this version cannot read
                    view = _view(row, stored.scope_count(connection, saved_search_scope(view)))
            views.append(view)
    return views


def find_saved_search(archive: Archive, name: str) -> SavedSearchView:
    _shown, key = _name(name)
    with archive.read() as connection:
        row = stored.saved_search_by_key(connection, key)
    if row is None:
        raise CollectionError(f"no saved search named {' '.join(name.split())!r}")
    return _view(row, None)


def save_search(
    archive: Archive, name: str, query: str, filters: SearchFilters | None
) -> tuple[SavedSearchRow | None, int]:
    """Save a query and its filters under a name (replacing one of that name); returns the
    search it replaced (for undo) and the new one's id. A query that cannot be searched is
    refused here, not when the saved search is used."""
    shown, key = _name(name)
    if query.strip():
        try:
            to_fts_query(query)
        except SearchQueryError as exc:
            raise CollectionError(f"cannot save the search {query!r}: {exc}") from exc
    if not query.strip() and (filters is None or filters.empty):
        raise CollectionError("a saved search needs a query or a filter")
    with archive.write() as connection:
        previous = stored.saved_search_by_key(connection, key)
        row = SavedSearchRow(
            previous.id if previous else 0, shown, key, query.strip(), filters_json(filters),
            utc_now(), 1,
        )  # fmt: skip
        return previous, stored.put_saved_search(connection, row)


def delete_saved_search(archive: Archive, search_id: int) -> SavedSearchRow:
    with archive.write() as connection:
        row = stored.delete_saved_search(connection, search_id)
    if row is None:
        raise CollectionError("the saved search is no longer there")
    return row


def restore_saved_search(archive: Archive, row: SavedSearchRow) -> None:
    with archive.write() as connection:
        stored.put_saved_search(connection, row)


# -- scopes ----------------------------------------------------------------------------------------


def collection_scope(archive: Archive, name: str) -> IncidentScope:
    return IncidentScope(collection_id=find_collection(archive, name).id)


def tag_scope(name: str) -> IncidentScope:
    if not name.strip():
        raise CollectionError("a tag needs a name")
    return IncidentScope(tag_key=tag_key(name))


def query_scope(query: str) -> IncidentScope:
    """What a full-text query finds (raises SearchQueryError for one that cannot be read)."""
    return IncidentScope(fts_query=to_fts_query(query))


def scope_ids(archive: Archive, scope: IncidentScope) -> list[int]:
    with archive.read() as connection:
        return stored.scope_ids(connection, scope)


def scope_count(archive: Archive, scope: IncidentScope) -> int:
    with archive.read() as connection:
        return stored.scope_count(connection, scope)


def resolve_references(archive: Archive, references: Sequence[str]) -> tuple[list[int], list[str]]:
    """The incident ids of ID|TITLE references, and a line for each that names none."""
    ids: list[int] = []
    problems: list[str] = []
    for reference in references:
        try:
            ids.append(catalog.find_incident(archive, reference).id)
        except catalog.IncidentNotFound as exc:
            problems.append(str(exc))
    return ids, problems
