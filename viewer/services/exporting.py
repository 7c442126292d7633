"""Writing an archive out: JSON, GTD-style CSV, a Markdown research report, W3C Web
Annotations and CSL-JSON citations, streamed incident by incident (the formats are part of
the contract in docs/contract.md)."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TextIO

from db import Archive
from db.models import Incident
from viewer.interchange.csl import to_csl_items
from viewer.interchange.w3c import to_w3c_collection
from viewer.services import corrections, sources
from viewer.services.catalog import EXPORT_FORMAT, incident_dict, iter_incident_chunks, links_of
from viewer.services.corrections import StoredCorrection
from viewer.services.outputs import atomic_output
from viewer.services.research import list_annotations, research_dicts
from viewer.services.sources import SourceView
from viewer.services.vocabulary import EXPORT_FORMATS as EXPORT_FORMATS
from viewer.wording import cut_at_word

Ids = Sequence[int] | None
"""Which incidents an export writes: all of them (None) or these."""


@dataclass
class _Layer:
    """What an export writes beside a chunk of incidents' own facts, read for the whole
    chunk at once: where their see-also links lead, the researcher's data, the corrections
    and the sources (a handful of queries a chunk; they were a dozen an incident)."""

    links: dict[str, int]
    research: dict[int, dict[str, Any]]
    corrections: dict[int, list[StoredCorrection]]
    sources: dict[int, SourceView]

    @classmethod
    def read(cls, archive: Archive, incidents: Sequence[Incident]) -> _Layer:
        ids = [incident.id for incident in incidents]
        return cls(
            links_of(archive, incidents),
            research_dicts(archive, ids),
            corrections.corrections_of_incidents(archive, ids),
            sources.source_views(archive, ids),
        )

    def full_dict(self, incident: Incident) -> dict[str, Any]:
        item = incident_dict(incident, self.links)
        item.update(self.research[incident.id])
        item["corrections"] = [
            {"field": c.field, "value": c.value, "note": c.note, "created": c.created_at,
             "modified": c.modified_at,
             "article_text": corrections.article_words(incident, c.field)}
            for c in self.corrections.get(incident.id, [])
        ]  # fmt: skip
        view = self.sources.get(incident.id)
        if view is not None:
            item["source"].update(
                {"url": view.url, "site": view.site, "page_title": view.page_title,
                 "revised": view.issued, "accessed": view.accessed,
                 "given_by_researcher": sorted(view.given)}
            )  # fmt: skip
        return item


def full_dict(archive: Archive, incident: Incident) -> dict[str, Any]:
    """One incident as the JSON export and `show --json` write it: its facts, the
    researcher's layer, the corrections among the facts and where it was published."""
    return _Layer.read(archive, [incident]).full_dict(incident)


def _dicts(archive: Archive, ids: Ids = None) -> Iterator[dict[str, Any]]:
    """Every incident's full dict, by id, read a chunk at a time (memory stays that of one
    chunk however large the archive)."""
    for incidents in iter_incident_chunks(archive, incident_ids=ids):
        layer = _Layer.read(archive, incidents)
        for incident in incidents:
            yield layer.full_dict(incident)


def write_json(archive: Archive, out: TextIO, ids: Ids = None) -> int:
    out.write('{"format": ' + json.dumps(EXPORT_FORMAT) + ', "incidents": [')
    count = 0
    for item in _dicts(archive, ids):
        out.write(("," if count else "") + "\n  " + json.dumps(item, ensure_ascii=False))
        count += 1
    out.write("\n]}\n")
    return count


# One row per incident, named as in the Global Terrorism Database where a GTD column exists
# (iyear, imonth, iday, country_txt, city, attacktype1_txt, targtype1_txt, gname, nkill,
# nwound), with low/high ends where GTD has one figure; then our own columns.
CSV_COLUMNS = (
    "eventid", "iyear", "imonth", "iday", "date_end", "approxdate", "country_txt",
    "provstate", "city", "location", "attacktype1_txt", "targtype1_txt", "gname",
    "guncertain1", "nkill_low", "nkill_high", "nkill_open", "nkillter_low", "nkillter_high",
    "nwound_low", "nwound_high", "nwound_open", "tags", "title", "summary", "source_path",
    "source_format",
)  # fmt: skip


def _csv_row(item: dict[str, Any]) -> list[Any]:
    start = item["date"]["start"] or ""
    parts = [*start.split("-"), "", "", ""][:3]
    places = item["location"]["places"]
    country = item["location"]["country"]
    inner = [p for p in places if p != country]
    dead, hurt = item["fatalities"], item["injuries"]
    perpetrators = item["perpetrators"]
    lead = next((s["text"] for s in item["sections"] if s["heading"] is None), "")
    return [
        item["id"], parts[0], parts[1].lstrip("0"), parts[2].lstrip("0"),
        item["date"]["end"] if item["date"]["end"] != start else "",
        item["date"]["text"] if item["date"]["precision"] not in (None, "day") else "",
        country, inner[-1] if len(inner) >= 2 else "", inner[0] if inner else "",
        item["location"]["text"], "; ".join(item["type"]), "; ".join(item["target"]),
        "; ".join(p["name"] for p in perpetrators),
        int(any(p["suspected"] for p in perpetrators)) if perpetrators else "",
        dead["min"], dead["max"], int(dead["open_ended"]), item["perpetrators_killed"]["min"],
        item["perpetrators_killed"]["max"], hurt["min"], hurt["max"],
        int(hurt["open_ended"]), "; ".join(item["tags"]), item["title"],
        summary_text(lead.split("\n")[0]), item["source"]["path"], item["source"]["format"],
    ]  # fmt: skip


SUMMARY_CHARS = 500


def summary_text(paragraph: str, limit: int = SUMMARY_CHARS) -> str:
    """The CSV's summary: the lead's first paragraph, cut at a word's end with "…" when it
    is longer than limit (a cut mid-word read as a typo in a spreadsheet)."""
    return cut_at_word(paragraph, limit)


def write_csv(archive: Archive, out: TextIO, ids: Ids = None) -> int:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for item in _dicts(archive, ids):
        writer.writerow(["" if v is None else v for v in _csv_row(item)])
        count += 1
    return count


def _markdown_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_{}[]<>#|" else ch for ch in text)


def _quote_block(text: str) -> str:
    return "\n".join("> " + _markdown_escape(line) for line in text.split("\n"))


_HEADING = re.compile(r"^(#{1,6})(?=\s|$)")
_FENCE = re.compile(r"^\s*(```|~~~)")
NOTE_HEADING_LEVEL = 4  # under "## Incident" and "### Research note"


def nest_headings(markdown: str) -> str:
    """A note's own headings moved down so the highest is level 4 (below the report's "###
    Research note"), deeper ones kept relative, at most 6; lines in code fences untouched.
    A note's "# Heading" made itself a top-level chapter of the report."""
    lines = markdown.split("\n")
    fenced = False
    levels = []
    for line in lines:
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and (match := _HEADING.match(line)):
            levels.append(len(match.group(1)))
    if not levels or min(levels) >= NOTE_HEADING_LEVEL:
        return markdown
    shift = NOTE_HEADING_LEVEL - min(levels)
    fenced = False
    out = []
    for line in lines:
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and (match := _HEADING.match(line)):
            level = min(6, len(match.group(1)) + shift)
            line = "#" * level + line[match.end(1) :]
        out.append(line)
    return "\n".join(out)


def _reactions_summary(reactions: list[dict[str, Any]]) -> list[str]:
    if not reactions:
        return []
    lines = [
        "### Reactions",
        "",
        "| Category | Actor | Speaker | Stance |",
        "| --- | --- | --- | --- |",
    ]
    for r in reactions:
        lines.append(
            f"| {r['category']} | {_markdown_escape(r['actor'])} | "
            f"{_markdown_escape(r['speaker'] or '')} | {r['stance']} |"
        )
    stances: dict[str, int] = {}
    for r in reactions:
        stances[r["stance"]] = stances.get(r["stance"], 0) + 1
    summary = ", ".join(f"{count} {stance}" for stance, count in sorted(stances.items()))
    return [*lines, "", f"{len(reactions)} statements: {summary}.", ""]


def _markdown_incident(item: dict[str, Any]) -> str:
    """A research report on one incident: facts, reactions, notes, annotations."""
    lines = [f"## {_markdown_escape(item['title'])}", ""]
    dead, hurt = item["fatalities"], item["injuries"]
    facts = [
        ("Date", item["date"]["text"] or item["date"]["start"]),
        ("Location", item["location"]["text"]),
        ("Country", item["location"]["country"]),
        ("Type", ", ".join(item["type"])),
        ("Target", ", ".join(item["target"])),
        ("Fatalities", dead["text"]),
        ("Injuries", hurt["text"]),
        ("Perpetrators", ", ".join(
            p["name"] + (" (suspected)" if p["suspected"] else "") for p in item["perpetrators"]
        )),
        ("Part of", "; ".join(item["part_of"])),
        ("Tags", ", ".join(item["tags"])),
    ]  # fmt: skip
    for label, value in facts:
        if value:
            lines.append(f"- **{label}:** {_markdown_escape(str(value))}")
    lines.append(
        f"- **Source:** {_markdown_escape(item['source']['path'])} ({item['source']['format']})"
    )
    lines.append("")
    lines.extend(_reactions_summary(item["reactions"]))
    if item["events"]:
        lines += ["### Dated events", ""]
        lines += [f"- {e['date']}: {_markdown_escape(e['text'])}" for e in item["events"]]
        lines.append("")
    for note in item["notes"]:
        lines += ["### Research note", ""]
        lines.append(
            nest_headings(note["text"])
            if note["format"] == "markdown"
            else _quote_block(note["text"])
        )
        lines.append("")
    if item["annotations"]:
        lines += ["### Annotations", ""]
        for a in item["annotations"]:
            state = (
                " *(orphaned: the passage is no longer in the article)*" if a["orphaned"] else ""
            )
            lines.append(_quote_block(a["quote"]))
            detail = [f"{a['color']}"] + ([f"tags: {', '.join(a['tags'])}"] if a["tags"] else [])
            lines.append("")
            lines.append(f"- {_markdown_escape('; '.join(detail))}{state}")
            if a["note"]:
                lines.append(f"- Note: {_markdown_escape(a['note'])}")
            lines.append("")
    if item["bookmarks"]:
        lines += ["### Bookmarks", ""]
        lines += [f"- {_markdown_escape(b['label'])}" for b in item["bookmarks"]]
        lines.append("")
    return "\n".join(lines)


def write_markdown(archive: Archive, out: TextIO, ids: Ids = None) -> int:
    out.write(f"# {_markdown_escape(archive.name)}: research report\n\n")
    count = 0
    for item in _dicts(archive, ids):
        out.write(_markdown_incident(item) + "\n")
        count += 1
    return count


def write_w3c(archive: Archive, out: TextIO, ids: Ids = None) -> int:
    found = list_annotations(archive)
    if ids is not None:
        wanted = set(ids)
        found = [a for a in found if a.incident_id in wanted]
    # a target names its article by its web address where the archive knows it
    views = sources.source_views(archive, sorted({a.incident_id for a in found}))
    annotations = [
        replace(
            a.as_data(), source_url=views[a.incident_id].url if a.incident_id in views else None
        )
        for a in found
    ]
    collection = to_w3c_collection(annotations, f"Annotations of {archive.name}")
    json.dump(collection, out, ensure_ascii=False, indent=1)
    out.write("\n")
    return len(annotations)


def write_csl_json(archive: Archive, out: TextIO, ids: Ids = None) -> int:
    """A JSON array of CSL items, written an item at a time exactly as json.dump(items,
    indent=1) writes the whole list."""
    count = 0
    for incidents in iter_incident_chunks(archive, incident_ids=ids):
        views = sources.source_views(archive, [incident.id for incident in incidents])
        citations = [sources.citation_data(i, views.get(i.id)) for i in incidents]
        for item in to_csl_items(citations):
            # one item as a list's element: "[\n" + the item one level in + "\n]"
            element = json.dumps([item], ensure_ascii=False, indent=1)[2:-2]
            out.write(("," if count else "[") + "\n" + element)
            count += 1
    out.write("\n]\n" if count else "[]\n")
    return count


# Each takes (archive, out) and optionally the incident ids to write.
WRITERS: dict[str, Callable[..., int]] = {
    "json": write_json,
    "csv": write_csv,
    "markdown": write_markdown,
    "w3c": write_w3c,
    "csl-json": write_csl_json,
}
FILE_SUFFIXES = {
    "json": ".json",
    "csv": ".csv",
    "markdown": ".md",
    "w3c": ".jsonld",
    "csl-json": ".json",
}
# What an export file is called unless the user says otherwise: one name per format, so
# that the JSON export and the citations are not offered the same file
FILE_NAMES = {
    "json": "incidents.json",
    "csv": "incidents.csv",
    "markdown": "research-report.md",
    "w3c": "annotations.jsonld",
    "csl-json": "citations.csl.json",
}


@contextmanager
def atomic_text_file(path: Path) -> Iterator[TextIO]:
    """Write to a temporary file beside path and move it into place only when complete."""
    with atomic_output(path, "w", encoding="utf-8", newline="") as handle:
        yield handle  # type: ignore[misc]


def export_file(archive: Archive, fmt: str, path: Path, incident_ids: Ids = None) -> int:
    """Export to a file, atomically. A CSV file starts with a byte order mark, which tells
    spreadsheets (Excel, LibreOffice) it is UTF-8; CSV on standard output has none."""
    with atomic_text_file(path) as handle:
        if fmt == "csv":
            handle.write("\ufeff")
        return export(archive, fmt, handle, incident_ids)


def export(archive: Archive, fmt: str, out: TextIO, incident_ids: Ids = None) -> int:
    """Write the whole archive (or these incidents) in format fmt; returns how many
    incidents (annotations, for w3c) were written."""
    writer = WRITERS[fmt]
    return writer(archive, out) if incident_ids is None else writer(archive, out, incident_ids)
