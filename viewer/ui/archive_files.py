"""File > Open Archive, New Archive, Open Recent, Open Team Archive, Back Up and Import
Annotations: the file dialogs that name an archive or a file to read, kept out of
main_window.py.

Open Archive opens only a file that exists (a file dialog's "Save" button that quietly
created a new archive looked like opening one); New Archive is where a new file is made."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox

from viewer.ui.preferences import data_folder

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow

ARCHIVE_FILTER = "Incident archives (*.sqlite *.iav);;All files (*)"


class ArchiveFiles(QObject):
    """The dialogs; each ends in one of the window's own methods (open_archive...)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def _start_folder(self) -> str:
        archive = self.window.archive
        if archive is not None and not archive.is_team:
            return str(archive.path.parent)
        return str(data_folder(self.window.settings))

    def choose_archive(self) -> None:
        """Open an archive that exists; a name that does not is refused, not created."""
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            self.tr("Open archive"),
            self._start_folder(),
            self.tr(ARCHIVE_FILTER),
        )
        if not path:
            return
        if not Path(path).is_file():
            QMessageBox.warning(
                self.window,
                self.tr("Open archive"),
                self.tr(
                    "{0} does not exist. To start a new archive use File > New Archive."
                ).format(path),
            )
            return
        self.window.open_archive(path)

    def new_archive(self) -> None:
        """Create a new, empty archive; an existing file is never replaced."""
        path, _ = QFileDialog.getSaveFileName(
            self.window,
            self.tr("New archive"),
            str(Path(self._start_folder()) / self.tr("research.sqlite")),
            self.tr(ARCHIVE_FILTER),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if not path:
            return
        if Path(path).exists():
            QMessageBox.warning(
                self.window,
                self.tr("New archive"),
                self.tr(
                    "{0} already exists. Open it with File > Open Archive, or choose a new name."
                ).format(path),
            )
            return
        self.window.open_archive(path)

    def fill_recent(self) -> None:
        menu, settings = self.window.recent_menu, self.window.settings
        menu.clear()
        for path in settings.recent_archives:
            action = menu.addAction(path)
            action.triggered.connect(lambda _checked=False, p=path: self.window.open_archive(p))
        menu.setEnabled(bool(settings.recent_archives))

    def choose_team_archive(self) -> None:
        from viewer.ui.team_dialog import TeamArchiveDialog

        dialog = TeamArchiveDialog(self.window)
        if dialog.exec() == TeamArchiveDialog.DialogCode.Accepted:
            self.window.open_archive(dialog.url())  # remembered as archive.location: no password

    def choose_annotations_file(self) -> None:
        window = self.window
        path, _ = QFileDialog.getOpenFileName(
            window,
            self.tr("Import W3C annotations"),
            "",
            self.tr("JSON-LD (*.jsonld *.json);;All files (*)"),
        )
        if path and window.archive is not None:
            window.exporter.import_annotations(window.archive, Path(path), window.events)

    def choose_backup(self) -> None:
        window = self.window
        archive = window.archive
        if archive is None:
            return
        if archive.is_team:
            QMessageBox.information(
                window,
                self.tr("Back up archive"),
                self.tr("A team archive is backed up on its server, with pg_dump (see README)."),
            )
            return
        path, _ = QFileDialog.getSaveFileName(
            window,
            self.tr("Back up archive"),
            str(archive.path.with_name(archive.path.stem + "-backup.sqlite")),
            self.tr("Archives (*.sqlite);;All files (*)"),
        )
        if path:
            window.exporter.backup(archive, Path(path))
