"""Two lanes of work in the window: the views read while a long job runs, and a research
change from the window goes in during an import (the import gives way between articles).

The import is held inside its write (a batch's transaction open, SQLite's write lock taken)
at a chosen article until the test lets it go on, so what the window does meanwhile is
shown to happen during the import, not after it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from db import Archive
from tests.conftest import mastung_copies
from viewer.services import catalog, importing, preparing, research
from viewer.ui import importer
from viewer.ui.main_window import MainWindow
from viewer.ui.research import undo
from viewer.ui.settings import Settings

WAIT = 20000


@pytest.fixture
def window(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    monkeypatch.setenv(preparing.WORKERS_VARIABLE, "0")  # files read on the import's thread
    main = MainWindow(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(main)
    main.importer.show_summary = False
    main.show()
    yield main
    main.close()


class HeldImport:
    """Holds the import after it has written article number `at` (in the open batch) until
    go_on is set; `stored` counts the articles written."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *stops: int) -> None:
        self.stored = 0
        self.reached = {at: threading.Event() for at in stops}
        self.go_on = {at: threading.Event() for at in stops}
        real = importing._store

        def store(writer: object, item: object, report: object) -> None:
            real(writer, item, report)  # type: ignore[arg-type]
            self.stored += 1
            if self.stored in self.reached:
                self.reached[self.stored].set()
                assert self.go_on[self.stored].wait(30), "the test never let the import go on"

        monkeypatch.setattr(importing, "_store", store)

    def release_all(self) -> None:
        for event in self.go_on.values():
            event.set()


def _articles(tmp_path: Path, seeds_dir: Path, count: int) -> Path:
    return mastung_copies(tmp_path / "incoming", seeds_dir, count, "Incoming attack")


def _open(qtbot, window: MainWindow, archive: Archive) -> None:
    with qtbot.waitSignal(window.archive_opened, timeout=WAIT):
        window.open_archive(archive.path)


def test_the_reader_and_the_count_are_shown_while_an_import_holds_the_write_lock(
    qtbot, window: MainWindow, seeded_archive: Archive, tmp_path: Path, seeds_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    _open(qtbot, window, seeded_archive)
    mastung = catalog.find_incident(seeded_archive, "2023 Mastung bombing").id
    held = HeldImport(monkeypatch, 2)
    try:
        assert window.import_paths([str(_articles(tmp_path, seeds_dir, 6))])
        assert held.reached[2].wait(WAIT / 1000)
        dialog = window.importer.dialog  # its progress does not keep the window from use
        assert dialog is not None and dialog.windowModality() == Qt.WindowModality.NonModal
        # the import's job is running (its batch open, the write lock taken): the views'
        # reads run on the other lane, beside it
        with qtbot.waitSignal(window.incident_shown, timeout=WAIT):
            window.open_incident(mastung)
        assert window.reader.view is not None and window.reader.view.id == mastung
        window.count_label.clear()
        window.refresh_count()
        qtbot.waitUntil(lambda: window.count_label.text() == "2 incidents", timeout=WAIT)
        assert window.importer.running and held.stored == 2
        # a second import waits for this one's end, and the window says so
        assert not window.import_paths([str(tmp_path)])
        assert "An import is running" in window.statusBar().currentMessage()
    finally:
        held.release_all()
    with qtbot.waitSignal(window.importer.finished, timeout=WAIT) as finished:
        pass
    assert finished.args[0].imported == 6
    qtbot.waitUntil(lambda: window.count_label.text() == "8 incidents", timeout=WAIT)


def test_a_tag_from_the_window_goes_in_between_two_articles_of_an_import(
    qtbot, window: MainWindow, seeded_archive: Archive, tmp_path: Path, seeds_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """The tag is written on the GUI thread through the undo stack, as the Tags pane does,
    while the import holds the write lock: the import commits the articles it has written,
    lets the tag in, and goes on; nothing waits for the import's end."""
    refusals: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: refusals.append(str(args[2])))
    _open(qtbot, window, seeded_archive)
    archive = window.archive
    assert archive is not None
    mastung = catalog.find_incident(seeded_archive, "2023 Mastung bombing").id
    held = HeldImport(monkeypatch, 2, 4)

    def let_the_import_go_on_once_the_tag_waits() -> None:
        deadline = time.monotonic() + 10
        while not archive.turns.wanted and time.monotonic() < deadline:
            time.sleep(0.001)
        held.go_on[2].set()  # the import finishes article 2 and sees the tag waiting

    try:
        assert window.import_paths([str(_articles(tmp_path, seeds_dir, 6))])
        assert held.reached[2].wait(WAIT / 1000)
        helper = threading.Thread(target=let_the_import_go_on_once_the_tag_waits)
        helper.start()
        assert window.push_research(
            undo.TagIncident, archive, window.events, mastung, ["during import"]
        )
        helper.join(10)
        assert refusals == []
        # written and committed: another connection sees it, while the import still runs
        assert [t.name for t in research.tags_with_counts(seeded_archive)] == ["during import"]
        assert window.importer.running and held.stored <= 4
        # the articles written before the tag were committed when the import gave way, and
        # the window shows them while the import goes on
        committed = catalog.count(seeded_archive)
        assert 2 + 2 <= committed <= 2 + held.stored
        monkeypatch.setattr(importer, "SHOWN_EVERY_S", 0.0)
        window.importer.written.emit(held.stored)
        qtbot.waitUntil(lambda: window.count_label.text() == f"{committed} incidents", timeout=WAIT)
        qtbot.waitUntil(lambda: window.table.model.rowCount() == committed, timeout=WAIT)
        assert window.importer.running
    finally:
        held.release_all()
    with qtbot.waitSignal(window.importer.finished, timeout=WAIT) as finished:
        pass
    assert finished.args[0].imported == 6
    assert catalog.count(seeded_archive) == 8
    window.undo_action.trigger()  # the change is an ordinary step of the undo stack
    assert research.tags_with_counts(seeded_archive)[0].incidents == 0


def test_the_window_reads_tags_bookmarks_and_orphans_on_the_worker(
    qtbot, window: MainWindow, seeded_archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The annotation dialog's known tags, the tag filter's incidents, the orphaned
    annotations of a re-attach and the Bookmarks menu are read off the GUI thread, and each
    still does what it did."""
    from PySide6.QtWidgets import QDialog

    from viewer.ui.annotate import AnnotationDialog

    list_annotations = research.list_annotations  # the test's own check, not watched
    on_gui_thread: list[str] = []
    for name in ("tags_with_counts", "tagged_incidents", "list_annotations", "list_bookmarks"):
        real = getattr(research, name)

        def watched(*args: object, _real=real, _name=name, **kwargs: object) -> object:
            if threading.current_thread() is threading.main_thread():
                on_gui_thread.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(research, name, watched)
    offered: list[list[str]] = []

    def accept(dialog: AnnotationDialog) -> int:
        completer = dialog.tags.completer()
        offered.append(completer.model().stringList() if completer else [])  # type: ignore[attr-defined]
        dialog.tags.setText("casualties")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AnnotationDialog, "exec", accept)
    _open(qtbot, window, seeded_archive)
    mastung = catalog.find_incident(seeded_archive, "2023 Mastung bombing").id
    window.push_research(undo.TagIncident, window.archive, window.events, mastung, ["verified"])
    window.push_research(undo.AddBookmark, window.archive, window.events, mastung, "Mastung")
    with qtbot.waitSignal(window.incident_shown, timeout=WAIT):
        window.open_incident(mastung)
    with qtbot.waitSignal(window.events.annotations_changed, timeout=WAIT):
        window.annotate(0, 4, "")  # no colour: the dialog asks, offering the known tags
    assert offered == [["verified"]]
    assert [a.tags for a in list_annotations(seeded_archive)] == [["casualties"]]
    window.filter_by_tag("verified")
    qtbot.waitUntil(lambda: window.timeline.emphasis == frozenset({mastung}), timeout=WAIT)
    window.pending_reattach = None
    window.reattach(0, 4)  # no orphan: the status bar says to choose one
    qtbot.waitUntil(lambda: "orphaned" in window.statusBar().currentMessage(), timeout=WAIT)
    qtbot.waitUntil(lambda: len(window.bookmarks_pane.model.records()) == 1, timeout=WAIT)
    window.bookmarks_menu.aboutToShow.emit()
    entries = [action.text() for action in window.bookmarks_menu.actions()]
    assert "Mastung — 2023 Mastung bombing" in entries
    assert on_gui_thread == []


def test_the_archive_stays_while_an_import_runs_and_the_counts_follow_it(
    qtbot, window: MainWindow, seeded_archive: Archive, tmp_path: Path, seeds_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """File > New, Open, Open Team Archive and Open Recent are off during an import and say
    why; opening an archive meanwhile (Open Recent's list) is refused with that reason; the
    Collections pane's counts follow what the import commits, its choice left alone."""
    from viewer.services import collections

    _open(qtbot, window, seeded_archive)
    archive = window.archive
    assert archive is not None
    mastung = catalog.find_incident(seeded_archive, "2023 Mastung bombing").id
    collections.add_to_collection(seeded_archive, "Study", [mastung])
    (study,) = collections.collections_with_counts(seeded_archive)
    window.collections.refresh()
    pane = window.collections.pane
    qtbot.waitUntil(lambda: pane.item_for("collection", study.id) is not None, timeout=WAIT)
    assert pane.choose("collection", study.id)
    switching = (
        window.new_action,
        window.open_action,
        window.open_team_action,
        window.recent_menu.menuAction(),
    )
    tips = [action.statusTip() for action in switching]
    assert all(action.isEnabled() for action in switching)
    chosen: list[object] = []
    pane.scope_chosen.connect(lambda *args: chosen.append(args))
    held = HeldImport(monkeypatch, 2, 4)
    try:
        assert window.import_paths([str(_articles(tmp_path, seeds_dir, 6))])
        assert held.reached[2].wait(WAIT / 1000)
        for action in switching:
            assert not action.isEnabled()
            assert "An import is running" in action.toolTip()
            assert "An import is running" in action.statusTip()
        assert "open or start another archive" in window.statusBar().currentMessage()
        other = tmp_path / "other.sqlite"
        window.open_archive(other)
        assert "An import is running" in window.statusBar().currentMessage()
        assert not other.exists() and window.archive is archive
        # the import commits the two articles written so far (it gives way to a change)
        held.go_on[2].set()
        with archive.write():
            pass
        qtbot.waitUntil(lambda: catalog.count(seeded_archive) >= 4, timeout=WAIT)
        committed = catalog.count(seeded_archive)
        monkeypatch.setattr(importer, "SHOWN_EVERY_S", 0.0)
        window.importer.written.emit(held.stored)
        qtbot.waitUntil(lambda: pane._all.text(1) == f"{committed:,}", timeout=WAIT)
        assert pane.chosen()[:2] == ("collection", study.id) and chosen == []
        assert window.importer.running
    finally:
        held.release_all()
    with qtbot.waitSignal(window.importer.finished, timeout=WAIT):
        pass
    assert all(action.isEnabled() for action in switching)
    assert [action.statusTip() for action in switching] == tips
    qtbot.waitUntil(lambda: pane._all.text(1) == "8", timeout=WAIT)


def test_the_progress_dialog_shows_the_newest_progress_not_every_one(
    qtbot, window: MainWindow, seeded_archive: Archive, tmp_path: Path, seeds_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """An import reports every file; the dialog says where it is at most every
    PROGRESS_EVERY_MS (each label lays the dialog out on the GUI thread), the first and the
    newest always."""
    _open(qtbot, window, seeded_archive)
    held = HeldImport(monkeypatch, 1)
    written: list[int] = []
    window.importer.written.connect(written.append)
    try:
        assert window.import_paths([str(_articles(tmp_path, seeds_dir, 2))])
        assert held.reached[1].wait(WAIT / 1000)
        # the import's own progress, sent before it stopped, is shown before the test's
        QApplication.processEvents()
        qtbot.waitUntil(lambda: not window.importer._progress_timer.isActive(), timeout=WAIT)
        written.clear()
        for number in range(1, 201):
            window.importer._relay.progressed.emit(
                importing.ImportProgress(number - 1, 200, f"/corpus/article-{number}.txt", number)
            )
        assert written == [1]  # the first at once; the others wait for the timer
        qtbot.waitUntil(lambda: len(written) >= 2, timeout=WAIT)
        assert written == [1, 200], written
        dialog = window.importer.dialog
        assert dialog is not None and "File 200 of 200: article-200.txt" in dialog.labelText()
    finally:
        held.release_all()
    with qtbot.waitSignal(window.importer.finished, timeout=WAIT):
        pass
