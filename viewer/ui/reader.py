"""The article reader: title, infobox card, sections; find in page; links between incidents.

The document is built with QTextCursor.insertText, never from HTML, so markup in an article
is shown as the text it is. The body is inserted one block per body line after the header,
so a character at offset i of the stored body is at document position body_offset + i;
reactions, events and annotations are located by those offsets.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QUrl, Signal, Slot
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
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
    QMenu,
    QTextBrowser,
    QTextEdit,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from viewer.annotation_colors import COLOR_NAMES, color_value
from viewer.ui.richtext import plain_tooltip

if TYPE_CHECKING:
    from viewer.services import research
    from viewer.services.reading import FactRow, IncidentView

INCIDENT_SCHEME = "incident"
MORE_SCHEME = "more"
# How much of an article the reader lays out at once (a 100 MB article took 71 s and 4.7 GB
# shown whole; one paragraph of 1 MB takes 1.3 s); "show more" adds as much again.
READER_CHARS = 200_000
FACT_FIELD = QTextFormat.Property.UserProperty + 1  # the correctable fact a card cell shows
BULLET = "• "  # shown instead of the body's "- ": same length, so offsets still match


def shown_title(title: str, limit: int = 300) -> str:
    """A title as the reader shows it: an archive made before titles were limited may hold
    one of 100,000 characters, which took seconds to lay out."""
    return title if len(title) <= limit else title[:limit] + "…"


class SafeBrowser(QTextBrowser):
    """A text browser that never loads anything: no images, files or network resources."""

    def loadResource(self, kind: int, name: QUrl | str) -> Any:
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
    """Shows one incident. Emits link_activated(incident_id) for see-also links; for the
    research layer: annotate_requested(start, end, colour) (context menu, or keys 1-5 on a
    selection), annotation_clicked(id) (a click on a highlight opens it for editing),
    recolor_requested(id, colour) (keys 1-5 on a clicked highlight), bookmark_requested(start)
    and reattach_requested(start, end); for the workbench: correction_requested(field) (a fact
    of the infobox card: its context menu or a double click) and source_requested()."""

    link_activated = Signal(int)
    annotate_requested = Signal(int, int, str)
    annotation_clicked = Signal(int)
    recolor_requested = Signal(int, str)
    bookmark_requested = Signal(int)
    reattach_requested = Signal(int, int)
    correction_requested = Signal(str)
    source_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: IncidentView | None = None
        self.body_offset = 0
        self.shown_chars = 0  # how much of the body is laid out (a long one: in parts)
        self._more_at: int | None = None  # where the "show more" link starts
        self._matches: list[QTextCursor] = []
        self._current_match = -1
        self._marks: dict[str, list[QTextEdit.ExtraSelection]] = {}
        self.annotations: list[research.AnnotationView] = []
        self.focused_annotation: int | None = None
        self.browser = SafeBrowser(self)
        self.base_font = QFont(self.browser.font())  # before Preferences and zoom
        self._focus: tuple[int, int] | None = None  # the span show_span marked
        self._bookmarks: list[tuple[int, str]] = []
        self.browser.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.browser.customContextMenuRequested.connect(self._context_menu)
        self.browser.viewport().installEventFilter(self)
        self.browser.installEventFilter(self)
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
        self._focus = None
        self._bookmarks = []
        self.annotations = []
        self.focused_annotation = None
        self.browser.clear()
        self._marks.clear()
        self._apply_marks()

    def show_incident(self, view: IncidentView) -> None:
        if self.view is None or self.view.id != view.id:
            self.annotations = []
            self.focused_annotation = None
            self._bookmarks = []
        self._focus = None
        self.view = view
        self._marks.clear()
        document = QTextDocument(self.browser)
        document.setDefaultFont(self.browser.font())
        cursor = QTextCursor(document)
        self._write_header(cursor, view)
        self.body_offset = cursor.position()
        self.shown_chars = 0
        self._more_at = None
        self._write_body(cursor, view, 0, self._chunk_end(view, 0))
        self.browser.setDocument(document)
        self.browser.moveCursor(QTextCursor.MoveOperation.Start)
        self._apply_marks()
        if self.find_bar.isVisible():
            self._search(self.find_bar.field.text())

    def _write_header(self, cursor: QTextCursor, view: IncidentView) -> None:
        title = QTextCharFormat()
        title.setFontPointSize(self.browser.font().pointSizeF() * 1.7)
        title.setFontWeight(QFont.Weight.Bold)
        cursor.insertText(shown_title(view.title), title)
        if view.subtitle:
            cursor.insertBlock()
            muted = QTextCharFormat()
            muted.setForeground(self.palette().placeholderText())
            cursor.insertText(view.subtitle, muted)
        if view.source_line:
            cursor.insertBlock()
            source = QTextCharFormat()
            source.setForeground(self.palette().placeholderText())
            source.setFontPointSize(self.browser.font().pointSizeF() * 0.9)
            source.setToolTip(plain_tooltip(self.tr("Where it was published"), view.reference))
            cursor.insertText(view.source_line, source)
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
            cell_format = QTextCharFormat(label_format)
            cell_format.setProperty(FACT_FIELD, fact.field)
            if fact.key and fact.key != fact.label:
                cell_format.setToolTip(
                    plain_tooltip(self.tr("In the article: {0}").format(fact.key))
                )
            table.cellAt(row, 0).firstCursorPosition().insertText(fact.label, cell_format)
            table.cellAt(row, 1).firstCursorPosition().insertText(
                fact.shown + (" ✎" if fact.corrected else ""), self._value_format(fact)
            )

    def _value_format(self, fact: FactRow) -> QTextCharFormat:
        """A fact's value: the article's own words on hover; the researcher's correction in
        italics in the link colour, with their note."""
        value_format = QTextCharFormat()
        value_format.setProperty(FACT_FIELD, fact.field)
        lines = []
        if fact.corrected:
            value_format.setFontItalic(True)
            value_format.setForeground(self.palette().link())
            lines.append(self.tr("Corrected by you: {0}").format(fact.note or self.tr("no note")))
        if fact.shown != fact.raw and fact.raw:
            lines += [self.tr("As written in the article:"), fact.raw]
            value_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        if fact.field:
            lines.append(self.tr("Double-click to correct"))
        if lines:
            value_format.setToolTip(plain_tooltip(*lines))
        return value_format

    def fact_field_at(self, point: QPoint) -> str:
        """The correctable fact of the infobox card under a viewport point ("" if none)."""
        if self.view is None:
            return ""
        cursor = self.browser.cursorForPosition(point)
        if cursor.position() >= self.body_offset:
            return ""
        value = cursor.charFormat().property(FACT_FIELD)
        return value if isinstance(value, str) else ""

    def selected_quote(self) -> str:
        """The selected text, paragraphs joined by spaces (for Copy Quote with Citation)."""
        return " ".join(self.browser.textCursor().selectedText().replace("\u2029", " ").split())

    def copy_citation(self, with_quote: bool = False) -> bool:
        if self.view is None or not self.view.reference:
            return False
        quote = self.selected_quote() if with_quote else ""
        if with_quote and not quote:
            return False
        text = f"“{quote}” — {self.view.reference}" if quote else self.view.reference
        QApplication.clipboard().setText(text)
        return True

    @staticmethod
    def _chunk_end(view: IncidentView, start: int) -> int:
        """Where the next part of the body to show ends: READER_CHARS on, at a line's end
        if one comes soon after, else inside the line (one paragraph can be megabytes)."""
        if len(view.body) - start <= READER_CHARS:
            return len(view.body)
        end = view.body.find("\n", start + READER_CHARS, start + 2 * READER_CHARS)
        return start + READER_CHARS if end == -1 else end

    def _write_body(self, cursor: QTextCursor, view: IncidentView, start: int, end: int) -> None:
        """Write body[start:end], then, if the body goes on, a link to show more: what the
        reader costs is bounded by what it shows, not by the article. start is 0, the start
        of a line, or inside a line a previous part ended in."""
        headings = {s.heading_start: s for s in view.sections if s.heading is not None}
        links = {link.line_start: link for link in view.links}
        paragraph = QTextBlockFormat()
        paragraph.setBottomMargin(6)
        plain = QTextCharFormat()
        position = start
        inside_line = start > 0 and view.body[start - 1] != "\n"
        for line in view.body[start:end].split("\n"):
            if inside_line:  # the rest of a line cut short: same block, same look
                cursor.insertText(line, plain)
                inside_line = False
                position += len(line) + 1
                continue
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
            if position == 0:
                cursor.setBlockFormat(block)
            else:
                cursor.insertBlock(block, chars)  # the block break is the body's newline
            link = links.get(position) if line.startswith("- ") else None
            if line.startswith("- "):
                cursor.insertText(BULLET, chars)
                self._insert_item(cursor, line[2:], link, chars)
            else:
                cursor.insertText(line, chars)
            position += len(line) + 1
        self.shown_chars = end
        if end < len(view.body):
            self._write_more(cursor, len(view.body) - end)

    def _write_more(self, cursor: QTextCursor, rest: int) -> None:
        self._more_at = cursor.position()
        more = QTextCharFormat()
        more.setAnchor(True)
        more.setAnchorHref(f"{MORE_SCHEME}:")
        more.setForeground(self.palette().link())
        more.setFontUnderline(True)
        spacing = QTextBlockFormat()
        spacing.setTopMargin(12)
        cursor.insertBlock(spacing, QTextCharFormat())
        cursor.insertText(
            self.tr("Show more of the article ({0:,} more characters)").format(rest), more
        )

    def show_more(self) -> None:
        """Append the next part of a long article in place of the 'show more' link."""
        if self.view is None or self._more_at is None:
            return
        cursor = QTextCursor(self.browser.document())
        cursor.setPosition(self._more_at)
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        self._more_at = None
        # the body goes on after its newline, or inside the line a part ended in
        body = self.view.body
        start = self.shown_chars + (1 if body[self.shown_chars] == "\n" else 0)
        self._write_body(cursor, self.view, start, self._chunk_end(self.view, start))
        self._apply_marks()
        if self.find_bar.isVisible():
            self._search(self.find_bar.field.text())

    def ensure_shown(self, end: int) -> None:
        """Show the article at least as far as body offset end."""
        while self.view is not None and self._more_at is not None and self.shown_chars < end:
            self.show_more()

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
        if url.scheme() == MORE_SCHEME:
            self.show_more()
        elif url.scheme() == INCIDENT_SCHEME and url.path().isdigit():
            self.link_activated.emit(int(url.path()))

    # -- positions, highlights ------------------------------------------------------------

    def body_cursor(self, start: int, end: int) -> QTextCursor:
        """A cursor selecting body[start:end]."""
        cursor = QTextCursor(self.browser.document())
        last = min(
            self.browser.document().characterCount() - 1, self.body_offset + self.shown_chars
        )
        cursor.setPosition(min(self.body_offset + start, last))
        cursor.setPosition(min(self.body_offset + end, last), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def selected_body_span(self) -> tuple[int, int] | None:
        cursor = self.browser.textCursor()
        if not cursor.hasSelection() or self.view is None:
            return None
        start = cursor.selectionStart() - self.body_offset
        end = cursor.selectionEnd() - self.body_offset
        if start < 0 or end > min(len(self.view.body), self.shown_chars):
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
        self.ensure_shown(end)
        colour = QColor(self.palette().highlight().color())
        colour.setAlpha(90)
        self.set_marks("focus", [(start, end, colour, "")])
        self._focus = (start, end)
        self.browser.setTextCursor(self.body_cursor(start, start))
        self.scroll_to_place(start, fraction=0.25)

    def scroll_to_place(self, offset: int, fraction: float = 0.0) -> None:
        """Scroll so that body offset is that fraction down the view (0: the top line), not
        left on the bottom line as ensureCursorVisible does."""
        if self.view is None:
            return
        self.ensure_shown(offset + 1)
        rect = self.browser.cursorRect(self.body_cursor(offset, offset))
        bar = self.browser.verticalScrollBar()
        bar.setValue(bar.value() + rect.top() - int(self.browser.viewport().height() * fraction))

    def top_place(self) -> int:
        """The body offset shown at the top of the view (0 without an incident)."""
        if self.view is None:
            return 0
        position = self.browser.cursorForPosition(QPoint(4, 4)).position() - self.body_offset
        return max(0, min(position, len(self.view.body)))

    def set_bookmarks(self, places: list[tuple[int, str]]) -> None:
        """Mark the incident's bookmarked places: a band across the line of each."""
        self._bookmarks = places
        colour = QColor(self.palette().link().color())
        colour.setAlpha(45)
        selections = []
        for offset, label in places:
            selection = QTextEdit.ExtraSelection()
            selection.cursor = self.body_cursor(offset, offset)
            selection.format.setBackground(colour)
            selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            selection.format.setToolTip(self.tr("Bookmark: {0}").format(label))
            selections.append(selection)
        self._marks["bookmarks"] = selections
        self._apply_marks()

    def rerender(self) -> None:
        """Lay the shown incident out again (a new font size, theme colours) where it was:
        same place, highlights, bookmarks and focused span."""
        view = self.view
        if view is None:
            return
        place, shown, focus = self.top_place(), self.shown_chars, self._focus
        in_header = self.browser.cursorForPosition(QPoint(4, 4)).position() < self.body_offset
        self.show_incident(view)
        self.ensure_shown(shown)
        self.set_annotations(self.annotations)
        self.set_bookmarks(self._bookmarks)
        if focus is not None:
            colour = QColor(self.palette().highlight().color())
            colour.setAlpha(90)
            self.set_marks("focus", [(focus[0], focus[1], colour, "")])
            self._focus = focus
        if in_header:  # the title and card were in view: they stay in view
            self.browser.verticalScrollBar().setValue(0)
        else:
            self.scroll_to_place(place)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.rerender()  # the header's colours were taken from the old palette

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

    # -- annotations -----------------------------------------------------------------------

    def set_annotations(self, annotations: list[research.AnnotationView]) -> None:
        """Highlight the incident's annotations (orphaned ones have no place to show)."""
        self.annotations = [a for a in annotations if not a.orphaned]
        spans = []
        for annotation in self.annotations:
            colour = QColor(color_value(annotation.color))
            colour.setAlpha(150 if annotation.id != self.focused_annotation else 230)
            spans.append((annotation.start, annotation.end, colour, ""))
        self.set_marks("annotations", spans)

    def annotation_at_body(self, offset: int) -> research.AnnotationView | None:
        for annotation in self.annotations:
            if annotation.start <= offset < annotation.end:
                return annotation
        return None

    def _body_offset_at(self, point: QPoint) -> int | None:
        if self.view is None:
            return None
        position = self.browser.cursorForPosition(point).position() - self.body_offset
        return position if 0 <= position <= len(self.view.body) else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.browser.viewport():
            if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
                return self._tooltip(event)
            if event.type() == QEvent.Type.MouseButtonDblClick and isinstance(event, QMouseEvent):
                field = self.fact_field_at(event.position().toPoint())
                if field:
                    self.correction_requested.emit(field)
                    return True
            if (
                event.type() == QEvent.Type.MouseButtonRelease
                and isinstance(event, QMouseEvent)
                and event.button() == Qt.MouseButton.LeftButton
                and not self.browser.textCursor().hasSelection()
            ):
                offset = self._body_offset_at(event.position().toPoint())
                hit = self.annotation_at_body(offset) if offset is not None else None
                if hit is not None and not self.browser.anchorAt(event.position().toPoint()):
                    self.focused_annotation = hit.id
                    self.set_annotations(self.annotations)
                    self.annotation_clicked.emit(hit.id)
        elif (
            watched is self.browser
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
        ):
            return self._colour_key(event)
        return super().eventFilter(watched, event)

    def _tooltip(self, event: QHelpEvent) -> bool:
        offset = self._body_offset_at(event.pos())
        hit = self.annotation_at_body(offset) if offset is not None else None
        if hit is None:
            return False
        lines = [html.escape(hit.note) if hit.note else self.tr("(no note)")]
        if hit.tags:
            lines.append(self.tr("Tags: {0}").format(html.escape(", ".join(hit.tags))))
        lines.append(self.tr("<i>Click to edit</i>"))
        QToolTip.showText(event.globalPos(), "<br>".join(lines), self.browser)
        return True

    def _colour_key(self, event: QKeyEvent) -> bool:
        """Keys 1-5: highlight the selection in that colour, or recolour the clicked one."""
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        index = event.key() - Qt.Key.Key_1
        if not 0 <= index < len(COLOR_NAMES):
            return False
        colour = COLOR_NAMES[index]
        span = self.selected_body_span()
        if span is not None and span[0] < span[1]:
            self.annotate_requested.emit(span[0], span[1], colour)
            return True
        if self.focused_annotation is not None:
            self.recolor_requested.emit(self.focused_annotation, colour)
            return True
        return False

    def _context_menu(self, point: QPoint) -> None:
        menu = self.browser.createStandardContextMenu(point)
        span = self.selected_body_span()
        menu.addSeparator()
        annotate = menu.addAction(self.tr("Annotate Selection…"))
        annotate.setShortcut(QKeySequence("Ctrl+E"))
        annotate.setEnabled(span is not None and span[0] < span[1])
        annotate.triggered.connect(lambda: self.request_annotation())
        colours = menu.addMenu(self.tr("Highlight"))
        colours.setEnabled(annotate.isEnabled())
        for number, name in enumerate(COLOR_NAMES, start=1):
            action = colours.addAction(f"{number}  {self.tr(name.capitalize())}")
            action.triggered.connect(lambda _c=False, n=name: self.request_annotation(n))
        offset = self._body_offset_at(point)
        bookmark = menu.addAction(self.tr("Bookmark This Place"))
        bookmark.setEnabled(offset is not None)
        bookmark.triggered.connect(lambda: self.bookmark_requested.emit(offset or 0))
        reattach = menu.addAction(self.tr("Re-attach Orphaned Annotation Here"))
        reattach.setEnabled(annotate.isEnabled())
        reattach.triggered.connect(lambda: self._reattach_here(span))
        self._workbench_menu(menu, point)
        menu.exec(self.browser.viewport().mapToGlobal(point))
        menu.deleteLater()

    def _workbench_menu(self, menu: QMenu, point: QPoint) -> None:
        menu.addSeparator()
        field = self.fact_field_at(point)
        if field and self.view is not None:
            label = next((f.label for f in self.view.facts if f.field == field), field)
            correct = menu.addAction(self.tr("Correct “{0}”…").format(label))
            correct.triggered.connect(lambda: self.correction_requested.emit(field))
        cite = menu.addAction(self.tr("Copy Citation"))
        cite.setEnabled(self.view is not None)
        cite.triggered.connect(lambda: self.copy_citation())
        quote = menu.addAction(self.tr("Copy Quote with Citation"))
        quote.setEnabled(bool(self.selected_quote()))
        quote.triggered.connect(lambda: self.copy_citation(with_quote=True))
        source = menu.addAction(self.tr("Edit Source…"))
        source.setEnabled(self.view is not None)
        source.triggered.connect(self.source_requested)

    def _reattach_here(self, span: tuple[int, int] | None) -> None:
        if span:
            self.reattach_requested.emit(*span)

    def request_annotation(self, colour: str = "") -> bool:
        """Annotate the selection (colour "" means: ask, in the annotation dialog)."""
        span = self.selected_body_span()
        if span is None or span[0] >= span[1]:
            return False
        self.annotate_requested.emit(span[0], span[1], colour)
        return True

    def current_place(self) -> int:
        """Body offset of the cursor (or of the top of the view) for a bookmark."""
        cursor = self.browser.textCursor()
        position = cursor.position() - self.body_offset
        if position < 0 or (not cursor.hasSelection() and cursor.position() == 0):
            top = self.browser.cursorForPosition(QPoint(4, 4)).position() - self.body_offset
            position = max(0, top)
        return min(position, len(self.view.body)) if self.view else 0

    # -- zoom ------------------------------------------------------------------------------

    def zoom_by(self, steps: int) -> None:
        """Text size: the title and headings too (their sizes are set when laid out)."""
        if steps > 0:
            self.browser.zoomIn(steps)
        elif steps < 0:
            self.browser.zoomOut(-steps)
        if steps:
            self.rerender()

    def set_text_font(self, font: QFont, zoom_steps: int) -> None:
        """The reader's font (Preferences) with the zoom steps on top."""
        self.browser.setFont(font)
        if zoom_steps > 0:
            self.browser.zoomIn(zoom_steps)
        elif zoom_steps < 0:
            self.browser.zoomOut(-zoom_steps)
        self.rerender()
