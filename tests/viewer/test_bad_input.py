"""Bad input: each file gets one clear reason, the rest of the import goes on, nothing is left
half-written; and the parser never raises on arbitrary text."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db import Archive
from db.queries import count_incidents
from tests.conftest import SEED_BALOCHISTAN, SEED_MASTUNG
from viewer.parsing import ArticleProblem, ArticleRejected, ParsedArticle, parse_path, parse_text
from viewer.parsing.decoding import decode_article_bytes
from viewer.services.importing import import_paths


def _only_problem(path: Path) -> ArticleProblem:
    (item,) = list(parse_path(path))
    assert isinstance(item, ArticleProblem), item
    assert item.where == str(path)
    return item


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"  \n\n \t\n", "empty"),
        (bytes(range(256)) * 20, "binary"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "binary"),
        (b"\xff\xfe" + "= T =".encode("utf-16-le") + b"\x00\xd8", "invalid utf-16"),
    ],
)
def test_undecodable_files_get_one_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    assert reason in _only_problem(path).reason


def test_unknown_encoding_is_named_not_guessed_wildly() -> None:
    # Random high bytes with no plausible single-byte reading.
    data = bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 50
    with pytest.raises(ArticleRejected, match=r"encoding|binary"):
        decode_article_bytes(data)


def test_latin1_file_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("= Café attack =\n\nInfobox\n- Date: 1 May 2020\n\nText.\n".encode("latin-1"))
    (article,) = list(parse_path(path))
    assert isinstance(article, ParsedArticle)
    assert article.title == "Café attack"
    assert "not UTF-8" in article.warnings[0]


def test_utf8_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf= T =\r\n\r\nLine one.\r\n")
    (article,) = list(parse_path(path))
    assert isinstance(article, ParsedArticle)
    assert article.title == "T" and article.sections[0].blocks == ["Line one."]


def test_folder_with_bad_files_imports_the_good_ones(
    empty_archive: Archive, tmp_path: Path, seeds_dir: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blob.bin").write_bytes(os.urandom(3000))
    (folder / "nested").mkdir()
    (folder / "nested" / "good.txt").write_bytes((seeds_dir / SEED_BALOCHISTAN).read_bytes())
    (folder / ".hidden").write_bytes(b"\x00\x01")
    report = import_paths(empty_archive, [folder, tmp_path / "missing.txt"])
    assert report.imported == 1
    reasons = {Path(r.where).name: r.reason for r in report.rejected}
    assert set(reasons) == {"empty.txt", "blob.bin", "missing.txt"}
    assert "no such file" in reasons["missing.txt"]
    with empty_archive.session() as session:
        assert count_incidents(session) == 1


def test_rejected_article_leaves_nothing_behind(
    empty_archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seeds_dir: Path
) -> None:
    """A failure half-way through writing one article rolls back all of that article."""
    import db.store

    real = db.store.ArchiveWriter._insert_children

    def failing(self: db.store.ArchiveWriter, incident_id: int, record: object) -> None:
        real(self, incident_id, record)  # type: ignore[arg-type]
        if "Mastung" in record.title:  # type: ignore[attr-defined]
            raise RuntimeError("simulated failure after the sections were written")

    monkeypatch.setattr(db.store.ArchiveWriter, "_insert_children", failing)
    with pytest.raises(RuntimeError):
        import_paths(empty_archive, [seeds_dir / SEED_MASTUNG])
    with empty_archive.raw_connection() as connection:
        for table in ("incidents", "sections", "infobox_fields", "sources", "incident_fts"):
            assert connection.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(
        alphabet=st.sampled_from(list("= -*:{}[]|<>'\"\n\tabcXYZ0123456789–#!/&;")),
        max_size=400,
    )
)
def test_parser_never_raises_anything_but_rejection_on_markup_soup(text: str) -> None:
    for suffix in (".txt", ".wiki"):
        try:
            article = parse_text(text, suffix=suffix, file_stem="fuzz")
        except ArticleRejected:
            continue
        body, spans = article.layout()
        assert all(0 <= s.heading_start <= s.start <= s.end <= len(body) for s in spans)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_parser_never_raises_on_arbitrary_unicode(text: str) -> None:
    with contextlib.suppress(ArticleRejected):
        parse_text(text, suffix=".txt", file_stem="fuzz")
