"""The archive text format of the reference articles: `= Title =`, an infobox block of
`- Key: Value` lines, `==Heading==` sections at any level, `- ` list items."""

from __future__ import annotations

import re

from viewer.parsing.model import (
    LIST_MARK,
    ArticleRejected,
    InfoboxEntry,
    ParsedArticle,
)
from viewer.parsing.text_blocks import BlockCollector

TITLE_RE = re.compile(r"^=(?!=)\s*(.*?)\s*=\s*$")
HEADING_RE = re.compile(r"^(={2,6})\s*(.*?)\s*=*\s*$")
FIELD_RE = re.compile(r"^\s*[-*•]\s*([^:\n]{1,60}?)\s*:\s?(.*)$")
LIST_RE = re.compile(r"^\s*[-*•]\s+(.*)$")


def looks_like_archive_text(text: str) -> bool:
    first = _first_line(text)
    return first is not None and TITLE_RE.match(first) is not None


def _first_line(text: str) -> str | None:
    for line in text.split("\n", 20)[:20]:
        if line.strip():
            return line.strip()
    return None


def parse_archive_text(text: str) -> ParsedArticle:
    lines = text.split("\n")
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    match = TITLE_RE.match(lines[index].strip()) if index < len(lines) else None
    if match is None or not match.group(1):
        raise ArticleRejected("no '= Title =' line at the top")
    title = " ".join(match.group(1).split())
    index += 1
    article = ParsedArticle(title=title, format="archive", raw=text)
    index = _read_infobox(lines, index, article)
    _read_body(lines, index, article)
    if not any(section.blocks for section in article.sections) and not article.infobox:
        raise ArticleRejected("the article has a title but no text")
    _check_truncation(text, article)
    return article


def _is_infobox_header(line: str, title: str) -> bool:
    folded = line.strip().rstrip(":").casefold()
    return folded == "infobox" or folded.startswith("infobox ") or folded == title.casefold()


def _read_infobox(lines: list[str], index: int, article: ParsedArticle) -> int:
    """Read the infobox block if one starts at the next non-blank line; return the next index."""
    probe = index
    while probe < len(lines) and not lines[probe].strip():
        probe += 1
    if probe >= len(lines):
        return index
    following = lines[probe + 1] if probe + 1 < len(lines) else ""
    after = lines[probe + 2] if probe + 2 < len(lines) else ""
    headed = _is_infobox_header(lines[probe], article.title) or (
        # a caption in its place ("Attack location") before two or more fields
        len(lines[probe].strip()) <= 60
        and not re.search(r"[.!?]$", lines[probe].strip())
        and FIELD_RE.match(after) is not None
    )
    if not headed or not FIELD_RE.match(following):
        return index
    index = probe + 1
    while index < len(lines) and lines[index].strip():
        line = lines[index]
        field = FIELD_RE.match(line)
        if field:
            article.infobox.append(InfoboxEntry(field.group(1).strip(), field.group(2).strip()))
        elif article.infobox:
            # A value that runs on to the next line belongs to the field above it.
            previous = article.infobox[-1]
            previous.value = f"{previous.value}\n{line.strip()}".strip()
        index += 1
    return index


def _read_body(lines: list[str], index: int, article: ParsedArticle) -> None:
    collector = BlockCollector(article)
    for line in lines[index:]:
        stripped = line.strip()
        if not stripped:
            collector.end_paragraph()
            continue
        heading = HEADING_RE.match(stripped)
        if heading and heading.group(2):
            collector.start_section(heading.group(2), len(heading.group(1)))
            continue
        item = LIST_RE.match(line)
        if item:
            collector.add_item(LIST_MARK + item.group(1).strip())
        else:
            collector.add_line(stripped)
    collector.finish()


def _check_truncation(text: str, article: ParsedArticle) -> None:
    tail = text.rstrip(" \t")
    if tail.endswith("\n"):
        return
    last = tail.rsplit("\n", 1)[-1].strip()
    if last and not re.search(r"[.!?\"'”’)\]]$", last) and not LIST_RE.match(last):
        article.warnings.append("the file ends in the middle of a line; it may be truncated")
