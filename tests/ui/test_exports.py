"""Exports and backups from the window: the archive itself is refused as the output with a
message, before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

from db import Archive
from viewer.ui.exports import ExportController


@pytest.mark.parametrize("suffix", ["", "-wal"])
def test_export_and_backup_over_the_archive_are_refused(
    qtbot, task_runner, seeded_archive: Archive, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: said.append(text))
    window = QWidget()
    qtbot.addWidget(window)
    controller = ExportController(window, task_runner)
    before = seeded_archive.path.read_bytes()
    target = Path(str(seeded_archive.path) + suffix)
    controller.export(seeded_archive, "json", target)
    controller.backup(seeded_archive, target)
    task_runner.shutdown()
    assert len(said) == 2 and all(str(target) in text for text in said), said
    assert seeded_archive.path.read_bytes() == before
