"""The article reader on the real widget: title and text, infobox card, offsets, find in
page, see-also links, and article markup shown as text."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt

from db import Archive
from tests.conftest import SEED_BALOCHISTAN
from viewer.services import catalog
from viewer.services.importing import import_paths
from viewer.services.reading import load_incident_view
from viewer.ui.reader import ArticleReader


def _reader(qtbot, archive: Archive, title: str) -> ArticleReader:
    reader = ArticleReader()
    qtbot.addWidget(reader)
    reader.resize(800, 600)
    reader.show()
    incident = catalog.find_incident(archive, title)
    reader.show_incident(load_incident_view(archive, incident.id))
    return reader


def test_title_facts_and_sections_are_shown(qtbot, seeded_archive: Archive) -> None:
    reader = _reader(qtbot, seeded_archive, "February 2024 Balochistan bombings")
    text = reader.browser.toPlainText()
    assert text.startswith("February 2024 Balochistan bombings\n")
    assert "28–30+" in text  # the normalised toll in the infobox card
    assert "Islamic State – Pakistan Province" in text
    for heading in ("Background", "Events", "Reactions", "Domestic", "International"):
        assert f"\n{heading}\n" in text


def test_body_offsets_map_to_document_positions(qtbot, seeded_archive: Archive) -> None:
    reader = _reader(qtbot, seeded_archive, "February 2024 Balochistan bombings")
    assert reader.view is not None
    incident = catalog.find_incident(seeded_archive, "February 2024 Balochistan bombings")
    for reaction in incident.reactions:
        selected = reader.body_cursor(reaction.start, reaction.end).selectedText()
        assert selected.replace("\u2029", "\n") == reaction.text
    reader.show_span(incident.reactions[0].start, incident.reactions[0].end)
    assert reader.browser.extraSelections()


def test_find_in_page_counts_and_steps(qtbot, seeded_archive: Archive) -> None:
    reader = _reader(qtbot, seeded_archive, "2023 Mastung bombing")
    reader.open_find()
    qtbot.keyClicks(reader.find_bar.field, "Balochistan")
    expected = reader.browser.toPlainText().lower().count("balochistan")
    assert reader.match_count == expected > 1
    assert reader.find_bar.count.text() == f"1 of {expected}"
    qtbot.keyClick(reader.find_bar.field, Qt.Key.Key_Return)
    assert reader.find_bar.count.text() == f"2 of {expected}"
    reader.find_previous()
    reader.find_previous()
    assert reader.find_bar.count.text() == f"{expected} of {expected}"
    qtbot.keyClick(reader.find_bar.field, Qt.Key.Key_Escape)
    assert not reader.find_bar.isVisible()


def test_see_also_link_to_an_archived_incident(
    qtbot,
    empty_archive: Archive,
    seeds_dir: Path,
    tmp_path: Path,
) -> None:
    target = tmp_path / "islamabad.txt"
    target.write_text("= 2026 Islamabad mosque bombing =\n\nA bombing.\n", encoding="utf-8")
    import_paths(empty_archive, [seeds_dir / SEED_BALOCHISTAN, target])
    reader = _reader(qtbot, empty_archive, "February 2024 Balochistan bombings")
    target_id = catalog.find_incident(empty_archive, "2026 Islamabad mosque bombing").id
    position = reader.browser.toPlainText().index("2026 Islamabad mosque bombing")
    cursor = reader.browser.textCursor()
    cursor.setPosition(position + 3)
    reader.browser.setTextCursor(cursor)
    reader.browser.ensureCursorVisible()
    point = reader.browser.cursorRect(cursor).center()
    assert reader.browser.anchorAt(point) == f"incident:{target_id}"
    with qtbot.waitSignal(reader.link_activated) as signal:
        qtbot.mouseClick(reader.browser.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert signal.args == [target_id]


def test_markup_in_articles_is_shown_as_text(
    qtbot,
    empty_archive: Archive,
    tmp_path: Path,
) -> None:
    evil = tmp_path / "evil.txt"
    evil.write_text(
        "= <b>Bold</b> attack =\n\nInfobox\n- Date: <img src='http://example.com/x.png'>\n\n"
        "<script>alert(1)</script> and <a href='file:///etc/passwd'>a link</a>.\n",
        encoding="utf-8",
    )
    import_paths(empty_archive, [evil])
    reader = _reader(qtbot, empty_archive, "<b>Bold</b> attack")
    text = reader.browser.toPlainText()
    assert text.startswith("<b>Bold</b> attack")
    assert "<script>alert(1)</script>" in text and "<img src=" in text
    assert "file:///etc/passwd" in text
    assert reader.browser.anchorAt(QPoint(10, 10)) == ""
    html = reader.browser.toHtml()
    assert "<img" not in html.replace("&lt;img", "")


def _cell_at(reader: ArticleReader, text: str):
    cursor = reader.browser.document().find(text)
    assert not cursor.isNull(), text
    return cursor.charFormat()


def test_infobox_labels_are_unified_with_the_article_key_on_hover(
    qtbot, seeded_archive: Archive
) -> None:
    reader = _reader(qtbot, seeded_archive, "2023 Mastung bombing")
    text = reader.browser.toPlainText()
    # the seed writes "Partof" and "Perps"; the card says what they mean
    assert "\nPart of\n" in text and "\nPerpetrators\n" in text
    assert "Partof" not in text.split("Background")[0]
    assert _cell_at(reader, "Perpetrators").toolTip() == "<qt>In the article: Perps</qt>"
    assert _cell_at(reader, "Location").toolTip() == ""  # nothing to explain


def test_raw_value_tooltip_shows_article_text_as_text(
    qtbot, empty_archive: Archive, tmp_path: Path
) -> None:
    article = tmp_path / "amp.txt"
    article.write_text(
        "= Q&A bombing =\n\nInfobox\n- Perps: Tom & Jerry <b>gang</b> (alleged)\n\n"
        "On 3 March 2020, a bomb exploded.\n",
        encoding="utf-8",
    )
    import_paths(empty_archive, [article])
    reader = _reader(qtbot, empty_archive, "Q&A bombing")
    tooltip = _cell_at(reader, "Tom & Jerry").toolTip()
    assert "Tom &amp; Jerry &lt;b&gt;gang&lt;/b&gt; (alleged)" in tooltip
    assert tooltip.startswith("<qt>")


def test_a_toll_from_the_lead_is_on_the_card_with_its_words(
    qtbot, empty_archive: Archive, tmp_path: Path
) -> None:
    article = tmp_path / "omagh.txt"
    article.write_text(
        "Omagh bombing\n\nThe Omagh bombing was a car bomb attack on 15 August 1998. "
        "It killed 29 people and injured 300 others.\n",
        encoding="utf-8",
    )
    import_paths(empty_archive, [article])
    reader = _reader(qtbot, empty_archive, "Omagh bombing")
    text = reader.browser.toPlainText()
    assert "\nFatalities\n29\n" in text and "\nInjuries\n300\n" in text
    tooltip = _cell_at(reader, "300").toolTip()
    assert (
        tooltip == "<qt>As written in the article:<br>injured 300<br>Double-click to correct</qt>"
    )
