"""Citable sources: what Special:Export says of where a page was published is kept; the
researcher can give it for any file; CSL-JSON becomes a complete reference that a real
citation processor renders, and W3C targets name the article by its address."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from db import Archive
from tests.conformance import CONFORMANCE
from tests.conftest import FIXTURES
from viewer.cli import run
from viewer.services import catalog, exporting, research, sources
from viewer.services.importing import import_paths
from viewer.services.reindexing import reindex

EXPORT = FIXTURES / "corpus" / "xml" / "friendly-fire-incidents-of-world-war-ii-export.xml"
MASTUNG = "2023 Mastung bombing"
MASTUNG_URL = "https://en.wikipedia.org/wiki/2023_Mastung_bombing"


def _csl(archive: Archive) -> list[dict[str, Any]]:
    out = StringIO()
    exporting.export(archive, "csl-json", out)
    items: list[dict[str, Any]] = json.loads(out.getvalue())
    return items


def _rendered(items: list[dict[str, Any]]) -> list[str]:
    """The bibliography a CSL processor (citeproc-py, Harvard style) makes of the items."""
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    return [str(entry) for entry in bibliography.bibliography()]


def test_special_export_gives_address_site_and_revision(empty_archive: Archive) -> None:
    assert import_paths(empty_archive, [EXPORT]).imported == 5
    incident = catalog.find_incident(empty_archive, "Battle of Los Angeles")
    view = sources.source_view(empty_archive, incident.id)
    assert view is not None
    assert view.url == "https://en.wikipedia.org/wiki/Battle_of_Los_Angeles"
    assert view.site == "Wikipedia" and view.page_title == "Battle of Los Angeles"
    assert view.issued == "2016-10-13T15:05:27Z" and view.given == frozenset()
    item = next(i for i in _csl(empty_archive) if i["title"] == "Battle of Los Angeles")
    assert item["URL"] == view.url and item["container-title"] == "Wikipedia"
    assert item["issued"] == {"date-parts": [[2016, 10, 13]]}
    assert item["accessed"]["date-parts"][0][0] >= 2026


def test_a_citation_processor_renders_a_complete_reference(empty_archive: Archive) -> None:
    """What the issue saw before: '"2016 Berlin attack" (no date) "2016 Berlin attack",
    Wikipedia.' with no address."""
    import_paths(empty_archive, [EXPORT])
    items = _csl(empty_archive)
    schema = json.loads((CONFORMANCE / "csl" / "csl-data.json").read_text(encoding="utf-8"))
    jsonschema.validate(items, schema)
    rendered = _rendered(items)
    entry = next(text for text in rendered if "Battle of Los Angeles" in text)
    assert "(2016)" in entry and "no date" not in entry
    assert "Wikipedia" in entry
    assert "https://en.wikipedia.org/wiki/Battle_of_Los_Angeles" in entry
    assert "Accessed" in entry


def test_reindex_and_an_unchanged_re_import_keep_the_source(empty_archive: Archive) -> None:
    import_paths(empty_archive, [EXPORT])
    incident = catalog.find_incident(empty_archive, "Exercise Tiger")
    before = sources.source_view(empty_archive, incident.id)
    assert reindex(empty_archive).problems == []
    import_paths(empty_archive, [EXPORT])
    after = sources.source_view(empty_archive, incident.id)
    assert after == before  # address, revision and import day (the accessed fallback) kept


def test_the_researcher_gives_the_source_of_a_plain_file(seeded_archive: Archive) -> None:
    incident = catalog.find_incident(seeded_archive, MASTUNG)
    before = sources.source_view(seeded_archive, incident.id)
    assert before is not None and before.url is None and before.site is None
    previous = sources.set_source(
        seeded_archive, incident.id, url=MASTUNG_URL, site="Wikipedia", accessed="2024-05-01"
    )
    assert previous is None
    view = sources.source_view(seeded_archive, incident.id)
    assert view is not None and view.given == {"url", "site", "accessed"}
    assert sources.reference_text(view) == (
        f"“2023 Mastung bombing.” Wikipedia. {MASTUNG_URL}. Accessed 1 May 2024."
    )
    item = next(i for i in _csl(seeded_archive) if i["title"] == MASTUNG)
    assert item["URL"] == MASTUNG_URL and item["accessed"] == {"date-parts": [[2024, 5, 1]]}
    entry = next(text for text in _rendered([item]) if MASTUNG in text)
    assert MASTUNG_URL in entry and "Accessed: May 1, 2024" in entry
    sources.set_source(seeded_archive, incident.id, accessed="")  # one value forgotten
    view = sources.source_view(seeded_archive, incident.id)
    assert view is not None and view.url == MASTUNG_URL and view.given == {"url", "site"}
    sources.restore_source(seeded_archive, incident.id, None)  # undo to nothing
    assert sources.source_view(seeded_archive, incident.id) == before


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"url": "en.wikipedia.org/wiki/X"}, "is not a web address"),
        ({"url": "javascript:alert(1)"}, "is not a web address"),
        ({"accessed": "1 May 2024"}, "is not a date written as 2024-05-01"),
        ({"accessed": "2999-01-01"}, "is in the future"),
    ],
)
def test_bad_source_values_are_refused(
    seeded_archive: Archive, values: dict[str, str], message: str
) -> None:
    incident = catalog.find_incident(seeded_archive, MASTUNG)
    with pytest.raises(sources.SourceError, match=message):
        sources.set_source(seeded_archive, incident.id, **values)


def test_w3c_targets_use_the_address_and_come_back_by_it(
    seeded_archive: Archive, empty_archive: Archive, seeds_dir: Path, tmp_path: Path
) -> None:
    incident = catalog.find_incident(seeded_archive, MASTUNG)
    sources.set_source(seeded_archive, incident.id, url=MASTUNG_URL)
    research.annotate_quote(seeded_archive, incident.id, "Mastung", occurrence=1, note="here")
    out = StringIO()
    exporting.export(seeded_archive, "w3c", out)
    collection = json.loads(out.getvalue())
    (annotation,) = collection["first"]["items"]
    assert annotation["target"]["source"] == MASTUNG_URL
    # another archive knows the article by the same address: the annotation finds it
    import_paths(empty_archive, [seeds_dir])
    other = catalog.find_incident(empty_archive, MASTUNG)
    sources.set_source(empty_archive, other.id, url=MASTUNG_URL)
    saved = tmp_path / "annotations.jsonld"
    saved.write_text(out.getvalue(), encoding="utf-8")
    items = sources.resolve_annotation_sources(empty_archive, research.read_annotation_file(saved))
    report = research.import_annotations(empty_archive, items)
    assert (report.added, report.problems) == (1, [])
    (placed,) = research.list_annotations(empty_archive, incident_id=other.id)
    assert placed.quote == "Mastung" and placed.note == "here"


def test_the_source_command(seeded_archive: Archive, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(seeded_archive.path)
    seeded_archive.close()
    argv = ["--archive", path, "source", MASTUNG]
    assert (
        run([*argv, "--url", MASTUNG_URL, "--site", "Wikipedia", "--accessed", "2024-05-01"]) == 0
    )
    out = capsys.readouterr().out
    assert f"url: {MASTUNG_URL} (yours)" in out and "Accessed 1 May 2024" in out
    assert run([*argv, "--url", "not a url"]) == 1
    assert "rejected: URL 'not a url' is not a web address" in capsys.readouterr().err
    assert run(argv) == 0 and MASTUNG_URL in capsys.readouterr().out  # unchanged
    assert run(["--archive", path, "show", MASTUNG, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)["source"]
    assert shown["url"] == MASTUNG_URL and shown["accessed"] == "2024-05-01"
    assert shown["given_by_researcher"] == ["accessed", "site", "url"]
