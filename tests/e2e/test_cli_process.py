"""The installed program as a subprocess: what a script or a shell sees."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from viewer import __version__


def _program() -> list[str]:
    installed = Path(sys.executable).with_name("incident-viewer")
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "viewer"]


def _run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INCIDENT_VIEWER_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [*_program(), *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_version(user_home: Path) -> None:
    result = _run("--version", home=user_home)
    assert result.returncode == 0
    assert result.stdout.strip() == f"incident-viewer {__version__}"


def test_import_then_show_json(user_home: Path, tmp_path: Path, seeds_dir: Path) -> None:
    archive = str(tmp_path / "a.sqlite")
    result = _run("--archive", archive, "import", str(seeds_dir), home=user_home)
    assert result.returncode == 0, result.stderr
    result = _run("--archive", archive, "show", "2023 Mastung bombing", "--json", home=user_home)
    assert json.loads(result.stdout)["title"] == "2023 Mastung bombing"


def test_bad_files_exit_1_naming_each(user_home: Path, tmp_path: Path, seeds_dir: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blob.bin").write_bytes(bytes(range(256)) * 8)
    shutil.copy(next(seeds_dir.glob("*.txt")), folder / "good.txt")
    result = _run("--archive", str(tmp_path / "a.sqlite"), "import", str(folder), home=user_home)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert sorted(lines) == [
        f"incident-viewer: rejected: {folder / 'blob.bin'}: binary data, not a text article",
        f"incident-viewer: rejected: {folder / 'empty.txt'}: the file is empty",
    ]
    assert result.stdout.strip() == "1 imported, 0 updated, 0 unchanged, 2 rejected"


@pytest.mark.parametrize("args", [["frobnicate"], ["search"], ["export", "--format", "pdf"]])
def test_usage_errors_exit_2(user_home: Path, args: list[str]) -> None:
    result = _run(*args, home=user_home)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "usage:" in result.stderr
