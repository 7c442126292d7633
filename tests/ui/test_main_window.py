"""The real main window on the reference articles."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from db import Archive
from tests.conftest import SEED_BALOCHISTAN
from viewer.services import catalog
from viewer.services.importing import import_paths
from viewer.ui.main_window import MainWindow
from viewer.ui.settings import Settings


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    settings = Settings(tmp_path / "settings.ini")
    main = MainWindow(settings)
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()


def _open(qtbot, window: MainWindow, archive: Archive) -> None:
    with qtbot.waitSignal(window.archive_opened, timeout=10000):
        window.open_archive(archive.path)


def _show(qtbot, window: MainWindow, incident_id: int) -> None:
    with qtbot.waitSignal(window.incident_shown, timeout=10000):
        window.open_incident(incident_id)


def test_title_names_the_archive_and_count_shows(
    qtbot, window: MainWindow, seeded_archive: Archive
) -> None:
    _open(qtbot, window, seeded_archive)
    assert window.windowTitle() == "Incident Archive Viewer — seeded"
    qtbot.waitUntil(lambda: window.count_label.text() == "2 incidents", timeout=5000)


def test_select_on_timeline_opens_the_reader(
    qtbot, window: MainWindow, seeded_archive: Archive
) -> None:
    _open(qtbot, window, seeded_archive)
    mastung = catalog.find_incident(seeded_archive, "2023 Mastung bombing").id
    timeline = window.timeline
    qtbot.waitUntil(lambda: timeline.point_for(mastung) is not None, timeout=10000)
    with qtbot.waitSignal(window.incident_shown, timeout=10000):
        qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=timeline.point_for(mastung))
    assert window.reader.view is not None
    assert window.reader.view.title == "2023 Mastung bombing"
    assert window.reader.browser.toPlainText().startswith("2023 Mastung bombing")


def test_search_mastung_and_open_the_result(
    qtbot, window: MainWindow, seeded_archive: Archive
) -> None:
    _open(qtbot, window, seeded_archive)
    window.search_action.trigger()
    with qtbot.waitSignal(window.search.results_changed, timeout=10000):
        qtbot.keyClicks(window.search.field, "Mastung")
        qtbot.keyClick(window.search.field, Qt.Key.Key_Return)
    index = window.search.model.index(0, 0)
    with qtbot.waitSignal(window.incident_shown, timeout=10000):
        window.search.results.activated.emit(index)
    assert window.reader.view is not None and window.reader.view.title == "2023 Mastung bombing"


def test_reactions_tree_and_statement_focus(
    qtbot, window: MainWindow, seeded_archive: Archive
) -> None:
    _open(qtbot, window, seeded_archive)
    incident = catalog.find_incident(seeded_archive, "February 2024 Balochistan bombings")
    _show(qtbot, window, incident.id)
    pane = window.reactions
    qtbot.waitUntil(lambda: pane.reactions_model.rowCount() == 3, timeout=10000)
    actors = {}
    model = pane.reactions_model
    for row in range(model.rowCount()):
        category = model.index(row, 0)
        actors[row] = {model.index(r, 0, category).data() for r in range(model.rowCount(category))}
    assert "Arif Alvi" in actors[0] and "United Kingdom" in actors[1]
    assert "United Nations" in actors[2]
    reaction = next(r for r in incident.reactions if r.actor == "Saudi Arabia")
    pane.statement_selected.emit(incident.id, reaction.start, reaction.end)
    (focus,) = window.reader._marks["focus"]
    assert focus.cursor.selectedText() == reaction.text
    cursor = window.reader.browser.textCursor()
    assert cursor.position() == window.reader.body_offset + reaction.start


def test_see_also_navigation_and_back(
    qtbot, window: MainWindow, empty_archive: Archive, seeds_dir: Path, tmp_path: Path
) -> None:
    target = tmp_path / "islamabad.txt"
    target.write_text("= 2026 Islamabad mosque bombing =\n\nA bombing.\n", encoding="utf-8")
    import_paths(empty_archive, [seeds_dir / SEED_BALOCHISTAN, target])
    _open(qtbot, window, empty_archive)
    start = catalog.find_incident(empty_archive, "February 2024 Balochistan bombings").id
    linked = catalog.find_incident(empty_archive, "2026 Islamabad mosque bombing").id
    _show(qtbot, window, start)
    with qtbot.waitSignal(window.incident_shown, timeout=10000) as shown:
        window.reader.link_activated.emit(linked)
    assert shown.args == [linked]
    assert window.back_action.isEnabled()
    with qtbot.waitSignal(window.incident_shown, timeout=10000) as shown:
        window.back_action.trigger()
    assert shown.args == [start]
    assert window.forward_action.isEnabled()


def test_find_in_page_from_the_menu(qtbot, window: MainWindow, seeded_archive: Archive) -> None:
    _open(qtbot, window, seeded_archive)
    _show(qtbot, window, catalog.find_incident(seeded_archive, "2023 Mastung bombing").id)
    window.find_action.trigger()
    qtbot.keyClicks(window.reader.find_bar.field, "Guterres")
    assert window.reader.match_count == 2
    assert window.reader.find_bar.count.text() == "1 of 2"


def test_drop_files_imports_them(
    qtbot, window: MainWindow, empty_archive: Archive, seeds_dir: Path
) -> None:
    _open(qtbot, window, empty_archive)
    window.importer.show_summary = False
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(seeds_dir))])
    event = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.importer.finished, timeout=20000) as finished:
        window.dropEvent(event)
    assert finished.args[0].imported == 2
    qtbot.waitUntil(lambda: window.count_label.text() == "2 incidents", timeout=5000)


def test_layout_and_last_archive_are_remembered(
    qtbot, tmp_path: Path, seeded_archive: Archive
) -> None:
    settings = Settings(tmp_path / "settings.ini")
    first = MainWindow(settings)
    qtbot.addWidget(first)
    first.show()
    _open(qtbot, first, seeded_archive)
    first.reactions_dock.hide()
    first.set_lane_mode("country")
    first.close()
    again = Settings(tmp_path / "settings.ini")
    assert again.last_archive == str(seeded_archive.path)
    assert again.recent_archives[0] == str(seeded_archive.path)
    assert again.lane_mode == "country"
    second = MainWindow(again)
    qtbot.addWidget(second)
    second.show()
    assert not second.reactions_dock.isVisible()
    assert second.lane_actions["country"].isChecked()
    second.close()


def test_unusable_archive_gets_a_dialog_not_a_crash(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(
        "viewer.ui.main_window.QMessageBox.critical",
        lambda _parent, title, text: shown.append(f"{title}: {text}"),
    )
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database")
    window.open_archive(junk)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert "not an Incident Archive Viewer archive" in shown[0]
    assert window.archive is None


def test_annotate_then_undo_and_redo_from_the_edit_menu(
    qtbot, window: MainWindow, seeded_archive: Archive
) -> None:
    from PySide6.QtGui import QKeySequence

    from viewer.services import research

    _open(qtbot, window, seeded_archive)
    mastung = catalog.find_incident(seeded_archive, "2023 Mastung bombing").id
    _show(qtbot, window, mastung)
    assert window.reader.view is not None
    body = window.reader.view.body
    start = body.index("Nawaz Gashkori")
    window.annotate(start, start + len("Nawaz Gashkori"), "green")
    assert [a.quote for a in research.list_annotations(seeded_archive)] == ["Nawaz Gashkori"]
    actions = {a.shortcut().toString(): a for a in window.edit_menu.actions() if a.shortcut()}
    undo = actions[QKeySequence(QKeySequence.StandardKey.Undo).toString()]
    redo = actions["Ctrl+Shift+Z"]
    undo.trigger()
    assert research.list_annotations(seeded_archive) == []
    redo.trigger()
    assert [a.quote for a in research.list_annotations(seeded_archive)] == ["Nawaz Gashkori"]


def test_a_refused_change_never_reaches_the_undo_stack(
    qtbot, window: MainWindow, seeded_archive: Archive
) -> None:
    _open(qtbot, window, seeded_archive)
    mastung = catalog.find_incident(seeded_archive, "2023 Mastung bombing").id
    _show(qtbot, window, mastung)
    window.annotate(0, 5, "no-such-colour")
    assert window.undo_stack.count() == 0
    assert "unknown colour" in window.statusBar().currentMessage()
    window.annotate(0, 5, "yellow")  # the stack still works after the refusal
    assert window.undo_stack.count() == 1


def test_hidden_research_panes_are_built_when_their_tab_is_chosen(
    qtbot, window: MainWindow, seeded_archive: Archive
) -> None:
    from viewer.services import research

    incident = catalog.find_incident(seeded_archive, "February 2024 Balochistan bombings").id
    research.save_note(seeded_archive, incident, "Seen before the tab was chosen")
    research.tag_incident(seeded_archive, incident, ["checked"])
    # behind Reactions and Search at start: placeholders, not the panes
    for name in ("annotations_pane", "tags_pane", "note_editor"):
        assert name not in vars(window)
    _open(qtbot, window, seeded_archive)
    _show(qtbot, window, incident)
    assert "note_editor" not in vars(window)
    window.note_dock.raise_()  # the user chooses the Note tab
    qtbot.waitUntil(lambda: "note_editor" in vars(window), timeout=10000)
    note = window.note_editor
    assert window.note_dock.widget() is note and note.isVisible()
    assert note.incident_id == incident
    qtbot.waitUntil(lambda: note.text() == "Seen before the tab was chosen", timeout=10000)
    window.tags_dock.raise_()
    qtbot.waitUntil(lambda: "tags_pane" in vars(window), timeout=10000)
    tags = window.tags_pane
    assert window.tags_dock.widget() is tags
    qtbot.waitUntil(lambda: tags.tag_named("checked") is not None, timeout=10000)
    assert "annotations_pane" not in vars(window)
    assert window.annotations_pane is window.annotations_dock.widget()  # built when reached


def test_the_incident_asked_for_is_read_before_the_panes_waiting_reads(
    qtbot, window: MainWindow, seeded_archive: Archive, monkeypatch
) -> None:
    """An incident opened while the panes' first reads still wait on the views' worker (just
    after the archive opened) is read first (issue 13: at 100,000 incidents it waited
    about 300 ms behind them)."""
    import threading

    from viewer.services import reading

    _open(qtbot, window, seeded_archive)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    mastung = catalog.find_incident(seeded_archive, "2023 Mastung bombing").id
    gate = threading.Event()
    order: list[str] = []
    load = reading.load_incident_view

    def loaded(archive: Archive, incident_id: int) -> reading.IncidentView:
        order.append("reader")
        return load(archive, incident_id)

    monkeypatch.setattr(reading, "load_incident_view", loaded)
    window.runner.submit(lambda: gate.wait(10))  # the worker busy with one read
    window.runner.submit(lambda: order.append("pane"))  # a pane's read waiting
    with qtbot.waitSignal(window.incident_shown, timeout=10000):
        window.open_incident(mastung)
        gate.set()
    qtbot.waitUntil(lambda: "pane" in order, timeout=10000)
    assert order == ["reader", "pane"]


def test_the_panes_read_the_incident_before_the_table_looks_for_its_row(
    qtbot, window: MainWindow, seeded_archive: Archive, monkeypatch
) -> None:
    """When the table has not loaded the incident's row (a large archive, an incident opened
    from the timeline), finding the row numbers the table's whole order: at 100,000
    incidents about 150 ms on the views' worker, which the reactions, the annotations'
    highlights and the other panes' reads waited behind (issue 13)."""
    from viewer.services import incident_table
    from viewer.ui.reactions import pane as pane_module

    _open(qtbot, window, seeded_archive)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    mastung = catalog.find_incident(seeded_archive, "2023 Mastung bombing").id
    order: list[str] = []
    position = incident_table.position
    read_reactions = pane_module.incident_reactions

    def located(*args: object) -> int | None:
        order.append("table")
        return position(*args)  # type: ignore[arg-type]

    def reacted(*args: object) -> object:
        order.append("reactions")
        return read_reactions(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(incident_table, "position", located)
    monkeypatch.setattr(pane_module, "incident_reactions", reacted)
    window.table.model._pages.clear()  # the row not loaded, as in a large archive
    with qtbot.waitSignal(window.incident_shown, timeout=10000):
        window.open_incident(mastung)
    qtbot.waitUntil(lambda: "table" in order, timeout=10000)
    assert order == ["reactions", "table"]
