"""The window on a damaged or read-only archive: it says what is wrong once, offers to
recover, and changes nothing (the window is in read-only mode)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from db import Archive
from tests.reliability.test_damage import damage, leaf_page
from viewer.ui.main_window import MainWindow
from viewer.ui.settings import Settings


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    main = MainWindow(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()


def _damaged_copy(archive: Archive, tmp_path: Path) -> Path:
    path = archive.path
    archive.close()
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = tmp_path / "damaged.sqlite"
    copy.write_bytes(path.read_bytes())
    damage(copy, leaf_page(copy, "sections"))
    return copy


def test_a_damaged_archive_is_said_once_and_the_window_turns_read_only(
    qtbot, window: MainWindow, seeded_archive: Archive, tmp_path: Path, monkeypatch
) -> None:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: said.append(text))
    path = _damaged_copy(seeded_archive, tmp_path)
    with qtbot.waitSignal(window.archive_opened, timeout=10000):
        window.open_archive(path)
    qtbot.waitUntil(lambda: bool(said), timeout=10000)
    assert len(said) == 1
    assert "is damaged" in said[0] and "Recover Damaged Archive" in said[0]
    assert window.windowTitle().endswith("(read-only)")
    assert not window.import_files_action.isEnabled()
    assert not window.annotate_action.isEnabled()
    assert window.note_editor.editor.isReadOnly()
    assert "damaged" in window.access_label.text()


def test_a_read_error_from_damage_is_no_crash(
    qtbot, window: MainWindow, seeded_archive: Archive, tmp_path: Path, monkeypatch
) -> None:
    """A task without an error callback that meets the damage used to reach the crash
    dialog (exit 70 in the command line)."""
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: said.append(text))
    path = _damaged_copy(seeded_archive, tmp_path)
    monkeypatch.setattr(Archive, "check_integrity", lambda self: [])  # let the read find it
    with qtbot.waitSignal(window.archive_opened, timeout=10000):
        window.open_archive(path)

    def read_everything() -> None:
        assert window.archive is not None
        with window.archive.raw_connection() as connection:
            connection.execute("SELECT * FROM sections").fetchall()

    window.runner.submit(read_everything)
    qtbot.waitUntil(lambda: bool(said), timeout=10000)
    assert window.windowTitle().endswith("(read-only)")


def test_an_archive_on_read_only_media_opens_in_read_only_mode(
    qtbot, window: MainWindow, seeded_archive: Archive, monkeypatch
) -> None:
    path = seeded_archive.path
    seeded_archive.close()
    monkeypatch.setattr("db.archive.on_read_only_mount", lambda _path: True)
    with qtbot.waitSignal(window.archive_opened, timeout=10000):
        window.open_archive(path)
    assert window.archive is not None and not window.archive.writable
    assert window.windowTitle().endswith("(read-only)")
    assert window.access_label.text() == "Read-only: the archive is on read-only media"
    assert not window.import_folder_action.isEnabled()
    qtbot.waitUntil(lambda: window.count_label.text() == "2 incidents", timeout=5000)


def test_recover_from_the_window_offers_the_new_archive(
    qtbot, window: MainWindow, seeded_archive: Archive, tmp_path: Path, monkeypatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QMessageBox, "warning", lambda *_args: None)
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.Open)
    target = tmp_path / "recovered.sqlite"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    path = _damaged_copy(seeded_archive, tmp_path)
    with qtbot.waitSignal(window.archive_opened, timeout=10000):
        window.open_archive(path)
    with qtbot.waitSignal(window.archive_opened, timeout=30000):
        window.recover_action.trigger()
    assert window.archive is not None and window.archive.path == target
    assert window.access.last_recovery.written["incidents"] == 2


def test_the_integrity_check_waits_for_the_views_first_reads(
    qtbot, window: MainWindow, seeded_archive: Archive, monkeypatch
) -> None:
    """SQLite's quick check reads every page: it starts once the views' first reads are
    done, not beside them (issue 13: at 100,000 incidents it kept a core busy for 2 s while
    the window filled)."""
    from viewer.services import catalog

    order: list[str] = []
    count, check = catalog.count, Archive.check_integrity

    def counted(archive: Archive) -> int:
        found = count(archive)
        order.append("count")
        return found

    def checked(self: Archive) -> list[str]:
        order.append("integrity")
        return check(self)

    monkeypatch.setattr(catalog, "count", counted)
    monkeypatch.setattr(Archive, "check_integrity", checked)
    with qtbot.waitSignal(window.archive_opened, timeout=10000):
        window.open_archive(seeded_archive.path)
    qtbot.waitUntil(lambda: "integrity" in order, timeout=10000)
    assert order.index("count") < order.index("integrity")
