"""The search pane: a query field, filters, and full-text results that load page by page."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QKeyEvent,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from viewer.ui.deferred import deferred
from viewer.ui.richtext import plain_tooltip
from viewer.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from db import Archive, queries, search_grammar
    from db.queries import SearchFilters
    from viewer.services import catalog
else:
    catalog = deferred("viewer.services.catalog")
    queries = deferred("db.queries")
    search_grammar = deferred("db.search_grammar")  # its patterns compile in 8 ms

MARK_OPEN, MARK_CLOSE = "\ue001", "\ue002"
PAGE = 50
ResultRole = Qt.ItemDataRole.UserRole + 1
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass
class Query:
    text: str
    filters: SearchFilters | None

    def page(self, archive: Archive, offset: int = 0) -> catalog.SearchResults:
        """One page of results from offset, matched words marked (runs on the worker)."""
        return catalog.search(
            archive,
            self.text,
            filters=self.filters,
            limit=PAGE,
            offset=offset,
            marks=(MARK_OPEN, MARK_CLOSE),
        )


def snippet_html(snippet: str) -> str:
    """A snippet as rich text: the article text escaped, the matched words in bold."""
    escaped = html.escape(snippet)
    return escaped.replace(MARK_OPEN, "<b>").replace(MARK_CLOSE, "</b>")


Index = QModelIndex | QPersistentModelIndex


class SearchResultsModel(QAbstractListModel):
    """Results of one query; further pages load when the view scrolls to them."""

    loaded = Signal()

    def __init__(self, runner: TaskRunner | None = None) -> None:
        super().__init__()
        self._runner = runner
        self._archive: Archive | None = None
        self._query: Query | None = None
        self._rows: list[catalog.SearchResult] = []
        self._total = 0
        self._ranked = True
        self._loading = False
        self._task_prefix = f"search-results-{id(self)}/"

    def set_source(self, archive: Archive | None, runner: TaskRunner) -> None:
        self._archive, self._runner = archive, runner
        self.set_results(None, catalog.SearchResults([], 0, True))

    def set_results(self, query: Query | None, found: catalog.SearchResults) -> None:
        self.beginResetModel()
        if self._runner is not None:
            self._runner.discard(self._task_prefix)  # pages of the previous results
        self._query = query
        self._rows = list(found.results)
        self._total = found.total
        self._ranked = found.ranked
        self._loading = False
        self.endResetModel()
        self.loaded.emit()

    @property
    def total(self) -> int:
        return self._total

    @property
    def ranked(self) -> bool:
        return self._ranked

    @property
    def has_words(self) -> bool:
        """Whether the results answer words (ranked by match) or filters alone (by date)."""
        return self._query is not None and bool(self._query.text.strip())

    def ids(self) -> frozenset[int]:
        return frozenset(row.id for row in self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(row.title)
        if role == ResultRole:
            return row
        return None

    def canFetchMore(self, parent: Index) -> bool:
        if parent.isValid() or self._query is None or self._loading:
            return False
        return len(self._rows) < self._total and len(self._rows) % PAGE == 0 and bool(self._rows)

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent) or self._archive is None or self._runner is None:
            return
        self._loading = True
        query, archive, offset = self._query, self._archive, len(self._rows)
        assert query is not None

        def work() -> catalog.SearchResults:
            return query.page(archive, offset)

        def done(found: catalog.SearchResults) -> None:
            self._loading = False
            if found.results:
                first = len(self._rows)
                self.beginInsertRows(QModelIndex(), first, first + len(found.results) - 1)
                self._rows.extend(found.results)
                self.endInsertRows()
                self.loaded.emit()

        self._runner.submit(
            work,
            done,
            lambda _error: setattr(self, "_loading", False),
            key=self._task_prefix + "page",
        )


class ResultDelegate(QStyledItemDelegate):
    """Draws a result as its title and date over its snippet, matched words in bold."""

    def _document(
        self, option: QStyleOptionViewItem, result: catalog.SearchResult
    ) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        date = html.escape(result.date or "undated")
        snippet = snippet_html(result.snippet) if result.snippet else ""
        document.setHtml(
            f"<b>{html.escape(result.title)}</b> <span style='color:gray'>{date}</span>"
            + (f"<br><small>{snippet}</small>" if snippet else "")
        )
        document.setTextWidth(max(option.rect.width(), 200))
        return document

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        result = index.data(ResultRole)
        if result is None:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        if style is not None:
            option.text = ""
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        document = self._document(option, result)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        painter.save()
        painter.translate(option.rect.topLeft())
        painter.setClipRect(QRectF(0, 0, option.rect.width(), option.rect.height()))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        result = index.data(ResultRole)
        if result is None:
            return super().sizeHint(option, index)
        document = self._document(option, result)
        return QSize(int(document.idealWidth()), int(document.size().height()) + 4)


class SearchPane(QWidget):
    """Query field, filters and results. Emits incident_activated(id) and, after each
    search, results_changed(ids) so the timeline can emphasise what matched."""

    incident_activated = Signal(int)
    results_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._archive: Archive | None = None
        self._runner: TaskRunner | None = None
        self._incident_ids: frozenset[int] | None = None
        self.field = QLineEdit(self)
        self.field.setPlaceholderText(self.tr("Search all articles (Ctrl+K)"))
        self.field.setClearButtonEnabled(True)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c0392b;")
        self.error.hide()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.filter_button = QToolButton(self)
        self.filter_button.setText(self.tr("Filters"))
        self.filter_button.setCheckable(True)
        self.filters = QWidget(self)
        form = QFormLayout(self.filters)
        form.setContentsMargins(0, 0, 0, 0)
        self.date_from = QLineEdit(self.filters)
        self.date_from.setPlaceholderText(self.tr("from, e.g. 2015 or 2015-06-01"))
        self.date_to = QLineEdit(self.filters)
        self.date_to.setPlaceholderText(self.tr("to, e.g. 2024-12-31"))
        self.combos: dict[str, QComboBox] = {}
        form.addRow(self.tr("From"), self.date_from)
        form.addRow(self.tr("To"), self.date_to)
        for kind, label in (
            ("perpetrator", self.tr("Perpetrator")),
            ("type", self.tr("Type")),
            ("place", self.tr("Place")),
            ("country", self.tr("Country")),
        ):
            combo = QComboBox(self.filters)
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            field = combo.lineEdit()
            assert field is not None  # an editable combo box has one
            field.setPlaceholderText(self.tr("any"))
            field.textChanged.connect(self._schedule)
            self.combos[kind] = combo
            form.addRow(label, combo)
        self.filters.hide()
        self.filter_button.toggled.connect(self.filters.setVisible)
        self.model = SearchResultsModel()
        self.results = QListView(self)
        self.results.setModel(self.model)
        self.results.setItemDelegate(ResultDelegate(self.results))
        self.results.setUniformItemSizes(False)
        self.results.setWordWrap(True)
        self.results.activated.connect(self._activate)
        self.results.clicked.connect(self._activate)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.field)
        layout.addWidget(self.error)
        layout.addWidget(self.filter_button)
        layout.addWidget(self.filters)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.run_search)
        self.field.textChanged.connect(self._schedule)
        self.field.returnPressed.connect(self.run_search)
        self.date_from.textChanged.connect(self._schedule)
        self.date_to.textChanged.connect(self._schedule)
        self.model.loaded.connect(self._update_status)
        self.field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down (or Page Down) in the query field goes on to the results."""
        if (
            watched is self.field
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown)
            and self.model.rowCount() > 0
        ):
            self.results.setFocus(Qt.FocusReason.TabFocusReason)
            if not self.results.currentIndex().isValid():
                self.results.setCurrentIndex(self.model.index(0, 0))
            return True
        return super().eventFilter(watched, event)

    def set_archive(self, archive: Archive | None, runner: TaskRunner) -> None:
        self._archive, self._runner = archive, runner
        self.model.set_source(archive, runner)
        self.error.hide()
        self.status.clear()
        if archive is not None:
            self._load_filter_values()
            if self.field.text().strip():
                self.run_search()

    def _load_filter_values(self) -> None:
        archive, runner = self._archive, self._runner
        if archive is None or runner is None:
            return

        kinds = list(self.combos)

        def work() -> dict[str, list[tuple[str, int]]]:
            return {kind: catalog.filter_values(archive, kind) for kind in kinds}

        def done(values: dict[str, list[tuple[str, int]]]) -> None:
            for kind, combo in self.combos.items():
                text = combo.currentText()
                combo.blockSignals(True)
                combo.clear()
                combo.addItem("")
                for value, count in values.get(kind, []):
                    combo.addItem(f"{value}", value)
                    combo.setItemData(
                        combo.count() - 1,
                        self.tr("{0} incidents").format(count),
                        Qt.ItemDataRole.ToolTipRole,
                    )
                combo.setEditText(text)
                combo.blockSignals(False)

        runner.submit(work, done, key="search-filters")

    def focus_field(self) -> None:
        self.field.setFocus()
        self.field.selectAll()

    def _schedule(self) -> None:
        self._timer.start()

    def set_incident_filter(self, ids: frozenset[int] | None) -> None:
        """Restrict results to these incidents (a tag filter), or lift it with None."""
        self._incident_ids = ids
        self.run_search()

    def current_filters(self) -> SearchFilters | None:
        values = {kind: combo.currentText().strip() or None for kind, combo in self.combos.items()}
        filters = queries.SearchFilters(
            date_from=self._date_bound(self.date_from.text(), "from"),
            date_to=self._date_bound(self.date_to.text(), "to"),
            incident_ids=self._incident_ids,
            **values,
        )
        return None if filters.empty else filters

    @staticmethod
    def _date_bound(text: str, side: str) -> str | None:
        text = text.strip()
        if not text or not _DATE.match(text):
            return None
        if side == "to" and len(text) < 10:
            return text + "-12-31" if len(text) == 4 else text + "-31"
        return text

    def run_search(self) -> None:
        self._timer.stop()
        archive, runner = self._archive, self._runner
        if archive is None or runner is None:
            return
        for field in (self.date_from, self.date_to):
            if field.text().strip() and not _DATE.match(field.text().strip()):
                self._show_error(self.tr("Dates are written YYYY, YYYY-MM or YYYY-MM-DD."))
                return
        query = Query(self.field.text(), self.current_filters())
        if not query.text.strip() and query.filters is None:
            self.error.hide()
            self.model.set_results(None, catalog.SearchResults([], 0, True))
            self.status.clear()
            self.results_changed.emit(frozenset())
            return

        def work() -> catalog.SearchResults:
            return query.page(archive)

        def done(found: catalog.SearchResults) -> None:
            self.error.hide()
            self.model.set_results(query, found)
            self.results_changed.emit(self.model.ids())

        def failed(error: BaseException) -> None:
            if isinstance(error, search_grammar.SearchQueryError):
                self._show_error(self.tr("Cannot search for this: {0}").format(error))
            else:
                raise error

        runner.submit(work, done, failed, key="search")

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _update_status(self) -> None:
        total = self.model.total
        if total == 0:
            self.status.setText(self.tr("No matches") if self.model.rowCount() == 0 else "")
            return
        count = self.tr("1 match") if total == 1 else self.tr("{0} matches").format(f"{total:,}")
        if not self.model.has_words:  # filters alone list incidents by date
            self.status.setText(self.tr("{0}, newest first").format(count))
        elif self.model.ranked:
            self.status.setText(count if total == 1 else self.tr("{0}, best first").format(count))
        else:
            self.status.setText(
                self.tr("More than {0} matches, newest first; add words to rank them").format(
                    f"{total - 1:,}"
                )
            )

    def _activate(self, index: QModelIndex) -> None:
        result = index.data(ResultRole)
        if result is not None:
            self.incident_activated.emit(result.id)
