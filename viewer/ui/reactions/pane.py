"""The reactions pane: who reacted to an incident and how, and every incident by actor.

Two trees. "This incident" groups one incident's statements by category and actor; it is
small, so it is held in memory and filtered by a QSortFilterProxyModel. "All incidents by
actor" lists every actor in the archive (aggregated by the service in SQL) and loads an
actor's incidents, and an incident's statements, only when the user expands them. The
models are in models.py.

Article text is untrusted: the trees show it as plain text (item delegates never interpret
markup) and tooltips, which Qt would render as rich text, carry it HTML-escaped.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
    Slot,
)
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

from db.records import StoredReaction
from db.scopes import IncidentScope
from viewer.services.vocabulary import STANCES
from viewer.ui.deferred import deferred
from viewer.ui.reactions.labels import stance_label
from viewer.ui.reactions.models import (
    ActorLoader,
    ActorModel,
    ReactionsFilter,
    ReactionsModel,
)
from viewer.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from db import Archive
    from viewer.services import reactions
    from viewer.services.reactions import ActorSummary, IncidentRow
else:
    reactions = deferred("viewer.services.reactions")

log = logging.getLogger("viewer.ui.reactions")

MAX_DETAIL_WIDTH = 160  # pixels: a longer stance summary is elided (its tooltip has it all)
NAME_SHARE = 0.45  # of the width, left to the names before detail columns are hidden


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
        self._task_prefix = f"reactions-{id(self)}/"
        self._incident_id: int | None = None
        self._incident_loaded = False
        self._incident_error: str | None = None
        self._actors_stale = True
        self._actors_loading = False
        self._actors_error: str | None = None
        self._scope: IncidentScope | None = None

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
        if self._runner is not None:
            self._runner.discard(self._task_prefix)  # still being read: the previous archive
        self._archive, self._runner = archive, runner
        self.actor_model.set_scheduler(runner)
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
            self._on_reactions_loaded,
            self._on_reactions_failed,
            key=self._task_prefix + "incident",
        )

    def clear(self) -> None:
        """Forget the shown incident."""
        if self._runner is not None:
            self._runner.discard(self._task_prefix + "incident")
        self._incident_id = None
        self._incident_loaded = False
        self._incident_error = None
        self.reactions_model.set_statements([])
        self._update_incident_state()

    def set_scope(self, scope: IncidentScope | None, name: str = "") -> None:
        """Group by actor over these incidents only (a collection, a saved search) named
        name; None: the whole archive."""
        scoped = scope is not None and scope != IncidentScope()
        label = (
            self.tr("{0} by actor").format(name) if scoped else self.tr("All incidents by actor")
        )
        self.mode_bar.setTabText(1, label)
        if scope == self._scope:
            return
        self._scope = scope
        self._actors_stale = True
        if self.mode() == self.ACTOR_MODE:
            self._reload_actors()

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

    def _on_reactions_loaded(self, statements: list[StoredReaction]) -> None:
        self._incident_loaded = True
        self.reactions_model.set_statements(statements)
        self._update_incident_state(expand=True)
        self._fit_columns(self.incident_view)

    def _on_reactions_failed(self, error: BaseException) -> None:
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
            partial(actors, archive, text_filter=text, stance=stance, scope=self._scope),
            partial(self._on_actors_loaded, archive, text, stance),
            self._on_actors_failed,
            key=self._task_prefix + "actors",
        )

    def _on_actors_loaded(
        self, archive: Archive, text: str, stance: str | None, summaries: list[ActorSummary]
    ) -> None:
        self._actors_loading = False
        loader = ActorLoader(
            incidents=partial(_incidents_of, archive, stance, text, self._scope),
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

    def _statement_at(self, index: QModelIndex) -> StoredReaction | None:
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


def incident_reactions(archive: Archive, incident_id: int) -> list[StoredReaction]:
    return reactions.incident_reactions(archive, incident_id)  # on the worker


def actors(
    archive: Archive, *, text_filter: str, stance: str | None, scope: IncidentScope | None
) -> list[ActorSummary]:
    return reactions.actors(archive, text_filter=text_filter, stance=stance, scope=scope)


def _incidents_of(
    archive: Archive, stance: str | None, text: str, scope: IncidentScope | None, actor: str,
    offset: int, limit: int,
) -> list[IncidentRow]:  # fmt: skip
    return reactions.actor_incidents(
        archive, actor, stance, text_filter=text, offset=offset, limit=limit, scope=scope
    )


def _statements_of(
    archive: Archive, stance: str | None, text: str, actor: str, incident_id: int
) -> list[StoredReaction]:
    return reactions.actor_statements(archive, actor, incident_id, stance=stance, text_filter=text)
