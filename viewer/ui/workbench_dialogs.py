"""Dialogs of the workbench: correcting a fact of the infobox card, and saying where an
article was published."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viewer.ui.deferred import deferred

if TYPE_CHECKING:
    from viewer.services import corrections, sources
    from viewer.services.reading import FactRow
else:
    corrections = deferred("viewer.services.corrections")
    sources = deferred("viewer.services.sources")


FIELD_NAMES = {
    "date": "Date",
    "place": "Place",
    "country": "Country",
    "fatalities": "Killed",
    "injuries": "Injured",
    "perpetrators": "Perpetrators",
    "type": "Type",
}
EXAMPLES = {
    "date": "2024-02-07, 7 February 2024, 7–8 February 2024, 2024-02-07/2024-02-08",
    "place": "Mastung, Balochistan, Pakistan",
    "country": "Pakistan",
    "fatalities": "60, 28–30, 40+",
    "injuries": "60, 28–30, 40+",
    "perpetrators": "Islamic State (suspected); Tehrik-i-Taliban Pakistan",
    "type": "Suicide bombing; Mass shooting",
}


def _error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setStyleSheet("color: #c0392b;")
    label.hide()
    return label


class CorrectionDialog(QDialog):
    """Your value for a fact, with a note; checked as extraction would read it. An existing
    correction can be removed (extraction decides again)."""

    def __init__(self, field: str, facts: list[FactRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Correct a Fact"))
        self.remove = False
        self._facts = {fact.field: fact for fact in facts if fact.field}
        self.field_box = QComboBox(self)
        for name in corrections.CORRECTABLE_FIELDS:
            self.field_box.addItem(self.tr(FIELD_NAMES[name]), name)
        self.value = QLineEdit(self)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText(self.tr("why, e.g. the source that gives the right value"))
        self.article = QLabel(self)
        self.article.setWordWrap(True)
        self.error = _error_label(self)
        form = QFormLayout()
        form.addRow(self.tr("Fact"), self.field_box)
        form.addRow(self.tr("Right value"), self.value)
        form.addRow(self.tr("Note"), self.note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.remove_button = QPushButton(self.tr("Remove Correction"), self)
        self.buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.remove_button.clicked.connect(self._remove)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.article)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.field_box.currentIndexChanged.connect(lambda _n: self._show_field())
        index = self.field_box.findData(field)
        self.field_box.setCurrentIndex(max(index, 0))
        self._show_field()
        self.resize(520, self.sizeHint().height())

    @property
    def field(self) -> str:
        return str(self.field_box.currentData())

    def _show_field(self) -> None:
        fact = self._facts.get(self.field)
        self.value.setText(fact.shown if fact else "")
        self.value.setPlaceholderText(EXAMPLES[self.field])
        self.note.setText(fact.note or "" if fact and fact.corrected else "")
        said = fact.raw if fact and fact.raw else self.tr("(nothing)")
        self.article.setText(self.tr("The article says: {0}").format(said))
        self.remove_button.setVisible(bool(fact and fact.corrected))
        self.error.hide()

    def _accept(self) -> None:
        try:
            corrections.check(self.field, self.value.text())
        except corrections.CorrectionError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.accept()

    def _remove(self) -> None:
        self.remove = True
        self.accept()


class SourceDialog(QDialog):
    """Where the article was published and when you read it; empty keeps what the import
    found (its address, the site)."""

    def __init__(self, view: sources.SourceView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Source of “{0}”").format(view.title))
        self.url = QLineEdit(view.url or "", self)
        self.url.setPlaceholderText("https://en.wikipedia.org/wiki/…")
        self.site = QLineEdit(view.site or "", self)
        self.site.setPlaceholderText("Wikipedia")
        self.accessed = QLineEdit(view.accessed, self)
        self.accessed.setPlaceholderText(self.tr("2024-05-01, or today"))
        details = QLabel(
            self.tr("File: {0} ({1})\nRevision: {2}").format(
                view.path, view.format, view.issued or self.tr("not given by the input")
            ),
            self,
        )
        details.setWordWrap(True)
        self.error = _error_label(self)
        form = QFormLayout()
        form.addRow(self.tr("Address (URL)"), self.url)
        form.addRow(self.tr("Site"), self.site)
        form.addRow(self.tr("Read on"), self.accessed)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(details)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def _accept(self) -> None:
        try:
            if self.url.text().strip():
                sources.check_url(self.url.text())
            if self.accessed.text().strip():
                sources.check_accessed(self.accessed.text())
        except sources.SourceError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.accept()
