"""The article reader: title, infobox card, sections; find in page; links between incidents.

The document is built with QTextCursor.insertText, never from HTML, so markup in an article
is shown as the text it is. The body is inserted one block per body line after the header,
so a character at offset i of the stored body is at document position body_offset + i;
reactions, events and annotations are located by those offsets.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QKeyEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextLength,
    QTextTableFormat,
)
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from viewer.services.reading import IncidentView

INCIDENT_SCHEME = "incident"
BULLET = "• "  # shown instead of the body's "- ": same length, so offsets still match


class SafeBrowser(QTextBrowser):
    """A text browser that never loads anything: no images, files or network resources."""

    def loadResource(self, kind: int, name: QUrl) -> Any:
        return None


class FindBar(QWidget):
    """Find in page: a field, previous/next, and the match count. Esc closes it,
    Shift+Enter goes to the previous match."""

    closed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.closed.emit()
        else:
            super().keyPressEvent(event)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        self.field = QLineEdit(self)
        self.field.setPlaceholderText(self.tr("Find in article"))
        self.field.setClearButtonEnabled(True)
        self.previous_button = QToolButton(self)
        self.previous_button.setText("▲")
        self.previous_button.setToolTip(self.tr("Previous match (Shift+F3)"))
        self.next_button = QToolButton(self)
        self.next_button.setText("▼")
        self.next_button.setToolTip(self.tr("Next match (F3)"))
        self.count = QLabel(self)
        close = QToolButton(self)
        close.setText("✕")
        close.setToolTip(self.tr("Close (Esc)"))
        close.clicked.connect(self.closed)
        for widget in (self.field, self.previous_button, self.next_button, self.count, close):
            layout.addWidget(widget)
        layout.setStretch(0, 1)


class ArticleReader(QWidget):
    """Shows one incident. Emits link_activated(incident_id) for see-also links."""

    link_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: IncidentView | None = None
        self.body_offset = 0
        self._matches: list[QTextCursor] = []
        self._current_match = -1
        self._marks: dict[str, list[QTextEdit.ExtraSelection]] = {}
        self.browser = SafeBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self._on_anchor)
        self.browser.setPlaceholderText(self.tr("Select an incident on the timeline or search."))
        self.find_bar = FindBar(self)
        self.find_bar.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.browser)
        layout.addWidget(self.find_bar)
        self.find_bar.field.textChanged.connect(self._search)
        self.find_bar.field.returnPressed.connect(self._on_return)
        self.find_bar.next_button.clicked.connect(self.find_next)
        self.find_bar.previous_button.clicked.connect(self.find_previous)
        self.find_bar.closed.connect(self.close_find)

    # -- showing an incident -------------------------------------------------------------

    def clear(self) -> None:
        self.view = None
        self.browser.clear()
        self._marks.clear()
        self._apply_marks()

    def show_incident(self, view: IncidentView) -> None:
        self.view = view
        self._marks.clear()
        document = QTextDocument(self.browser)
        document.setDefaultFont(self.browser.font())
        cursor = QTextCursor(document)
        self._write_header(cursor, view)
        self.body_offset = cursor.position()
        self._write_body(cursor, view)
        self.browser.setDocument(document)
        self.browser.moveCursor(QTextCursor.MoveOperation.Start)
        self._apply_marks()
        if self.find_bar.isVisible():
            self._search(self.find_bar.field.text())

    def _write_header(self, cursor: QTextCursor, view: IncidentView) -> None:
        title = QTextCharFormat()
        title.setFontPointSize(self.browser.font().pointSizeF() * 1.7)
        title.setFontWeight(QFont.Weight.Bold)
        cursor.insertText(view.title, title)
        if view.subtitle:
            cursor.insertBlock()
            muted = QTextCharFormat()
            muted.setForeground(self.palette().placeholderText())
            cursor.insertText(view.subtitle, muted)
        if view.facts:
            cursor.insertBlock()
            self._write_facts(cursor, view)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        spacing = QTextBlockFormat()
        spacing.setTopMargin(8)
        cursor.insertBlock(spacing, QTextCharFormat())

    def _write_facts(self, cursor: QTextCursor, view: IncidentView) -> None:
        table_format = QTextTableFormat()
        table_format.setBorder(0.5)
        table_format.setBorderBrush(QBrush(self.palette().mid().color()))
        table_format.setCellPadding(3)
        table_format.setCellSpacing(0)
        table_format.setColumnWidthConstraints(
            [
                QTextLength(QTextLength.Type.PercentageLength, 22),
                QTextLength(QTextLength.Type.PercentageLength, 78),
            ]
        )
        table = cursor.insertTable(len(view.facts), 2, table_format)
        label_format = QTextCharFormat()
        label_format.setFontWeight(QFont.Weight.DemiBold)
        for row, fact in enumerate(view.facts):
            table.cellAt(row, 0).firstCursorPosition().insertText(fact.label, label_format)
            value_format = QTextCharFormat()
            if fact.shown != fact.raw:
                value_format.setToolTip(
                    self.tr("As written in the article: {0}").format(html.escape(fact.raw))
                )
                value_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
            table.cellAt(row, 1).firstCursorPosition().insertText(fact.shown, value_format)

    def _write_body(self, cursor: QTextCursor, view: IncidentView) -> None:
        headings = {s.heading_start: s for s in view.sections if s.heading is not None}
        links = {link.line_start: link for link in view.links}
        paragraph = QTextBlockFormat()
        paragraph.setBottomMargin(6)
        plain = QTextCharFormat()
        position = 0
        for number, line in enumerate(view.body.split("\n")):
            section = headings.get(position)
            if section is not None:
                block, chars = self._heading_formats(section.level)
            elif line.startswith("- "):
                block = QTextBlockFormat()
                block.setIndent(1)
                block.setBottomMargin(2)
                chars = plain
            else:
                block, chars = paragraph, plain
            if number == 0:
                cursor.setBlockFormat(block)
            else:
                cursor.insertBlock(block, chars)
            link = links.get(position) if line.startswith("- ") else None
            if line.startswith("- "):
                cursor.insertText(BULLET, chars)
                self._insert_item(cursor, line[2:], link, chars)
            else:
                cursor.insertText(line, chars)
            position += len(line) + 1

    def _insert_item(
        self, cursor: QTextCursor, text: str, link: Any, chars: QTextCharFormat
    ) -> None:
        if link is None or not text.startswith(link.title):
            cursor.insertText(text, chars)
            return
        anchor = QTextCharFormat(chars)
        if link.incident_id is not None:
            anchor.setAnchor(True)
            anchor.setAnchorHref(f"{INCIDENT_SCHEME}:{link.incident_id}")
            anchor.setForeground(self.palette().link())
            anchor.setFontUnderline(True)
            anchor.setToolTip(self.tr("Open this incident"))
        else:
            anchor.setToolTip(self.tr("Not in this archive"))
        cursor.insertText(link.title, anchor)
        cursor.insertText(text[len(link.title) :], chars)

    def _heading_formats(self, level: int) -> tuple[QTextBlockFormat, QTextCharFormat]:
        block = QTextBlockFormat()
        block.setTopMargin(14 if level <= 2 else 8)
        block.setBottomMargin(4)
        chars = QTextCharFormat()
        chars.setFontWeight(QFont.Weight.Bold)
        scale = {2: 1.35, 3: 1.15}.get(level, 1.05)
        chars.setFontPointSize(self.browser.font().pointSizeF() * scale)
        return block, chars

    @Slot(QUrl)
    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme() == INCIDENT_SCHEME and url.path().isdigit():
            self.link_activated.emit(int(url.path()))

    # -- positions, highlights ------------------------------------------------------------

    def body_cursor(self, start: int, end: int) -> QTextCursor:
        """A cursor selecting body[start:end]."""
        cursor = QTextCursor(self.browser.document())
        last = self.browser.document().characterCount() - 1
        cursor.setPosition(min(self.body_offset + start, last))
        cursor.setPosition(min(self.body_offset + end, last), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def selected_body_span(self) -> tuple[int, int] | None:
        cursor = self.browser.textCursor()
        if not cursor.hasSelection() or self.view is None:
            return None
        start = cursor.selectionStart() - self.body_offset
        end = cursor.selectionEnd() - self.body_offset
        if start < 0 or end > len(self.view.body):
            return None
        return start, end

    def set_marks(self, name: str, spans: list[tuple[int, int, QColor, str]]) -> None:
        """Background highlights (name groups them: "focus", "annotations"...)."""
        selections = []
        for start, end, colour, tip in spans:
            selection = QTextEdit.ExtraSelection()
            selection.cursor = self.body_cursor(start, end)
            selection.format.setBackground(colour)
            if tip:
                selection.format.setProperty(QTextFormat.Property.TextToolTip, tip)
            selections.append(selection)
        self._marks[name] = selections
        self._apply_marks()

    def _apply_marks(self) -> None:
        find = self._find_selections()
        self.browser.setExtraSelections([s for group in self._marks.values() for s in group] + find)

    def show_span(self, start: int, end: int) -> None:
        """Scroll to body[start:end] and highlight it (a reaction, an event, a bookmark)."""
        colour = QColor(self.palette().highlight().color())
        colour.setAlpha(90)
        self.set_marks("focus", [(start, end, colour, "")])
        cursor = self.body_cursor(start, start)
        self.browser.setTextCursor(cursor)
        self.browser.ensureCursorVisible()

    # -- find in page ----------------------------------------------------------------------

    def open_find(self) -> None:
        self.find_bar.show()
        self.find_bar.field.setFocus()
        self.find_bar.field.selectAll()
        self._search(self.find_bar.field.text())

    def close_find(self) -> None:
        self.find_bar.hide()
        self._matches = []
        self._apply_marks()
        self.browser.setFocus()

    def _search(self, text: str) -> None:
        self._matches = []
        self._current_match = -1
        document = self.browser.document()
        if text:
            cursor = document.find(text, 0)
            while not cursor.isNull():
                self._matches.append(cursor)
                cursor = document.find(text, cursor)
        self._move(0 if self._matches else -1)

    def _move(self, index: int) -> None:
        self._current_match = index
        if self._matches and index >= 0:
            self.browser.setTextCursor(self._matches[index])
            self.browser.ensureCursorVisible()
        self._update_count()
        self._apply_marks()

    def _update_count(self) -> None:
        if not self.find_bar.field.text():
            self.find_bar.count.setText("")
        elif not self._matches:
            self.find_bar.count.setText(self.tr("No matches"))
        else:
            self.find_bar.count.setText(
                self.tr("{0} of {1}").format(self._current_match + 1, len(self._matches))
            )

    def _find_selections(self) -> list[QTextEdit.ExtraSelection]:
        selections = []
        colour = QColor("#f6d55c")
        for cursor in self._matches:
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor
            selection.format.setBackground(colour)
            selection.format.setForeground(QColor("#000000"))
            selections.append(selection)
        return selections

    def _on_return(self) -> None:
        shift = QApplication.keyboardModifiers() & Qt.KeyboardModifier.ShiftModifier
        self.find_previous() if shift else self.find_next()

    @Slot()
    def find_next(self) -> None:
        if self._matches:
            self._move((self._current_match + 1) % len(self._matches))

    @Slot()
    def find_previous(self) -> None:
        if self._matches:
            self._move((self._current_match - 1) % len(self._matches))

    @property
    def match_count(self) -> int:
        return len(self._matches)

    # -- zoom ------------------------------------------------------------------------------

    def zoom_by(self, steps: int) -> None:
        if steps > 0:
            self.browser.zoomIn(steps)
        elif steps < 0:
            self.browser.zoomOut(-steps)
