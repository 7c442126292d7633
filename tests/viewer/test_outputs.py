"""Exports and backups: the archive and its working files are refused as outputs, and an
output is replaced only when complete (a full disk leaves the old file as it was)."""

from __future__ import annotations

import contextlib
import errno
import subprocess
from pathlib import Path

import pytest

from db import Archive, open_archive
from db.queries import count_incidents
from viewer.cli import run
from viewer.services import exporting
from viewer.services.outputs import OutputRefused, atomic_output, temporary_beside


def _count(path: Path) -> int:
    with open_archive(path) as archive, archive.session() as session:
        return count_incidents(session)


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
@pytest.mark.parametrize("command", ["export", "backup"])
def test_the_archive_and_its_working_files_are_refused_as_outputs(
    capsys: pytest.CaptureFixture[str], seeded_archive: Archive, suffix: str, command: str
) -> None:
    """`export --output ARCHIVE` wrote JSON over the archive and said exit 0."""
    path = seeded_archive.path
    seeded_archive.close()
    target = str(path) + suffix
    argv = ["--format", "json", "--output", target] if command == "export" else [target]
    status = run(["--archive", str(path), command, *argv])
    err = capsys.readouterr().err
    assert status == 2
    assert f"cannot write the {command} to {target}" in err and len(err.splitlines()) == 1
    assert _count(path) == 2


def test_a_link_to_the_archive_is_refused_too(
    capsys: pytest.CaptureFixture[str], seeded_archive: Archive, tmp_path: Path
) -> None:
    link = tmp_path / "innocent.json"
    link.symlink_to(seeded_archive.path)
    status = run(
        ["--archive", str(seeded_archive.path), "export", "--format", "csv", "--output", str(link)]
    )
    assert status == 2 and "it is the archive itself" in capsys.readouterr().err
    assert _count(seeded_archive.path) == 2


def test_a_full_disk_leaves_the_old_export_and_no_temporary_file(
    capsys: pytest.CaptureFixture[str],
    seeded_archive: Archive,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """It used to end with `OSError: [Errno 28]`, exit 70."""
    target = tmp_path / "out" / "export.json"
    target.parent.mkdir()
    target.write_text("the good export of yesterday\n")
    real = exporting.write_json

    def fills_the_disk(archive: Archive, out: object) -> int:
        real(archive, out)  # type: ignore[arg-type]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setitem(exporting.WRITERS, "json", fills_the_disk)
    status = run(
        [
            "--archive",
            str(seeded_archive.path),
            "export",
            "--format",
            "json",
            "--output",
            str(target),
        ]
    )
    err = capsys.readouterr().err
    assert status == 2
    assert (
        err.strip() == f"incident-viewer: error: cannot write {target}: the disk is full; "
        "free some space and try again (the old file, if any, is kept)"
    )
    assert target.read_text() == "the good export of yesterday\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["export.json"]


def test_a_real_full_disk(
    capsys: pytest.CaptureFixture[str], seeded_archive: Archive, tmp_path: Path
) -> None:
    """The same on a 16 KB file system (needs the right to mount one: root in CI's
    container; skipped elsewhere)."""
    mount = tmp_path / "small"
    mount.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip("cannot mount a small file system here")
    try:
        target = mount / "export.json"
        target.write_text("old\n")
        status = run(
            [
                "--archive",
                str(seeded_archive.path),
                "export",
                "--format",
                "json",
                "--output",
                str(target),
            ]
        )
        err = capsys.readouterr().err
        assert status == 2 and "the disk is full" in err, err
        assert target.read_text() == "old\n"
        assert [p.name for p in mount.iterdir()] == ["export.json"]
        backup = mount / "backup.sqlite"
        status = run(["--archive", str(seeded_archive.path), "backup", str(backup)])
        err = capsys.readouterr().err
        assert status == 2 and f"cannot write {backup}: the disk is full" in err, err
        assert not backup.exists() and [p.name for p in mount.iterdir()] == ["export.json"]
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_temporary_file_of_a_killed_export_is_cleared_by_the_next(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    dead = subprocess.Popen(["true"])
    dead.wait()
    leftover = target.with_name(f".export.csv.{dead.pid}.0123abcd.partial")
    leftover.write_text("half")
    mine = temporary_beside(target)  # what the next export does first
    assert not leftover.exists() and mine.parent == tmp_path
    with atomic_output(target) as handle:
        handle.write("whole\n")
    assert target.read_text() == "whole\n"
    assert [p.name for p in tmp_path.iterdir()] == ["export.csv"]


def test_a_file_being_written_is_refused_as_an_output(
    seeded_archive: Archive, tmp_path: Path
) -> None:
    from viewer.services.outputs import check_output

    busy = temporary_beside(tmp_path / "backup.sqlite")
    with pytest.raises(OutputRefused, match="a file being written"):
        check_output(seeded_archive, busy)
    with contextlib.suppress(FileNotFoundError):
        busy.unlink()
