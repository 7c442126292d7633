"""The research panes on the seed articles: annotations, tags, bookmarks and the note, each
change undoable through the stack the window gives them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import QColor, QFocusEvent, QImage, QTextDocument, QUndoStack
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMenu, QWidget

from db import Archive, open_archive
from db.archive import ArchiveError
from viewer.interchange.w3c import AnnotationData
from viewer.services import catalog, research
from viewer.ui.research import undo
from viewer.ui.research.annotations import AnnotationsModel, AnnotationsPane
from viewer.ui.research.bookmarks import BookmarksModel, BookmarksPane, fill_bookmarks_menu
from viewer.ui.research.notes import NoteEditor
from viewer.ui.research.tags import RenameTagDialog, TagsPane
from viewer.ui.research.undo import ResearchEvents, push_change
from viewer.ui.richtext import plain_tooltip
from viewer.ui.tasks import TaskRunner

MASTUNG = "2023 Mastung bombing"
BALOCHISTAN = "February 2024 Balochistan bombings"
OFFICER = "Nawaz Gashkori"
ORPHAN_QUOTE = "A sentence an editor has since removed from the article"
WAIT = 5000


class Research:
    """What the window hands every pane: archive, runner, undo stack, change events."""

    def __init__(self, archive: Archive, runner: TaskRunner) -> None:
        self.archive = archive
        self.runner = runner
        self.stack = QUndoStack()
        self.events = ResearchEvents()
        self.mastung = catalog.find_incident(archive, MASTUNG).id
        self.balochistan = catalog.find_incident(archive, BALOCHISTAN).id
        # As the window does: the panes live as long as the test, whatever Qt deletes first.
        self.panes: list[QWidget] = []

    def attach(self, pane: Any) -> None:
        self.panes.append(pane)
        pane.set_archive(self.archive, self.runner, self.stack, self.events)


@pytest.fixture
def world(seeded_archive: Archive, task_runner: TaskRunner) -> Iterator[Research]:
    world = Research(seeded_archive, task_runner)
    yield world
    world.stack.clear()


def _pane(qtbot, world: Research, pane_class: type[QWidget]) -> Any:
    pane = pane_class()
    qtbot.addWidget(pane)
    pane.resize(720, 420)
    world.attach(pane)
    pane.show()
    return pane


def _orphan(archive: Archive) -> research.AnnotationView:
    """An annotation whose passage is gone from the article (as after a re-import)."""
    report = research.import_annotations(
        archive,
        [
            AnnotationData(
                uuid="3f1c2b9e-0000-4000-8000-000000000001",
                incident_title=MASTUNG,
                quote=ORPHAN_QUOTE,
                prefix="",
                suffix="",
                start=10,
                end=10 + len(ORPHAN_QUOTE),
                color="green",
                note="lost <b>passage</b>",
                tags=[],
                orphaned=True,
                created="2026-01-02T10:00:00Z",
                modified="2026-01-02T10:00:00Z",
            )
        ],
    )
    assert report.orphaned == 1
    (orphan,) = research.list_annotations(archive, orphaned=True)
    return orphan


def _annotate(world: Research) -> dict[str, research.AnnotationView]:
    archive = world.archive
    return {
        "officer": research.annotate_quote(
            archive, world.mastung, OFFICER, color="pink", note="the police officer",
            tags=["police"],
        ),
        "mastung": research.annotate_quote(
            archive, world.mastung, "Mastung District", occurrence=1, color="yellow"
        ),
        "polling": research.annotate_quote(
            archive, world.balochistan, "5,028 polling stations", color="blue",
            note="polling day security", tags=["election"],
        ),
        "orphan": _orphan(archive),
    }  # fmt: skip


def _quotes(pane: AnnotationsPane) -> list[str]:
    return [a.quote for a in pane.model.records()]


def _wait_loaded(qtbot, pane: Any, action: Callable[[], object]) -> None:
    with qtbot.waitSignal(pane.loaded, timeout=WAIT):
        action()


# -- annotations -------------------------------------------------------------------------------


def test_annotations_in_both_modes_and_filtered(qtbot, qtmodeltester, world: Research) -> None:
    made = _annotate(world)
    pane = _pane(qtbot, world, AnnotationsPane)
    _wait_loaded(qtbot, pane, lambda: pane.show_incident(world.mastung))
    assert sorted(_quotes(pane)) == sorted([OFFICER, "Mastung District", ORPHAN_QUOTE])
    assert pane.view.isColumnHidden(AnnotationsModel.INCIDENT)
    qtmodeltester.check(pane.model)
    assert pane.status.text() == "3 annotations"

    _wait_loaded(qtbot, pane, lambda: pane.set_mode(AnnotationsPane.ALL_INCIDENTS))
    assert len(_quotes(pane)) == 4
    assert not pane.view.isColumnHidden(AnnotationsModel.INCIDENT)
    qtmodeltester.check(pane.model)
    row = pane.model.row_of(made["polling"].id)
    assert pane.model.index(row, AnnotationsModel.INCIDENT).data() == BALOCHISTAN
    assert pane.model.index(row, AnnotationsModel.QUOTE).data() == "“5,028 polling stations”"
    assert pane.model.index(row, AnnotationsModel.TAGS).data() == "election"
    assert pane.model.index(row, AnnotationsModel.NOTE).data() == "polling day security"

    _wait_loaded(qtbot, pane, lambda: pane.color_filter.setCurrentIndex(
        pane.color_filter.findData("pink")))  # fmt: skip
    assert _quotes(pane) == [OFFICER]
    _wait_loaded(qtbot, pane, lambda: pane.color_filter.setCurrentIndex(0))
    _wait_loaded(qtbot, pane, lambda: pane.tag_filter.setEditText("election"))
    assert _quotes(pane) == ["5,028 polling stations"]
    _wait_loaded(qtbot, pane, lambda: pane.tag_filter.setEditText(""))
    _wait_loaded(qtbot, pane, lambda: qtbot.keyClicks(pane.text_filter, "police officer"))
    assert _quotes(pane) == [OFFICER]
    _wait_loaded(qtbot, pane, pane.text_filter.clear)
    _wait_loaded(qtbot, pane, lambda: pane.orphaned_only.setChecked(True))
    assert _quotes(pane) == [ORPHAN_QUOTE]
    state = pane.model.index(0, AnnotationsModel.STATE)
    assert "orphaned" in state.data()
    assert state.data(Qt.ItemDataRole.ForegroundRole) is not None
    qtmodeltester.check(pane.model)

    _wait_loaded(qtbot, pane, lambda: pane.set_mode(AnnotationsPane.THIS_INCIDENT))
    assert _quotes(pane) == [ORPHAN_QUOTE]  # the filters still apply
    _wait_loaded(qtbot, pane, lambda: pane.show_incident(world.balochistan))
    assert _quotes(pane) == []
    assert pane.status.text() == "No annotations match these filters."


def test_tag_filter_offers_the_archive_tags(qtbot, world: Research) -> None:
    _annotate(world)
    pane = _pane(qtbot, world, AnnotationsPane)
    qtbot.waitUntil(lambda: pane.tag_filter.count() == 3, timeout=WAIT)
    assert [pane.tag_filter.itemText(i) for i in range(3)] == ["", "election", "police"]
    with qtbot.waitSignal(pane.loaded, timeout=WAIT):
        research.tag_incident(world.archive, world.mastung, ["suicide bombing"])
        world.events.tags_changed.emit(world.mastung)
        world.events.annotations_changed.emit(0)
    qtbot.waitUntil(lambda: pane.tag_filter.count() == 4, timeout=WAIT)


def test_selecting_an_annotation_asks_for_its_passage(qtbot, world: Research) -> None:
    made = _annotate(world)
    pane = _pane(qtbot, world, AnnotationsPane)
    _wait_loaded(qtbot, pane, lambda: pane.show_incident(world.mastung))
    officer = made["officer"]
    index = pane.model.index(pane.model.row_of(officer.id), AnnotationsModel.QUOTE)
    with qtbot.waitSignal(pane.annotation_activated, timeout=WAIT) as signal:
        pane.view.setCurrentIndex(index)
    assert signal.args == [world.mastung, officer.start, officer.end]
    with qtbot.waitSignal(pane.annotation_activated, timeout=WAIT) as signal:
        pane.view.activated.emit(index)
    assert signal.args == [world.mastung, officer.start, officer.end]


def test_delete_key_deletes_and_undo_brings_back_the_same_annotation(
    qtbot, world: Research
) -> None:
    made = _annotate(world)
    officer = made["officer"]
    pane = _pane(qtbot, world, AnnotationsPane)
    _wait_loaded(qtbot, pane, lambda: pane.show_incident(world.mastung))
    pane.select_annotation(officer.id)
    assert pane.selected_annotation() == officer

    _wait_loaded(qtbot, pane, lambda: qtbot.keyClick(pane.view, Qt.Key.Key_Delete))
    assert OFFICER not in _quotes(pane)
    assert officer.id not in {a.id for a in research.list_annotations(world.archive)}
    assert world.stack.count() == 1 and world.stack.undoText() == "Delete annotation"

    _wait_loaded(qtbot, pane, world.stack.undo)
    (back,) = [a for a in research.list_annotations(world.archive) if a.quote == OFFICER]
    assert (back.id, back.uuid, back.note, back.tags) == (
        officer.id,
        officer.uuid,
        "the police officer",
        ["police"],
    )
    assert OFFICER in _quotes(pane)

    _wait_loaded(qtbot, pane, world.stack.redo)
    assert OFFICER not in _quotes(pane)
    _wait_loaded(qtbot, pane, world.stack.undo)
    assert research.list_annotations(world.archive, incident_id=world.mastung, color="pink") == [
        back
    ]


def test_context_menu_recolours_edits_and_reattaches(qtbot, world: Research) -> None:
    made = _annotate(world)
    pane = _pane(qtbot, world, AnnotationsPane)
    _wait_loaded(qtbot, pane, lambda: pane.show_incident(world.mastung))
    officer, orphan = made["officer"], made["orphan"]

    menu = pane.context_menu(officer)
    texts = [action.text() for action in menu.actions()]
    assert "Re-attach to selection" not in texts
    assert {"Edit note…", "Change colour", "Delete"} <= set(texts)
    colours = next(a for a in menu.actions() if a.text() == "Change colour").menu()
    blue = next(a for a in colours.actions() if a.text() == "Blue")
    _wait_loaded(qtbot, pane, blue.trigger)
    assert research.list_annotations(world.archive, color="blue", incident_id=world.mastung)
    _wait_loaded(qtbot, pane, world.stack.undo)
    (again,) = research.list_annotations(world.archive, color="pink")
    assert again.id == officer.id

    _wait_loaded(qtbot, pane, lambda: pane.set_annotation_note(again, "deputy superintendent"))
    assert research.list_annotations(world.archive, text="deputy superintendent")[0].id == again.id
    _wait_loaded(qtbot, pane, world.stack.undo)
    assert research.list_annotations(world.archive, color="pink")[0].note == "the police officer"

    menu = pane.context_menu(orphan)
    reattach = next(a for a in menu.actions() if a.text() == "Re-attach to selection")
    with qtbot.waitSignal(pane.reattach_requested, timeout=WAIT) as signal:
        reattach.trigger()
    assert signal.args == [orphan.id]


def test_annotation_text_is_shown_as_text(qtbot, world: Research) -> None:
    orphan = _orphan(world.archive)
    pane = _pane(qtbot, world, AnnotationsPane)
    _wait_loaded(qtbot, pane, lambda: pane.show_incident(world.mastung))
    row = pane.model.row_of(orphan.id)
    tooltip = pane.model.index(row, AnnotationsModel.NOTE).data(Qt.ItemDataRole.ToolTipRole)
    assert "lost &lt;b&gt;passage&lt;/b&gt;" in tooltip and "<b>passage" not in tooltip
    assert pane.model.index(row, AnnotationsModel.NOTE).data() == "lost <b>passage</b>"
    assert plain_tooltip("a & b") == "<qt>a &amp; b</qt>"


# -- tags --------------------------------------------------------------------------------------


def _tag_state(archive: Archive) -> list[tuple[int, str, str, int, int]]:
    return [
        (t.id, t.name, t.color, t.incidents, t.annotations)
        for t in research.tags_with_counts(archive)
    ]


def _uses(pane: TagsPane, name: str) -> str:
    tag = pane.tag_named(name)
    assert tag is not None, name
    return pane.model.index(pane.model.row_of(tag.id), 1).data()


def test_tagging_the_shown_incident_from_the_field(qtbot, qtmodeltester, world: Research) -> None:
    pane = _pane(qtbot, world, TagsPane)
    _wait_loaded(qtbot, pane, lambda: pane.show_incident(world.mastung))
    assert pane.model.rowCount() == 0 and pane.field.isEnabled()
    qtbot.keyClicks(pane.field, "suicide bombing, Balochistan")
    _wait_loaded(qtbot, pane, lambda: qtbot.keyClick(pane.field, Qt.Key.Key_Return))
    assert pane.field.text() == ""
    assert [(t.name, t.incidents) for t in research.tags_with_counts(world.archive)] == [
        ("Balochistan", 1),
        ("suicide bombing", 1),
    ]
    assert _uses(pane, "suicide bombing") == "1 incident · 0 annotations"
    assert pane.incident_tag_names() == ["Balochistan", "suicide bombing"]
    chips = pane.chips.findChildren(QWidget, "tagChip")
    assert sorted(chip.property("tagName") for chip in chips) == ["Balochistan", "suicide bombing"]
    qtmodeltester.check(pane.model)

    chip = next(c for c in chips if c.property("tagName") == "Balochistan")
    _wait_loaded(qtbot, pane, chip.click)
    assert pane.incident_tag_names() == ["suicide bombing"]
    assert _uses(pane, "Balochistan") == "0 incidents · 0 annotations"
    _wait_loaded(qtbot, pane, world.stack.undo)
    assert pane.incident_tag_names() == ["Balochistan", "suicide bombing"]
    _wait_loaded(qtbot, pane, world.stack.undo)
    assert research.incident_tags(world.archive, world.mastung) == []


def _tagged(world: Research) -> None:
    research.tag_incident(world.archive, world.balochistan, ["ISKP", "election"])
    research.tag_incident(world.archive, world.mastung, ["IS-K"])
    research.annotate_quote(world.archive, world.mastung, OFFICER, tags=["IS-K", "police"])


def test_rename_merge_and_colour_are_undone_exactly(qtbot, world: Research) -> None:
    _tagged(world)
    pane = _pane(qtbot, world, TagsPane)
    _wait_loaded(qtbot, pane, lambda: pane.show_incident(world.mastung))
    before = _tag_state(world.archive)
    assert _uses(pane, "IS-K") == "1 incident · 1 annotation"

    _wait_loaded(qtbot, pane, lambda: pane.rename_tag("IS-K", "Khorasan Province"))
    assert pane.tag_named("IS-K") is None
    assert _uses(pane, "Khorasan Province") == "1 incident · 1 annotation"
    assert pane.incident_tag_names() == ["Khorasan Province"]
    _wait_loaded(qtbot, pane, world.stack.undo)
    assert _tag_state(world.archive) == before

    # Renaming onto an existing name merges the two tags.
    _wait_loaded(qtbot, pane, lambda: pane.rename_tag("IS-K", "iskp"))
    assert pane.tag_named("IS-K") is None
    assert _uses(pane, "ISKP") == "2 incidents · 1 annotation"
    _wait_loaded(qtbot, pane, world.stack.undo)
    assert _tag_state(world.archive) == before
    assert _uses(pane, "ISKP") == "1 incident · 0 annotations"

    _wait_loaded(qtbot, pane, lambda: pane.merge_tag("IS-K", "ISKP"))
    assert [t.name for t in pane.model.records()] == ["election", "ISKP", "police"]
    assert _uses(pane, "ISKP") == "2 incidents · 1 annotation"
    _wait_loaded(qtbot, pane, world.stack.undo)
    assert _tag_state(world.archive) == before
    _wait_loaded(qtbot, pane, world.stack.redo)
    assert _uses(pane, "ISKP") == "2 incidents · 1 annotation"
    _wait_loaded(qtbot, pane, world.stack.undo)

    tag = pane.tag_named("police")
    assert tag is not None
    _wait_loaded(qtbot, pane, lambda: pane.set_tag_color(tag, "#123456"))
    assert pane.tag_named("police").color == "#123456"
    _wait_loaded(qtbot, pane, world.stack.undo)
    assert _tag_state(world.archive) == before


def test_a_tag_changed_meanwhile_is_a_conflict_and_never_overwritten(
    qtbot, world: Research, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pane renames, merges and recolours from the version it shows; a change someone
    else made since (a teammate, another window) is kept, the user is told, nothing is put
    on the undo stack and the pane shows the tags as they are now."""
    from PySide6.QtWidgets import QMessageBox

    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: said.append(box.text()))
    _tagged(world)
    pane = _pane(qtbot, world, TagsPane)
    _wait_loaded(qtbot, pane, pane.refresh)
    shown = pane.tag_named("police")
    assert shown is not None
    research.set_tag_color(world.archive, shown.id, "#abcdef", shown.version)  # someone else
    for change in (
        lambda: pane.set_tag_color(shown, "#123456"),
        lambda: pane.rename_tag("police", "officers", shown.version),
        lambda: pane.merge_tag("police", "ISKP", shown.version),
    ):
        _wait_loaded(qtbot, pane, change)
        assert said and "“police” was changed meanwhile" in said[-1]
    assert len(said) == 3 and world.stack.count() == 0
    now = pane.tag_named("police")
    assert now is not None and now.color == "#abcdef" and now.version == shown.version + 1
    _wait_loaded(qtbot, pane, lambda: pane.set_tag_color(now, "#123456"))
    assert pane.tag_named("police").color == "#123456" and world.stack.count() == 1


def test_rename_dialog_says_when_it_will_merge(qtbot, world: Research) -> None:
    _tagged(world)
    pane = _pane(qtbot, world, TagsPane)
    _wait_loaded(qtbot, pane, pane.refresh)
    tag = pane.tag_named("IS-K")
    assert tag is not None
    dialog = RenameTagDialog(tag, [t.name for t in pane.model.records()], pane)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.field.setText("Khorasan")
    assert dialog.merge_target() is None and ok.text() == "Rename"
    dialog.field.setText("iskp")
    assert dialog.merge_target() == "ISKP" and ok.text() == "Merge"
    assert "merges “IS-K” into it" in dialog.hint.text()


def test_tag_filter_requests(qtbot, world: Research) -> None:
    _tagged(world)
    pane = _pane(qtbot, world, TagsPane)
    _wait_loaded(qtbot, pane, pane.refresh)
    tag = pane.tag_named("election")
    assert tag is not None
    menu = pane.context_menu(tag)
    show = next(a for a in menu.actions() if a.text() == "Show incidents with this tag")
    with qtbot.waitSignal(pane.tag_filter_requested, timeout=WAIT) as signal:
        show.trigger()
    assert signal.args == ["election"]
    assert pane.filter_bar.isVisible()
    assert pane.clear_filter_action in pane.context_menu(tag).actions()
    with qtbot.waitSignal(pane.tag_filter_requested, timeout=WAIT) as signal:
        pane.clear_filter_action.trigger()
    assert signal.args == [""]
    assert not pane.filter_bar.isVisible()


# -- bookmarks ---------------------------------------------------------------------------------


def test_bookmarks_listed_activated_renamed_and_deleted(
    qtbot, qtmodeltester, world: Research
) -> None:
    whole = research.add_bookmark(world.archive, world.mastung)
    place = research.add_bookmark(world.archive, world.balochistan, "Polling stations", start=120)
    pane = _pane(qtbot, world, BookmarksPane)
    qtbot.waitUntil(lambda: pane.model.rowCount() == 2, timeout=WAIT)
    qtmodeltester.check(pane.model)
    rows = {b.id: r for r, b in enumerate(pane.model.records())}
    cell = pane.model.index
    assert cell(rows[place.id], BookmarksModel.LABEL).data() == "Polling stations"
    assert cell(rows[place.id], BookmarksModel.INCIDENT).data() == BALOCHISTAN
    assert cell(rows[place.id], BookmarksModel.PLACE).data() == "(place in article)"
    assert cell(rows[whole.id], BookmarksModel.PLACE).data() == ""

    with qtbot.waitSignal(pane.bookmark_activated, timeout=WAIT) as signal:
        pane.view.activated.emit(cell(rows[place.id], 0))
    assert signal.args == [world.balochistan, 120]
    with qtbot.waitSignal(pane.bookmark_activated, timeout=WAIT) as signal:
        pane.view.activated.emit(cell(rows[whole.id], 0))
    assert signal.args == [world.mastung, -1]

    _wait_loaded(qtbot, pane, lambda: pane.rename_bookmark(place.id, "Where the polls were"))
    labels = {b.id: b.label for b in research.list_bookmarks(world.archive)}
    assert labels[place.id] == "Where the polls were"
    assert "Where the polls were" in [b.label for b in pane.model.records()]
    _wait_loaded(qtbot, pane, world.stack.undo)
    labels = {b.id: b.label for b in research.list_bookmarks(world.archive)}
    assert labels[place.id] == "Polling stations"

    pane.view.setCurrentIndex(cell(pane.model.row_of(place.id), 0))
    _wait_loaded(qtbot, pane, lambda: qtbot.keyClick(pane.view, Qt.Key.Key_Delete))
    assert [b.id for b in research.list_bookmarks(world.archive)] == [whole.id]
    assert pane.model.rowCount() == 1
    _wait_loaded(qtbot, pane, world.stack.undo)
    assert research.list_bookmarks(world.archive, world.balochistan) == [place]
    _wait_loaded(qtbot, pane, lambda: pane.delete_bookmark(whole.id))
    _wait_loaded(qtbot, pane, world.stack.undo)
    assert len(research.list_bookmarks(world.archive)) == 2


def test_bookmarks_menu(qtbot, world: Research) -> None:
    research.add_bookmark(world.archive, world.mastung)
    research.add_bookmark(world.archive, world.balochistan, "R&D <i>notes</i>", start=50)
    menu = QMenu()
    opened: list[tuple[int, int]] = []
    fill_bookmarks_menu(
        menu, research.list_bookmarks(world.archive), lambda i, s: opened.append((i, s))
    )
    actions = menu.actions()
    assert [a.text() for a in actions] == [
        f"R&&D <i>notes</i> — {BALOCHISTAN}",
        MASTUNG,
    ]
    actions[0].trigger()
    actions[1].trigger()
    assert opened == [(world.balochistan, 50), (world.mastung, -1)]
    empty = QMenu()
    fill_bookmarks_menu(empty, [], lambda i, s: None)
    assert [(a.text(), a.isEnabled()) for a in empty.actions()] == [("No bookmarks", False)]


# -- the note ----------------------------------------------------------------------------------


def _note_editor(qtbot, world: Research, incident_id: int) -> NoteEditor:
    editor = _pane(qtbot, world, NoteEditor)
    _wait_loaded(qtbot, editor, lambda: editor.show_incident(incident_id))
    assert not editor.editor.isReadOnly()
    return editor


def _note(world: Research, incident_id: int) -> str:
    return research.get_note(world.archive, incident_id)[0]


def _found_by_notes(world: Research, word: str) -> list[str]:
    return [r.title for r in catalog.search(world.archive, f"notes:{word}").results]


def test_note_is_saved_as_the_user_types(qtbot, world: Research) -> None:
    editor = _note_editor(qtbot, world, world.mastung)
    qtbot.keyClicks(editor.editor, "Ammonium nitrate suspected")
    assert editor.status.text() == "Saving…"
    qtbot.waitUntil(
        lambda: _note(world, world.mastung) == "Ammonium nitrate suspected", timeout=WAIT
    )
    assert editor.status.text() == "Saved"
    assert _found_by_notes(world, "ammonium") == [MASTUNG]
    qtbot.keyClicks(editor.editor, "; two devices")
    qtbot.waitUntil(lambda: _note(world, world.mastung).endswith("two devices"), timeout=WAIT)
    assert world.stack.count() == 1  # the edits of one note are one undo step

    _wait_loaded(qtbot, editor, world.stack.undo)
    assert _note(world, world.mastung) == "" and editor.text() == ""
    assert _found_by_notes(world, "ammonium") == []
    _wait_loaded(qtbot, editor, world.stack.redo)
    assert editor.text() == "Ammonium nitrate suspected; two devices"


def test_switching_incidents_and_focus_out_save_at_once(qtbot, world: Research) -> None:
    research.save_note(world.archive, world.balochistan, "Earlier note on polling")
    editor = _note_editor(qtbot, world, world.mastung)
    qtbot.keyClicks(editor.editor, "Gashkori")
    _wait_loaded(qtbot, editor, lambda: editor.show_incident(world.balochistan))
    assert _note(world, world.mastung) == "Gashkori"  # saved before the switch, not later
    assert editor.text() == "Earlier note on polling"

    editor.editor.moveCursor(editor.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor.editor, " stations")
    QApplication.sendEvent(editor.editor, QFocusEvent(QEvent.Type.FocusOut))
    assert _note(world, world.balochistan) == "Earlier note on polling stations"
    assert world.stack.count() == 2

    _wait_loaded(qtbot, editor, world.stack.undo)
    assert editor.text() == "Earlier note on polling"
    assert _note(world, world.balochistan) == "Earlier note on polling"
    world.stack.undo()
    assert _note(world, world.mastung) == ""

    editor.markdown.setChecked(True)  # the format is saved at once
    assert research.get_note(world.archive, world.balochistan) == (
        "Earlier note on polling",
        "markdown",
    )


def test_a_failed_save_keeps_the_text_and_retries(
    qtbot, world: Research, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = _note_editor(qtbot, world, world.mastung)
    real_save = research.save_note

    def full_disk(*args: object, **kwargs: object) -> None:
        raise ArchiveError("The disk holding the archive is full.")

    monkeypatch.setattr(research, "save_note", full_disk)
    qtbot.keyClicks(editor.editor, "Important finding")
    qtbot.waitUntil(lambda: editor.status.text().startswith("Not saved"), timeout=WAIT)
    assert "disk holding the archive is full" in editor.status.text()
    assert editor.status.palette().color(editor.status.foregroundRole()) == QColor("#d32f2f")
    assert editor.text() == "Important finding"
    assert world.stack.count() == 0  # nothing to undo: nothing was done
    assert editor.has_unsaved_changes()

    monkeypatch.setattr(research, "save_note", real_save)
    qtbot.keyClicks(editor.editor, "!")
    qtbot.waitUntil(lambda: _note(world, world.mastung) == "Important finding!", timeout=WAIT)
    assert editor.status.text() == "Saved" and not editor.has_unsaved_changes()
    assert world.stack.count() == 1
    world.stack.undo()
    assert _note(world, world.mastung) == ""


def test_a_failed_save_survives_switching_incidents(
    qtbot, world: Research, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = _note_editor(qtbot, world, world.mastung)
    real_save = research.save_note

    def locked(*args: object, **kwargs: object) -> None:
        raise ArchiveError("The archive is locked by another program.")

    monkeypatch.setattr(research, "save_note", locked)
    qtbot.keyClicks(editor.editor, "Do not lose me")
    assert not editor.flush()
    _wait_loaded(qtbot, editor, lambda: editor.show_incident(world.balochistan))
    assert editor.has_unsaved_changes()
    _wait_loaded(qtbot, editor, lambda: editor.show_incident(world.mastung))
    assert editor.text() == "Do not lose me"  # still failing: the typed text comes back
    _wait_loaded(qtbot, editor, lambda: editor.show_incident(world.balochistan))

    monkeypatch.setattr(research, "save_note", real_save)
    assert editor.flush()  # as the window does before closing: the other note is saved
    assert _note(world, world.mastung) == "Do not lose me"
    assert not editor.has_unsaved_changes()
    world.stack.undo()
    assert _note(world, world.mastung) == ""


def test_markdown_preview_loads_nothing(qtbot, world: Research, tmp_path: Path) -> None:
    image = tmp_path / "secret.png"
    picture = QImage(8, 8, QImage.Format.Format_RGB32)
    picture.fill(QColor("red"))
    assert picture.save(str(image))
    url = QUrl.fromLocalFile(str(image))
    editor = _note_editor(qtbot, world, world.mastung)
    editor.markdown.setChecked(True)
    editor.editor.setPlainText(
        f"**Bold** claim\n\n![seen]({url.toString()}) and ![plain path]({image})\n\n<b>raw</b>"
    )
    editor.preview_button.setChecked(True)
    assert editor.pages.currentWidget() is editor.preview
    document = editor.preview.document()
    assert "Bold claim" in document.toPlainText()
    assert "<b>raw</b>" in document.toPlainText()  # HTML in a note stays text
    assert "[picture not shown: " in document.toPlainText()
    editor.preview.grab()  # laying it out and painting it reads no file
    editor.preview.grab()
    image_resource = QTextDocument.ResourceType.ImageResource.value
    assert document.resource(image_resource, url) is None
    for address in (url, QUrl(str(image))):
        assert editor.preview.document().resource(image_resource, address) is None
    assert research.get_note(world.archive, world.mastung)[1] == "markdown"


# -- pushing changes ---------------------------------------------------------------------------


def test_a_change_that_fails_is_not_left_on_the_stack(world: Research) -> None:
    """Qt keeps a command whose redo raised inside push() on the stack (undo would then undo
    what never happened) and, with a mergeable command on top, PySide can crash on a later
    push: push_change makes the failed command obsolete instead."""
    archive, events, stack = world.archive, world.events, world.stack
    note = (world.mastung, ("", "plain"), ("first", "plain"))
    assert push_change(stack, undo.SaveNote, archive, events, *note) is None
    error = push_change(stack, undo.DeleteBookmark, archive, events, 12345)
    assert isinstance(error, research.ResearchError) and "no bookmark" in str(error)
    assert stack.count() == 1 and stack.undoText() == "Edit note"
    later = (world.mastung, ("first", "plain"), ("first, then more", "plain"))
    assert push_change(stack, undo.SaveNote, archive, events, *later) is None
    assert stack.count() == 1  # merged into the first edit of the note
    stack.undo()
    assert _note(world, world.mastung) == ""
    stack.redo()
    assert _note(world, world.mastung) == "first, then more"


def test_annotation_columns_follow_the_pane_width(qtbot, world: Research) -> None:
    """The passage keeps the most room at every width (measured against the viewport after
    each resize: a dock shown from behind a tab used to leave every column 24 px wide)."""
    pane = _pane(qtbot, world, AnnotationsPane)
    header = pane.view.header()
    for width in (300, 900, 420):
        pane.resize(width, 420)
        qtbot.waitUntil(lambda w=width: pane.view.viewport().width() < w)
        viewport = pane.view.viewport().width()
        quote = header.sectionSize(AnnotationsModel.QUOTE)
        text_columns = (AnnotationsModel.NOTE, AnnotationsModel.TAGS)
        assert quote > max(header.sectionSize(c) for c in text_columns)
        used = sum(
            header.sectionSize(c)
            for c in range(pane.model.columnCount())
            if not pane.view.isColumnHidden(c)
        )
        assert viewport - 8 <= used <= viewport, (width, viewport, used)


def test_annotations_filtered_by_author(qtbot, world: Research) -> None:
    archive = world.archive
    mastung = catalog.find_incident(archive, "2023 Mastung bombing").id
    mine = research.annotate_quote(archive, mastung, "Mastung", occurrence=1)
    with open_archive(archive.path, user="teammate") as other:
        theirs = research.annotate_quote(other, mastung, "Mastung", occurrence=2)
    assert theirs.author == "teammate" and mine.author == archive.user != "teammate"
    pane = _pane(qtbot, world, AnnotationsPane)
    _wait_loaded(qtbot, pane, lambda: pane.set_mode(AnnotationsPane.ALL_INCIDENTS))
    qtbot.waitUntil(lambda: pane.author_filter.count() == 3, timeout=WAIT)
    assert pane.author_filter.isVisibleTo(pane)
    index = pane.author_filter.findData("teammate")
    _wait_loaded(qtbot, pane, lambda: pane.author_filter.setCurrentIndex(index))
    assert [pane.model.annotation(row).id for row in range(pane.model.rowCount())] == [theirs.id]


def test_the_note_pane_shows_every_authors_note_and_edits_only_ones_own(
    qtbot, world: Research
) -> None:
    archive = world.archive
    mastung = catalog.find_incident(archive, "2023 Mastung bombing").id
    with open_archive(archive.path, user="teammate") as other:
        research.save_note(other, mastung, "<b>the teammate's</b> view")
    research.save_note(archive, mastung, "my own view")
    editor = _pane(qtbot, world, NoteEditor)
    _wait_loaded(qtbot, editor, lambda: editor.show_incident(mastung))
    assert editor.text() == "my own view" and not editor.editor.isReadOnly()
    assert editor.others.isVisibleTo(editor) and editor.others.isReadOnly()
    shown = editor.others.toPlainText()
    assert "teammate" in shown and "<b>the teammate's</b> view" in shown  # as text, inert
    assert "my own view" not in shown
