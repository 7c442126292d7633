"""The timeline's arithmetic without a window: days to pixels, zoom, what to fetch, where
markers go and which one a click hits, the axis ticks."""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import date, timedelta
from itertools import pairwise

import pytest

from viewer.services.timeline import TimelineBounds, TimelineItem
from viewer.ui.timeline.geometry import MAX_PX_PER_DAY, Box, TimelineGeometry
from viewer.ui.timeline.layout import (
    CLUSTER,
    MIN_RADIUS,
    OPEN_TOLL,
    TOLL,
    UNKNOWN_TOLL,
    MarkerLayout,
)
from viewer.ui.timeline.ticks import axis_ticks, choose_tick_step, fit_major_label

DAY = date(2023, 9, 29)


class FixedWidthText:
    """Measures text as 7 pixels a character (what QFontMetrics does in the window)."""

    def horizontalAdvance(self, text: str, /) -> int:
        return 7 * len(text)


def _geometry(**changes: object) -> TimelineGeometry:
    geometry = TimelineGeometry()
    geometry.width, geometry.height, geometry.line_height = 900, 320, 16
    for name, value in changes.items():
        setattr(geometry, name, value)
    return geometry


def _single(
    day: date, incident_id: int, toll: int | None, *, open_ended: bool = False
) -> TimelineItem:
    return TimelineItem("", day, day, 1, incident_id, f"#{incident_id}", toll, toll, open_ended)


def _cluster(first: date, last: date, count: int, lane: str = "") -> TimelineItem:
    return TimelineItem(lane, first, last, count, None, None, 1, 50, False)


def test_the_geometry_modules_do_not_import_qt() -> None:
    code = (
        "import sys\n"
        "import viewer.ui.timeline.geometry, viewer.ui.timeline.layout, viewer.ui.timeline.ticks\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_plot_box_leaves_room_for_axis_lane_labels_and_events() -> None:
    plain = _geometry()
    assert plain.plot() == Box(0, 44, 900, 276)  # axis: two lines of text and a margin
    lanes = _geometry(lane_mode="place", has_events=True)
    plot = lanes.plot()
    assert plot.left == 162 and plot.width == 900 - 162  # 18 % of the width for labels
    assert plot.bottom + 1 == lanes.events_box().top
    assert lanes.events_box().height == 16 + 14
    assert plot.height + lanes.events_box().height + lanes.axis_height() == 320
    assert Box(0, 0, 10, 10).contains(9.4, 0) and not Box(0, 0, 10, 10).contains(9.5, 0)


def test_days_and_pixels_convert_both_ways() -> None:
    geometry = _geometry(left=float(DAY.toordinal()), scale=4.0, lane_mode="place")
    x = geometry.x_for_date(DAY + timedelta(days=10))
    assert x == geometry.plot().left + 10.5 * 4.0
    assert geometry.date_at(x) == DAY + timedelta(days=10)
    first, last = geometry.visible_range()
    assert first == DAY and (last - first).days == math.floor(geometry.plot().width / 4.0)


def test_zoom_keeps_the_anchor_date_in_place_and_stays_within_limits() -> None:
    geometry = _geometry(left=float(DAY.toordinal()), scale=2.0)
    before = geometry.date_at(300)
    geometry.left, geometry.scale = geometry.zoomed(1.5, 300)
    assert geometry.scale == 3.0 and geometry.date_at(300) == before
    assert geometry.zoomed(10**6)[1] == MAX_PX_PER_DAY
    geometry.bounds = TimelineBounds(date(1900, 1, 1), date(2020, 1, 1), 10)
    span = (date(2020, 1, 1) - date(1900, 1, 1)).days
    assert geometry.zoomed(1e-9)[1] == pytest.approx(900 / (span * 3))


def test_showing_a_range_puts_it_across_the_plot() -> None:
    geometry = _geometry()
    geometry.left, geometry.scale = geometry.showing(DAY, DAY + timedelta(days=89))
    assert geometry.scale == pytest.approx(900 / 90)
    first, last = geometry.visible_range()
    assert first == DAY and last in (DAY + timedelta(days=89), DAY + timedelta(days=90))
    assert geometry.date_at(geometry.plot().width / 2) == DAY + timedelta(days=45)
    geometry.left = geometry.centred_on(DAY)
    assert geometry.date_at(geometry.plot().width / 2) == DAY


def test_the_window_to_fetch_has_a_margin_and_is_reused_while_it_covers_the_view() -> None:
    geometry = _geometry(left=float(DAY.toordinal()), scale=10.0)
    want = geometry.window_request(frozenset())
    view_days = 900 / 10.0
    assert want.start == math.floor(DAY.toordinal() - view_days / 2)
    assert want.end == math.ceil(DAY.toordinal() + view_days * 1.5)
    assert want.bucket_days == pytest.approx(1.8) and 200 <= want.max_items <= 4000
    assert geometry.covers(want, want, aggregated=False)
    geometry.left += view_days  # a pan by a whole view width leaves the fetched range
    assert not geometry.covers(want, geometry.window_request(frozenset()), aggregated=False)
    geometry.left -= view_days
    zoomed_out = _geometry(left=geometry.left, scale=4.0).window_request(frozenset())
    assert not geometry.covers(want, zoomed_out, aggregated=True)  # other bucket size
    emphasised = geometry.window_request(frozenset({1}))
    assert geometry.covers(want, emphasised, aggregated=False)
    assert not geometry.covers(want, emphasised, aggregated=True)


def test_markers_are_sorted_sized_by_toll_and_hit_by_a_click() -> None:
    items = [
        _single(DAY + timedelta(days=5), 2, 60),
        _single(DAY, 1, None),
        _single(DAY + timedelta(days=9), 3, 28, open_ended=True),
        _cluster(DAY + timedelta(days=20), DAY + timedelta(days=29), 12),
    ]
    layout = MarkerLayout.build(
        items, [""], plot_top=40, lane_height=200, scale=10.0, bucket_days=3.0
    )
    assert layout.xs == sorted(layout.xs)
    assert [item.incident_id for item in layout.items] == [1, 2, 3, None]
    assert layout.kinds == [UNKNOWN_TOLL, TOLL, OPEN_TOLL, CLUSTER]
    toll_60 = layout.rs[1]
    assert toll_60 == round(1.2 * math.sqrt(60) * 2) / 2 and toll_60 > MIN_RADIUS
    assert layout.rs[3] <= 3.0 * 10.0 / 2 - 1  # a cluster stays inside its bucket
    assert set(layout.ys) == {140.0}  # the middle of the one lane
    x, y = layout.position_of(2) or (0.0, 0.0)
    assert layout.index_at(x + 1, y - 1) == 1
    assert layout.index_at(x, y + toll_60 + 10) is None
    assert layout.nearest_single(x + 20) == 2  # the cluster is never "nearest"
    assert layout.position_of(999) is None
    assert list(layout.slice_between(x, x)) == [1]


def test_lanes_and_neighbouring_clusters_do_not_overlap() -> None:
    start = date(1990, 1, 1)
    clusters = [
        _cluster(start + timedelta(days=30 * n), start + timedelta(days=30 * n + 29), 5000, lane)
        for n in range(20)
        for lane in ("A", "B")
    ]
    layout = MarkerLayout.build(
        clusters, ["A", "B"], plot_top=0, lane_height=100, scale=0.5, bucket_days=30.0
    )
    assert set(layout.ys) == {50.0, 150.0}
    in_a = sorted(
        (x, r) for x, y, r in zip(layout.xs, layout.ys, layout.rs, strict=True) if y == 50
    )
    for (x1, r1), (x2, r2) in pairwise(in_a):
        assert x1 + r1 <= x2 - r2 + 0.5


def test_ticks_fit_their_labels_without_a_window() -> None:
    metrics = FixedWidthText()
    assert choose_tick_step(40.0, metrics) == ("day", 1)
    assert choose_tick_step(1.0, metrics)[0] == "month"
    assert choose_tick_step(0.01, metrics)[0] == "year"
    minor, major = axis_ticks(date(2023, 9, 1), date(2023, 10, 31), "day", 5)
    assert [tick.label for tick in major] == ["September 2023", "October 2023"]
    assert minor[0].label == "1" and minor[1].label == "6"
    assert fit_major_label("September 2023", 7 * 8, metrics) == "Sep 2023"
