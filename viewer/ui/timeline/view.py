"""The timeline pane: incidents on a zoomable date axis, in lanes, painted by hand.

The view asks the timeline service (through the TaskRunner, off the GUI thread) for the
window it shows plus a margin; the service returns single incidents or, when the window is
dense, clusters aggregated in SQL. Pixel positions are computed once per fetch or zoom
(layout.MarkerLayout), so a paint only walks the visible slice of a sorted list. Where
things are is worked out by geometry.TimelineGeometry and drawn by painter.TimelinePainter;
this widget holds the state and turns input into changes of it.
"""

from __future__ import annotations

import html
import logging
import math
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, QPoint, QPointF, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QHelpEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QToolTip, QWidget

from viewer.services.vocabulary import LANE_MODES
from viewer.ui.deferred import deferred
from viewer.ui.tasks import TaskRunner
from viewer.ui.timeline.geometry import TimelineGeometry, WindowRequest
from viewer.ui.timeline.layout import MarkerLayout
from viewer.ui.timeline.model import TimelineModel, format_day, item_tooltip
from viewer.ui.timeline.painter import Scene, TimelinePainter

if TYPE_CHECKING:
    from db import Archive
    from viewer.services import timeline
    from viewer.services.timeline import TimelineBounds, TimelineItem, TimelineWindow
else:
    timeline = deferred("viewer.services.timeline")

log = logging.getLogger("viewer.ui.timeline")

FETCH_DELAY_MS = 60
DRAG_THRESHOLD = 4  # pixels of movement before a press becomes a drag


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


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
        self._task_prefix = f"timeline-{id(self)}/"
        self._bounds: TimelineBounds | None = None
        self._fit_pending = False
        self._lane_mode = "none"
        self._emphasis: frozenset[int] = frozenset()
        self._geometry = TimelineGeometry()
        self._fetched: WindowRequest | None = None
        self._requested: WindowRequest | None = None
        self._error: str | None = None
        self._waiting: str | None = None  # what it says until it has an archive
        self._selected: int | None = None
        self._selected_day: date | None = None
        self._events: list[tuple[date, str]] = []
        self._press: QPointF | None = None
        self._press_left = 0.0
        self._dragging = False
        self._painter = TimelinePainter()
        self._frame: QImage | None = None  # the last frame painted, and what it showed
        self._frame_key: tuple[object, ...] = ()
        self._layout = MarkerLayout()
        self._lanes: list[str] = [""]
        self._fetch_timer = QTimer(self)
        self._fetch_timer.setSingleShot(True)
        self._fetch_timer.setInterval(FETCH_DELAY_MS)
        self._fetch_timer.timeout.connect(self._fetch_if_needed)

    # --- public API ----------------------------------------------------------------------

    def model(self) -> TimelineModel:
        return self._model

    def marker_layout(self) -> MarkerLayout:
        """Where each fetched item is drawn (absolute x; see geometry().x_offset())."""
        return self._layout

    def geometry_now(self) -> TimelineGeometry:
        """The view's geometry, brought up to date with its size, font, lanes and events."""
        geometry = self._geometry
        geometry.width, geometry.height = self.width(), self.height()
        geometry.line_height = self.fontMetrics().height()
        geometry.lane_mode = self._lane_mode
        geometry.lane_count = len(self._lanes)
        geometry.has_events = bool(self._events)
        geometry.bounds = self._bounds
        return geometry

    def set_archive(self, archive: Archive | None, runner: TaskRunner | None) -> None:
        """Show archive (reading through runner); None clears the view."""
        self.clear()
        self._archive, self._runner = archive, runner
        self._waiting = None
        if archive is None or runner is None:
            return
        self._fit_pending = True
        self._submit(lambda: timeline.timeline_bounds(archive), self._on_bounds, key="bounds")

    def set_waiting(self, text: str | None) -> None:
        """Say text (the window's "Opening…") instead of "No archive open" until an archive
        is given."""
        self._waiting = text
        self.update()

    def clear(self) -> None:
        if self._runner is not None:
            self._runner.discard(self._task_prefix)  # nothing read so far is shown any more
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
            if self._bounds is not None:
                self.fit_all()  # new lanes: the whole archive again, as a new view would
            self._schedule_fetch(immediately=True)

    def lanes(self) -> list[str]:
        """The lane keys shown, top to bottom ([''] when there are no lanes)."""
        return list(self._lanes)

    @property
    def emphasis(self) -> frozenset[int]:
        """The incidents shown emphasised (search results, a tag, the table's selection)."""
        return self._emphasis

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
        self._set_view(*self.geometry_now().zoomed(factor, anchor_x))

    def set_visible_range(self, first: date, last: date) -> None:
        """Show [first, last] (whole days) across the plot."""
        self._set_view(*self.geometry_now().showing(first, last))

    def visible_range(self) -> tuple[date, date]:
        return self.geometry_now().visible_range()

    def pixels_per_day(self) -> float:
        return self._geometry.scale

    def x_for_date(self, day: date) -> float:
        """Widget x of the middle of day."""
        return self.geometry_now().x_for_date(day)

    def date_at(self, x: float) -> date:
        return self.geometry_now().date_at(x)

    def point_for(self, incident_id: int) -> QPoint | None:
        """Widget position of the incident's marker, if it is drawn on its own."""
        position = self._layout.position_of(incident_id)
        if position is None:
            return None
        x, y = position
        return QPoint(round(x + self.geometry_now().x_offset()), round(y))

    def item_at(self, pos: QPoint | QPointF) -> TimelineItem | None:
        point = QPointF(pos)
        geometry = self.geometry_now()
        if not geometry.plot().contains(point.x(), point.y()):
            return None
        index = self._layout.index_at(point.x() - geometry.x_offset(), point.y())
        return self._layout.items[index] if index is not None else None

    def tooltip_at(self, pos: QPoint | QPointF) -> str | None:
        """The tooltip shown at pos (rich text, article strings escaped), if any."""
        point = QPointF(pos)
        item = self.item_at(point)
        if item is not None:
            return item_tooltip(item, self._lane_mode)
        events = self._events_at(point)
        if events:
            lines = [
                f"<b>{html.escape(format_day(day))}</b> {html.escape(_shorten(text, 160))}"
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

        def done(result: Any) -> None:
            if shiboken6.isValid(self):
                on_done(result)

        def failed(error: BaseException) -> None:
            if shiboken6.isValid(self):
                log.error("timeline: %s failed: %s", key, error, exc_info=error)
                self._error = self.tr("The timeline could not be loaded: %1").replace(
                    "%1", str(error)
                )
                self.update()

        # ahead of the other views' reads: the timeline is what the window is filled with
        # first, and what panning and zooming wait for
        runner.submit(work, done, failed, key=self._task_prefix + key, ahead=True)

    def _on_bounds(self, bounds: TimelineBounds) -> None:
        self._bounds = bounds
        if self._fit_pending:
            self.fit_all()
        self._schedule_fetch(immediately=True)
        if self._selected is not None and self._selected_day is None:
            self._select(self._selected, centre="always", emit=False)

    def refresh(self) -> None:
        """Read the shown dates again where the view is (an incident's facts changed)."""
        self._fetched = None
        self._requested = None
        self._schedule_fetch(immediately=True)

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
        return self.geometry_now().window_request(self._emphasis)

    def _fetch_if_needed(self) -> None:
        archive = self._archive
        if archive is None or self._bounds is None:
            return
        geometry = self.geometry_now()
        want = geometry.window_request(self._emphasis)
        window = self._model.window()
        if geometry.covers(self._fetched, want, window is not None and window.aggregated):
            return
        if self._requested is not None and geometry.covers(self._requested, want, True):
            return  # the fetch in flight will do
        self._requested = want
        self._submit(
            lambda: want.fetch(archive),
            lambda window: self.show_window(window, want),
            key="window",
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
            lambda: timeline.incident_point(archive, incident_id),
            lambda point: self._on_point(incident_id, point, centre),
            key="point",
        )
        self._submit(
            lambda: timeline.incident_events(archive, incident_id),
            lambda events: self._on_events(incident_id, events),
            key="events",
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
            self._set_view(self.geometry_now().centred_on(day), self._geometry.scale)
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
            geometry = self.geometry_now()
            nearest = self._layout.nearest_single(geometry.plot().centre_x - geometry.x_offset())
            if nearest is not None:
                self._select(nearest, centre="if-hidden", emit=True)
            return
        self._submit(
            lambda: timeline.incident_neighbour(archive, current, step),
            lambda found: self._on_neighbour(current, found),
            key="step",
        )

    def _on_neighbour(self, origin: int, found: int | None) -> None:
        if found is not None and self._selected == origin:
            self._select(found, centre="if-hidden", emit=True)

    # --- geometry ----------------------------------------------------------------------------

    def _set_view(self, left: float, scale: float) -> None:
        geometry = self.geometry_now()
        left = geometry.clamp_left(left, scale)
        zoomed = scale != geometry.scale
        geometry.left, geometry.scale = left, scale
        if zoomed:
            self._relayout()
        self.update()
        self._schedule_fetch()

    def _relayout(self) -> None:
        """Pixel positions of every fetched item at the current zoom and size (not per paint)."""
        window = self._model.window()
        lanes = window.lanes if window is not None and window.lane_mode != "none" else [""]
        self._lanes = lanes or [""]
        geometry = self.geometry_now()
        self._layout = MarkerLayout.build(
            self._model.items(),
            self._lanes,
            plot_top=geometry.plot().top,
            lane_height=geometry.lane_height(),
            scale=geometry.scale,
            bucket_days=window.bucket_days if window is not None else 0.0,
        )

    def _events_at(self, pos: QPointF) -> list[tuple[date, str]]:
        geometry = self.geometry_now()
        if not self._events or not geometry.events_box().contains(pos.x(), pos.y()):
            return []
        return [
            (day, text)
            for day, text in self._events
            if abs(geometry.x_for_date(day) - pos.x()) <= 5
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
        geometry = self._geometry
        if horizontal:
            self._set_view(geometry.left - horizontal / 120 * 40 / geometry.scale, geometry.scale)
        elif delta.y():
            self.zoom_by(1.2 ** (delta.y() / 120), event.position().x())
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position()
            self._press_left = self._geometry.left
            self._dragging = False
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        press = self._press
        if press is None:
            return super().mouseMoveEvent(event)
        dx = event.position().x() - press.x()
        moved = abs(dx) + abs(event.position().y() - press.y())
        if not self._dragging and moved >= DRAG_THRESHOLD:
            self._dragging = True
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        if self._dragging:
            scale = self._geometry.scale
            self._set_view(self._press_left - dx / scale, scale)
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

    def _message(self) -> str | None:
        """What the plot says instead of, or over, markers: an error, or why it is empty."""
        if self._error is not None:
            return self._error
        if self._bounds is not None and self._bounds.count == 0:
            return self.tr("No dated incidents in this archive")
        if self._archive is None:
            return self._waiting or self.tr("No archive open")
        return None

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the frame last painted again when nothing it shows changed (an import's
        progress, a dialog moving over the window, a tooltip), else paint it anew into the
        cached image: a repaint is then one copy of an image, not a walk of the layout with
        its text and shapes, which on a busy machine (an import's workers on every core)
        took several times its 2-4 ms."""
        geometry = self.geometry_now()
        palette, font, ratio = self.palette(), self.font(), self.devicePixelRatioF()
        message, focused = self._message(), self.hasFocus()
        # tuples compare their items by identity first: the layout and the emphasis, the
        # same objects from one paint to the next, cost nothing to compare
        key = (
            self._layout, self._lanes, self._events, self._emphasis, self._selected,
            self._selected_day, message, focused, geometry.width, geometry.height,
            geometry.left, geometry.scale, geometry.line_height, geometry.lane_mode,
            geometry.lane_count, geometry.has_events, geometry.bounds, palette.cacheKey(),
            font.key(), ratio,
        )  # fmt: skip
        frame = self._frame
        if frame is None or key != self._frame_key:
            size = QSize(max(1, round(self.width() * ratio)), max(1, round(self.height() * ratio)))
            if frame is None or frame.size() != size:
                frame = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
                frame.setDevicePixelRatio(ratio)
            scene = Scene(
                geometry=geometry,
                layout=self._layout,
                lanes=self._lanes,
                events=self._events,
                emphasis=self._emphasis,
                selected=self._selected,
                selected_day=self._selected_day,
                message=message,
                focused=focused,
                events_label=self.tr("Events"),
            )
            drawing = QPainter(frame)
            drawing.setFont(font)  # as a painter on the widget itself begins
            drawing.setPen(palette.color(self.foregroundRole()))
            try:
                self._painter.paint(drawing, scene, palette, font, ratio)
            finally:
                drawing.end()
            self._frame, self._frame_key = frame, key
        painter = QPainter(self)
        try:
            painter.drawImage(QPoint(0, 0), frame)
        finally:
            painter.end()
