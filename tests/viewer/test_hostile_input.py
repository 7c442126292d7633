"""Hostile and broken input found by the hardening review (issue 11): each case is one line
naming the file and the reason (or, where it can be read, imported), the rest of the import
goes on, and no input costs unbounded time or memory."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from db import Archive
from tests.conftest import SEED_BALOCHISTAN, SEED_MASTUNG
from viewer.cli import run
from viewer.services.importing import ImportReport, ReadLimits, import_paths

PAGE = (
    "<mediawiki><page><title>{title}</title><ns>0</ns><revision><text>"
    "{{{{Infobox civilian attack|title={title}|date=1 May 2020|fatalities=3}}}}\n"
    "The {title} killed 3 people in the city.</text></revision></page></mediawiki>"
)


def _xml(folder: Path, name: str, encoding: str, title: str) -> Path:
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>\n'
    try:
        data = (declaration + PAGE.format(title=title)).encode(encoding)
    except LookupError:
        data = (declaration + PAGE.format(title=title)).encode("utf-8")
    path = folder / name
    path.write_bytes(data)
    return path


def _titles(archive: Archive) -> set[str]:
    with archive.raw_connection() as connection:
        return {row[0] for row in connection.execute("SELECT title FROM incidents")}


def _reasons(report: ImportReport) -> dict[str, str]:
    return {Path(r.where.split(" (")[0]).name: r.reason for r in report.rejected}


def _good(folder: Path, seeds_dir: Path) -> None:
    (folder / "good.txt").write_bytes((seeds_dir / SEED_BALOCHISTAN).read_bytes())


# -- encodings ------------------------------------------------------------------------------


def test_xml_in_any_encoding_python_knows_is_imported_and_unknown_ones_are_one_line(
    empty_archive: Archive, tmp_path: Path, seeds_dir: Path
) -> None:
    """Unknown and multi-byte encodings each used to abort the whole import (exit 70)."""
    folder = tmp_path / "in"
    folder.mkdir()
    _good(folder, seeds_dir)
    readable = {
        "shift_jis": "神戸 attack",
        "euc-jp": "大阪 attack",
        "big5": "台北 attack",
        "utf-32": "Kōbe attack",
        "utf-7": "Kyōto attack",
        "utf-16": "Ōsaka attack",
        "iso-8859-2": "Łódź attack",
    }
    for encoding, title in readable.items():
        _xml(folder, f"{encoding}.xml", encoding, title)
    _xml(folder, "bogus.xml", "x-bogus-42", "Bogus attack")
    _xml(folder, "mutated.xml", "wdows-1252", "Mutated attack")
    report = import_paths(empty_archive, [folder])
    assert _titles(empty_archive) == {*readable.values(), "February 2024 Balochistan bombings"}
    reasons = _reasons(report)
    assert set(reasons) == {"bogus.xml", "mutated.xml"}
    assert "'x-bogus-42'" in reasons["bogus.xml"] and "encoding" in reasons["bogus.xml"]
    assert "'wdows-1252'" in reasons["mutated.xml"]


def test_xml_text_not_in_its_declared_encoding_is_one_line(
    empty_archive: Archive, tmp_path: Path
) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(b'<?xml version="1.0" encoding="utf-8"?>\n<mediawiki>\xff\xfe</mediawiki>')
    report = import_paths(empty_archive, [path])
    assert "not valid utf-8" in report.rejected[0].reason


# -- file system --------------------------------------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_imported_and_stored_printably(
    empty_archive: Archive, tmp_path: Path, seeds_dir: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    name = b"caf\xe9-\xff.txt"  # Latin-1 bytes: not valid UTF-8
    with open(os.path.join(os.fsencode(folder), name), "wb") as handle:
        handle.write((seeds_dir / SEED_MASTUNG).read_bytes())
    _good(folder, seeds_dir)
    report = import_paths(empty_archive, [folder])
    assert report.imported == 2 and not report.rejected
    with empty_archive.raw_connection() as connection:
        paths = [row[0] for row in connection.execute("SELECT path FROM sources")]
    assert any(p.endswith("caf\\xe9-\\xff.txt") for p in paths), paths
    assert any("not valid UTF-8" in w.reason for w in report.warnings)


def test_a_symlink_loop_is_one_line_and_the_rest_is_imported(
    empty_archive: Archive, tmp_path: Path, seeds_dir: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _good(folder, seeds_dir)
    (folder / "loop-a.txt").symlink_to(folder / "loop-b.txt")
    (folder / "loop-b.txt").symlink_to(folder / "loop-a.txt")
    (folder / "self").symlink_to(folder, target_is_directory=True)  # a folder loop
    report = import_paths(empty_archive, [folder])
    assert report.imported == 1
    reasons = _reasons(report)
    assert set(reasons) == {"loop-a.txt", "loop-b.txt"}
    assert all("loop" in reason for reason in reasons.values())


def test_special_files_are_skipped_with_a_line(
    empty_archive: Archive, tmp_path: Path, seeds_dir: Path
) -> None:
    """A FIFO used to hang the import for ever (holding the write lock); a link to /dev/zero
    was read until memory ran out."""
    folder = tmp_path / "in"
    folder.mkdir()
    _good(folder, seeds_dir)
    os.mkfifo(folder / "pipe.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    finished: list[ImportReport] = []
    worker = threading.Thread(target=lambda: finished.append(import_paths(empty_archive, [folder])))
    worker.start()
    worker.join(timeout=60)
    assert finished, "the import hung on a special file"
    report = finished[0]
    assert report.imported == 1 and not report.rejected
    skipped = {Path(w.where).name: w.reason for w in report.warnings}
    assert "named pipe" in skipped["pipe.txt"] and "character device" in skipped["zero.txt"]
    named = import_paths(empty_archive, [folder / "pipe.txt"])  # named directly, too
    assert "named pipe" in named.warnings[0].reason


def test_an_unreadable_sub_folder_is_said(
    empty_archive: Archive, tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    _good(folder, seeds_dir)
    real = os.scandir

    def scandir(path: Any = ".") -> Any:  # what a folder without read permission does
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    report = import_paths(empty_archive, [folder])
    assert report.imported == 1
    assert _reasons(report) == {"locked": "cannot read the folder: Permission denied"}


def test_an_empty_path_imports_nothing(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    seeds_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`import ""` used to import the current folder."""
    monkeypatch.chdir(seeds_dir)
    status = run(["--archive", str(tmp_path / "a.sqlite"), "import", ""])
    out, err = capsys.readouterr()
    assert status == 1
    assert 'rejected: "": an empty path names nothing to import' in err
    assert out.strip() == "0 imported, 0 updated, 0 unchanged, 1 rejected"


def test_the_archive_itself_is_not_imported(empty_archive: Archive, seeds_dir: Path) -> None:
    folder = empty_archive.path.parent
    _good(folder, seeds_dir)
    report = import_paths(empty_archive, [folder])
    assert report.imported == 1 and not report.rejected
    assert any("the archive being written" in w.reason for w in report.warnings)


# -- bounded work per input ---------------------------------------------------------------------


def test_articles_over_the_size_limit_are_rejected_without_being_read_whole(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seeds_dir: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _good(folder, seeds_dir)
    (folder / "huge.txt").write_text("= Huge =\n\n" + "word " * 300_000)  # 1.5 MB
    big_page = PAGE.format(title="Big page").replace("killed", "killed " + "x " * 700_000)
    (folder / "dump.xml").write_text(big_page)
    archive = str(tmp_path / "a.sqlite")
    status = run(["--archive", archive, "import", str(folder), "--max-article-size", "1"])
    out, err = capsys.readouterr()
    assert status == 1
    assert out.strip() == "1 imported, 0 updated, 0 unchanged, 2 rejected"
    lines = err.strip().splitlines()
    assert any("huge.txt: larger than the limit of 1 MB per article" in line for line in lines)
    assert any("(page 'Big page'): larger than the limit" in line for line in lines)
    status = run(["--archive", archive, "import", str(folder / "huge.txt")])
    assert status == 0  # the default limit takes it


def test_a_megabyte_of_unclosed_infobox_openings_imports_in_bounded_time(
    empty_archive: Archive, tmp_path: Path
) -> None:
    """208 KB of it took 35 s and a megabyte did not finish in 590 s (the parser tried each
    opening as far as the end of the text)."""
    path = tmp_path / "unclosed.wiki"
    path.write_text("'''Unclosed attack''' happened.\n" + "{{Infobox civilian attack|" * 8000)
    started = time.monotonic()
    report = import_paths(empty_archive, [path])
    assert time.monotonic() - started < 20
    assert report.imported == 1
    assert _titles(empty_archive) == {"Unclosed attack"}


def test_a_file_that_takes_too_long_to_parse_is_rejected_and_the_rest_imported(
    empty_archive: Archive, tmp_path: Path, seeds_dir: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-good.txt").write_bytes((seeds_dir / SEED_MASTUNG).read_bytes())
    (folder / "b-tangled.wiki").write_text("'''Tangled''' " + "<span " * 6000)  # a minute
    _good(folder, seeds_dir)
    started = time.monotonic()
    report = import_paths(empty_archive, [folder], limits=ReadLimits(parse_seconds=2))
    assert time.monotonic() - started < 30
    assert report.imported == 2
    (reason,) = _reasons(report).values()
    assert reason.startswith("reading it took longer than 2 s")


def test_a_crashing_parser_costs_only_its_file(
    empty_archive: Archive, tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that dies on a file (a native crash) is replaced; the file is tried once
    more, then rejected; the files after it are imported."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-good.txt").write_bytes((seeds_dir / SEED_MASTUNG).read_bytes())
    (folder / "b-crash.txt").write_text("= Crash =\n\nCRASH-THE-READER\n")
    _good(folder, seeds_dir)
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parent.parent.parent))
    monkeypatch.setenv("INCIDENT_VIEWER_TEST_CRASH_ON", "CRASH-THE-READER")
    from viewer.services import preparing

    pool = preparing.PreparePool()
    monkeypatch.setattr(preparing, "_serve", _crashing_serve)
    monkeypatch.setattr(preparing, "_POOL", pool)
    try:
        report = import_paths(empty_archive, [folder])
    finally:
        pool.shutdown()
    assert report.imported == 2
    assert list(_reasons(report).values()) == ["reading this file crashed the article reader"]


def _crashing_serve(connection: object) -> None:
    """A worker that dies of SIGSEGV on files holding the marker (spawned by name, so it
    must live at module level)."""
    import faulthandler

    from viewer.services import preparing

    marker = os.environ["INCIDENT_VIEWER_TEST_CRASH_ON"].encode()
    real_prepare = preparing.prepare_file

    def prepare(path: Path, limits: ReadLimits | None = None) -> Iterator[preparing.Prepared]:
        if marker in Path(path).read_bytes():
            faulthandler._sigsegv()  # type: ignore[attr-defined]  # a native crash, on purpose
        return real_prepare(path, limits)

    preparing.prepare_file = prepare
    preparing._serve_files(connection)  # type: ignore[arg-type]


def test_the_write_lock_is_not_held_while_files_are_parsed(
    empty_archive: Archive, tmp_path: Path, seeds_dir: Path
) -> None:
    """Another program (the window saving a note) is never kept waiting by a slow file."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-good.txt").write_bytes((seeds_dir / SEED_MASTUNG).read_bytes())
    (folder / "b-slow.wiki").write_text("'''Slow''' " + "<span " * 1200)  # a few seconds
    done = threading.Event()
    waits: list[float] = []

    def other_writer() -> None:
        connection = sqlite3.connect(empty_archive.path, timeout=0.5, isolation_level=None)
        while not done.is_set():
            started = time.monotonic()
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("ROLLBACK")
            waits.append(time.monotonic() - started)
            time.sleep(0.05)
        connection.close()

    writer = threading.Thread(target=other_writer)
    writer.start()
    try:
        report = import_paths(empty_archive, [folder], limits=ReadLimits(parse_seconds=60))
    finally:
        done.set()
        writer.join()
    assert report.imported == 2
    assert waits and max(waits) < 0.5


# -- figures and titles ------------------------------------------------------------------------

HUGE = "1234567890123456789012345"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("a.txt", f"= Toll attack =\n\nInfobox\n- Date: 1 May 2020\n- Deaths: {HUGE}\n\nText.\n"),
        ("b.wiki", f"{{{{Infobox civilian attack|title=Toll attack|deaths={HUGE}}}}}\nText.\n"),
        ("c.xml", PAGE.format(title="Toll attack").replace("fatalities=3", f"fatalities={HUGE}")),
        ("d.txt", f"Toll attack\n\nThe bombing killed {HUGE} people in the city.\n"),
    ],
)
def test_a_toll_of_25_digits_is_left_out_and_the_article_imported(
    empty_archive: Archive, tmp_path: Path, name: str, text: str
) -> None:
    """It used to stop the import with OverflowError (exit 70)."""
    path = tmp_path / name
    path.write_text(text)
    report = import_paths(empty_archive, [path])
    assert report.imported == 1 and not report.rejected
    with empty_archive.raw_connection() as connection:
        (low, high) = connection.execute(
            "SELECT fatalities_min, fatalities_max FROM incidents"
        ).fetchone()
        (raw,) = connection.execute("SELECT raw_text FROM sources").fetchone()
    assert (low, high) == (None, None)
    assert HUGE in raw


def test_any_extracted_figure_too_large_to_be_true_is_left_out() -> None:
    """The safety net under every extractor, present and future: a record field holding a
    number past any real toll is cleared (with its record's other numbers), never stored."""
    from db.records import Facts, Toll
    from viewer.services.preparing import drop_impossible_numbers

    facts = Facts(fatalities=Toll(10**24, 10**24, False, HUGE), injuries=Toll(3, 5, True, "3-5+"))
    assert drop_impossible_numbers(facts) == ["fatalities"]
    assert facts.fatalities == Toll(None, None, False, HUGE)
    assert facts.injuries == Toll(3, 5, True, "3-5+")


def test_look_alike_titles_are_one_incident(empty_archive: Archive, tmp_path: Path) -> None:
    """NFC and NFD, fullwidth letters and a zero-width space made four incidents that look
    identical."""
    spellings = [
        "Café bombing",
        unicodedata.normalize("NFD", "Café bombing"),
        "Ｃａｆé bombing",
        "Caf\u200bé bombing",
    ]
    for number, title in enumerate(spellings):
        path = tmp_path / f"{number}.txt"
        path.write_text(f"= {title} =\n\nThe bombing, version {number}.\n")
        import_paths(empty_archive, [path])
    with empty_archive.raw_connection() as connection:
        rows = connection.execute("SELECT title, title_key FROM incidents").fetchall()
    assert len(rows) == 1, rows
    assert rows[0][1] == "café bombing"


@pytest.mark.parametrize("title", ["\u200b\u200b", "\u200e \u2060\ufeff", "\u00ad"])
def test_a_title_of_only_invisible_characters_is_rejected(
    empty_archive: Archive, tmp_path: Path, title: str
) -> None:
    path = tmp_path / "blank.txt"
    path.write_text(f"= {title} =\n\nSome text about nothing.\n")
    report = import_paths(empty_archive, [path])
    assert report.imported == 0
    assert "the title is blank" in report.rejected[0].reason


def test_a_100000_character_title_is_shortened_with_a_warning(
    empty_archive: Archive, tmp_path: Path
) -> None:
    path = tmp_path / "long.txt"
    path.write_text("= " + "Long title words " * 6000 + "=\n\nText.\n")
    report = import_paths(empty_archive, [path])
    assert report.imported == 1
    (title,) = _titles(empty_archive)
    assert len(title) <= 301 and title.endswith("…")
    assert any("shortened" in w.reason for w in report.warnings)


# -- annotation files ------------------------------------------------------------------------------


def _collection(
    start: object = 10, created: str = "2026-01-01T00:00:00Z", quote: str = "x"
) -> dict:
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "first": {
            "type": "AnnotationPage",
            "items": [
                {
                    "id": "urn:uuid:6f1f1b9e-3c1e-4f57-9d0b-1c1d2e3f4a5b",
                    "type": "Annotation",
                    "created": created,
                    "target": {
                        "source": "urn:incident-archive:article:2023%20Mastung%20bombing",
                        "selector": [
                            {"type": "TextQuoteSelector", "exact": quote},
                            {"type": "TextPositionSelector", "start": start, "end": 20},
                        ],
                    },
                }
            ],
        },
    }


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("[" * 1000 + "]" * 1000, "nested"),
        ('{"n": ' + "9" * 5000 + "}", "5,000 digits"),
        (json.dumps(_collection(start=2**64)), "digits"),
        (json.dumps(_collection(created="0001-01-01T00:00:00+01:00")), "not a date-time"),
        (json.dumps(_collection(quote="\ud800")), "lone surrogate"),
        ('{"n": NaN}', "NaN"),
    ],
)
def test_hostile_annotation_files_are_one_line_and_import_nothing(
    capsys: pytest.CaptureFixture[str],
    seeded_archive: Archive,
    tmp_path: Path,
    content: str,
    reason: str,
) -> None:
    """Each used to be RecursionError, OverflowError, ValueError or UnicodeEncodeError: exit 70."""
    path = tmp_path / "hostile.jsonld"
    path.write_text(content, encoding="utf-8", errors="surrogatepass")
    status = run(["--archive", str(seeded_archive.path), "import", "--annotations", str(path)])
    err = capsys.readouterr().err
    assert status == 1
    (line,) = err.strip().splitlines()
    assert line.startswith(f"incident-viewer: rejected: {path}: ") and reason in line, line
    with seeded_archive.raw_connection() as connection:
        assert connection.execute("SELECT count(*) FROM annotations").fetchone() == (0,)


def test_workers_that_cannot_start_leave_the_import_to_this_process(
    empty_archive: Archive, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken installation (a frozen program without freeze_support, say) where every
    worker dies at once: the files are read here instead, and all imported."""
    from viewer.services import preparing

    pool = preparing.PreparePool()
    monkeypatch.setattr(preparing, "_serve", _dying_serve)
    monkeypatch.setattr(preparing, "_POOL", pool)
    try:
        report = import_paths(empty_archive, [seeds_dir])
    finally:
        pool.shutdown()
    assert report.imported == 2 and not report.rejected


def _dying_serve(connection: object) -> None:
    os._exit(3)
