"""What each command imports: the command line parses its arguments before it loads
anything heavy, and a command loads only what it needs (issue 13: `--version` was 24x a
bare interpreter start because it imported SQLAlchemy and the archive layer first).

Each case runs the program in a fresh interpreter and reads back sys.modules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from db import Archive

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import json, sys
from viewer.__main__ import main
try:
    status = main(json.loads(sys.argv[1]))
except SystemExit as exit:
    status = exit.code
sys.stdout.flush()
print("\\nMODULES " + json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""

HEAVY = ("sqlalchemy", "alembic", "PySide6", "matplotlib", "numpy", "psycopg")


def loaded(argv: list[str], home: Path) -> tuple[int, set[str]]:
    environment = {**os.environ, "INCIDENT_VIEWER_HOME": str(home), "PYTHONPATH": str(ROOT)}
    finished = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(argv)],
        capture_output=True, text=True, env=environment, timeout=120, check=False, cwd=home,
    )  # fmt: skip
    last = finished.stdout.rstrip().rsplit("\n", 1)[-1]
    assert last.startswith("MODULES "), finished.stderr
    report = json.loads(last.removeprefix("MODULES "))
    return report["status"], set(report["modules"])


def tops(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["search", "--help"]])
def test_version_and_help_load_no_archive_layer_and_no_qt(argv: list[str], tmp_path: Path) -> None:
    status, modules = loaded(argv, tmp_path)
    assert status == 0
    assert not tops(modules) & set(HEAVY)
    ours = {name for name in modules if name.split(".")[0] in ("db", "viewer")}
    assert ours <= {
        "db", "db.fields", "viewer", "viewer.__main__", "viewer.annotation_colors",
        "viewer.cli", "viewer.cli_workbench", "viewer.crash", "viewer.paths",
        "viewer.services", "viewer.services.vocabulary",
    }, ours  # fmt: skip


@pytest.mark.engines("sqlite")
def test_search_reads_the_file_without_sqlalchemy_import_qt_or_charts(
    seeded_archive: Archive, tmp_path: Path
) -> None:
    status, modules = loaded(["--archive", str(seeded_archive.path), "search", "bombing"], tmp_path)
    assert status == 0
    assert "db.snapshot" in modules  # it did search, the file read directly
    assert not tops(modules) & set(HEAVY)
    unneeded = (
        "viewer.parsing", "viewer.extraction", "viewer.interchange", "viewer.ui",
        "viewer.services.importing", "viewer.services.exporting", "multiprocessing",
    )  # fmt: skip
    assert not {m for m in modules if m.startswith(unneeded)}


def test_search_of_a_new_archive_opens_it_the_usual_way(tmp_path: Path) -> None:
    status, modules = loaded(["--archive", str(tmp_path / "new.sqlite"), "search", "x"], tmp_path)
    assert status == 0
    assert "sqlalchemy" in modules and (tmp_path / "new.sqlite").is_file()  # created, as ever


def test_a_failing_command_still_reports_in_one_line(tmp_path: Path) -> None:
    # the error types are imported only once something failed
    missing = tmp_path / "nothing.sqlite"
    status, _modules = loaded(["--archive", str(missing), "check"], tmp_path)
    assert status == 2
