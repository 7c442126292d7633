"""The research note of the shown incident: saved as the researcher types, Markdown
previewed without loading or running anything."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl
from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QStackedWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from db.errors import ArchiveError
from viewer.ui.deferred import deferred
from viewer.ui.research import undo
from viewer.ui.research.base import ResearchPane
from viewer.ui.research.undo import ResearchEvents, push_change
from viewer.ui.research.widgets import set_tone, translate
from viewer.ui.richtext import plain_tooltip

if TYPE_CHECKING:
    from viewer.services import research
else:
    research = deferred("viewer.services.research")

log = logging.getLogger("viewer.ui.research")
NOTE_SAVE_DELAY_MS = 700
OBJECT_CHARACTER = "\ufffc"  # stands for a picture (or other object) in a QTextDocument


class _InertDocument(QTextDocument):
    """A document that asks nobody for a resource (an image, a style sheet...)."""

    def loadResource(self, kind: int, name: QUrl | str) -> Any:
        return None


def inert_markdown(text: str, parent: QObject | None = None) -> QTextDocument:
    """Markdown rendered into a document that shows no picture and runs no HTML.

    Raw HTML stays text (MarkdownNoHTML). Overriding loadResource is not enough for
    pictures: Qt's image handler reads a local file itself when no resource is found. So
    every picture is replaced by a text placeholder before anything lays the document out.
    """
    document = _InertDocument(parent)
    document.setMarkdown(
        text,
        QTextDocument.MarkdownFeature.MarkdownDialectGitHub
        | QTextDocument.MarkdownFeature.MarkdownNoHTML,
    )
    plain = document.toPlainText()
    cursor = QTextCursor(document)
    position = plain.rfind(OBJECT_CHARACTER)
    while position != -1:
        cursor.setPosition(position + 1)  # charFormat() is the character's before the cursor
        image = cursor.charFormat()
        if image.isImageFormat():
            cursor.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
            placeholder = QTextCharFormat()
            placeholder.setFontItalic(True)
            name = image.toImageFormat().name()
            cursor.insertText(translate("[picture not shown: {0}]").format(name), placeholder)
        position = plain.rfind(OBJECT_CHARACTER, 0, position)
    return document


class NotePreview(QTextBrowser):
    """Shows a Markdown note rendered, loading and opening nothing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocument(_InertDocument(self))
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)

    def loadResource(self, kind: int, name: QUrl | str) -> Any:
        return None

    def show_markdown(self, text: str) -> None:
        previous = self.document()
        self.setDocument(inert_markdown(text, self))
        previous.deleteLater()


class NoteEditor(ResearchPane):
    """The research note of the shown incident, saved as the researcher types.

    Saving is an undoable SaveNote (consecutive saves of one note merge into one undo
    step): ~0.7 s after the last keystroke, and at once when the editor loses focus, another
    incident is shown, or flush() is called. A failed save keeps the text, says so in red,
    and is tried again on the next edit (or when coming back to the incident).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._incident_id: int | None = None
        self._loaded = False
        self._saved: tuple[str, str] = ("", "plain")
        self._setting = False
        self._own_change = False
        self._read_only = False
        # Notes whose save failed, by incident: (text and format before, what was typed).
        self._unsaved: dict[int, tuple[tuple[str, str], tuple[str, str]]] = {}

        self.editor = QPlainTextEdit(self)
        # Tab leaves the note, as everywhere else: a keyboard user is never trapped in it
        # (Markdown indents with spaces)
        self.editor.setTabChangesFocus(True)
        self.preview = NotePreview(self)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.editor)
        self.pages.addWidget(self.preview)
        self.markdown = QCheckBox(self.tr("Markdown"), self)
        self.markdown.setToolTip(self.tr("The note is written in Markdown"))
        self.preview_button = QToolButton(self)
        self.preview_button.setText(self.tr("Preview"))
        self.preview_button.setCheckable(True)
        self.preview_button.setToolTip(self.tr("Show the Markdown note rendered"))
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.status.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.markdown)
        top.addWidget(self.preview_button)
        top.addWidget(self.status, 1)
        # every other author's note on the incident (a team archive, or --user on a shared
        # file): shown as plain text, never editable here
        self.others = QPlainTextEdit(self)
        self.others.setReadOnly(True)
        self.others.setAccessibleName(self.tr("Other authors' notes"))
        self.others.setMaximumHeight(160)
        self.others.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.others)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(NOTE_SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.editor.textChanged.connect(self._edited)
        self.editor.installEventFilter(self)
        self.markdown.toggled.connect(self._format_changed)
        self.preview_button.toggled.connect(self._show_preview)
        self._update_widgets()

    # --- public API -------------------------------------------------------------------------

    def _leaving_archive(self) -> None:
        # The window cleared the undo stack for the new archive: save what is typed to the
        # old one (never lose text), but not as a step of the new archive's undo history.
        self._timer.stop()
        if self._dirty():
            self._save(undoable=False)
        self._save_unsaved(undoable=False)
        for incident_id in self._unsaved:
            log.error("The note on incident %s could not be saved", incident_id)
        self._unsaved.clear()

    def _archive_changed(self) -> None:
        self._forget()

    def _event_slots(self, events: ResearchEvents) -> list[tuple[Any, Callable[..., None]]]:
        return [(events.note_changed, self._note_changed)]

    def show_incident(self, incident_id: int) -> None:
        """Save the shown note if it changed, then load this incident's note."""
        if incident_id == self._incident_id:
            return
        self.flush()
        self._forget()
        self._incident_id = incident_id
        self._update_widgets()
        self._load()

    def clear(self) -> None:
        """Save the shown note if it changed, then show none."""
        self.flush()
        self._forget()

    def flush(self) -> bool:
        """Save now what is typed, and retry notes of other incidents whose save failed
        (the window calls this before closing). False: something could not be saved (the
        text is kept, and the status says why)."""
        self._timer.stop()
        saved = self._save(undoable=True) if self._dirty() else True
        return self._save_unsaved(undoable=True) and saved

    @property
    def incident_id(self) -> int | None:
        return self._incident_id

    def text(self) -> str:
        return self.editor.toPlainText()

    def note_format(self) -> str:
        return "markdown" if self.markdown.isChecked() else "plain"

    def has_unsaved_changes(self) -> bool:
        return self._dirty() or bool(self._unsaved)

    # --- inside -------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.editor and event.type() == QEvent.Type.FocusOut:
            self.flush()
        return super().eventFilter(watched, event)

    def _forget(self) -> None:
        self._timer.stop()
        self._incident_id = None
        self._loaded = False
        self._saved = ("", "plain")
        self._set_content("", "plain")
        self.preview_button.setChecked(False)
        self.status.clear()
        self._show_others([])
        self._update_widgets()

    def _load(self) -> None:
        if not self._ready() or self._incident_id is None:
            return
        archive, incident_id = self._archive, self._incident_id
        assert archive is not None

        def work() -> tuple[int, tuple[str, str], list[research.NoteView]]:
            others = [
                note
                for note in research.incident_notes(archive, incident_id)
                if note.author != archive.user
            ]
            return incident_id, research.get_note(archive, incident_id), others

        self._read(work, self._note_loaded)

    def _show_others(self, others: list[research.NoteView]) -> None:
        text = "\n\n".join(
            self.tr("{0} ({1}):").format(note.author, note.modified_at[:10]) + "\n" + note.text
            for note in others
        )
        if self.others.toPlainText() != text:
            self.others.setPlainText(text)
        self.others.setVisible(bool(others))

    def _note_loaded(self, found: tuple[int, tuple[str, str], list[research.NoteView]]) -> None:
        incident_id, stored, others = found
        if incident_id != self._incident_id:
            return
        self._show_others(others)
        first_load = not self._loaded
        edited = self._loaded and self._dirty()
        self._loaded = True
        self._saved = stored
        pending = self._unsaved.pop(incident_id, None) if first_load else None
        if pending is not None:  # a save that failed earlier: show that text, save again
            self._set_content(*pending[1])
            self._show_status(self.tr("Saving…"))
            self._timer.start()
        elif not edited:  # never replace what the researcher is typing
            self._set_content(*stored)
            self._show_status(self.tr("Saved") if stored[0] else "")
            if self.preview_button.isChecked():
                self._show_preview(True)
        self._update_widgets()
        self.loaded.emit()

    def _note_changed(self, incident_id: int) -> None:
        if not self._own_change and incident_id in (0, self._incident_id):
            self._load()  # an undo or redo changed the note under the editor

    def _set_content(self, text: str, fmt: str) -> None:
        self._setting = True
        try:
            if self.editor.toPlainText() != text:
                self.editor.setPlainText(text)
            self.markdown.setChecked(fmt == "markdown")
        finally:
            self._setting = False

    def _dirty(self) -> bool:
        if self._incident_id is None or not self._loaded:
            return False
        return (self.editor.toPlainText(), self.note_format()) != self._saved

    def _edited(self) -> None:
        if self._setting or not self._loaded:
            return
        self._show_status(self.tr("Saving…"))
        self._timer.start()

    def _format_changed(self, markdown: bool) -> None:
        self.preview_button.setEnabled(markdown and self._loaded)
        if not markdown:
            self.preview_button.setChecked(False)
        if not self._setting and self._loaded:
            self.flush()

    def _save(self, *, undoable: bool) -> bool:
        incident_id = self._incident_id
        if incident_id is None or self._archive is None or self._events is None:
            return True
        after = (self.editor.toPlainText(), self.note_format())
        error = self._store(incident_id, self._saved, after, undoable=undoable)
        if error is not None:
            self._unsaved[incident_id] = (self._saved, after)
            self._show_status(
                self.tr(
                    "Not saved: {0} (your text is kept; saving again on the next change)"
                ).format(error),
                error=True,
            )
            return False
        self._unsaved.pop(incident_id, None)
        self._saved = after
        self._show_status(self.tr("Saved"))
        return True

    def _save_unsaved(self, *, undoable: bool) -> bool:
        """Try again to save the notes of other incidents whose save failed."""
        if self._archive is None or self._events is None:
            return not self._unsaved
        for incident_id, (before, after) in list(self._unsaved.items()):
            if incident_id == self._incident_id:
                continue  # the editor shows it: saved from there
            if self._store(incident_id, before, after, undoable=undoable) is None:
                del self._unsaved[incident_id]
        return not self._unsaved

    def _store(
        self,
        incident_id: int,
        before: tuple[str, str],
        after: tuple[str, str],
        *,
        undoable: bool,
    ) -> Exception | None:
        """Save one note (an undo step, or outside the history); the error that stopped it."""
        assert self._archive is not None and self._events is not None
        self._own_change = True  # the change events that follow are this editor's own
        try:
            if undoable and self._stack is not None:
                return push_change(
                    self._stack,
                    undo.SaveNote,
                    self._archive,
                    self._events,
                    incident_id,
                    before,
                    after,
                )
            return self._save_outside_history(incident_id, before, after)
        finally:
            self._own_change = False

    def _save_outside_history(
        self, incident_id: int, before: tuple[str, str], after: tuple[str, str]
    ) -> Exception | None:
        assert self._archive is not None and self._events is not None
        command = undo.SaveNote(self._archive, self._events, incident_id, before, after)
        try:
            command.redo()
        except (research.ResearchError, ArchiveError) as exc:
            return exc
        return None

    def _show_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setToolTip(plain_tooltip(text) if error else "")
        set_tone(self.status, error=error)

    def _show_preview(self, on: bool) -> None:
        if on:
            self.flush()
            self.preview.show_markdown(self.editor.toPlainText())
        self.pages.setCurrentWidget(self.preview if on else self.editor)

    def set_read_only(self, read_only: bool) -> None:
        """A read-only archive (a reader's team archive, read-only media, damage): notes
        are shown, never edited, whatever incident is loaded later."""
        self._read_only = read_only
        self._update_widgets()

    def _update_widgets(self) -> None:
        ready = self._incident_id is not None and self._loaded and not self._read_only
        self.editor.setReadOnly(not ready)
        self.editor.setEnabled(self._incident_id is not None)
        self.markdown.setEnabled(ready)
        self.preview_button.setEnabled(
            self._incident_id is not None and self._loaded and self.markdown.isChecked()
        )
        if self._incident_id is None:
            self.editor.setPlaceholderText(self.tr("Open an incident to write notes on it."))
        elif not self._loaded:
            self.editor.setPlaceholderText(self.tr("Loading the note…"))
        elif self._read_only:
            self.editor.setPlaceholderText(self.tr("The archive is read-only: no note here."))
        else:
            self.editor.setPlaceholderText(
                self.tr("Your notes on this incident. They are saved as you type.")
            )
