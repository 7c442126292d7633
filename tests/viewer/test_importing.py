"""Importing: re-import changes nothing, a changed article is updated in place, cancel keeps
what was done."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
from pathlib import Path

import pytest
from sqlalchemy import text

from db import Archive
from db.queries import count_incidents
from tests.conftest import SEED_MASTUNG
from viewer.services import catalog, preparing
from viewer.services.importing import ImportProgress, import_paths

pytestmark = pytest.mark.engines


def _snapshot(archive: Archive) -> list[tuple[object, ...]]:
    with archive.read() as connection:
        rows: list[tuple[object, ...]] = []
        for table in ("incidents", "sections", "infobox_fields", "sources"):
            found = connection.execute(text(f"SELECT * FROM {table} ORDER BY id")).all()
            rows += [tuple(row) for row in found]
        return rows


def test_import_twice_changes_nothing(seeded_archive: Archive, seeds_dir: Path) -> None:
    before = _snapshot(seeded_archive)
    report = import_paths(seeded_archive, [seeds_dir])
    assert (report.imported, report.updated, report.unchanged) == (0, 0, 2)
    assert report.changed_ids == []
    assert _snapshot(seeded_archive) == before


def test_changed_article_updates_in_place_and_keeps_its_id(
    seeded_archive: Archive, seeds_dir: Path, tmp_path: Path
) -> None:
    original = catalog.find_incident(seeded_archive, "2023 Mastung bombing")
    changed = tmp_path / "mastung-v2.txt"
    text = (seeds_dir / SEED_MASTUNG).read_text(encoding="utf-8")
    changed.write_text(text.replace("- Fatalities: 60", "- Fatalities: 61"), encoding="utf-8")
    report = import_paths(seeded_archive, [changed])
    assert (report.imported, report.updated, report.unchanged) == (0, 1, 0)
    assert report.changed_ids == [original.id]
    updated = catalog.find_incident(seeded_archive, "2023 MASTUNG  bombing")
    assert updated.id == original.id
    assert {f.key: f.value for f in updated.infobox}["Fatalities"] == "61"
    assert updated.source.path == str(changed.resolve())
    assert len(updated.sections) == len(original.sections)
    with seeded_archive.session() as session:
        assert count_incidents(session) == 2
    (hit,) = catalog.search(seeded_archive, "Gashkori").results
    assert hit.id == original.id


def test_source_keeps_raw_text_path_and_format(seeded_archive: Archive, seeds_dir: Path) -> None:
    incident = catalog.find_incident(seeded_archive, "2023 Mastung bombing")
    assert incident.source.raw_text == (seeds_dir / SEED_MASTUNG).read_text(encoding="utf-8")
    # the path as it was given (a symbolic link on the way is kept), naming the same file
    assert Path(incident.source.path).is_absolute()
    assert Path(incident.source.path).resolve() == (seeds_dir / SEED_MASTUNG).resolve()
    assert incident.source.format == "archive"


def test_progress_counts_files_and_cancel_keeps_what_was_done(
    empty_archive: Archive, tmp_path: Path, seeds_dir: Path
) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    text = (seeds_dir / SEED_MASTUNG).read_text(encoding="utf-8")
    for number in range(10):
        (folder / f"a{number:02}.txt").write_text(
            text.replace("2023 Mastung bombing", f"Attack number {number}"), encoding="utf-8"
        )
    seen: list[ImportProgress] = []

    def cancel_after_four() -> bool:
        return len(seen) >= 4

    report = import_paths(
        empty_archive, [folder], progress=seen.append, should_cancel=cancel_after_four
    )
    assert report.cancelled
    assert report.imported == 4
    assert [p.files_done for p in seen] == [0, 1, 2, 3]
    assert all(p.files_total == 10 for p in seen)
    with empty_archive.session() as session:
        assert count_incidents(session) == 4
    # Importing again finishes the job without duplicating the first four.
    report = import_paths(empty_archive, [folder])
    assert (report.imported, report.unchanged) == (6, 4)


def test_same_article_in_two_places_is_one_incident(
    empty_archive: Archive, tmp_path: Path, seeds_dir: Path
) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        shutil.copy(seeds_dir / SEED_MASTUNG, tmp_path / name / SEED_MASTUNG)
    report = import_paths(empty_archive, [tmp_path / "a", tmp_path / "b"])
    assert (report.imported, report.unchanged) == (1, 1)


def _numbered_copies(seeds_dir: Path, folder: Path, count: int) -> list[str]:
    """count copies of a reference article, each its own incident (its own title)."""
    text = (seeds_dir / SEED_MASTUNG).read_text(encoding="utf-8")
    first, rest = text.split("\n", 1)
    assert first == "= 2023 Mastung bombing ="
    titles = []
    folder.mkdir()
    for number in range(count):
        title = f"2023 Mastung bombing (copy {number:03})"
        (folder / f"copy-{number:03}.txt").write_text(f"= {title} =\n{rest}", encoding="utf-8")
        titles.append(title)
    return titles


def test_a_killed_import_worker_loses_nothing(
    empty_archive: Archive,
    seeds_dir: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A large import is parsed by worker processes; when they are killed from outside (out
    of memory, say) they are replaced and the files they held are read again: every article
    imported once, in file order, with the facts this process would extract."""
    titles = _numbered_copies(seeds_dir, tmp_path / "many", preparing.PARALLEL_MIN_FILES)
    killed: list[int] = []

    def kill_the_workers(progress: ImportProgress) -> None:
        if not killed:  # the first chunk is back: the others are still being parsed
            for worker in multiprocessing.active_children():
                os.kill(worker.pid or 0, signal.SIGKILL)
                killed.append(worker.pid or 0)

    report = import_paths(empty_archive, [tmp_path / "many"], progress=kill_the_workers, workers=2)
    assert killed, "the import ran without worker processes"
    assert "import worker stopped on" in caplog.text and "(crash)" in caplog.text
    assert (report.imported, report.updated, report.rejected) == (len(titles), 0, [])
    assert [s.title for s in catalog.list_summaries(empty_archive)] == titles
    # what the workers extracted is what this process extracts
    first, last = (catalog.find_incident(empty_archive, t) for t in (titles[0], titles[-1]))
    assert (first.fatalities_min, first.fatalities_max) == (last.fatalities_min, 60)
    assert len(first.reactions) == len(last.reactions) > 10
