"""Flag templates in raw wikitext reaction lists: the flag says whose the item is.

Reaction lists in wikitext mark each item with a flag template: {{flag|Norway}} draws the
flag and the name, the older shorthand {{JPN}} does the same by code, {{flagcountry|BRA}}
takes a code, and {{flagicon|ESP}} draws the flag alone. The statements quoted below are
real reaction items of the corpus (the 2020 Bir al-Abd attack, the 2016 Kabul mosque
bombing); the markup around them is the templates' own syntax.
"""

from __future__ import annotations

from pathlib import Path

from viewer.extraction.gazetteer import flag_country_name
from viewer.parsing.wikitext import parse_wikitext
from viewer.services.importing import prepare_file

SAUDI = (
    "A statement released by the Saudi Foreign Ministry extended condolences to the "
    "families of the Egyptian martyrs and the government, wishing the injured a speedy "
    "recovery."
)
TURKISH = "The Turkish Foreign Ministry has condemned the attacks."
WITHOUT_NAME = "We strongly condemn the terrorist attack which was perpetrated near Bir al-Abd."

LEAD = (
    "'''2020 Bir al-Abd attack''' was an attack on a checkpoint near [[Bir al-Abd]], "
    "[[Egypt]], on 21 July 2020.\n\n"
)


def _body(items: str, infobox: str = "") -> str:
    article = parse_wikitext(
        infobox + LEAD + "== Reactions ==\n" + items, country_name=flag_country_name
    )
    return article.layout()[0]


def test_a_shorthand_code_template_is_its_state_name() -> None:
    body = _body("* {{JPN}} – " + WITHOUT_NAME + "\n")
    assert "Japan – " + WITHOUT_NAME in body


def test_a_code_in_a_flag_template_is_its_state_not_an_acronym() -> None:
    body = _body("* {{flagcountry|BRA}}: " + WITHOUT_NAME + "\n")
    assert "Brazil: " + WITHOUT_NAME in body
    assert "BRA" not in body


def test_a_flag_drawn_alone_at_an_items_start_names_the_state() -> None:
    body = _body("* {{flagicon|ESP}} " + WITHOUT_NAME + "\n")
    assert "Spain – " + WITHOUT_NAME in body


def test_a_flag_drawn_alone_before_its_states_name_adds_nothing() -> None:
    body = _body("* {{flagicon|KSA}} '''[[Saudi Arabia]]''': " + SAUDI + "\n")
    assert "Saudi Arabia: " + SAUDI in body
    assert "Saudi Arabia – " not in body


def test_a_flag_inside_running_text_and_an_unknown_flag_add_nothing() -> None:
    body = _body(
        "The attack was condemned by {{flagicon|TUR}} Turkey.\n"
        "* {{flagicon|ISIL}} " + WITHOUT_NAME + "\n"
    )
    assert "condemned by Turkey." in " ".join(body.split())
    assert "ISIL" not in body


def test_an_infoboxs_flags_stay_out_of_its_values() -> None:
    infobox = (
        "{{Infobox civilian attack\n| perpetrators = {{flagicon|Saudi Arabia}} "
        "[[Saudi Arabian-led intervention in Yemen|Saudi-led coalition]]\n}}\n"
    )
    article = parse_wikitext(infobox + LEAD, country_name=flag_country_name)
    values = {entry.key: entry.value for entry in article.infobox}
    assert values["perpetrators"] == "Saudi-led coalition"


def test_flagged_items_are_the_states_reactions_on_import(tmp_path: Path) -> None:
    path = tmp_path / "2020-bir-al-abd-attack.wiki"
    path.write_text(
        LEAD
        + "== Reactions ==\n"
        + "* {{flagcountry|BRA}}: "
        + WITHOUT_NAME
        + "\n* {{flagicon|ESP}} "
        + WITHOUT_NAME
        + "\n* {{TUR}} – "
        + TURKISH
        + "\n",
        encoding="utf-8",
    )
    (prepared,) = list(prepare_file(path))
    assert prepared.record is not None
    actors = [(r.actor, r.category, r.stance) for r in prepared.record.facts.reactions]
    assert actors == [
        ("Brazil", "international", "condemned"),
        ("Spain", "international", "condemned"),
        ("Turkey", "international", "condemned"),
    ]
