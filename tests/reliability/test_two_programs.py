"""Two programs on one archive: two command-line imports at once (into a new archive and
into one that exists), the window importing while the command line does, and two windows
importing at once. Both finish, or one says the archive is in use; never a damaged
archive, never an incident twice."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from db import open_archive
from tests.conftest import ROOT
from tests.reliability.archive_checks import ARTICLES, integrity, reference_snapshot, snapshot
from viewer.services.importing import import_paths
from viewer.ui.main_window import MainWindow
from viewer.ui.settings import Settings

PROGRAM = [sys.executable, "-m", "viewer"]
IN_USE = "in use by another program"


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[object, ...]]:
    return reference_snapshot(tmp_path_factory.mktemp("reference") / "a.sqlite")


def _start(tmp_path: Path, archive: Path, *paths: Path) -> subprocess.Popen[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "INCIDENT_VIEWER_HOME": str(tmp_path)}
    return subprocess.Popen(
        [*PROGRAM, "--archive", str(archive), "import", *map(str, paths)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )


def _finished_or_in_use(process: subprocess.Popen[str]) -> bool:
    """True when it finished; False when it said, on one line, that the archive is in use."""
    _, err = process.communicate(timeout=300)
    if process.returncode == 0:
        return True
    assert process.returncode == 2 and IN_USE in err and err.count("\n") == 1, err
    return False


def _assert_whole_and_once(path: Path, reference: dict[str, tuple[object, ...]]) -> None:
    assert integrity(path) == "ok"
    assert snapshot(path) == reference  # every article once, each whole


@pytest.mark.parametrize("existing", [False, True], ids=["new archive", "existing archive"])
def test_two_imports_at_once(
    tmp_path: Path, reference: dict[str, tuple[object, ...]], existing: bool
) -> None:
    path = tmp_path / "a.sqlite"
    if existing:
        with open_archive(path) as archive:
            import_paths(archive, ARTICLES[:1], workers=0)
    first, second = _start(tmp_path, path, *ARTICLES), _start(tmp_path, path, *ARTICLES)
    done = [_finished_or_in_use(first), _finished_or_in_use(second)]
    assert any(done)
    _assert_whole_and_once(path, reference)


def _captured_messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the windows would show in message boxes, collected instead."""
    messages: list[str] = []
    for kind in ("critical", "warning", "information"):
        monkeypatch.setattr(QMessageBox, kind, lambda _p, _t, text, *a, **k: messages.append(text))
    return messages


def _archive_with_one_article(tmp_path: Path) -> Path:
    path = tmp_path / "a.sqlite"
    with open_archive(path) as archive:
        import_paths(archive, ARTICLES[:1], workers=0)
    return path


def _window_on(qtbot: Any, path: Path, settings: Path) -> MainWindow:
    """A shown window with the archive open, its import summary dialog off."""
    window = MainWindow(Settings(settings))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.archive_opened, timeout=10000):
        window.open_archive(path)
    window.importer.show_summary = False
    return window


def test_the_window_and_the_command_line_import_at_once(
    qtbot, tmp_path: Path, reference: dict[str, tuple[object, ...]], monkeypatch
) -> None:
    messages = _captured_messages(monkeypatch)
    path = _archive_with_one_article(tmp_path)
    window = _window_on(qtbot, path, tmp_path / "settings.ini")
    command_line = _start(tmp_path, path, *ARTICLES)
    assert window.import_paths([str(p) for p in ARTICLES])
    qtbot.waitUntil(lambda: not window.importer.running, timeout=120_000)
    # the window's import stops only with the in-use message, and then the other finished
    assert all(IN_USE in message for message in messages), messages
    assert _finished_or_in_use(command_line) or not messages
    qtbot.waitUntil(lambda: window.count_label.text() == "16 incidents", timeout=10000)
    window.close()
    _assert_whole_and_once(path, reference)


def test_two_windows_import_into_one_archive_at_once(
    qtbot, tmp_path: Path, reference: dict[str, tuple[object, ...]], monkeypatch
) -> None:
    messages = _captured_messages(monkeypatch)
    path = _archive_with_one_article(tmp_path)
    windows = [_window_on(qtbot, path, tmp_path / f"{name}.ini") for name in ("first", "second")]
    # both start before either has finished: their batches meet at the write lock
    assert all(window.import_paths([str(p) for p in ARTICLES]) for window in windows)
    qtbot.waitUntil(lambda: not any(w.importer.running for w in windows), timeout=120_000)
    # either both finished, or one said in one line that the archive was in use
    assert all(IN_USE in message for message in messages), messages
    assert len(messages) <= 1
    qtbot.waitUntil(
        lambda: any(w.count_label.text() == "16 incidents" for w in windows), timeout=10000
    )
    for window in windows:
        window.close()
    _assert_whole_and_once(path, reference)
