"""The reader lays out a long article a part at a time: what it costs is bounded by what it
shows (a 100 MB article froze the window for 71 s at 4.7 GB; a 100,000-character title for
9.6 s), and the positions of what it shows still equal the stored body's."""

from __future__ import annotations

from PySide6.QtCore import QUrl

from db.records import SectionRecord
from viewer.services.reading import IncidentView
from viewer.ui.reader import BULLET, MORE_SCHEME, READER_CHARS, ArticleReader


def _view(body: str, title: str = "Long attack") -> IncidentView:
    return IncidentView(
        id=1, title=title, body=body, subtitle="", facts=[], links=[],
        sections=[SectionRecord(None, 1, 0, 0, len(body))],
    )  # fmt: skip


def _shown_body(reader: ArticleReader) -> str:
    text = reader.browser.document().toPlainText()
    return text[reader.body_offset : reader.body_offset + reader.shown_chars]


def test_a_long_article_is_shown_in_parts_with_the_same_positions(qtbot) -> None:
    reader = ArticleReader()
    qtbot.addWidget(reader)
    lines = [f"- item {n} " + "word " * 30 if n % 7 == 0 else f"Line {n} " + "text " * 40
             for n in range(4000)]  # fmt: skip
    body = "\n".join(lines)
    reader.show_incident(_view(body))
    assert READER_CHARS <= reader.shown_chars < READER_CHARS + 300
    expected = body.replace("- ", BULLET)  # the reader's bullets are as long as "- "
    assert _shown_body(reader).replace("\u2029", "\n") == expected[: reader.shown_chars]
    assert "Show more of the article" in reader.browser.document().toPlainText()
    reader.show_span(len(body) - 20, len(body) - 5)  # a place near the end: shown first
    assert reader.shown_chars == len(body)
    assert "Show more" not in reader.browser.document().toPlainText()
    assert _shown_body(reader).replace("\u2029", "\n") == expected
    assert reader.body_cursor(len(body) - 20, len(body) - 5).selectedText() == body[-20:-5]


def test_one_paragraph_of_megabytes_is_cut_inside_the_line(qtbot) -> None:
    reader = ArticleReader()
    qtbot.addWidget(reader)
    body = "word " * 400_000  # 2 MB, no line break
    reader.show_incident(_view(body))
    assert reader.shown_chars == READER_CHARS
    reader._on_anchor(QUrl(f"{MORE_SCHEME}:"))  # the "show more" link, clicked
    assert reader.shown_chars == 2 * READER_CHARS
    assert _shown_body(reader) == body[: 2 * READER_CHARS]
    assert reader.browser.document().blockCount() < 10  # still one paragraph, not split


def test_a_title_of_100000_characters_is_shown_shortened(qtbot) -> None:
    reader = ArticleReader()
    qtbot.addWidget(reader)
    reader.show_incident(_view("Some text.", title="T" * 100_000))
    first_line = reader.browser.document().firstBlock().text()
    assert len(first_line) == 301 and first_line.endswith("…")
