"""Corrections and sources in the window: from the infobox card, shown as corrected with the
article's words kept, undoable; Copy Citation and Copy Quote with Citation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QDialog

from db import Archive
from viewer.services import catalog, sources
from viewer.services.incident_table import TABLE_COLUMNS
from viewer.ui.main_window import MainWindow
from viewer.ui.settings import Settings
from viewer.ui.workbench_dialogs import CorrectionDialog, SourceDialog

MASTUNG = "2023 Mastung bombing"
WAIT = 10000


@pytest.fixture
def window(qtbot: Any, tmp_path: Path, seeded_archive: Archive) -> Iterator[MainWindow]:
    main = MainWindow(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(main)
    main.show()
    with qtbot.waitSignal(main.archive_opened, timeout=WAIT):
        main.open_archive(seeded_archive.path)
    mastung = catalog.find_incident(seeded_archive, MASTUNG).id
    with qtbot.waitSignal(main.incident_shown, timeout=WAIT):
        main.open_incident(mastung)
    yield main
    main.close()


def _fact_point(window: MainWindow, label: str) -> QPoint:
    """Where the value of the infobox card's row with this label is on screen."""
    document = window.reader.browser.document()
    cursor = document.find(label)
    assert not cursor.isNull()
    cursor.movePosition(QTextCursor.MoveOperation.NextCell)
    cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
    return window.reader.browser.cursorRect(cursor).center()


def _fact_text(window: MainWindow, label: str) -> str:
    view = window.reader.view
    assert view is not None
    fact = next(f for f in view.facts if f.label == label)
    return fact.shown + (" ✎" if fact.corrected else "")


def test_double_click_on_a_fact_corrects_it_and_undo_takes_it_back(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    point = _fact_point(window, "Fatalities")
    assert window.reader.fact_field_at(point) == "fatalities"

    def answer(dialog: CorrectionDialog) -> int:
        assert dialog.field == "fatalities" and dialog.value.text() == "60"
        assert "The article says: 60" in dialog.article.text()
        dialog.value.setText("61")
        dialog.note.setText("Dawn, 2 October")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(CorrectionDialog, "exec", answer)
    with qtbot.waitSignal(window.incident_shown, timeout=WAIT):
        qtbot.mouseDClick(window.reader.browser.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert _fact_text(window, "Fatalities") == "61 ✎"
    assert "61 ✎" in window.reader.browser.toPlainText()
    assert "killed: 61" in window.reader.view.subtitle  # type: ignore[union-attr]
    model = window.table.model
    killed = model.index(0, TABLE_COLUMNS.index("killed"))
    qtbot.waitUntil(lambda: killed.data() == "61", timeout=WAIT)
    assert killed.data(Qt.ItemDataRole.FontRole).italic()
    assert "Dawn, 2 October" in killed.data(Qt.ItemDataRole.ToolTipRole)
    with qtbot.waitSignal(window.incident_shown, timeout=WAIT):
        window.undo_action.trigger()
    assert _fact_text(window, "Fatalities") == "60"
    with qtbot.waitSignal(window.incident_shown, timeout=WAIT):
        window.redo_action.trigger()
    assert _fact_text(window, "Fatalities") == "61 ✎"


def test_a_value_that_cannot_be_read_keeps_the_dialog_open(qtbot: Any, window: MainWindow) -> None:
    view = window.reader.view
    assert view is not None
    dialog = CorrectionDialog("date", view.facts, window)
    qtbot.addWidget(dialog)
    dialog.value.setText("last Tuesday")
    dialog.buttons.accepted.emit()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.isVisibleTo(dialog) and "cannot be read" in dialog.error.text()
    assert not dialog.remove_button.isVisibleTo(dialog)  # nothing corrected yet


def test_copy_citation_and_quote(qtbot: Any, window: MainWindow, monkeypatch: Any) -> None:
    archive = window.archive
    assert archive is not None and window.current_id is not None

    def answer(dialog: SourceDialog) -> int:
        dialog.url.setText("https://en.wikipedia.org/wiki/2023_Mastung_bombing")
        dialog.accessed.setText("2024-05-01")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SourceDialog, "exec", answer)
    with qtbot.waitSignal(window.incident_shown, timeout=WAIT):
        window.workbench.source_action.trigger()
    view = sources.source_view(archive, window.current_id)
    assert view is not None and view.given == {"url", "accessed"}  # the site was found
    assert "en.wikipedia.org" in window.reader.browser.toPlainText()  # the source line
    window.workbench.cite_action.trigger()
    clipboard = QApplication.clipboard().text()
    assert clipboard.startswith("“2023 Mastung bombing.” Wikipedia. https://en.wikipedia.org")
    reader = window.reader
    assert reader.view is not None
    start = reader.view.body.index("suicide")
    reader.browser.setTextCursor(reader.body_cursor(start, start + len("suicide bombing")))
    window.workbench.quote_action.trigger()
    assert QApplication.clipboard().text().startswith("“suicide bombing” — “2023 Mastung")
