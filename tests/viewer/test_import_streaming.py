"""Importing large exports in bounded memory (issue 13): pages handed on one at a time and
freed once written, a page past the size limit rejected with one line while the rest of the
file is imported, and a long page parsed a part at a time into the same article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from db import Archive, open_archive
from viewer.cli import run
from viewer.parsing import ParsedArticle, parse_path
from viewer.parsing import wikitext as wikitext_module
from viewer.parsing.mediawiki_xml import iter_export_pages
from viewer.parsing.wikitext import parse_wikitext
from viewer.services import preparing
from viewer.services.importing import import_paths
from viewer.services.preparing import ReadLimits

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BERLIN = FIXTURES / "real" / "2016-berlin-attack.wiki"


def _page(title: str, text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (
        f"<page><title>{title}</title><ns>0</ns><id>1</id><revision><id>2</id>"
        f'<text xml:space="preserve">{escaped}</text></revision></page>\n'
    )


def _export(path: Path, pages: list[tuple[str, str]]) -> Path:
    body = "".join(_page(title, text) for title, text in pages)
    path.write_text(f"<mediawiki>\n{body}</mediawiki>\n", encoding="utf-8")
    return path


def _rows(archive_path: Path) -> list[tuple[object, ...]]:
    with open_archive(archive_path) as archive, archive.raw_connection() as connection:
        return connection.execute(
            "SELECT i.title, i.body, i.date_start, i.fatalities_min, s.raw_text, s.sha256 "
            "FROM incidents i JOIN sources s ON s.incident_id = i.id ORDER BY i.title"
        ).fetchall()


def test_a_page_past_the_size_limit_is_one_line_and_the_others_are_imported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    berlin = BERLIN.read_text(encoding="utf-8")
    big = berlin + "\n== More ==\n" + "A long paragraph of words. " * 60_000  # 1.6 MB
    path = _export(
        tmp_path / "dump.xml",
        [("First attack", berlin), ("Big attack", big), ("Last attack", berlin)],
    )
    archive = tmp_path / "a.sqlite"
    status = run(["--archive", str(archive), "import", str(path), "--max-article-size", "1"])
    out, err = capsys.readouterr()
    assert status == 1
    assert out.strip() == "2 imported, 0 updated, 0 unchanged, 1 rejected"
    (line,) = [line for line in err.splitlines() if "rejected" in line]
    assert line == (
        f"incident-viewer: rejected: {path} (page 'Big attack'): larger than the limit of "
        "1 MB per article; raise the limit (import --max-article-size MB) to import it"
    )
    assert [row[0] for row in _rows(archive)] == ["First attack", "Last attack"]
    # a higher limit takes it, and the two others are unchanged
    status = run(["--archive", str(archive), "import", str(path), "--max-article-size", "2"])
    assert status == 0
    assert capsys.readouterr().out.strip() == "1 imported, 0 updated, 2 unchanged, 0 rejected"


def test_pages_are_handed_on_before_the_rest_of_the_file_is_read(tmp_path: Path) -> None:
    """The first pages of an export come out before the reader reaches the break at its
    end: nothing waits for the whole file."""
    path = _export(tmp_path / "cut.xml", [("First attack", "Text one."), ("Second", "Two.")])
    path.write_text(path.read_text()[:-30], encoding="utf-8")  # broken at the end
    prepared = preparing.prepare_file(path)
    first = next(prepared)
    assert first.record is not None and first.record.title == "First attack"
    rest = list(prepared)
    assert rest[-1].rejection is not None and "malformed XML" in rest[-1].rejection.reason


def test_a_worker_sends_a_many_page_file_in_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    berlin = BERLIN.read_text(encoding="utf-8")
    path = _export(tmp_path / "dump.xml", [(f"Attack {n}", berlin) for n in range(6)])
    monkeypatch.setattr(preparing, "PIECE_CHARS", 100_000)  # about two of these pages
    sent = _Sent()
    preparing._send_pieces(sent, 7, preparing.prepare_file(path, ReadLimits()))  # type: ignore[arg-type]
    messages = sent.messages
    assert [index for index, _, _ in messages] == [7] * len(messages)
    assert [last for _, _, last in messages] == [False] * (len(messages) - 1) + [True]
    assert 3 <= len(messages) <= 4
    titles = [p.record.title for _, items, _ in messages for p in items if p.record]
    assert titles == [f"Attack {n}" for n in range(6)]


class _Sent:
    """A worker's end of the pipe that keeps what is sent."""

    def __init__(self) -> None:
        self.messages: list[tuple[int, list[preparing.Prepared], bool]] = []

    def send(self, message: tuple[int, list[preparing.Prepared], bool]) -> None:
        self.messages.append(message)


def test_pieces_from_workers_store_what_one_process_stores(
    tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A many-page export sent in pieces (and files beside it, read by two workers) gives
    the archive that reading everything in this process gives."""
    berlin = BERLIN.read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    _export(folder / "b-dump.xml", [(f"Attack {n}", berlin) for n in range(8)])
    for name in ("2023-mastung-bombing.txt", "february-2024-balochistan-bombings.txt"):
        (folder / f"a-{name}").write_bytes((seeds_dir / name).read_bytes())
        (folder / f"c-{name}").write_bytes((seeds_dir / name).read_bytes())
    monkeypatch.setattr(preparing, "PIECE_CHARS", 50_000)
    monkeypatch.setattr(preparing, "HELD_CHARS", 10_000)  # other workers wait their turn
    reports = {}
    for workers in (0, 1, 2):
        archive = tmp_path / f"a{workers}.sqlite"
        with open_archive(archive) as opened:
            reports[workers] = import_paths(opened, [folder], workers=workers)
    assert all(r.imported == 10 and not r.rejected for r in reports.values())
    assert [str(w) for w in reports[1].warnings] == [str(w) for w in reports[0].warnings]
    assert [str(w) for w in reports[2].warnings] == [str(w) for w in reports[0].warnings]
    assert _rows(tmp_path / "a1.sqlite") == _rows(tmp_path / "a0.sqlite")
    assert _rows(tmp_path / "a2.sqlite") == _rows(tmp_path / "a0.sqlite")


def _wikitext_pages() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.rglob("*.wiki"))]
    for export in sorted(FIXTURES.rglob("*.xml")):
        with export.open("rb") as handle:
            texts += [page.text for page in iter_export_pages(handle) if page.text]
    return texts


@pytest.mark.parametrize("part_chars", [1, 300, 5000])
def test_a_long_page_parsed_a_part_at_a_time_is_the_article_parsed_whole(
    monkeypatch: pytest.MonkeyPatch, part_chars: int
) -> None:
    """Parts end before headings; every real page of the fixtures, cut into parts as small
    as one section, reads as the same article (title, infobox, sections) as when whole."""
    texts = _wikitext_pages()
    assert len(texts) >= 15
    whole = [parse_wikitext(text) for text in texts]
    monkeypatch.setattr(wikitext_module, "PART_CHARS", part_chars)
    parts = sum(1 for text in texts for _ in wikitext_module._parsed_parts(text))
    assert parts > 2 * len(texts)  # really parsed in parts
    assert [parse_wikitext(text) for text in texts] == whole


SPANNING = [
    # a template, a tag, a table and a link that hold a heading line: one construct each,
    # never cut at that heading
    "'''Lead''' text.\n\n== One ==\n{{quote|start\n== inside ==\nend}}\n\n== Two ==\nafter.",
    "'''Lead''' text.\n\n== One ==\n<div>start\n== inside ==\nend</div>\n\n== Two ==\nafter.",
    "'''Lead''' text.\n\n== One ==\n{|\n|cell\n== inside ==\n|}\n\n== Two ==\nafter.",
    "'''Lead''' text.\n\n== One ==\n[[File:x.jpg|a\n== inside ==\nb]]\n\n== Two ==\nafter.",
    # DISPLAYTITLE and the infobox in a later part still give the title and the fields
    "Lead without bold.\n\n== One ==\ntext.\n\n== Two ==\n{{DISPLAYTITLE:''Late'' title}}"
    "{{Infobox civilian attack|title=Boxed|date=1 May 2020|fatalities=3}}\nafter.",
    "Lead without bold.\n\n== One ==\ntext\n== Two ==\n"
    "{{Infobox civilian attack|title=Boxed title|fatalities=3}}\nafter.",
]


@pytest.mark.parametrize("text", SPANNING)
def test_a_construct_across_a_heading_is_never_cut(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    whole = parse_wikitext(text)
    monkeypatch.setattr(wikitext_module, "PART_CHARS", 1)
    assert parse_wikitext(text) == whole


def test_the_many_page_file_imports_with_its_pages_in_order(
    empty_archive: Archive, tmp_path: Path
) -> None:
    berlin = BERLIN.read_text(encoding="utf-8")
    path = _export(tmp_path / "dump.xml", [(f"Attack {n:02}", berlin) for n in range(30)])
    report = import_paths(empty_archive, [path], workers=1)
    assert report.imported == 30 and not report.rejected
    items = [i for i in parse_path(path) if isinstance(i, ParsedArticle)]
    with empty_archive.raw_connection() as connection:
        stored = connection.execute("SELECT title FROM incidents ORDER BY id").fetchall()
    assert [row[0] for row in stored] == [item.title for item in items]
    assert json.dumps(report.changed_ids) == json.dumps(sorted(report.changed_ids))


def test_a_few_large_files_are_read_by_more_than_one_worker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """From 200 files, or from two files of 8 MB in all: each large export is minutes of
    work, and the next one need not wait for it; one file, or a few small ones, take one
    worker (starting another costs more than it saves)."""
    monkeypatch.setenv(preparing.WORKERS_VARIABLE, "3")
    assert preparing.worker_count(2, 8 * 2**20) == 3
    assert preparing.worker_count(200, 0) == 3
    assert preparing.worker_count(1, 500 * 2**20) == 1
    assert preparing.worker_count(150, 8 * 2**20 - 1) == 1
    monkeypatch.setenv(preparing.WORKERS_VARIABLE, "0")
    assert preparing.worker_count(2, 0) == 0
