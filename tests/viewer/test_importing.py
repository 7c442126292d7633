"""Importing: re-import changes nothing, a changed article is updated in place, cancel keeps
what was done."""

from __future__ import annotations

import shutil
from pathlib import Path

from db import Archive
from db.queries import count_incidents
from tests.conftest import SEED_MASTUNG
from viewer.services import catalog
from viewer.services.importing import ImportProgress, import_paths


def _snapshot(archive: Archive) -> list[tuple[object, ...]]:
    with archive.raw_connection() as connection:
        rows: list[tuple[object, ...]] = []
        for table in ("incidents", "sections", "infobox_fields", "sources"):
            rows += connection.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
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
    assert incident.source.path == str((seeds_dir / SEED_MASTUNG).resolve())
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
