"""Real articles written by other people (tests/fixtures/ATTRIBUTION.md) import completely."""

from __future__ import annotations

import json
from typing import Any

import pytest

from db import Archive
from tests.conftest import FIXTURES
from viewer.services import catalog
from viewer.services.importing import import_paths

EXPECTED: list[dict[str, Any]] = json.loads(
    (FIXTURES / "real-expected.json").read_text(encoding="utf-8")
)


def test_there_are_at_least_ten_real_articles() -> None:
    files = sorted((FIXTURES / "real").iterdir())
    assert len(files) >= 10
    assert {e["file"] for e in EXPECTED} == {f.name for f in files}
    attribution = (FIXTURES / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert all(f.name in attribution for f in files)


@pytest.mark.parametrize("expected", EXPECTED, ids=[e["file"] for e in EXPECTED])
def test_real_article_imports_completely(empty_archive: Archive, expected: dict[str, Any]) -> None:
    report = import_paths(empty_archive, [FIXTURES / "real" / expected["file"]])
    assert report.rejected == []
    titles = expected["pages"] if isinstance(expected["pages"], list) else [expected["title"]]
    assert report.imported == len(titles)
    incident = catalog.find_incident(empty_archive, expected["title"])
    assert incident.title == expected["title"]
    assert incident.source.format == expected["format"]
    headings = [s.heading for s in incident.sections]
    for heading in expected["sections_include"]:
        assert heading in headings
    for phrase in expected["text_includes"]:
        assert phrase in incident.body
    for residue in ("{{", "}}", "[[", "]]", "<ref", "\ue000"):
        assert residue not in incident.body
    if expected.get("date_start"):
        assert incident.date_start == expected["date_start"]
    if "perpetrators" in expected:
        assert [p.name for p in incident.perpetrators] == expected["perpetrators"]
    if "fatalities" in expected:
        assert [incident.fatalities_min, incident.fatalities_max] == expected["fatalities"]
    for reaction in incident.reactions:
        assert incident.body[reaction.start : reaction.end] == reaction.text
    for event in incident.events:
        assert incident.body[event.start : event.end] == event.text
