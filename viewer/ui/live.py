"""Teammates' changes shown as they happen: a team archive's LISTEN/NOTIFY (db.live) turned
into the window's own change signals, on the GUI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from viewer.ui.deferred import deferred

if TYPE_CHECKING:
    from db import Archive, live
    from viewer.ui.main_window import MainWindow
else:
    live = deferred("db.live")


class LiveUpdates(QObject):
    """Follows the window's team archive; a personal archive has only this window."""

    # emitted on the listener's thread; Qt queues it to the window's (GUI) thread
    changed = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._listener: live.ChangeListener | None = None
        self._lost = False
        self.changed.connect(self._apply)

    def follow(self, archive: Archive) -> None:
        self.stop()
        if archive.is_team:
            self._listener = live.ChangeListener(archive, self.changed.emit)
            self._listener.start()

    def stop(self) -> None:
        if self._listener is not None:
            self._listener.stop()
            self._listener = None

    def _apply(self, names: object) -> None:
        window = self._window
        tables = set(names) if isinstance(names, set) else set()
        if live.LOST in tables:
            self._lost = True
            window.statusBar().showMessage(
                self.tr(
                    "The connection to the team archive was lost; what is shown stays, "
                    "and it reconnects when the server is back"
                )
            )
            return
        if self._lost:
            self._lost = False
            window.statusBar().showMessage(self.tr("Reconnected to the team archive"), 5000)
        events = window.events
        if tables & {"annotations", "annotation_tags"}:
            events.annotations_changed.emit(0)
        if tables & {"tags", "incident_tags", "annotation_tags"}:
            events.tags_changed.emit(0)
        if "notes" in tables:
            events.note_changed.emit(0)
        if "bookmarks" in tables:
            events.bookmarks_changed.emit()
        if tables & {"collections", "collection_items", "saved_searches"}:
            events.collections_changed.emit()
        if "incidents" in tables:
            window.archive_content_changed()
