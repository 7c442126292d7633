"""Writing an archive out as JSON, CSV or a Markdown report, streamed incident by incident."""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from db import Archive
from viewer.services.catalog import EXPORT_FORMAT, incident_dict, iter_incidents, see_also_links

EXPORT_FORMATS = ("json", "csv", "markdown")


def _dicts(archive: Archive) -> Iterator[dict[str, Any]]:
    for incident in iter_incidents(archive):
        yield incident_dict(incident, see_also_links(archive, incident))


def write_json(archive: Archive, out: TextIO) -> int:
    out.write('{"format": ' + json.dumps(EXPORT_FORMAT) + ', "incidents": [')
    count = 0
    for item in _dicts(archive):
        out.write(("," if count else "") + "\n  " + json.dumps(item, ensure_ascii=False))
        count += 1
    out.write("\n]}\n")
    return count


CSV_COLUMNS = (
    "id",
    "title",
    "date_start",
    "date_end",
    "date_text",
    "location",
    "fatalities_min",
    "fatalities_max",
    "fatalities_open_ended",
    "fatalities_text",
    "injuries_min",
    "injuries_max",
    "injuries_open_ended",
    "injuries_text",
    "perpetrators",
    "source_path",
    "source_format",
)


def _csv_row(item: dict[str, Any]) -> list[Any]:
    dead, hurt = item["fatalities"], item["injuries"]
    return [
        item["id"],
        item["title"],
        item["date"]["start"],
        item["date"]["end"],
        item["date"]["text"],
        item["location"]["text"],
        dead["min"],
        dead["max"],
        int(dead["open_ended"]),
        dead["text"],
        hurt["min"],
        hurt["max"],
        int(hurt["open_ended"]),
        hurt["text"],
        "; ".join(p["name"] for p in item["perpetrators"]),
        item["source"]["path"],
        item["source"]["format"],
    ]


def write_csv(archive: Archive, out: TextIO) -> int:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for item in _dicts(archive):
        writer.writerow(["" if v is None else v for v in _csv_row(item)])
        count += 1
    return count


def _markdown_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_{}[]<>#|" else ch for ch in text)


def _markdown_incident(item: dict[str, Any]) -> str:
    lines = [f"## {_markdown_escape(item['title'])}", ""]
    facts = [
        ("Date", item["date"]["text"] or item["date"]["start"]),
        ("Location", item["location"]["text"]),
        ("Fatalities", item["fatalities"]["text"]),
        ("Injuries", item["injuries"]["text"]),
        ("Perpetrators", ", ".join(p["name"] for p in item["perpetrators"]) or None),
    ]
    for label, value in facts:
        if value:
            lines.append(f"- **{label}:** {_markdown_escape(str(value))}")
    lines.append(
        f"- **Source:** {_markdown_escape(item['source']['path'])} ({item['source']['format']})"
    )
    lines.append("")
    for section in item["sections"]:
        if section["heading"]:
            lines.append(
                "#" * min(6, section["level"] + 1) + " " + _markdown_escape(section["heading"])
            )
            lines.append("")
        for block in section["text"].split("\n"):
            if block:
                lines.extend(
                    [
                        _markdown_escape(block)
                        if not block.startswith("- ")
                        else "- " + _markdown_escape(block[2:]),
                        "",
                    ]
                )
    return "\n".join(lines)


def write_markdown(archive: Archive, out: TextIO) -> int:
    out.write(f"# {_markdown_escape(archive.name)}: incident report\n\n")
    count = 0
    for item in _dicts(archive):
        out.write(_markdown_incident(item) + "\n")
        count += 1
    return count


WRITERS: dict[str, Callable[[Archive, TextIO], int]] = {
    "json": write_json,
    "csv": write_csv,
    "markdown": write_markdown,
}


@contextmanager
def atomic_text_file(path: Path) -> Iterator[TextIO]:
    """Write to a temporary file beside path and move it into place only when complete."""
    # Not a with-block: the file must be closed before os.replace moves it into place.
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
        "w",
        encoding="utf-8",
        newline="",
        dir=path.parent,
        prefix=f".{path.name}.",
        delete=False,
    )
    try:
        with handle:
            yield handle
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def export(archive: Archive, fmt: str, out: TextIO) -> int:
    """Write the whole archive in format fmt; returns how many incidents were written."""
    return WRITERS[fmt](archive, out)
