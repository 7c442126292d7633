"""The crash dialog: an unexpected exception is logged and shown with details to copy;
the program never exits silently."""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from viewer import APP_NAME, __version__
from viewer.crash import format_exception, pending_crash_reports, setup_file_logging

log = logging.getLogger("viewer.ui")
CRASH_DIALOG_ENV = "INCIDENT_VIEWER_NO_CRASH_DIALOG"


class CrashDialog(QDialog):
    def __init__(self, details: str, log_path: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("{0}: unexpected error").format(APP_NAME))
        layout = QVBoxLayout(self)
        where = self.tr(" It was also written to {0}.").format(log_path) if log_path else ""
        message = QLabel(
            self.tr(
                "Something went wrong inside the program. Your archive is safe: every change "
                "is saved as you make it. Please copy the details below into a bug report."
            )
            + where
        )
        message.setWordWrap(True)
        layout.addWidget(message)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setMinimumSize(640, 280)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton(self.tr("Copy details"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QApplication.clipboard().setText(details))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def install_gui_excepthook(show_dialog: bool = True) -> None:
    """Log every unexpected exception and, unless turned off (tests), show the crash dialog."""
    path = setup_file_logging()

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        details = f"{APP_NAME} {__version__}\n\n" + format_exception(exc.with_traceback(tb))
        log.error("unexpected error\n%s", details)
        print(details, file=sys.stderr)
        if show_dialog and QApplication.instance() is not None:
            CrashDialog(details, str(path) if path else None).exec()

    sys.excepthook = hook


def offer_crash_reports(parent: QWidget | None) -> QMessageBox | None:
    """If an earlier run died of a native crash, say so and offer to show its report (once:
    the report is kept under a dated name in the log folder). Returns the open question."""
    reports = pending_crash_reports()
    if not reports:
        return None
    newest = reports[-1]
    details = newest.text()
    kept = [report.mark_reported() for report in reports][-1]
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_translate("Crash", "{0} stopped unexpectedly").format(APP_NAME))
    box.setText(
        _translate(
            "Crash",
            "The program stopped unexpectedly on {0} (a crash inside a library). Your archive "
            "is safe: every change is saved as you make it. The report was kept in {1}.",
        ).format(f"{newest.when:%Y-%m-%d %H:%M}", kept)
    )
    show = box.addButton(_translate("Crash", "Show Report"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Close)

    def answered() -> None:
        if box.clickedButton() is show:
            CrashDialog(details, str(kept), parent).exec()

    box.finished.connect(answered)
    box.open()
    return box


def _translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)
