"""Read-only and damaged archives in the window: the window says what is wrong once, greys
out every change, and offers to recover a damaged archive into a new one."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox

from db.errors import ArchiveError, Condition, archive_error, classify
from viewer.ui.lazy_panes import built
from viewer.ui.tasks import Lane

if TYPE_CHECKING:
    from db import Archive
    from viewer.ui.main_window import MainWindow


class ArchiveAccess(QObject):
    """What the window may do with its archive: everything, or read only (read-only media,
    no permission, damage found by the check after opening or by a read)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.read_only_reason: str | None = None
        self._damage_told = False
        self.last_recovery: Any = None

    def opened(self, archive: Archive) -> None:
        window = self._window
        self._damage_told = False
        self.read_only_reason = None if archive.writable else self._read_only_text(archive)
        self.apply()
        # SQLite's quick check reads every page once (about 0.6 s per 20,000 articles), on
        # the jobs' lane: it starts once the views' first reads, queued before this turn on
        # their lane, are done, so that it does not share the CPU with them (issue 13).
        # A damaged archive is then read-only.
        window.runner.submit(lambda: None, lambda _: self._check_integrity(archive))

    def _check_integrity(self, archive: Archive) -> None:
        if archive is not self._window.archive:
            return  # another archive was opened meanwhile
        self._window.runner.submit(
            archive.check_integrity,
            partial(self._integrity_checked, archive),
            key="integrity",
            lane=Lane.JOBS,
        )

    def _read_only_text(self, archive: Archive) -> str:
        if archive.is_team:  # a reader: the server refuses every change
            return self.tr("Read-only: {0}").format(archive.read_only_reason)
        if archive.immutable:
            return self.tr("Read-only: the archive is on read-only media")
        return self.tr("Read-only: this user cannot write the archive or its folder")

    def apply(self) -> None:
        """Everything that would change the archive is off while it is read-only."""
        window = self._window
        writable = window.archive is not None and self.read_only_reason is None
        for action in (
            window.import_files_action,
            window.import_folder_action,
            window.import_annotations_action,
            window.annotate_action,
            window.bookmark_action,
            window.bookmark_incident_action,
        ):
            action.setEnabled(writable)
        if note := built(window, "note_editor"):  # else set as it is built
            note.set_read_only(not writable and window.archive is not None)
        window.access_label.setText(self.read_only_reason or "")
        window.access_label.setVisible(bool(self.read_only_reason))
        window.update_title()

    def _integrity_checked(self, archive: Archive, damage: list[str]) -> None:
        if damage and archive is self._window.archive:
            self.damaged()

    def damaged(self) -> None:
        """Say once that the archive is damaged and how to recover; make it read-only."""
        window = self._window
        archive = window.archive
        if archive is None or self._damage_told:
            return
        self._damage_told = True
        self.read_only_reason = self.tr("Read-only: the archive is damaged")
        self.apply()
        QMessageBox.warning(
            window,
            self.tr("Damaged archive"),
            self.tr(
                "The archive {0} is damaged: some of it cannot be read, and nothing more is "
                "written to it.\n\nUse File > Recover Damaged Archive… to copy everything "
                "still readable (articles, facts, annotations, notes, tags) into a new "
                "archive. From a terminal: incident-viewer --archive {0} check (to see the "
                "damage) and recover NEW.sqlite (to copy out)."
            ).format(archive.path),
        )

    def storage_failed(self, error: BaseException) -> None:
        """A read met a storage condition: a damaged page, a full disk, a lock."""
        window = self._window
        path = window.archive.path if window.archive is not None else Path("archive")
        known = archive_error(path, error)
        if known is None:
            raise error
        if known.condition is Condition.DAMAGED:
            self.damaged()
        else:
            window.statusBar().showMessage(str(known), 10000)

    def open_failed(self, path: Path) -> None:
        """The archive is too damaged to open: offer to recover it."""
        box = QMessageBox(self._window)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(self.tr("Damaged archive"))
        box.setText(
            self.tr(
                "{0} is damaged and cannot be opened. Recover copies everything still "
                "readable into a new archive; the damaged file is left as it is."
            ).format(path)
        )
        recover = box.addButton(self.tr("Recover…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        if box.clickedButton() is recover:
            self.choose_recovery(path)

    def choose_recovery(self, source: Path | None = None) -> None:
        """Copy what can be read from a damaged archive into a new one, then offer it."""
        window = self._window
        if source is None and window.archive is not None:
            source = window.archive.path
        if source is None:
            chosen, _ = QFileDialog.getOpenFileName(
                window, self.tr("Damaged archive to recover"), "", self.tr("Archives (*)")
            )
            if not chosen:
                return
            source = Path(chosen)
        target, _ = QFileDialog.getSaveFileName(
            window,
            self.tr("Recover into a new archive"),
            str(source.with_name(source.stem + "-recovered.sqlite")),
            self.tr("Incident archives (*.sqlite *.iav)"),
        )
        if not target:
            return
        from viewer.services.recovery import recover

        chosen_source = source
        window.statusBar().showMessage(self.tr("Recovering {0}…").format(source))
        window.runner.submit(
            lambda: recover(chosen_source, Path(target)),
            self._recovered,
            self._recovery_failed,
            lane=Lane.JOBS,
        )

    def _recovery_failed(self, error: BaseException) -> None:
        from viewer.services.recovery import RecoveryError

        self._window.statusBar().clearMessage()
        known = isinstance(error, RecoveryError | ArchiveError | OSError)
        if not known and classify(error) is None:
            raise error
        QMessageBox.critical(self._window, self.tr("Recovery failed"), str(error))

    def _recovered(self, report: Any) -> None:
        window = self._window
        window.statusBar().clearMessage()
        box = QMessageBox(window)
        box.setWindowTitle(self.tr("Archive recovered"))
        box.setText(self.tr("Recovered into {0}. Open it now?").format(report.destination))
        box.setDetailedText("\n".join(report.lines()))
        box.setStandardButtons(QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Close)
        self.last_recovery = report
        if box.exec() == QMessageBox.StandardButton.Open:
            window.open_archive(report.destination)
