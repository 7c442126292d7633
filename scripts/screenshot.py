"""The README's screenshots: the real window on the reference articles, an incident selected.

Run under a virtual X screen (make screenshot does this):

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshot.py OUT.png
        [--size 1024x700] [--theme light|dark] [--more] [--collection NAME]

It imports the seeds (../shared/seeds beside the checkout, else the shipped samples) into a
temporary archive, opens the main window on the xcb platform, selects "2023 Mastung
bombing", and saves what the X screen shows of the window. --more imports the real articles
of tests/fixtures/real too (attributed in tests/fixtures/ATTRIBUTION.md); --collection puts
every incident before 2020 in a collection of that name and chooses it in the sidebar;
--analysis N shows the Analysis view with its N-th chart (0 incidents over time, 1 deaths,
2 stances per incident, 3 actors x incidents), enlarged.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEEDS = [ROOT.parent / "shared" / "seeds", ROOT / "resources" / "samples" / "articles"]
TITLE = "2023 Mastung bombing"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--size", default="1280x800", help="window size, WxH")
    parser.add_argument("--theme", default="light", choices=("light", "dark"))
    parser.add_argument("--more", action="store_true", help="also the real test articles")
    parser.add_argument("--collection", metavar="NAME", help="scope to a collection")
    parser.add_argument(
        "--analysis", metavar="KIND", help="show the Analysis view with this chart (0-3)"
    )
    parser.add_argument(
        "--dialog",
        choices=("shortcuts", "guide", "about", "preferences"),
        help="save this dialog (Help > ..., Edit > Preferences) instead of the window",
    )
    parser.add_argument("--bookmark", action="store_true", help="bookmark a place and show it")
    return parser.parse_args()


def main() -> int:
    args = _arguments()
    output = args.output.resolve()
    width, height = (int(n) for n in args.size.split("x"))
    if not os.environ.get("DISPLAY"):
        print("screenshot: no X display; run it under xvfb-run (make screenshot)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="screenshot-"))
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    os.environ["INCIDENT_VIEWER_HOME"] = str(work / "home")

    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtGui import QGuiApplication

    from db import open_archive
    from viewer.services import catalog, collections
    from viewer.services.importing import import_paths
    from viewer.ui.app import create_application
    from viewer.ui.main_window import MainWindow
    from viewer.ui.settings import Settings
    from viewer.ui.theme import apply_theme

    seeds = next(folder for folder in SEEDS if folder.is_dir())
    folders = [seeds, ROOT / "tests" / "fixtures" / "real"] if args.more else [seeds]
    archive_path = work / "seeds.sqlite"
    collection_id = 0
    with open_archive(archive_path) as archive:
        report = import_paths(archive, folders, workers=0)
        if report.rejected:
            print(f"screenshot: seeds rejected: {report.rejected}", file=sys.stderr)
            return 1
        incident = catalog.find_incident(archive, TITLE).id
        if args.collection:
            early = [s.id for s in catalog.list_summaries(archive) if (s.date_start or "") < "2020"]
            collection_id = collections.add_to_collection(
                archive, args.collection, early
            ).collection_id

    app = create_application()
    apply_theme(app, args.theme)
    window = MainWindow(Settings(work / "settings.ini"))
    window.resize(width, height)  # 1280x800: the size the AppStream metainfo declares
    window.move(0, 0)
    window.show()
    failures: list[str] = []

    def save() -> None:
        app.processEvents()
        screen = QGuiApplication.primaryScreen()
        shown_dialog = _open_dialog(window, args.dialog) if args.dialog else None
        app.processEvents()
        target = shown_dialog or window
        frame = target.frameGeometry()
        shot = screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
        if shot.isNull() or not shot.save(str(output)):
            failures.append(f"could not save {output}")
        else:
            print(f"screenshot: {output} ({shot.width()}x{shot.height()})")
        window.close()
        app.quit()

    def shown(_incident_id: int) -> None:
        if args.bookmark and window.reader.view is not None:
            body = window.reader.view.body
            place = body.index("\n", len(body) // 3) + 1
            window.add_bookmark(place, "screenshot")
            window.reader.show_span(place, place)
        QTimer.singleShot(1200, save)  # the timeline and the reactions tree fill in

    def opened() -> None:
        window.open_incident(incident)
        if args.analysis is not None and window.analysis.dock is not None:
            window.analysis.kind.setCurrentIndex(int(args.analysis))
            window.analysis.dock.show()
            window.analysis.dock.raise_()
            window.resizeDocks([window.analysis.dock], [int(height * 0.5)], Qt.Orientation.Vertical)
        if collection_id:
            QTimer.singleShot(
                400, lambda: window.collections.pane.choose("collection", collection_id)
            )

    window.archive_opened.connect(opened)
    window.incident_shown.connect(shown)
    window.open_archive(archive_path)
    QTimer.singleShot(30_000, lambda: (failures.append("timed out"), app.quit()))
    app.exec()
    window.runner.shutdown()
    for failure in failures:
        print(f"screenshot: {failure}", file=sys.stderr)
    return 1 if failures else 0


def _open_dialog(window: Any, name: str) -> Any:
    """Open one of the window's dialogs (not modal) and return it, placed at the top left."""
    from viewer.ui.preferences import PreferencesDialog

    if name == "preferences":
        dialog = PreferencesDialog(window)
        dialog.show()
    else:
        {"shortcuts": window.help.show_shortcuts, "guide": window.help.show_guide,
         "about": window.help.show_about}[name]()  # fmt: skip
        dialog = window.help.dialog
    dialog.move(0, 0)
    dialog.raise_()
    return dialog


if __name__ == "__main__":
    sys.exit(main())
