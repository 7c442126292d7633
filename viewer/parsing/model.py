"""What every article format parses into: title, infobox, sections of text blocks."""

from __future__ import annotations

import hashlib
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from db.records import SectionRecord
from db.titles import JOINERS, invisible
from db.titles import title_key as title_key  # re-exported: the parsers name it from here

LIST_MARK = "- "
# Sections that are the article's apparatus (its sources), not its content.
APPARATUS_SECTIONS = {
    "references",
    "notes",
    "citations",
    "sources",
    "footnotes",
    "external links",
    "further reading",
    "bibliography",
    "notes and references",
    "references and notes",
    "works cited",
    "explanatory notes",
    "sources and notes",
    "general references",
}


class ArticleRejected(Exception):
    """The input cannot become an article; the message says why, for the user."""


@dataclass
class ArticleProblem:
    """An article (or a whole file) that could not be read, and why."""

    where: str
    reason: str


@dataclass
class InfoboxEntry:
    key: str
    value: str
    markup: str | None = None


@dataclass
class ParsedSection:
    """A heading (None for the lead) and its blocks: paragraphs, and list items that
    start with LIST_MARK."""

    heading: str | None
    level: int
    blocks: list[str] = field(default_factory=list)


SectionSpan = SectionRecord
"""Where a section lies in the body: the very record the archive stores for it."""


@dataclass(frozen=True)
class ArticleOrigin:
    """Where the input says the article was published: its address, the site, the page's
    title there, and when the revision read was made (ISO date-time), where it says so."""

    url: str | None = None
    site: str | None = None
    page_title: str | None = None
    revised_at: str | None = None


@dataclass
class ParsedArticle:
    title: str
    format: str
    raw: str
    infobox: list[InfoboxEntry] = field(default_factory=list)
    sections: list[ParsedSection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    origin: ArticleOrigin | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw.encode("utf-8")).hexdigest()

    def layout(self) -> tuple[str, list[SectionSpan]]:
        """The article body as one string (a block per line) and where each section lies.

        Headings are lines of the body too, so that a reader showing the body block by block
        has the same character positions as the stored text.
        """
        lines: list[str] = []
        spans: list[SectionSpan] = []
        offset = 0
        for section in self.sections:
            heading_start = offset
            if section.heading is not None:
                lines.append(section.heading)
                offset += len(section.heading) + 1
            start = offset
            for block in section.blocks:
                lines.append(block)
                offset += len(block) + 1
            end = max(start, offset - 1) if section.blocks else start
            spans.append(SectionSpan(section.heading, section.level, heading_start, start, end))
        body = "\n".join(lines)
        for span in spans:  # a heading with no text at the very end has no line after it
            span.start = min(span.start, len(body))
            span.end = min(span.end, len(body))
        return body, spans

    def infobox_value(self, *keys: str) -> str | None:
        wanted = {key.casefold() for key in keys}
        for entry in self.infobox:
            if entry.key.casefold() in wanted:
                return entry.value
        return None


MAX_TITLE_CHARS = 300


def clean_title(title: str) -> tuple[str, str | None]:
    """The title as stored and shown: composed (NFC), invisible characters removed, spaces
    collapsed, at most MAX_TITLE_CHARS long; with a warning when it had to be shortened.
    A title with nothing visible in it is a rejection."""
    text = unicodedata.normalize("NFC", title)
    text = " ".join("".join(ch for ch in text if ch in JOINERS or not invisible(ch)).split())
    if not title_key(text):
        raise ArticleRejected("the title is blank (only spaces or invisible characters)")
    if len(text) <= MAX_TITLE_CHARS:
        return text, None
    cut = text[:MAX_TITLE_CHARS]
    cut = cut.rsplit(" ", 1)[0] if " " in cut[MAX_TITLE_CHARS // 2 :] else cut
    return cut + "…", f"the title was {len(text):,} characters long; it was shortened"


def shown_path(path: Path) -> str:
    """A file's path as text that can be printed and stored: a file name that is not valid
    UTF-8 keeps its undecodable bytes as \\x escapes instead of lone surrogates."""
    return os.fsencode(os.path.abspath(path)).decode("utf-8", "backslashreplace")
