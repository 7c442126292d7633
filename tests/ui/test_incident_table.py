"""The incident table in the real window: rows, sorting, the quick filter, following the
reader, columns remembered, bulk actions, and the welcome page of an empty archive."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog

from db import Archive
from viewer.services import catalog, research
from viewer.services.incident_table import TABLE_COLUMNS
from viewer.ui.incident_table import IncidentIdRole, IncidentTableModel
from viewer.ui.main_window import MainWindow
from viewer.ui.settings import Settings
from viewer.ui.tasks import TaskRunner

MASTUNG = "2023 Mastung bombing"
BALOCHISTAN = "February 2024 Balochistan bombings"
WAIT = 10000


def _column(name: str) -> int:
    return TABLE_COLUMNS.index(name)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(tmp_path / "settings.ini")


@pytest.fixture
def window(qtbot, settings: Settings) -> Iterator[MainWindow]:
    main = MainWindow(settings)
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()


def _open(qtbot, window: MainWindow, archive: Archive) -> None:
    with qtbot.waitSignal(window.table.model.layout_loaded, timeout=WAIT):
        window.open_archive(archive.path)


def _titles(qtbot, model: IncidentTableModel) -> list[str]:
    """The title column, once every row's page is loaded."""
    for row in range(model.rowCount()):
        model.data(model.index(row, 0))  # asks for the page
    qtbot.waitUntil(
        lambda: all(model.row_record(r) is not None for r in range(model.rowCount())),
        timeout=WAIT,
    )
    return [model.index(r, _column("title")).data() for r in range(model.rowCount())]


def test_the_model_passes_the_model_tester(
    qtbot, qtmodeltester, task_runner: TaskRunner, seeded_archive: Archive
) -> None:
    model = IncidentTableModel()
    with qtbot.waitSignal(model.layout_loaded, timeout=WAIT):
        model.set_source(seeded_archive, task_runner)
    assert _titles(qtbot, model) == [MASTUNG, BALOCHISTAN]  # by date
    qtmodeltester.check(model)
    model.set_source(None, task_runner)
    assert model.rowCount() == 0


def test_rows_show_the_facts_and_sort_by_any_header(
    qtbot, window: MainWindow, seeded_archive: Archive
) -> None:
    _open(qtbot, window, seeded_archive)
    model = window.table.model
    assert _titles(qtbot, model) == [MASTUNG, BALOCHISTAN]
    cells = {name: model.index(0, _column(name)).data() for name in TABLE_COLUMNS}
    assert cells["date"] == "2023-09-29" and cells["country"] == "Pakistan"
    assert cells["killed"] == "60" and "Khorasan" in cells["perpetrator"]
    assert cells["type"] == "Suicide bombing"
    header = window.table.view.horizontalHeader()
    with qtbot.waitSignal(model.layout_loaded, timeout=WAIT):
        header.setSortIndicator(_column("killed"), Qt.SortOrder.DescendingOrder)
    assert model.order.column == "killed" and model.order.descending
    assert _titles(qtbot, model) == [MASTUNG, BALOCHISTAN]
    assert [model.index(r, _column("killed")).data() for r in range(2)] == ["60", "28–30+"]
    with qtbot.waitSignal(model.layout_loaded, timeout=WAIT):
        header.setSortIndicator(_column("title"), Qt.SortOrder.DescendingOrder)
    assert _titles(qtbot, model) == [BALOCHISTAN, MASTUNG]


def test_quick_filter_and_the_reader_follow_each_other(
    qtbot, window: MainWindow, seeded_archive: Archive
) -> None:
    _open(qtbot, window, seeded_archive)
    model, panel = window.table.model, window.table
    _titles(qtbot, model)
    balochistan = catalog.find_incident(seeded_archive, BALOCHISTAN).id
    # the reader opens what the table makes current...
    with qtbot.waitSignal(window.incident_shown, timeout=WAIT) as shown:
        panel.view.setCurrentIndex(model.index(1, _column("title")))
    assert shown.args == [balochistan]
    # ...and the table follows what the reader opens elsewhere (search, timeline, links)
    mastung = catalog.find_incident(seeded_archive, MASTUNG).id
    with qtbot.waitSignal(window.incident_shown, timeout=WAIT):
        window.open_incident(mastung)
    qtbot.waitUntil(lambda: panel.view.currentIndex().data(IncidentIdRole) == mastung, timeout=WAIT)
    with qtbot.waitSignal(model.layout_loaded, timeout=WAIT):
        qtbot.keyClicks(panel.quick, "balochistan")
    assert _titles(qtbot, model) == [BALOCHISTAN]
    assert panel.scope_label.text() == "All incidents: 1"
    with qtbot.waitSignal(model.layout_loaded, timeout=WAIT):
        panel.quick.setText("no such incident")
    assert model.rowCount() == 0 and panel.empty_label.isVisibleTo(panel)


def test_columns_and_sort_are_remembered(
    qtbot, settings: Settings, seeded_archive: Archive
) -> None:
    first = MainWindow(settings)
    qtbot.addWidget(first)
    first.show()
    _open(qtbot, first, seeded_archive)
    first.table.column_actions["country"].setChecked(False)
    first.table.column_actions["annotations"].setChecked(True)
    first.table.view.horizontalHeader().setSortIndicator(
        _column("title"), Qt.SortOrder.DescendingOrder
    )
    first.close()
    second = MainWindow(settings)
    qtbot.addWidget(second)
    second.show()
    view = second.table.view
    assert view.isColumnHidden(_column("country"))
    assert not view.isColumnHidden(_column("annotations"))
    assert not second.table.column_actions["country"].isChecked()
    assert second.table.model.order.column == "title" and second.table.model.order.descending
    second.close()


def _select_all(qtbot, window: MainWindow) -> None:
    view, model = window.table.view, window.table.model
    _titles(qtbot, model)
    view.selectionModel().select(
        model.index(0, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    view.selectionModel().select(
        model.index(1, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )


def test_bulk_tag_of_the_selection_undoes_in_one_step(
    qtbot, window: MainWindow, seeded_archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    _open(qtbot, window, seeded_archive)
    mastung = catalog.find_incident(seeded_archive, MASTUNG).id
    research.tag_incident(seeded_archive, mastung, ["verified"])  # already there: kept on undo
    _select_all(qtbot, window)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("verified, Balochistan", True))
    with qtbot.waitSignal(window.events.tags_changed, timeout=WAIT):
        window.table.tag_action.trigger()
    tagged = {t.name: t.incidents for t in research.tags_with_counts(seeded_archive)}
    assert tagged == {"Balochistan": 2, "verified": 2}
    qtbot.waitUntil(
        lambda: "verified" in (window.table.model.index(1, _column("tags")).data() or ""),
        timeout=WAIT,
    )
    window.undo_action.trigger()
    tagged = {t.name: t.incidents for t in research.tags_with_counts(seeded_archive)}
    assert tagged == {"Balochistan": 0, "verified": 1}


def test_export_and_show_on_timeline_take_the_selection(
    qtbot, window: MainWindow, seeded_archive: Archive, tmp_path: Path, monkeypatch
) -> None:
    _open(qtbot, window, seeded_archive)
    view, model = window.table.view, window.table.model
    _titles(qtbot, model)
    view.selectionModel().select(
        model.index(1, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    target = tmp_path / "selected.json"
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("JSON (everything)…", True))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.table.export_action.trigger()
    qtbot.waitUntil(target.exists, timeout=WAIT)
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert [i["title"] for i in exported["incidents"]] == [BALOCHISTAN]
    balochistan = catalog.find_incident(seeded_archive, BALOCHISTAN).id
    window.table.timeline_action.trigger()
    qtbot.waitUntil(lambda: window.timeline.visible_range()[0].year == 2024, timeout=WAIT)
    assert window.timeline.emphasis == frozenset({balochistan})


def test_an_empty_archive_welcomes_and_imports_the_samples(
    qtbot, window: MainWindow, empty_archive: Archive
) -> None:
    _open(qtbot, window, empty_archive)
    panel = window.table
    assert panel.pages.currentWidget() is panel.welcome
    with qtbot.waitSignal(panel.model.layout_loaded, timeout=30000):
        qtbot.mouseClick(panel.welcome.samples_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=30000)
    assert panel.pages.currentWidget() is not panel.welcome
