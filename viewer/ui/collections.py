"""The Collections sidebar: all incidents, the collections and the saved searches with live
counts. Choosing one scopes the incident table, the timeline (its incidents emphasised and
fitted), the reactions by actor and File > Export; the table's selection can be added to a
collection from its context menu. Every change is undoable (research/collection_undo.py).

Kept apart from main_window.py, which only creates the controller (CollectionsSidebar)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QMenu,
    QMessageBox,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.scopes import IncidentScope
from viewer.ui.deferred import deferred
from viewer.ui.research import collection_undo as changes

if TYPE_CHECKING:
    from db import Archive, search_grammar
    from viewer.services import catalog, collections
    from viewer.services.collections import CollectionRow, SavedSearchView
    from viewer.ui.main_window import MainWindow
else:
    catalog = deferred("viewer.services.catalog")
    collections = deferred("viewer.services.collections")
    search_grammar = deferred("db.search_grammar")  # its patterns compile in 8 ms

ALL, COLLECTION, SAVED = "all", "collection", "saved"
EMPHASIS_LIMIT = 20_000  # a larger scope is shown in the table, not marked on the timeline
_KEY = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class SidebarContents:
    """What the sidebar lists (read on the worker)."""

    total: int
    collections: list[CollectionRow]
    searches: list[SavedSearchView]


def read_contents(archive: Archive) -> SidebarContents:
    return SidebarContents(
        catalog.count(archive),
        collections.collections_with_counts(archive),
        collections.saved_searches(archive),
    )


class CollectionsPane(QWidget):
    """The list itself. scope_chosen(kind, id, name) when the user picks an entry."""

    scope_chosen = Signal(str, int, str)
    rename_requested = Signal(str, int)
    delete_requested = Signal(str, int)
    export_requested = Signal()
    save_search_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("collections-tree")
        self.tree.setColumnCount(2)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(12)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.save_button = QToolButton(self)
        self.save_button.setText(self.tr("Save Search…"))
        self.save_button.setToolTip(
            self.tr("Keep the Search pane's query and filters here under a name")
        )
        self.save_button.clicked.connect(self.save_search_requested.emit)
        self.export_button = QToolButton(self)
        self.export_button.setText(self.tr("Export…"))
        self.export_button.setToolTip(self.tr("Export the chosen entry's incidents"))
        self.export_button.clicked.connect(self.export_requested.emit)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.save_button)
        bar.addWidget(self.export_button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.tree, 1)
        layout.addLayout(bar)
        self._all = QTreeWidgetItem([self.tr("All incidents"), ""])
        self._all.setData(0, _KEY, (ALL, 0, self.tr("All incidents")))
        self._collections = self._heading(self.tr("Collections"))
        self._searches = self._heading(self.tr("Saved searches"))
        self.tree.addTopLevelItems([self._all, self._collections, self._searches])
        self.tree.setCurrentItem(self._all)
        self.tree.currentItemChanged.connect(self._current_changed)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self._filling = False
        self.contents = SidebarContents(0, [], [])

    def _heading(self, text: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem([text, ""])
        font = QFont(item.font(0))
        font.setBold(True)
        item.setFont(0, font)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        item.setExpanded(True)
        return item

    def chosen(self) -> tuple[str, int, str]:
        item = self.tree.currentItem()
        key = item.data(0, _KEY) if item is not None else None
        if not key:
            return ALL, 0, self.tr("All incidents")
        kind, entry_id, name = key
        return str(kind), int(entry_id), str(name)

    def _children(self, heading: QTreeWidgetItem) -> list[QTreeWidgetItem]:
        return [child for n in range(heading.childCount()) if (child := heading.child(n))]

    def entries(self, kind: str) -> list[str]:
        """The names listed under collections or saved searches."""
        heading = self._collections if kind == COLLECTION else self._searches
        return [child.data(0, _KEY)[2] for child in self._children(heading)]

    def item_for(self, kind: str, entry_id: int) -> QTreeWidgetItem | None:
        if kind == ALL:
            return self._all
        heading = self._collections if kind == COLLECTION else self._searches
        for child in self._children(heading):
            if tuple(child.data(0, _KEY))[:2] == (kind, entry_id):
                return child
        return None

    def show_contents(self, contents: SidebarContents) -> None:
        """List them, keeping the chosen entry chosen when it is still there (else: all)."""
        kind, entry_id, _name = self.chosen()
        self.contents = contents
        self._filling = True
        try:
            self._all.setText(1, f"{contents.total:,}")
            for heading in (self._collections, self._searches):
                heading.takeChildren()
            for c in contents.collections:
                item = QTreeWidgetItem([c.name, f"{c.count:,}"])
                item.setData(0, _KEY, (COLLECTION, c.id, c.name))
                item.setToolTip(0, c.name)
                self._collections.addChild(item)
            for s in contents.searches:
                count = "?" if s.count is None else f"{s.count:,}"
                item = QTreeWidgetItem([s.name, count])
                item.setData(0, _KEY, (SAVED, s.id, s.name))
                item.setToolTip(0, s.describe())
                self._searches.addChild(item)
            for heading in (self._collections, self._searches):
                heading.setExpanded(True)
                heading.setText(1, "" if heading.childCount() else self.tr("none yet"))
            current = self.item_for(kind, entry_id)
            self.tree.setCurrentItem(current or self._all)
        finally:
            self._filling = False
        if current is None:
            self.scope_chosen.emit(ALL, 0, self.tr("All incidents"))
        elif kind != ALL:
            chosen = self.chosen()
            self.scope_chosen.emit(*chosen)  # its count (or name) may have changed

    def show_counts(self, contents: SidebarContents) -> None:
        """New counts for the entries listed (an import running): nothing is listed again
        or chosen again, so a menu or a choice under way is left alone."""
        self.contents = contents
        self._all.setText(1, f"{contents.total:,}")
        for c in contents.collections:
            item = self.item_for(COLLECTION, c.id)
            if item is not None:
                item.setText(1, f"{c.count:,}")
        for s in contents.searches:
            item = self.item_for(SAVED, s.id)
            if item is not None:
                item.setText(1, "?" if s.count is None else f"{s.count:,}")

    def choose(self, kind: str, entry_id: int) -> bool:
        item = self.item_for(kind, entry_id)
        if item is not None:
            self.tree.setCurrentItem(item)
        return item is not None

    def _current_changed(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        if self._filling or current is None or current.data(0, _KEY) is None:
            return
        self.scope_chosen.emit(*current.data(0, _KEY))

    def _clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        """A click on the chosen entry chooses it again (after a chart narrowed the table)."""
        if item is self.tree.currentItem() and item.data(0, _KEY) is not None:
            self.scope_chosen.emit(*item.data(0, _KEY))

    def _context_menu(self, point: QPoint) -> None:
        item = self.tree.itemAt(point)
        key = item.data(0, _KEY) if item is not None else None
        if item is None or not key:
            return
        kind, entry_id, _name = key
        menu = QMenu(self)
        export = menu.addAction(self.tr("Export…"))
        export.triggered.connect(self.export_requested.emit)
        if kind == COLLECTION:
            menu.addAction(self.tr("Rename…")).triggered.connect(
                lambda: self.rename_requested.emit(kind, entry_id)
            )
        if kind in (COLLECTION, SAVED):
            menu.addAction(self.tr("Delete")).triggered.connect(
                lambda: self.delete_requested.emit(kind, entry_id)
            )
        self.tree.setCurrentItem(item)
        menu.exec(self.tree.viewport().mapToGlobal(point))
        menu.deleteLater()


class CollectionsSidebar(QObject):
    """Wires the pane into the window: its dock, the scope it sets on the table, timeline,
    reactions and exports, and the changes it makes through the undo stack. scope_changed
    (scope, name) tells other views (the charts) what is chosen."""

    scope_changed = Signal(object, str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.pane = CollectionsPane(window)
        self.dock = QDockWidget(self.tr("Collections"), window)
        self.dock.setObjectName("dock-collections")
        self.dock.setWidget(self.pane)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        self.scope = IncidentScope()
        self.scope_name = self.tr("All incidents")
        self.remove_action = QAction(self.tr("Remove Selected from Collection"), window)
        self.remove_action.setVisible(False)
        self.remove_action.triggered.connect(
            lambda: window.table._with_selection(self.remove_incidents)
        )
        self._collection_name = ""

    def wire(self) -> None:
        window = self.window
        window.view_menu.insertAction(window.view_menu.actions()[0], self.dock.toggleViewAction())
        window.table.collect_requested.connect(self.add_incidents)
        window.table.extra_actions.append(self.remove_action)
        self.pane.scope_chosen.connect(self.choose_scope)
        self.pane.rename_requested.connect(self.rename)
        self.pane.delete_requested.connect(self.delete)
        self.pane.export_requested.connect(self.export_scope)
        self.pane.save_search_requested.connect(self.save_search)
        window.archive_opened.connect(self._archive_opened)
        events = window.events
        events.collections_changed.connect(self.refresh)
        events.tags_changed.connect(lambda _id: self._refresh_if(tagged=True))
        events.facts_changed.connect(lambda _id: self.refresh())
        window.importer.finished.connect(lambda _report: self.refresh())

    # -- reading ----------------------------------------------------------------------------

    def _archive_opened(self) -> None:
        self.pane.choose(ALL, 0)
        self.refresh()

    def _refresh_if(self, *, tagged: bool) -> None:
        if tagged and self.scope.tag_key is None and self.pane.chosen()[0] != SAVED:
            return
        self.refresh()

    def refresh(self, *, counts_only: bool = False) -> None:
        """Read the counts again (after any change that may move them); counts_only: show
        the new counts only (an import running), else list the entries again."""
        archive, runner = self.window.archive, self.window.runner
        if archive is None:
            return
        show = self.pane.show_counts if counts_only else self.pane.show_contents
        key = "collections-counts" if counts_only else "collections"
        runner.submit(lambda: read_contents(archive), show, key=key)

    # -- scope ------------------------------------------------------------------------------

    def choose_scope(self, kind: str, entry_id: int, name: str) -> None:
        archive = self.window.archive
        if archive is None:
            return
        if kind == SAVED:
            search = next((s for s in self.pane.contents.searches if s.id == entry_id), None)
            try:
                scope = collections.saved_search_scope(search) if search else IncidentScope()
            except search_grammar.SearchQueryError as exc:
                self.window.statusBar().showMessage(
                    self.tr("Cannot use the saved search “{0}”: {1}").format(name, exc), 6000
                )
                return
        elif kind == COLLECTION:
            scope = IncidentScope(collection_id=entry_id)
        else:
            scope = IncidentScope()
        self._collection_name = name if kind == COLLECTION else ""
        self.remove_action.setVisible(kind == COLLECTION)
        # the same scope again: its incidents (or name) changed, so everything reads it again
        self.apply_scope(scope, name, again=scope == self.scope)

    def apply_scope(self, scope: IncidentScope, name: str, *, again: bool = False) -> None:
        """The table, timeline, reactions and File > Export show the scope's incidents."""
        window = self.window
        self.scope, self.scope_name = scope, name
        window.table.set_scope(scope, name)
        if again:
            window.table.model.reload()
            window.reactions.refresh()
        self.scope_changed.emit(scope, name)
        window.reactions.set_scope(scope if scope != IncidentScope() else None, name)
        archive = window.archive
        if archive is None:
            return
        if scope == IncidentScope():
            window.exporter.scope = None
            window.timeline.set_emphasis(frozenset())
            return

        def work() -> tuple[list[int], tuple[str, str] | None]:
            ids = collections.scope_ids(archive, scope)
            return ids, catalog.date_span(archive, ids[:EMPHASIS_LIMIT])

        def done(found: tuple[list[int], tuple[str, str] | None]) -> None:
            ids, span = found
            if self.scope != scope:
                return
            window.exporter.scope = (name, ids)
            window.timeline.set_emphasis(
                frozenset(ids) if len(ids) <= EMPHASIS_LIMIT else frozenset()
            )
            if span is not None:
                first, last = date.fromisoformat(span[0]), date.fromisoformat(span[1])
                margin = max((last - first) / 20, timedelta(days=3))
                window.timeline.set_visible_range(first - margin, last + margin)

        window.runner.submit(work, done, key="collections-scope")

    # -- changes ----------------------------------------------------------------------------

    def add_incidents(self, incident_ids: list[int]) -> None:
        """Add the table's selection to a collection the user names (new or existing)."""
        window = self.window
        if window.archive is None or not incident_ids:
            return
        names = self.pane.entries(COLLECTION)
        name, ok = QInputDialog.getItem(
            window,
            self.tr("Add to collection"),
            self.tr("Collection for {0} incidents (a new name makes a new one):").format(
                len(incident_ids)
            ),
            names,
            0,
            True,
        )
        if (
            ok
            and name.strip()
            and window.push_research(
                changes.AddToCollection, window.archive, window.events, name, incident_ids
            )
        ):
            window.statusBar().showMessage(
                self.tr("Added {0} incidents to “{1}”").format(len(incident_ids), name.strip()),
                5000,
            )

    def remove_incidents(self, incident_ids: list[int]) -> None:
        window = self.window
        if window.archive is None or not incident_ids or not self._collection_name:
            return
        window.push_research(
            changes.RemoveFromCollection, window.archive, window.events,
            self._collection_name, incident_ids,
        )  # fmt: skip

    def rename(self, kind: str, entry_id: int) -> None:
        window = self.window
        item = self.pane.item_for(kind, entry_id)
        if window.archive is None or item is None or kind != COLLECTION:
            return
        old = item.data(0, _KEY)[2]
        name, ok = QInputDialog.getText(
            window, self.tr("Rename collection"), self.tr("New name for “{0}”:").format(old),
            text=old,
        )  # fmt: skip
        if ok and name.strip() and name.strip() != old:
            window.push_research(
                changes.RenameCollection, window.archive, window.events, entry_id, name
            )

    def delete(self, kind: str, entry_id: int) -> None:
        window = self.window
        if window.archive is None:
            return
        command = changes.DeleteCollection if kind == COLLECTION else changes.DeleteSavedSearch
        if window.push_research(command, window.archive, window.events, entry_id):
            window.statusBar().showMessage(self.tr("Deleted (Undo brings it back)"), 5000)

    def save_search(self) -> None:
        window = self.window
        query = window.search.field.text().strip()
        filters = window.search.current_filters()
        if window.archive is None:
            return
        if not query and (filters is None or filters.empty):
            QMessageBox.information(
                window,
                self.tr("Save search"),
                self.tr("Type a query or choose filters in the Search pane first."),
            )
            return
        name, ok = QInputDialog.getText(
            window, self.tr("Save search"), self.tr("Name for the search “{0}”:").format(query),
            text=query,
        )  # fmt: skip
        if ok and name.strip():
            window.push_research(
                changes.SaveSearch, window.archive, window.events, name, query, filters
            )

    def export_scope(self) -> None:
        """Export the chosen entry's incidents, in a format the user picks."""
        window = self.window
        labels = {action.text(): fmt for fmt, action in window.export_actions.items()}
        label, ok = QInputDialog.getItem(
            window,
            self.tr("Export"),
            self.tr("Format for “{0}”:").format(self.scope_name),
            list(labels),
            0,
            False,
        )
        if ok and label in labels:
            window.exporter.choose(window.archive, labels[label])


def make_sidebar(window: MainWindow) -> CollectionsSidebar:
    """The window's hook: build and wire the sidebar (main_window.py calls only this)."""
    sidebar = CollectionsSidebar(window)
    sidebar.wire()
    return sidebar
