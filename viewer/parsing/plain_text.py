"""Plain text with no markup: the title is the first line (or the file name), and a short
line standing alone between blank lines is a heading."""

from __future__ import annotations

import re

from viewer.parsing.model import LIST_MARK, ArticleRejected, ParsedArticle
from viewer.parsing.text_blocks import BlockCollector

MAX_TITLE = 150
MAX_HEADING = 80
_LIST_RE = re.compile(r"^\s*[-*•]\s+(.*)$")
_SENTENCE_END = re.compile(r"[.!?;:,\"'”’]$")


def title_from_file_name(stem: str) -> str:
    words = stem.replace("_", " ").replace("-", " ").split()
    title = " ".join(words)
    return title[:1].upper() + title[1:] if title.islower() else title


def _is_heading(paragraph: list[str]) -> bool:
    if len(paragraph) != 1:
        return False
    line = paragraph[0]
    return (
        len(line) <= MAX_HEADING
        and not _SENTENCE_END.search(line)
        and not _LIST_RE.match(line)
        and len(line.split()) <= 10
    )


def _paragraphs(lines: list[str]) -> list[list[str]]:
    groups: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def parse_plain_text(text: str, file_stem: str) -> ParsedArticle:
    groups = _paragraphs(text.split("\n"))
    if not groups:
        raise ArticleRejected("the file holds no text")
    first = groups[0][0]
    if len(first) <= MAX_TITLE and not re.search(r"[.!?]$", first):
        title = " ".join(first.split())
        groups[0] = groups[0][1:]
        if not groups[0]:
            groups.pop(0)
    else:
        title = title_from_file_name(file_stem)
    if not title:
        raise ArticleRejected("no title: the first line is empty and the file has no name")
    article = ParsedArticle(title=title, format="plain", raw=text)
    collector = BlockCollector(article)
    for group in groups:
        if _is_heading(group):
            collector.start_section(group[0], 2)
            continue
        for line in group:
            item = _LIST_RE.match(line)
            if item:
                collector.add_item(LIST_MARK + item.group(1))
            else:
                collector.add_line(line)
        collector.end_paragraph()
    collector.finish()
    if not any(section.blocks for section in article.sections):
        raise ArticleRejected("the article has a title but no text")
    return article
