"""Edit > Preferences: the theme, the reader's font and size, the folder exports are offered
in, and the data location (where a new archive is kept, and the one opened when there is no
other). Each value is a Settings option; applying them is the window's own methods."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFontComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from viewer.paths import ARCHIVE_FILE_NAME, data_dir
from viewer.ui.settings import Settings
from viewer.ui.theme import THEMES

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


def export_folder(settings: Settings) -> Path:
    """Where export dialogs start: the chosen folder, else Documents, else home (never the
    program's hidden data folder)."""
    chosen = Path(settings.export_folder) if settings.export_folder else None
    if chosen is not None and chosen.is_dir():
        return chosen
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


def data_folder(settings: Settings) -> Path:
    """The data location: the chosen folder, else the program's user data folder."""
    return Path(settings.data_folder) if settings.data_folder else data_dir()


def default_archive(settings: Settings) -> Path:
    return data_folder(settings) / ARCHIVE_FILE_NAME


def reader_font(settings: Settings, base: QFont) -> QFont:
    """The reader's font before zoom: the chosen family and size over the application's."""
    font = QFont(base)
    if settings.reader_font_family:
        font.setFamily(settings.reader_font_family)
    if settings.reader_font_size > 0:
        font.setPointSizeF(settings.reader_font_size)
    return font


class FolderField(QWidget):
    """A folder as text, with Browse…; empty means the default, which shows as placeholder."""

    def __init__(self, text: str, default: Path, parent: QWidget) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(text, self)
        self.edit.setPlaceholderText(str(default))
        self.edit.setClearButtonEnabled(True)
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(browse)

    def _browse(self) -> None:
        start = self.edit.text() or self.edit.placeholderText()
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a folder"), start)
        if folder:
            self.edit.setText(folder)

    def text(self) -> str:
        return self.edit.text().strip()


class PreferencesDialog(QDialog):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        settings = window.settings
        self.setWindowTitle(self.tr("Preferences"))
        self.setMinimumWidth(520)
        self.theme = QComboBox(self)
        for name in THEMES:
            self.theme.addItem(self.tr(name.capitalize()), name)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
        self.font_family = QFontComboBox(self)
        self.font_family.setCurrentFont(reader_font(settings, window.reader.base_font))
        self.font_size = QDoubleSpinBox(self)
        self.font_size.setRange(6, 48)
        self.font_size.setDecimals(1)
        self.font_size.setSuffix(" pt")
        self.font_size.setValue(reader_font(settings, window.reader.base_font).pointSizeF())
        self.export_folder = FolderField(settings.export_folder, export_folder(settings), self)
        self.data_folder = FolderField(settings.data_folder, data_dir(), self)
        archive = window.archive
        current = QLabel(archive.location if archive is not None else self.tr("none"), self)
        current.setWordWrap(True)
        current.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout(self)
        form.addRow(self.tr("&Theme"), self.theme)
        form.addRow(self.tr("Reader &font"), self.font_family)
        form.addRow(self.tr("Reader font &size"), self.font_size)
        form.addRow(self.tr("&Export folder"), self.export_folder)
        form.addRow(self.tr("&Data location"), self.data_folder)
        hint = QLabel(
            self.tr(
                "New archives are offered there, and its archive.sqlite is opened when no "
                "other archive was open. The archive open now:"
            ),
            self,
        )
        hint.setWordWrap(True)
        form.addRow("", hint)
        form.addRow("", current)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        window, settings = self.window_, self.window_.settings
        settings.export_folder = self.export_folder.text()
        settings.data_folder = self.data_folder.text()
        base = window.reader.base_font
        family = self.font_family.currentFont().family()
        size = self.font_size.value()
        settings.reader_font_family = "" if family == base.family() else family
        settings.reader_font_size = 0.0 if abs(size - base.pointSizeF()) < 0.05 else size
        window.set_theme(str(self.theme.currentData()))
        window.reader.set_text_font(reader_font(settings, base), settings.reader_zoom)
        super().accept()


def add_preferences(window: MainWindow) -> QAction:
    """Edit > Preferences… (Ctrl+,)."""
    action = QAction(window.tr("Pre&ferences…"), window)
    action.setShortcut(QKeySequence("Ctrl+,"))
    action.setMenuRole(QAction.MenuRole.PreferencesRole)
    action.triggered.connect(lambda: PreferencesDialog(window).open())
    window.edit_menu.addSeparator()
    window.edit_menu.addAction(action)
    return action
