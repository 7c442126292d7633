"""Importing from the window: a worker-thread import with a cancellable progress dialog that
counts files, then a summary that lists rejected files and why."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from db.errors import ArchiveError
from viewer.ui.deferred import deferred
from viewer.ui.tasks import CancelToken, Lane, TaskRunner

if TYPE_CHECKING:
    from db import Archive
    from viewer.services import importing
    from viewer.services.importing import ImportProgress, ImportReport
    from viewer.ui.main_window import MainWindow
else:
    importing = deferred("viewer.services.importing")

# How often the window shows what a running import has committed.
SHOWN_EVERY_S = 5.0
# How often the progress dialog says where the import is: the import reports every file
# (hundreds a second for small ones), and each new label lays the dialog out again on the
# GUI thread, which paints the timeline and writes research changes meanwhile.
PROGRESS_EVERY_MS = 150


class _ProgressRelay(QObject):
    """Carries progress from the worker thread to the GUI thread (queued signal)."""

    progressed = Signal(object)


class ImportController(QObject):
    """Runs one import at a time; emits started() when it begins, finished(report) when it
    ends (also when cancelled) and written(articles so far) as it goes."""

    started = Signal()
    finished = Signal(object)
    written = Signal(int)

    def __init__(self, window: QWidget, runner: TaskRunner) -> None:
        super().__init__(window)
        self._window = window
        self._runner = runner
        self._relay = _ProgressRelay(self)
        self._relay.progressed.connect(self._on_progress)
        # the newest progress, shown when the timer fires (at most every PROGRESS_EVERY_MS)
        self._latest: ImportProgress | None = None
        self._progress_timer = QTimer(self)
        self._progress_timer.setSingleShot(True)
        self._progress_timer.setInterval(PROGRESS_EVERY_MS)
        self._progress_timer.timeout.connect(self._show_progress)
        self.dialog: QProgressDialog | None = None
        self._token: CancelToken | None = None
        self.show_summary = True
        self.max_article_mb: float | None = None  # the size limit per article (settings)

    @property
    def running(self) -> bool:
        return self._token is not None

    def start(self, archive: Archive, paths: Sequence[str | Path]) -> bool:
        if self.running or not paths:
            return False
        token = CancelToken()
        self._token = token
        dialog = QProgressDialog(self.tr("Reading files…"), self.tr("Cancel"), 0, 0, self._window)
        dialog.setWindowTitle(self.tr("Importing"))
        # not modal: the import runs on its own lane, so the window stays usable meanwhile
        # (reading, searching, tagging); only a second import waits for this one's end
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(token.cancel)
        self.dialog = dialog
        emit: Callable[[ImportProgress], None] = self._relay.progressed.emit
        chosen = [str(p) for p in paths]

        limits = importing.ReadLimits.from_environment(self.max_article_mb)

        def work() -> ImportReport:
            return importing.import_paths(
                archive,
                chosen,
                progress=emit,
                should_cancel=lambda: token.cancelled,
                limits=limits,
            )

        self._runner.submit(work, self._done, self._failed, lane=Lane.JOBS)
        self.started.emit()
        return True

    def cancel(self) -> None:
        if self._token is not None:
            self._token.cancel()

    def _on_progress(self, progress: ImportProgress) -> None:
        """Keep the newest progress; the dialog shows it at the timer's next tick (the first
        one at once)."""
        self._latest = progress
        if not self._progress_timer.isActive():
            self._show_progress()
            self._progress_timer.start()

    def _show_progress(self) -> None:
        progress, self._latest = self._latest, None
        dialog = self.dialog
        if dialog is None or progress is None:
            return
        self._progress_timer.start()  # the next one no sooner than PROGRESS_EVERY_MS
        name = Path(progress.current).name if progress.current else ""
        dialog.setLabelText(
            self.tr("File {0} of {1}: {2}\n{3} articles so far").format(
                progress.files_done + (0 if not name else 1),
                progress.files_total,
                name,
                progress.articles,
            )
        )
        dialog.setMaximum(max(progress.files_total, 1))
        dialog.setValue(min(progress.files_done, progress.files_total))
        self.written.emit(progress.articles)

    def _close_dialog(self) -> None:
        self._token = None
        self._progress_timer.stop()
        self._latest = None
        if self.dialog is not None:
            self.dialog.canceled.disconnect()
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

    def _done(self, report: ImportReport) -> None:
        self._close_dialog()
        if self.show_summary:
            self._summary(report)
        self.finished.emit(report)

    def _failed(self, error: BaseException) -> None:
        self._close_dialog()
        if not isinstance(error, ArchiveError):
            raise error
        QMessageBox.critical(
            self._window,
            self.tr("Import stopped"),
            self.tr(
                "{0}\n\nArticles imported before this happened are in the archive; "
                "nothing half-written was kept. Fix the problem and import again: files "
                "already imported are recognised and skipped."
            ).format(error),
        )
        self.finished.emit(None)

    def _summary(self, report: ImportReport) -> None:
        box = QMessageBox(self._window)
        box.setWindowTitle(
            self.tr("Import finished") if not report.cancelled else self.tr("Import cancelled")
        )
        box.setIcon(QMessageBox.Icon.Warning if report.rejected else QMessageBox.Icon.Information)
        text = self.tr("{0} imported, {1} updated, {2} unchanged, {3} rejected.").format(
            report.imported, report.updated, report.unchanged, len(report.rejected)
        )
        if report.cancelled:
            text += "\n" + self.tr("What was imported before you cancelled is kept.")
        if report.warnings:
            text += "\n" + self.tr(
                "{0} files skipped or duplicated: Show Details names them."
            ).format(len(report.warnings))
        box.setText(text)
        details = [self.tr("rejected: {0}").format(r) for r in report.rejected]
        details += [self.tr("warning: {0}").format(w) for w in report.warnings]
        details += [str(u) for u in report.unchanged_files]
        if details:
            box.setDetailedText("\n".join(details))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()
        self.last_summary = box


def show_committed_while_importing(window: MainWindow) -> None:
    """While an import runs, show what it has committed every few seconds: the count, the
    timeline where it is (fitted if it showed nothing yet), and the table unless it is being
    used (it has the keyboard focus); its current incident stays current."""
    shown_at = [0.0]

    def progressed(articles: int) -> None:
        now = time.monotonic()
        if window.archive is None or not articles or now - shown_at[0] < SHOWN_EVERY_S:
            return
        shown_at[0] = now
        window.refresh_count()
        if window.timeline.model().rowCount() == 0:
            window.timeline.set_archive(window.archive, window.runner)
        else:
            window.timeline.refresh()
        table = window.table
        if table.model.rowCount() == 0 or not table.view.hasFocus():
            current = window.current_id
            if current is not None:
                table.model.layout_loaded.connect(
                    lambda: table.select_incident(current), Qt.ConnectionType.SingleShotConnection
                )
            table.model.reload()

    window.importer.written.connect(progressed)


def show_committed_counts(window: MainWindow) -> None:
    """The Collections pane's counts follow what a running import commits (with the rest of
    the window, every SHOWN_EVERY_S), without choosing its entry again."""
    shown_at = [0.0]

    def progressed(articles: int) -> None:
        now = time.monotonic()
        if window.archive is None or not articles or now - shown_at[0] < SHOWN_EVERY_S:
            return
        shown_at[0] = now
        window.collections.refresh(counts_only=True)

    window.importer.written.connect(progressed)


def keep_the_archive_while_importing(window: MainWindow) -> None:
    """File > New Archive, Open Archive, Open Team Archive and Open Recent would change the
    window's archive under a running import (which goes on writing into the one it began
    with, its progress and its summary then beside another): they are off until it ends, and
    their tooltips and status tips say why."""
    actions = (
        window.new_action,
        window.open_action,
        window.open_team_action,
        window.recent_menu.menuAction(),
    )
    tips = {action: (action.toolTip(), action.statusTip()) for action in actions}
    window.file_menu.setToolTipsVisible(True)

    def started() -> None:
        reason = importing_reason(window)
        for action in actions:
            action.setEnabled(False)
            action.setToolTip(reason)
            action.setStatusTip(reason)
        # said where it is seen without pointing at a greyed-out entry (Qt neither highlights
        # a disabled menu entry nor shows its status tip), until another message replaces it
        window.statusBar().showMessage(reason)

    def finished(_report: object) -> None:
        if window.statusBar().currentMessage() == importing_reason(window):
            window.statusBar().clearMessage()
        for action in actions:
            tip, status = tips[action]
            action.setEnabled(True)
            action.setToolTip(tip)
            action.setStatusTip(status)

    window.importer.started.connect(started)
    window.importer.finished.connect(finished)


def importing_reason(window: QWidget) -> str:
    """Why the window's archive cannot be changed now."""
    return window.tr(
        "An import is running: open or start another archive once it has finished (or cancel it)"
    )
