"""The search pane: results with highlighted snippets, filters, errors under the field."""

from __future__ import annotations

from db import Archive
from viewer.ui.search import ResultRole, SearchPane, SearchResultsModel, snippet_html
from viewer.ui.tasks import TaskRunner


def _pane(qtbot, archive: Archive, runner: TaskRunner) -> SearchPane:
    pane = SearchPane()
    qtbot.addWidget(pane)
    pane.set_archive(archive, runner)
    pane.show()
    return pane


def test_search_mastung_and_open_the_result(qtbot, task_runner, seeded_archive: Archive) -> None:
    pane = _pane(qtbot, seeded_archive, task_runner)
    with qtbot.waitSignal(pane.results_changed, timeout=5000):
        qtbot.keyClicks(pane.field, "Mastung")
    assert pane.model.rowCount() == 1
    index = pane.model.index(0, 0)
    result = index.data(ResultRole)
    assert result.title == "2023 Mastung bombing"
    assert "\ue001Mastung\ue002" in result.snippet
    assert pane.status.text() == "1 match"
    with qtbot.waitSignal(pane.incident_activated) as signal:
        pane.results.activated.emit(index)
    assert signal.args == [result.id]


def test_broken_query_shows_a_message_under_the_field(
    qtbot, task_runner, seeded_archive: Archive
) -> None:
    pane = _pane(qtbot, seeded_archive, task_runner)
    pane.field.setText('"unbalanced')
    pane.run_search()
    qtbot.waitUntil(pane.error.isVisible, timeout=5000)
    assert "quotation mark" in pane.error.text()
    pane.field.setText("Mastung")
    with qtbot.waitSignal(pane.results_changed, timeout=5000):
        pane.run_search()
    assert not pane.error.isVisible()


def test_filters_restrict_results(qtbot, task_runner, seeded_archive: Archive) -> None:
    pane = _pane(qtbot, seeded_archive, task_runner)
    pane.filter_button.click()
    qtbot.waitUntil(lambda: pane.combos["perpetrator"].count() > 1, timeout=5000)
    pane.field.setText("Balochistan")
    with qtbot.waitSignal(pane.results_changed, timeout=5000):
        pane.run_search()
    assert pane.model.rowCount() == 2
    pane.combos["perpetrator"].setEditText("Pakistan Province")
    with qtbot.waitSignal(pane.results_changed, timeout=5000):
        pane.run_search()
    assert [pane.model.index(r, 0).data() for r in range(pane.model.rowCount())] == [
        "February 2024 Balochistan bombings"
    ]
    pane.field.clear()
    pane.combos["perpetrator"].setEditText("")
    pane.date_from.setText("2023")
    pane.date_to.setText("2023")
    with qtbot.waitSignal(pane.results_changed, timeout=5000):
        pane.run_search()
    assert [pane.model.index(r, 0).data() for r in range(pane.model.rowCount())] == [
        "2023 Mastung bombing"
    ]


def test_snippets_are_escaped() -> None:
    assert snippet_html("<b>x</b> \ue001Mastung\ue002") == "&lt;b&gt;x&lt;/b&gt; <b>Mastung</b>"


def test_results_model_passes_the_model_tester(
    qtbot, task_runner, qtmodeltester, seeded_archive: Archive
) -> None:
    pane = _pane(qtbot, seeded_archive, task_runner)
    with qtbot.waitSignal(pane.results_changed, timeout=5000):
        qtbot.keyClicks(pane.field, "condemned")
    assert isinstance(pane.model, SearchResultsModel)
    qtmodeltester.check(pane.model)
