"""kill -9 at random points of the real program writing an archive: an import into a new
archive, an import into an existing one, a burst of annotations, an export. After each the
archive opens, SQLite's integrity check is ok, every article is whole (as an import without
a kill stores it) or absent, every annotation whose command returned is there, and importing
again completes. A few kills of each kind in every test run; `make fuzz` sets FUZZ_KILLS=50.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from db import open_archive
from tests.conftest import ROOT
from tests.reliability.archive_checks import (
    ARTICLES,
    Snapshot,
    integrity,
    reference_snapshot,
    snapshot,
)
from viewer.services import research
from viewer.services.importing import import_paths

KILLS = int(os.environ.get("FUZZ_KILLS", "2"))
SEED = int(os.environ.get("FUZZ_SEED", "0")) or int.from_bytes(os.urandom(3), "big")
PROGRAM = [sys.executable, "-m", "viewer"]
TRIES = 4  # a run that ends before its kill is run again with an earlier kill


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    return reference_snapshot(tmp_path_factory.mktemp("reference") / "a.sqlite")


@pytest.fixture(scope="module")
def existing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive holding the two samples, annotated."""
    path = tmp_path_factory.mktemp("existing") / "a.sqlite"
    with open_archive(path) as archive:
        import_paths(archive, ARTICLES[:1], workers=0)
        research.create_annotation(archive, 1, 0, 10, note="before")
    return path


def _environment(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "INCIDENT_VIEWER_HOME": str(tmp_path / "home")}


def kill_during(
    argv: list[str],
    tmp_path: Path,
    rng: random.Random,
    started: Callable[[], bool],
    most: float,
    prepare: Callable[[], object],
) -> str:
    """Run argv, and SIGKILL it a random time (up to most seconds) after started()
    turns true; a run that ends first is prepared and run again with the kill sooner.
    Returns what the killed program wrote to stdout."""
    for attempt in range(TRIES):
        prepare()
        process = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_environment(tmp_path),
            cwd=tmp_path,
        )
        deadline = time.monotonic() + 60
        while not started() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        # the last try kills as soon as the write begins, so that a fast machine kills too
        time.sleep(rng.uniform(0, most / (attempt + 1)) if attempt < TRIES - 1 else 0)
        process.send_signal(signal.SIGKILL)
        out, _ = process.communicate(timeout=60)
        if process.returncode == -signal.SIGKILL:
            return out.decode("utf-8", "replace")
    pytest.fail(f"{argv[3:6]} always finished before its kill (seed {SEED})")


def _fresh_copy(source: Path, path: Path) -> None:
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    shutil.copy(source, path)


def assert_sound(path: Path, reference: Snapshot) -> None:
    """Opens, passes the integrity check, and every article in it is whole."""
    with open_archive(path):
        pass
    assert integrity(path) == "ok"
    for title, stored in snapshot(path).items():
        assert stored == reference[title], f"{title} is not whole (seed {SEED})"


def assert_import_completes(path: Path, reference: Snapshot) -> None:
    with open_archive(path) as archive:
        report = import_paths(archive, ARTICLES, workers=0)
    assert not report.rejected
    assert snapshot(path) == reference


@pytest.mark.parametrize("run", range(KILLS))
def test_kill_during_an_import_into_a_new_archive(
    tmp_path: Path, reference: Snapshot, run: int
) -> None:
    rng = random.Random(SEED * 1000 + run)
    path = tmp_path / "new.sqlite"

    def prepare() -> None:
        for leftover in tmp_path.glob("new.sqlite*"):
            leftover.unlink()

    argv = [*PROGRAM, "--archive", str(path), "import", *map(str, ARTICLES)]
    kill_during(argv, tmp_path, rng, path.exists, 2.0, prepare)
    assert_sound(path, reference)
    assert_import_completes(path, reference)


@pytest.mark.parametrize("run", range(KILLS))
def test_kill_during_an_import_into_an_existing_archive(
    tmp_path: Path, reference: Snapshot, existing: Path, run: int
) -> None:
    rng = random.Random(SEED * 1000 + run)
    path = tmp_path / "a.sqlite"
    wal = path.with_name("a.sqlite-wal")
    argv = [*PROGRAM, "--archive", str(path), "import", *map(str, ARTICLES)]
    kill_during(argv, tmp_path, rng, wal.exists, 2.0, lambda: _fresh_copy(existing, path))
    assert_sound(path, reference)
    with open_archive(path) as archive:
        assert [a.note for a in research.list_annotations(archive)] == ["before"]
    assert_import_completes(path, reference)


# Annotates again and again in one process, each time as `annotate` on the command line
# does, and prints the id of each annotation once its command has returned.
_ANNOTATE = """
import sys
from viewer.__main__ import main
for number in range(1, 10_000):
    occurrence = str(number % 60 + 1)
    main(["--archive", sys.argv[1], "annotate", "1", "--quote", "the",
          "--occurrence", occurrence, "--note", f"note {number}", "--tag", f"t{number % 7}"])
    sys.stdout.flush()
"""


@pytest.mark.parametrize("run", range(KILLS))
def test_kill_during_a_burst_of_annotations(
    tmp_path: Path, reference: Snapshot, existing: Path, run: int
) -> None:
    rng = random.Random(SEED * 1000 + run)
    path = tmp_path / "a.sqlite"
    wal = path.with_name("a.sqlite-wal")
    argv = [sys.executable, "-c", _ANNOTATE, str(path)]
    out = kill_during(argv, tmp_path, rng, wal.exists, 3.0, lambda: _fresh_copy(existing, path))
    returned = {line.split()[1] for line in out.splitlines() if line.startswith("annotation ")}
    assert_sound(path, reference)
    with open_archive(path) as archive:
        present = {a.uuid for a in research.list_annotations(archive)}
    missing = returned - present
    assert not missing, f"{len(missing)} annotations whose command returned are gone"
    assert_import_completes(path, reference)


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("full") / "a.sqlite"
    with open_archive(path) as archive:
        import_paths(archive, ARTICLES, workers=0)
    return path


@pytest.mark.parametrize("run", range(KILLS))
def test_kill_during_an_export_leaves_the_earlier_file_or_the_new_one_whole(
    tmp_path: Path, reference: Snapshot, full: Path, run: int
) -> None:
    rng = random.Random(SEED * 1000 + run)
    path = tmp_path / "a.sqlite"
    output = tmp_path / "out.json"
    wal = path.with_name(path.name + "-wal")

    def prepare() -> None:
        _fresh_copy(full, path)
        output.write_text(json.dumps({"format": "incident-archive/1", "incidents": []}))

    # the kill counts from the program's opening of the archive (its write-ahead log
    # appears), not from a fixed half second: a quiet machine exported all 16 incidents in
    # less than that, so every try finished before its kill
    argv = [*PROGRAM, "--archive", str(path), "export", "--format", "json", "--output", str(output)]
    kill_during(argv, tmp_path, rng, wal.exists, 0.5, prepare)
    written = json.loads(output.read_text(encoding="utf-8"))
    assert len(written["incidents"]) in (0, 16)
    assert_sound(path, reference)
    assert_import_completes(path, reference)
