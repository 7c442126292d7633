"""The bookmarks pane, and the window's Bookmarks menu filled from the same records."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import QHeaderView, QInputDialog, QMenu, QVBoxLayout, QWidget

from viewer.ui.deferred import deferred
from viewer.ui.research import undo
from viewer.ui.research.base import RecordsModel, ResearchPane
from viewer.ui.research.undo import ResearchEvents
from viewer.ui.research.widgets import (
    ORPHAN_COLOR,
    DeleteKey,
    abbreviate,
    hint_label,
    menu_text,
    popup,
    record_view,
    set_tone,
    translate,
)
from viewer.ui.richtext import plain_tooltip

if TYPE_CHECKING:
    from viewer.services import research
    from viewer.ui.main_window import MainWindow
else:
    research = deferred("viewer.services.research")

MENU_BOOKMARKS_LIMIT = 40


def bookmark_place_text(bookmark: research.BookmarkView) -> str:
    if bookmark.start is None:
        return ""
    if bookmark.orphaned:
        return translate("(place lost)")
    return translate("(place in article)")


def bookmark_target(bookmark: research.BookmarkView) -> tuple[int, int]:
    """(incident id, start) to open; start is -1 for the whole article, and for a place
    that could not be found again after the article changed."""
    start = -1 if bookmark.start is None or bookmark.orphaned else bookmark.start
    return bookmark.incident_id, start


class BookmarksModel(RecordsModel):
    """Bookmarks (research.BookmarkView): label, incident and whether a place is marked."""

    LABEL, INCIDENT, PLACE = range(3)

    def headers(self) -> list[str]:
        return [self.tr("Bookmark"), self.tr("Incident"), self.tr("Place")]

    def bookmark(self, row: int) -> research.BookmarkView | None:
        record = self.record(row)
        return record if isinstance(record, research.BookmarkView) else None

    def cell(self, b: research.BookmarkView, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.LABEL:
                return b.label
            if column == self.INCIDENT:
                return b.incident_title
            return bookmark_place_text(b)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [b.label, b.incident_title]
            if b.quote:
                lines.append(f"“{abbreviate(b.quote, 200)}”")
            if b.orphaned:
                lines.append(
                    self.tr(
                        "The bookmarked place is no longer in the article; the bookmark "
                        "opens the article at the top."
                    )
                )
            return plain_tooltip(*lines)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.PLACE and b.orphaned:
            return QColor(ORPHAN_COLOR)
        return None


class BookmarksPane(ResearchPane):
    """Every bookmark; activating one asks the window to open it."""

    bookmark_activated = Signal(int, int)  # incident id, start (-1: the whole article)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = BookmarksModel(self)
        self.view = record_view(self, self.model)
        header = self.view.header()
        header.setSectionResizeMode(BookmarksModel.LABEL, QHeaderView.ResizeMode.Stretch)
        # label and incident share the room: a fixed incident column left a narrow dock
        # showing only the first word of every label
        header.setSectionResizeMode(BookmarksModel.INCIDENT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(BookmarksModel.PLACE, QHeaderView.ResizeMode.ResizeToContents)
        self.view.installEventFilter(DeleteKey(self.view, self.delete_selected))
        self.status = hint_label(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        self.view.activated.connect(self._activate)
        self.view.clicked.connect(self._activate)
        self.view.customContextMenuRequested.connect(self._context_menu)

    def _archive_changed(self) -> None:
        self.model.set_records([])
        self.refresh()

    def _event_slots(self, events: ResearchEvents) -> list[tuple[Any, Callable[..., None]]]:
        return [(events.bookmarks_changed, self.refresh)]

    def clear(self) -> None:
        """Show nothing (until the next refresh)."""
        self.model.set_records([])
        self.status.clear()

    def show_incident(self, incident_id: int) -> None:
        """Bookmarks of all incidents are listed; nothing depends on the shown one."""

    def refresh(self) -> None:
        if not self._ready():
            self.clear()
            return
        archive = self._archive
        assert archive is not None
        self._read(lambda: research.list_bookmarks(archive), self._loaded)

    def selected_bookmark(self) -> research.BookmarkView | None:
        return self.model.bookmark(self.view.currentIndex().row())

    def activate(self, bookmark: research.BookmarkView) -> None:
        self.bookmark_activated.emit(*bookmark_target(bookmark))

    def rename_bookmark(self, bookmark_id: int, label: str) -> bool:
        label = " ".join(label.split())
        if not label:
            return False
        return self._push(undo.RenameBookmark, bookmark_id, label)

    def delete_bookmark(self, bookmark_id: int) -> bool:
        return self._push(undo.DeleteBookmark, bookmark_id)

    def delete_selected(self) -> bool:
        bookmark = self.selected_bookmark()
        return bookmark is not None and self.delete_bookmark(bookmark.id)

    def ask_rename(self, bookmark: research.BookmarkView) -> None:
        label, accepted = QInputDialog.getText(
            self, self.tr("Rename bookmark"), self.tr("Name:"), text=bookmark.label
        )
        if accepted:
            self.rename_bookmark(bookmark.id, label)

    def context_menu(self, bookmark: research.BookmarkView) -> QMenu:
        menu = QMenu(self)
        menu.addAction(self.tr("Open"), lambda: self.activate(bookmark))
        menu.addAction(self.tr("Rename…"), lambda: self.ask_rename(bookmark))
        menu.addSeparator()
        delete = menu.addAction(self.tr("Delete"), lambda: self.delete_bookmark(bookmark.id))
        delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        return menu

    def _loaded(self, bookmarks: list[research.BookmarkView]) -> None:
        selected = self.selected_bookmark()
        self.model.set_records(bookmarks)
        if selected is not None and (row := self.model.row_of(selected.id)) >= 0:
            self.view.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        self._show_status(
            ""
            if bookmarks
            else self.tr("No bookmarks yet: Bookmarks ▸ Bookmark this place adds one.")
        )
        self.loaded.emit()

    def _show_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))
        set_tone(self.status, error=error)

    def _activate(self, index: QModelIndex) -> None:
        bookmark = self.model.bookmark(index.row())
        if bookmark is not None:
            self.activate(bookmark)

    def _context_menu(self, position: QPoint) -> None:
        bookmark = self.model.bookmark(self.view.indexAt(position).row())
        if bookmark is not None:
            popup(self.context_menu(bookmark), self.view, position)


def fill_bookmarks_menu(
    menu: QMenu,
    bookmarks: list[research.BookmarkView],
    activate: Callable[[int, int], None],
) -> None:
    """Append one entry per bookmark to menu (the window's Bookmarks menu); choosing one
    calls activate(incident id, start or -1)."""
    if not bookmarks:
        action = menu.addAction(translate("No bookmarks"))
        action.setEnabled(False)
        return
    for bookmark in bookmarks[:MENU_BOOKMARKS_LIMIT]:
        text = abbreviate(bookmark.label, 70)
        if bookmark.label != bookmark.incident_title and not bookmark.label.startswith(
            bookmark.incident_title
        ):
            text = f"{text} — {abbreviate(bookmark.incident_title, 40)}"
        action = menu.addAction(menu_text(text))
        action.setToolTip(plain_tooltip(bookmark.label, bookmark.incident_title))
        action.triggered.connect(functools.partial(activate, *bookmark_target(bookmark)))
    if len(bookmarks) > MENU_BOOKMARKS_LIMIT:
        more = menu.addAction(
            translate("{0} more in the Bookmarks pane").format(
                len(bookmarks) - MENU_BOOKMARKS_LIMIT
            )
        )
        more.setEnabled(False)


def follow_bookmarks(window: MainWindow) -> None:
    """Mark the open incident's bookmarked places in the reader, in step with changes."""

    def load(*_: object) -> None:
        archive, current = window.archive, window.current_id
        if archive is None or current is None:
            return

        def shown(found: list[research.BookmarkView]) -> None:
            if window.current_id == current:
                window.reader.set_bookmarks(
                    [(b.start, b.label) for b in found if b.start is not None and not b.orphaned]
                )

        window.runner.submit(
            lambda: research.list_bookmarks(archive, incident_id=current),
            shown,
            key="reader-bookmarks",
        )

    window.incident_shown.connect(load)
    window.events.bookmarks_changed.connect(load)
