"""Where each fetched item is drawn and how big: computed once per fetch, zoom or resize
(not per paint), sorted by x so that a paint or a click only looks at a slice.

Qt-free: positions are plain floats, x absolute (ordinal * pixels per day; add the
geometry's x_offset for a widget x), y in widget pixels.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from viewer.services.timeline import TimelineItem

MIN_RADIUS = 3.5  # a marker for a toll of 0 (or too small to see otherwise)
RADIUS_PER_SQRT = 1.2  # marker area grows with the toll: radius = k * sqrt(fatalities)
MAX_RADIUS = 24.0
UNKNOWN_RADIUS = 4.5
CLUSTER_MIN_RADIUS = 6.0
CLUSTER_MAX_RADIUS = 16.0
HIT_SLOP = 3.0

# What a marker is, per item: a cluster, or one incident with an unknown toll, a toll, or
# an open-ended toll ("40+").
CLUSTER, UNKNOWN_TOLL, TOLL, OPEN_TOLL = -1, 0, 1, 2


def toll_radius(item: TimelineItem) -> float:
    toll = item.fatalities_max if item.fatalities_max is not None else item.fatalities_min
    if toll is None:
        return UNKNOWN_RADIUS
    return max(MIN_RADIUS, RADIUS_PER_SQRT * math.sqrt(max(0, toll)))


def marker_kind(item: TimelineItem) -> int:
    if item.is_cluster:
        return CLUSTER
    if item.fatalities_max is None and item.fatalities_min is None:
        return UNKNOWN_TOLL
    return OPEN_TOLL if item.fatalities_open else TOLL


@dataclass
class MarkerLayout:
    """Per item, sorted by x: absolute x, y, radius, heat (clusters: 0..1, the log of the
    count against the busiest), kind, and the item."""

    xs: list[float] = field(default_factory=list)
    ys: list[float] = field(default_factory=list)
    rs: list[float] = field(default_factory=list)
    heat: list[float] = field(default_factory=list)
    kinds: list[int] = field(default_factory=list)
    items: list[TimelineItem] = field(default_factory=list)
    index_of: dict[int, int] = field(default_factory=dict)  # incident id -> index
    max_r: float = 0.0  # the largest radius plus the selection ring

    @classmethod
    def build(
        cls,
        items: Sequence[TimelineItem],
        lanes: Sequence[str],
        *,
        plot_top: float,
        lane_height: float,
        scale: float,
        bucket_days: float,
    ) -> MarkerLayout:
        """Place items in their lanes at scale pixels per day. A single incident's radius
        grows with its toll (capped by the lane), a cluster's with its count (capped so
        that neighbouring buckets never overlap)."""
        lane_index = {lane: index for index, lane in enumerate(lanes)}
        cap = max(MIN_RADIUS, min(MAX_RADIUS, lane_height * 0.45))
        cluster_cap = max(CLUSTER_MIN_RADIUS * 0.6, min(CLUSTER_MAX_RADIUS, lane_height * 0.45))
        if bucket_days > 0:
            # neighbouring buckets must not overlap: a cluster stays inside its own bucket
            cluster_cap = max(3.0, min(cluster_cap, bucket_days * scale / 2 - 1))
        busiest = max((item.count for item in items if item.is_cluster), default=2)
        placed: list[tuple[float, float, float, float, TimelineItem]] = []
        for item in items:
            y = plot_top + (lane_index.get(item.lane, 0) + 0.5) * lane_height
            heat = 0.0
            if item.is_cluster:
                centre = (item.start.toordinal() + item.end.toordinal() + 1) / 2
                radius = min(cluster_cap, CLUSTER_MIN_RADIUS + 1.6 * math.log2(item.count))
                heat = math.log(item.count) / math.log(max(busiest, 2))
            else:
                centre = item.start.toordinal() + 0.5
                radius = round(min(cap, toll_radius(item)) * 2) / 2  # sprites: half pixels
            placed.append((centre * scale, y, radius, heat, item))
        placed.sort(key=lambda entry: entry[0])
        drawn = [entry[4] for entry in placed]
        rs = [entry[2] for entry in placed]
        return cls(
            xs=[entry[0] for entry in placed],
            ys=[entry[1] for entry in placed],
            rs=rs,
            heat=[entry[3] for entry in placed],
            kinds=[marker_kind(item) for item in drawn],
            items=drawn,
            index_of={
                item.incident_id: index
                for index, item in enumerate(drawn)
                if item.incident_id is not None
            },
            max_r=max(rs, default=0.0) + 4,
        )

    def slice_between(self, low: float, high: float) -> range:
        """Indexes of the items whose x is within [low - max_r, high + max_r]: all that
        can show between those absolute x."""
        first = bisect_left(self.xs, low - self.max_r)
        last = bisect_right(self.xs, high + self.max_r)
        return range(first, last)

    def index_at(self, x: float, y: float) -> int | None:
        """The item whose marker (plus a little slop) holds the absolute point (x, y),
        the nearest to its centre relative to its size when several do."""
        first = bisect_left(self.xs, x - self.max_r - HIT_SLOP)
        last = bisect_right(self.xs, x + self.max_r + HIT_SLOP)
        best: tuple[float, int] | None = None
        for index in range(first, last):
            radius = self.rs[index] + HIT_SLOP
            distance = math.hypot(self.xs[index] - x, self.ys[index] - y)
            if distance <= radius:
                score = distance / radius
                if best is None or score < best[0]:
                    best = (score, index)
        return best[1] if best else None

    def nearest_single(self, x: float) -> int | None:
        """The incident drawn on its own nearest to the absolute x."""
        best: tuple[float, int] | None = None
        for item_x, item in zip(self.xs, self.items, strict=True):
            if item.incident_id is not None and not item.is_cluster:
                distance = abs(item_x - x)
                if best is None or distance < best[0]:
                    best = (distance, item.incident_id)
        return best[1] if best else None

    def position_of(self, incident_id: int) -> tuple[float, float] | None:
        """Absolute x and y of the incident's marker, if it is drawn on its own."""
        for x, y, item in zip(self.xs, self.ys, self.items, strict=True):
            if item.incident_id == incident_id and not item.is_cluster:
                return x, y
        return None
