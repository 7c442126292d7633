"""The Analysis view: charts of the archive or of the sidebar's scope (incidents and deaths
per year or month stacked by perpetrator or country, the stances per incident, who reacted
to which incident), drawn with matplotlib on a Qt canvas. A click on a bar shows its
incidents in the table; on an incident's bar or point, opens it. Save… writes PNG or SVG.

matplotlib is imported when the view is first shown, never at start-up. The aggregates are
read on the archive worker (SQL, viewer/services/charts.py); only drawing runs here.
Kept apart from main_window.py, which calls make_analysis() only."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.scopes import IncidentScope
from viewer.services.outputs import OutputRefused, atomic_output, check_output
from viewer.ui.deferred import deferred
from viewer.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from db import Archive
    from viewer.services import charts
    from viewer.services.chart_figures import ChartTarget
    from viewer.ui.main_window import MainWindow
else:
    charts = deferred("viewer.services.charts")

KINDS = (
    ("incidents-per-year", "Incidents over time"),
    ("deaths-per-year", "Deaths over time"),
    ("stances", "Stances per incident"),
    ("reactions-matrix", "Actors × incidents"),
)
STACKS = (("perpetrator", "By perpetrator"), ("country", "By country"), ("none", "Not stacked"))
PERIODS = (("year", "Per year"), ("month", "Per month"))


class AnalysisView(QWidget):
    """incident_requested(id) for a click on an incident; incidents_requested(ids, label)
    for a click on a bar that stands for several."""

    incident_requested = Signal(int)
    incidents_requested = Signal(list, str)
    chart_shown = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("analysis-view")
        self._archive: Archive | None = None
        self._runner: TaskRunner | None = None
        self._scope = IncidentScope()
        self._scope_name = ""
        self._stale = True
        self.chart: charts.Chart | None = None
        self.targets: dict[str, ChartTarget] = {}
        self.canvas: Any = None
        self.dock: QDockWidget | None = None
        self.kind = self._combo(KINDS)
        self.stack = self._combo(STACKS)
        self.period = self._combo(PERIODS)
        self.save_button = QPushButton(self.tr("Save…"), self)
        self.save_button.setToolTip(self.tr("Save the chart as a PNG or SVG file"))
        self.save_button.clicked.connect(self.choose_file)
        self.scope_label = QLabel(self)
        self.scope_label.setTextFormat(Qt.TextFormat.PlainText)
        hint = self.tr("Click a bar to list its incidents in the table, an incident to open it")
        self.setToolTip(hint)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for widget in (self.kind, self.stack, self.period, self.save_button):
            bar.addWidget(widget)
        bar.addWidget(self.scope_label, 1)
        self.placeholder = QLabel(self.tr("Open an archive to see its charts."), self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = QVBoxLayout()
        self.body.addWidget(self.placeholder, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addLayout(bar)
        layout.addLayout(self.body, 1)
        for combo in (self.kind, self.stack, self.period):
            combo.currentIndexChanged.connect(self._options_changed)
        self._options_changed()

    def _combo(self, items: tuple[tuple[str, str], ...]) -> QComboBox:
        combo = QComboBox(self)
        for value, label in items:
            combo.addItem(self.tr(label), value)
        return combo

    # -- source and scope ---------------------------------------------------------------------

    def set_source(self, archive: Archive | None, runner: TaskRunner | None) -> None:
        self._archive, self._runner = archive, runner
        self.refresh()

    def set_scope(self, scope: IncidentScope, name: str) -> None:
        self._scope, self._scope_name = scope, name if scope != IncidentScope() else ""
        self.refresh()

    def _options_changed(self, *_args: object) -> None:
        per_period = self.kind.currentData() in ("incidents-per-year", "deaths-per-year")
        self.stack.setEnabled(per_period)
        self.period.setEnabled(per_period)
        self.refresh()

    def refresh(self) -> None:
        """Read the chart again (now if shown, else when it is next shown)."""
        self._stale = True
        if self.isVisible() and not self.visibleRegion().isEmpty():
            self._load()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._load()

    def dock_shown(self, visible: bool) -> None:
        """Its dock's tab came to the front. A dock tabbed behind the timeline is "visible"
        to Qt but covered: the chart (and matplotlib) wait until it is in front, not
        loaded on the GUI thread each time an archive opens (issue 13)."""
        if visible and self._stale:
            self._load()

    def _load(self) -> None:
        archive, runner = self._archive, self._runner
        if archive is None or runner is None:
            return
        self._stale = False
        kind, stack, period = (
            self.kind.currentData(),
            self.stack.currentData(),
            self.period.currentData(),
        )
        scope = self._scope if self._scope != IncidentScope() else None
        name = self._scope_name
        self.scope_label.setText(self.tr("Reading…"))
        # as many incidents and actors as the view has room for (a saved file: 30 x 25)
        room = self.canvas.size() if self.canvas is not None else self.size()
        rows = max(3, min(30, (room.height() - 90) // 18))
        columns = max(3, min(25, (room.width() - 420) // 22))

        def work() -> charts.Chart:
            return charts.chart_data(
                archive,
                kind,
                scope,
                stack=stack,
                period=period,
                scope_name=name,
                rows=rows,
                columns=columns,
            )

        runner.submit(work, self._show, self._failed, key="analysis")

    def _failed(self, error: BaseException) -> None:
        self.scope_label.setText(self.tr("Cannot draw the chart: {0}").format(error))

    # -- drawing --------------------------------------------------------------------------------

    def _ensure_canvas(self) -> Any:
        if self.canvas is None:
            from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
            from matplotlib.figure import Figure

            self.canvas = FigureCanvasQTAgg(Figure(dpi=self.logicalDpiY()))  # type: ignore[no-untyped-call]
            self.canvas.setObjectName("analysis-canvas")
            self.canvas.mpl_connect("pick_event", self._picked)
            self.body.removeWidget(self.placeholder)
            self.placeholder.hide()
            self.body.addWidget(self.canvas, 1)
        return self.canvas

    def chart_style(self) -> Any:
        from viewer.services.chart_figures import ChartStyle

        palette = self.palette()
        return ChartStyle(
            background=palette.color(QPalette.ColorRole.Base).name(),
            foreground=palette.color(QPalette.ColorRole.Text).name(),
            grid=palette.color(QPalette.ColorRole.Mid).name(),
        )

    def _show(self, chart: charts.Chart) -> None:
        from viewer.services.chart_figures import draw

        canvas = self._ensure_canvas()
        self.chart = chart
        self.targets = draw(canvas.figure, chart, self.chart_style())
        canvas.draw_idle()
        self.scope_label.setText(
            self.tr("“{0}”").format(self._scope_name)
            if self._scope_name
            else self.tr("All incidents")
        )
        self.chart_shown.emit()

    def _picked(self, event: Any) -> None:
        from viewer.services.chart_figures import target_of

        indices = getattr(event, "ind", None)
        index = int(indices[0]) if indices is not None and len(indices) else None
        target = target_of(event.artist, index, self.targets)
        if target is not None:
            self.follow(target)

    def follow(self, target: ChartTarget) -> None:
        """Open the incident a part stands for, or list the incidents of a bar."""
        if target.incident_id is not None:
            self.incident_requested.emit(target.incident_id)
            return
        chart, archive, runner = self.chart, self._archive, self._runner
        if not isinstance(chart, charts.PeriodChart) or target.period_index is None:
            return
        if archive is None or runner is None:
            return
        scope = self._scope if self._scope != IncidentScope() else None
        period = chart.periods[target.period_index]
        label = period if chart.stack == "none" else f"{period} · {chart.label(target.group)}"

        def work() -> list[int]:
            return charts.segment_incidents(
                archive, chart, target.period_index or 0, target.group, scope
            )

        runner.submit(
            work, lambda ids: self.incidents_requested.emit(ids, label), key="analysis-bar"
        )

    # -- saving ---------------------------------------------------------------------------------

    def choose_file(self) -> None:
        if self.chart is None or self._archive is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save chart"), str(Path.home() / f"{self.kind.currentData()}.png"),
            self.tr("PNG image (*.png);;SVG image (*.svg)"),
        )  # fmt: skip
        if path:
            self.save(Path(path))

    def save(self, path: Path) -> None:
        """Write the shown chart as PNG or SVG (by the name's suffix), off the GUI thread."""
        chart, archive, runner = self.chart, self._archive, self._runner
        if chart is None or archive is None or runner is None:
            return
        if path.suffix.lower() not in (".png", ".svg"):
            path = path.with_suffix(".png")
        try:
            check_output(archive, path, self.tr("the chart"))
        except OutputRefused as exc:
            QMessageBox.warning(self, self.tr("Save chart"), str(exc))
            return

        def work() -> Path:
            from viewer.services.chart_figures import save_chart

            with atomic_output(path, "wb") as handle:
                save_chart(chart, path, handle)
            return path

        def failed(error: BaseException) -> None:
            if not isinstance(error, (OutputRefused, OSError, ValueError)):
                raise error
            QMessageBox.critical(self, self.tr("Save chart"), str(error))

        runner.submit(work, lambda done: self.saved.emit(str(done)), failed)

    saved = Signal(str)


def make_analysis(window: MainWindow) -> AnalysisView:
    """The window's hook: the Analysis dock beside the timeline, following the sidebar's
    scope; a click on a bar lists its incidents in the table."""
    view = AnalysisView(window)
    dock = QDockWidget(view.tr("Analysis"), window)
    dock.setObjectName("dock-analysis")
    dock.setWidget(view)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    window.tabifyDockWidget(window.timeline_dock, dock)
    window.timeline_dock.raise_()
    view.dock = dock
    dock.visibilityChanged.connect(view.dock_shown)
    window.view_menu.insertAction(window.view_menu.actions()[1], dock.toggleViewAction())
    sidebar = window.collections
    sidebar.scope_changed.connect(view.set_scope)
    window.archive_opened.connect(lambda: view.set_source(window.archive, window.runner))
    window.events.facts_changed.connect(lambda _id: view.refresh())
    window.importer.finished.connect(lambda _report: view.refresh())
    view.incident_requested.connect(window.open_incident)

    def list_incidents(ids: list[int], label: str) -> None:
        window.table.set_scope(IncidentScope(incident_ids=frozenset(ids)), label)
        window.timeline.set_emphasis(frozenset(ids))
        window.statusBar().showMessage(
            view.tr(
                "{0} incidents of {1} in the table; choose an entry in Collections to "
                "see it whole again"
            ).format(len(ids), label),
            8000,
        )

    view.incidents_requested.connect(list_incidents)
    view.saved.connect(
        lambda path: window.statusBar().showMessage(
            view.tr("Chart saved to {0}").format(path), 5000
        )
    )
    return view
