"""The reader as a researcher uses it for hours: text zoom scales the headings, a theme change
recolours the open article, a jump puts the statement near the top, bookmarks show in the
text; Preferences; and the session (incident, search, place) restored on the next start."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette, QTextCursor, QTextFormat
from PySide6.QtWidgets import QFileDialog

from db import Archive
from db.queries import SearchFilters
from viewer.services import catalog
from viewer.ui.main_window import MainWindow
from viewer.ui.preferences import PreferencesDialog
from viewer.ui.search import Query
from viewer.ui.settings import Settings

BALOCHISTAN = "February 2024 Balochistan bombings"


def _window(qtbot, settings: Settings) -> MainWindow:
    main = MainWindow(settings)
    qtbot.addWidget(main)
    main.resize(1024, 700)
    main.show()
    return main


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    main = _window(qtbot, Settings(tmp_path / "settings.ini"))
    yield main
    main.close()


def _open(qtbot, window: MainWindow, archive: Archive, title: str = BALOCHISTAN) -> int:
    with qtbot.waitSignal(window.archive_opened, timeout=10000):
        window.open_archive(archive.location)
    incident_id = catalog.find_incident(archive, title).id
    with qtbot.waitSignal(window.incident_shown, timeout=10000):
        window.open_incident(incident_id)
    return incident_id


def _size_at(window: MainWindow, position: int) -> float:
    cursor = QTextCursor(window.reader.browser.document())
    cursor.setPosition(position + 1)
    return cursor.charFormat().fontPointSize()


def test_text_zoom_scales_the_title_and_headings(
    qtbot, window: MainWindow, seeded_archive: Archive
) -> None:
    _open(qtbot, window, seeded_archive)
    view = window.reader.view
    assert view is not None
    heading = next(s for s in view.sections if s.heading is not None)
    body_size = window.reader.browser.font().pointSizeF()
    title, section = (
        _size_at(window, 0),
        _size_at(window, window.reader.body_offset + heading.heading_start),
    )
    window.zoom_in_action.trigger()
    window.zoom_in_action.trigger()
    ratio = window.reader.browser.font().pointSizeF() / body_size
    assert ratio > 1.1
    assert _size_at(window, 0) == pytest.approx(title * ratio, rel=0.02)
    start = window.reader.body_offset + heading.heading_start
    assert _size_at(window, start) == pytest.approx(section * ratio, rel=0.02)
    window.zoom_reset_action.trigger()
    assert _size_at(window, 0) == pytest.approx(title, rel=0.02)
    assert window.reader.browser.verticalScrollBar().value() == 0  # the title stays in view


def test_a_theme_change_recolours_the_open_article(
    qtbot, window: MainWindow, seeded_archive: Archive
) -> None:
    _open(qtbot, window, seeded_archive)
    view = window.reader.view
    assert view is not None and view.subtitle
    dark = QPalette(window.reader.palette())
    dark.setColor(QPalette.ColorRole.PlaceholderText, QColor("#8c8c8c"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#1f1f22"))
    window.reader.setPalette(dark)
    document = window.reader.browser.document()
    subtitle = document.findBlockByNumber(1)
    assert subtitle.text() == view.subtitle
    colour = subtitle.begin().fragment().charFormat().foreground().color()
    assert colour.name() == "#8c8c8c"


def test_a_jump_puts_the_statement_near_the_top(
    qtbot, window: MainWindow, seeded_archive: Archive
) -> None:
    _open(qtbot, window, seeded_archive)
    reader = window.reader
    assert reader.view is not None
    start = reader.view.body.index("\n", len(reader.view.body) * 2 // 3) + 1
    reader.show_span(start, start + 20)
    top = reader.browser.cursorRect(reader.body_cursor(start, start)).top()
    height = reader.browser.viewport().height()
    assert 0 <= top <= height * 0.4


def test_bookmarks_are_marked_in_the_text(
    qtbot, window: MainWindow, seeded_archive: Archive
) -> None:
    _open(qtbot, window, seeded_archive)
    reader = window.reader
    assert reader.view is not None
    place = reader.view.body.index("\n", 200) + 1
    window.add_bookmark(place, "here")

    def marked() -> list:
        return [
            s
            for s in reader.browser.extraSelections()
            if s.format.property(QTextFormat.Property.FullWidthSelection)
        ]

    qtbot.waitUntil(lambda: len(marked()) == 1, timeout=5000)
    assert marked()[0].cursor.position() == reader.body_offset + place
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: not marked(), timeout=5000)


def test_the_session_is_restored_on_the_next_start(
    qtbot, tmp_path: Path, seeded_archive: Archive
) -> None:
    settings_path = tmp_path / "settings.ini"
    first = _window(qtbot, Settings(settings_path))
    incident_id = _open(qtbot, first, seeded_archive)
    reader = first.reader
    assert reader.view is not None
    place = reader.view.body.index("\n", len(reader.view.body) // 2) + 1
    reader.scroll_to_place(place)
    saved_top = reader.top_place()
    assert saved_top > 0
    first.search.field.setText("condemned")
    first.close()

    second = _window(qtbot, Settings(settings_path))
    with qtbot.waitSignal(second.incident_shown, timeout=10000):
        second.open_archive(seeded_archive.location)
    assert second.current_id == incident_id
    assert second.search.field.text() == "condemned"
    qtbot.waitUntil(lambda: second.search.model.rowCount() > 0, timeout=10000)
    assert abs(second.reader.top_place() - saved_top) < 300
    second.close()


def test_preferences_apply_and_are_remembered(
    qtbot, window: MainWindow, tmp_path: Path, seeded_archive: Archive, monkeypatch
) -> None:
    _open(qtbot, window, seeded_archive)
    exports = tmp_path / "exports"
    exports.mkdir()
    dialog = PreferencesDialog(window)
    dialog.font_size.setValue(window.reader.base_font.pointSizeF() + 4)
    dialog.export_folder.edit.setText(str(exports))
    dialog.data_folder.edit.setText(str(tmp_path / "data"))
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.accept()
    settings = window.settings
    assert settings.reader_font_size == pytest.approx(window.reader.base_font.pointSizeF() + 4)
    assert window.reader.browser.font().pointSizeF() == pytest.approx(settings.reader_font_size)
    assert settings.theme == "dark" and window.theme_actions["dark"].isChecked()
    assert settings.data_folder == str(tmp_path / "data")
    offered: list[str] = []

    def offer(_parent: object, _title: str, start: str, *_args: object) -> tuple[str, str]:
        offered.append(start)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(offer))
    window.export_actions["json"].trigger()
    window.export_actions["csl-json"].trigger()
    assert [Path(p).parent for p in offered] == [exports, exports]
    assert len({Path(p).name for p in offered}) == 2
    window.set_theme("light")


def test_match_counts_read_as_english(qtbot, window: MainWindow) -> None:
    search = window.search
    one = catalog.SearchResults([catalog.SearchResult(1, "A", None, "")], 1, True)
    search.model.set_results(Query("attack", None), one)
    assert search.status.text() == "1 match"
    two = catalog.SearchResults(
        [catalog.SearchResult(1, "A", None, ""), catalog.SearchResult(2, "B", None, "")], 2, True
    )
    search.model.set_results(Query("attack", None), two)
    assert search.status.text() == "2 matches, best first"
    search.model.set_results(Query("", SearchFilters(perpetrator="x")), two)
    assert search.status.text() == "2 matches, newest first"
