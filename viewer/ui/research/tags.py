"""The tags pane: every tag with its colour and use, the shown incident's tags as
chips, rename / merge / colour dialogs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPoint, QStringListModel, Qt, Signal
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from viewer.services.vocabulary import tag_key
from viewer.ui.deferred import deferred
from viewer.ui.research import undo
from viewer.ui.research.base import RecordsModel, ResearchPane
from viewer.ui.research.undo import ResearchEvents
from viewer.ui.research.widgets import (
    FlowLayout,
    hint_label,
    menu_text,
    popup,
    record_view,
    safe_color,
    set_tone,
    swatch_icon,
    text_color_on,
    usage_text,
)
from viewer.ui.richtext import plain_tooltip

if TYPE_CHECKING:
    from viewer.services import research
else:
    research = deferred("viewer.services.research")


def split_tag_names(text: str) -> list[str]:
    """Tag names typed into a field, separated by commas."""
    return [" ".join(name.split()) for name in text.split(",") if name.strip()]


class TagsModel(RecordsModel):
    """Tags (research.TagView) with their colour and how much they are used."""

    NAME, USES = range(2)

    def headers(self) -> list[str]:
        return [self.tr("Tag"), self.tr("Used on")]

    def tag(self, row: int) -> research.TagView | None:
        record = self.record(row)
        return record if isinstance(record, research.TagView) else None

    def cell(self, tag: research.TagView, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return tag.name if column == self.NAME else usage_text(tag.incidents, tag.annotations)
        if role == Qt.ItemDataRole.DecorationRole and column == self.NAME:
            return swatch_icon(safe_color(tag.color))
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(tag.name, usage_text(tag.incidents, tag.annotations))
        return None


class RenameTagDialog(QDialog):
    """Asks for a tag's new name, and says when the name is taken that the two tags will
    be merged."""

    def __init__(self, tag: research.TagView, names: Sequence[str], parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Rename tag"))
        self._tag = tag
        self._existing = {tag_key(name): name for name in names}
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
        key = tag_key(self.field.text())
        target = self._existing.get(key)
        return target if target is not None and key != tag_key(self._tag.name) else None

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
        self.target.addItems([name for name in names if tag_key(name) != tag_key(tag.name)])
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


class TagsPane(ResearchPane):
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
        self.no_tags = hint_label(self)
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

        self.view = record_view(self, self.model)
        header = self.view.header()
        header.setSectionResizeMode(TagsModel.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(TagsModel.USES, QHeaderView.ResizeMode.ResizeToContents)
        self.status = hint_label(self)

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

    def _archive_changed(self) -> None:
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
        key = tag_key(name)
        return next((tag for tag in self.model.records() if tag_key(tag.name) == key), None)

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
        return self._push(undo.TagIncident, self._incident_id, list(names))

    def remove_tag(self, name: str) -> bool:
        if self._incident_id is None:
            return False
        return self._push(undo.TagIncident, self._incident_id, [name], remove=True)

    def rename_tag(self, old: str, new: str, version: int | None = None) -> bool:
        """Rename a tag; onto an existing tag's name this merges the two (undoable). With
        version (the one shown), a teammate's change made meanwhile is a conflict."""
        new = " ".join(new.split())
        if not new or new == old:
            return False
        return self._push_tag_change(undo.RenameTag, old, new, version)

    def merge_tag(self, source: str, target: str, version: int | None = None) -> bool:
        target = " ".join(target.split())
        if not target or tag_key(target) == tag_key(source):
            return False
        versions = {source: version} if version is not None else None
        return self._push_tag_change(undo.MergeTags, [source], target, versions)

    def set_tag_color(self, tag: research.TagView, color: str) -> bool:
        if QColor(color).name() == QColor(tag.color).name():
            return False
        return self._push_tag_change(undo.SetTagColor, tag.id, QColor(color).name(), tag.version)

    def _push_tag_change(self, command_class: type[undo.Change], *args: Any) -> bool:
        """A refused change (a teammate changed the tag meanwhile) shows the tags as they
        are now, so that the user retries from what is there."""
        done = self._push(command_class, *args)
        if not done:
            self.refresh()
        return done

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
            self.rename_tag(tag.name, dialog.field.text(), tag.version)

    def ask_merge(self, tag: research.TagView) -> None:
        dialog = MergeTagDialog(tag, [t.name for t in self.model.records()], self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.merge_tag(tag.name, dialog.target.currentText(), tag.version)

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
            if tag_key(tag.name) in {tag_key(t.name) for t in self._incident_tags}:
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
            f"QToolButton {{ background: {background}; color: {text_color_on(background)}; "
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
            popup(self.context_menu(tag), self.view, position)
        elif self._active_filter:
            menu = QMenu(self)
            menu.addAction(self.clear_filter_action)
            popup(menu, self.view, position)
