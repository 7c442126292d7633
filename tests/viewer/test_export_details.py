"""Exports as a researcher opens them: the CSV in a spreadsheet (UTF-8 mark, a summary cut at
a word's end), the Markdown report's outline with a note's own headings; imports that name
every duplicate and unchanged file."""

from __future__ import annotations

import io
from pathlib import Path

from db import Archive
from tests.conftest import SEED_MASTUNG
from viewer.services import catalog, exporting, research
from viewer.services.exporting import nest_headings, summary_text
from viewer.services.importing import import_paths


def test_the_summary_is_cut_at_a_word_end() -> None:
    text = "word " * 200
    cut = summary_text(text.strip())
    assert len(cut) <= 500 and cut.endswith("word…")
    assert summary_text("short lead.") == "short lead."


def test_a_csv_file_starts_with_a_byte_order_mark(seeded_archive: Archive, tmp_path: Path) -> None:
    target = tmp_path / "incidents.csv"
    assert exporting.export_file(seeded_archive, "csv", target) == 2
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfeventid,")
    out = io.StringIO()
    exporting.export(seeded_archive, "csv", out)
    assert out.getvalue().startswith("eventid,")  # standard output: no mark
    target = tmp_path / "incidents.json"
    exporting.export_file(seeded_archive, "json", target)
    assert target.read_bytes().startswith(b"{")


def test_a_notes_headings_sit_under_research_note(seeded_archive: Archive) -> None:
    assert nest_headings("# Mine\ntext\n## Sub\n```\n# code\n```") == (
        "#### Mine\ntext\n##### Sub\n```\n# code\n```"
    )
    assert nest_headings("#### already deep") == "#### already deep"
    assert nest_headings("#hashtag, not a heading") == "#hashtag, not a heading"
    incident = catalog.find_incident(seeded_archive, "2023 Mastung bombing").id
    research.save_note(seeded_archive, incident, "# My reading\n\nThe toll.", "markdown")
    out = io.StringIO()
    exporting.export(seeded_archive, "markdown", out, [incident])
    headings = [line for line in out.getvalue().split("\n") if line.startswith("#")]
    assert headings[0].startswith("# ") and all(not h.startswith("# ") for h in headings[1:])
    assert "#### My reading" in headings


def test_duplicates_in_an_import_are_named(
    empty_archive: Archive, tmp_path: Path, seeds_dir: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    text = (seeds_dir / SEED_MASTUNG).read_text(encoding="utf-8")
    (folder / "a.txt").write_text(text, encoding="utf-8")
    (folder / "b.txt").write_text(text + "\nMore.\n", encoding="utf-8")
    report = import_paths(empty_archive, [folder], workers=0)
    duplicates = [w for w in report.warnings if "duplicate" in w.reason]
    assert len(duplicates) == 1
    assert duplicates[0].where.endswith("b.txt") and "a.txt" in duplicates[0].reason
    again = import_paths(empty_archive, [folder / "b.txt"], workers=0)
    assert [u.where.endswith("b.txt") for u in again.unchanged_files] == [True]
