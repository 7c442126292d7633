"""What the four research panes share: a table model of service records, and a pane
that reads through the TaskRunner and changes through the undo stack."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from db.errors import ArchiveError
from viewer.ui.deferred import deferred
from viewer.ui.research.undo import Change, ResearchEvents, push_change
from viewer.ui.research.widgets import show_error
from viewer.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from db import Archive
    from viewer.services import research
else:
    research = deferred("viewer.services.research")

Index = QModelIndex | QPersistentModelIndex
RecordRole = Qt.ItemDataRole.UserRole + 1


class RecordsModel(QAbstractTableModel):
    """A small in-memory table of service records (dataclasses with an id)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._records: list[Any] = []

    def headers(self) -> list[str]:
        raise NotImplementedError

    def cell(self, record: Any, column: int, role: int) -> Any:
        raise NotImplementedError

    def set_records(self, records: Sequence[Any]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def records(self) -> list[Any]:
        return list(self._records)

    def record(self, row: int) -> Any:
        return self._records[row] if 0 <= row < len(self._records) else None

    def row_of(self, record_id: int) -> int:
        return next((row for row, r in enumerate(self._records) if r.id == record_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers())

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        headers = self.headers()
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(headers):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        if role == RecordRole:
            return record
        return self.cell(record, index.column(), role)


class ResearchPane(QWidget):
    """What the four panes share: the archive, runner, undo stack and change events."""

    loaded = Signal()  # the pane shows what it last read (tests wait on this)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._archive: Archive | None = None
        self._runner: TaskRunner | None = None
        self._stack: QUndoStack | None = None
        self._events: ResearchEvents | None = None
        self._task_prefix = f"{type(self).__name__}-{id(self)}/"

    def set_archive(
        self,
        archive: Archive | None,
        runner: TaskRunner | None,
        stack: QUndoStack | None,
        events: ResearchEvents | None,
    ) -> None:
        """Work on this archive (None: no archive), reading through runner and changing
        through commands pushed on stack; events say what changed."""
        self._leaving_archive()
        if self._events is not None and self._events is not events:
            self._connect_events(self._events, connect=False)
        if events is not None and events is not self._events:
            self._connect_events(events, connect=True)
        if self._runner is not None:
            self._runner.discard(self._task_prefix)  # still being read: the previous archive
        self._archive, self._runner, self._stack, self._events = archive, runner, stack, events
        self._archive_changed()

    def _leaving_archive(self) -> None:
        """Called before the pane moves to another archive (or to none)."""

    def _archive_changed(self) -> None:
        """Called once the pane works on its new archive: forget the old one's records,
        read the new one's."""

    def _connect_events(self, events: ResearchEvents, *, connect: bool) -> None:
        for signal, slot in self._event_slots(events):
            if connect:
                signal.connect(slot)
            else:
                signal.disconnect(slot)

    def _event_slots(self, events: ResearchEvents) -> list[tuple[Any, Callable[..., None]]]:
        """The change signals this pane follows, each with the method it calls."""
        raise NotImplementedError

    def _ready(self) -> bool:
        return self._archive is not None and self._runner is not None

    def _push(self, command_class: type[Change], *args: Any, **kwargs: Any) -> bool:
        """Run a change through the undo stack; a problem the user can fix gets a dialog."""
        if self._archive is None or self._stack is None or self._events is None:
            return False
        error = push_change(
            self._stack, command_class, self._archive, self._events, *args, **kwargs
        )
        if error is not None:
            show_error(self, error)
            return False
        return True

    def _read(
        self, work: Callable[[], Any], done: Callable[[Any], None], *, key: str = "read"
    ) -> None:
        """Run work (which must only hold data, never widgets) on the runner; done gets the
        result of the newest read of this kind only (the runner drops older ones)."""
        assert self._runner is not None
        self._runner.submit(work, done, self._read_failed, key=self._task_prefix + key)

    def _read_failed(self, error: BaseException) -> None:
        if not isinstance(error, ArchiveError | research.ResearchError):
            raise error
        self._show_status(self.tr("Cannot read the archive: {0}").format(error), error=True)

    def _show_status(self, text: str, *, error: bool = False) -> None:
        raise NotImplementedError
