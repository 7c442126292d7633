"""The archive text format, checked on both reference articles field by field."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SEED_BALOCHISTAN, SEED_MASTUNG
from viewer.parsing import ArticleRejected, ParsedArticle, parse_path
from viewer.parsing.archive_text import parse_archive_text


def _parse(path: Path) -> ParsedArticle:
    (article,) = list(parse_path(path))
    assert isinstance(article, ParsedArticle)
    return article


def test_mastung_title_format_and_infobox(seeds_dir: Path) -> None:
    article = _parse(seeds_dir / SEED_MASTUNG)
    assert article.title == "2023 Mastung bombing"
    assert article.format == "archive"
    assert article.warnings == []
    assert [(e.key, e.value) for e in article.infobox] == [
        ("Title", "2023 Mastung bombing"),
        ("Location", "Mastung District, Balochistan, Pakistan"),
        ("Target", "Eid Milad-ul-Nabi procession"),
        ("Date", "29 September 2023"),
        ("Partof", "Insurgency in Balochistan and Terrorism in Pakistan"),
        ("Type", "Suicide bombing"),
        ("Fatalities", "60"),
        ("Injuries", "50–70"),
        ("Perps", ", * Khorasan Province (suspected)"),
    ]


def test_balochistan_infobox_keeps_raw_values(seeds_dir: Path) -> None:
    article = _parse(seeds_dir / SEED_BALOCHISTAN)
    assert article.title == "February 2024 Balochistan bombings"
    assert [(e.key, e.value) for e in article.infobox] == [
        ("Title", "February 2024 Balochistan bombings"),
        ("Partof", "the Insurgency in Balochistan"),
        ("Location", "Pishin District and Killa Saifullah, Balochistan, Pakistan"),
        ("Target", "2024 elections campaign"),
        ("Date", "7 February 2024"),
        ("Type", "Bombing"),
        ("Fatalities", "28–30+"),
        ("Injuries", "40+"),
        ("Perpetrator", "Islamic State – Pakistan Province"),
    ]


def test_mastung_sections_headings_levels_and_paragraphs(seeds_dir: Path) -> None:
    article = _parse(seeds_dir / SEED_MASTUNG)
    assert [(s.heading, s.level, len(s.blocks)) for s in article.sections] == [
        (None, 1, 3),
        ("Background", 2, 1),
        ("Bombing", 2, 2),
        ("Casualties", 2, 2),
        ("Response", 2, 1),
        ("Reactions", 2, 6),
        ("Responsibility", 2, 1),
        ("See also", 2, 3),
    ]
    lead = article.sections[0].blocks
    assert lead[0].startswith("On 29 September 2023, a suicide bombing occurred")
    assert lead[2].endswith("Islamic State of Iraq and the Levant (ISIL).")
    assert article.sections[-1].blocks == [
        "- List of terrorist incidents linked to Islamic State – Khorasan Province",
        "- List of terrorist incidents in 2023",
        "- Terrorist incidents in Pakistan in 2023",
    ]


def test_balochistan_spaced_headings_and_subsections(seeds_dir: Path) -> None:
    article = _parse(seeds_dir / SEED_BALOCHISTAN)
    assert [(s.heading, s.level, len(s.blocks)) for s in article.sections] == [
        (None, 1, 1),
        ("Background", 2, 1),
        ("Events", 2, 1),
        ("Aftermath", 2, 2),
        ("Reactions", 2, 0),
        ("Domestic", 3, 1),
        ("International", 3, 5),
        ("Organizations", 3, 2),
        ("See also", 2, 1),
    ]
    assert article.sections[-1].blocks == ["- 2026 Islamabad mosque bombing"]
    international = article.sections[6].blocks
    assert international[0].startswith("British High Commissioner to Pakistan Jane Marriott")
    assert international[-1].startswith("The Emirati Ministry of Foreign Affairs")


def test_layout_offsets_point_at_section_text(seeds_dir: Path) -> None:
    article = _parse(seeds_dir / SEED_BALOCHISTAN)
    body, spans = article.layout()
    for section, span in zip(article.sections, spans, strict=True):
        assert body[span.start : span.end] == "\n".join(section.blocks)
        if section.heading is not None:
            assert body[span.heading_start : span.start - 1] == section.heading
    assert (
        body.count("\n")
        == sum(len(s.blocks) + (s.heading is not None) for s in article.sections) - 1
    )


def test_infobox_block_headed_by_the_title_and_continued_values() -> None:
    text = (
        "= Quetta blast =\n\nQuetta blast\n- Date: 8 August 2016\n- Perpetrators: Jamaat-ul-Ahrar\n"
        "  and Islamic State\n\nA bomb exploded at the Civil Hospital.\n"
    )
    article = parse_archive_text(text)
    assert [(e.key, e.value) for e in article.infobox] == [
        ("Date", "8 August 2016"),
        ("Perpetrators", "Jamaat-ul-Ahrar\nand Islamic State"),
    ]
    assert article.sections[0].blocks == ["A bomb exploded at the Civil Hospital."]


def test_deeper_headings_and_list_items_with_lost_flags() -> None:
    text = (
        "= X =\n\nLead.\n\n== Reactions ==\n=== International ===\n==== Europe ====\n"
        "-    – Foreign Minister Jean-Marc Ayrault extends his condolences.\n"
        "- Germany condemned it.\n"
    )
    article = parse_archive_text(text)
    assert [(s.heading, s.level) for s in article.sections] == [
        (None, 1),
        ("Reactions", 2),
        ("International", 3),
        ("Europe", 4),
    ]
    assert article.sections[-1].blocks == [
        "- – Foreign Minister Jean-Marc Ayrault extends his condolences.",
        "- Germany condemned it.",
    ]


def test_truncated_article_is_kept_with_a_warning(seeds_dir: Path) -> None:
    text = (seeds_dir / SEED_MASTUNG).read_text(encoding="utf-8")[:700]
    article = parse_archive_text(text)
    assert article.title == "2023 Mastung bombing"
    assert any("truncated" in warning for warning in article.warnings)


@pytest.mark.parametrize(
    ("text", "reason"),
    [("= Only a title =\n", "no text"), ("== Not a title ==\nText\n", "Title")],
)
def test_rejected_archive_text(text: str, reason: str) -> None:
    with pytest.raises(ArticleRejected, match=reason):
        parse_archive_text(text)
