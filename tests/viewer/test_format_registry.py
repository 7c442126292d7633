"""The format registry: a new format is one parser and one registration, and it is then
detected, imported, stored under its name and re-read by reindex like the built-in ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from db import Archive
from viewer.parsing import (
    FORMATS,
    ArticleRejected,
    ParsedArticle,
    detect_text_format,
    formats,
    parse_path,
    reparse,
)
from viewer.parsing.formats import ArticleFormat, ParseRequest
from viewer.parsing.model import ParsedSection
from viewer.services import catalog
from viewer.services.importing import import_paths
from viewer.services.reindexing import reindex

CARD = "CARD: Harbour bombing\nA bomb exploded at the harbour.\nTwelve people were hurt.\n"


def _parse_card(request: ParseRequest) -> ParsedArticle:
    """A toy format: 'CARD: title' on the first line, then one paragraph per line."""
    first, *lines = request.text.strip().split("\n")
    title = request.title or first.removeprefix("CARD:").strip()
    article = ParsedArticle(title=title, format="card", raw=request.text)
    article.sections.append(ParsedSection(heading=None, level=1, blocks=lines))
    return article


@pytest.fixture
def with_card_format(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formats, "_REGISTRY", dict(formats._REGISTRY))
    formats.register(
        ArticleFormat(
            "card",
            parse=_parse_card,
            suffixes=frozenset({".card"}),
            looks_like=lambda text: text.startswith("CARD:"),
        )
    )


def test_the_built_in_formats_are_registered_in_order() -> None:
    assert FORMATS == ("archive", "wikitext", "mediawiki-xml", "plain")
    assert formats.by_name("plain").fallback
    with pytest.raises(ArticleRejected, match="unknown stored format 'card'"):
        formats.by_name("card")
    with pytest.raises(ValueError, match="registered already"):
        formats.register(ArticleFormat("plain", parse=_parse_card))


def test_a_registered_format_is_detected_before_the_plain_text_fallback(
    with_card_format: None,
) -> None:
    assert detect_text_format(CARD) == "card"
    assert detect_text_format("Some words\n", ".card") == "card"
    assert detect_text_format("Some words that are no card\n") == "plain"
    assert detect_text_format("= Title =\n", ".card") == "card"  # the ending decides first


def test_a_registered_format_is_imported_and_reindexed(
    with_card_format: None, empty_archive: Archive, tmp_path: Path
) -> None:
    path = tmp_path / "harbour.card"
    path.write_text(CARD, encoding="utf-8")
    (article,) = parse_path(path)
    assert isinstance(article, ParsedArticle) and article.title == "Harbour bombing"
    report = import_paths(empty_archive, [path], workers=0)
    assert report.imported == 1 and not report.rejected
    incident = catalog.find_incident(empty_archive, "Harbour bombing")
    assert incident.source.format == "card"
    assert reparse(CARD, "card", "Renamed").title == "Renamed"
    assert reindex(empty_archive).problems == []
    assert (
        "Twelve people were hurt." in catalog.find_incident(empty_archive, "harbour bombing").body
    )
