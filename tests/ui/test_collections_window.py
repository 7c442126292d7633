"""The Collections sidebar in the real window: the table's selection added to a collection
from its context menu, live counts, choosing an entry scopes the table, the timeline, the
reactions by actor and File > Export, saved searches from the Search pane, and undo."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QFileDialog, QInputDialog

from db import Archive
from viewer.services import catalog, collections
from viewer.ui.collections import ALL, COLLECTION, SAVED
from viewer.ui.main_window import MainWindow
from viewer.ui.settings import Settings

MASTUNG = "2023 Mastung bombing"
BALOCHISTAN = "February 2024 Balochistan bombings"
WAIT = 10000


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    main = MainWindow(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()


def _open(qtbot, window: MainWindow, archive: Archive) -> None:
    with qtbot.waitSignal(window.table.model.layout_loaded, timeout=WAIT):
        window.open_archive(archive.path)
    qtbot.waitUntil(lambda: window.collections.pane._all.text(1) == "2", timeout=WAIT)


def _listed(window: MainWindow, kind: str) -> dict[str, str]:
    pane = window.collections.pane
    heading = pane._collections if kind == COLLECTION else pane._searches
    children = pane._children(heading)
    return {child.text(0): child.text(1) for child in children}


def _select_rows(qtbot, window: MainWindow, rows: list[int]) -> None:
    view, model = window.table.view, window.table.model
    qtbot.waitUntil(lambda: model.rowCount() > max(rows), timeout=WAIT)
    view.selectionModel().clearSelection()
    for row in rows:
        model.data(model.index(row, 0))
        view.selectionModel().select(
            model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )


def test_the_selection_goes_to_a_collection_that_scopes_every_view(
    qtbot, window: MainWindow, seeded_archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    _open(qtbot, window, seeded_archive)
    ids = sorted(catalog.find_incident(seeded_archive, t).id for t in (MASTUNG, BALOCHISTAN))
    _select_rows(qtbot, window, [0, 1])
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Study", True))
    with qtbot.waitSignal(window.events.collections_changed, timeout=WAIT):
        window.table.collect_action.trigger()
    qtbot.waitUntil(lambda: _listed(window, COLLECTION) == {"Study": "2"}, timeout=WAIT)
    (study,) = collections.collections_with_counts(seeded_archive)
    assert window.collections.pane.choose(COLLECTION, study.id)
    qtbot.waitUntil(lambda: window.exporter.scope == ("Study", ids), timeout=WAIT)
    assert window.table.scope_label.text() == "Study: 2"
    assert window.reactions.mode_bar.tabText(1) == "Study by actor"
    assert window.timeline.emphasis == frozenset(ids)
    assert window.collections.remove_action in window.table.extra_actions
    assert window.collections.remove_action.isVisible()
    # taking one out of the collection from the table: the count follows
    _select_rows(qtbot, window, [0])
    window.collections.remove_action.trigger()
    qtbot.waitUntil(lambda: _listed(window, COLLECTION) == {"Study": "1"}, timeout=WAIT)
    qtbot.waitUntil(lambda: window.table.scope_label.text() == "Study: 1", timeout=WAIT)
    window.undo_action.trigger()  # the removal
    qtbot.waitUntil(lambda: _listed(window, COLLECTION) == {"Study": "2"}, timeout=WAIT)
    window.undo_action.trigger()  # the addition, which made the collection
    qtbot.waitUntil(lambda: _listed(window, COLLECTION) == {}, timeout=WAIT)
    assert window.collections.pane.chosen()[0] == ALL
    qtbot.waitUntil(lambda: window.table.scope_label.text() == "All incidents: 2", timeout=WAIT)
    assert window.exporter.scope is None and window.timeline.emphasis == frozenset()
    assert window.reactions.mode_bar.tabText(1) == "All incidents by actor"
    window.redo_action.trigger()
    qtbot.waitUntil(lambda: _listed(window, COLLECTION) == {"Study": "2"}, timeout=WAIT)


def test_a_saved_search_scopes_the_table_and_file_export(
    qtbot, window: MainWindow, seeded_archive: Archive, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    _open(qtbot, window, seeded_archive)
    window.search.field.setText("Mastung")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Mastung only", True))
    window.collections.pane.save_button.click()
    qtbot.waitUntil(lambda: _listed(window, SAVED) == {"Mastung only": "1"}, timeout=WAIT)
    (saved,) = collections.saved_searches(seeded_archive)
    window.collections.pane.choose(SAVED, saved.id)
    qtbot.waitUntil(lambda: window.table.scope_label.text() == "Mastung only: 1", timeout=WAIT)
    mastung = catalog.find_incident(seeded_archive, MASTUNG).id
    qtbot.waitUntil(lambda: window.exporter.scope == ("Mastung only", [mastung]), timeout=WAIT)
    target = tmp_path / "scoped.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.export_actions["json"].trigger()
    qtbot.waitUntil(target.exists, timeout=WAIT)
    exported = json.loads(target.read_text(encoding="utf-8"))["incidents"]
    assert [i["title"] for i in exported] == [MASTUNG]
    window.collections.delete(SAVED, saved.id)
    qtbot.waitUntil(lambda: _listed(window, SAVED) == {}, timeout=WAIT)
    qtbot.waitUntil(lambda: window.table.scope_label.text() == "All incidents: 2", timeout=WAIT)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: _listed(window, SAVED) == {"Mastung only": "1"}, timeout=WAIT)


def test_rename_refused_when_taken_and_undone(
    qtbot, window: MainWindow, seeded_archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    collections.add_to_collection(seeded_archive, "First", [1])
    second = collections.add_to_collection(seeded_archive, "Second", [1, 2])
    _open(qtbot, window, seeded_archive)
    qtbot.waitUntil(lambda: len(_listed(window, COLLECTION)) == 2, timeout=WAIT)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("first", True))
    window.collections.rename(COLLECTION, second.collection_id)
    assert "already a collection named 'First'" in window.statusBar().currentMessage()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Third", True))
    window.collections.rename(COLLECTION, second.collection_id)
    qtbot.waitUntil(
        lambda: _listed(window, COLLECTION) == {"First": "1", "Third": "2"}, timeout=WAIT
    )
    window.undo_action.trigger()
    qtbot.waitUntil(
        lambda: _listed(window, COLLECTION) == {"First": "1", "Second": "2"}, timeout=WAIT
    )
