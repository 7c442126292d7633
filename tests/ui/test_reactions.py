"""The reactions pane and its models, and the reactions service they read through."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt

from db import Archive, open_archive
from db.archive import ArchiveError
from db.records import StoredReaction
from viewer.services import catalog
from viewer.services.importing import import_paths
from viewer.services.reactions import (
    ActorSummary,
    actor_incidents,
    actor_statements,
    actors,
    incident_reactions,
)
from viewer.ui.reactions import pane as reactions_ui
from viewer.ui.reactions.models import (
    INCIDENT_ROLE,
    STATEMENT_ROLE,
    ActorLoader,
    ActorModel,
    ReactionsFilter,
    ReactionsModel,
)
from viewer.ui.reactions.pane import ReactionsPane
from viewer.ui.tasks import TaskRunner

BALOCHISTAN = "February 2024 Balochistan bombings"
MASTUNG = "2023 Mastung bombing"
EXPECTED_ACTORS = {
    "Domestic (6)": [
        "Arif Alvi",
        "Anwaar ul Haq Kakar",
        "Balochistan provincial government",
        "Nawaz Sharif",
        "Asif Ali Zardari",
        "Bilawal Bhutto Zardari",
    ],
    "International (5)": [
        "United Kingdom",
        "Egypt",
        "Iran",
        "Saudi Arabia",
        "United Arab Emirates",
    ],
    "Organizations (2)": ["United Nations", "Amnesty International"],
}


def _incident_id(archive: Archive, title: str) -> int:
    return catalog.find_incident(archive, title).id


def _body(archive: Archive, incident_id: int) -> str:
    return catalog.load_incident(archive, incident_id).body


def _tree(model: QAbstractItemModel) -> dict[str, list[str]]:
    """Top-level names -> the names of their children, as the model shows them."""
    tree: dict[str, list[str]] = {}
    for row in range(model.rowCount()):
        top = model.index(row, 0)
        tree[top.data()] = [
            model.index(child, 0, top).data() for child in range(model.rowCount(top))
        ]
    return tree


def _find(model: QAbstractItemModel, text: str, parent: QModelIndex | None = None) -> QModelIndex:
    parent = parent or QModelIndex()
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        if index.data() == text:
            return index
    raise AssertionError(f"{text!r} not among {_tree(model)}")


def _statement_indexes(pane: ReactionsPane, parent: QModelIndex) -> Iterator[QModelIndex]:
    """Every statement row of the incident tree (read through the model's Python helper:
    see the note in viewer/ui/reactions.py on None and PySide6 6.12)."""
    proxy = pane.reactions_filter
    for row in range(proxy.rowCount(parent)):
        index = proxy.index(row, 0, parent)
        if pane.reactions_model.statement_at(proxy.mapToSource(index)) is not None:
            yield index
        yield from _statement_indexes(pane, index)


# --- the service ----------------------------------------------------------------------------


def _by_actor(summaries: list[ActorSummary]) -> dict[str, ActorSummary]:
    return {summary.actor: summary for summary in summaries}


def test_incident_reactions_are_in_article_order_and_slice_the_body(
    seeded_archive: Archive,
) -> None:
    incident_id = _incident_id(seeded_archive, BALOCHISTAN)
    statements = incident_reactions(seeded_archive, incident_id)
    body = _body(seeded_archive, incident_id)
    assert [s.actor for s in statements] == [a for names in EXPECTED_ACTORS.values() for a in names]
    assert [s.start for s in statements] == sorted(s.start for s in statements)
    for statement in statements:
        assert statement.incident_id == incident_id
        assert body[statement.start : statement.end] == statement.text


def test_actors_aggregates_across_the_archive(seeded_archive: Archive) -> None:
    summaries = actors(seeded_archive)
    by_actor = _by_actor(summaries)
    assert by_actor["Saudi Arabia"] == ActorSummary("Saudi Arabia", "state", 2, 2, {"condemned": 2})
    assert by_actor["United Nations"].incidents == 2
    assert by_actor["Balochistan provincial government"].stances == {
        "mourning": 1,
        "compensation": 1,
    }
    assert by_actor["Tehrik-i-Taliban Pakistan"].stances == {"denied responsibility": 1}
    assert by_actor["Amnesty International"].incidents == 1
    # Every statement is counted once, under its actor.
    total = sum(
        len(incident_reactions(seeded_archive, incident.id))
        for incident in catalog.list_summaries(seeded_archive)
    )
    assert sum(summary.statements for summary in summaries) == total
    assert all(sum(s.stances.values()) == s.statements for s in summaries)
    # Most incidents first, then by name.
    keys = [(-s.incidents, s.actor.casefold()) for s in summaries]
    assert keys == sorted(keys)
    assert summaries[0].incidents == 2 and summaries[-1].incidents == 1


def test_actors_filters_and_limit(seeded_archive: Archive) -> None:
    condemned = _by_actor(actors(seeded_archive, stance="condemned"))
    assert "Saudi Arabia" in condemned
    assert condemned["Saudi Arabia"].incidents == 2
    assert "Balochistan provincial government" not in condemned
    assert all(set(s.stances) == {"condemned"} for s in condemned.values())

    # The text filter matches statement text, not only names.
    strongest = actors(seeded_archive, text_filter="strongest terms")
    assert strongest == [ActorSummary("Saudi Arabia", "state", 1, 1, {"condemned": 1})]
    assert [s.actor for s in actors(seeded_archive, text_filter="amnesty")] == [
        "Amnesty International"
    ]
    # LIKE wildcards in the filter are text, not patterns.
    assert actors(seeded_archive, text_filter="%") == []
    assert actors(seeded_archive, text_filter="_") == []

    assert actors(seeded_archive, limit=3) == actors(seeded_archive)[:3]


def test_actor_incidents_and_statements(seeded_archive: Archive) -> None:
    mastung = _incident_id(seeded_archive, MASTUNG)
    balochistan = _incident_id(seeded_archive, BALOCHISTAN)
    assert actor_incidents(seeded_archive, "Saudi Arabia", "condemned") == [
        (mastung, MASTUNG, "2023-09-29", 1),
        (balochistan, BALOCHISTAN, "2024-02-07", 1),
    ]
    assert actor_incidents(seeded_archive, "Saudi Arabia", "mourning") == []
    assert actor_incidents(seeded_archive, "Saudi Arabia", text_filter="strongest") == [
        (balochistan, BALOCHISTAN, "2024-02-07", 1)
    ]
    [statement] = actor_statements(seeded_archive, "Saudi Arabia", balochistan)
    assert statement.stance == "condemned"
    assert statement.text.startswith("The Saudi Arabian Ministry of Foreign Affairs")
    body = _body(seeded_archive, balochistan)
    assert body[statement.start : statement.end] == statement.text
    assert actor_statements(seeded_archive, "Saudi Arabia", balochistan, stance="other") == []


def test_empty_archive_has_no_actors(empty_archive: Archive) -> None:
    assert actors(empty_archive) == []
    assert actor_incidents(empty_archive, "Saudi Arabia") == []
    assert incident_reactions(empty_archive, 1) == []


# --- the models -----------------------------------------------------------------------------


@pytest.fixture
def balochistan_statements(seeded_archive: Archive) -> list[StoredReaction]:
    return incident_reactions(seeded_archive, _incident_id(seeded_archive, BALOCHISTAN))


def test_reactions_model_passes_the_model_tester(
    qtmodeltester: Any, balochistan_statements: list[StoredReaction]
) -> None:
    model = ReactionsModel()
    qtmodeltester.check(model)
    model.set_statements(balochistan_statements)
    assert _tree(model) == EXPECTED_ACTORS
    model.set_statements([])
    assert model.rowCount() == 0
    model.set_statements(balochistan_statements)


def test_reactions_model_columns_and_roles(balochistan_statements: list[StoredReaction]) -> None:
    model = ReactionsModel()
    model.set_statements(balochistan_statements)
    domestic = model.index(0, 0)
    assert model.index(0, ReactionsModel.COUNT).data() == "6"
    alvi = model.index(0, 0, domestic)
    assert alvi.data() == "Arif Alvi"
    assert alvi.siblingAtColumn(ReactionsModel.KIND).data() == "person"
    assert alvi.siblingAtColumn(ReactionsModel.STANCE).data() == "condemned"
    assert alvi.siblingAtColumn(ReactionsModel.COUNT).data() == "1"
    assert alvi.data(STATEMENT_ROLE) is None
    statement_index = model.index(0, 0, alvi)
    statement = statement_index.data(STATEMENT_ROLE)
    assert statement == balochistan_statements[0]
    assert statement_index.siblingAtColumn(ReactionsModel.STANCE).data() == "condemned"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Reaction"


def test_reactions_model_shows_article_text_as_text(
    qtmodeltester: Any, balochistan_statements: list[StoredReaction]
) -> None:
    hostile = '<b>bold</b> & <img src="file:///etc/passwd"> <a href="x">link</a>'
    first = balochistan_statements[0]
    statement = StoredReaction(**{**first.__dict__, "text": hostile, "actor": "<i>Actor</i>"})
    model = ReactionsModel()
    model.set_statements([statement])
    qtmodeltester.check(model)
    actor = model.index(0, 0, model.index(0, 0))
    assert actor.data() == "<i>Actor</i>"
    shown = model.index(0, 0, actor)
    assert shown.data() == hostile
    tooltip = shown.data(Qt.ItemDataRole.ToolTipRole)
    assert "<img" not in tooltip and "<b>bold" not in tooltip
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in tooltip
    assert "&lt;i&gt;Actor&lt;/i&gt;" in actor.data(Qt.ItemDataRole.ToolTipRole)


def test_reactions_filter_narrows_recursively(
    qtmodeltester: Any, balochistan_statements: list[StoredReaction]
) -> None:
    model = ReactionsModel()
    model.set_statements(balochistan_statements)
    proxy = ReactionsFilter()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.set_filter("saudi", None)
    assert _tree(proxy) == {"International (1 of 5)": ["Saudi Arabia"]}
    proxy.set_filter("Jane Marriott", None)  # the speaker of the British statement
    assert _tree(proxy) == {"International (1 of 5)": ["United Kingdom"]}
    proxy.set_filter("", "mourning")
    assert _tree(proxy) == {"Domestic (1 of 6)": ["Balochistan provincial government"]}
    proxy.set_filter("saudi", "mourning")
    assert proxy.rowCount() == 0
    proxy.set_filter("", None)
    assert _tree(proxy) == EXPECTED_ACTORS


def _loader(archive: Archive, calls: list[tuple[Any, ...]]) -> ActorLoader:
    def incidents(actor: str, offset: int, limit: int) -> list[tuple[int, str, str | None, int]]:
        calls.append(("incidents", actor))
        return actor_incidents(archive, actor, offset=offset, limit=limit)

    def statements(actor: str, incident_id: int) -> list[StoredReaction]:
        calls.append(("statements", actor, incident_id))
        return actor_statements(archive, actor, incident_id)

    return ActorLoader(incidents, statements)


def test_actor_model_fetches_lazily_and_passes_the_model_tester(
    qtmodeltester: Any, seeded_archive: Archive
) -> None:
    calls: list[tuple[Any, ...]] = []
    model = ActorModel()
    model.set_actors(actors(seeded_archive), _loader(seeded_archive, calls))
    saudi = _find(model, "Saudi Arabia")
    assert saudi.siblingAtColumn(ActorModel.INCIDENTS).data() == "2"
    assert model.rowCount(saudi) == 0 and model.hasChildren(saudi)
    assert model.canFetchMore(saudi)
    assert calls == []  # nothing is read until asked

    model.fetchMore(saudi)
    assert calls == [("incidents", "Saudi Arabia")]
    assert not model.canFetchMore(saudi)
    assert [model.index(r, 0, saudi).data() for r in range(model.rowCount(saudi))] == [
        f"2023-09-29  {MASTUNG}",
        f"2024-02-07  {BALOCHISTAN}",
    ]
    mastung = model.index(0, 0, saudi)
    assert mastung.data(INCIDENT_ROLE) == _incident_id(seeded_archive, MASTUNG)
    model.fetchMore(mastung)
    statement = model.index(0, 0, mastung).data(STATEMENT_ROLE)
    assert statement.actor == "Saudi Arabia" and statement.incident_id == mastung.data(
        INCIDENT_ROLE
    )

    # The tester walks the whole tree, fetching every node on the way.
    qtmodeltester.check(model)
    assert ("incidents", "United Nations") in calls
    model.set_actors(actors(seeded_archive, stance="condolences"), _loader(seeded_archive, calls))
    assert _tree(model) == {"Organisation of Islamic Cooperation": []}


def test_actor_model_with_a_deferred_scheduler(
    qtbot: Any, qtmodeltester: Any, seeded_archive: Archive, task_runner: TaskRunner
) -> None:
    """Loads that report later insert rows then; loads overtaken by a reset are dropped."""

    def run_queue() -> None:
        qtbot.waitUntil(lambda: not task_runner.busy)

    model = ActorModel(task_runner)
    qtmodeltester.check(model)
    model.set_actors(actors(seeded_archive), _loader(seeded_archive, []))
    saudi = _find(model, "Saudi Arabia")
    model.fetchMore(saudi)
    assert model.rowCount(saudi) == 0 and not model.canFetchMore(saudi)  # pending
    run_queue()
    assert model.rowCount(saudi) == 2
    model.fetchMore(model.index(1, 0, saudi))
    run_queue()
    assert model.rowCount(model.index(1, 0, saudi)) == 1

    united_nations = _find(model, "United Nations")
    model.fetchMore(united_nations)
    model.set_actors(actors(seeded_archive), _loader(seeded_archive, []))
    run_queue()  # reports after the reset: ignored
    assert model.rowCount(_find(model, "United Nations")) == 0


def test_actor_model_loads_a_busy_actors_incidents_a_page_at_a_time(
    qtmodeltester: Any, seeded_archive: Archive
) -> None:
    model = ActorModel(page_size=1)
    qtmodeltester.check(model)
    model.set_actors(actors(seeded_archive), _loader(seeded_archive, []))
    saudi = _find(model, "Saudi Arabia")
    model.fetchMore(saudi)
    assert model.rowCount(saudi) == 2
    assert model.index(0, 0, saudi).data() == f"2023-09-29  {MASTUNG}"
    more = model.index(1, 0, saudi)
    assert model.is_more_row(more)
    assert more.data() == "Show 1 more (1 not shown yet)"
    model.fetch_next_page(more)
    assert [model.index(r, 0, saudi).data() for r in range(model.rowCount(saudi))] == [
        f"2023-09-29  {MASTUNG}",
        f"2024-02-07  {BALOCHISTAN}",
    ]
    assert not any(model.is_more_row(model.index(r, 0, saudi)) for r in range(2))
    # An actor with one incident never shows the row.
    amnesty = _find(model, "Amnesty International")
    model.fetchMore(amnesty)
    assert model.rowCount(amnesty) == 1


def test_actor_incidents_pages_are_stable(seeded_archive: Archive) -> None:
    everything = actor_incidents(seeded_archive, "United Nations")
    pages = [
        actor_incidents(seeded_archive, "United Nations", limit=1, offset=offset)
        for offset in range(3)
    ]
    assert [row for page in pages for row in page] == everything
    assert len(everything) == 2 and pages[2] == []


def test_actor_model_reports_a_failed_load(qtbot: Any, seeded_archive: Archive) -> None:
    def broken(*_args: Any) -> list[Any]:
        raise OSError("disk on fire")

    model = ActorModel()
    model.set_actors(actors(seeded_archive), ActorLoader(broken, broken))
    saudi = _find(model, "Saudi Arabia")
    with qtbot.waitSignal(model.fetch_failed) as blocker:
        model.fetchMore(saudi)
    assert blocker.args == ["disk on fire"]
    assert model.rowCount(saudi) == 0 and not model.canFetchMore(saudi)


# --- the pane -------------------------------------------------------------------------------


@pytest.fixture
def pane(qtbot: Any, seeded_archive: Archive, task_runner: TaskRunner) -> ReactionsPane:
    pane = ReactionsPane()
    qtbot.addWidget(pane)
    pane.resize(700, 500)
    pane.show()  # a tree view fetches what an expanded row holds when it lays out
    qtbot.waitExposed(pane)
    pane.set_archive(seeded_archive, task_runner)
    return pane


def _show(qtbot: Any, pane: ReactionsPane, incident_id: int) -> None:
    pane.show_incident(incident_id)

    def shown() -> bool:
        statements = pane.reactions_model.statements()
        return bool(statements) and statements[0].incident_id == incident_id

    qtbot.waitUntil(shown)


def test_pane_shows_the_incident_actors_by_category(
    qtbot: Any, pane: ReactionsPane, seeded_archive: Archive
) -> None:
    assert pane.empty_label.text() == "No incident selected"
    _show(qtbot, pane, _incident_id(seeded_archive, BALOCHISTAN))
    view = pane.incident_view
    assert pane.stack.currentWidget() is view
    assert _tree(view.model()) == EXPECTED_ACTORS
    for row in range(3):  # categories open, actors closed
        category = view.model().index(row, 0)
        assert view.isExpanded(category)
        assert not view.isExpanded(view.model().index(0, 0, category))
    assert pane.status_label.text() == "13 statements · 13 actors"

    _show(qtbot, pane, _incident_id(seeded_archive, MASTUNG))
    tree = _tree(view.model())
    assert "Saudi Arabia" in tree["International (9)"]
    assert tree["Organizations (2)"] == ["Organisation of Islamic Cooperation", "United Nations"]

    pane.clear()
    assert pane.stack.currentWidget() is pane.empty_label


def test_selecting_a_statement_emits_its_offsets(
    qtbot: Any, pane: ReactionsPane, seeded_archive: Archive
) -> None:
    incident_id = _incident_id(seeded_archive, BALOCHISTAN)
    body = _body(seeded_archive, incident_id)
    _show(qtbot, pane, incident_id)
    view = pane.incident_view
    model = view.model()
    saudi = _find(model, "Saudi Arabia", _find(model, "International (5)"))
    statement_index = model.index(0, 0, saudi)
    expected = statement_index.data(STATEMENT_ROLE)
    with qtbot.waitSignal(pane.statement_selected) as blocker:
        view.setCurrentIndex(statement_index)
    got_id, start, end = blocker.args
    assert got_id == incident_id
    assert body[start:end] == expected.text
    assert body[start:end].startswith("The Saudi Arabian Ministry of Foreign Affairs condemned")

    # Every statement, picked with the keyboard too, points at its own sentence.
    for index in _statement_indexes(pane, QModelIndex()):
        view.setCurrentIndex(index.parent())
        with qtbot.waitSignal(pane.statement_selected) as blocker:
            view.setCurrentIndex(index)
        _id, start, end = blocker.args
        assert body[start:end] == index.data(STATEMENT_ROLE).text

    # Selecting an actor or a category is not a statement.
    with qtbot.assertNotEmitted(pane.statement_selected):
        view.setCurrentIndex(saudi)


def test_filter_box_and_stance_narrow_the_incident_tree(
    qtbot: Any, pane: ReactionsPane, seeded_archive: Archive
) -> None:
    _show(qtbot, pane, _incident_id(seeded_archive, BALOCHISTAN))
    view = pane.incident_view
    qtbot.keyClicks(pane.filter_edit, "Zardari")
    assert _tree(view.model()) == {
        "Domestic (2 of 6)": ["Asif Ali Zardari", "Bilawal Bhutto Zardari"]
    }
    assert view.isExpanded(view.model().index(0, 0, view.model().index(0, 0)))
    qtbot.keyClicks(pane.filter_edit, " no such words")
    assert pane.stack.currentWidget() is pane.empty_label
    assert pane.empty_label.text() == "No reactions match the filter"
    pane.filter_edit.clear()
    assert _tree(view.model()) == EXPECTED_ACTORS
    assert pane.stack.currentWidget() is view

    pane.stance_combo.setCurrentIndex(pane.stance_combo.findData("mourning"))
    assert _tree(view.model()) == {"Domestic (1 of 6)": ["Balochistan provincial government"]}
    pane.stance_combo.setCurrentIndex(0)
    assert _tree(view.model()) == EXPECTED_ACTORS


def test_incident_without_reactions_shows_the_empty_state(
    qtbot: Any, tmp_path: Path, task_runner: TaskRunner
) -> None:
    article = tmp_path / "articles" / "quiet.txt"
    article.parent.mkdir()
    article.write_text(
        "= Quiet market blast =\nInfobox\n- Date: 3 March 2021\n- Location: Quetta, Pakistan\n\n"
        "A small bomb exploded in a market in Quetta on 3 March 2021.\n\n"
        "== Aftermath ==\nThe market reopened the next day.\n",
        encoding="utf-8",
    )
    with open_archive(tmp_path / "quiet.sqlite") as archive:
        import_paths(archive, [article.parent])
        pane = ReactionsPane()
        qtbot.addWidget(pane)
        pane.set_archive(archive, task_runner)
        pane.show_incident(_incident_id(archive, "Quiet market blast"))
        qtbot.waitUntil(lambda: pane.empty_label.text() == "No reactions in this article")
        assert pane.stack.currentWidget() is pane.empty_label
        pane.set_mode(ReactionsPane.ACTOR_MODE)
        qtbot.waitUntil(lambda: pane.empty_label.text() == "No reactions in this archive")
        task_runner.run_now(lambda: None)  # nothing left on the worker before the archive closes


def _wait_for_actors(qtbot: Any, pane: ReactionsPane, check: Callable[[], bool]) -> None:
    qtbot.waitUntil(lambda: not pane._actors_loading and check())


def _actor_names(pane: ReactionsPane) -> list[str]:
    model = pane.actor_model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_actor_mode_lists_actors_and_expands_their_incidents(
    qtbot: Any, pane: ReactionsPane, seeded_archive: Archive
) -> None:
    pane.set_mode(ReactionsPane.ACTOR_MODE)
    _wait_for_actors(qtbot, pane, lambda: pane.actor_model.rowCount() > 0)
    view = pane.actor_view
    assert pane.stack.currentWidget() is view
    model = pane.actor_model
    saudi = _find(model, "Saudi Arabia")
    assert saudi.siblingAtColumn(ActorModel.INCIDENTS).data() == "2"
    assert saudi.siblingAtColumn(ActorModel.STANCE).data() == "condemned ×2"
    assert "Balochistan provincial government" in _actor_names(pane)

    pane.stance_combo.setCurrentIndex(pane.stance_combo.findData("condemned"))
    _wait_for_actors(
        qtbot, pane, lambda: "Balochistan provincial government" not in _actor_names(pane)
    )
    saudi = _find(model, "Saudi Arabia")
    assert saudi.siblingAtColumn(ActorModel.INCIDENTS).data() == "2"

    view.expand(saudi)
    qtbot.waitUntil(lambda: model.rowCount(saudi) == 2)
    mastung_id = _incident_id(seeded_archive, MASTUNG)
    balochistan_id = _incident_id(seeded_archive, BALOCHISTAN)
    incidents = [model.index(row, 0, saudi) for row in range(2)]
    assert [index.data(INCIDENT_ROLE) for index in incidents] == [mastung_id, balochistan_id]
    assert incidents[1].data() == f"2024-02-07  {BALOCHISTAN}"

    # Enter on an incident asks for its article.
    view.setCurrentIndex(incidents[1])
    with qtbot.waitSignal(pane.incident_requested) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert blocker.args == [balochistan_id]

    # Its statements load on expanding; selecting one points into that article.
    view.expand(incidents[1])
    qtbot.waitUntil(lambda: model.rowCount(incidents[1]) == 1)
    statement_index = model.index(0, 0, incidents[1])
    with qtbot.waitSignal(pane.statement_selected) as blocker:
        view.setCurrentIndex(statement_index)
    got_id, start, end = blocker.args
    assert got_id == balochistan_id
    assert (
        _body(seeded_archive, balochistan_id)[start:end]
        == statement_index.data(STATEMENT_ROLE).text
    )


def test_actor_mode_show_more_row_loads_the_next_page(
    qtbot: Any, pane: ReactionsPane, seeded_archive: Archive
) -> None:
    pane.actor_model.page_size = 1
    pane.set_mode(ReactionsPane.ACTOR_MODE)
    _wait_for_actors(qtbot, pane, lambda: pane.actor_model.rowCount() > 0)
    model, view = pane.actor_model, pane.actor_view
    saudi = _find(model, "Saudi Arabia")
    view.expand(saudi)
    qtbot.waitUntil(lambda: model.rowCount(saudi) == 2)
    more = model.index(1, 0, saudi)
    assert model.is_more_row(more)
    view.setCurrentIndex(more)  # clicking or arrowing onto it is enough
    qtbot.waitUntil(
        lambda: model.rowCount(saudi) == 2 and not model.is_more_row(model.index(1, 0, saudi))
    )
    assert model.index(1, 0, saudi).data() == f"2024-02-07  {BALOCHISTAN}"


def test_actor_mode_filter_is_passed_to_the_archive(
    qtbot: Any, pane: ReactionsPane, seeded_archive: Archive
) -> None:
    pane.set_mode(ReactionsPane.ACTOR_MODE)
    _wait_for_actors(qtbot, pane, lambda: pane.actor_model.rowCount() > 2)
    qtbot.keyClicks(pane.filter_edit, "Amnesty")
    _wait_for_actors(qtbot, pane, lambda: _actor_names(pane) == ["Amnesty International"])
    assert pane.status_label.text() == "1 actor"
    qtbot.keyClicks(pane.filter_edit, " zzz")
    _wait_for_actors(qtbot, pane, lambda: pane.actor_model.rowCount() == 0)
    assert pane.empty_label.text() == "No actors match the filter"
    pane.filter_edit.clear()
    _wait_for_actors(qtbot, pane, lambda: "Saudi Arabia" in _actor_names(pane))

    # Switching back keeps the incident mode working with the same filter box.
    pane.set_mode(ReactionsPane.INCIDENT_MODE)
    _show(qtbot, pane, _incident_id(seeded_archive, BALOCHISTAN))
    assert _tree(pane.incident_view.model()) == EXPECTED_ACTORS


def test_pane_says_when_the_archive_cannot_be_read(
    qtbot: Any, pane: ReactionsPane, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(*_args: Any, **_kwargs: Any) -> Any:
        raise ArchiveError("cannot use archive x.sqlite: it is locked by another program")

    monkeypatch.setattr(reactions_ui, "incident_reactions", locked)
    monkeypatch.setattr(reactions_ui, "actors", locked)
    pane.show_incident(1)
    qtbot.waitUntil(lambda: pane.empty_label.text().startswith("Could not read the reactions"))
    assert "locked by another program" in pane.empty_label.text()
    pane.set_mode(ReactionsPane.ACTOR_MODE)
    qtbot.waitUntil(lambda: "locked by another program" in pane.empty_label.text())
    assert pane.stack.currentWidget() is pane.empty_label


def test_pane_without_an_archive_stays_quiet(qtbot: Any) -> None:
    pane = ReactionsPane()
    qtbot.addWidget(pane)
    pane.show_incident(1)
    pane.set_mode(ReactionsPane.ACTOR_MODE)
    assert pane.empty_label.text() == "No archive open"
    pane.set_mode(ReactionsPane.INCIDENT_MODE)
    pane.clear()
    assert pane.stack.currentWidget() is pane.empty_label
