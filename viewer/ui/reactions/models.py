"""The reactions trees as Qt models: one incident's statements (category -> actor ->
statement, filtered in memory) and every actor of the archive (actor -> incident ->
statement, loaded as the view expands it).

What a row shows is looked up in tables: per kind of row, per column, the function that
gives the text (display_cells), and per kind of row its tooltip and font. data() itself
only dispatches on the role.

PySide6 6.12 on Python 3.11 drops a reference to None whenever a Qt call hands None back to
Python (a void method, a null pointer, an empty QVariant), and the interpreter aborts once
None's count runs out. So code here reads rows through the models' Python helpers
(statement_at, incident_id_at) rather than QModelIndex.data(), and makes no Qt call per row.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from db.records import StoredReaction
from viewer.services.vocabulary import CATEGORIES
from viewer.ui.deferred import deferred
from viewer.ui.reactions.labels import (
    abbreviate,
    actor_tooltip,
    category_label,
    kind_label,
    matches,
    stance_label,
    stances_text,
    statement_tooltip,
)

if TYPE_CHECKING:
    from viewer.services import reactions
    from viewer.services.reactions import ActorSummary, IncidentRow
else:
    reactions = deferred("viewer.services.reactions")

log = logging.getLogger("viewer.ui.reactions")

STATEMENT_ROLE = Qt.ItemDataRole.UserRole + 1
"""data() role giving the StoredReaction of a statement row (None for other rows)."""
INCIDENT_ROLE = Qt.ItemDataRole.UserRole + 2
"""data() role giving the incident id of an incident row in ActorModel (None otherwise)."""

ModelIndex = QModelIndex | QPersistentModelIndex
Work = Callable[[], Any]


class Scheduler(Protocol):
    """Runs work somewhere (the archive worker) and calls back with its result or its
    error, dropping what a newer task of the same key, or discard(), made stale: the
    TaskRunner."""

    def submit(
        self,
        work: Work,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        *,
        key: str | None = None,
    ) -> object: ...

    def discard(self, prefix: str) -> None: ...


_TOP = QModelIndex()  # the invisible root, as a default argument
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


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


Item = _Category | _Actor | _Incident | _More | StoredReaction


@dataclass(eq=False)
class _Node:
    """A row of a tree; the model's indexes point at these (internalPointer)."""

    item: Item | None
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)
    row: int = 0
    fetched: bool = True  # children known (ActorModel loads them on demand)
    pending: bool = False  # a load of the children is under way

    def add(self, item: Item, *, fetched: bool = True) -> _Node:
        child = _Node(item, self, row=len(self.children), fetched=fetched)
        self.children.append(child)
        return child

    def statement_count(self) -> int:
        if isinstance(self.item, StoredReaction):
            return 1
        return sum(child.statement_count() for child in self.children)


Cell = Callable[[_Node], Any]
"""What one column of one kind of row shows (or its tooltip, or its font)."""


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


def _italic() -> QFont:
    font = QFont()
    font.setItalic(True)
    return font


class _TreeModel(QAbstractItemModel):
    """index()/parent()/rowCount() over a tree of _Node; subclasses say what rows show by
    filling the tables display_cells (row kind -> column -> text), tooltips and fonts
    (row kind -> value), and RIGHT_ALIGNED (columns of numbers)."""

    NAME, KIND, STANCE = range(3)  # the columns both trees begin with
    COLUMNS = 0
    RIGHT_ALIGNED: frozenset[int] = frozenset()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._root = _Node(None)
        statement_cells: dict[int, Cell] = {
            self.NAME: lambda node: abbreviate(self._statement(node).text),
            self.STANCE: lambda node: stance_label(self._statement(node).stance),
        }
        self.display_cells: dict[type, dict[int, Cell]] = {StoredReaction: statement_cells}
        self.tooltips: dict[type, Cell] = {
            StoredReaction: lambda node: statement_tooltip(self._statement(node))
        }
        self.fonts: dict[type, Cell] = {}

    @staticmethod
    def _statement(node: _Node) -> StoredReaction:
        assert isinstance(node.item, StoredReaction)
        return node.item

    def _node(self, index: ModelIndex) -> _Node:
        if not index.isValid():
            return self._root
        node = index.internalPointer()
        assert isinstance(node, _Node)
        return node

    def statements_under(self, index: ModelIndex) -> list[StoredReaction]:
        """Every statement in the subtree of a row (a category's, an actor's)."""
        found: list[StoredReaction] = []
        stack = [self._node(index)]
        while stack:
            node = stack.pop()
            if isinstance(node.item, StoredReaction):
                found.append(node.item)
            stack.extend(node.children)
        return found

    def statement_at(self, index: ModelIndex) -> StoredReaction | None:
        """The statement of a row, read in Python: QModelIndex.data() turns "no data" into
        None through a C++ round trip that costs a reference to None in PySide6 6.12 on
        Python 3.11 (see the module notes), so code here reads the tree directly."""
        item = self._node(index).item if index.isValid() else None
        return item if isinstance(item, StoredReaction) else None

    def _index_of(self, node: _Node, column: int = 0) -> QModelIndex:
        if node is self._root:
            return QModelIndex()
        return self.createIndex(node.row, column, node)

    def index(self, row: int, column: int, parent: ModelIndex = _TOP) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self._index_of(self._node(parent).children[row], column)

    def parent(self, child: ModelIndex | None = None) -> Any:
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

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._node(index)
        item = node.item
        if role == STATEMENT_ROLE:
            return item if isinstance(item, StoredReaction) else None
        if role == INCIDENT_ROLE:
            return item.id if isinstance(item, _Incident) else None
        kind = type(item)
        cell: Cell | None = None
        if role == Qt.ItemDataRole.DisplayRole:
            cell = self.display_cells.get(kind, {}).get(index.column())
        elif role == Qt.ItemDataRole.ToolTipRole:
            cell = self.tooltips.get(kind)
        elif role == Qt.ItemDataRole.FontRole:
            cell = self.fonts.get(kind)
        elif role == Qt.ItemDataRole.TextAlignmentRole:
            numbers = index.column() in self.RIGHT_ALIGNED and kind not in (StoredReaction, _More)
            return _RIGHT if numbers else None
        return cell(node) if cell is not None else None


class ReactionsModel(_TreeModel):
    """One incident's statements: category -> actor -> statement.

    Categories come in a fixed order (domestic, international, organizations, then any
    other the archive holds); actors in the order the article first mentions them.
    """

    NAME, KIND, STANCE, COUNT = range(4)
    COLUMNS = 4
    RIGHT_ALIGNED = frozenset({COUNT})

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.display_cells[_Category] = {
            self.NAME: lambda n: f"{category_label(self._category(n))} ({n.statement_count()})",
            self.COUNT: lambda n: str(n.statement_count()),
        }
        self.display_cells[_Actor] = {
            self.NAME: lambda n: self._actor(n).name,
            self.KIND: lambda n: kind_label(self._actor(n).kind),
            self.STANCE: lambda n: stances_text(reactions.stance_counts(self._stances(n))),
            self.COUNT: lambda n: str(n.statement_count()),
        }
        self.tooltips[_Actor] = lambda n: actor_tooltip(
            self._actor(n).name, self._actor(n).kind, reactions.stance_counts(self._stances(n))
        )
        self.fonts[_Category] = lambda _n: _bold()

    def _headers(self) -> tuple[str, ...]:
        return (self.tr("Reaction"), self.tr("Kind"), self.tr("Stance"), self.tr("Statements"))

    @staticmethod
    def _category(node: _Node) -> str:
        assert isinstance(node.item, _Category)
        return node.item.name

    @staticmethod
    def _actor(node: _Node) -> _Actor:
        assert isinstance(node.item, _Actor)
        return node.item

    @staticmethod
    def _stances(node: _Node) -> list[str]:
        return [
            child.item.stance for child in node.children if isinstance(child.item, StoredReaction)
        ]

    def set_statements(self, statements: Sequence[StoredReaction]) -> None:
        self.beginResetModel()
        self._root = _Node(None)
        by_category: dict[str, dict[str, list[StoredReaction]]] = {}
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

    def statements(self) -> list[StoredReaction]:
        return [
            statement.item
            for category in self._root.children
            for actor in category.children
            for statement in actor.children
            if isinstance(statement.item, StoredReaction)
        ]


_COUNT_SUFFIX = re.compile(r"\((\d+)\)$")


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
        rows = self.rowCount()
        if rows:  # the categories' and actors' counts are of what is shown
            self.dataChanged.emit(self.index(0, 0), self.index(rows - 1, self.columnCount() - 1))

    @property
    def active(self) -> bool:
        return bool(self._text or self._stance)

    def accepts(self, statement: StoredReaction) -> bool:
        if self._stance and statement.stance != self._stance:
            return False
        return not self._text or matches(statement, self._text)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A category's or actor's count under a filter: what the filter shows, of all
        ("Domestic (2 of 6)"), not the count of everything."""
        value = super().data(index, role)
        source = self.sourceModel()
        if (
            not self.active
            or role != Qt.ItemDataRole.DisplayRole
            or not isinstance(value, str)
            or not isinstance(source, ReactionsModel)
        ):
            return value
        source_index = self.mapToSource(index)
        if source.statement_at(source_index) is not None:
            return value
        shown = sum(1 for s in source.statements_under(source_index) if self.accepts(s))
        if index.column() == ReactionsModel.COUNT:
            return str(shown)
        if index.column() == ReactionsModel.NAME:
            return _COUNT_SUFFIX.sub(lambda m: f"({shown} of {m.group(1)})", value)
        return value

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
    statements: Callable[[str, int], list[StoredReaction]]  # actor, incident id


class ActorModel(_TreeModel):
    """Every actor of the archive: actor -> incident -> statement, loaded lazily.

    The top level is given whole (set_actors); an actor's incidents and an incident's
    statements are fetched through the loader when the view asks (canFetchMore/fetchMore).
    With a scheduler the loader runs there (the archive worker) and the rows are inserted
    when it reports (a load overtaken by a reset is discarded there); without one it runs
    inside fetchMore (tests, small archives).

    An actor's incidents come a page at a time: a busy actor of a large archive has tens of
    thousands, more than a tree should lay out at once. While more remain, a last "Show
    more" row stands for them (fetch_next_page, which the pane calls when it is picked).
    """

    PAGE_SIZE = 500
    NAME, KIND, STANCE, INCIDENTS, COUNT = range(5)
    COLUMNS = 5
    RIGHT_ALIGNED = frozenset({INCIDENTS, COUNT})

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
        self._task_prefix = f"actors-{id(self)}/"  # a load per node: <prefix><node id>
        # True while the model announces a reset or an insert: a listener that walks the
        # tree then (QAbstractItemModelTester does) must not make it insert more rows.
        self._notifying = False
        self.display_cells[_Actor] = {
            self.NAME: lambda n: self._summary_of(n, lambda s: s.actor),
            self.KIND: lambda n: self._summary_of(n, lambda s: kind_label(s.actor_kind)),
            self.STANCE: lambda n: self._summary_of(n, lambda s: stances_text(s.stances)),
            self.INCIDENTS: lambda n: self._summary_of(n, lambda s: f"{s.incidents:,}"),
            self.COUNT: lambda n: self._summary_of(n, lambda s: f"{s.statements:,}"),
        }
        self.display_cells[_Incident] = {
            self.NAME: self._incident_name,
            self.COUNT: lambda n: f"{self._incident(n).statements:,}",
        }
        self.display_cells[_More] = {self.NAME: self._more_text}
        self.tooltips[_Actor] = self._actor_tooltip
        self.tooltips[_Incident] = self._incident_tooltip
        self.tooltips[_More] = lambda _n: html.escape(
            self.tr("Pick this row to load the next incidents")
        )
        self.fonts[_More] = lambda _n: _italic()

    def _headers(self) -> tuple[str, ...]:
        return (
            self.tr("Actor"),
            self.tr("Kind"),
            self.tr("Stances"),
            self.tr("Incidents"),
            self.tr("Statements"),
        )

    # --- what rows show ------------------------------------------------------------------

    @staticmethod
    def _summary_of(node: _Node, show: Callable[[ActorSummary], str]) -> str | None:
        item = node.item
        assert isinstance(item, _Actor)
        return show(item.summary) if item.summary is not None else None

    @staticmethod
    def _incident(node: _Node) -> _Incident:
        assert isinstance(node.item, _Incident)
        return node.item

    def _incident_name(self, node: _Node) -> str:
        item = self._incident(node)
        return f"{item.date}  {item.title}" if item.date else item.title

    def _incident_tooltip(self, node: _Node) -> str:
        item = self._incident(node)
        date = html.escape(item.date or self.tr("undated"))
        hint = html.escape(self.tr("Double-click to open the article"))
        return f"<p><b>{html.escape(item.title)}</b><br>{date}</p><p><i>{hint}</i></p>"

    def _actor_tooltip(self, node: _Node) -> str | None:
        item = node.item
        assert isinstance(item, _Actor)
        if item.summary is None:
            return None
        summary = item.summary
        counts = self.tr("%1 incidents, %2 statements")
        counts = counts.replace("%1", f"{summary.incidents:,}")
        counts = counts.replace("%2", f"{summary.statements:,}")
        return actor_tooltip(item.name, item.kind, summary.stances, counts)

    def _more_text(self, node: _Node) -> str:
        more = node.item
        assert isinstance(more, _More)
        if more.loading:
            return self.tr("Loading…")
        page = min(self.page_size, more.remaining)
        return (
            self.tr("Show %1 more (%2 not shown yet)")
            .replace("%1", f"{page:,}")
            .replace("%2", f"{more.remaining:,}")
        )

    # --- loading -------------------------------------------------------------------------

    def set_scheduler(self, scheduler: Scheduler | None) -> None:
        if self._scheduler is not None and self._scheduler is not scheduler:
            self._scheduler.discard(self._task_prefix)
        self._scheduler = scheduler

    def set_actors(self, summaries: Sequence[ActorSummary], loader: ActorLoader | None) -> None:
        self._notifying = True
        try:
            self.beginResetModel()
            if self._scheduler is not None:
                self._scheduler.discard(self._task_prefix)  # loads into the old tree
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

    def fetch_next_page(self, index: QModelIndex) -> None:
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
        if self._scheduler is None:
            try:
                rows = work()
            except Exception as error:  # an unreadable archive: reported, not raised into Qt
                self._failed(node, error)
            else:
                self._loaded(node, rows)
        else:
            self._scheduler.submit(
                work,
                partial(self._loaded, node),
                partial(self._failed, node),
                key=f"{self._task_prefix}{id(node)}",
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

    def _loaded(self, node: _Node, rows: Sequence[Any]) -> None:
        node.pending = False
        parent = self._index_of(node)
        self._notifying = True
        try:
            self._drop_more_row(node, parent)
            items: list[_Incident | _More | StoredReaction] = [
                row if isinstance(row, StoredReaction) else _Incident(*row) for row in rows
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

    def _failed(self, node: _Node, error: BaseException) -> None:
        node.pending = False
        if node.children and isinstance(node.children[-1].item, _More):
            node.children[-1].item.loading = False  # picking it again retries
            more = self._index_of(node.children[-1])
            self.dataChanged.emit(more, more.siblingAtColumn(self.COLUMNS - 1))
        node.fetched = True  # not retried on every expand; a refresh of the list retries
        log.error("loading reactions failed: %s", error)
        self.fetch_failed.emit(str(error))
