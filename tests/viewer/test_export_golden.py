"""Every export format, byte for byte, against the way exports were written before issue 13
read them a chunk at a time: an ORM incident and a dozen queries per incident (kept here as
the reference). The samples and the corpus fixtures, with a researcher's layer on top (tags,
notes, annotations, bookmarks, corrections, sources, a see-also link that resolves), whole
and a scope of every other incident. (When the chunked reading landed, the outputs of the
code before it matched these outputs byte for byte, times and generated ids masked.)"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

import pytest

from db import Archive, open_archive
from db.models import Incident
from viewer.interchange.csl import to_csl_items
from viewer.services import catalog, corrections, exporting, research, sources
from viewer.services.importing import import_paths

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
SOURCES = [
    ROOT / "resources" / "samples" / "articles",
    CORPUS / "markdown",
    CORPUS / "wikitext",
    CORPUS / "xml",
    ROOT / "tests" / "fixtures" / "real",
]
# a W3C collection is given a new id each time it is written
COLLECTION_ID = re.compile(r"urn:uuid:[0-9a-f-]{36}")
# the target of another article's see-also link, so that the link resolves to an incident
LINKED = (
    "= 2026 Islamabad mosque bombing =\n\n"
    "A bombing in Islamabad, Pakistan on 6 February 2026 killed 31 people.\n"
)


def build(path: Path) -> Archive:
    archive = open_archive(path, user="tester")
    linked = path.parent / "linked.txt"
    linked.write_text(LINKED, encoding="utf-8")
    report = import_paths(archive, [*SOURCES, linked], workers=1)
    assert report.imported > 20 and not report.rejected, report.summary()
    ids = _ids(archive)
    for n, incident_id in enumerate(ids[::3]):
        research.tag_incident(archive, incident_id, ["verified", f"batch {n % 2}"])
    for incident_id in ids[1::4]:
        research.save_note(archive, incident_id, f"Note on {incident_id}: *check* the toll")
    for incident_id in ids[2::5]:
        research.add_bookmark(archive, incident_id, f"mark {incident_id}")
    for incident_id in ids[::5]:
        word = _first_word(archive, incident_id)
        research.annotate_quote(
            archive, incident_id, word, occurrence=1, color="green", note="why", tags=["quote"]
        )
    for incident_id in ids[::7]:
        corrections.correct(archive, incident_id, "fatalities", "12", "from the report")
    for incident_id in ids[3::8]:
        sources.set_source(
            archive, incident_id, url=f"https://example.org/{incident_id}", site="Example",
            accessed="2024-05-01",
        )  # fmt: skip
    return archive


def _ids(archive: Archive) -> list[int]:
    return [summary.id for summary in catalog.list_summaries(archive)]


def _first_word(archive: Archive, incident_id: int) -> str:
    body = catalog.load_incident(archive, incident_id).body
    return next(word for word in body.split() if len(word) > 6 and word.isalpha())


def exported(archive: Archive, fmt: str, ids: list[int] | None = None) -> str:
    out = io.StringIO()
    exporting.export(archive, fmt, out, ids)
    return COLLECTION_ID.sub("urn:uuid:ID", out.getvalue())


@pytest.fixture(scope="module")
def golden_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    archive = build(tmp_path_factory.mktemp("golden") / "golden.sqlite")
    yield archive
    archive.close()


@pytest.mark.parametrize("scope", ["all", "some"])
@pytest.mark.parametrize("fmt", ["json", "csv", "markdown", "w3c", "csl-json"])
def test_export_is_byte_identical_to_one_incident_at_a_time(
    golden_archive: Archive, fmt: str, scope: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _ids(golden_archive)[1::2] if scope == "some" else None
    chunked = exported(golden_archive, fmt, ids)
    with monkeypatch.context() as patch:  # the way exports were written before issue 13
        patch.setattr(exporting, "_dicts", _one_at_a_time)
        patch.setattr(exporting, "WRITERS", {**exporting.WRITERS, "csl-json": _csl_at_once})
        assert chunked == exported(golden_archive, fmt, ids)


def _incidents_one_at_a_time(archive: Archive, ids: Sequence[int] | None) -> Iterator[Incident]:
    for incident_id in sorted(set(ids)) if ids is not None else _ids_by_number(archive):
        yield catalog.load_incident(archive, incident_id)


def _ids_by_number(archive: Archive) -> list[int]:
    return sorted(_ids(archive))


def _one_at_a_time(archive: Archive, ids: Sequence[int] | None = None) -> Iterator[dict[str, Any]]:
    """The export's dicts as they were made before: an ORM incident and a dozen queries of
    the research layer, corrections and source per incident."""
    for incident in _incidents_one_at_a_time(archive, ids):
        item = catalog.incident_dict(incident, catalog.see_also_links(archive, incident))
        item["tags"] = [tag.name for tag in research.incident_tags(archive, incident.id)]
        item["bookmarks"] = [
            {"id": b.id, "label": b.label, "start": b.start, "quote": b.quote,
             "orphaned": b.orphaned, "created": b.created_at, "author": b.author}
            for b in research.list_bookmarks(archive, incident.id)
        ]  # fmt: skip
        item["notes"] = [
            {"text": n.text, "format": n.format, "author": n.author, "modified": n.modified_at}
            for n in research.incident_notes(archive, incident.id)
        ]
        item["annotations"] = [
            {"id": a.uuid, "quote": a.quote, "prefix": a.prefix, "suffix": a.suffix,
             "start": a.start, "end": a.end, "color": a.color, "note": a.note, "tags": a.tags,
             "orphaned": a.orphaned, "created": a.created, "modified": a.modified,
             "author": a.author}
            for a in research.list_annotations(archive, incident_id=incident.id)
        ]  # fmt: skip
        item["corrections"] = [
            {"field": c.field, "value": c.value, "note": c.note, "created": c.created_at,
             "modified": c.modified_at,
             "article_text": corrections.article_words(incident, c.field)}
            for c in corrections.corrections_of(archive, incident.id)
        ]  # fmt: skip
        view = sources.source_view(archive, incident.id)
        if view is not None:
            item["source"].update(
                {"url": view.url, "site": view.site, "page_title": view.page_title,
                 "revised": view.issued, "accessed": view.accessed,
                 "given_by_researcher": sorted(view.given)}
            )  # fmt: skip
        yield item


def _csl_at_once(archive: Archive, out: TextIO, ids: Sequence[int] | None = None) -> int:
    items = [
        sources.citation_data(incident, sources.source_view(archive, incident.id))
        for incident in _incidents_one_at_a_time(archive, ids)
    ]
    json.dump(to_csl_items(items), out, ensure_ascii=False, indent=1)
    out.write("\n")
    return len(items)
