"""Exports, W3C annotation imports and backups from the window, run off the GUI thread."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from db.errors import ArchiveError
from viewer.services.outputs import OutputRefused, check_output
from viewer.ui.deferred import deferred
from viewer.ui.preferences import export_folder
from viewer.ui.research.undo import ResearchEvents
from viewer.ui.tasks import Lane, TaskRunner

if TYPE_CHECKING:
    from db import Archive
    from viewer.interchange import w3c
    from viewer.services import backup as backups
    from viewer.services import exporting, research, sources
else:
    w3c = deferred("viewer.interchange.w3c")
    backups = deferred("viewer.services.backup")
    exporting = deferred("viewer.services.exporting")
    research = deferred("viewer.services.research")
    sources = deferred("viewer.services.sources")

FILTERS = {
    "json": "JSON (*.json)",
    "csv": "CSV (*.csv)",
    "markdown": "Markdown (*.md)",
    "w3c": "W3C Web Annotations (*.jsonld)",
    "csl-json": "CSL-JSON (*.json)",
}


class ExportController(QObject):
    def __init__(self, window: QWidget, runner: TaskRunner) -> None:
        super().__init__(window)
        self._window = window
        self._runner = runner
        # the sidebar's chosen collection or saved search: File > Export writes its incidents
        self.scope: tuple[str, list[int]] | None = None

    def _status(self, message: str) -> None:
        bar = getattr(self._window, "statusBar", None)
        if bar is not None:
            bar().showMessage(message, 6000)

    def _failed(self, title: str, error: BaseException) -> None:
        if not isinstance(error, (ArchiveError, OSError, w3c.W3CFormatError, ValueError)):
            raise error
        QMessageBox.critical(self._window, title, str(error))

    def choose(
        self, archive: Archive | None, fmt: str, incident_ids: list[int] | None = None
    ) -> None:
        """Ask where, then export the archive (or these incidents, or else the sidebar's
        chosen scope) in format fmt."""
        if archive is None:
            return
        title = self.tr("Export")
        if incident_ids is None and self.scope is not None:
            name, incident_ids = self.scope
            title = self.tr("Export “{0}” ({1} incidents)").format(name, len(incident_ids))
        settings = getattr(self._window, "settings", None)
        folder = export_folder(settings) if settings is not None else Path.home()
        stem = archive.name if not archive.is_team else "team"
        suggested = folder / f"{stem}-{exporting.FILE_NAMES[fmt]}"
        path, _ = QFileDialog.getSaveFileName(
            self._window, title, str(suggested), self.tr(FILTERS[fmt])
        )
        if path:
            self.export(archive, fmt, Path(path), incident_ids)

    def export(
        self, archive: Archive, fmt: str, path: Path, incident_ids: list[int] | None = None
    ) -> None:
        try:
            check_output(archive, path, self.tr("the export"))
        except OutputRefused as exc:
            QMessageBox.warning(self._window, self.tr("Export"), str(exc))
            return

        def work() -> int:
            return exporting.export_file(archive, fmt, path, incident_ids)

        self._status(self.tr("Exporting to {0}…").format(path))
        self._runner.submit(
            work,
            lambda count: self._status(self.tr("Exported {0} records to {1}").format(count, path)),
            lambda error: self._failed(self.tr("Export failed"), error),
            lane=Lane.JOBS,
        )

    def import_annotations(self, archive: Archive, path: Path, events: ResearchEvents) -> None:
        def work() -> research.AnnotationImportReport:
            try:
                items = research.read_annotation_file(path)
            except research.AnnotationFileError as exc:
                raise w3c.W3CFormatError(f"{path.name}: {exc}") from exc
            items = sources.resolve_annotation_sources(archive, items)
            return research.import_annotations(archive, items)

        def done(report: research.AnnotationImportReport) -> None:
            events.annotations_changed.emit(0)
            events.tags_changed.emit(0)
            box = QMessageBox(self._window)
            box.setWindowTitle(self.tr("Annotations imported"))
            box.setText(report.summary())
            if report.problems:
                box.setDetailedText("\n".join(report.problems))
            box.open()

        self._runner.submit(
            work,
            done,
            lambda error: self._failed(self.tr("Cannot import annotations"), error),
            lane=Lane.JOBS,
        )

    def backup(self, archive: Archive, path: Path) -> None:
        try:
            check_output(archive, path, self.tr("the backup"))
        except OutputRefused as exc:
            QMessageBox.warning(self._window, self.tr("Back up archive"), str(exc))
            return
        self._runner.submit(
            lambda: backups.backup(archive, path),
            lambda done: self._status(self.tr("Backed up to {0}").format(done)),
            lambda error: self._failed(self.tr("Backup failed"), error),
            lane=Lane.JOBS,
        )
