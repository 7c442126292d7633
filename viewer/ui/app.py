"""Starting the window: the application object, theme, crash handling, the archive to open."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from viewer import APP_ID, APP_NAME, __version__
from viewer.ui.crash import CRASH_DIALOG_ENV, install_gui_excepthook, offer_crash_reports
from viewer.ui.preferences import default_archive
from viewer.ui.pyside_imports import read_sources_cheaply
from viewer.ui.settings import Settings
from viewer.ui.theme import apply_theme

# Before the window's modules (run_gui imports them) and SQLAlchemy's (the worker imports
# them): PySide6's check of every module imported after it, made cheap (issue 13).
read_sources_cheaply()

# A test harness sets this to a file path; the program writes it once the window is up.
READY_FILE_ENV = "INCIDENT_VIEWER_READY_FILE"


def _icon() -> QIcon:
    from resources import resource_path

    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256):
        path = resource_path("icons", f"{size}.png")
        if path.is_file():
            icon.addFile(str(path), QSize(size, size))  # sized: no file is read yet
    return icon


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    QApplication.setApplicationName(APP_NAME)
    QApplication.setOrganizationName("Incident Archive Viewer")
    QApplication.setApplicationVersion(__version__)
    QGuiApplication.setDesktopFileName(APP_ID)
    app = QApplication(argv or sys.argv[:1])
    app.setWindowIcon(_icon())
    return app


def _quit_on_signals(app: QApplication) -> None:
    """SIGINT/SIGTERM close the window the normal way (settings saved, exit status 0)."""

    def close(*_: object) -> None:
        for widget in app.topLevelWidgets():
            widget.close()
        app.quit()

    signal.signal(signal.SIGINT, close)
    signal.signal(signal.SIGTERM, close)
    # Python only runs signal handlers between bytecodes: wake it up now and then.
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(200)


def run_gui(archive_path: Path | str | None) -> int:
    from viewer.ui.main_window import MainWindow

    app = create_application()
    install_gui_excepthook(show_dialog=not os.environ.get(CRASH_DIALOG_ENV))
    settings = Settings()
    apply_theme(app, settings.theme)
    QGuiApplication.styleHints().colorSchemeChanged.connect(
        lambda _scheme: apply_theme(app, settings.theme) if settings.theme == "system" else None
    )
    _quit_on_signals(app)
    window = MainWindow(settings)
    # the last archive as settings keep it: a file's path or a team archive's URL
    target = archive_path or settings.last_archive or None
    if target is None:
        target = default_archive(settings)  # the data location (Preferences)
        target.parent.mkdir(parents=True, exist_ok=True)
    window.show_opening(target)  # from its first paint, the window says what it is opening
    window.show()
    if not os.environ.get(CRASH_DIALOG_ENV):
        offer_crash_reports(window)
    # The archive layer loads and the archive opens on the worker once the window has
    # painted (a zero timer runs after the paint the showing posted): issue 13.
    chosen = target
    QTimer.singleShot(0, lambda: window.open_archive(chosen))
    ready = os.environ.get(READY_FILE_ENV)
    if ready:
        window.archive_opened.connect(lambda: Path(ready).write_text("ready\n"))
    return app.exec()
