"""A damaged archive (a page overwritten with random bytes) is recognised as damage: reads
say so in one line with the way out, writes are refused, `check` reports it and `recover`
copies everything still readable into a new archive."""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from db import Archive, open_archive
from db.pagefile import TABLE_LEAF, PageFile
from viewer.cli import run
from viewer.services import research
from viewer.services.importing import import_paths

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "real"


def build_research_archive(path: Path, seeds_dir: Path) -> dict[str, int]:
    """An archive with articles and the researcher's data on each: annotations with tags,
    notes, bookmarks; checkpointed, so that every page is in the main file."""
    with open_archive(path) as archive:
        import_paths(archive, [seeds_dir, FIXTURES], workers=0)
        with archive.raw_connection() as connection:
            ids = [row[0] for row in connection.execute("SELECT id FROM incidents")]
        for incident_id in ids:
            research.annotate_quote(
                archive, incident_id, "the", occurrence=1, note=f"note {incident_id}",
                tags=["t1", f"x{incident_id % 3}"],
            )  # fmt: skip
            research.save_note(archive, incident_id, f"research note {incident_id}")
            research.add_bookmark(archive, incident_id, f"bookmark {incident_id}")
            research.tag_incident(archive, incident_id, ["incident-tag"])
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return research_counts(path)


RESEARCH = ("incidents", "annotations", "notes", "bookmarks", "tags", "incident_tags",
            "annotation_tags")  # fmt: skip


def research_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        return {t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in RESEARCH}


def leaf_page(path: Path, table: str) -> int:
    """A leaf page of table's b-tree (the last one: the newest rows)."""
    with PageFile(path) as pages:
        root = next(r for kind, name, r, _ in pages.schema() if kind == "table" and name == table)
        scan = pages.scan_table(root)
        return max(n for n in scan.pages if pages.page_kind(n) == TABLE_LEAF)


def damage(path: Path, page: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("r+b") as handle:
        handle.seek((page - 1) * 4096)
        handle.write(bytes(rng.randrange(256) for _ in range(4096)))


@pytest.fixture(scope="module")
def _template(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> tuple[Path, dict]:
    path = tmp_path_factory.mktemp("damage") / "template.sqlite"
    counts = build_research_archive(path, seeds_dir)
    return path, counts


@pytest.fixture
def damaged(_template: tuple[Path, dict], tmp_path: Path) -> Iterator[Path]:
    """A copy of the template with a leaf page of incidents overwritten."""
    path = tmp_path / "damaged.sqlite"
    path.write_bytes(_template[0].read_bytes())
    damage(path, leaf_page(path, "incidents"))
    yield path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = run(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize(
    "argv",
    [["list"], ["list", "--json"], ["export", "--format", "json"], ["search", "bombing"],
     ["show", "1"]],
)  # fmt: skip
def test_reads_of_a_damaged_archive_say_so_in_one_line(
    capsys: pytest.CaptureFixture[str], damaged: Path, argv: list[str]
) -> None:
    """They used to fail with a SQLAlchemy traceback summary, exit 70."""
    status, _, err = _run(capsys, "--archive", str(damaged), *argv)
    if status == 0:
        return  # this read did not touch the damaged page: it may succeed
    assert status == 2, err
    (line,) = err.strip().splitlines()
    assert f"archive {damaged} is damaged" in line
    assert "check" in line and "recover NEW.sqlite" in line
    assert "internal error" not in line and "sqlalche" not in line


def test_at_least_the_full_reads_meet_the_damage(
    capsys: pytest.CaptureFixture[str], damaged: Path
) -> None:
    status, _, err = _run(capsys, "--archive", str(damaged), "export", "--format", "json")
    assert status == 2 and "is damaged" in err


@pytest.mark.parametrize(
    "argv",
    [["tag", "2", "x"], ["note", "2", "--text", "new"], ["bookmark", "2"],
     ["annotate", "2", "--quote", "the", "--occurrence", "2"], ["reindex"], ["backup", "COPY"],
     ["import", "SEEDS"]],
)  # fmt: skip
def test_writes_to_a_damaged_archive_are_refused_and_it_is_left_as_it_was(
    capsys: pytest.CaptureFixture[str], damaged: Path, seeds_dir: Path, argv: list[str]
) -> None:
    """tag, note, import and backup kept writing to (or copying) the damaged file, exit 0."""
    before = hashlib.sha256(damaged.read_bytes()).hexdigest()
    copy = damaged.with_name("copy.sqlite")
    argv = [str(copy) if a == "COPY" else str(seeds_dir) if a == "SEEDS" else a for a in argv]
    status, _, err = _run(capsys, "--archive", str(damaged), *argv)
    assert status == 2, err
    assert f"archive {damaged} is damaged" in err and "nothing more is written to it" in err
    assert hashlib.sha256(damaged.read_bytes()).hexdigest() == before
    assert not copy.exists()


def test_check_reports_sound_and_damaged_archives_and_the_backups(
    capsys: pytest.CaptureFixture[str], _template: tuple[Path, dict], damaged: Path
) -> None:
    status, out, _ = _run(capsys, "--archive", str(_template[0]), "check")
    assert status == 0
    assert "sound: SQLite's integrity check" in out
    assert f"{_template[1]['incidents']} incidents" in out.replace(",", "")
    backup = damaged.with_name(damaged.name + ".before-upgrade-20261130T101500Z.bak")
    backup.write_bytes(b"x" * 2048)
    status, out, _ = _run(capsys, "--archive", str(damaged), "check")
    assert status == 1
    assert "  damaged: integrity check:" in out
    assert "recover NEW.sqlite" in out
    assert f"{backup} (taken 2026-11-30 10:15 UTC" in out


def test_recover_copies_everything_readable(
    capsys: pytest.CaptureFixture[str], _template: tuple[Path, dict], damaged: Path
) -> None:
    destination = damaged.with_name("recovered.sqlite")
    status, out, _ = _run(capsys, "--archive", str(damaged), "recover", str(destination))
    assert status == 1  # something was lost: the damaged page
    assert out.startswith(f"recovered {damaged} into {destination}:")
    with open_archive(destination) as archive:
        assert archive.check_integrity() == []
    counts = research_counts(destination)
    expected = _template[1]
    # the damaged page held incident rows; their source text survived and rebuilt them
    assert counts == expected, (counts, expected)
    status, out, _ = _run(capsys, "--archive", str(destination), "check")
    assert status == 0, out


def test_recover_never_overwrites(capsys: pytest.CaptureFixture[str], damaged: Path) -> None:
    taken = damaged.with_name("taken.sqlite")
    taken.write_text("mine")
    status, _, err = _run(capsys, "--archive", str(damaged), "recover", str(taken))
    assert status == 2 and "it exists" in err
    assert taken.read_text() == "mine"
    status, _, err = _run(capsys, "--archive", str(damaged), "recover", str(damaged))
    assert status == 2


@pytest.mark.parametrize("where", ["page 1", "annotations", "sources"])  # all: make fuzz
def test_recovery_loses_only_what_was_on_the_damaged_page(
    _template: tuple[Path, dict], tmp_path: Path, where: str
) -> None:
    """A page of each kind destroyed: the recovered archive opens and is sound; only the
    rows that lived on that page are missing, and research rows without their article are
    kept in the .unplaced.json file beside it."""
    from viewer.services.recovery import recover

    path = tmp_path / "d.sqlite"
    path.write_bytes(_template[0].read_bytes())
    page = 1 if where == "page 1" else leaf_page(path, where)
    with sqlite3.connect(path) as connection:
        on_page = {
            t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in RESEARCH
        }
    damage(path, page)
    report = recover(path, tmp_path / "r.sqlite")
    with open_archive(tmp_path / "r.sqlite") as archive:
        assert archive.check_integrity() == []
    counts = research_counts(tmp_path / "r.sqlite")
    for table in RESEARCH:
        if table != where:
            assert counts[table] + _kept(report, table) >= on_page[table] - _dependent(
                where, table, on_page
            ), (table, counts, report.lines())


def _kept(report: object, table: str) -> int:
    unplaced_file = getattr(report, "unplaced_file", None)
    if unplaced_file is None:
        return 0
    kept = json.loads(Path(unplaced_file).read_text())
    undecided = kept.get("rows whose table could not be told", [])
    return len(kept.get(table, [])) + sum(table in row["could_be"] for row in undecided)


def _dependent(where: str, table: str, counts: dict[str, int]) -> int:
    """Rows that cannot survive without the destroyed page's rows (the tags of lost
    annotations, the links of lost tags)."""
    if where == "annotations" and table == "annotation_tags":
        return counts["annotation_tags"]
    if where == "tags" and table in ("incident_tags", "annotation_tags"):
        return counts[table]
    return 0


def test_an_archive_on_read_only_media_opens_read_only(
    capsys: pytest.CaptureFixture[str], seeded_archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It could not be opened at all (WAL needs a -shm beside it), and the message blamed
    the folder's permissions."""
    path = seeded_archive.path
    seeded_archive.close()
    monkeypatch.setattr("db.archive.on_read_only_mount", lambda _path: True)
    with open_archive(path) as archive:
        assert not archive.writable and archive.immutable
    status, out, _ = _run(capsys, "--archive", str(path), "list")
    assert status == 0 and "Mastung" in out
    status, _, err = _run(capsys, "--archive", str(path), "tag", "1", "x")
    assert status == 2
    assert "open read-only (it is on read-only media)" in err and "permission" not in err


def test_a_real_read_only_mount(
    capsys: pytest.CaptureFixture[str], seeded_archive: Archive, tmp_path: Path
) -> None:
    """The archive on a file system mounted read-only (needs the right to mount one: root
    in CI's container; skipped elsewhere)."""
    import subprocess

    mount = tmp_path / "media"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)],
                      capture_output=True, check=False).returncode:  # fmt: skip
        pytest.skip("cannot mount a file system here")
    try:
        path = mount / "archive.sqlite"
        seeded_archive.close()
        source, target = sqlite3.connect(seeded_archive.path), sqlite3.connect(path)
        source.backup(target)
        source.close()
        target.close()
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        status, out, err = _run(capsys, "--archive", str(path), "list")
        assert status == 0 and "Mastung" in out, err
        status, _, err = _run(capsys, "--archive", str(path), "note", "1", "--text", "x")
        assert status == 2 and "read-only media" in err
        status, out, _ = _run(capsys, "--archive", str(path), "check")
        assert status == 0 and "sound" in out
    finally:
        subprocess.run(["umount", str(mount)], check=False)
