"""Importing from the window: progress that counts files, cancel, the summary."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from db import Archive
from db.queries import count_incidents
from tests.conftest import mastung_copies
from viewer.services import preparing
from viewer.ui.importer import ImportController


def _folder(tmp_path: Path, seeds_dir: Path, count: int) -> Path:
    folder = mastung_copies(tmp_path / "many", seeds_dir, count, "Attack")
    (folder / "broken.bin").write_bytes(bytes(range(256)) * 4)
    return folder


def test_import_with_progress_and_summary(
    qtbot,
    task_runner,
    empty_archive: Archive,
    tmp_path: Path,
    seeds_dir: Path,
) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    controller = ImportController(window, task_runner)
    folder = _folder(tmp_path, seeds_dir, 5)
    with qtbot.waitSignal(controller.finished, timeout=20000) as finished:
        assert controller.start(empty_archive, [folder])
    report = finished.args[0]
    assert (report.imported, len(report.rejected)) == (5, 1)
    box = controller.last_summary
    assert "5 imported" in box.text() and "1 rejected" in box.text()
    assert "broken.bin: binary data" in box.detailedText()
    box.close()


def test_cancel_keeps_what_was_imported_and_nothing_half_written(
    qtbot,
    task_runner,
    empty_archive: Archive,
    tmp_path: Path,
    seeds_dir: Path,
    monkeypatch,
) -> None:
    real = preparing.prepare_file

    def slow(path: Path, limits: object = None) -> Iterator[preparing.Prepared]:
        time.sleep(0.02)  # as a slow disk would: long enough to press Cancel half-way
        return real(path, limits)  # type: ignore[arg-type]

    # files read in this process (not by worker processes), so that the slow reader is used
    monkeypatch.setenv(preparing.WORKERS_VARIABLE, "0")
    monkeypatch.setattr(preparing, "prepare_file", slow)
    window = QWidget()
    qtbot.addWidget(window)
    controller = ImportController(window, task_runner)
    controller.show_summary = False
    folder = _folder(tmp_path, seeds_dir, 120)
    assert controller.start(empty_archive, [folder])
    qtbot.waitUntil(
        lambda: controller.dialog is not None and controller.dialog.value() >= 3, timeout=20000
    )
    dialog = controller.dialog
    assert dialog is not None
    assert dialog.maximum() == 121
    cancel = dialog.findChild(QPushButton)
    with qtbot.waitSignal(controller.finished, timeout=20000) as finished:
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    report = finished.args[0]
    assert report.cancelled
    assert 3 <= report.imported < 120
    with empty_archive.session() as session:
        assert count_incidents(session) == report.imported
    with empty_archive.raw_connection() as connection:
        orphans = connection.execute(
            "SELECT count(*) FROM sections WHERE incident_id NOT IN (SELECT id FROM incidents)"
        ).fetchone()[0]
        indexed = connection.execute("SELECT count(*) FROM incident_fts").fetchone()[0]
    assert orphans == 0 and indexed == report.imported
