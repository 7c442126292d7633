"""The annotation dialog: colour (Alt+1 to Alt+5), note and tags of a highlight; delete."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from viewer.annotation_colors import ANNOTATION_COLORS, COLOR_NAMES, DEFAULT_COLOR


class AnnotationDialog(QDialog):
    """Edits one annotation (new or existing). result_delete is set when Delete was chosen."""

    def __init__(
        self,
        quote: str,
        *,
        color: str = DEFAULT_COLOR,
        note: str | None = None,
        tags: list[str] | None = None,
        known_tags: list[str] | None = None,
        existing: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Annotation") if existing else self.tr("New annotation"))
        self.result_delete = False
        layout = QFormLayout(self)
        excerpt = QLabel(self)
        excerpt.setTextFormat(Qt.TextFormat.PlainText)
        excerpt.setWordWrap(True)
        excerpt.setText(f"“{quote if len(quote) < 300 else quote[:297] + '…'}”")
        layout.addRow(excerpt)
        row = QHBoxLayout()
        self.colours = QButtonGroup(self)
        for number, name in enumerate(COLOR_NAMES, start=1):
            # "&1": Alt+1 picks it (plain digits would be typed into the note)
            button = QRadioButton(f"&{number} {self.tr(name.capitalize())}", self)
            button.setStyleSheet(
                f"QRadioButton {{ background: {ANNOTATION_COLORS[name]}; color: black; "
                "padding: 2px 6px; border-radius: 3px; }"
            )
            button.setChecked(name == color)
            self.colours.addButton(button, number - 1)
            row.addWidget(button)
        self.colours.button(COLOR_NAMES.index(color) if color in COLOR_NAMES else 0).setChecked(
            True
        )
        layout.addRow(self.tr("Colour"), row)
        self.note = QPlainTextEdit(note or "", self)
        self.note.setPlaceholderText(self.tr("Optional note"))
        self.note.setTabChangesFocus(True)
        layout.addRow(self.tr("Note"), self.note)
        self.tags = QLineEdit(", ".join(tags or []), self)
        self.tags.setPlaceholderText(self.tr("Optional tags, separated by commas"))
        if known_tags:
            completer = QCompleter(known_tags, self)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            self.tags.setCompleter(completer)
        layout.addRow(self.tr("Tags"), self.tags)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        if existing:
            delete = buttons.addButton(
                self.tr("Delete"), QDialogButtonBox.ButtonRole.DestructiveRole
            )
            delete.clicked.connect(self._delete)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)
        self.note.setFocus()

    def _delete(self) -> None:
        self.result_delete = True
        self.accept()

    @property
    def color(self) -> str:
        return COLOR_NAMES[max(0, self.colours.checkedId())]

    @property
    def note_text(self) -> str | None:
        text = self.note.toPlainText().strip()
        return text or None

    @property
    def tag_names(self) -> list[str]:
        return [name.strip() for name in self.tags.text().split(",") if name.strip()]
