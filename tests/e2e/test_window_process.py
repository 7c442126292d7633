"""The installed program opens its window and closes cleanly when asked to."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from viewer.ui.app import READY_FILE_ENV


def _program() -> list[str]:
    installed = Path(sys.executable).with_name("incident-viewer")
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "viewer"]


def test_window_starts_on_an_archive_and_closes_cleanly(
    user_home: Path, tmp_path: Path, seeds_dir: Path
) -> None:
    archive = tmp_path / "a.sqlite"
    ready = tmp_path / "ready"
    env = {
        **os.environ,
        "INCIDENT_VIEWER_HOME": str(user_home),
        "QT_QPA_PLATFORM": "offscreen",
        "INCIDENT_VIEWER_NO_CRASH_DIALOG": "1",
        READY_FILE_ENV: str(ready),
    }
    subprocess.run(
        [*_program(), "--archive", str(archive), "import", str(seeds_dir)],
        env=env,
        check=True,
        capture_output=True,
    )
    process = subprocess.Popen(
        [*_program(), "--archive", str(archive)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not ready.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert ready.exists(), process.communicate(timeout=5)
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert (user_home / "config" / "settings.ini").is_file()
