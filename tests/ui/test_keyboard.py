"""The keyboard: every key press reaches one action, Redo fires, Tab and Down move focus
where a keyboard user expects, Open never creates a file; the Help menu's pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand
from PySide6.QtWidgets import QFileDialog, QMessageBox

from db import Archive
from viewer.ui.help import ShortcutsDialog, TextDialog, shortcut_rows, user_guide_text
from viewer.ui.main_window import MainWindow
from viewer.ui.settings import Settings

# What a US keyboard sends for Shift+key: Ctrl+Shift+= arrives as Ctrl++ (and Qt matches both)
_SHIFTED = {"=": "+", "-": "_", "0": ")", "1": "!", "/": "?", ";": ":", ",": "<", ".": ">"}


def _key_press(sequence: QKeySequence) -> str:
    text = sequence.toString(QKeySequence.SequenceFormat.PortableText)
    parts = text.split("+") if text != "+" else ["+"]
    if text.endswith("++"):
        parts = [*text[:-2].split("+"), "+"]
    mods, key = set(parts[:-1]), parts[-1]
    if "Shift" in mods and key in _SHIFTED:
        mods.discard("Shift")
        key = _SHIFTED[key]
    return "+".join([*sorted(mods), key])


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    main = MainWindow(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.close()


def _open(qtbot, window: MainWindow, archive: Archive) -> None:
    with qtbot.waitSignal(window.archive_opened, timeout=10000):
        window.open_archive(archive.path)


def test_no_key_press_reaches_two_actions(window: MainWindow) -> None:
    owners: dict[str, list[str]] = {}
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            owners.setdefault(_key_press(sequence), []).append(action.text())
    ambiguous = {key: names for key, names in owners.items() if len(names) > 1}
    assert ambiguous == {}
    assert _key_press(QKeySequence("Ctrl+Shift+=")) == _key_press(QKeySequence("Ctrl++"))


def test_redo_has_distinct_keys_and_both_fire(qtbot, window: MainWindow) -> None:
    keys = [s.toString() for s in window.redo_action.shortcuts()]
    assert keys == ["Ctrl+Shift+Z", "Ctrl+Y"]
    done: list[str] = []

    class Step(QUndoCommand):
        def redo(self) -> None:
            done.append("redo")

        def undo(self) -> None:
            done.append("undo")

    window.undo_stack.push(Step())
    window.activateWindow()
    qtbot.waitActive(window)
    for key, mods in (
        (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
        (Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier),
    ):
        window.undo_stack.undo()
        qtbot.keyClick(window.reader.browser, key, mods)
        assert done[-1] == "redo", key
    assert window.timeline_in_action.shortcut().toString() == "Alt+="


def test_tab_leaves_the_note_editor(qtbot, window: MainWindow, seeded_archive: Archive) -> None:
    _open(qtbot, window, seeded_archive)
    with qtbot.waitSignal(window.incident_shown, timeout=10000):
        window.open_incident(1)
    window.note_dock.show()
    window.note_dock.raise_()
    window.activateWindow()
    qtbot.waitActive(window)
    editor = window.note_editor.editor
    qtbot.waitUntil(lambda: window.note_editor._loaded and not editor.isReadOnly())
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    qtbot.keyClicks(editor, "a")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == "a"
    assert not editor.hasFocus()


def test_down_from_the_search_field_reaches_the_results(
    qtbot, window: MainWindow, seeded_archive: Archive
) -> None:
    _open(qtbot, window, seeded_archive)
    window.activateWindow()
    qtbot.waitActive(window)
    window.focus_search()
    with qtbot.waitSignal(window.search.results_changed, timeout=10000):
        qtbot.keyClicks(window.search.field, "attack")
        qtbot.keyClick(window.search.field, Qt.Key.Key_Return)
    assert window.search.model.rowCount() > 0
    qtbot.keyClick(window.search.field, Qt.Key.Key_Down)
    assert window.search.results.hasFocus()
    assert window.search.results.currentIndex().row() == 0
    with qtbot.waitSignal(window.incident_shown, timeout=10000):
        qtbot.keyClick(window.search.results, Qt.Key.Key_Return)


def test_open_archive_never_creates_a_file(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    missing = tmp_path / "typo.sqlite"
    asked: list[str] = []
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(missing), ""))
    )
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(missing), ""))
    )
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda _p, _t, text, *a: asked.append(text))
    )
    window.open_action.trigger()
    qtbot.wait(200)
    window.runner.shutdown()
    assert not missing.exists()
    assert asked and "New Archive" in asked[0]


def test_new_archive_creates_one_and_refuses_an_existing_file(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch, seeded_archive: Archive
) -> None:
    target = tmp_path / "fresh.sqlite"
    asked: list[str] = []
    chosen = [str(seeded_archive.path)]
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (chosen[0], ""))
    )
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda _p, _t, text, *a: asked.append(text))
    )
    window.new_action.trigger()
    assert asked and "already exists" in asked[0]
    chosen[0] = str(target)
    with qtbot.waitSignal(window.archive_opened, timeout=10000):
        window.new_action.trigger()
    assert target.is_file()


def test_keyboard_shortcuts_are_read_from_the_actions(qtbot, window: MainWindow) -> None:
    extra = QAction("Something New", window)
    extra.setShortcut(QKeySequence("Ctrl+Alt+J"))

    class Named(QUndoCommand):
        def redo(self) -> None:
            pass

        def undo(self) -> None:
            pass

    window.undo_stack.push(Named("Bookmark"))
    assert window.undo_action.text() == "&Undo Bookmark"
    rows = shortcut_rows(window)
    found = {(r.command, r.keys) for r in rows}
    assert ("Redo", "Ctrl+Shift+Z, Ctrl+Y") in found
    assert ("Undo", "Ctrl+Z") in found  # not "Undo Bookmark"
    assert ("Something New", "Ctrl+Alt+J") in found
    assert any(r.menu == "Edit" and r.command == "Find in Article" for r in rows)
    window.help.shortcuts_action.trigger()
    dialog = window.help.dialog
    assert isinstance(dialog, ShortcutsDialog)
    assert dialog.table.rowCount() == len(rows)
    dialog.filter.setText("redo")
    shown = [r for r in range(dialog.table.rowCount()) if not dialog.table.isRowHidden(r)]
    assert [getattr(dialog.table.item(r, 1), "text", str)() for r in shown] == ["Redo"]
    dialog.close()


def test_every_key_the_user_guide_names_is_bound(window: MainWindow) -> None:
    bound = {_key_press(QKeySequence(k.strip())) for r in shortcut_rows(window) for k in
             r.keys.split(",")}  # fmt: skip
    named = set(re.findall(r"\b(?:(?:Ctrl|Alt|Shift)\+)+(?:[A-Z0-9=/,]\b|\+|-)|\bF\d\b",
                           user_guide_text()))  # fmt: skip
    assert named, "the guide names keys"
    missing = {k for k in named if _key_press(QKeySequence(k)) not in bound}
    assert missing == set()


def test_user_guide_and_about(qtbot, window: MainWindow) -> None:
    window.help.guide_action.trigger()
    guide = window.help.dialog
    assert isinstance(guide, TextDialog)
    assert "Your research layer" in guide.browser.toPlainText()
    guide.close()
    window.help.about_action.trigger()
    about = window.help.dialog
    assert isinstance(about, TextDialog)
    text = about.browser.toPlainText()
    for expected in ("Python", "Qt", "PySide6", "SQLite", "GPL-3.0-or-later", "CC BY-SA 4.0"):
        assert expected in text
    about.close()
