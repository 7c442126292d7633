"""The incident table: every incident of the archive (or of a scope) as a sortable table,
read from the archive a page at a time, with a quick filter, chosen columns, multi-select
actions and, for an empty archive, a welcome page.

The model never holds the whole table: it knows the layout (how many rows, in which order)
and the pages of rows the view has shown; sorting and filtering are SQL on the worker
(viewer.services.incident_table), so a click on a header costs the same at 100 incidents as
at 100,000.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QItemSelection,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from db.scopes import TABLE_COLUMNS, IncidentScope, TableLayout, TableOrder
from viewer.services.vocabulary import COLUMN_LABELS
from viewer.ui.deferred import deferred
from viewer.ui.richtext import plain_tooltip
from viewer.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from db import Archive
    from viewer.services import incident_table as table
    from viewer.services.incident_table import TableRow
else:  # the table's rows and cells need the archive layer; its headings do not
    table = deferred("viewer.services.incident_table")

Index = QModelIndex | QPersistentModelIndex
IncidentIdRole = Qt.ItemDataRole.UserRole + 1
PAGE_ROWS = 100
MAX_PAGES = 100  # pages kept (10,000 rows); older ones are read again when shown
NUMERIC_COLUMNS = frozenset({"killed", "injured", "annotations"})
DEFAULT_HIDDEN = frozenset({"annotations"})
DEFAULT_WIDTHS = {
    "date": 150, "title": 260, "country": 110, "place": 160, "perpetrator": 170, "killed": 70,
    "injured": 70, "type": 120, "tags": 110, "annotations": 40,
}  # fmt: skip


class IncidentTableModel(QAbstractTableModel):
    """Rows of the incident table for the view, loaded a page at a time on the worker.

    Emits layout_loaded after each new order or scope (the row count is then known) and
    page_loaded(first_row, last_row) when rows arrive."""

    layout_loaded = Signal()
    page_loaded = Signal(int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._archive: Archive | None = None
        self._runner: TaskRunner | None = None
        self._scope = IncidentScope()
        self._order = TableOrder()
        self._layout: TableLayout | None = None
        self._pages: OrderedDict[int, list[TableRow]] = OrderedDict()
        self._asked: set[int] = set()
        self._prefix = f"incident-table-{id(self)}/"
        self._italic = QFont()
        self._italic.setItalic(True)

    # -- source, scope and order -------------------------------------------------------------

    def set_source(self, archive: Archive | None, runner: TaskRunner | None) -> None:
        self._archive, self._runner = archive, runner
        self.reload()

    @property
    def scope(self) -> IncidentScope:
        return self._scope

    def set_scope(self, scope: IncidentScope) -> None:
        if scope != self._scope:
            self._scope = scope
            self.reload()

    @property
    def order(self) -> TableOrder:
        return self._order

    @property
    def layout(self) -> TableLayout | None:
        return self._layout

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(TABLE_COLUMNS):
            return
        wanted = TableOrder(TABLE_COLUMNS[column], order == Qt.SortOrder.DescendingOrder)
        if wanted != self._order or self._layout is None:
            self._order = wanted
            self.reload()

    def reload(self) -> None:
        """Count and order the rows again (after a sort, a new scope, an import)."""
        archive, runner = self._archive, self._runner
        if runner is not None:
            runner.discard(self._prefix)
        if archive is None or runner is None:
            self._reset(None)
            return
        scope, order = self._scope, self._order

        def work() -> tuple[TableLayout, list[TableRow]]:
            # the first page comes with the order: the view shows real rows at once, with no
            # round trip and no repaint of empty rows in between
            layout = table.layout(archive, scope, order)
            return layout, table.rows(archive, layout, 0, PAGE_ROWS)

        runner.submit(work, lambda found: self._reset(*found), key=self._prefix + "layout")

    def refresh_rows(self) -> None:
        """Read the shown rows again, same order (a tag or an annotation changed)."""
        if self._runner is not None:
            self._runner.discard(self._prefix + "page")
        pages = list(self._pages)
        self._pages.clear()
        self._asked.clear()
        for page in pages:
            self._request(page)

    def _reset(self, layout: TableLayout | None, first_page: list[TableRow] | None = None) -> None:
        self.beginResetModel()
        self._layout = layout
        self._pages.clear()
        self._asked.clear()
        if first_page is not None:
            self._pages[0] = first_page
        self.endResetModel()
        self.layout_loaded.emit()

    # -- pages -------------------------------------------------------------------------------

    def _request(self, page: int) -> None:
        archive, runner, layout = self._archive, self._runner, self._layout
        if archive is None or runner is None or layout is None or page in self._asked:
            return
        self._asked.add(page)

        def done(rows: list[TableRow]) -> None:
            if layout is not self._layout:
                return
            self._asked.discard(page)
            self._pages[page] = rows
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
            first = page * PAGE_ROWS
            last = min(first + PAGE_ROWS, layout.total) - 1
            if last >= first:
                self.dataChanged.emit(
                    self.index(first, 0), self.index(last, self.columnCount() - 1)
                )
            self.page_loaded.emit(first, last)

        runner.submit(
            lambda: table.rows(archive, layout, page * PAGE_ROWS, PAGE_ROWS),
            done,
            key=f"{self._prefix}page-{page}",
        )

    def row_record(self, row: int) -> TableRow | None:
        """The row's incident when its page is loaded (asks for the page otherwise)."""
        if self._layout is None or not 0 <= row < self._layout.total:
            return None
        page = row // PAGE_ROWS
        rows = self._pages.get(page)
        if rows is None:
            self._request(page)
            return None
        self._pages.move_to_end(page)
        offset = row - page * PAGE_ROWS
        return rows[offset] if offset < len(rows) else None

    def loaded_row_of(self, incident_id: int) -> int | None:
        for page, rows in self._pages.items():
            for offset, row in enumerate(rows):
                if row.id == incident_id:
                    return page * PAGE_ROWS + offset
        return None

    def locate(self, incident_id: int, found: Callable[[int | None], None]) -> None:
        """Call found(row) with the incident's row (None when the table does not hold it)."""
        row = self.loaded_row_of(incident_id)
        archive, runner, layout = self._archive, self._runner, self._layout
        if row is not None or archive is None or runner is None or layout is None:
            found(row)
            return
        runner.submit(
            lambda: table.position(archive, layout, incident_id),
            lambda where: found(where) if layout is self._layout else None,
            key=self._prefix + "locate",
        )

    def ids_of_rows(self, rows: list[tuple[int, int]], done: Callable[[list[int]], None]) -> None:
        """The incident ids of row ranges (first, last), read on the worker when not loaded."""
        archive, runner, layout = self._archive, self._runner, self._layout
        if archive is None or runner is None or layout is None:
            done([])
            return

        def work() -> list[int]:
            ids: list[int] = []
            for first, last in rows:
                ids += table.incident_ids(archive, layout, first, last - first + 1)
            return list(dict.fromkeys(ids))

        runner.submit(work, done)

    # -- the model -------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._layout is None:
            return 0
        return self._layout.total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(TABLE_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        name = TABLE_COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr(COLUMN_LABELS[name])
        if role == Qt.ItemDataRole.TextAlignmentRole and name in NUMERIC_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.column() < len(TABLE_COLUMNS):
            return None
        row = self.row_record(index.row())
        column = TABLE_COLUMNS[index.column()]
        if row is None:
            return "…" if role == Qt.ItemDataRole.DisplayRole and index.column() == 1 else None
        if role == Qt.ItemDataRole.DisplayRole:
            return table.cell_text(row, column)
        if role == IncidentIdRole:
            return row.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        corrected = table.corrected(row, column)
        if role == Qt.ItemDataRole.FontRole and corrected.corrected:
            return self._italic
        if role == Qt.ItemDataRole.ToolTipRole:
            text = table.cell_text(row, column)
            if corrected.corrected:
                why = corrected.note or self.tr("no note")
                return plain_tooltip(text, self.tr("Corrected by you ({0})").format(why))
            return plain_tooltip(text) if text else None
        return None


class WelcomePage(QWidget):
    """What an empty archive shows instead of the table: how to fill it."""

    import_files = Signal()
    import_folder = Signal()
    open_samples = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel(self.tr("This archive is empty"), self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        text = QLabel(
            self.tr(
                "Import articles to see them here, on the timeline and in the reader: "
                "archive text, MediaWiki wikitext, Wikipedia's Special:Export XML or plain "
                "text. You can also drop files or folders anywhere on this window."
            ),
            self,
        )
        text.setWordWrap(True)
        buttons = QHBoxLayout()
        self.files_button = QPushButton(self.tr("Import Files…"), self)
        self.folder_button = QPushButton(self.tr("Import Folder…"), self)
        self.samples_button = QPushButton(self.tr("Open the Sample Articles"), self)
        self.samples_button.setToolTip(
            self.tr("Import the two reference articles that come with the program")
        )
        for button in (self.files_button, self.folder_button, self.samples_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.files_button.clicked.connect(self.import_files)
        self.folder_button.clicked.connect(self.import_folder)
        self.samples_button.clicked.connect(self.open_samples)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addLayout(buttons)
        layout.addStretch(2)


class IncidentTablePanel(QWidget):
    """The table with its quick filter, scope line and column chooser, or the welcome page.

    Emits incident_activated(id) when one row becomes current (the reader follows), and
    for the selected rows' incident ids: tag_requested, collect_requested,
    export_requested and timeline_requested."""

    incident_activated = Signal(int)
    tag_requested = Signal(list)
    collect_requested = Signal(list)
    export_requested = Signal(list)
    timeline_requested = Signal(list)
    header_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._following = False  # the selection is being set to follow the reader
        self.model = IncidentTableModel(self)
        self.quick = QLineEdit(self)
        self.quick.setPlaceholderText(self.tr("Filter by title, place, country, perpetrator"))
        self.quick.setClearButtonEnabled(True)
        self.scope_label = QLabel(self)
        self.columns_button = QToolButton(self)
        self.columns_button.setText(self.tr("Columns"))
        self.columns_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.columns_menu = QMenu(self.columns_button)
        self.columns_button.setMenu(self.columns_menu)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        vertical = self.view.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 6)
        vertical.hide()
        header = self.view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(
            lambda point: self.columns_menu.exec(header.mapToGlobal(point))
        )
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self._default_widths()
        self.column_actions: dict[str, QAction] = {}
        for number, name in enumerate(TABLE_COLUMNS):
            action = self.columns_menu.addAction(self.tr(COLUMN_LABELS[name]))
            action.setCheckable(True)
            action.setChecked(name not in DEFAULT_HIDDEN)
            action.toggled.connect(lambda shown, n=number: self._show_column(n, shown))
            self.column_actions[name] = action
            self.view.setColumnHidden(number, name in DEFAULT_HIDDEN)
        self.column_actions["title"].setEnabled(False)  # a row needs its title
        self.welcome = WelcomePage(self)
        self.empty_label = QLabel(self.tr("No incident matches"), self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget(self)
        table_page = QWidget(self)
        table_layout = QVBoxLayout(table_page)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.setSpacing(2)
        bar = QHBoxLayout()
        bar.addWidget(self.quick, 1)
        bar.addWidget(self.scope_label)
        bar.addWidget(self.columns_button)
        table_layout.addLayout(bar)
        table_layout.addWidget(self.view, 1)
        table_layout.addWidget(self.empty_label)
        self.empty_label.hide()
        self.pages.addWidget(table_page)
        self.pages.addWidget(self.welcome)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(250)
        self._filter_timer.timeout.connect(self._apply_quick_filter)
        self.quick.textChanged.connect(lambda _text: self._filter_timer.start())
        self.quick.returnPressed.connect(self._apply_quick_filter)
        self.model.layout_loaded.connect(self._after_layout)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.activated.connect(self._activated)
        header.sectionMoved.connect(lambda *_: self.header_changed.emit())
        header.sectionResized.connect(lambda *_: self.header_changed.emit())
        header.sortIndicatorChanged.connect(lambda *_: self.header_changed.emit())
        self._scope_name = self.tr("All incidents")
        self._build_actions()

    def _build_actions(self) -> None:
        self.open_action = QAction(self.tr("Open"), self)
        self.open_action.triggered.connect(self._open_current)
        self.tag_action = QAction(self.tr("Tag Selected…"), self)
        self.tag_action.setShortcut(QKeySequence("Ctrl+T"))
        self.tag_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.tag_action.triggered.connect(lambda: self._with_selection(self.tag_requested.emit))
        self.collect_action = QAction(self.tr("Add Selected to Collection…"), self)
        self.collect_action.triggered.connect(
            lambda: self._with_selection(self.collect_requested.emit)
        )
        self.export_action = QAction(self.tr("Export Selected…"), self)
        self.export_action.triggered.connect(
            lambda: self._with_selection(self.export_requested.emit)
        )
        self.timeline_action = QAction(self.tr("Show Selected on Timeline"), self)
        self.timeline_action.triggered.connect(
            lambda: self._with_selection(self.timeline_requested.emit)
        )
        self.view.addAction(self.tag_action)
        # actions other modules add to the context menu (the sidebar's "Remove from...")
        self.extra_actions: list[QAction] = []

    def _default_widths(self) -> None:
        for number, name in enumerate(TABLE_COLUMNS):
            self.view.setColumnWidth(number, DEFAULT_WIDTHS[name])

    # -- archive, scope -------------------------------------------------------------------

    def set_archive(self, archive: Archive | None, runner: TaskRunner | None) -> None:
        self.model.set_source(archive, runner)

    def set_scope(self, scope: IncidentScope, name: str) -> None:
        """Show only the scope's incidents (a collection, a saved search...) under a name."""
        self._scope_name = name
        self.model.set_scope(replace(scope, quick=self.quick.text()))

    def _apply_quick_filter(self) -> None:
        self._filter_timer.stop()
        self.model.set_scope(replace(self.model.scope, quick=self.quick.text()))

    def _after_layout(self) -> None:
        layout = self.model.layout
        total = layout.total if layout is not None else 0
        whole = self.model.scope == IncidentScope()
        self.pages.setCurrentIndex(1 if whole and total == 0 and layout is not None else 0)
        self.empty_label.setVisible(total == 0 and not whole)
        self.scope_label.setText(
            self.tr("{0}: {1}").format(self._scope_name, f"{total:,}") if layout else ""
        )

    # -- columns ----------------------------------------------------------------------------

    def _show_column(self, number: int, shown: bool) -> None:
        self.view.setColumnHidden(number, not shown)
        self.header_changed.emit()

    def header_state(self) -> QByteArray:
        return self.view.horizontalHeader().saveState()

    def restore_header(self, state: QByteArray | None) -> None:
        """Columns shown, their order, widths and the sort, as the user left them."""
        header = self.view.horizontalHeader()
        if state is None or not header.restoreState(state):
            return
        for number, name in enumerate(TABLE_COLUMNS):
            action = self.column_actions[name]
            action.blockSignals(True)
            action.setChecked(not header.isSectionHidden(number))
            action.blockSignals(False)
        self.view.setColumnHidden(1, False)
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())

    # -- selection --------------------------------------------------------------------------

    def select_incident(self, incident_id: int) -> None:
        """Make the incident's row current (the reader opened it); no signal goes back."""
        current = self.view.currentIndex()
        if current.isValid() and current.data(IncidentIdRole) == incident_id:
            return

        def found(row: int | None) -> None:
            if row is None:
                self.view.clearSelection()
                return
            self._following = True
            try:
                self.view.setCurrentIndex(self.model.index(row, 1))
                self.view.scrollTo(
                    self.model.index(row, 1), QAbstractItemView.ScrollHint.EnsureVisible
                )
            finally:
                self._following = False

        self.model.locate(incident_id, found)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._following or not current.isValid():
            return
        if len(self.view.selectionModel().selectedRows()) > 1:
            return  # extending a selection does not open every row
        incident_id = current.data(IncidentIdRole)
        if incident_id is not None:
            self.incident_activated.emit(int(incident_id))

    def _activated(self, index: QModelIndex) -> None:
        incident_id = index.data(IncidentIdRole)
        if incident_id is not None:
            self.incident_activated.emit(int(incident_id))

    def _open_current(self) -> None:
        self._activated(self.view.currentIndex())

    def selected_ranges(self) -> list[tuple[int, int]]:
        selection: QItemSelection = self.view.selectionModel().selection()
        ranges = (selection.at(n) for n in range(selection.count()))
        return sorted((r.top(), r.bottom()) for r in ranges)

    def _with_selection(self, done: Callable[[list[int]], None]) -> None:
        ranges = self.selected_ranges()
        if ranges:
            self.model.ids_of_rows(ranges, lambda ids: done(ids) if ids else None)

    def _context_menu(self, point: QPoint) -> None:
        if not self.selected_ranges():
            return
        menu = QMenu(self)
        menu.addAction(self.open_action)
        menu.addSeparator()
        for action in (
            self.tag_action,
            self.collect_action,
            self.export_action,
            self.timeline_action,
            *self.extra_actions,
        ):
            menu.addAction(action)
        menu.exec(self.view.viewport().mapToGlobal(point))
        menu.deleteLater()
