"""What the window has loaded when it first shows: Qt and its own widgets, not the archive
layer (issue 13: importing SQLAlchemy, the services and the extractors before the window
existed made it appear 6.6x later than an empty window). The archive opens on the worker
after the window shows, which meanwhile says it is opening.

The program runs in a fresh interpreter, the way `incident-viewer --archive PATH` starts
the window (viewer.ui.app.run_gui), and reports sys.modules once the window has shown and
painted, then again once the archive is open."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from db import Archive

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, sys
from PySide6.QtWidgets import QApplication
from viewer.ui import app as gui
from viewer.ui.main_window import MainWindow

report = {}
show = MainWindow.show

def opened(window):
    report["opened"] = sorted(sys.modules)
    report["count_when_opened"] = window.count_label.text()
    window.close()

def shown(window):
    show(window)
    QApplication.processEvents()  # the first paint
    report["shown"] = sorted(sys.modules)
    report["timeline_says"] = window.timeline._message()
    report["count_says"] = window.count_label.text()
    window.archive_opened.connect(lambda: opened(window))

MainWindow.show = shown
status = gui.run_gui(sys.argv[1])
print("\nREPORT " + json.dumps({"status": status, **report}))
"""

HEAVY = ("sqlalchemy", "alembic", "matplotlib", "numpy", "psycopg", "mwparserfromhell")
# The plain values the window is built with (no SQL in them).
LIGHT = {
    "db", "db.errors", "db.fields", "db.locations", "db.records", "db.scopes",
    "viewer.services", "viewer.services.outputs", "viewer.services.vocabulary",
}  # fmt: skip


def start_window(archive: Path | str, home: Path) -> dict[str, object]:
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(ROOT),
        "INCIDENT_VIEWER_HOME": str(home),
        "INCIDENT_VIEWER_NO_CRASH_DIALOG": "1",
    }
    finished = subprocess.run(
        [sys.executable, "-c", CHILD, str(archive)],
        capture_output=True, text=True, env=environment, timeout=120, check=False, cwd=home,
    )  # fmt: skip
    last = finished.stdout.rstrip().rsplit("\n", 1)[-1]
    assert last.startswith("REPORT "), finished.stderr
    report: dict[str, object] = json.loads(last.removeprefix("REPORT "))
    return report


def archive_layer(modules: object) -> set[str]:
    assert isinstance(modules, list)
    return {
        name
        for name in modules
        if name.split(".")[0] in HEAVY
        or (
            (name.split(".")[0] == "db" or name.startswith("viewer.services")) and name not in LIGHT
        )
        or name.startswith(("viewer.parsing", "viewer.extraction"))
    }


def test_the_window_shows_before_the_archive_layer_loads(
    seeded_archive: Archive, tmp_path: Path
) -> None:
    report = start_window(seeded_archive.path, tmp_path)
    assert report["status"] == 0
    assert archive_layer(report["shown"]) == set()
    # meanwhile the window says what it is doing, not "No archive open"
    assert report["timeline_says"] == "Opening seeded.sqlite…"
    assert report["count_says"] == "Opening…"
    # then the archive opened, through the archive layer, on the worker
    opened = report["opened"]
    assert isinstance(opened, list)
    assert {"sqlalchemy", "db.archive", "viewer.services.timeline"} <= set(opened)
    # a file archive's opening loads neither what only a team archive needs (35-40 ms) nor
    # the fuzzy matcher that only re-anchoring an annotation needs (11 ms)
    assert not {"sqlalchemy.dialects.postgresql", "psycopg", "alembic", "rapidfuzz"} & set(opened)
    assert report["count_when_opened"] in ("Opening…", "2 incidents")  # counted next


def test_a_new_archive_is_created_after_the_window_shows(tmp_path: Path) -> None:
    report = start_window(tmp_path / "new.sqlite", tmp_path)
    assert report["status"] == 0
    assert archive_layer(report["shown"]) == set()
    assert (tmp_path / "new.sqlite").is_file()
    assert "opened" in report
