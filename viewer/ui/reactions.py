"""The reactions pane: who reacted to an incident and how, and every incident by actor.

Two trees. "This incident" groups one incident's statements by category and actor; it is
small, so it is held in memory and filtered by a QSortFilterProxyModel. "All incidents by
actor" lists every actor in the archive (aggregated by the service in SQL) and loads an
actor's incidents, and an incident's statements, only when the user expands them.

Article text is untrusted: the trees show it as plain text (item delegates never interpret
markup) and tooltips, which Qt would render as rich text, carry it HTML-escaped.

PySide6 6.12 on Python 3.11 drops a reference to None whenever a Qt call hands None back to
Python (a void method, a null pointer, an empty QVariant), and the interpreter aborts once
None's count runs out. So code here reads rows through the models' Python helpers
(statement_at, incident_id_at) rather than QModelIndex.data(), and makes no Qt call per row.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTabBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from db import Archive
from viewer.services.reactions import (
    CATEGORIES,
    STANCES,
    ActorSummary,
    IncidentRow,
    Statement,
    actor_incidents,
    actor_statements,
    actors,
    incident_reactions,
    stance_counts,
)
from viewer.ui.tasks import TaskRunner

log = logging.getLogger("viewer.ui.reactions")

STATEMENT_ROLE = Qt.ItemDataRole.UserRole + 1
"""data() role giving the Statement of a statement row (None for other rows)."""
INCIDENT_ROLE = Qt.ItemDataRole.UserRole + 2
"""data() role giving the incident id of an incident row in ActorModel (None otherwise)."""

ModelIndex = QModelIndex | QPersistentModelIndex
Work = Callable[[], Any]
Scheduler = Callable[[Work, Callable[[Any], None], Callable[[BaseException], None]], None]
"""Runs work somewhere (the archive worker) and calls back with its result or its error."""

ABBREVIATE_AT = 160
MAX_DETAIL_WIDTH = 160  # pixels: a longer stance summary is elided (its tooltip has it all)
NAME_SHARE = 0.45  # of the width, left to the names before detail columns are hidden
_TOP = QModelIndex()  # the invisible root, as a default argument


def category_label(category: str) -> str:
    labels = {
        "domestic": QCoreApplication.translate("Reactions", "Domestic"),
        "international": QCoreApplication.translate("Reactions", "International"),
        "organizations": QCoreApplication.translate("Reactions", "Organizations"),
    }
    return labels.get(category, category.replace("_", " ").capitalize())


def kind_label(kind: str) -> str:
    labels = {
        "state": QCoreApplication.translate("Reactions", "state"),
        "organization": QCoreApplication.translate("Reactions", "organization"),
        "person": QCoreApplication.translate("Reactions", "person"),
        "body": QCoreApplication.translate("Reactions", "body"),
        "armed_group": QCoreApplication.translate("Reactions", "armed group"),
        "unknown": QCoreApplication.translate("Reactions", "unknown"),
    }
    return labels.get(kind, kind.replace("_", " "))


def stance_label(stance: str) -> str:
    labels = {
        "condemned": QCoreApplication.translate("Reactions", "condemned"),
        "condolences": QCoreApplication.translate("Reactions", "condolences"),
        "solidarity": QCoreApplication.translate("Reactions", "solidarity"),
        "denied responsibility": QCoreApplication.translate("Reactions", "denied responsibility"),
        "claimed responsibility": QCoreApplication.translate("Reactions", "claimed responsibility"),
        "mourning": QCoreApplication.translate("Reactions", "mourning"),
        "compensation": QCoreApplication.translate("Reactions", "compensation"),
        "other": QCoreApplication.translate("Reactions", "other"),
    }
    return labels.get(stance, stance)


def stances_text(counts: dict[str, int]) -> str:
    """The stances of several statements in vocabulary order: "condemned ×2, mourning"."""
    parts = []
    for stance, count in counts.items():
        label = stance_label(stance)
        parts.append(f"{label} ×{count}" if count > 1 else label)
    return ", ".join(parts)


def abbreviate(text: str, limit: int = ABBREVIATE_AT) -> str:
    """One line of at most limit characters, cut at a word where there is one."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def statement_tooltip(statement: Statement) -> str:
    """Rich text by necessity (Qt decides tooltips' format), so every part is escaped."""
    who = html.escape(statement.actor)
    by = ", ".join(html.escape(part) for part in (statement.speaker, statement.role) if part)
    if by and statement.speaker != statement.actor:
        who += f" ({by})"
    return (
        f"<p><b>{who}</b> — {html.escape(stance_label(statement.stance))}</p>"
        f"<p>{html.escape(statement.text)}</p>"
    )


def actor_tooltip(actor: str, kind: str, stances: dict[str, int], counts: str | None = None) -> str:
    lines = [f"<b>{html.escape(actor)}</b> ({html.escape(kind_label(kind))})"]
    if counts:
        lines.append(html.escape(counts))
    if stances:
        lines.append(html.escape(stances_text(stances)))
    return "<p>" + "<br>".join(lines) + "</p>"


def matches(statement: Statement, needle: str) -> bool:
    """The text filter of both modes: actor, speaker, role or text contain it (any case)."""
    needle = needle.casefold()
    return any(
        needle in part.casefold()
        for part in (statement.actor, statement.speaker, statement.role, statement.text)
        if part
    )


# --- the tree both models share -------------------------------------------------------------


@dataclass(frozen=True)
class _Category:
    name: str


@dataclass(frozen=True)
class _Actor:
    name: str
    kind: str
    summary: ActorSummary | None = None


@dataclass(frozen=True)
class _Incident:
    id: int
    title: str
    date: str | None
    statements: int


@dataclass
class _More:
    """The last row of an actor's incidents while more remain to be loaded."""

    remaining: int
    loading: bool = False


@dataclass(eq=False)
class _Node:
    """A row of a tree; the model's indexes point at these (internalPointer)."""

    item: _Category | _Actor | _Incident | _More | Statement | None
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)
    row: int = 0
    fetched: bool = True  # children known (ActorModel loads them on demand)
    pending: bool = False  # a load of the children is under way

    def add(
        self, item: _Category | _Actor | _Incident | _More | Statement, *, fetched: bool = True
    ) -> _Node:
        child = _Node(item, self, row=len(self.children), fetched=fetched)
        self.children.append(child)
        return child

    def statement_count(self) -> int:
        if isinstance(self.item, Statement):
            return 1
        return sum(child.statement_count() for child in self.children)


class _TreeModel(QAbstractItemModel):
    """index()/parent()/rowCount() over a tree of _Node; subclasses say what rows show."""

    NAME, KIND, STANCE = range(3)  # the columns both trees begin with
    COLUMNS = 0

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._root = _Node(None)

    def _node(self, index: ModelIndex) -> _Node:
        if not index.isValid():
            return self._root
        node = index.internalPointer()
        assert isinstance(node, _Node)
        return node

    def statement_at(self, index: ModelIndex) -> Statement | None:
        """The statement of a row, read in Python: QModelIndex.data() turns "no data" into
        None through a C++ round trip that costs a reference to None in PySide6 6.12 on
        Python 3.11 (see the module notes), so code here reads the tree directly."""
        item = self._node(index).item if index.isValid() else None
        return item if isinstance(item, Statement) else None

    def _index_of(self, node: _Node, column: int = 0) -> QModelIndex:
        if node is self._root:
            return QModelIndex()
        return self.createIndex(node.row, column, node)

    def index(self, row: int, column: int, parent: ModelIndex = _TOP) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self._index_of(self._node(parent).children[row], column)

    def parent(self, child: ModelIndex | None = None) -> Any:  # type: ignore[override]
        if child is None:  # QObject.parent()
            return super().parent()
        if not child.isValid():
            return QModelIndex()
        parent = self._node(child).parent
        return QModelIndex() if parent is None else self._index_of(parent)

    def rowCount(self, parent: ModelIndex = _TOP) -> int:
        if parent.column() > 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: ModelIndex = _TOP) -> int:
        return self.COLUMNS

    def hasChildren(self, parent: ModelIndex = _TOP) -> bool:
        if parent.column() > 0:
            return False
        node = self._node(parent)
        return bool(node.children) or not node.fetched

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            headers = self._headers()
            return headers[section] if 0 <= section < len(headers) else None
        return None

    def _headers(self) -> tuple[str, ...]:
        raise NotImplementedError

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def _common_data(self, node: _Node, column: int, role: int) -> Any:
        """What statement rows show in both models, and the roles every row answers."""
        item = node.item
        if role == STATEMENT_ROLE:
            return item if isinstance(item, Statement) else None
        if isinstance(item, Statement):
            if role == Qt.ItemDataRole.DisplayRole:
                if column == self.NAME:
                    return abbreviate(item.text)
                if column == self.STANCE:
                    return stance_label(item.stance)
                return None
            if role == Qt.ItemDataRole.ToolTipRole:
                return statement_tooltip(item)
        return None


class ReactionsModel(_TreeModel):
    """One incident's statements: category -> actor -> statement.

    Categories come in a fixed order (domestic, international, organizations, then any
    other the archive holds); actors in the order the article first mentions them.
    """

    NAME, KIND, STANCE, COUNT = range(4)
    COLUMNS = 4

    def _headers(self) -> tuple[str, ...]:
        return (self.tr("Reaction"), self.tr("Kind"), self.tr("Stance"), self.tr("Statements"))

    def set_statements(self, statements: Sequence[Statement]) -> None:
        self.beginResetModel()
        self._root = _Node(None)
        by_category: dict[str, dict[str, list[Statement]]] = {}
        for statement in statements:
            actors_of = by_category.setdefault(statement.category, {})
            actors_of.setdefault(statement.actor, []).append(statement)
        order = [c for c in CATEGORIES if c in by_category]
        order += sorted(c for c in by_category if c not in CATEGORIES)
        for category in order:
            category_node = self._root.add(_Category(category))
            for actor, said in by_category[category].items():
                actor_node = category_node.add(_Actor(actor, said[0].actor_kind))
                for statement in said:
                    actor_node.add(statement)
        self.endResetModel()

    def statements(self) -> list[Statement]:
        return [
            statement.item
            for category in self._root.children
            for actor in category.children
            for statement in actor.children
            if isinstance(statement.item, Statement)
        ]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._node(index)
        column = index.column()
        item = node.item
        if isinstance(item, Statement):
            return self._common_data(node, column, role)
        if role == STATEMENT_ROLE:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            count = node.statement_count()
            if isinstance(item, _Category):
                if column == self.NAME:
                    return f"{category_label(item.name)} ({count})"
                return str(count) if column == self.COUNT else None
            if isinstance(item, _Actor):
                return {
                    self.NAME: item.name,
                    self.KIND: kind_label(item.kind),
                    self.STANCE: stances_text(stance_counts(self._stances(node))),
                    self.COUNT: str(count),
                }.get(column)
        if role == Qt.ItemDataRole.ToolTipRole and isinstance(item, _Actor):
            return actor_tooltip(item.name, item.kind, stance_counts(self._stances(node)))
        if role == Qt.ItemDataRole.FontRole and isinstance(item, _Category):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COUNT:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    @staticmethod
    def _stances(node: _Node) -> list[str]:
        return [child.item.stance for child in node.children if isinstance(child.item, Statement)]


class ReactionsFilter(QSortFilterProxyModel):
    """Keeps the statements that pass the text and stance filters, and the actors and
    categories above them (recursive filtering)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self._text = ""
        self._stance: str | None = None

    def set_filter(self, text: str, stance: str | None) -> None:
        text = text.strip()
        if (text, stance) == (self._text, self._stance):
            return
        self.beginFilterChange()
        self._text, self._stance = text, stance
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    @property
    def active(self) -> bool:
        return bool(self._text or self._stance)

    def accepts(self, statement: Statement) -> bool:
        if self._stance and statement.stance != self._stance:
            return False
        return not self._text or matches(statement, self._text)

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        if not self.active:
            return True
        source = self.sourceModel()
        assert isinstance(source, ReactionsModel)
        statement = source.statement_at(source.index(source_row, 0, source_parent))
        if statement is None:
            return False  # a category or an actor: shown when a statement under it is
        return self.accepts(statement)


@dataclass(frozen=True)
class ActorLoader:
    """Where ActorModel gets children: an actor's incidents, an actor's statements in one
    incident (both already bound to the archive and the filters of the actor list)."""

    incidents: Callable[[str, int, int], list[IncidentRow]]  # actor, offset, limit
    statements: Callable[[str, int], list[Statement]]  # actor, incident id


class ActorModel(_TreeModel):
    """Every actor of the archive: actor -> incident -> statement, loaded lazily.

    The top level is given whole (set_actors); an actor's incidents and an incident's
    statements are fetched through the loader when the view asks (canFetchMore/fetchMore).
    With a scheduler the loader runs there (the archive worker) and the rows are inserted
    when it reports; without one it runs inside fetchMore (tests, small archives).

    An actor's incidents come a page at a time: a busy actor of a large archive has tens of
    thousands, more than a tree should lay out at once. While more remain, a last "Show
    more" row stands for them (fetch_next_page, which the pane calls when it is picked).
    """

    PAGE_SIZE = 500
    NAME, KIND, STANCE, INCIDENTS, COUNT = range(5)
    COLUMNS = 5

    fetch_failed = Signal(str)

    def __init__(
        self,
        scheduler: Scheduler | None = None,
        parent: QObject | None = None,
        *,
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__(parent)
        self._scheduler = scheduler
        self.page_size = page_size
        self._loader: ActorLoader | None = None
        # Bumped on every reset, so a load that reports after one is dropped.
        self._generation = 0
        # True while the model announces a reset or an insert: a listener that walks the
        # tree then (QAbstractItemModelTester does) must not make it insert more rows.
        self._notifying = False

    def _headers(self) -> tuple[str, ...]:
        return (
            self.tr("Actor"),
            self.tr("Kind"),
            self.tr("Stances"),
            self.tr("Incidents"),
            self.tr("Statements"),
        )

    def set_scheduler(self, scheduler: Scheduler | None) -> None:
        self._scheduler = scheduler

    def set_actors(self, summaries: Sequence[ActorSummary], loader: ActorLoader | None) -> None:
        self._notifying = True
        try:
            self.beginResetModel()
            self._generation += 1
            self._loader = loader
            self._root = _Node(None)
            for summary in summaries:
                self._root.add(_Actor(summary.actor, summary.actor_kind, summary), fetched=False)
            self.endResetModel()
        finally:
            self._notifying = False

    def clear(self) -> None:
        self.set_actors([], None)

    def canFetchMore(self, parent: ModelIndex) -> bool:
        if not parent.isValid() or parent.column() > 0 or self._loader is None:
            return False
        if self._notifying:
            return False
        node = self._node(parent)
        return not node.fetched and not node.pending

    def fetchMore(self, parent: ModelIndex) -> None:
        if not self.canFetchMore(parent):
            return
        node = self._node(parent)
        work = self._work_for(node)
        if work is None:
            node.fetched = True
            return
        self._start(node, work)

    def is_more_row(self, index: ModelIndex) -> bool:
        return index.isValid() and isinstance(self._node(index).item, _More)

    def fetch_next_page(self, index: ModelIndex) -> None:
        """Load the next page of incidents in place of this "Show more" row."""
        if not self.is_more_row(index) or self._loader is None:
            return
        more_node = self._node(index)
        more = more_node.item
        node = more_node.parent
        assert isinstance(more, _More) and node is not None and isinstance(node.item, _Actor)
        if more.loading or node.pending:
            return
        more.loading = True
        self.dataChanged.emit(index.siblingAtColumn(0), index.siblingAtColumn(self.COLUMNS - 1))
        loaded = len(node.children) - 1
        self._start(node, partial(self._loader.incidents, node.item.name, loaded, self.page_size))

    def _start(self, node: _Node, work: Work) -> None:
        node.pending = True
        generation = self._generation
        if self._scheduler is None:
            try:
                rows = work()
            except Exception as error:  # an unreadable archive: reported, not raised into Qt
                self._failed(generation, node, error)
            else:
                self._loaded(generation, node, rows)
        else:
            self._scheduler(
                work,
                partial(self._loaded, generation, node),
                partial(self._failed, generation, node),
            )

    def incident_id_at(self, index: ModelIndex) -> int | None:
        item = self._node(index).item if index.isValid() else None
        return item.id if isinstance(item, _Incident) else None

    def _work_for(self, node: _Node) -> Work | None:
        loader = self._loader
        assert loader is not None
        item = node.item
        if isinstance(item, _Actor):
            return partial(loader.incidents, item.name, 0, self.page_size)
        if isinstance(item, _Incident) and node.parent and isinstance(node.parent.item, _Actor):
            return partial(loader.statements, node.parent.item.name, item.id)
        return None

    def _loaded(self, generation: int, node: _Node, rows: Sequence[Any]) -> None:
        if generation != self._generation:
            return
        node.pending = False
        parent = self._index_of(node)
        self._notifying = True
        try:
            self._drop_more_row(node, parent)
            items: list[_Incident | _More | Statement] = [
                row if isinstance(row, Statement) else _Incident(*row) for row in rows
            ]
            remaining = self._remaining(node, len(rows))
            if remaining > 0:
                items.append(_More(remaining))
            if not items:
                node.fetched = True
                self.dataChanged.emit(parent, parent)  # it has no children after all
                return
            first = len(node.children)
            self.beginInsertRows(parent, first, first + len(items) - 1)
            for item in items:
                node.add(item, fetched=not isinstance(item, _Incident))
            node.fetched = True
            self.endInsertRows()
        finally:
            self._notifying = False

    def _more_data(self, more: _More, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and column == self.NAME:
            if more.loading:
                return self.tr("Loading…")
            page = min(self.page_size, more.remaining)
            return (
                self.tr("Show %1 more (%2 not shown yet)")
                .replace("%1", f"{page:,}")
                .replace("%2", f"{more.remaining:,}")
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            return html.escape(self.tr("Pick this row to load the next incidents"))
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def _drop_more_row(self, node: _Node, parent: QModelIndex) -> None:
        if node.children and isinstance(node.children[-1].item, _More):
            last = len(node.children) - 1
            self.beginRemoveRows(parent, last, last)
            node.children.pop()
            self.endRemoveRows()

    def _remaining(self, node: _Node, page_rows: int) -> int:
        """How many of an actor's incidents are still to load after this page."""
        item = node.item
        if not isinstance(item, _Actor) or item.summary is None or page_rows < self.page_size:
            return 0
        return max(item.summary.incidents - (len(node.children) + page_rows), 0)

    def _failed(self, generation: int, node: _Node, error: BaseException) -> None:
        if generation != self._generation:
            return
        node.pending = False
        if node.children and isinstance(node.children[-1].item, _More):
            node.children[-1].item.loading = False  # picking it again retries
            more = self._index_of(node.children[-1])
            self.dataChanged.emit(more, more.siblingAtColumn(self.COLUMNS - 1))
        node.fetched = True  # not retried on every expand; a refresh of the list retries
        log.error("loading reactions failed: %s", error)
        self.fetch_failed.emit(str(error))

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._node(index)
        column = index.column()
        item = node.item
        if isinstance(item, Statement):
            return self._common_data(node, column, role)
        if role == INCIDENT_ROLE:
            return item.id if isinstance(item, _Incident) else None
        if role == STATEMENT_ROLE:
            return None
        if isinstance(item, _More):
            return self._more_data(item, column, role)
        if role == Qt.ItemDataRole.DisplayRole:
            if isinstance(item, _Actor) and item.summary is not None:
                summary = item.summary
                return {
                    self.NAME: summary.actor,
                    self.KIND: kind_label(summary.actor_kind),
                    self.STANCE: stances_text(summary.stances),
                    self.INCIDENTS: f"{summary.incidents:,}",
                    self.COUNT: f"{summary.statements:,}",
                }.get(column)
            if isinstance(item, _Incident):
                if column == self.NAME:
                    return f"{item.date}  {item.title}" if item.date else item.title
                return f"{item.statements:,}" if column == self.COUNT else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if isinstance(item, _Incident):
                date = html.escape(item.date or self.tr("undated"))
                hint = html.escape(self.tr("Double-click to open the article"))
                return f"<p><b>{html.escape(item.title)}</b><br>{date}</p><p><i>{hint}</i></p>"
            if isinstance(item, _Actor) and item.summary is not None:
                summary = item.summary
                counts = self.tr("%1 incidents, %2 statements")
                counts = counts.replace("%1", f"{summary.incidents:,}")
                counts = counts.replace("%2", f"{summary.statements:,}")
                return actor_tooltip(item.name, item.kind, summary.stances, counts)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.INCIDENTS, self.COUNT):
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None


# --- the pane -------------------------------------------------------------------------------


class ReactionsPane(QWidget):
    """The reactions of the shown incident, or of every incident grouped by actor."""

    INCIDENT_MODE, ACTOR_MODE = 0, 1
    FILTER_DELAY_MS = 250

    statement_selected = Signal(int, int, int)  # incident id, start, end in its body
    incident_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._archive: Archive | None = None
        self._runner: TaskRunner | None = None
        self._incident_id: int | None = None
        self._incident_loaded = False
        self._incident_error: str | None = None
        self._actors_stale = True
        self._actors_loading = False
        self._actors_error: str | None = None

        self.mode_bar = QTabBar(self)
        self.mode_bar.setDocumentMode(True)
        self.mode_bar.setExpanding(False)
        self.mode_bar.addTab(self.tr("This incident"))
        self.mode_bar.addTab(self.tr("All incidents by actor"))
        self.mode_bar.setTabToolTip(0, self.tr("Who reacted to the incident being read"))
        self.mode_bar.setTabToolTip(1, self.tr("Every actor in the archive and its reactions"))

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText(self.tr("Filter actors and statements"))
        self.filter_edit.setClearButtonEnabled(True)
        self.stance_combo = QComboBox(self)
        self.stance_combo.addItem(self.tr("All stances"), None)
        for stance in STANCES:
            self.stance_combo.addItem(stance_label(stance), stance)
        self.stance_combo.setToolTip(self.tr("Show only statements with this stance"))

        self.reactions_model = ReactionsModel(self)
        self.reactions_filter = ReactionsFilter(self)
        self.reactions_filter.setSourceModel(self.reactions_model)
        self.incident_view = self._make_view(self.reactions_filter)

        self.actor_model = ActorModel(parent=self)
        self.actor_view = self._make_view(self.actor_model)

        self.empty_label = QLabel(self)
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setEnabled(False)  # drawn in the dimmed text colour
        self.status_label = QLabel(self)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setEnabled(False)
        self.status_label.setContentsMargins(6, 0, 6, 4)

        self.stack = QStackedWidget(self)
        for page in (self.incident_view, self.actor_view, self.empty_label):
            self.stack.addWidget(page)

        filters = QHBoxLayout()
        filters.setContentsMargins(4, 0, 4, 0)
        filters.addWidget(self.filter_edit, 1)
        filters.addWidget(self.stance_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.mode_bar)
        layout.addLayout(filters)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.status_label)

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(self.FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._reload_actors)

        self.mode_bar.currentChanged.connect(self._on_mode_changed)
        self.filter_edit.textChanged.connect(self._on_filter_changed)
        self.stance_combo.currentIndexChanged.connect(self._on_stance_changed)
        self.actor_model.fetch_failed.connect(self._show_failure)
        for view in (self.incident_view, self.actor_view):
            view.selectionModel().currentChanged.connect(self._on_current_changed)
            view.activated.connect(self._on_activated)
        self._update_incident_state()

    def _make_view(self, model: QAbstractItemModel) -> QTreeView:
        view = QTreeView(self)
        view.setModel(model)
        view.setUniformRowHeights(True)
        view.setAlternatingRowColors(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setAllColumnsShowFocus(True)
        header = view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        view.viewport().installEventFilter(self)
        return view

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            for view in (self.incident_view, self.actor_view):
                if watched is view.viewport():
                    self._fit_columns(view)
        return super().eventFilter(watched, event)

    def _fit_columns(self, view: QTreeView) -> None:
        """Size the detail columns to their contents (capped), and hide the least needed
        ones when the pane is too narrow to leave the names about half the width."""
        model = view.model()
        header = view.header()
        available = view.viewport().width()
        widths = {
            column: min(
                max(view.sizeHintForColumn(column), header.sectionSizeHint(column)),
                MAX_DETAIL_WIDTH,
            )
            for column in range(1, model.columnCount())
        }
        droppable = (
            [ActorModel.COUNT, ActorModel.KIND]
            if view is self.actor_view
            else [ReactionsModel.KIND]
        )
        hidden: set[int] = set()
        for column in droppable:
            used = sum(width for c, width in widths.items() if c not in hidden)
            if available - used >= available * NAME_SHARE:
                break
            hidden.add(column)
        for column, width in widths.items():
            # Only what changes: this runs on every resize.
            if view.isColumnHidden(column) != (column in hidden):
                view.setColumnHidden(column, column in hidden)
            if column not in hidden and header.sectionSize(column) != width:
                header.resizeSection(column, width)

    # --- public API -------------------------------------------------------------------------

    def set_archive(self, archive: Archive | None, runner: TaskRunner | None) -> None:
        """Read from this archive through this runner (None, None: no archive)."""
        self._archive, self._runner = archive, runner
        self.actor_model.set_scheduler(self._schedule if runner is not None else None)
        self.clear()
        self.actor_model.clear()
        self._actors_stale = True
        if self.mode() == self.ACTOR_MODE:
            self._reload_actors()

    def show_incident(self, incident_id: int) -> None:
        """Show this incident's reactions (loaded on the archive worker)."""
        self._incident_id = incident_id
        self._incident_loaded = False
        self._incident_error = None
        if self._archive is None or self._runner is None:
            return
        archive = self._archive
        self._runner.submit(
            partial(incident_reactions, archive, incident_id),
            partial(self._on_reactions_loaded, incident_id),
            partial(self._on_reactions_failed, incident_id),
            key="reactions",
        )

    def clear(self) -> None:
        """Forget the shown incident."""
        self._incident_id = None
        self._incident_loaded = False
        self._incident_error = None
        self.reactions_model.set_statements([])
        self._update_incident_state()

    def refresh(self) -> None:
        """Read again after the archive changed (an import, a re-index)."""
        self._actors_stale = True
        if self.mode() == self.ACTOR_MODE:
            self._reload_actors()
        if self._incident_id is not None:
            self.show_incident(self._incident_id)

    def mode(self) -> int:
        return self.mode_bar.currentIndex()

    def set_mode(self, mode: int) -> None:
        self.mode_bar.setCurrentIndex(mode)

    @property
    def incident_id(self) -> int | None:
        return self._incident_id

    # --- loading ----------------------------------------------------------------------------

    def _schedule(
        self, work: Work, done: Callable[[Any], None], failed: Callable[[BaseException], None]
    ) -> None:
        assert self._runner is not None
        self._runner.submit(work, done, failed)

    def _on_reactions_loaded(self, incident_id: int, statements: list[Statement]) -> None:
        if incident_id != self._incident_id:
            return
        self._incident_loaded = True
        self.reactions_model.set_statements(statements)
        self._update_incident_state(expand=True)
        self._fit_columns(self.incident_view)

    def _on_reactions_failed(self, incident_id: int, error: BaseException) -> None:
        if incident_id != self._incident_id:
            return
        self._incident_loaded = True
        self._incident_error = self._failure_text(error)
        self.reactions_model.set_statements([])
        self._update_incident_state()
        log.error("reading reactions failed: %s", error)

    def _current_filters(self) -> tuple[str, str | None]:
        index = self.stance_combo.currentIndex()  # item 0 is "All stances"
        return self.filter_edit.text().strip(), STANCES[index - 1] if index > 0 else None

    @Slot()
    def _reload_actors(self) -> None:
        self._filter_timer.stop()
        if self._archive is None or self._runner is None:
            self._update_actor_state()
            return
        archive = self._archive
        text, stance = self._current_filters()
        self._actors_stale = False
        self._actors_loading = True
        self._actors_error = None
        self._update_actor_state()
        self._runner.submit(
            partial(actors, archive, text_filter=text, stance=stance),
            partial(self._on_actors_loaded, archive, text, stance),
            self._on_actors_failed,
            key="reactions-actors",
        )

    def _on_actors_loaded(
        self, archive: Archive, text: str, stance: str | None, summaries: list[ActorSummary]
    ) -> None:
        if archive is not self._archive:
            return
        self._actors_loading = False
        loader = ActorLoader(
            incidents=partial(_incidents_of, archive, stance, text),
            statements=partial(_statements_of, archive, stance, text),
        )
        self.actor_model.set_actors(summaries, loader)
        self._update_actor_state()
        self._fit_columns(self.actor_view)

    def _on_actors_failed(self, error: BaseException) -> None:
        self._actors_loading = False
        self._actors_error = self._failure_text(error)
        self.actor_model.clear()
        self._update_actor_state()
        log.error("reading reactions failed: %s", error)

    @Slot(object)
    def _show_failure(self, error: object) -> None:
        # An archive that cannot be read (locked, damaged): the message says why.
        log.error("reading reactions failed: %s", error)
        self.status_label.setText(self._failure_text(error))

    def _failure_text(self, error: object) -> str:
        return self.tr("Could not read the reactions: %1").replace("%1", str(error))

    # --- what is shown ----------------------------------------------------------------------

    def _update_incident_state(self, *, expand: bool = False) -> None:
        """Show the tree or say why there is none; expand opens the categories (or, while
        filtering, everything) as after a new incident or a new filter."""
        if self.mode() != self.INCIDENT_MODE:
            return
        total = self.reactions_model.rowCount() > 0
        shown = self.reactions_filter.rowCount() > 0
        if self._incident_id is None:
            self._show_empty(self.tr("No incident selected"))
        elif not self._incident_loaded:
            self._show_empty(self.tr("Loading reactions…"))
        elif self._incident_error:
            self._show_empty(self._incident_error)
        elif not total:
            self._show_empty(self.tr("No reactions in this article"))
        elif not shown:
            self._show_empty(self.tr("No reactions match the filter"))
        else:
            self.stack.setCurrentWidget(self.incident_view)
            if expand:
                self._expand_incident_tree()
        statements = self.reactions_model.statements()
        if not statements:
            self.status_label.clear()
        elif self.reactions_filter.active:
            shown_count = sum(1 for s in statements if self.reactions_filter.accepts(s))
            self.status_label.setText(
                self.tr("%1 of %2 statements")
                .replace("%1", f"{shown_count:,}")
                .replace("%2", f"{len(statements):,}")
            )
        else:
            actor_count = len({(s.category, s.actor) for s in statements})
            self.status_label.setText(
                f"{self._count_text(len(statements), 'statements')} · "
                f"{self._count_text(actor_count, 'actors')}"
            )

    def _expand_incident_tree(self) -> None:
        if self.reactions_filter.active:
            self.incident_view.expandAll()
        else:
            self.incident_view.expandToDepth(0)  # the categories, not every actor

    def _update_actor_state(self) -> None:
        if self.mode() != self.ACTOR_MODE:
            return
        count = self.actor_model.rowCount()
        text, stance = self._current_filters()
        if self._archive is None:
            self._show_empty(self.tr("No archive open"))
        elif self._actors_loading and count == 0:
            self._show_empty(self.tr("Loading actors…"))
        elif self._actors_error:
            self._show_empty(self._actors_error)
        elif count == 0:
            self._show_empty(
                self.tr("No actors match the filter")
                if text or stance
                else self.tr("No reactions in this archive")
            )
        else:
            self.stack.setCurrentWidget(self.actor_view)
        if self._actors_loading:
            self.status_label.setText(self.tr("Loading actors…"))
        else:
            self.status_label.setText(self._count_text(count, "actors"))

    def _count_text(self, count: int, what: str) -> str:
        # Whole strings per form, so no "(s)" shows while the program has no translations.
        if what == "actors":
            text = self.tr("1 actor") if count == 1 else self.tr("%1 actors")
        else:
            text = self.tr("1 statement") if count == 1 else self.tr("%1 statements")
        return text.replace("%1", f"{count:,}")

    def _show_empty(self, text: str) -> None:
        self.empty_label.setText(text)
        self.stack.setCurrentWidget(self.empty_label)

    # --- user actions -----------------------------------------------------------------------

    @Slot(int)
    def _on_mode_changed(self, mode: int) -> None:
        if mode == self.ACTOR_MODE:
            if self._actors_stale or self._filter_timer.isActive():
                self._reload_actors()
            else:
                self._update_actor_state()
            self._fit_columns(self.actor_view)
        else:
            self._update_incident_state()
            self._fit_columns(self.incident_view)

    @Slot(str)
    def _on_filter_changed(self, _text: str) -> None:
        self._apply_incident_filter()
        self._actors_stale = True
        if self.mode() == self.ACTOR_MODE:
            self._filter_timer.start()  # one archive read once typing pauses

    @Slot(int)
    def _on_stance_changed(self, _index: int) -> None:
        self._apply_incident_filter()
        self._actors_stale = True
        if self.mode() == self.ACTOR_MODE:
            self._reload_actors()

    def _apply_incident_filter(self) -> None:
        text, stance = self._current_filters()
        self.reactions_filter.set_filter(text, stance)
        self._update_incident_state(expand=True)

    def _statement_at(self, index: QModelIndex) -> Statement | None:
        if not index.isValid():
            return None
        if index.model() is self.reactions_filter:
            return self.reactions_model.statement_at(self.reactions_filter.mapToSource(index))
        if index.model() is self.actor_model:
            return self.actor_model.statement_at(index)
        return None

    def _load_more_at(self, index: QModelIndex) -> bool:
        model = self.actor_model
        if index.isValid() and index.model() is model and model.is_more_row(index):
            model.fetch_next_page(index)
            return True
        return False

    @Slot(QModelIndex, QModelIndex)
    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        statement = self._statement_at(current)
        if statement is not None:
            self.statement_selected.emit(statement.incident_id, statement.start, statement.end)
        else:
            self._load_more_at(current)  # arrowing or clicking onto "Show more" loads them

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        if self._load_more_at(index):
            return
        statement = self._statement_at(index)
        if statement is not None:
            self.statement_selected.emit(statement.incident_id, statement.start, statement.end)
            return
        incident_id = (
            self.actor_model.incident_id_at(index)
            if index.isValid() and index.model() is self.actor_model
            else None
        )
        if incident_id is not None:
            self.incident_requested.emit(incident_id)


def _incidents_of(
    archive: Archive, stance: str | None, text: str, actor: str, offset: int, limit: int
) -> list[IncidentRow]:
    return actor_incidents(archive, actor, stance, text_filter=text, offset=offset, limit=limit)


def _statements_of(
    archive: Archive, stance: str | None, text: str, actor: str, incident_id: int
) -> list[Statement]:
    return actor_statements(archive, actor, incident_id, stance=stance, text_filter=text)
