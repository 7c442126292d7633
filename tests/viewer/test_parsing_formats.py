"""Wikitext, Special:Export XML and plain text, and how the format is detected."""

from __future__ import annotations

from pathlib import Path

import pytest

from viewer.parsing import ArticleProblem, ParsedArticle, detect_text_format, parse_path
from viewer.parsing.plain_text import parse_plain_text
from viewer.parsing.wikitext import parse_wikitext

WIKITEXT = """{{Short description|Terrorist attack in Germany}}
{{Use dmy dates|date=May 2020}}
{{Infobox civilian attack
| title       = 2016 Berlin truck attack
| image       = Berlin truck attack.jpg
| caption     = The truck the day after
| location    = [[Breitscheidplatz]], [[Berlin]], Germany
| coordinates = {{coord|52|30|18|N|13|20|13|E}}
| date        = {{start date|2016|12|19|df=y}}
| type        = [[Vehicle-ramming attack]]
| fatalities  = 13 (including the perpetrator)<ref>{{cite news|title=x}}</ref>
| injuries    = 55–56
| perpetrator = [[Anis Amri]]
| partof      = {{ubl|[[Terrorism in Germany]]|[[Islamic terrorism in Europe]]}}
}}
On '''19 December 2016''', a truck was deliberately driven into the [[Christmas market]]
next to the [[Kaiser Wilhelm Memorial Church]].<ref name="a">Ref.</ref> The attack killed 12.

== Attack ==
The truck<!-- hidden comment --> drove about {{convert|80|m|ft}} through the market.

== Reactions ==
=== International ===
* {{flag|France}} – President [[François Hollande]] expressed solidarity.
* {{flagicon|UK}} [[Theresa May]] said she was "shocked".
{| class="wikitable"
! Country !! Reaction
|-
| Poland || The foreign ministry condemned the attack.
|}

== See also ==
* [[2016 Nice truck attack]]

== References ==
{{reflist}}

[[Category:2016 murders in Germany]]
"""


def test_wikitext_infobox_parameters_become_fields() -> None:
    article = parse_wikitext(WIKITEXT, file_stem="berlin")
    assert article.title == "2016 Berlin truck attack"
    fields = {e.key: e.value for e in article.infobox}
    assert fields == {
        "title": "2016 Berlin truck attack",
        "location": "Breitscheidplatz, Berlin, Germany",
        "date": "19 December 2016",
        "type": "Vehicle-ramming attack",
        "fatalities": "13 (including the perpetrator)",
        "injuries": "55–56",
        "perpetrator": "Anis Amri",
        "partof": "Terrorism in Germany, Islamic terrorism in Europe",
    }
    markup = {e.key: e.markup for e in article.infobox}
    assert markup["date"] == "{{start date|2016|12|19|df=y}}"


def test_wikitext_sections_and_readable_text() -> None:
    article = parse_wikitext(WIKITEXT)
    assert [(s.heading, s.level) for s in article.sections] == [
        (None, 1),
        ("Attack", 2),
        ("Reactions", 2),
        ("International", 3),
        ("See also", 2),
        ("References", 2),  # the heading stays, emptied of its <ref> list
    ]
    assert article.sections[-1].blocks == []
    lead = article.sections[0].blocks
    assert lead == [
        "On 19 December 2016, a truck was deliberately driven into the Christmas market "
        "next to the Kaiser Wilhelm Memorial Church. The attack killed 12."
    ]
    assert article.sections[1].blocks == ["The truck drove about 80 m through the market."]
    assert article.sections[3].blocks == [
        "- France – President François Hollande expressed solidarity.",
        '- Theresa May said she was "shocked".',
        "- Poland – The foreign ministry condemned the attack.",
    ]
    assert article.sections[4].blocks == ["- 2016 Nice truck attack"]
    body, _ = article.layout()
    for residue in ("{{", "}}", "[[", "<ref", "Category:", "reflist", "hidden comment"):
        assert residue not in body


def test_wikitext_title_falls_back_to_bold_lead_then_file_name() -> None:
    assert parse_wikitext("The '''Quetta bombing''' killed 70.").title == "Quetta bombing"
    assert parse_wikitext("Text with [[a link]].", file_stem="quetta_bombing").title == (
        "Quetta bombing"
    )


def test_wikitext_quotes_close_at_the_end_of_their_line() -> None:
    # MediaWiki reads "''Hôtel de Ville'''s" as italics closed after an apostrophe; taken
    # as an unclosed bold it swallowed every later section of the article
    article = parse_wikitext(
        "The '''March''' began.\n\n== Events ==\n"
        "He rescued the ''Hôtel de Ville'''s quartermaster.\n\n''An unclosed italic\n\n"
        "== Aftermath ==\nThe crowd returned.\n"
    )
    assert [section.heading for section in article.sections] == [None, "Events", "Aftermath"]
    assert article.sections[1].blocks[0] == "He rescued the Hôtel de Ville's quartermaster."
    assert article.sections[2].blocks == ["The crowd returned."]


def test_wikitext_without_infobox_is_an_article() -> None:
    article = parse_wikitext("The '''Attack''' happened.\n\n== Aftermath ==\nPeople fled.\n")
    assert article.infobox == []
    assert article.sections[1].blocks == ["People fled."]


def test_redirect_page_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "r.wiki"
    path.write_text("#REDIRECT [[2016 Berlin truck attack]]\n", encoding="utf-8")
    (problem,) = list(parse_path(path))
    assert isinstance(problem, ArticleProblem)
    assert "redirect" in problem.reason


def _export(*pages: str) -> str:
    return (
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11">'
        "<siteinfo><sitename>Wikipedia</sitename></siteinfo>" + "".join(pages) + "</mediawiki>"
    )


def _page(title: str, text: str, ns: int = 0, extra: str = "") -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (
        f"<page><title>{title}</title><ns>{ns}</ns><id>1</id>{extra}<revision><id>2</id>"
        f'<text xml:space="preserve">{escaped}</text></revision></page>'
    )


def test_special_export_many_pages(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    path.write_text(
        _export(
            _page("2016 Berlin truck attack", WIKITEXT),
            _page("Talk:Something", "talk page", ns=1),
            _page(
                "Berlin attack",
                "#REDIRECT [[2016 Berlin truck attack]]",
                extra='<redirect title="2016 Berlin truck attack" />',
            ),
            _page("2017 Stockholm truck attack", "A truck attack in '''Stockholm'''.\n"),
            _page("Empty page", ""),
        ),
        encoding="utf-8",
    )
    items = list(parse_path(path))
    articles = [i for i in items if isinstance(i, ParsedArticle)]
    problems = [i for i in items if isinstance(i, ArticleProblem)]
    assert [a.title for a in articles] == [
        "2016 Berlin truck attack",
        "2017 Stockholm truck attack",
    ]
    assert all(a.format == "mediawiki-xml" for a in articles)
    assert articles[0].infobox_value("date") == "19 December 2016"
    assert [p.where for p in problems] == [f"{path} (page 'Empty page')"]


def test_malformed_export_keeps_pages_before_the_break(tmp_path: Path) -> None:
    path = tmp_path / "cut.xml"
    whole = _export(_page("First attack", "Text one."), _page("Second attack", "Text two."))
    path.write_text(whole[:-40], encoding="utf-8")
    items = list(parse_path(path))
    assert len(items) == 2
    assert isinstance(items[0], ParsedArticle) and items[0].title == "First attack"
    assert isinstance(items[-1], ArticleProblem) and "malformed XML" in items[-1].reason


def test_xml_entity_expansion_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><mediawiki><page><title>T</title>'
        "<ns>0</ns><revision><text>&b;</text></revision></page></mediawiki>",
        encoding="utf-8",
    )
    (problem,) = list(parse_path(path))
    assert isinstance(problem, ArticleProblem)
    assert "refused" in problem.reason


def test_xml_that_is_not_an_export_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text("<rss><channel/></rss>", encoding="utf-8")
    (problem,) = list(parse_path(path))
    assert isinstance(problem, ArticleProblem) and "not a MediaWiki export" in problem.reason


PLAIN = """Kabul airport attack

On 26 August 2021, a suicide bombing occurred at the airport.
It killed many people.

Attack

The bomber detonated a vest near the Abbey Gate.

Reactions

- The United Nations condemned it.
- Pakistan condemned it.
"""


def test_plain_text_title_headings_paragraphs_and_items() -> None:
    article = parse_plain_text(PLAIN, "kabul")
    assert article.title == "Kabul airport attack"
    assert article.format == "plain"
    assert [(s.heading, s.blocks) for s in article.sections] == [
        (
            None,
            [
                "On 26 August 2021, a suicide bombing occurred at the airport. "
                "It killed many people."
            ],
        ),
        ("Attack", ["The bomber detonated a vest near the Abbey Gate."]),
        ("Reactions", ["- The United Nations condemned it.", "- Pakistan condemned it."]),
    ]


def test_plain_text_title_from_file_name_when_first_line_is_a_sentence() -> None:
    article = parse_plain_text("A bomb went off in the market today.\n", "market_bombing")
    assert article.title == "Market bombing"
    assert article.sections[0].blocks == ["A bomb went off in the market today."]


@pytest.mark.parametrize(
    ("text", "stem", "expected"),
    [
        # capitals in the first sentence, beyond ASCII and with an ampersand
        (
            "The RAŠIĆA GAJ MASSACRES were killings of Serbs in Rašića Gaj.",
            "x",
            "Rašića Gaj massacres",
        ),
        (
            "The ROSE & CROWN BAR BOMBING was an attack on a pub. The Rose & Crown Bar reopened.",
            "x",
            "Rose & Crown Bar bombing",
        ),
        # the capitals name the article; the file name's year is not in them
        (
            "The BESSBROOK BOMBING took place on 17 April 1979 at Bessbrook.",
            "1979-bessbrook-bombing",
            "Bessbrook bombing",
        ),
        # the capitals name the victim after a date; the file name names the article
        (
            "On September 16, 2016, TERENCE CRUTCHER, a 40-year-old man, was shot. "
            "Terence Crutcher was unarmed.",
            "shooting-of-terence-crutcher",
            "Shooting of Terence Crutcher",
        ),
        # the person the article is about ("born"): not the incident's name
        (
            "YANG QINGPEI (born 1989) is a man accused of killing 19 people in Yema village.",
            "yema-stabbings",
            "Yema stabbings",
        ),
        # a file name's words as the text writes them: a hyphenated place, accents, small words
        (
            "Attackers rammed a truck into the German consulate in Mazar-i-Sharif. At about "
            "23:05 a second bomb exploded at the gate.",
            "2016-bombing-of-the-german-consulate-at-mazar-i-sharif",
            "2016 bombing of the German consulate at Mazar-i-Sharif",
        ),
        (
            "A car bomb exploded in Diyarbakır on 4 November 2016.",
            "november-2016-diyarbakir-bombing",
            "November 2016 Diyarbakır bombing",
        ),
        # a mirror's page of one section, and a site's name above the title
        (
            "2007 Al-Khilani Mosque Bombing - Reactions\n\nReactions\n\nThe Prime Minister "
            "condemned the attack on the mosque.",
            "x",
            "2007 Al-Khilani Mosque Bombing",
        ),
        (
            "Military Wiki\n2010 Baghdad bombing\n\nCar bombs exploded in Baghdad.",
            "x",
            "2010 Baghdad bombing",
        ),
    ],
)
def test_plain_text_title_as_copies_of_real_articles_give_it(
    text: str, stem: str, expected: str
) -> None:
    assert parse_plain_text(text, stem).title == expected


@pytest.mark.parametrize(
    ("text", "suffix", "expected"),
    [
        ("= T =\n\nText", ".txt", "archive"),
        ("{{Infobox civilian attack\n| date = 1}}\nText", ".txt", "wikitext"),
        ("Title\n\nText with [[link]].", ".txt", "wikitext"),
        ("plain words only", ".wiki", "wikitext"),
        ("Title\n\nJust text.", ".txt", "plain"),
    ],
)
def test_format_detection(text: str, suffix: str, expected: str) -> None:
    assert detect_text_format(text, suffix) == expected


def test_a_plain_copy_whose_reference_list_kept_template_remains_is_plain_text() -> None:
    text = (
        "The Provisional IRA carried out two separate attacks on 1 May 1988 in the Netherlands."
        "[1]\n\n\nBackground\n\n1988 was one of the worst years of the conflict. The IRA "
        "carried out many attacks.\n\n\nReferences\n\n[12]\n\n[13] The Bulletin. 1981.\n\n"
        "[15]  23 {{!}} 1987: 30 hurt as car bomb hits Army base|website=news.bbc.co.uk }}\n"
    )
    assert detect_text_format(text) == "plain"
    # but markup in the article's own text still makes it wikitext
    assert detect_text_format("The '''attack''' happened.\n\n[1] A source.\n") == "wikitext"
    article = parse_plain_text(text, "1988-ira-attacks-in-the-netherlands")
    assert article.title == "1988 IRA attacks in the Netherlands"  # the text's own acronym
