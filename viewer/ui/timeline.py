"""The timeline pane: incidents on a zoomable date axis, in lanes, painted by hand.

The view asks the timeline service (through the TaskRunner, off the GUI thread) for the
window it shows plus a margin; the service returns single incidents or, when the window is
dense, clusters aggregated in SQL. Pixel positions are computed once per fetch or zoom, so a
paint only walks the visible slice of a sorted list.
"""

from __future__ import annotations

import calendar
import html
import logging
import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QDate,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QHelpEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QStaticText,
    QWheelEvent,
)
from PySide6.QtWidgets import QToolTip, QWidget

from db import Archive
from viewer.services.timeline import (
    LANE_MODES,
    TimelineBounds,
    TimelineItem,
    TimelineWindow,
    incident_events,
    incident_neighbour,
    incident_point,
    timeline_bounds,
    timeline_window,
)
from viewer.ui.tasks import TaskRunner

log = logging.getLogger("viewer.ui.timeline")

ModelIndex = QModelIndex | QPersistentModelIndex

MIN_RADIUS = 3.5  # a marker for a toll of 0 (or too small to see otherwise)
RADIUS_PER_SQRT = 1.2  # marker area grows with the toll: radius = k * sqrt(fatalities)
MAX_RADIUS = 24.0
UNKNOWN_RADIUS = 4.5
CLUSTER_MIN_RADIUS = 6.0
CLUSTER_MAX_RADIUS = 16.0
HEAT_CELL_RADIUS = 6.0  # clusters this small are drawn as heat-strip cells
BUCKET_PX = 18.0  # a cluster covers about this many pixels of the axis
FETCH_MARGIN = 0.5  # fetch this many view widths beyond each side (small pans stay local)
FETCH_DELAY_MS = 60
MAX_PX_PER_DAY = 600.0
LANE_LABEL_MAX = 180
HIT_SLOP = 3.0


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(ordinal: float) -> date:
    return date.fromordinal(min(max(1, math.floor(ordinal)), date.max.toordinal()))


def format_toll(low: int | None, high: int | None, open_ended: bool) -> str:
    """'60', '28–30+', '40+', or '' when unknown."""
    if low is None and high is None:
        return ""
    if low is None or high is None or low == high:
        text = f"{low if low is not None else high:,}"
    else:
        text = f"{low:,}–{high:,}"
    return text + ("+" if open_ended else "")


def _format_day(day: date) -> str:
    return f"{day.day} {calendar.month_abbr[day.month]} {day.year}"


def item_tooltip(item: TimelineItem, lane_mode: str = "none") -> str:
    """Rich-text tooltip for an item; every article-derived string is escaped."""
    tr = _translate
    lines: list[str] = []
    if item.is_cluster:
        lines.append("<b>" + tr("%1 incidents").replace("%1", f"{item.count:,}") + "</b>")
        span = _format_day(item.start)
        if item.end != item.start:
            span += " – " + _format_day(item.end)
        lines.append(html.escape(span))
        if item.fatalities_max is not None:
            deadliest = f"{item.fatalities_max:,}"
            lines.append(html.escape(tr("Deadliest: %1 killed").replace("%1", deadliest)))
        if item.emphasized:
            lines.append(
                html.escape(tr("%1 match the search").replace("%1", f"{item.emphasized:,}"))
            )
    else:
        lines.append("<b>" + html.escape(item.title or tr("Untitled incident")) + "</b>")
        span = _format_day(item.start)
        if item.end != item.start:
            span += " – " + _format_day(item.end)
        lines.append(html.escape(span))
        toll = format_toll(item.fatalities_min, item.fatalities_max, item.fatalities_open)
        lines.append(
            html.escape(tr("%1 killed").replace("%1", toll) if toll else tr("Toll unknown"))
        )
    if lane_mode != "none" and item.lane:
        lines.append("<i>" + html.escape(item.lane) + "</i>")
    return "<qt>" + "<br>".join(lines) + "</qt>"


def _translate(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("TimelineView", text)


# --- model -------------------------------------------------------------------------------


class TimelineModel(QAbstractListModel):
    """The items of the window the timeline last fetched, one row each."""

    ItemRole = Qt.ItemDataRole.UserRole + 1
    IncidentIdRole = Qt.ItemDataRole.UserRole + 2
    CountRole = Qt.ItemDataRole.UserRole + 3
    StartRole = Qt.ItemDataRole.UserRole + 4
    EndRole = Qt.ItemDataRole.UserRole + 5
    LaneRole = Qt.ItemDataRole.UserRole + 6
    FatalitiesMinRole = Qt.ItemDataRole.UserRole + 7
    FatalitiesMaxRole = Qt.ItemDataRole.UserRole + 8
    FatalitiesOpenRole = Qt.ItemDataRole.UserRole + 9
    EmphasizedRole = Qt.ItemDataRole.UserRole + 10

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._window: TimelineWindow | None = None
        self._items: list[TimelineItem] = []

    def set_window(self, window: TimelineWindow | None) -> None:
        self.beginResetModel()
        self._window = window
        self._items = list(window.items) if window is not None else []
        self.endResetModel()

    def window(self) -> TimelineWindow | None:
        return self._window

    def items(self) -> list[TimelineItem]:
        return self._items

    def item(self, row: int) -> TimelineItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        item = self.item(index.row())
        if item is None or index.column() != 0:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if item.is_cluster or item.title is None:
                return self.tr("%1 incidents").replace("%1", f"{item.count:,}")
            return item.title
        if role == Qt.ItemDataRole.ToolTipRole:
            window = self._window
            return item_tooltip(item, window.lane_mode if window else "none")
        return self._role_value(item, role)

    def _role_value(self, item: TimelineItem, role: int) -> Any:
        if role == self.ItemRole:
            return item
        if role == self.IncidentIdRole:
            return item.incident_id
        if role == self.CountRole:
            return item.count
        if role == self.StartRole:
            return _qdate(item.start)
        if role == self.EndRole:
            return _qdate(item.end)
        if role == self.LaneRole:
            return item.lane
        if role == self.FatalitiesMinRole:
            return item.fatalities_min
        if role == self.FatalitiesMaxRole:
            return item.fatalities_max
        if role == self.FatalitiesOpenRole:
            return item.fatalities_open
        if role == self.EmphasizedRole:
            return item.emphasized
        return None

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        for role, name in (
            (self.ItemRole, b"item"),
            (self.IncidentIdRole, b"incidentId"),
            (self.CountRole, b"count"),
            (self.StartRole, b"start"),
            (self.EndRole, b"end"),
            (self.LaneRole, b"lane"),
            (self.FatalitiesMinRole, b"fatalitiesMin"),
            (self.FatalitiesMaxRole, b"fatalitiesMax"),
            (self.FatalitiesOpenRole, b"fatalitiesOpen"),
            (self.EmphasizedRole, b"emphasized"),
        ):
            names[int(role)] = QByteArray(name)
        return names


# --- axis ticks ----------------------------------------------------------------------------

# (unit, step, shortest length of one step in days): candidates from fine to coarse.
_TICK_STEPS: tuple[tuple[str, int, float], ...] = (
    ("day", 1, 1), ("day", 2, 2), ("day", 5, 5), ("day", 10, 10),
    ("month", 1, 28), ("month", 3, 90), ("month", 6, 181),
    ("year", 1, 365), ("year", 2, 730), ("year", 5, 1826), ("year", 10, 3652),
    ("year", 20, 7305), ("year", 50, 18262), ("year", 100, 36524), ("year", 200, 73048),
    ("year", 500, 182621), ("year", 1000, 365242),
)  # fmt: skip
_TICK_GAP = 14  # pixels between the end of one label and the next tick


@dataclass(frozen=True)
class Tick:
    ordinal: int
    label: str


def choose_tick_step(scale: float, metrics: QFontMetrics) -> tuple[str, int]:
    """The finest step whose labels fit between their ticks at scale pixels per day."""
    widths = {
        "day": metrics.horizontalAdvance("28"),
        "month": max(metrics.horizontalAdvance(calendar.month_abbr[m]) for m in range(1, 13)),
        "year": metrics.horizontalAdvance("2000"),
    }
    for unit, step, days in _TICK_STEPS:
        if days * scale >= widths[unit] + _TICK_GAP:
            return unit, step
    return _TICK_STEPS[-1][0], _TICK_STEPS[-1][1]


_MONTH_ABBR = {
    name: abbr for name, abbr in zip(calendar.month_name, calendar.month_abbr, strict=True) if name
}


def _mix(background: QColor, colour: QColor, amount: float = 70 / 255) -> QColor:
    """colour laid over background at the given opacity, as one opaque colour."""
    return QColor.fromRgbF(
        background.redF() + (colour.redF() - background.redF()) * amount,
        background.greenF() + (colour.greenF() - background.greenF()) * amount,
        background.blueF() + (colour.blueF() - background.blueF()) * amount,
    )


def fit_major_label(label: str, room: float, metrics: QFontMetrics) -> str:
    """The label, shortened to fit room pixels: "September 2023", "Sep 2023", "Sep", or
    nothing (the next label would otherwise be drawn over it)."""
    if metrics.horizontalAdvance(label) <= room:
        return label
    month, _, year = label.partition(" ")
    abbr = _MONTH_ABBR.get(month)
    candidates = [f"{abbr} {year}", abbr] if abbr and year else []
    for candidate in candidates:
        if metrics.horizontalAdvance(candidate) <= room:
            return candidate
    return ""


def axis_ticks(first: date, last: date, unit: str, step: int) -> tuple[list[Tick], list[Tick]]:
    """Minor ticks (with short labels) and major ticks (month or year context) in range."""
    minor: list[Tick] = []
    major: list[Tick] = []
    if unit == "year":
        year = first.year - first.year % step
        while year <= last.year:
            if year >= 1:
                minor.append(Tick(date(year, 1, 1).toordinal(), str(year)))
            year += step
        return minor, major
    month_index = first.year * 12 + first.month - 1
    while True:
        year, month = divmod(month_index, 12)
        month += 1
        if year > last.year or (year == last.year and month > last.month) or year > 9999:
            break
        start = date(year, month, 1)
        if unit == "month":
            if (month - 1) % step == 0:
                minor.append(Tick(start.toordinal(), calendar.month_abbr[month]))
            if month == 1:
                major.append(Tick(start.toordinal(), str(year)))
        else:
            length = calendar.monthrange(year, month)[1]
            for day in range(1, length + 1, step):
                if day > 1 and day + step / 2 > length + 1:
                    continue  # too close to the next month's first tick
                minor.append(Tick(start.toordinal() + day - 1, str(day)))
            major.append(Tick(start.toordinal(), f"{calendar.month_name[month]} {year}"))
        month_index += 1
    return minor, major


# --- the view ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WindowRequest:
    """What the view asks the timeline service for: its visible range plus a margin."""

    start: int  # ordinals
    end: int
    lane_mode: str
    bucket_days: float
    max_items: int
    emphasis: frozenset[int]

    def fetch(self, archive: Archive) -> TimelineWindow:
        """Run on the worker thread (it reads the archive)."""
        return timeline_window(
            archive, _day(self.start), _day(self.end), lanes=self.lane_mode,
            bucket_days=self.bucket_days, max_items=self.max_items, emphasis=self.emphasis,
        )  # fmt: skip


class TimelineView(QWidget):
    """Incidents on a date axis: zoom, pan, lanes, selection, keyboard stepping."""

    incident_activated = Signal(int)
    window_loaded = Signal()  # a fetched window is shown (tests and status bars)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(False)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(320, 160)
        self.setAccessibleName(self.tr("Timeline"))
        self._model = TimelineModel(self)
        self._archive: Archive | None = None
        self._runner: TaskRunner | None = None
        self._generation = 0
        self._bounds: TimelineBounds | None = None
        self._fit_pending = False
        self._lane_mode = "none"
        self._emphasis: frozenset[int] = frozenset()
        self._left = float(date.today().toordinal() - 365)  # ordinal at the plot's left edge
        self._scale = 1.0  # pixels per day
        self._fetched: WindowRequest | None = None
        self._requested: WindowRequest | None = None
        self._error: str | None = None
        self._selected: int | None = None
        self._selected_day: date | None = None
        self._events: list[tuple[date, str]] = []
        self._press: QPointF | None = None
        self._press_left = 0.0
        self._dragging = False
        self._labels: dict[str, QStaticText] = {}
        # pre-drawn single-incident markers: blitting one is ~2.5x cheaper than drawing an
        # antialiased ellipse, which is what a year of 1,600 incidents in lanes needs
        self._sprites: dict[tuple[Any, ...], QImage] = {}
        # Per item, sorted by x: absolute x (ordinal * scale), y, radius, item.
        self._xs: list[float] = []
        self._ys: list[float] = []
        self._rs: list[float] = []
        self._heat: list[float] = []  # clusters: 0..1, log of the count against the busiest
        self._kinds: list[int] = []
        self._index_of: dict[int, int] = {}
        self._drawn: list[TimelineItem] = []
        self._max_r = 0.0
        self._lanes: list[str] = [""]
        self._fetch_timer = QTimer(self)
        self._fetch_timer.setSingleShot(True)
        self._fetch_timer.setInterval(FETCH_DELAY_MS)
        self._fetch_timer.timeout.connect(self._fetch_if_needed)

    # --- public API ----------------------------------------------------------------------

    def model(self) -> TimelineModel:
        return self._model

    def set_archive(self, archive: Archive | None, runner: TaskRunner | None) -> None:
        """Show archive (reading through runner); None clears the view."""
        self.clear()
        self._archive, self._runner = archive, runner
        if archive is None or runner is None:
            return
        self._fit_pending = True
        self._submit(lambda: timeline_bounds(archive), self._on_bounds, key="timeline.bounds")

    def clear(self) -> None:
        self._generation += 1
        self._archive = self._runner = None
        self._bounds = None
        self._fetched = self._requested = None
        self._error = None
        self._selected = self._selected_day = None
        self._events = []
        self._fetch_timer.stop()
        self._model.set_window(None)
        self._relayout()
        self.update()

    def lane_mode(self) -> str:
        return self._lane_mode

    def set_lane_mode(self, mode: str) -> None:
        if mode not in LANE_MODES:
            raise ValueError(f"unknown lane mode {mode!r}")
        if mode != self._lane_mode:
            self._lane_mode = mode
            self._relayout()
            self.update()
            self._schedule_fetch(immediately=True)

    def lanes(self) -> list[str]:
        """The lane keys shown, top to bottom ([''] when there are no lanes)."""
        return list(self._lanes)

    def set_emphasis(self, ids: frozenset[int]) -> None:
        """Emphasise these incidents (e.g. search results) and fade the rest; empty: none."""
        ids = frozenset(ids)
        if ids != self._emphasis:
            self._emphasis = ids
            self.update()
            window = self._model.window()
            if window is not None and window.aggregated:
                self._schedule_fetch(immediately=True)

    def set_events(self, events: Sequence[tuple[date, str]]) -> None:
        """Dated events of the selected incident, drawn on the sub-track under the lanes."""
        self._events = sorted(events, key=lambda event: event[0])
        self._relayout()
        self.update()

    def events(self) -> list[tuple[date, str]]:
        return list(self._events)

    def selected_incident(self) -> int | None:
        return self._selected

    def select_incident(self, incident_id: int | None) -> None:
        """Select and centre an incident without emitting incident_activated."""
        self._select(incident_id, centre="always", emit=False)

    @Slot()
    def zoom_in(self) -> None:
        self.zoom_by(1.5)

    @Slot()
    def zoom_out(self) -> None:
        self.zoom_by(1 / 1.5)

    @Slot()
    def fit_all(self) -> None:
        """Show every dated incident (once the archive's date range is known)."""
        bounds = self._bounds
        if bounds is None:
            self._fit_pending = self._archive is not None
            return
        self._fit_pending = False
        if bounds.first is None or bounds.last is None:
            today = date.today()
            self.set_visible_range(today - timedelta(days=365), today)
            return
        span = (bounds.last - bounds.first).days + 1
        pad = max(15, math.ceil(span * 0.05))
        self.set_visible_range(bounds.first - timedelta(days=pad), bounds.last + timedelta(pad))

    def zoom_by(self, factor: float, anchor_x: float | None = None) -> None:
        """Zoom by factor (> 1 zooms in) keeping the date under anchor_x where it is."""
        plot = self._plot_rect()
        if anchor_x is None:
            anchor_x = plot.center().x()
        anchor_day = self._left + (anchor_x - plot.left()) / self._scale
        scale = min(max(self._scale * factor, self._min_scale()), MAX_PX_PER_DAY)
        self._set_view(anchor_day - (anchor_x - plot.left()) / scale, scale)

    def set_visible_range(self, first: date, last: date) -> None:
        """Show [first, last] (whole days) across the plot."""
        days = max(1, (last - first).days + 1)
        width = max(1, self._plot_rect().width())
        scale = min(max(width / days, self._min_scale()), MAX_PX_PER_DAY)
        centre = first.toordinal() + days / 2
        self._set_view(centre - width / scale / 2, scale)

    def visible_range(self) -> tuple[date, date]:
        plot = self._plot_rect()
        return _day(self._left), _day(self._left + plot.width() / self._scale)

    def pixels_per_day(self) -> float:
        return self._scale

    def x_for_date(self, day: date) -> float:
        """Widget x of the middle of day."""
        return self._plot_rect().left() + (day.toordinal() + 0.5 - self._left) * self._scale

    def date_at(self, x: float) -> date:
        return _day(self._left + (x - self._plot_rect().left()) / self._scale)

    def point_for(self, incident_id: int) -> QPoint | None:
        """Widget position of the incident's marker, if it is drawn on its own."""
        offset = self._x_offset()
        for x, y, item in zip(self._xs, self._ys, self._drawn, strict=True):
            if item.incident_id == incident_id and not item.is_cluster:
                return QPoint(round(x + offset), round(y))
        return None

    def item_at(self, pos: QPoint | QPointF) -> TimelineItem | None:
        index = self._index_at(QPointF(pos))
        return self._drawn[index] if index is not None else None

    def tooltip_at(self, pos: QPoint | QPointF) -> str | None:
        """The tooltip shown at pos (rich text, article strings escaped), if any."""
        point = QPointF(pos)
        item = self.item_at(point)
        if item is not None:
            return item_tooltip(item, self._lane_mode)
        events = self._events_at(point)
        if events:
            lines = [
                f"<b>{html.escape(_format_day(day))}</b> {html.escape(_shorten(text, 160))}"
                for day, text in events[:5]
            ]
            if len(events) > 5:
                more = self.tr("and %1 more").replace("%1", str(len(events) - 5))
                lines.append(html.escape(more))
            return "<qt>" + "<br>".join(lines) + "</qt>"
        return None

    def sizeHint(self) -> QSize:
        return QSize(900, 320)

    # --- fetching --------------------------------------------------------------------------

    def _submit(self, work: Callable[[], Any], on_done: Callable[[Any], None], *, key: str) -> None:
        runner = self._runner
        if runner is None:
            return
        generation = self._generation

        def done(result: Any) -> None:
            if shiboken6.isValid(self) and generation == self._generation:
                on_done(result)

        def failed(error: BaseException) -> None:
            if shiboken6.isValid(self) and generation == self._generation:
                log.error("timeline: %s failed: %s", key, error, exc_info=error)
                self._error = self.tr("The timeline could not be loaded: %1").replace(
                    "%1", str(error)
                )
                self.update()

        runner.submit(work, done, failed, key=key)

    def _on_bounds(self, bounds: TimelineBounds) -> None:
        self._bounds = bounds
        if self._fit_pending:
            self.fit_all()
        self._schedule_fetch(immediately=True)
        if self._selected is not None and self._selected_day is None:
            self._select(self._selected, centre="always", emit=False)

    def _schedule_fetch(self, immediately: bool = False) -> None:
        if self._archive is None:
            return
        if immediately:
            self._fetch_timer.stop()
            self._fetch_if_needed()
        else:
            self._fetch_timer.start()

    def window_request(self) -> WindowRequest:
        """The window the view wants for its current range, zoom, lanes and emphasis."""
        plot_width = max(1, self._plot_rect().width())
        view_days = plot_width / self._scale
        margin = view_days * FETCH_MARGIN
        first = max(1, math.floor(self._left - margin))
        last = min(date.max.toordinal(), math.ceil(self._left + view_days + margin))
        fetch_px = plot_width * (1 + 2 * FETCH_MARGIN)
        per_lane = 1 if self._lane_mode == "none" else 8
        max_items = int(min(4000, max(200, fetch_px / 4 * per_lane)))
        return WindowRequest(
            first, last, self._lane_mode, BUCKET_PX / self._scale, max_items, self._emphasis
        )

    def _covers(self, have: WindowRequest | None, want: WindowRequest, aggregated: bool) -> bool:
        if have is None or have.lane_mode != want.lane_mode:
            return False
        view_first = math.floor(self._left)
        view_last = math.ceil(self._left + self._plot_rect().width() / self._scale)
        if view_first < have.start or view_last > have.end:
            return False
        if aggregated:
            if have.emphasis != want.emphasis:
                return False
            ratio = have.bucket_days / want.bucket_days
            return 0.6 < ratio < 1.7
        # Single incidents are right at any zoom; zooming out far enough to need clusters
        # also widens the view past the fetched range.
        return True

    def _fetch_if_needed(self) -> None:
        archive = self._archive
        if archive is None or self._bounds is None:
            return
        want = self.window_request()
        window = self._model.window()
        if self._covers(self._fetched, want, window is not None and window.aggregated):
            return
        if self._requested is not None and self._covers(self._requested, want, True):
            return  # the fetch in flight will do
        self._requested = want
        self._submit(
            lambda: want.fetch(archive),
            lambda window: self.show_window(window, want),
            key="timeline",
        )

    def show_window(self, window: TimelineWindow, request: WindowRequest | None = None) -> None:
        """Display a fetched window (what a fetch for request delivered)."""
        self._requested = None
        self._fetched = request or self.window_request()
        self._error = None
        self._model.set_window(window)
        self._relayout()
        self.update()
        self.window_loaded.emit()
        self._schedule_fetch()  # the view may have moved while this was fetched

    # --- selection ---------------------------------------------------------------------------

    def _select(self, incident_id: int | None, *, centre: str, emit: bool) -> None:
        """centre: 'always', 'if-hidden' or 'never'."""
        changed = incident_id != self._selected
        self._selected = incident_id
        if changed:
            self._selected_day = None
            self._events = []
            self._relayout()
        self.update()
        if emit and incident_id is not None:
            self.incident_activated.emit(incident_id)
        archive = self._archive
        if incident_id is None or archive is None:
            return
        self._submit(
            lambda: incident_point(archive, incident_id),
            lambda point: self._on_point(incident_id, point, centre),
            key="timeline.point",
        )
        self._submit(
            lambda: incident_events(archive, incident_id),
            lambda events: self._on_events(incident_id, events),
            key="timeline.events",
        )

    def _on_point(self, incident_id: int, point: Any, centre: str) -> None:
        if incident_id != self._selected or point is None:
            return
        day: date = point[0]
        self._selected_day = day
        first, last = self.visible_range()
        span = (last - first).days
        inner = (first + timedelta(days=span // 10), last - timedelta(days=span // 10))
        if centre == "always" or (centre == "if-hidden" and not inner[0] <= day <= inner[1]):
            plot = self._plot_rect()
            self._set_view(day.toordinal() + 0.5 - plot.width() / self._scale / 2, self._scale)
        self.update()

    def _on_events(self, incident_id: int, events: list[tuple[date, str]]) -> None:
        if incident_id == self._selected:
            self.set_events(events)

    def _step(self, step: int) -> None:
        archive = self._archive
        if archive is None:
            return
        current = self._selected
        if current is None:
            nearest = self._nearest_single_to_centre()
            if nearest is not None:
                self._select(nearest, centre="if-hidden", emit=True)
            return
        self._submit(
            lambda: incident_neighbour(archive, current, step),
            lambda found: self._on_neighbour(current, found),
            key="timeline.step",
        )

    def _on_neighbour(self, origin: int, found: int | None) -> None:
        if found is not None and self._selected == origin:
            self._select(found, centre="if-hidden", emit=True)

    def _nearest_single_to_centre(self) -> int | None:
        centre = self._plot_rect().center().x() - self._x_offset()
        best: tuple[float, int] | None = None
        for x, item in zip(self._xs, self._drawn, strict=True):
            if item.incident_id is not None and not item.is_cluster:
                distance = abs(x - centre)
                if best is None or distance < best[0]:
                    best = (distance, item.incident_id)
        return best[1] if best else None

    # --- geometry ----------------------------------------------------------------------------

    def _metrics(self) -> QFontMetrics:
        return self.fontMetrics()

    def _axis_height(self) -> int:
        return 2 * self._metrics().height() + 12

    def _events_height(self) -> int:
        return self._metrics().height() + 14 if self._events else 0

    def _label_width(self) -> int:
        if self._lane_mode == "none":
            return 0
        return int(min(LANE_LABEL_MAX, max(90, self.width() * 0.18)))

    def _plot_rect(self) -> QRect:
        left = self._label_width()
        top = self._axis_height()
        height = max(1, self.height() - top - self._events_height())
        return QRect(left, top, max(1, self.width() - left), height)

    def _events_rect(self) -> QRect:
        plot = self._plot_rect()
        return QRect(plot.left(), plot.bottom() + 1, plot.width(), self._events_height())

    def _lane_height(self) -> float:
        return self._plot_rect().height() / max(1, len(self._lanes))

    def _x_offset(self) -> float:
        """Added to an item's absolute x (ordinal * scale) to give its widget x."""
        return self._plot_rect().left() - self._left * self._scale

    def _min_scale(self) -> float:
        width = max(1, self._plot_rect().width())
        span = 36525  # a century, until the archive's own span is known
        bounds = self._bounds
        if bounds is not None and bounds.first is not None and bounds.last is not None:
            span = max(span, (bounds.last - bounds.first).days)
        return width / (span * 3)

    def _set_view(self, left: float, scale: float) -> None:
        left = min(max(left, 1.0), float(date.max.toordinal()) - self.width() / scale)
        zoomed = scale != self._scale
        self._left, self._scale = left, scale
        if zoomed:
            self._relayout()
        self.update()
        self._schedule_fetch()

    def _relayout(self) -> None:
        """Pixel positions of every fetched item at the current zoom and size (not per paint)."""
        window = self._model.window()
        lanes = window.lanes if window is not None and window.lane_mode != "none" else [""]
        self._lanes = lanes or [""]
        lane_index = {lane: index for index, lane in enumerate(self._lanes)}
        plot = self._plot_rect()
        lane_height = self._lane_height()
        cap = max(MIN_RADIUS, min(MAX_RADIUS, lane_height * 0.45))
        cluster_cap = max(CLUSTER_MIN_RADIUS * 0.6, min(CLUSTER_MAX_RADIUS, lane_height * 0.45))
        if window is not None and window.bucket_days > 0:
            # neighbouring buckets must not overlap: a cluster stays inside its own bucket
            bucket_px = window.bucket_days * self._scale
            cluster_cap = max(3.0, min(cluster_cap, bucket_px / 2 - 1))
        items = self._model.items()
        busiest = max((item.count for item in items if item.is_cluster), default=2)
        placed: list[tuple[float, float, float, float, TimelineItem]] = []
        for item in items:
            index = lane_index.get(item.lane, 0)
            y = plot.top() + (index + 0.5) * lane_height
            heat = 0.0
            if item.is_cluster:
                centre = (item.start.toordinal() + item.end.toordinal() + 1) / 2
                radius = min(cluster_cap, CLUSTER_MIN_RADIUS + 1.6 * math.log2(item.count))
                heat = math.log(item.count) / math.log(max(busiest, 2))
            else:
                centre = item.start.toordinal() + 0.5
                radius = round(min(cap, _toll_radius(item)) * 2) / 2  # sprites: half pixels
            placed.append((centre * self._scale, y, radius, heat, item))
        placed.sort(key=lambda entry: entry[0])
        self._xs = [entry[0] for entry in placed]
        self._ys = [entry[1] for entry in placed]
        self._rs = [entry[2] for entry in placed]
        self._heat = [entry[3] for entry in placed]
        self._drawn = [entry[4] for entry in placed]
        # per item, what to draw: -1 a cluster, 0 an unknown toll, 1 a toll, 2 an open one
        self._kinds = [
            -1
            if item.is_cluster
            else 0
            if item.fatalities_max is None and item.fatalities_min is None
            else 2
            if item.fatalities_open
            else 1
            for item in self._drawn
        ]
        self._index_of = {
            item.incident_id: index
            for index, item in enumerate(self._drawn)
            if item.incident_id is not None
        }
        self._max_r = max(self._rs, default=0.0) + 4

    def _index_at(self, pos: QPointF) -> int | None:
        if not self._plot_rect().contains(pos.toPoint()):
            return None
        x = pos.x() - self._x_offset()
        first = bisect_left(self._xs, x - self._max_r - HIT_SLOP)
        last = bisect_right(self._xs, x + self._max_r + HIT_SLOP)
        best: tuple[float, int] | None = None
        for index in range(first, last):
            radius = self._rs[index] + HIT_SLOP
            dx, dy = self._xs[index] - x, self._ys[index] - pos.y()
            distance = math.hypot(dx, dy)
            if distance <= radius:
                score = distance / radius
                if best is None or score < best[0]:
                    best = (score, index)
        return best[1] if best else None

    def _events_at(self, pos: QPointF) -> list[tuple[date, str]]:
        if not self._events or not self._events_rect().contains(pos.toPoint()):
            return []
        return [
            (day, text) for day, text in self._events if abs(self.x_for_date(day) - pos.x()) <= 5
        ]

    # --- events ------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()
        self._schedule_fetch()

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta()
        horizontal = delta.x() if delta.x() else 0
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier and not horizontal:
            horizontal = delta.y()
        if horizontal:
            self._set_view(self._left - horizontal / 120 * 40 / self._scale, self._scale)
        elif delta.y():
            self.zoom_by(1.2 ** (delta.y() / 120), event.position().x())
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position()
            self._press_left = self._left
            self._dragging = False
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        press = self._press
        if press is None:
            return super().mouseMoveEvent(event)
        dx = event.position().x() - press.x()
        if not self._dragging and abs(dx) + abs(event.position().y() - press.y()) >= 4:
            self._dragging = True
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        if self._dragging:
            self._set_view(self._press_left - dx / self._scale, self._scale)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            return super().mouseReleaseEvent(event)
        dragged, self._press, self._dragging = self._dragging, None, False
        self.unsetCursor()
        if not dragged:
            self._click(event.position())
        event.accept()

    def _click(self, pos: QPointF) -> None:
        item = self.item_at(pos)
        if item is None:
            return
        if item.is_cluster:
            pad = timedelta(days=max(1, (item.end - item.start).days // 10))
            self.set_visible_range(item.start - pad, item.end + pad)
        elif item.incident_id is not None:
            self._select(item.incident_id, centre="never", emit=True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_out()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self._step(-1 if key == Qt.Key.Key_Left else 1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self._selected is not None:
                self.incident_activated.emit(self._selected)
            else:
                self._step(1)
        elif key == Qt.Key.Key_Home:
            self.fit_all()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusInEvent(self, event: Any) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: Any) -> None:
        super().focusOutEvent(event)
        self.update()

    # --- painting ----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            palette = self.palette()
            painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
            plot = self._plot_rect()
            metrics = self._metrics()
            unit, step = choose_tick_step(self._scale, metrics)
            first, last = self.visible_range()
            minor, major = axis_ticks(first - timedelta(days=1), last, unit, step)
            self._paint_lanes(painter, plot, palette)
            self._paint_grid(painter, plot, palette, minor)
            self._paint_selection_line(painter, plot, palette)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.save()
            painter.setClipRect(plot)
            self._paint_items(painter, plot, palette)
            painter.restore()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            self._paint_events(painter, palette)
            self._paint_axis(painter, plot, palette, minor, major)
            self._paint_lane_labels(painter, plot, palette)
            self._paint_message(painter, plot, palette)
            if self.hasFocus():
                pen = QPen(palette.color(QPalette.ColorRole.Highlight), 2)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(self.rect().adjusted(1, 1, -1, -1))
        finally:
            painter.end()

    def _paint_lanes(self, painter: QPainter, plot: QRect, palette: QPalette) -> None:
        if len(self._lanes) < 2:
            return
        stripe = palette.color(QPalette.ColorRole.AlternateBase)
        height = self._lane_height()
        for index in range(1, len(self._lanes), 2):
            top = plot.top() + index * height
            painter.fillRect(QRectF(0, top, self.width(), height), stripe)

    def _paint_grid(
        self, painter: QPainter, plot: QRect, palette: QPalette, minor: list[Tick]
    ) -> None:
        # An opaque colour (the mid tone faded into the background), drawn as 1-pixel
        # rectangles: Qt's raster engine blends a thin translucent line span by span, which
        # made the grid cost more than all the markers (measured 25 ms against 0.4 ms for
        # 90 lines of 380 px)
        grid = _mix(palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Mid))
        height = plot.height()
        for tick in minor:
            x = round(plot.left() + (tick.ordinal - self._left) * self._scale)
            if plot.left() <= x <= plot.right():
                painter.fillRect(x, plot.top(), 1, height, grid)

    def _paint_selection_line(self, painter: QPainter, plot: QRect, palette: QPalette) -> None:
        if self._selected_day is None:
            return
        x = self.x_for_date(self._selected_day)
        if plot.left() <= x <= plot.right():
            colour = QColor(palette.color(QPalette.ColorRole.Highlight))
            colour.setAlpha(110)
            painter.setPen(QPen(colour, 1, Qt.PenStyle.DashLine))
            bottom = plot.bottom() + self._events_height()
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, bottom))

    def _paint_items(self, painter: QPainter, plot: QRect, palette: QPalette) -> None:
        offset = self._x_offset()
        first = bisect_left(self._xs, plot.left() - offset - self._max_r)
        last = bisect_right(self._xs, plot.right() - offset + self._max_r)
        if first >= last:
            return
        accent = palette.color(QPalette.ColorRole.Highlight)
        text_colour = palette.color(QPalette.ColorRole.Text)
        fill = QColor(accent)
        fill.setAlpha(175)
        cluster_fill = QColor(accent)
        cluster_fill.setAlpha(70)
        unknown = palette.color(QPalette.ColorRole.PlaceholderText)
        solid = QPen(accent.darker(130) if accent.lightness() > 100 else accent.lighter(140), 1)
        ring = QPen(accent, 1.2)
        unknown_pen = QPen(unknown, 1.5)
        emphasis_pen = QPen(palette.color(QPalette.ColorRole.Link), 2)
        emphasis = self._emphasis
        xs, ys, rs, drawn, heat = self._xs, self._ys, self._rs, self._drawn, self._heat
        faded: list[int] = []
        strong: Sequence[int] = range(first, last)
        if emphasis:
            matched: list[int] = []
            for index in range(first, last):
                item = drawn[index]
                hit = item.emphasized if item.is_cluster else item.incident_id in emphasis
                (matched if hit else faded).append(index)
            strong = matched
        styles: tuple[tuple[QPen, QColor | None, QPen | None], ...] = (
            (unknown_pen, None, None),
            (solid, fill, None),
            (solid, fill, ring),
        )
        sprites: dict[tuple[int, float], tuple[QImage, float]] = {}  # this frame's lookups
        kinds, selected = self._kinds, self._selected
        selected_index: int | None = None
        for group, opacity in ((faded, 0.22), (strong, 1.0)):
            painter.setOpacity(opacity)
            # markers landing on the same pixel in the same style look the same drawn once:
            # a busy lane at year zoom has hundreds of them
            placed: set[tuple[int, float, float, int]] = set()
            for index in group:
                kind = kinds[index]
                x, y, radius = xs[index] + offset, ys[index], rs[index]
                if kind >= 0:  # one incident: a pre-drawn marker
                    spot = (round(x), y, radius, kind)
                    if spot not in placed:
                        placed.add(spot)
                        found = sprites.get((kind, radius))
                        if found is None:
                            sprite = self._sprite(radius, *styles[kind])
                            found = (sprite, sprite.width() / sprite.devicePixelRatio() / 2)
                            sprites[(kind, radius)] = found
                        painter.drawImage(QPointF(x - found[1], y - found[1]), found[0])
                elif radius <= HEAT_CELL_RADIUS:
                    # a small cluster is a cell of a heat strip: no outline, no count (it
                    # would not fit), a plain rectangle (an antialiased ellipse costs ~15x)
                    cluster_fill.setAlpha(60 + round(170 * heat[index]))
                    painter.fillRect(
                        QRectF(x - radius, y - radius, 2 * radius, 2 * radius), cluster_fill
                    )
                else:
                    # busier clusters are darker, so density reads even where every
                    # cluster is as large as its bucket allows
                    centre = QPointF(x, y)
                    cluster_fill.setAlpha(45 + round(150 * heat[index]))
                    painter.setPen(ring)
                    painter.setBrush(cluster_fill)
                    painter.drawEllipse(centre, radius, radius)
                    self._paint_count(painter, centre, radius, drawn[index].count, text_colour)
                if emphasis and opacity == 1.0:
                    painter.setPen(emphasis_pen)
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawEllipse(QPointF(x, y), radius + 4, radius + 4)
            if selected is not None and selected_index is None:
                selected_index = self._index_of.get(selected)
        painter.setOpacity(1.0)
        if selected_index is not None:
            centre = QPointF(xs[selected_index] + offset, ys[selected_index])
            radius = rs[selected_index] + 5
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Base), 4))
            painter.drawEllipse(centre, radius, radius)
            painter.setPen(QPen(text_colour, 2))
            painter.drawEllipse(centre, radius, radius)

    def _sprite(self, radius: float, pen: QPen, fill: QColor | None, ring: QPen | None) -> QImage:
        """A single-incident marker drawn once per size and style (radius to half a pixel)."""
        radius = round(radius * 2) / 2
        ratio = self.devicePixelRatioF()
        key = (radius, ratio, pen.color().rgba(), pen.widthF(), fill.rgba() if fill else None,
               ring.color().rgba() if ring else None)  # fmt: skip
        sprite = self._sprites.get(key)
        if sprite is None:
            outer = radius + (2.5 + ring.widthF() if ring else pen.widthF()) + 1
            size = math.ceil(2 * outer * ratio)
            sprite = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
            sprite.setDevicePixelRatio(ratio)
            sprite.fill(Qt.GlobalColor.transparent)
            centre = QPointF(size / ratio / 2, size / ratio / 2)
            painter = QPainter(sprite)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(pen)
            painter.setBrush(fill if fill is not None else Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, radius, radius)
            if ring is not None:
                painter.setPen(ring)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(centre, radius + 2.5, radius + 2.5)
            painter.end()
            if len(self._sprites) > 512:  # a theme change leaves the old colours behind
                self._sprites.clear()
            self._sprites[key] = sprite
        return sprite

    def _paint_count(
        self, painter: QPainter, centre: QPointF, radius: float, count: int, colour: QColor
    ) -> None:
        label = _short_count(count)
        static = self._labels.get(label)
        if static is None:
            static = QStaticText(label)
            static.prepare(font=self.font())
            self._labels[label] = static
        size = static.size()
        if size.width() > 2 * radius - 2 or size.height() > 2 * radius + 2:
            return
        painter.setPen(colour)
        painter.drawStaticText(
            QPointF(centre.x() - size.width() / 2, centre.y() - size.height() / 2), static
        )

    def _paint_events(self, painter: QPainter, palette: QPalette) -> None:
        if not self._events:
            return
        rect = self._events_rect()
        painter.fillRect(
            QRect(0, rect.top(), self.width(), rect.height()),
            palette.color(QPalette.ColorRole.Window),
        )
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.drawLine(0, rect.top(), self.width(), rect.top())
        colour = palette.color(QPalette.ColorRole.Link)
        painter.setPen(QPen(colour, 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
        top, bottom = rect.top() + 5, rect.bottom() - 4
        for day, _text in self._events:
            x = self.x_for_date(day)
            if rect.left() - 2 <= x <= rect.right() + 2:
                painter.drawLine(QPointF(x, top), QPointF(x, bottom))
        label_width = self._label_width()
        if label_width:
            painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            painter.drawText(
                QRect(6, rect.top(), label_width - 10, rect.height()),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                self.tr("Events"),
            )

    def _paint_axis(
        self,
        painter: QPainter,
        plot: QRect,
        palette: QPalette,
        minor: list[Tick],
        major: list[Tick],
    ) -> None:
        metrics = self._metrics()
        line_height = metrics.height()
        band = QRect(0, 0, self.width(), plot.top())
        painter.fillRect(band, palette.color(QPalette.ColorRole.Window))
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.drawLine(0, plot.top() - 1, self.width(), plot.top() - 1)
        text_pen = QPen(palette.color(QPalette.ColorRole.WindowText))
        tick_pen = QPen(palette.color(QPalette.ColorRole.Mid), 1)
        major_y, minor_y = 3, 5 + line_height
        painter.save()
        painter.setClipRect(QRect(plot.left(), 0, plot.width(), plot.top()))
        for tick in minor:
            x = round(plot.left() + (tick.ordinal - self._left) * self._scale)
            painter.setPen(tick_pen)
            painter.drawLine(x, plot.top() - 6, x, plot.top() - 1)
            painter.setPen(text_pen)
            painter.drawText(QPoint(x + 3, minor_y + metrics.ascent()), tick.label)
        bold = painter.font()
        bold.setBold(True)
        painter.setFont(bold)
        bold_metrics = QFontMetrics(bold)
        visible = [
            (round(plot.left() + (tick.ordinal - self._left) * self._scale), tick.label)
            for tick in major
        ]
        on_screen = [(x, label) for x, label in visible if x >= plot.left()]
        before = [(x, label) for x, label in visible if x < plot.left()]
        for number, (x, label) in enumerate(on_screen):
            painter.setPen(tick_pen)
            painter.drawLine(x, major_y, x, plot.top() - 1)
            painter.setPen(text_pen)
            following = on_screen[number + 1][0] if number + 1 < len(on_screen) else None
            room = (following - x - 3 - _TICK_GAP) if following is not None else 10**6
            label = fit_major_label(label, room, bold_metrics)
            if label:
                painter.drawText(QPoint(x + 3, major_y + bold_metrics.ascent()), label)
        if before:
            # The left edge's context stays in view, pushed out by the next one (no overlap).
            label = before[-1][1]
            width = bold_metrics.horizontalAdvance(label) + 3
            x = plot.left()
            if on_screen:
                x = min(x, on_screen[0][0] - width - _TICK_GAP)
            painter.drawText(QPoint(x + 3, major_y + bold_metrics.ascent()), label)
        painter.restore()

    def _paint_lane_labels(self, painter: QPainter, plot: QRect, palette: QPalette) -> None:
        width = self._label_width()
        if not width:
            return
        painter.fillRect(
            QRect(0, plot.top(), width, plot.height()), palette.color(QPalette.ColorRole.Window)
        )
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.drawLine(width - 1, 0, width - 1, self.height())
        metrics = self._metrics()
        height = self._lane_height()
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        if height < metrics.height() * 0.8:
            return  # too many lanes to label legibly; the tooltips still name them
        for index, lane in enumerate(self._lanes):
            rect = QRectF(6, plot.top() + index * height, width - 12, height)
            text = metrics.elidedText(lane, Qt.TextElideMode.ElideRight, int(rect.width()))
            painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)

    def _paint_message(self, painter: QPainter, plot: QRect, palette: QPalette) -> None:
        message = self._error
        if message is None and self._bounds is not None and self._bounds.count == 0:
            message = self.tr("No dated incidents in this archive")
        elif message is None and self._archive is None:
            message = self.tr("No archive open")
        if message:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, message)


def _toll_radius(item: TimelineItem) -> float:
    toll = item.fatalities_max if item.fatalities_max is not None else item.fatalities_min
    if toll is None:
        return UNKNOWN_RADIUS
    return max(MIN_RADIUS, RADIUS_PER_SQRT * math.sqrt(max(0, toll)))


def _short_count(count: int) -> str:
    if count < 1000:
        return str(count)
    if count < 10_000:
        return f"{count / 1000:.1f}k"
    return f"{count // 1000}k"


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
