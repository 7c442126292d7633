"""The CSL-JSON export: every item validates against the Citation Style Language's own input
schema (vendored: tests/conformance_suites/csl/csl-data.json) and cites the article as an
encyclopedia entry, with the incident's date and places as the event's."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from typing import Any

import jsonschema
import pytest

from tests.conformance import CONFORMANCE
from viewer.interchange.csl import CitationData, to_csl_item, to_csl_items

CSL_SCHEMA = CONFORMANCE / "csl" / "csl-data.json"


MASTUNG = CitationData(
    id=1,
    title="2023 Mastung bombing",
    date_start="2023-09-29",
    date_end="2023-09-29",
    source_path="/home/r/articles/2023-mastung-bombing.txt",
    source_format="archive",
    imported="2026-11-22T07:30:00+00:00",
    country="PK",
    places=["Mastung District", "Balochistan", "Pakistan"],
    perpetrators=["Islamic State – Khorasan Province"],
)

EXAMPLES = {
    "archive-text": MASTUNG,
    "wikitext-range": CitationData(
        id=2,
        title="February 2024 Balochistan bombings",
        date_start="2024-02-07",
        date_end="2024-02-08",
        source_path="C:\\Users\\r\\dumps\\balochistan.wiki",
        source_format="wikitext",
        imported="2026-01-02T03:04:05Z",
        country="PK",
        places=["Pishin District", "Killa Saifullah"],
        perpetrators=["Islamic State – Pakistan Province", "Unknown"],
        url="https://en.wikipedia.org/wiki/February_2024_Balochistan_bombings",
    ),
    "xml-month": CitationData(
        id=3,
        title="Attentat de la gare « Saint-Éloi »",
        date_start="2024-02-01",
        date_end="2024-02-29",
        source_path="/dumps/frwiki-pages.xml",
        source_format="mediawiki-xml",
        imported="2026-03-01T00:30:00+02:00",
        country=None,
        places=[],
        perpetrators=[],
    ),
    "plain-undated": CitationData(
        id=4,
        title="Notes on an attack",
        date_start=None,
        date_end=None,
        source_path="notes.txt",
        source_format="plain",
        imported="not a date",
        country=None,
        places=[],
        perpetrators=[],
    ),
    "saved-page-year": CitationData(
        id=5,
        title="1993 Bombay bombings - Wikipedia",
        date_start="1993-01-01",
        date_end="1993-12-31",
        source_path="/saved/1993 bombings.txt",
        source_format="plain",
        imported="2026-11-22T07:30:00Z",
        country="IN",
        places=["Bombay"],
        perpetrators=["D-Company"],
        url=None,
    ),
    "partial-dates": CitationData(
        id=6,
        title="东京 attack",
        date_start="2024-02",
        date_end="c. 2024",
        source_path="x/y/z.txt",
        source_format="plain",
        imported="2026-11-22",
        country="JP",
        places=["東京", "東京"],
        perpetrators=[],
    ),
}


@cache
def _validator() -> Any:
    schema = json.loads(CSL_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)  # the draft the schema declares
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_the_schema_is_the_csl_data_schema() -> None:
    validator = _validator()
    assert validator.schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert isinstance(validator, jsonschema.Draft7Validator)
    # and it does reject what is not CSL
    assert not validator.is_valid([{"id": "x", "type": "encyclopedia-entry"}])
    assert not validator.is_valid([{"id": "x", "type": "entry", "event_date": "2024"}])


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_each_item_validates_against_csl_data_json(name: str) -> None:
    items = to_csl_items([EXAMPLES[name]])
    errors = [e.message for e in _validator().iter_errors(items)]
    assert not errors


def test_the_whole_export_validates_as_json_text() -> None:
    text = json.dumps(to_csl_items(list(EXAMPLES.values())), ensure_ascii=False)
    _validator().validate(json.loads(text))


def test_archive_article_is_cited_as_an_encyclopedia_entry_from_its_file() -> None:
    item = to_csl_item(MASTUNG)
    assert item == {
        "id": "incident-1",
        "type": "entry-encyclopedia",
        "title": "2023 Mastung bombing",
        "container-title": "2023-mastung-bombing.txt",
        "event-date": {"date-parts": [[2023, 9, 29]]},
        "event-place": "Mastung District; Balochistan; Pakistan",
        "accessed": {"date-parts": [[2026, 11, 22]]},
        "note": "Perpetrators: Islamic State – Khorasan Province\nCountry: PK",
        "keyword": "Islamic State – Khorasan Province, Mastung District, Balochistan, Pakistan, PK",
    }


def test_the_event_date_is_not_the_publication_date() -> None:
    for data in EXAMPLES.values():
        item = to_csl_item(data)
        assert "issued" not in item
    assert to_csl_item(EXAMPLES["wikitext-range"])["event-date"] == {
        "date-parts": [[2024, 2, 7], [2024, 2, 8]]
    }
    # a month or a year the archive keeps as its first and last day
    assert to_csl_item(EXAMPLES["xml-month"])["event-date"] == {"date-parts": [[2024, 2]]}
    assert to_csl_item(EXAMPLES["saved-page-year"])["event-date"] == {"date-parts": [[1993]]}
    assert to_csl_item(EXAMPLES["partial-dates"])["event-date"] == {"date-parts": [[2024, 2]]}
    assert "event-date" not in to_csl_item(EXAMPLES["plain-undated"])
    odd = replace(MASTUNG, date_start="sometime in 2023", date_end=None)
    assert to_csl_item(odd)["event-date"] == {"literal": "sometime in 2023"}
    not_a_whole_month = replace(MASTUNG, date_start="2024-02-02", date_end="2024-02-29")
    assert to_csl_item(not_a_whole_month)["event-date"]["date-parts"] == [
        [2024, 2, 2],
        [2024, 2, 29],
    ]


@pytest.mark.parametrize(
    ("name", "container", "title"),
    [
        ("wikitext-range", "Wikipedia", "February 2024 Balochistan bombings"),
        ("xml-month", "Wikipedia", "Attentat de la gare « Saint-Éloi »"),
        ("saved-page-year", "Wikipedia", "1993 Bombay bombings"),
        ("plain-undated", "notes.txt", "Notes on an attack"),
        ("partial-dates", "z.txt", "东京 attack"),
    ],
)
def test_container_is_wikipedia_or_the_file(name: str, container: str, title: str) -> None:
    item = to_csl_item(EXAMPLES[name])
    assert (item["container-title"], item["title"]) == (container, title)


def test_a_wikipedia_url_makes_it_wikipedia() -> None:
    data = replace(MASTUNG, url="https://de.m.wikipedia.org/wiki/Anschlag")
    item = to_csl_item(data)
    assert item["container-title"] == "Wikipedia"
    assert item["URL"] == "https://de.m.wikipedia.org/wiki/Anschlag"
    elsewhere = to_csl_item(replace(MASTUNG, url="https://example.org/wikipedia.org"))
    assert elsewhere["container-title"] == "2023-mastung-bombing.txt"
    assert "URL" not in to_csl_item(MASTUNG)


def test_windows_paths_give_the_file_name() -> None:
    data = replace(MASTUNG, source_path="C:\\Users\\r\\Articles\\mastung.txt")
    assert to_csl_item(data)["container-title"] == "mastung.txt"


def test_accessed_is_the_import_day_in_utc() -> None:
    assert to_csl_item(EXAMPLES["xml-month"])["accessed"] == {"date-parts": [[2026, 2, 28]]}
    assert to_csl_item(EXAMPLES["partial-dates"])["accessed"] == {"date-parts": [[2026, 11, 22]]}
    assert "accessed" not in to_csl_item(EXAMPLES["plain-undated"])


def test_note_and_keywords_only_when_there_is_something_to_say() -> None:
    bare = to_csl_item(EXAMPLES["xml-month"])
    assert "note" not in bare and "keyword" not in bare and "event-place" not in bare
    both = to_csl_item(EXAMPLES["wikitext-range"])
    assert both["note"] == ("Perpetrators: Islamic State – Pakistan Province; Unknown\nCountry: PK")
    repeated = to_csl_item(EXAMPLES["partial-dates"])
    assert repeated["event-place"] == "東京" and repeated["keyword"] == "東京, JP"


def test_ids_are_strings_and_unique() -> None:
    items = to_csl_items(list(EXAMPLES.values()))
    ids = [item["id"] for item in items]
    assert ids == [f"incident-{n}" for n in range(1, 7)]
    assert to_csl_items([]) == []
