"""The annotations pane: the researcher's highlights of the shown incident or of all
incidents, filtered by colour, tag, text and state."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from viewer.annotation_colors import COLOR_NAMES, color_value
from viewer.ui.deferred import deferred
from viewer.ui.research import undo
from viewer.ui.research.base import RecordsModel, ResearchPane
from viewer.ui.research.undo import ResearchEvents
from viewer.ui.research.widgets import (
    ORPHAN_COLOR,
    DeleteKey,
    abbreviate,
    color_label,
    hint_label,
    popup,
    record_view,
    safe_color,
    set_tone,
    swatch_icon,
    usage_text,
)
from viewer.ui.richtext import plain_tooltip

if TYPE_CHECKING:
    from viewer.services import research
else:
    research = deferred("viewer.services.research")


class AnnotationsModel(RecordsModel):
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
            return swatch_icon(color_value(a.color))
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


class AnnotationsPane(ResearchPane):
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
        for name in COLOR_NAMES:
            self.color_filter.addItem(swatch_icon(color_value(name)), color_label(name), name)
        self.color_filter.setToolTip(self.tr("Show only annotations of this colour"))
        self.tag_filter = QComboBox(self)
        self.tag_filter.setEditable(True)
        self.tag_filter.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        field, completer = self.tag_filter.lineEdit(), self.tag_filter.completer()
        assert field is not None and completer is not None  # an editable combo box has both
        field.setPlaceholderText(self.tr("All tags"))
        field.setClearButtonEnabled(True)
        self.tag_filter.setToolTip(self.tr("Show only annotations with this tag"))
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tag_filter.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.author_filter = QComboBox(self)
        self.author_filter.addItem(self.tr("All authors"), "")
        self.author_filter.setToolTip(self.tr("Show only annotations this person wrote"))
        self.text_filter = QLineEdit(self)
        self.text_filter.setPlaceholderText(self.tr("Filter by words in passage or note"))
        self.text_filter.setClearButtonEnabled(True)
        self.orphaned_only = QCheckBox(self.tr("Orphaned only"), self)
        self.orphaned_only.setToolTip(
            self.tr("Annotations whose passage was not found after the article changed")
        )

        self.view = record_view(self, self.model)
        header = self.view.header()
        header.setMinimumSectionSize(24)
        for column in range(self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(AnnotationsModel.COLOR, QHeaderView.ResizeMode.Fixed)
        # the viewport, not the view: its size is only current after the view's own resize
        self.view.viewport().installEventFilter(self)
        self.view.installEventFilter(DeleteKey(self.view, self.delete_selected))
        self.status = hint_label(self)

        filters = QHBoxLayout()
        filters.addWidget(self.color_filter)
        filters.addWidget(self.author_filter)
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
        self.author_filter.currentIndexChanged.connect(self.refresh)
        self.tag_filter.currentTextChanged.connect(lambda _text: self._text_timer.start())
        self.text_filter.textChanged.connect(lambda _text: self._text_timer.start())
        self.orphaned_only.toggled.connect(self.refresh)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.activated.connect(self._activate)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self._mode_changed(self.THIS_INCIDENT)

    # --- public API -------------------------------------------------------------------------

    def _archive_changed(self) -> None:
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
            "author": self.author_filter.currentData() or None,
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
        self._read(lambda: research.tags_with_counts(archive), self._tags_loaded, key="tags")
        self._read(
            lambda: research.annotation_authors(archive), self._authors_loaded, key="authors"
        )

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
        return self._push(undo.DeleteAnnotation, annotation)

    def delete_selected(self) -> bool:
        annotation = self.selected_annotation()
        return annotation is not None and self.delete_annotation(annotation)

    def set_color_value(self, annotation: research.AnnotationView, color: str) -> bool:
        if color == annotation.color:
            return False
        return self._push(
            undo.EditAnnotation,
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
            undo.EditAnnotation,
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
        for name in COLOR_NAMES:
            action = colours.addAction(swatch_icon(color_value(name)), color_label(name))
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
        self.set_color_value(annotation, color)

    # --- inside -------------------------------------------------------------------------------

    def _context_menu(self, position: QPoint) -> None:
        annotation = self.model.annotation(self.view.indexAt(position).row())
        if annotation is not None:
            popup(self.context_menu(annotation), self.view, position)

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

    def _authors_loaded(self, authors: list[str]) -> None:
        """The authors to filter by: everyone who wrote an annotation here."""
        chosen = self.author_filter.currentData() or ""
        self.author_filter.blockSignals(True)
        self.author_filter.clear()
        self.author_filter.addItem(self.tr("All authors"), "")
        for author in authors:
            self.author_filter.addItem(author, author)
        index = self.author_filter.findData(chosen)
        self.author_filter.setCurrentIndex(max(index, 0))
        self.author_filter.blockSignals(False)
        self.author_filter.setVisible(len(authors) > 1 or bool(chosen))

    def _tags_loaded(self, tags: list[research.TagView]) -> None:
        text = self.tag_filter.currentText()
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.addItem("")
        for tag in tags:
            self.tag_filter.addItem(swatch_icon(safe_color(tag.color)), tag.name, tag.name)
            self.tag_filter.setItemData(
                self.tag_filter.count() - 1,
                plain_tooltip(tag.name, usage_text(tag.incidents, tag.annotations)),
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
