"""The main window: timeline, reader and reactions tree, with search, menus and history."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QWidget,
)

from db.errors import ArchiveError, Condition
from db.locations import is_server_url, public_location
from viewer import APP_NAME
from viewer.ui.analysis import make_analysis
from viewer.ui.annotate import AnnotationDialog
from viewer.ui.archive_access import ArchiveAccess
from viewer.ui.archive_files import ArchiveFiles
from viewer.ui.collections import make_sidebar
from viewer.ui.deferred import deferred
from viewer.ui.exports import ExportController
from viewer.ui.help import HelpMenu
from viewer.ui.importer import (
    ImportController,
    importing_reason,
    keep_the_archive_while_importing,
    show_committed_counts,
    show_committed_while_importing,
)
from viewer.ui.incident_table import IncidentTablePanel
from viewer.ui.lazy_panes import ANNOTATIONS, LAZY, NOTE, TAGS, built
from viewer.ui.live import LiveUpdates
from viewer.ui.preferences import add_preferences, reader_font
from viewer.ui.reactions.pane import ReactionsPane
from viewer.ui.reader import ArticleReader
from viewer.ui.research import undo
from viewer.ui.research.bookmarks import BookmarksPane, fill_bookmarks_menu, follow_bookmarks
from viewer.ui.research.undo import push_change
from viewer.ui.search import SearchPane
from viewer.ui.session import Session
from viewer.ui.settings import Settings
from viewer.ui.tasks import Lane, TaskRunner
from viewer.ui.theme import THEMES, apply_theme
from viewer.ui.timeline.view import TimelineView
from viewer.ui.workbench import Workbench

if TYPE_CHECKING:
    from db import Archive
    from viewer.services import reading, research
    from viewer.ui.research.base import ResearchPane
else:  # the archive layer loads after the window shows, on the worker (issue 13)
    reading = deferred("viewer.services.reading")
    research = deferred("viewer.services.research")

log = logging.getLogger("viewer.ui")
LEFT, RIGHT = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
LANES = (
    ("none", "No lanes"),
    ("perpetrator", "By perpetrator"),
    ("place", "By place"),
    ("country", "By country"),
)
# What the views read the archive with: loaded on the worker as the archive opens, so the
# window shows before them and no view imports them on the GUI thread (issue 13).
VIEW_SERVICES = (
    "viewer.services.catalog",
    "viewer.services.collections",
    "viewer.services.incident_table",
    "viewer.services.reactions",
    "viewer.services.research",
    "viewer.services.timeline",
)


class MainWindow(QMainWindow):
    """Emits archive_opened when an archive is ready and incident_shown(id) after the reader
    shows an incident (tests and the research layer hang on these)."""

    archive_opened = Signal()
    incident_shown = Signal(int)
    annotations_pane, tags_pane, note_editor = ANNOTATIONS, TAGS, NOTE  # built when first shown

    def __init__(self, settings: Settings, runner: TaskRunner | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.runner = runner or TaskRunner(self)
        self.archive: Archive | None = None
        self.current_id: int | None = None
        self._back: list[int] = []
        self._forward: list[int] = []
        self.setObjectName("MainWindow")
        self.setAcceptDrops(True)
        self.resize(QSize(1280, 800))
        self.reader = ArticleReader(self)
        self.table = IncidentTablePanel(self)
        # the centre: the incident table over the reader, as a mail or reference manager
        self.central_split = QSplitter(Qt.Orientation.Vertical, self)
        self.central_split.setObjectName("central-split")
        self.central_split.addWidget(self.table)
        self.central_split.addWidget(self.reader)
        self.central_split.setStretchFactor(0, 2)
        self.central_split.setStretchFactor(1, 3)
        self.central_split.setChildrenCollapsible(False)
        self.setCentralWidget(self.central_split)
        self.timeline = TimelineView(self)
        self.reactions = ReactionsPane(self)
        self.search = SearchPane(self)
        self.timeline_dock = self._dock(
            "timeline", self.tr("Timeline"), self.timeline, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.search_dock = self._dock(
            "search", self.tr("Search"), self.search, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.reactions_dock = self._dock(
            "reactions", self.tr("Reactions"), self.reactions, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.events = undo.ResearchEvents(self)
        self.live = LiveUpdates(self)  # a team archive: teammates' changes as they happen
        self.undo_stack = undo.make_stack(self)
        self.bookmarks_pane = BookmarksPane(self)  # built now: it fills the Bookmarks menu
        self.annotations_dock = self._dock("annotations", self.tr("Annotations"), None, RIGHT)
        self.note_dock = self._dock("note", self.tr("Note"), None, RIGHT)
        self.tags_dock = self._dock("tags", self.tr("Tags"), None, LEFT)
        self.bookmarks_dock = self._dock(
            "bookmarks", self.tr("Bookmarks"), self.bookmarks_pane, LEFT
        )
        self.tabifyDockWidget(self.reactions_dock, self.annotations_dock)
        self.tabifyDockWidget(self.annotations_dock, self.note_dock)
        self.tabifyDockWidget(self.search_dock, self.tags_dock)
        self.tabifyDockWidget(self.tags_dock, self.bookmarks_dock)
        self.reactions_dock.raise_()
        self.search_dock.raise_()
        self.pending_reattach: int | None = None
        self.tag_filter = ""
        self.exporter = ExportController(self, self.runner)
        self.importer = ImportController(self, self.runner)
        self.importer.max_article_mb = settings.max_article_mb
        self.importer.finished.connect(self._after_import)
        show_committed_while_importing(self)
        self.workbench = Workbench(self)
        self.count_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.count_label)
        self.access_label = QLabel(self)
        self.access_label.setVisible(False)
        self.statusBar().addPermanentWidget(self.access_label)
        self.access = ArchiveAccess(self)
        self.files = ArchiveFiles(self)
        self._build_actions()
        self._build_menus()
        self._connect()
        self._restore_layout()
        self.update_title()

    # -- construction ----------------------------------------------------------------------

    def _built_panes(self, *more: ResearchPane) -> list[Any]:
        """The research panes built so far (the others catch up when built), and more."""
        names = ("annotations_pane", "tags_pane", "note_editor")
        return [p for p in (*(built(self, n) for n in names), *more) if p is not None]

    def _dock(
        self, name: str, title: str, widget: QWidget | None, area: Qt.DockWidgetArea
    ) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{name}")
        dock.setWidget(widget or LAZY[name].placeholder(self, dock))  # None: built when shown
        self.addDockWidget(area, dock)
        return dock

    def _action(
        self,
        text: str,
        slot: object,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        files = self.files
        self.open_action = self._action(
            self.tr("&Open Archive…"), files.choose_archive, key.Open, self.tr("Open an archive")
        )
        self.new_action = self._action(
            self.tr("&New Archive…"), files.new_archive, key.New, self.tr("Start a new archive")
        )
        self.open_team_action = self._action(
            self.tr("Open &Team Archive…"),
            files.choose_team_archive,
            None,
            self.tr("Open a team archive on a PostgreSQL server"),
        )
        self.import_files_action = self._action(
            self.tr("&Import Files…"), self.choose_files, "Ctrl+I", self.tr("Import article files")
        )
        self.import_folder_action = self._action(
            self.tr("Import &Folder…"),
            self.choose_folder,
            "Ctrl+Shift+I",
            self.tr("Import every article in a folder and its subfolders"),
        )
        self.quit_action = self._action(self.tr("&Quit"), self.close, key.Quit)
        self.find_action = self._action(
            self.tr("&Find in Article…"), self.reader.open_find, key.Find
        )
        self.find_next_action = self._action(
            self.tr("Find &Next"), self.reader.find_next, key.FindNext
        )
        self.find_previous_action = self._action(
            self.tr("Find &Previous"), self.reader.find_previous, key.FindPrevious
        )
        self.search_action = self._action(self.tr("&Search Archive"), self.focus_search, "Ctrl+K")
        self.search_action.setShortcuts([QKeySequence("Ctrl+K"), QKeySequence("Ctrl+L")])
        self.back_action = self._action(self.tr("&Back"), self.go_back, key.Back)
        self.forward_action = self._action(self.tr("&Forward"), self.go_forward, key.Forward)
        self.zoom_in_action = self._action(
            self.tr("Zoom &In"), lambda: self.zoom_reader(1), key.ZoomIn
        )
        self.zoom_out_action = self._action(
            self.tr("Zoom &Out"), lambda: self.zoom_reader(-1), key.ZoomOut
        )
        self.zoom_reset_action = self._action(self.tr("&Reset Zoom"), self.reset_zoom, "Ctrl+0")
        # Alt, not Ctrl+Shift: Ctrl+Shift+= is the key press of Ctrl++ (the text's zoom)
        self.timeline_in_action = self._action(
            self.tr("Timeline Zoom In"), self.timeline.zoom_in, "Alt+="
        )
        self.timeline_out_action = self._action(
            self.tr("Timeline Zoom Out"), self.timeline.zoom_out, "Alt+-"
        )
        self.fit_action = self._action(self.tr("&Fit Timeline"), self.timeline.fit_all, "Alt+0")
        self.undo_action = self.undo_stack.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcut(key.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, self.tr("&Redo"))
        # spelled out: QKeySequence(Redo) is Ctrl+Shift+Z on X11, and a sequence bound twice
        # is an "ambiguous shortcut" that never fires
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.annotate_action = self._action(
            self.tr("&Annotate Selection…"),
            lambda: self.reader.request_annotation(),
            "Ctrl+E",
            self.tr("Highlight the selected passage with a note"),
        )
        self.bookmark_action = self._action(
            self.tr("&Bookmark This Place"), self.bookmark_place, "Ctrl+D"
        )
        self.bookmark_incident_action = self._action(
            self.tr("Bookmark &Incident"), self.bookmark_incident, "Ctrl+Shift+D"
        )
        self.import_annotations_action = self._action(
            self.tr("Import &Annotations (W3C)…"), files.choose_annotations_file
        )
        self.backup_action = self._action(self.tr("&Back Up Archive…"), files.choose_backup)
        self.recover_action = self._action(
            self.tr("&Recover Damaged Archive…"),
            lambda: self.access.choose_recovery(),
            tip=self.tr("Copy everything still readable from a damaged archive into a new one"),
        )
        self.export_actions = {
            fmt: self._action(label, lambda _c=False, f=fmt: self.exporter.choose(self.archive, f))
            for fmt, label in (
                ("json", self.tr("JSON (everything)…")),
                ("csv", self.tr("CSV, one row per incident…")),
                ("markdown", self.tr("Markdown research report…")),
                ("w3c", self.tr("W3C Web Annotations (JSON-LD)…")),
                ("csl-json", self.tr("Citations (CSL-JSON)…")),
            )
        }
        self.back_action.setEnabled(False)
        self.forward_action.setEnabled(False)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.open_action)
        file_menu.addAction(self.open_team_action)
        self.recent_menu = file_menu.addMenu(self.tr("Open &Recent"))
        self.recent_menu.aboutToShow.connect(self.files.fill_recent)
        file_menu.addSeparator()
        file_menu.addAction(self.import_files_action)
        file_menu.addAction(self.import_folder_action)
        file_menu.addAction(self.import_annotations_action)
        export = file_menu.addMenu(self.tr("&Export"))
        for action in self.export_actions.values():
            export.addAction(action)
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.recover_action)
        self.file_menu = file_menu
        self.file_end_separator = file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit = bar.addMenu(self.tr("&Edit"))
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        edit.addSeparator()
        edit.addAction(self.annotate_action)
        edit.addSeparator()
        for action in (
            self.find_action,
            self.find_next_action,
            self.find_previous_action,
            self.search_action,
        ):
            edit.addAction(action)
        self.edit_menu = edit
        view = bar.addMenu(self.tr("&View"))
        for dock in (
            self.timeline_dock,
            self.search_dock,
            self.reactions_dock,
            self.annotations_dock,
            self.note_dock,
            self.tags_dock,
            self.bookmarks_dock,
        ):
            view.addAction(dock.toggleViewAction())
        view.addSeparator()
        for action in (self.zoom_in_action, self.zoom_out_action, self.zoom_reset_action):
            view.addAction(action)
        view.addSeparator()
        for action in (self.timeline_in_action, self.timeline_out_action, self.fit_action):
            view.addAction(action)
        lanes = view.addMenu(self.tr("Timeline &Lanes"))
        self.lane_actions: dict[str, QAction] = {}
        for mode, label in LANES:
            action = lanes.addAction(self.tr(label))
            action.setCheckable(True)
            action.triggered.connect(lambda _checked=False, m=mode: self.set_lane_mode(m))
            self.lane_actions[mode] = action
        theme = view.addMenu(self.tr("&Theme"))
        self.theme_actions: dict[str, QAction] = {}
        for name in THEMES:
            action = theme.addAction(self.tr(name.capitalize()))
            action.setCheckable(True)
            action.triggered.connect(lambda _checked=False, n=name: self.set_theme(n))
            self.theme_actions[name] = action
        self.view_menu = view
        go = bar.addMenu(self.tr("&Go"))
        go.addAction(self.back_action)
        go.addAction(self.forward_action)
        self.go_menu = go
        self.bookmarks_menu = bar.addMenu(self.tr("&Bookmarks"))
        self.bookmarks_menu.aboutToShow.connect(self._fill_bookmarks_menu)
        self.help = HelpMenu(self, bar.addMenu(self.tr("&Help")))
        toolbar = self.addToolBar(self.tr("Main"))
        toolbar.setObjectName("toolbar-main")
        for action in (self.open_action, self.import_files_action, self.import_folder_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        for action in (
            self.back_action,
            self.forward_action,
            self.search_action,
            self.find_action,
            self.fit_action,
        ):
            toolbar.addAction(action)
        toolbar.addSeparator()
        for action in (
            self.annotate_action,
            self.bookmark_action,
            self.undo_action,
            self.redo_action,
        ):
            toolbar.addAction(action)
        self.toolbar = toolbar

    def _connect(self) -> None:
        self.timeline.incident_activated.connect(self.open_incident)
        self.search.incident_activated.connect(self.open_incident)
        self.search.results_changed.connect(self.timeline.set_emphasis)
        self.reader.link_activated.connect(self.open_incident)
        self.reactions.statement_selected.connect(self._show_statement)
        self.reactions.incident_requested.connect(self.open_incident)
        self.runner.busy_changed.connect(self._busy)
        self.runner.storage_failed.connect(self.access.storage_failed)
        self.reader.annotate_requested.connect(self.annotate)
        self.reader.annotation_clicked.connect(self.edit_annotation)
        self.reader.recolor_requested.connect(self.recolor_annotation)
        self.reader.bookmark_requested.connect(lambda start: self.add_bookmark(start))
        self.reader.reattach_requested.connect(self.reattach)
        self.events.annotations_changed.connect(self._annotations_changed)
        self.bookmarks_pane.bookmark_activated.connect(self.open_bookmark)
        self.workbench.wire()
        self.collections = make_sidebar(self)
        self.analysis = make_analysis(self)
        self.preferences_action = add_preferences(self)
        keep_the_archive_while_importing(self)
        show_committed_counts(self)
        self.session = Session(self)
        follow_bookmarks(self)

    def _restore_layout(self) -> None:
        if self.settings.geometry is not None:
            self.restoreGeometry(self.settings.geometry)
        if self.settings.window_state is not None:
            self.restoreState(self.settings.window_state)
        else:  # first start: a reader-sized centre, a timeline strip, side panes
            self.resizeDocks([self.timeline_dock], [230], Qt.Orientation.Vertical)
            self.resizeDocks(
                [self.search_dock, self.reactions_dock], [300, 380], Qt.Orientation.Horizontal
            )
        if self.settings.central_split is not None:
            self.central_split.restoreState(self.settings.central_split)
        self.table.restore_header(self.settings.table_header)
        mode = self.settings.lane_mode
        self.set_lane_mode(mode if mode in dict(LANES) else "none")
        self.theme_actions.get(self.settings.theme, self.theme_actions["system"]).setChecked(True)
        self.reader.set_text_font(
            reader_font(self.settings, self.reader.base_font), self.settings.reader_zoom
        )

    # -- archives --------------------------------------------------------------------------

    def open_archive(self, path: Path | str) -> None:
        """Open (or create) an archive off the GUI thread; errors get a dialog. A
        postgresql:// URL opens a team archive."""
        location: Path | str = path if is_server_url(path) else Path(path)
        if self.importer.running:  # File > Open is off meanwhile; Open Recent's list too
            self.statusBar().showMessage(importing_reason(self), 8000)
            return

        def work() -> Archive:
            from db import open_archive

            archive = open_archive(location)
            for name in VIEW_SERVICES:
                importlib.import_module(name)
            return archive

        shown = self.show_opening(location)
        self.runner.submit(work, self._archive_ready, lambda e: self._archive_failed(shown, e))

    def show_opening(self, path: Path | str) -> Path | str:
        """Say that the archive is opening (status bar; with no archive yet, the count and
        the timeline too, instead of "No archive open"); returns its name as shown."""
        location: Path | str = path if is_server_url(path) else Path(path)
        shown = public_location(str(location)) if isinstance(location, str) else location
        self.statusBar().showMessage(self.tr("Opening {0}…").format(shown))
        if self.archive is None:
            self.count_label.setText(self.tr("Opening…"))
            name = shown.name if isinstance(shown, Path) else shown
            self.timeline.set_waiting(self.tr("Opening {0}…").format(name))
        return shown

    def _archive_ready(self, archive: Archive) -> None:
        previous = self.archive
        self.archive = archive
        self.current_id = None
        self._back.clear()
        self._forward.clear()
        self._update_history_actions()
        self.settings.last_archive = archive.location  # a team archive's URL: no password
        self.reader.clear()
        self.timeline.set_archive(archive, self.runner)  # first: what the window fills first
        self.table.set_archive(archive, self.runner)
        self.reactions.set_archive(archive, self.runner)
        self.search.set_archive(archive, self.runner)
        self.undo_stack.clear()
        for pane in self._built_panes(self.bookmarks_pane):
            pane.set_archive(archive, self.runner, self.undo_stack, self.events)
        self.refresh_count()
        if archive.read_only_reason:
            self.statusBar().showMessage(
                self.tr("Opened {0} read-only: {1}").format(
                    archive.location, archive.read_only_reason
                )
            )
        else:
            self.statusBar().showMessage(self.tr("Opened {0}").format(archive.location), 4000)
        if previous is not None:  # after the jobs still running on it (an export)
            self.runner.submit(previous.close, lane=Lane.JOBS)
        self.access.opened(archive)
        self.live.follow(archive)
        self.archive_opened.emit()

    def _archive_failed(self, path: Path | str, error: BaseException) -> None:
        if not isinstance(error, ArchiveError):
            raise error
        self.statusBar().clearMessage()
        self.timeline.set_waiting(None)
        self.refresh_count()
        self.settings.forget_archive(str(path))
        if error.condition is Condition.DAMAGED and isinstance(path, Path):
            self.access.open_failed(path)
            return
        QMessageBox.critical(
            self,
            self.tr("Cannot open archive"),
            self.tr(
                "{0}\n\nChoose another archive with File > Open Archive, or start a new one "
                "with File > New Archive."
            ).format(error),
        )

    def refresh_count(self) -> None:
        archive = self.archive
        if archive is None:
            self.count_label.setText(self.tr("No archive"))
            return

        def work() -> int:
            from viewer.services.catalog import count

            return count(archive)

        self.runner.submit(
            work,
            lambda n: self.count_label.setText(self.tr("{0} incidents").format(f"{n:,}")),
            key="count",
            ahead=True,  # an index-only count, before the panes' first reads
        )

    def update_title(self) -> None:
        name = f" — {self.archive.name}" if self.archive else ""
        state = self.tr(" (read-only)") if self.archive and self.access.read_only_reason else ""
        self.setWindowTitle(f"{APP_NAME}{name}{state}")

    # -- importing -------------------------------------------------------------------------

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Import articles"),
            "",
            self.tr("Articles (*.txt *.wiki *.wikitext *.mediawiki *.xml);;All files (*)"),
        )
        self.import_paths(files)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Import a folder of articles"))
        if folder:
            self.import_paths([folder])

    def import_paths(self, paths: list[str]) -> bool:
        if self.archive is None or not paths:
            return False
        if self.importer.running:  # the window stays usable during an import: say why not
            self.statusBar().showMessage(
                self.tr("An import is running: import more once it has finished"), 6000
            )
            return False
        return self.importer.start(self.archive, paths)

    def _after_import(self, report: object) -> None:
        self.archive_content_changed()

    def archive_content_changed(self) -> None:
        """Incidents came or changed (an import here, or a teammate's): show them."""
        if self.archive is None:
            return
        self.timeline.set_archive(self.archive, self.runner)
        self.search.set_archive(self.archive, self.runner)
        self.table.model.reload()
        self.refresh_count()
        if self.current_id is not None:
            self.open_incident(self.current_id, remember=False)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and self.archive is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths and self.import_paths(paths):
            event.acceptProposedAction()

    # -- showing incidents ------------------------------------------------------------------

    def open_incident(self, incident_id: int, remember: bool = True) -> None:
        archive = self.archive
        if archive is None:
            return
        if remember and self.current_id is not None and self.current_id != incident_id:
            self._back.append(self.current_id)
            self._forward.clear()

        def work() -> reading.IncidentView:
            return reading.load_incident_view(archive, incident_id)

        # ahead of the panes' reads still waiting (their first fill after the archive opens):
        # the incident asked for is shown first
        self.runner.submit(work, self._show_view, self._view_failed, key="reader", ahead=True)

    def _show_view(self, view: reading.IncidentView) -> None:
        self.current_id = view.id
        self.reader.show_incident(view)
        self.timeline.select_incident(view.id)
        self.timeline.set_events([(date.fromisoformat(e.date), e.text) for e in view.events])
        self.reactions.show_incident(view.id)
        for pane in self._built_panes():
            pane.show_incident(view.id)
        self._annotations_changed(view.id)
        # last: finding the row of an incident the table has not loaded numbers its whole
        # order (about 150 ms at 100,000), which the panes' reads should not wait behind
        self.table.select_incident(view.id)
        self._update_history_actions()
        self.statusBar().showMessage(view.title, 3000)
        self.incident_shown.emit(view.id)

    def _view_failed(self, error: BaseException) -> None:
        from viewer.services.catalog import IncidentNotFound

        if isinstance(error, IncidentNotFound):
            self.statusBar().showMessage(str(error), 5000)
            return
        raise error

    def _show_statement(self, incident_id: int, start: int, end: int) -> None:
        if incident_id == self.current_id:
            self.reader.show_span(start, end)
            return
        self.incident_shown.connect(
            lambda _id: self.reader.show_span(start, end), Qt.ConnectionType.SingleShotConnection
        )
        self.open_incident(incident_id)

    def go_back(self) -> None:
        if self._back:
            if self.current_id is not None:
                self._forward.append(self.current_id)
            self.open_incident(self._back.pop(), remember=False)
            self._update_history_actions()

    def go_forward(self) -> None:
        if self._forward:
            if self.current_id is not None:
                self._back.append(self.current_id)
            self.open_incident(self._forward.pop(), remember=False)
            self._update_history_actions()

    def _update_history_actions(self) -> None:
        self.back_action.setEnabled(bool(self._back))
        self.forward_action.setEnabled(bool(self._forward))

    # -- the research layer -----------------------------------------------------------------

    def push_research(self, command_class: type[undo.Change], *args: Any, **kwargs: Any) -> bool:
        """Run a research change through the undo stack; user-fixable problems get a line in
        the status bar, storage problems a dialog. A failed change never lands on the stack."""
        error = push_change(self.undo_stack, command_class, *args, **kwargs)
        if isinstance(error, ArchiveError):
            QMessageBox.critical(self, self.tr("Not saved"), str(error))
        elif error is not None:
            self.statusBar().showMessage(str(error), 6000)
        return error is None

    def _annotations_changed(self, incident_id: int) -> None:
        archive, current = self.archive, self.current_id
        if archive is None or current is None or incident_id not in (0, current):
            return
        self.runner.submit(
            lambda: research.list_annotations(archive, incident_id=current),
            lambda found: (
                self.reader.set_annotations(found) if self.current_id == current else None
            ),
            key="reader-annotations",
        )

    def with_known_tags(self, then: Callable[[list[str]], None]) -> None:
        """Read the archive's tag names on the worker, then call then(names) (the annotation
        dialog offers them)."""
        archive = self.archive
        if archive is not None:
            self.runner.submit(
                lambda: [t.name for t in research.tags_with_counts(archive)], then, key="known-tags"
            )

    def annotate(self, start: int, end: int, colour: str) -> None:
        archive, current, view = self.archive, self.current_id, self.reader.view
        if archive is None or current is None or view is None:
            return
        if colour:
            self.push_research(
                undo.CreateAnnotation, archive, self.events, current, start, end, colour
            )
            return

        def ask(known: list[str]) -> None:
            if self.archive is not archive or self.current_id != current:
                return  # another incident is shown by now
            dialog = AnnotationDialog(view.body[start:end], known_tags=known, parent=self)
            if dialog.exec() == AnnotationDialog.DialogCode.Accepted:
                self.push_research(
                    undo.CreateAnnotation, archive, self.events, current, start, end,
                    dialog.color, dialog.note_text, dialog.tag_names,
                )  # fmt: skip

        self.with_known_tags(ask)

    def _annotation(self, annotation_id: int) -> research.AnnotationView | None:
        return next((a for a in self.reader.annotations if a.id == annotation_id), None)

    def edit_annotation(self, annotation_id: int) -> None:
        annotation, archive = self._annotation(annotation_id), self.archive
        if annotation is None or archive is None:
            return

        def ask(known: list[str]) -> None:
            if self.archive is not archive:
                return
            dialog = AnnotationDialog(
                annotation.quote, color=annotation.color, note=annotation.note,
                tags=annotation.tags, known_tags=known, existing=True, parent=self,
            )  # fmt: skip
            if dialog.exec() != AnnotationDialog.DialogCode.Accepted:
                return
            if dialog.result_delete:
                self.push_research(undo.DeleteAnnotation, archive, self.events, annotation)
            else:
                self.push_research(
                    undo.EditAnnotation, archive, self.events, annotation,
                    color=dialog.color, note=dialog.note_text, tags=dialog.tag_names,
                )  # fmt: skip

        self.with_known_tags(ask)

    def recolor_annotation(self, annotation_id: int, colour: str) -> None:
        annotation = self._annotation(annotation_id)
        if annotation is not None and self.archive is not None and annotation.color != colour:
            self.push_research(
                undo.EditAnnotation,
                self.archive,
                self.events,
                annotation,
                color=colour,
                note=annotation.note,
                tags=annotation.tags,
            )

    def _choose_reattach(self, annotation_id: int) -> None:
        self.pending_reattach = annotation_id
        self.statusBar().showMessage(
            self.tr("Select the passage in the article, then choose Re-attach from its menu."),
            10000,
        )

    def reattach(self, start: int, end: int) -> None:
        archive, current = self.archive, self.current_id
        if archive is None or current is None:
            return

        def chosen(orphans: list[research.AnnotationView]) -> None:
            if self.archive is not archive or self.current_id != current:
                return
            found = next((a for a in orphans if a.id == self.pending_reattach), None)
            if found is None and len(orphans) == 1:
                found = orphans[0]
            if found is None:
                self.statusBar().showMessage(
                    self.tr("Choose the orphaned annotation in the Annotations pane first."), 8000
                )
                return
            self.pending_reattach = None
            self.push_research(undo.ReattachAnnotation, archive, self.events, found, start, end)

        self.runner.submit(
            lambda: research.list_annotations(archive, incident_id=current, orphaned=True),
            chosen,
            key="reattach",
        )

    def add_bookmark(self, start: int | None, label: str | None = None) -> None:
        if self.archive is None or self.current_id is None:
            return
        if self.push_research(
            undo.AddBookmark, self.archive, self.events, self.current_id, label, start
        ):
            self.statusBar().showMessage(self.tr("Bookmarked"), 3000)

    def bookmark_place(self) -> None:
        self.add_bookmark(self.reader.current_place())

    def bookmark_incident(self) -> None:
        self.add_bookmark(None)

    def _fill_bookmarks_menu(self) -> None:
        self.bookmarks_menu.clear()
        self.bookmarks_menu.addAction(self.bookmark_action)
        self.bookmarks_menu.addAction(self.bookmark_incident_action)
        self.bookmarks_menu.addSeparator()
        if self.archive is not None:  # the Bookmarks pane's list, kept current on the worker
            fill_bookmarks_menu(
                self.bookmarks_menu, self.bookmarks_pane.model.records(), self.open_bookmark
            )

    def open_bookmark(self, incident_id: int, start: int) -> None:
        if start >= 0:
            self._show_statement(incident_id, start, start)
        else:
            self.open_incident(incident_id)

    def filter_by_tag(self, tag: str) -> None:
        """Emphasise on the timeline, and restrict searches to, incidents with the tag."""
        archive = self.archive
        self.tag_filter = tag
        if archive is None or not tag:
            self.runner.discard("tag-filter")  # a tag chosen just before is not applied
            self.search.set_incident_filter(None)
            self.timeline.set_emphasis(frozenset())
            self.statusBar().showMessage(self.tr("Tag filter cleared"), 3000)
            return

        def show(ids: frozenset[int]) -> None:
            self.search.set_incident_filter(ids)
            self.timeline.set_emphasis(ids)
            self.statusBar().showMessage(
                self.tr("Showing {0} incidents tagged “{1}”").format(len(ids), tag), 6000
            )

        self.runner.submit(lambda: research.tagged_incidents(archive, tag), show, key="tag-filter")

    # -- view ------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_dock.show()
        self.search_dock.raise_()
        self.search.focus_field()

    def zoom_reader(self, steps: int) -> None:
        self.reader.zoom_by(steps)
        self.settings.reader_zoom = self.settings.reader_zoom + steps

    def reset_zoom(self) -> None:
        self.reader.zoom_by(-self.settings.reader_zoom)
        self.settings.reader_zoom = 0

    def set_lane_mode(self, mode: str) -> None:
        for name, action in self.lane_actions.items():
            action.setChecked(name == mode)
        self.settings.lane_mode = mode
        self.timeline.set_lane_mode(mode)

    def set_theme(self, name: str) -> None:
        for theme, action in self.theme_actions.items():
            action.setChecked(theme == name)
        self.settings.theme = name
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, name)

    def _busy(self, busy: bool) -> None:
        if busy:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        else:
            QApplication.restoreOverrideCursor()

    def closeEvent(self, event: QCloseEvent) -> None:
        if note := built(self, "note_editor"):
            note.flush()
        self.importer.cancel()
        self.session.save()
        self.settings.geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        self.settings.central_split = self.central_split.saveState()
        self.settings.table_header = self.table.header_state()
        self.settings.sync()
        archive = self.archive
        self.live.stop()
        self.runner.shutdown()
        if archive is not None:
            archive.close()
        super().closeEvent(event)
