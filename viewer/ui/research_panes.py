"""The research layer's panes: annotations, tags, bookmarks and the incident's note.

Every change a pane makes is an undoable command (viewer.ui.commands) pushed on the
window's QUndoStack; every read runs on the TaskRunner. Text the researcher or an article
wrote is shown as plain text; tooltips escape it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    QStringListModel,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QFontMetrics,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QPixmap,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QColorDialog,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTabBar,
    QTextBrowser,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from db import Archive
from db.archive import ArchiveError
from viewer.services import research
from viewer.ui import commands
from viewer.ui.commands import ResearchEvents
from viewer.ui.reader import COLOR_VALUES
from viewer.ui.richtext import plain_tooltip
from viewer.ui.tasks import TaskRunner

log = logging.getLogger("viewer.ui.research")
Index = QModelIndex | QPersistentModelIndex
RecordRole = Qt.ItemDataRole.UserRole + 1
NOTE_SAVE_DELAY_MS = 700
ERROR_COLOR = "#d32f2f"
ORPHAN_COLOR = "#e65100"
MENU_BOOKMARKS_LIMIT = 40
OBJECT_CHARACTER = "\ufffc"  # stands for a picture (or other object) in a QTextDocument

# -- small shared pieces -----------------------------------------------------------------------


def _translate(text: str) -> str:
    return QCoreApplication.translate("ResearchPanes", text)


def color_label(color: str) -> str:
    """The annotation colour's name for people (the stored names are English keys)."""
    labels = {
        "yellow": _translate("Yellow"),
        "green": _translate("Green"),
        "blue": _translate("Blue"),
        "pink": _translate("Pink"),
        "orange": _translate("Orange"),
    }
    return labels.get(color, color)


def abbreviate(text: str, limit: int) -> str:
    """One line of at most limit characters (whitespace folded, an ellipsis when cut)."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def menu_text(text: str) -> str:
    """Text for a menu entry or button: '&' would otherwise mark a shortcut letter."""
    return text.replace("&", "&&")


_SWATCHES: dict[tuple[str, int], QIcon] = {}


def swatch_icon(color: str, size: int = 14) -> QIcon:
    """A small rounded square of the colour (cached)."""
    icon = _SWATCHES.get((color, size))
    if icon is None:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor(0, 0, 0, 110))
        painter.setBrush(QColor(color))
        painter.drawRoundedRect(QRectF(0.5, 0.5, size - 1, size - 1), 3, 3)
        painter.end()
        icon = QIcon(pixmap)
        _SWATCHES[(color, size)] = icon
    return icon


def _annotation_color(name: str) -> str:
    return COLOR_VALUES.get(name, COLOR_VALUES["yellow"])


def _text_color_on(background: str) -> str:
    return "#000000" if QColor(background).lightness() > 140 else "#ffffff"


class _PushOutcome:
    def __init__(self) -> None:
        self.first_redo = True
        self.error: Exception | None = None


@functools.cache
def _guarded(command_class: type[QUndoCommand]) -> type[QUndoCommand]:
    """The command class, changed so that a user-fixable failure of its first redo (the one
    QUndoStack.push runs) makes it obsolete instead of raising through Qt.

    An exception escaping redo() inside push() leaves the failed command on the stack (undo
    would then undo something never done), and with a mergeable command on top it can crash
    PySide on a later push. An obsolete command is simply not added.
    """

    class Guarded(command_class):  # type: ignore[valid-type,misc]
        _outcome: _PushOutcome | None = None

        def redo(self) -> None:
            outcome = self._outcome
            if outcome is None or not outcome.first_redo:
                super().redo()
                return
            outcome.first_redo = False
            try:
                super().redo()
            except (research.ResearchError, ArchiveError) as exc:
                outcome.error = exc
                self.setObsolete(True)

        def id(self) -> int:
            return -1 if self.isObsolete() else int(super().id())

    Guarded.__name__ = Guarded.__qualname__ = command_class.__name__
    return Guarded


def push_change(
    stack: QUndoStack, command_class: type[QUndoCommand], *args: Any, **kwargs: Any
) -> Exception | None:
    """Build the command and push it; returns the user-fixable error that stopped it (the
    command is then not on the stack), or None when the change is done."""
    command = _guarded(command_class)(*args, **kwargs)
    outcome = _PushOutcome()
    command._outcome = outcome
    stack.push(command)
    return outcome.error


def _show_error(parent: QWidget, error: Exception) -> None:
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        _translate("Not saved") if isinstance(error, ArchiveError) else _translate("Not done"),
        str(error),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


class _DeleteKey(QObject):
    """Delete (and Backspace, as on macOS) on a view calls the callback; claims the key
    before any window shortcut does."""

    def __init__(self, parent: QObject, callback: Callable[[], object]) -> None:
        super().__init__(parent)
        self._callback = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            assert isinstance(event, QKeyEvent)
            plain = event.modifiers() in (
                Qt.KeyboardModifier.NoModifier,
                Qt.KeyboardModifier.KeypadModifier,
            )
            if plain and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                event.accept()
                if event.type() == QEvent.Type.KeyPress:
                    self._callback()
                return True
        return super().eventFilter(watched, event)


def _record_view(parent: QWidget, model: QAbstractTableModel) -> QTreeView:
    view = QTreeView(parent)
    view.setModel(model)
    view.setRootIsDecorated(False)
    view.setUniformRowHeights(True)
    view.setAlternatingRowColors(True)
    view.setAllColumnsShowFocus(True)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.header().setStretchLastSection(False)
    return view


def _popup(menu: QMenu, view: QTreeView, position: QPoint) -> None:
    """Show a context menu at a place in the view, then let it go (its actions run
    before exec returns)."""
    menu.exec(view.viewport().mapToGlobal(position))
    menu.deleteLater()


def _hint_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    set_tone(label)
    return label


def set_tone(label: QLabel, *, error: bool = False) -> None:
    """Grey hint text, or red for a problem."""
    palette = label.palette()
    colour = (
        QColor(ERROR_COLOR)
        if error
        else QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
    )
    palette.setColor(QPalette.ColorRole.WindowText, colour)
    label.setPalette(palette)


def safe_color(color: str, fallback: str = "#90a4ae") -> str:
    """The colour as #rrggbb (a stored value is data: never pasted into a style sheet)."""
    parsed = QColor(color)
    return parsed.name() if parsed.isValid() else fallback


class _RecordsModel(QAbstractTableModel):
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


class _ResearchPane(QWidget):
    """What the four panes share: the archive, runner, undo stack and change events."""

    loaded = Signal()  # the pane shows what it last read (tests wait on this)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._archive: Archive | None = None
        self._runner: TaskRunner | None = None
        self._stack: QUndoStack | None = None
        self._events: ResearchEvents | None = None
        self._task_key = f"{type(self).__name__}-{id(self)}"
        self._generations: dict[str, int] = {}

    def set_archive(
        self,
        archive: Archive | None,
        runner: TaskRunner | None,
        stack: QUndoStack | None,
        events: ResearchEvents | None,
    ) -> None:
        """Work on this archive (None: no archive), reading through runner and changing
        through commands pushed on stack; events say what changed."""
        if self._events is not None and self._events is not events:
            self._connect_events(self._events, connect=False)
        if events is not None and events is not self._events:
            self._connect_events(events, connect=True)
        self._archive, self._runner, self._stack, self._events = archive, runner, stack, events
        self._generations.clear()  # what is still being read is from the previous archive

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

    def _push(self, command_class: type[QUndoCommand], *args: Any, **kwargs: Any) -> bool:
        """Run a change through the undo stack; a problem the user can fix gets a dialog."""
        if self._archive is None or self._stack is None or self._events is None:
            return False
        error = push_change(
            self._stack, command_class, self._archive, self._events, *args, **kwargs
        )
        if error is not None:
            _show_error(self, error)
            return False
        return True

    def _read(self, work: Callable[[], Any], done: Callable[[Any], None], *, key: str = "") -> None:
        """Run work (which must only hold data, never widgets) on the runner; done gets the
        result of the newest read of this kind only (an older one that finished before a
        newer one started is dropped too)."""
        assert self._runner is not None
        key = self._task_key + key
        generation = self._generations.get(key, 0) + 1
        self._generations[key] = generation

        def newest() -> bool:
            return self._generations.get(key) == generation

        def deliver(result: Any) -> None:
            if newest():
                done(result)

        def failed(error: BaseException) -> None:
            if newest():
                self._read_failed(error)

        self._runner.submit(work, deliver, failed, key=key)

    def _read_failed(self, error: BaseException) -> None:
        if not isinstance(error, ArchiveError | research.ResearchError):
            raise error
        self._show_status(self.tr("Cannot read the archive: {0}").format(error), error=True)

    def _show_status(self, text: str, *, error: bool = False) -> None:
        raise NotImplementedError


# -- annotations -------------------------------------------------------------------------------


class AnnotationsModel(_RecordsModel):
    """Annotations (research.AnnotationView) as rows: colour, quote, note, tags, incident,
    state."""

    COLOR, QUOTE, NOTE, TAGS, INCIDENT, STATE = range(6)

    def headers(self) -> list[str]:
        return [
            "",
            self.tr("Passage"),
            self.tr("Note"),
            self.tr("Tags"),
            self.tr("Incident"),
            self.tr("State"),
        ]

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and orientation == Qt.Orientation.Horizontal
            and section == self.COLOR
        ):
            return self.tr("Colour")
        return super().headerData(section, orientation, role)

    def annotation(self, row: int) -> research.AnnotationView | None:
        record = self.record(row)
        return record if isinstance(record, research.AnnotationView) else None

    def cell(self, a: research.AnnotationView, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(a, column)
        if role == Qt.ItemDataRole.DecorationRole and column == self.COLOR:
            return swatch_icon(_annotation_color(a.color))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(a)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == self.COLOR:
            return color_label(a.color)
        if role == Qt.ItemDataRole.ForegroundRole and a.orphaned and column == self.STATE:
            return QColor(ORPHAN_COLOR)
        if (
            role == Qt.ItemDataRole.FontRole
            and a.orphaned
            and column
            in (
                self.QUOTE,
                self.STATE,
            )
        ):
            font = QFont()
            font.setItalic(column == self.QUOTE)
            font.setBold(column == self.STATE)
            return font
        return None

    def _display(self, a: research.AnnotationView, column: int) -> str:
        if column == self.QUOTE:
            return f"“{abbreviate(a.quote, 90)}”"
        if column == self.NOTE:
            return abbreviate(a.note or "", 80)
        if column == self.TAGS:
            return ", ".join(a.tags)
        if column == self.INCIDENT:
            return a.incident_title
        if column == self.STATE:
            return self.tr("⚠ orphaned") if a.orphaned else ""
        return ""

    def _tooltip(self, a: research.AnnotationView) -> str:
        lines = [a.incident_title, f"“{a.quote}”"]
        if a.note:
            lines.append(self.tr("Note: {0}").format(a.note))
        if a.tags:
            lines.append(self.tr("Tags: {0}").format(", ".join(a.tags)))
        lines.append(self.tr("Colour: {0}").format(color_label(a.color)))
        if a.orphaned:
            lines.append(
                self.tr(
                    "Orphaned: the passage is no longer in the article. Select the new "
                    "passage in the reader and re-attach the annotation to it."
                )
            )
        return plain_tooltip(*lines)


class AnnotationsPane(_ResearchPane):
    """The researcher's annotations, of the shown incident or of all incidents, filtered by
    colour, tag, text and state. Selecting one asks the window to show its passage."""

    annotation_activated = Signal(int, int, int)  # incident id, start, end
    reattach_requested = Signal(int)  # annotation id (an orphaned one)

    THIS_INCIDENT, ALL_INCIDENTS = 0, 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._incident_id: int | None = None
        self._restoring = False
        self.model = AnnotationsModel(self)

        self.mode_bar = QTabBar(self)
        self.mode_bar.setDocumentMode(True)
        self.mode_bar.setExpanding(False)
        self.mode_bar.addTab(self.tr("This incident"))
        self.mode_bar.addTab(self.tr("All incidents"))

        self.color_filter = QComboBox(self)
        self.color_filter.addItem(self.tr("All colours"), "")
        for name in research.COLORS:
            self.color_filter.addItem(swatch_icon(_annotation_color(name)), color_label(name), name)
        self.color_filter.setToolTip(self.tr("Show only annotations of this colour"))
        self.tag_filter = QComboBox(self)
        self.tag_filter.setEditable(True)
        self.tag_filter.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.tag_filter.lineEdit().setPlaceholderText(self.tr("All tags"))
        self.tag_filter.lineEdit().setClearButtonEnabled(True)
        self.tag_filter.setToolTip(self.tr("Show only annotations with this tag"))
        self.tag_filter.completer().setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tag_filter.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.text_filter = QLineEdit(self)
        self.text_filter.setPlaceholderText(self.tr("Filter by words in passage or note"))
        self.text_filter.setClearButtonEnabled(True)
        self.orphaned_only = QCheckBox(self.tr("Orphaned only"), self)
        self.orphaned_only.setToolTip(
            self.tr("Annotations whose passage was not found after the article changed")
        )

        self.view = _record_view(self, self.model)
        header = self.view.header()
        header.setMinimumSectionSize(24)
        for column in range(self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(AnnotationsModel.COLOR, QHeaderView.ResizeMode.Fixed)
        # the viewport, not the view: its size is only current after the view's own resize
        self.view.viewport().installEventFilter(self)
        self.view.installEventFilter(_DeleteKey(self.view, self.delete_selected))
        self.status = _hint_label(self)

        filters = QHBoxLayout()
        filters.addWidget(self.color_filter)
        filters.addWidget(self.tag_filter, 1)
        search = QHBoxLayout()
        search.addWidget(self.text_filter, 1)
        search.addWidget(self.orphaned_only)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.mode_bar)
        layout.addLayout(filters)
        layout.addLayout(search)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)

        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(250)
        self._text_timer.timeout.connect(self.refresh)
        self.mode_bar.currentChanged.connect(self._mode_changed)
        self.color_filter.currentIndexChanged.connect(self.refresh)
        self.tag_filter.currentTextChanged.connect(lambda _text: self._text_timer.start())
        self.text_filter.textChanged.connect(lambda _text: self._text_timer.start())
        self.orphaned_only.toggled.connect(self.refresh)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.activated.connect(self._activate)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self._mode_changed(self.THIS_INCIDENT)

    # --- public API -------------------------------------------------------------------------

    def set_archive(
        self,
        archive: Archive | None,
        runner: TaskRunner | None,
        stack: QUndoStack | None,
        events: ResearchEvents | None,
    ) -> None:
        super().set_archive(archive, runner, stack, events)
        self._incident_id = None
        self.model.set_records([])
        self.refresh_tags()
        self.refresh()

    def _event_slots(self, events: ResearchEvents) -> list[tuple[Any, Callable[..., None]]]:
        return [
            (events.annotations_changed, self._annotations_changed),
            (events.tags_changed, self._tags_changed),
        ]

    def show_incident(self, incident_id: int) -> None:
        """Make this the current incident (listed in "This incident" mode)."""
        if incident_id == self._incident_id:
            return
        self._incident_id = incident_id
        if self.mode() == self.THIS_INCIDENT:
            self.model.set_records([])
            self.refresh()

    def clear(self) -> None:
        """Forget the current incident."""
        self._incident_id = None
        if self.mode() == self.THIS_INCIDENT:
            self.model.set_records([])
        self._update_status()

    def mode(self) -> int:
        return self.mode_bar.currentIndex()

    def set_mode(self, mode: int) -> None:
        self.mode_bar.setCurrentIndex(mode)

    @property
    def incident_id(self) -> int | None:
        return self._incident_id

    def refresh(self) -> None:
        """Read the annotations again with the current mode and filters."""
        self._text_timer.stop()
        if not self._ready():
            self.model.set_records([])
            self._update_status()
            return
        if self.mode() == self.THIS_INCIDENT and self._incident_id is None:
            self.model.set_records([])
            self._update_status()
            self.loaded.emit()
            return
        archive = self._archive
        assert archive is not None
        criteria: dict[str, Any] = {
            "incident_id": self._incident_id if self.mode() == self.THIS_INCIDENT else None,
            "color": self.color_filter.currentData() or None,
            "tag": self.tag_filter.currentText().strip() or None,
            "text": self.text_filter.text().strip() or None,
            "orphaned": True if self.orphaned_only.isChecked() else None,
        }

        def work() -> list[research.AnnotationView]:
            return research.list_annotations(archive, **criteria)

        self._read(work, self._loaded)

    def refresh_tags(self) -> None:
        """Read the tag names offered by the tag filter again."""
        if not self._ready():
            return
        archive = self._archive
        assert archive is not None
        self._read(lambda: research.tags_with_counts(archive), self._tags_loaded, key="-tags")

    def selected_annotation(self) -> research.AnnotationView | None:
        return self.model.annotation(self.view.currentIndex().row())

    def select_annotation(self, annotation_id: int) -> bool:
        """Select the annotation's row without announcing it (False: not listed)."""
        row = self.model.row_of(annotation_id)
        if row < 0:
            return False
        self._restoring = True
        try:
            self.view.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        finally:
            self._restoring = False
        return True

    # --- changes (what the context menu and the Delete key do) -------------------------------

    def delete_annotation(self, annotation: research.AnnotationView) -> bool:
        return self._push(commands.DeleteAnnotation, annotation)

    def delete_selected(self) -> bool:
        annotation = self.selected_annotation()
        return annotation is not None and self.delete_annotation(annotation)

    def set_annotation_color(self, annotation: research.AnnotationView, color: str) -> bool:
        if color == annotation.color:
            return False
        return self._push(
            commands.EditAnnotation,
            annotation,
            color=color,
            note=annotation.note,
            tags=annotation.tags,
        )

    def set_annotation_note(self, annotation: research.AnnotationView, note: str | None) -> bool:
        note = note.strip() if note else None
        if (note or None) == (annotation.note or None):
            return False
        return self._push(
            commands.EditAnnotation,
            annotation,
            color=annotation.color,
            note=note or None,
            tags=annotation.tags,
        )

    def edit_note(self, annotation: research.AnnotationView) -> None:
        text, accepted = QInputDialog.getMultiLineText(
            self, self.tr("Edit note"), self.tr("Note on this passage:"), annotation.note or ""
        )
        if accepted:
            self.set_annotation_note(annotation, text)

    def context_menu(self, annotation: research.AnnotationView) -> QMenu:
        """The menu for one annotation (shown on right-click)."""
        menu = QMenu(self)
        menu.addAction(self.tr("Edit note…"), lambda: self.edit_note(annotation))
        colours = menu.addMenu(self.tr("Change colour"))
        for name in research.COLORS:
            action = colours.addAction(swatch_icon(_annotation_color(name)), color_label(name))
            action.setCheckable(True)
            action.setChecked(name == annotation.color)
            action.triggered.connect(functools.partial(self._recolor_from_menu, annotation, name))
        if annotation.orphaned:
            menu.addAction(
                self.tr("Re-attach to selection"),
                lambda: self.reattach_requested.emit(annotation.id),
            )
        menu.addSeparator()
        delete = menu.addAction(self.tr("Delete"), lambda: self.delete_annotation(annotation))
        delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        return menu

    def _recolor_from_menu(self, annotation: research.AnnotationView, color: str) -> None:
        self.set_annotation_color(annotation, color)

    # --- inside -------------------------------------------------------------------------------

    def _context_menu(self, position: QPoint) -> None:
        annotation = self.model.annotation(self.view.indexAt(position).row())
        if annotation is not None:
            _popup(self.context_menu(annotation), self.view, position)

    def _mode_changed(self, mode: int) -> None:
        self.view.setColumnHidden(AnnotationsModel.INCIDENT, mode != self.ALL_INCIDENTS)
        self._fit_columns()
        self.model.set_records([])
        self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _fit_columns(self) -> None:
        """Share the width so the passage keeps the most room, whatever the dock's size."""
        header = self.view.header()
        bold = QFont(self.view.font())
        bold.setBold(True)
        state = QFontMetrics(bold).horizontalAdvance(self.tr("⚠ orphaned")) + 16
        state = max(state, header.sectionSizeHint(AnnotationsModel.STATE))
        swatch = 28
        rest = max(0, self.view.viewport().width() - swatch - state)
        if self.mode() == self.ALL_INCIDENTS:
            shares = {"QUOTE": 0.38, "NOTE": 0.22, "TAGS": 0.14, "INCIDENT": 0.26}
        else:
            shares = {"QUOTE": 0.5, "NOTE": 0.3, "TAGS": 0.2, "INCIDENT": 0.0}
        widths = {
            AnnotationsModel.COLOR: swatch,
            AnnotationsModel.STATE: state,
            **{
                getattr(AnnotationsModel, name): int(rest * share) for name, share in shares.items()
            },
        }
        for column, width in widths.items():
            if width and header.sectionSize(column) != width:
                header.resizeSection(column, width)

    def _annotations_changed(self, incident_id: int) -> None:
        if (
            self.mode() == self.ALL_INCIDENTS
            or incident_id == 0
            or incident_id == self._incident_id
        ):
            self.refresh()

    def _tags_changed(self, _incident_id: int) -> None:
        self.refresh_tags()

    def _loaded(self, annotations: list[research.AnnotationView]) -> None:
        selected = self.selected_annotation()
        self.model.set_records(annotations)
        if selected is not None:
            self.select_annotation(selected.id)
        self._update_status()
        self.loaded.emit()

    def _tags_loaded(self, tags: list[research.TagView]) -> None:
        text = self.tag_filter.currentText()
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.addItem("")
        for tag in tags:
            self.tag_filter.addItem(swatch_icon(safe_color(tag.color)), tag.name, tag.name)
            self.tag_filter.setItemData(
                self.tag_filter.count() - 1,
                plain_tooltip(tag.name, _usage(tag.incidents, tag.annotations)),
                Qt.ItemDataRole.ToolTipRole,
            )
        self.tag_filter.setEditText(text)
        self.tag_filter.blockSignals(False)

    def _update_status(self, *, error: str = "") -> None:
        count = self.model.rowCount()
        filtered = bool(
            self.color_filter.currentData()
            or self.tag_filter.currentText().strip()
            or self.text_filter.text().strip()
            or self.orphaned_only.isChecked()
        )
        if self._archive is None:
            text = ""
        elif self.mode() == self.THIS_INCIDENT and self._incident_id is None:
            text = self.tr("Open an incident to see its annotations.")
        elif count == 0 and filtered:
            text = self.tr("No annotations match these filters.")
        elif count == 0 and self.mode() == self.THIS_INCIDENT:
            text = self.tr(
                "No annotations on this incident yet: select a passage in the article to "
                "highlight it."
            )
        elif count == 0:
            text = self.tr("No annotations yet.")
        elif count == 1:
            text = self.tr("1 annotation")
        else:
            text = self.tr("{0} annotations").format(count)
        self._show_status(text)

    def _show_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        set_tone(self.status, error=error)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._restoring and current.isValid():
            self._activate(current)

    def _activate(self, index: QModelIndex) -> None:
        annotation = self.model.annotation(index.row())
        if annotation is not None:
            self.annotation_activated.emit(annotation.incident_id, annotation.start, annotation.end)


# -- tags --------------------------------------------------------------------------------------


def _tag_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def split_tag_names(text: str) -> list[str]:
    """Tag names typed into a field, separated by commas."""
    return [" ".join(name.split()) for name in text.split(",") if name.strip()]


def _usage(incidents: int, annotations: int) -> str:
    first = (
        _translate("1 incident")
        if incidents == 1
        else _translate("{0} incidents").format(incidents)
    )
    second = (
        _translate("1 annotation")
        if annotations == 1
        else _translate("{0} annotations").format(annotations)
    )
    return f"{first} · {second}"


class TagsModel(_RecordsModel):
    """Tags (research.TagView) with their colour and how much they are used."""

    NAME, USES = range(2)

    def headers(self) -> list[str]:
        return [self.tr("Tag"), self.tr("Used on")]

    def tag(self, row: int) -> research.TagView | None:
        record = self.record(row)
        return record if isinstance(record, research.TagView) else None

    def cell(self, tag: research.TagView, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return tag.name if column == self.NAME else _usage(tag.incidents, tag.annotations)
        if role == Qt.ItemDataRole.DecorationRole and column == self.NAME:
            return swatch_icon(safe_color(tag.color))
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(tag.name, _usage(tag.incidents, tag.annotations))
        return None


class FlowLayout(QLayout):
    """Lays its widgets out left to right, wrapping onto new lines (tag chips)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 4) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, line_height = area.x(), area.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and line_height > 0:
                x, y = area.x(), y + line_height + self._gap
                line_height = 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._gap
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + margins.bottom()


class RenameTagDialog(QDialog):
    """Asks for a tag's new name, and says when the name is taken that the two tags will
    be merged."""

    def __init__(self, tag: research.TagView, names: Sequence[str], parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Rename tag"))
        self._tag = tag
        self._existing = {_tag_key(name): name for name in names}
        question = QLabel(self.tr("New name for the tag “{0}”:").format(tag.name), self)
        question.setTextFormat(Qt.TextFormat.PlainText)
        self.field = QLineEdit(tag.name, self)
        self.field.selectAll()
        self.hint = QLabel(self)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(self.field)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.field.textChanged.connect(self._update)
        self._update()
        self.setMinimumWidth(360)

    def merge_target(self) -> str | None:
        """The existing tag the name is taken by (the rename will merge into it), if any."""
        key = _tag_key(self.field.text())
        target = self._existing.get(key)
        return target if target is not None and key != _tag_key(self._tag.name) else None

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        name = " ".join(self.field.text().split())
        target = self.merge_target()
        ok.setEnabled(bool(name) and name != self._tag.name)
        if target is not None:
            ok.setText(self.tr("Merge"))
            self.hint.setText(
                self.tr(
                    "A tag named “{0}” exists already: renaming merges “{1}” into it, and "
                    "everything tagged “{1}” gets “{0}”. Edit ▸ Undo takes it back."
                ).format(target, self._tag.name)
            )
        else:
            ok.setText(self.tr("Rename"))
            self.hint.setText(
                self.tr("Renaming onto the name of an existing tag merges the two tags.")
            )


class MergeTagDialog(QDialog):
    """Asks which tag to merge a tag into (an existing one, or a new name)."""

    def __init__(self, tag: research.TagView, names: Sequence[str], parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Merge tag"))
        question = QLabel(self.tr("Merge the tag “{0}” into:").format(tag.name), self)
        question.setTextFormat(Qt.TextFormat.PlainText)
        self.target = QComboBox(self)
        self.target.setEditable(True)
        self.target.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.target.addItems([name for name in names if _tag_key(name) != _tag_key(tag.name)])
        hint = QLabel(
            self.tr(
                "“{0}” disappears; everything tagged “{0}” gets the chosen tag instead."
            ).format(tag.name),
            self,
        )
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Merge"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(self.target)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.setMinimumWidth(360)


class TagsPane(_ResearchPane):
    """The tag browser: every tag with its colour and use, the shown incident's tags as
    removable chips, a field to add tags to it, and rename / merge / colour / filter."""

    tag_filter_requested = Signal(str)  # a tag's name, or "" to clear the filter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._incident_id: int | None = None
        self._incident_tags: list[research.TagView] = []
        self._active_filter = ""
        self.model = TagsModel(self)

        self.incident_heading = QLabel(self.tr("This incident"), self)
        bold = self.incident_heading.font()
        bold.setBold(True)
        self.incident_heading.setFont(bold)
        self.chips = QWidget(self)
        self.chips_layout = FlowLayout(self.chips)
        self.no_tags = _hint_label(self)
        self.field = QLineEdit(self)
        self.field.setPlaceholderText(self.tr("Add tags, separated by commas"))
        self._names = QStringListModel(self)
        completer = QCompleter(self._names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.field.setCompleter(completer)
        self.add_button = QPushButton(self.tr("Add"), self)
        self.add_button.setToolTip(self.tr("Tag the shown incident"))

        self.all_heading = QLabel(self.tr("All tags"), self)
        self.all_heading.setFont(bold)
        self.filter_bar = QWidget(self)
        self.filter_label = QLabel(self.filter_bar)
        self.filter_label.setTextFormat(Qt.TextFormat.PlainText)
        self.filter_label.setWordWrap(True)
        self.clear_filter_button = QToolButton(self.filter_bar)
        self.clear_filter_action = QAction(self.tr("Clear tag filter"), self)
        self.clear_filter_action.triggered.connect(self.clear_tag_filter)
        self.clear_filter_button.setDefaultAction(self.clear_filter_action)
        bar = QHBoxLayout(self.filter_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.filter_label, 1)
        bar.addWidget(self.clear_filter_button)
        self.filter_bar.hide()

        self.view = _record_view(self, self.model)
        header = self.view.header()
        header.setSectionResizeMode(TagsModel.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(TagsModel.USES, QHeaderView.ResizeMode.ResizeToContents)
        self.status = _hint_label(self)

        adding = QHBoxLayout()
        adding.addWidget(self.field, 1)
        adding.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.incident_heading)
        layout.addWidget(self.chips)
        layout.addWidget(self.no_tags)
        layout.addLayout(adding)
        layout.addSpacing(6)
        layout.addWidget(self.all_heading)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)

        self.add_button.clicked.connect(self.add_from_field)
        self.field.returnPressed.connect(self.add_from_field)
        self.view.activated.connect(self._activated)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self._update_incident_widgets()

    # --- public API -------------------------------------------------------------------------

    def set_archive(
        self,
        archive: Archive | None,
        runner: TaskRunner | None,
        stack: QUndoStack | None,
        events: ResearchEvents | None,
    ) -> None:
        super().set_archive(archive, runner, stack, events)
        self._incident_id = None
        self._incident_tags = []
        self._set_active_filter("")
        self.model.set_records([])
        self._update_incident_widgets()
        self.refresh()

    def _event_slots(self, events: ResearchEvents) -> list[tuple[Any, Callable[..., None]]]:
        return [(events.tags_changed, self._changed), (events.annotations_changed, self._changed)]

    def show_incident(self, incident_id: int) -> None:
        """Show (and let the researcher change) this incident's tags."""
        if incident_id == self._incident_id:
            return
        self._incident_id = incident_id
        self._incident_tags = []
        self._update_incident_widgets()
        self.refresh()

    def clear(self) -> None:
        """Forget the current incident."""
        self._incident_id = None
        self._incident_tags = []
        self._update_incident_widgets()

    @property
    def incident_id(self) -> int | None:
        return self._incident_id

    def incident_tag_names(self) -> list[str]:
        return [tag.name for tag in self._incident_tags]

    def refresh(self) -> None:
        if not self._ready():
            return
        archive, incident_id = self._archive, self._incident_id
        assert archive is not None

        def work() -> tuple[int | None, list[research.TagView], list[research.TagView]]:
            shown = research.incident_tags(archive, incident_id) if incident_id else []
            return incident_id, research.tags_with_counts(archive), shown

        self._read(work, self._loaded)

    def tag_named(self, name: str) -> research.TagView | None:
        key = _tag_key(name)
        return next((tag for tag in self.model.records() if _tag_key(tag.name) == key), None)

    # --- changes (what the field, the chips and the context menu do) --------------------------

    def add_from_field(self) -> bool:
        names = split_tag_names(self.field.text())
        if not names or not self.add_tags(names):
            return False
        self.field.clear()
        return True

    def add_tags(self, names: Sequence[str]) -> bool:
        if self._incident_id is None or not names:
            return False
        return self._push(commands.TagIncident, self._incident_id, list(names))

    def remove_tag(self, name: str) -> bool:
        if self._incident_id is None:
            return False
        return self._push(commands.TagIncident, self._incident_id, [name], remove=True)

    def rename_tag(self, old: str, new: str) -> bool:
        """Rename a tag; onto an existing tag's name this merges the two (undoable)."""
        new = " ".join(new.split())
        if not new or new == old:
            return False
        return self._push(commands.RenameTag, old, new)

    def merge_tag(self, source: str, target: str) -> bool:
        target = " ".join(target.split())
        if not target or _tag_key(target) == _tag_key(source):
            return False
        return self._push(commands.MergeTags, [source], target)

    def set_tag_color(self, tag: research.TagView, color: str) -> bool:
        if QColor(color).name() == QColor(tag.color).name():
            return False
        return self._push(commands.SetTagColor, tag.id, QColor(color).name())

    def show_tagged(self, name: str) -> None:
        """Ask the window to show only the incidents with this tag."""
        self._set_active_filter(name)
        self.tag_filter_requested.emit(name)

    def clear_tag_filter(self) -> None:
        self._set_active_filter("")
        self.tag_filter_requested.emit("")

    def ask_rename(self, tag: research.TagView) -> None:
        dialog = RenameTagDialog(tag, [t.name for t in self.model.records()], self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.rename_tag(tag.name, dialog.field.text())

    def ask_merge(self, tag: research.TagView) -> None:
        dialog = MergeTagDialog(tag, [t.name for t in self.model.records()], self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.merge_tag(tag.name, dialog.target.currentText())

    def ask_color(self, tag: research.TagView) -> None:
        color = QColorDialog.getColor(
            QColor(tag.color), self, self.tr("Colour of “{0}”").format(tag.name)
        )
        if color.isValid():
            self.set_tag_color(tag, color.name())

    def context_menu(self, tag: research.TagView) -> QMenu:
        """The menu for one tag (shown on right-click)."""
        menu = QMenu(self)
        menu.addAction(self.tr("Show incidents with this tag"), lambda: self.show_tagged(tag.name))
        if self._active_filter:
            menu.addAction(self.clear_filter_action)
        menu.addSeparator()
        menu.addAction(self.tr("Rename…"), lambda: self.ask_rename(tag))
        merge = menu.addAction(self.tr("Merge into…"), lambda: self.ask_merge(tag))
        merge.setEnabled(self.model.rowCount() > 1)
        menu.addAction(
            swatch_icon(safe_color(tag.color)), self.tr("Colour…"), lambda: self.ask_color(tag)
        )
        if self._incident_id is not None:
            menu.addSeparator()
            if _tag_key(tag.name) in {_tag_key(t.name) for t in self._incident_tags}:
                menu.addAction(
                    self.tr("Remove from this incident"), lambda: self.remove_tag(tag.name)
                )
            else:
                menu.addAction(self.tr("Add to this incident"), lambda: self.add_tags([tag.name]))
        return menu

    # --- inside -------------------------------------------------------------------------------

    def _changed(self, _incident_id: int) -> None:
        self.refresh()

    def _loaded(
        self, found: tuple[int | None, list[research.TagView], list[research.TagView]]
    ) -> None:
        incident_id, tags, shown = found
        selected = self.model.tag(self.view.currentIndex().row())
        self.model.set_records(tags)
        self._names.setStringList([tag.name for tag in tags])
        if selected is not None and (row := self.model.row_of(selected.id)) >= 0:
            self.view.setCurrentIndex(self.model.index(row, 0))
        if incident_id == self._incident_id:
            self._incident_tags = shown
            self._update_incident_widgets()
        if not tags:
            self._show_status(self.tr("No tags yet: tag an incident above, or an annotation."))
        else:
            self._show_status(self.tr("Right-click a tag to rename, merge or recolour it."))
        self.loaded.emit()

    def _update_incident_widgets(self) -> None:
        while (item := self.chips_layout.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        for tag in self._incident_tags:
            self.chips_layout.addWidget(self._chip(tag))
        has_incident = self._incident_id is not None
        self.field.setEnabled(has_incident and self._archive is not None)
        self.add_button.setEnabled(has_incident and self._archive is not None)
        self.chips.setVisible(bool(self._incident_tags))
        self.no_tags.setVisible(not self._incident_tags)
        self.no_tags.setText(
            self.tr("No tags on this incident.")
            if has_incident
            else self.tr("Open an incident to tag it.")
        )
        self.chips_layout.invalidate()

    def _chip(self, tag: research.TagView) -> QToolButton:
        chip = QToolButton(self.chips)
        chip.setText(menu_text(tag.name) + "  ✕")
        chip.setObjectName("tagChip")
        chip.setProperty("tagName", tag.name)
        chip.setToolTip(plain_tooltip(self.tr("Remove “{0}” from this incident").format(tag.name)))
        chip.setAccessibleName(self.tr("Remove tag {0}").format(tag.name))
        background = safe_color(tag.color)
        chip.setStyleSheet(
            f"QToolButton {{ background: {background}; color: {_text_color_on(background)}; "
            "border: 1px solid rgba(0, 0, 0, 60); border-radius: 9px; padding: 1px 8px; }"
            "QToolButton:hover { border: 1px solid palette(highlight); }"
        )
        chip.clicked.connect(self._chip_clicked)
        return chip

    def _chip_clicked(self) -> None:
        chip = self.sender()
        if chip is not None:
            self.remove_tag(str(chip.property("tagName")))

    def _set_active_filter(self, name: str) -> None:
        self._active_filter = name
        self.filter_bar.setVisible(bool(name))
        self.filter_label.setText(self.tr("Showing incidents tagged “{0}”").format(name))

    def _show_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        set_tone(self.status, error=error)

    def _activated(self, index: QModelIndex) -> None:
        tag = self.model.tag(index.row())
        if tag is not None:
            self.show_tagged(tag.name)

    def _context_menu(self, position: QPoint) -> None:
        tag = self.model.tag(self.view.indexAt(position).row())
        if tag is not None:
            _popup(self.context_menu(tag), self.view, position)
        elif self._active_filter:
            menu = QMenu(self)
            menu.addAction(self.clear_filter_action)
            _popup(menu, self.view, position)


# -- bookmarks ---------------------------------------------------------------------------------


def bookmark_place_text(bookmark: research.BookmarkView) -> str:
    if bookmark.start is None:
        return ""
    if bookmark.orphaned:
        return _translate("(place lost)")
    return _translate("(place in article)")


def bookmark_target(bookmark: research.BookmarkView) -> tuple[int, int]:
    """(incident id, start) to open; start is -1 for the whole article, and for a place
    that could not be found again after the article changed."""
    start = -1 if bookmark.start is None or bookmark.orphaned else bookmark.start
    return bookmark.incident_id, start


class BookmarksModel(_RecordsModel):
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


class BookmarksPane(_ResearchPane):
    """Every bookmark; activating one asks the window to open it."""

    bookmark_activated = Signal(int, int)  # incident id, start (-1: the whole article)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = BookmarksModel(self)
        self.view = _record_view(self, self.model)
        header = self.view.header()
        header.setSectionResizeMode(BookmarksModel.LABEL, QHeaderView.ResizeMode.Stretch)
        # label and incident share the room: a fixed incident column left a narrow dock
        # showing only the first word of every label
        header.setSectionResizeMode(BookmarksModel.INCIDENT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(BookmarksModel.PLACE, QHeaderView.ResizeMode.ResizeToContents)
        self.view.installEventFilter(_DeleteKey(self.view, self.delete_selected))
        self.status = _hint_label(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        self.view.activated.connect(self._activate)
        self.view.clicked.connect(self._activate)
        self.view.customContextMenuRequested.connect(self._context_menu)

    def set_archive(
        self,
        archive: Archive | None,
        runner: TaskRunner | None,
        stack: QUndoStack | None,
        events: ResearchEvents | None,
    ) -> None:
        super().set_archive(archive, runner, stack, events)
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
        return self._push(commands.RenameBookmark, bookmark_id, label)

    def delete_bookmark(self, bookmark_id: int) -> bool:
        return self._push(commands.DeleteBookmark, bookmark_id)

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
            _popup(self.context_menu(bookmark), self.view, position)


def fill_bookmarks_menu(
    menu: QMenu,
    bookmarks: list[research.BookmarkView],
    activate: Callable[[int, int], None],
) -> None:
    """Append one entry per bookmark to menu (the window's Bookmarks menu); choosing one
    calls activate(incident id, start or -1)."""
    if not bookmarks:
        action = menu.addAction(_translate("No bookmarks"))
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
            _translate("{0} more in the Bookmarks pane").format(
                len(bookmarks) - MENU_BOOKMARKS_LIMIT
            )
        )
        more.setEnabled(False)


# -- the note ----------------------------------------------------------------------------------


class _InertDocument(QTextDocument):
    """A document that asks nobody for a resource (an image, a style sheet...)."""

    def loadResource(self, kind: int, name: QUrl) -> Any:
        return None


def inert_markdown(text: str, parent: QObject | None = None) -> QTextDocument:
    """Markdown rendered into a document that shows no picture and runs no HTML.

    Raw HTML stays text (MarkdownNoHTML). Overriding loadResource is not enough for
    pictures: Qt's image handler reads a local file itself when no resource is found. So
    every picture is replaced by a text placeholder before anything lays the document out.
    """
    document = _InertDocument(parent)
    document.setMarkdown(
        text,
        QTextDocument.MarkdownFeature.MarkdownDialectGitHub
        | QTextDocument.MarkdownFeature.MarkdownNoHTML,
    )
    plain = document.toPlainText()
    cursor = QTextCursor(document)
    position = plain.rfind(OBJECT_CHARACTER)
    while position != -1:
        cursor.setPosition(position + 1)  # charFormat() is the character's before the cursor
        image = cursor.charFormat()
        if image.isImageFormat():
            cursor.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
            placeholder = QTextCharFormat()
            placeholder.setFontItalic(True)
            name = image.toImageFormat().name()
            cursor.insertText(_translate("[picture not shown: {0}]").format(name), placeholder)
        position = plain.rfind(OBJECT_CHARACTER, 0, position)
    return document


class NotePreview(QTextBrowser):
    """Shows a Markdown note rendered, loading and opening nothing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocument(_InertDocument(self))
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)

    def loadResource(self, kind: int, name: QUrl) -> Any:
        return None

    def show_markdown(self, text: str) -> None:
        previous = self.document()
        self.setDocument(inert_markdown(text, self))
        previous.deleteLater()


class NoteEditor(_ResearchPane):
    """The research note of the shown incident, saved as the researcher types.

    Saving is an undoable SaveNote (consecutive saves of one note merge into one undo
    step): ~0.7 s after the last keystroke, and at once when the editor loses focus, another
    incident is shown, or flush() is called. A failed save keeps the text, says so in red,
    and is tried again on the next edit (or when coming back to the incident).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._incident_id: int | None = None
        self._loaded = False
        self._saved: tuple[str, str] = ("", "plain")
        self._setting = False
        self._own_change = False
        # Notes whose save failed, by incident: (text and format before, what was typed).
        self._unsaved: dict[int, tuple[tuple[str, str], tuple[str, str]]] = {}

        self.editor = QPlainTextEdit(self)
        self.editor.setTabChangesFocus(False)
        self.preview = NotePreview(self)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.editor)
        self.pages.addWidget(self.preview)
        self.markdown = QCheckBox(self.tr("Markdown"), self)
        self.markdown.setToolTip(self.tr("The note is written in Markdown"))
        self.preview_button = QToolButton(self)
        self.preview_button.setText(self.tr("Preview"))
        self.preview_button.setCheckable(True)
        self.preview_button.setToolTip(self.tr("Show the Markdown note rendered"))
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.status.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.markdown)
        top.addWidget(self.preview_button)
        top.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(NOTE_SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.editor.textChanged.connect(self._edited)
        self.editor.installEventFilter(self)
        self.markdown.toggled.connect(self._format_changed)
        self.preview_button.toggled.connect(self._show_preview)
        self._update_widgets()

    # --- public API -------------------------------------------------------------------------

    def set_archive(
        self,
        archive: Archive | None,
        runner: TaskRunner | None,
        stack: QUndoStack | None,
        events: ResearchEvents | None,
    ) -> None:
        # The window cleared the undo stack for the new archive: save what is typed to the
        # old one (never lose text), but not as a step of the new archive's undo history.
        self._timer.stop()
        if self._dirty():
            self._save(undoable=False)
        self._save_unsaved(undoable=False)
        for incident_id in self._unsaved:
            log.error("The note on incident %s could not be saved", incident_id)
        self._unsaved.clear()
        super().set_archive(archive, runner, stack, events)
        self._forget()

    def _event_slots(self, events: ResearchEvents) -> list[tuple[Any, Callable[..., None]]]:
        return [(events.note_changed, self._note_changed)]

    def show_incident(self, incident_id: int) -> None:
        """Save the shown note if it changed, then load this incident's note."""
        if incident_id == self._incident_id:
            return
        self.flush()
        self._forget()
        self._incident_id = incident_id
        self._update_widgets()
        self._load()

    def clear(self) -> None:
        """Save the shown note if it changed, then show none."""
        self.flush()
        self._forget()

    def flush(self) -> bool:
        """Save now what is typed, and retry notes of other incidents whose save failed
        (the window calls this before closing). False: something could not be saved (the
        text is kept, and the status says why)."""
        self._timer.stop()
        saved = self._save(undoable=True) if self._dirty() else True
        return self._save_unsaved(undoable=True) and saved

    @property
    def incident_id(self) -> int | None:
        return self._incident_id

    def text(self) -> str:
        return self.editor.toPlainText()

    def note_format(self) -> str:
        return "markdown" if self.markdown.isChecked() else "plain"

    def has_unsaved_changes(self) -> bool:
        return self._dirty() or bool(self._unsaved)

    # --- inside -------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.editor and event.type() == QEvent.Type.FocusOut:
            self.flush()
        return super().eventFilter(watched, event)

    def _forget(self) -> None:
        self._timer.stop()
        self._incident_id = None
        self._loaded = False
        self._saved = ("", "plain")
        self._set_content("", "plain")
        self.preview_button.setChecked(False)
        self.status.clear()
        self._update_widgets()

    def _load(self) -> None:
        if not self._ready() or self._incident_id is None:
            return
        archive, incident_id = self._archive, self._incident_id
        assert archive is not None

        def work() -> tuple[int, tuple[str, str]]:
            return incident_id, research.get_note(archive, incident_id)

        self._read(work, self._note_loaded)

    def _note_loaded(self, found: tuple[int, tuple[str, str]]) -> None:
        incident_id, stored = found
        if incident_id != self._incident_id:
            return
        first_load = not self._loaded
        edited = self._loaded and self._dirty()
        self._loaded = True
        self._saved = stored
        pending = self._unsaved.pop(incident_id, None) if first_load else None
        if pending is not None:  # a save that failed earlier: show that text, save again
            self._set_content(*pending[1])
            self._show_status(self.tr("Saving…"))
            self._timer.start()
        elif not edited:  # never replace what the researcher is typing
            self._set_content(*stored)
            self._show_status(self.tr("Saved") if stored[0] else "")
            if self.preview_button.isChecked():
                self._show_preview(True)
        self._update_widgets()
        self.loaded.emit()

    def _note_changed(self, incident_id: int) -> None:
        if not self._own_change and incident_id in (0, self._incident_id):
            self._load()  # an undo or redo changed the note under the editor

    def _set_content(self, text: str, fmt: str) -> None:
        self._setting = True
        try:
            if self.editor.toPlainText() != text:
                self.editor.setPlainText(text)
            self.markdown.setChecked(fmt == "markdown")
        finally:
            self._setting = False

    def _dirty(self) -> bool:
        if self._incident_id is None or not self._loaded:
            return False
        return (self.editor.toPlainText(), self.note_format()) != self._saved

    def _edited(self) -> None:
        if self._setting or not self._loaded:
            return
        self._show_status(self.tr("Saving…"))
        self._timer.start()

    def _format_changed(self, markdown: bool) -> None:
        self.preview_button.setEnabled(markdown and self._loaded)
        if not markdown:
            self.preview_button.setChecked(False)
        if not self._setting and self._loaded:
            self.flush()

    def _save(self, *, undoable: bool) -> bool:
        incident_id = self._incident_id
        if incident_id is None or self._archive is None or self._events is None:
            return True
        after = (self.editor.toPlainText(), self.note_format())
        self._own_change = True
        try:
            if undoable and self._stack is not None:
                error = push_change(
                    self._stack,
                    commands.SaveNote,
                    self._archive,
                    self._events,
                    incident_id,
                    self._saved,
                    after,
                )
            else:
                error = self._save_outside_history(incident_id, self._saved, after)
        finally:
            self._own_change = False
        if error is not None:
            self._unsaved[incident_id] = (self._saved, after)
            self._show_status(
                self.tr(
                    "Not saved: {0} (your text is kept; saving again on the next change)"
                ).format(error),
                error=True,
            )
            return False
        self._unsaved.pop(incident_id, None)
        self._saved = after
        self._show_status(self.tr("Saved"))
        return True

    def _save_unsaved(self, *, undoable: bool) -> bool:
        """Try again to save the notes of other incidents whose save failed."""
        if self._archive is None or self._events is None:
            return not self._unsaved
        for incident_id, (before, after) in list(self._unsaved.items()):
            if incident_id == self._incident_id:
                continue  # the editor shows it: saved from there
            self._own_change = True
            try:
                if undoable and self._stack is not None:
                    error = push_change(
                        self._stack,
                        commands.SaveNote,
                        self._archive,
                        self._events,
                        incident_id,
                        before,
                        after,
                    )
                else:
                    error = self._save_outside_history(incident_id, before, after)
            finally:
                self._own_change = False
            if error is None:
                del self._unsaved[incident_id]
        return not self._unsaved

    def _save_outside_history(
        self, incident_id: int, before: tuple[str, str], after: tuple[str, str]
    ) -> Exception | None:
        assert self._archive is not None and self._events is not None
        command = commands.SaveNote(self._archive, self._events, incident_id, before, after)
        try:
            command.redo()
        except (research.ResearchError, ArchiveError) as exc:
            return exc
        return None

    def _show_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setToolTip(plain_tooltip(text) if error else "")
        set_tone(self.status, error=error)

    def _show_preview(self, on: bool) -> None:
        if on:
            self.flush()
            self.preview.show_markdown(self.editor.toPlainText())
        self.pages.setCurrentWidget(self.preview if on else self.editor)

    def _update_widgets(self) -> None:
        ready = self._incident_id is not None and self._loaded
        self.editor.setReadOnly(not ready)
        self.editor.setEnabled(self._incident_id is not None)
        self.markdown.setEnabled(ready)
        self.preview_button.setEnabled(ready and self.markdown.isChecked())
        if self._incident_id is None:
            self.editor.setPlaceholderText(self.tr("Open an incident to write notes on it."))
        elif not self._loaded:
            self.editor.setPlaceholderText(self.tr("Loading the note…"))
        else:
            self.editor.setPlaceholderText(
                self.tr("Your notes on this incident. They are saved as you type.")
            )
