"""Where things are on the timeline, worked out without a window: the days the plot shows,
the boxes of the plot and its sub-track for a widget size, the conversions between days
and pixels, and the window of the archive to fetch for what is shown.

Nothing here imports Qt, so the arithmetic is tested without a widget; the view hands
in its size and line height and turns the boxes into QRects to paint.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from viewer.ui.deferred import deferred

if TYPE_CHECKING:
    from db import Archive
    from viewer.services import timeline
    from viewer.services.timeline import TimelineBounds, TimelineWindow
else:
    timeline = deferred("viewer.services.timeline")

FETCH_MARGIN = 0.5  # fetch this many view widths beyond each side (small pans stay local)
BUCKET_PX = 18.0  # a cluster covers about this many pixels of the axis
MAX_PX_PER_DAY = 600.0
LANE_LABEL_MAX = 180
DEFAULT_SPAN_DAYS = 36525  # a century, until the archive's own span is known


def day_of(ordinal: float) -> date:
    """The day an ordinal (possibly fractional, possibly out of range) falls on."""
    return date.fromordinal(min(max(1, math.floor(ordinal)), date.max.toordinal()))


@dataclass(frozen=True)
class Box:
    """A rectangle in widget pixels, with QRect's meaning of right and bottom (the last
    pixel inside) so that the view paints exactly what it did with QRects."""

    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width - 1

    @property
    def bottom(self) -> int:
        return self.top + self.height - 1

    @property
    def centre_x(self) -> int:
        return (self.left + self.right) // 2

    def contains(self, x: float, y: float) -> bool:
        """Whether the pixel at (x, y), rounded as QPointF.toPoint() rounds, is inside."""
        px, py = _qround(x), _qround(y)
        return self.left <= px <= self.right and self.top <= py <= self.bottom


def _qround(value: float) -> int:
    """Qt's qRound: halves away from zero (Python's round() takes them to even)."""
    return math.floor(value + 0.5) if value >= 0 else math.ceil(value - 0.5)


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
        return timeline.timeline_window(
            archive, day_of(self.start), day_of(self.end), lanes=self.lane_mode,
            bucket_days=self.bucket_days, max_items=self.max_items, emphasis=self.emphasis,
        )  # fmt: skip


class TimelineGeometry:
    """The days the plot shows (the ordinal at its left edge, pixels per day) and the boxes
    it is drawn in. The view keeps width, height, line_height, lane_mode, lane_count and
    has_events up to date; everything else follows from them."""

    def __init__(self) -> None:
        self.left = float(date.today().toordinal() - 365)  # ordinal at the plot's left edge
        self.scale = 1.0  # pixels per day
        self.width = 640
        self.height = 480
        self.line_height = 16
        self.lane_mode = "none"
        self.lane_count = 1
        self.has_events = False
        self.bounds: TimelineBounds | None = None

    # --- boxes -------------------------------------------------------------------------------

    def axis_height(self) -> int:
        return 2 * self.line_height + 12

    def events_height(self) -> int:
        return self.line_height + 14 if self.has_events else 0

    def label_width(self) -> int:
        if self.lane_mode == "none":
            return 0
        return int(min(LANE_LABEL_MAX, max(90, self.width * 0.18)))

    def plot(self) -> Box:
        left = self.label_width()
        top = self.axis_height()
        height = max(1, self.height - top - self.events_height())
        return Box(left, top, max(1, self.width - left), height)

    def events_box(self) -> Box:
        plot = self.plot()
        return Box(plot.left, plot.bottom + 1, plot.width, self.events_height())

    def lane_height(self) -> float:
        return self.plot().height / max(1, self.lane_count)

    # --- days and pixels ----------------------------------------------------------------------

    def x_offset(self) -> float:
        """Added to an item's absolute x (ordinal * scale) to give its widget x."""
        return self.plot().left - self.left * self.scale

    def x_for_date(self, day: date) -> float:
        """Widget x of the middle of day."""
        return self.plot().left + (day.toordinal() + 0.5 - self.left) * self.scale

    def x_for_ordinal(self, ordinal: int) -> int:
        """Widget x (a whole pixel) of the start of the day with this ordinal."""
        return round(self.plot().left + (ordinal - self.left) * self.scale)

    def date_at(self, x: float) -> date:
        return day_of(self.left + (x - self.plot().left) / self.scale)

    def visible_range(self) -> tuple[date, date]:
        return day_of(self.left), day_of(self.left + self.plot().width / self.scale)

    def min_scale(self) -> float:
        """The furthest one may zoom out: three times the archive's span (at least a
        century) across the plot."""
        width = max(1, self.plot().width)
        span = DEFAULT_SPAN_DAYS
        bounds = self.bounds
        if bounds is not None and bounds.first is not None and bounds.last is not None:
            span = max(span, (bounds.last - bounds.first).days)
        return width / (span * 3)

    def clamp_scale(self, scale: float) -> float:
        return min(max(scale, self.min_scale()), MAX_PX_PER_DAY)

    def clamp_left(self, left: float, scale: float) -> float:
        return min(max(left, 1.0), float(date.max.toordinal()) - self.width / scale)

    # --- where to go (the view applies these with its own _set_view) ---------------------------

    def zoomed(self, factor: float, anchor_x: float | None = None) -> tuple[float, float]:
        """(left, scale) zoomed by factor (> 1 zooms in), the date under anchor_x (the
        plot's centre by default) staying where it is."""
        plot = self.plot()
        if anchor_x is None:
            anchor_x = plot.centre_x
        anchor_day = self.left + (anchor_x - plot.left) / self.scale
        scale = self.clamp_scale(self.scale * factor)
        return anchor_day - (anchor_x - plot.left) / scale, scale

    def showing(self, first: date, last: date) -> tuple[float, float]:
        """(left, scale) that show [first, last] (whole days) across the plot."""
        days = max(1, (last - first).days + 1)
        width = max(1, self.plot().width)
        scale = self.clamp_scale(width / days)
        centre = first.toordinal() + days / 2
        return centre - width / scale / 2, scale

    def centred_on(self, day: date) -> float:
        """The left edge that puts day in the middle of the plot at the current zoom."""
        return day.toordinal() + 0.5 - self.plot().width / self.scale / 2

    # --- what to fetch --------------------------------------------------------------------

    def window_request(self, emphasis: frozenset[int]) -> WindowRequest:
        """The window to fetch for the current range, zoom and lanes, with a margin."""
        plot_width = max(1, self.plot().width)
        view_days = plot_width / self.scale
        margin = view_days * FETCH_MARGIN
        first = max(1, math.floor(self.left - margin))
        last = min(date.max.toordinal(), math.ceil(self.left + view_days + margin))
        fetch_px = plot_width * (1 + 2 * FETCH_MARGIN)
        per_lane = 1 if self.lane_mode == "none" else 8
        max_items = int(min(4000, max(200, fetch_px / 4 * per_lane)))
        return WindowRequest(
            first, last, self.lane_mode, BUCKET_PX / self.scale, max_items, emphasis
        )

    def covers(self, have: WindowRequest | None, want: WindowRequest, aggregated: bool) -> bool:
        """Whether what was fetched for have still serves want: the view inside it, and
        for clusters the same emphasis and about the same bucket size."""
        if have is None or have.lane_mode != want.lane_mode:
            return False
        view_first = math.floor(self.left)
        view_last = math.ceil(self.left + self.plot().width / self.scale)
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
