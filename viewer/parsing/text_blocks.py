"""Gathering lines into sections, paragraphs and list items, shared by the text formats."""

from __future__ import annotations

from dataclasses import dataclass

from viewer.parsing.model import ParsedArticle, ParsedSection


@dataclass
class TextBlock:
    """A paragraph, list item or heading recovered from a copy with no markup."""

    kind: str  # text, item, heading
    text: str
    level: int = 0  # headings with explicit markup (markdown, underlined); 0 = to infer


class BlockCollector:
    """Consecutive lines make one paragraph; a blank line, a list item or a heading ends it."""

    def __init__(self, article: ParsedArticle) -> None:
        self._article = article
        self._section = ParsedSection(heading=None, level=1)
        self._paragraph: list[str] = []

    def start_section(self, heading: str, level: int) -> None:
        self.end_paragraph()
        self._flush_section()
        self._section = ParsedSection(heading=" ".join(heading.split()), level=level)

    def add_line(self, line: str) -> None:
        self._paragraph.append(line)

    def add_item(self, item: str) -> None:
        self.end_paragraph()
        self._section.blocks.append(" ".join(item.split()))

    def end_paragraph(self) -> None:
        if self._paragraph:
            self._section.blocks.append(" ".join(" ".join(self._paragraph).split()))
            self._paragraph = []

    def finish(self) -> None:
        self.end_paragraph()
        self._flush_section()

    def _flush_section(self) -> None:
        section = self._section
        if section.heading is not None or section.blocks:
            self._article.sections.append(section)
