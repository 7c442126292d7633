"""A native crash (a fatal signal in a library) leaves its stack in a crash file in the log
folder, and the next start says where it is, once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from viewer.__main__ import main
from viewer.crash import pending_crash_reports
from viewer.paths import log_dir

_CRASH = (
    "import faulthandler; from viewer.crash import enable_crash_file; "
    "enable_crash_file(); faulthandler._sigsegv()"
)


def _crash_once() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _CRASH],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
        check=False,
    )
    assert result.returncode < 0, result  # killed by the signal


def test_a_native_crash_is_written_to_the_log_folder_and_noted_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _crash_once()
    (report,) = pending_crash_reports()
    assert "Segmentation fault" in report.text()
    assert "Current thread" in report.text() or "Thread" in report.text()

    archive = str(tmp_path / "a.sqlite")
    assert main(["--archive", archive, "list"]) == 0
    err = capsys.readouterr().err
    (note,) = [line for line in err.splitlines() if "note:" in line]
    assert "stopped with a crash; its report is in" in note
    kept = Path(note.rsplit(" ", 1)[1])
    assert kept.is_file() and "Segmentation fault" in kept.read_text()

    assert main(["--archive", archive, "list"]) == 0
    assert "note:" not in capsys.readouterr().err
    assert pending_crash_reports() == []


def test_a_clean_exit_leaves_no_crash_file(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "viewer", "--archive", str(tmp_path / "a.sqlite"), "list"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert not list(log_dir().glob("crash-*.txt"))


def test_files_of_programs_still_running_are_not_reported(tmp_path: Path) -> None:
    log_dir().mkdir(parents=True, exist_ok=True)
    running = log_dir() / f"crash-{os.getppid()}.txt"  # our parent is alive
    running.write_text("Fatal Python error: Segmentation fault\n")
    gone_empty = log_dir() / "crash-999999999.txt"
    gone_empty.write_text("")
    assert pending_crash_reports() == []
    assert running.exists() and not gone_empty.exists()


def test_the_window_offers_to_show_the_report_of_a_crash(
    qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A desktop launch has no stderr: the next start says the program crashed and shows
    the report on request."""
    from PySide6.QtWidgets import QWidget

    from viewer.ui.crash import CrashDialog, offer_crash_reports

    _crash_once()
    parent = QWidget()
    qtbot.addWidget(parent)
    shown: list[str] = []

    def exec_(self: CrashDialog) -> int:
        shown.append(self.details.toPlainText())
        return 0

    monkeypatch.setattr(CrashDialog, "exec", exec_)
    box = offer_crash_reports(parent)
    assert box is not None and "stopped unexpectedly" in box.text()
    show = next(b for b in box.buttons() if b.text() == "Show Report")
    show.click()
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert "Segmentation fault" in shown[0]
    assert offer_crash_reports(parent) is None  # offered once
