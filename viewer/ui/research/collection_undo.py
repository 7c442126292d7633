"""Undoable changes to collections and saved searches (one QUndoCommand each), pushed on
the window's undo stack like every other research change (research/undo.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from viewer.ui.deferred import deferred
from viewer.ui.research.undo import Change, ResearchEvents

if TYPE_CHECKING:
    from db import Archive
    from db.collections import CollectionSnapshot, SavedSearchRow
    from db.queries import SearchFilters
    from viewer.services import collections
else:
    collections = deferred("viewer.services.collections")


def _incidents(count: int) -> str:
    return f"{count} incident" if count == 1 else f"{count} incidents"


class AddToCollection(Change):
    """Put incidents in a collection (made when new); undo takes out only those it added,
    and the collection too when this made it."""

    def __init__(
        self, archive: Archive, events: ResearchEvents, name: str, incident_ids: Sequence[int]
    ) -> None:
        super().__init__(archive, events, f"Add {_incidents(len(incident_ids))} to {name}")
        self.name, self.incident_ids = name, list(incident_ids)
        self.outcome: collections.AddOutcome | None = None

    def apply(self) -> None:
        if self.outcome is None:
            self.outcome = collections.add_to_collection(self.archive, self.name, self.incident_ids)
        else:
            collections.redo_add(self.archive, self.outcome)
        self.events.collections_changed.emit()

    def undo(self) -> None:
        assert self.outcome is not None
        collections.undo_add(self.archive, self.outcome)
        self.events.collections_changed.emit()


class RemoveFromCollection(Change):
    def __init__(
        self, archive: Archive, events: ResearchEvents, name: str, incident_ids: Sequence[int]
    ) -> None:
        super().__init__(archive, events, f"Remove {_incidents(len(incident_ids))} from {name}")
        self.name, self.incident_ids = name, list(incident_ids)
        self.collection_id = 0
        self.removed: list[tuple[int, str]] = []

    def apply(self) -> None:
        self.collection_id, self.removed = collections.remove_from_collection(
            self.archive, self.name, self.incident_ids
        )
        self.events.collections_changed.emit()

    def undo(self) -> None:
        collections.restore_items(self.archive, self.collection_id, self.removed)
        self.events.collections_changed.emit()


class RenameCollection(Change):
    def __init__(
        self, archive: Archive, events: ResearchEvents, collection_id: int, name: str,
        version: int | None = None,
    ) -> None:  # fmt: skip
        super().__init__(archive, events, "Rename collection")
        self.collection_id, self.name, self.version = collection_id, name, version
        self.previous = ""

    def apply(self) -> None:
        self.previous, self.version = collections.rename_collection(
            self.archive, self.collection_id, self.name, self.version
        )
        self.events.collections_changed.emit()

    def undo(self) -> None:
        _name, self.version = collections.rename_collection(
            self.archive, self.collection_id, self.previous, self.version
        )
        self.events.collections_changed.emit()


class DeleteCollection(Change):
    def __init__(self, archive: Archive, events: ResearchEvents, collection_id: int) -> None:
        super().__init__(archive, events, "Delete collection")
        self.collection_id = collection_id
        self.snapshot: CollectionSnapshot | None = None

    def apply(self) -> None:
        self.snapshot = collections.delete_collection(self.archive, self.collection_id)
        self.events.collections_changed.emit()

    def undo(self) -> None:
        assert self.snapshot is not None
        collections.restore_collection(self.archive, self.snapshot)
        self.events.collections_changed.emit()


class SaveSearch(Change):
    """Save a query and filters under a name; undo removes it, or puts back the saved
    search of that name it replaced."""

    def __init__(
        self, archive: Archive, events: ResearchEvents, name: str, query: str,
        filters: SearchFilters | None,
    ) -> None:  # fmt: skip
        super().__init__(archive, events, "Save search")
        self.name, self.query, self.filters = name, query, filters
        self.previous: SavedSearchRow | None = None
        self.saved_id = 0

    def apply(self) -> None:
        self.previous, self.saved_id = collections.save_search(
            self.archive, self.name, self.query, self.filters
        )
        self.events.collections_changed.emit()

    def undo(self) -> None:
        if self.previous is not None:
            collections.restore_saved_search(self.archive, self.previous)
        else:
            collections.delete_saved_search(self.archive, self.saved_id)
        self.events.collections_changed.emit()


class DeleteSavedSearch(Change):
    def __init__(self, archive: Archive, events: ResearchEvents, search_id: int) -> None:
        super().__init__(archive, events, "Delete saved search")
        self.search_id = search_id
        self.row: SavedSearchRow | None = None

    def apply(self) -> None:
        self.row = collections.delete_saved_search(self.archive, self.search_id)
        self.events.collections_changed.emit()

    def undo(self) -> None:
        assert self.row is not None
        collections.restore_saved_search(self.archive, self.row)
        self.events.collections_changed.emit()
