"""The timeline's data: incidents by date range, one by one or aggregated into clusters in SQL.

The timeline pane asks for the window it shows (plus a margin) and never for the whole
archive. A window with few incidents comes back incident by incident; a denser one is
aggregated in SQL into (lane, bucket) clusters, so the answer stays a few thousand items
however large the archive is.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from db import Archive

LANE_MODES = ("none", "perpetrator", "place", "country")
UNKNOWN_LANE = "Unknown"
OTHER_LANE = "Other"
MAX_LANES = 30  # lanes beyond these (by incident count in the window) share OTHER_LANE

# The lane key of incident `i` in each mode (NULL becomes UNKNOWN_LANE); every column is in
# the covering index ix_incidents_timeline.
_LANE_SQL = {
    "none": "''",
    "perpetrator": "i.lane_perpetrator",
    "place": "i.lane_place",
    "country": "i.country",
}


@dataclass(frozen=True)
class TimelineBounds:
    """The dated part of the archive: first and last start date, and how many incidents."""

    first: date | None
    last: date | None
    count: int


@dataclass(frozen=True)
class TimelineItem:
    """One incident (count == 1) or a cluster of `count` incidents starting in [start, end].

    For a cluster, fatalities_min is the smallest known lower bound, fatalities_max the
    largest known toll, fatalities_open whether any toll is open-ended, fatalities_total the
    sum of the known lower bounds, and emphasized how many members are in the emphasis set.
    """

    lane: str
    start: date
    end: date
    count: int
    incident_id: int | None
    title: str | None
    fatalities_min: int | None
    fatalities_max: int | None
    fatalities_open: bool
    emphasized: int = 0
    fatalities_total: int | None = None

    @property
    def is_cluster(self) -> bool:
        return self.count > 1


@dataclass(frozen=True)
class TimelineWindow:
    """The items starting in [start, end], and the lanes they sit in (busiest first)."""

    items: list[TimelineItem]
    lanes: list[str]
    start: date | None = None
    end: date | None = None
    lane_mode: str = "none"
    bucket_days: float = 0.0  # 0 when the items are single incidents
    total: int = 0  # incidents in the window

    @property
    def aggregated(self) -> bool:
        return self.bucket_days > 0


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def timeline_bounds(archive: Archive) -> TimelineBounds:
    """First and last start date of the dated incidents, and how many there are."""
    with archive.session() as session:
        row = session.execute(
            text(
                "SELECT min(date_start), max(date_start), count(date_start) FROM incidents "
                "WHERE date_start IS NOT NULL"
            )
        ).one()
    return TimelineBounds(_parse_date(row[0]), _parse_date(row[1]), int(row[2] or 0))


def timeline_window(
    archive: Archive,
    start: date,
    end: date,
    *,
    lanes: str = "none",
    bucket_days: float = 1.0,
    max_items: int = 4000,
    emphasis: frozenset[int] | None = None,
) -> TimelineWindow:
    """Incidents whose start date is in [start, end]: each one when there are at most
    max_items of them, otherwise clusters per lane and bucket of bucket_days days (widened
    when needed so that at most max_items items come back)."""
    if lanes not in LANE_MODES:
        raise ValueError(f"unknown lane mode {lanes!r}; expected one of {LANE_MODES}")
    if end < start:
        start, end = end, start
    max_items = max(1, max_items)
    emphasis = emphasis or frozenset()
    bounds = {"lo": start.isoformat(), "hi": end.isoformat()}
    with archive.session() as session:
        capped = session.execute(
            text(
                "SELECT count(*) FROM (SELECT 1 FROM incidents "
                "WHERE date_start BETWEEN :lo AND :hi LIMIT :cap)"
            ),
            {**bounds, "cap": max_items + 1},
        ).scalar_one()
        if capped <= max_items:
            items = _single_items(session, bounds, lanes, emphasis)
            items, lane_keys = _cap_lanes(items)
            return TimelineWindow(items, lane_keys, start, end, lanes, 0.0, len(items))
        return _aggregated(session, start, end, lanes, bucket_days, max_items, emphasis)


def _single_items(
    session: Session, bounds: dict[str, str], lanes: str, emphasis: frozenset[int]
) -> list[TimelineItem]:
    rows = session.execute(
        text(
            f"SELECT i.id, i.title, i.date_start, i.date_end, i.fatalities_min, "
            f"i.fatalities_max, i.fatalities_open, coalesce({_LANE_SQL[lanes]}, :unknown) "
            "FROM incidents AS i WHERE i.date_start BETWEEN :lo AND :hi "
            "ORDER BY i.date_start, i.id"
        ),
        {**bounds, "unknown": UNKNOWN_LANE},
    )
    items = []
    for id_, title, start_text, end_text, low, high, open_, lane in rows:
        start = _parse_date(start_text)
        if start is None:
            continue
        end = _parse_date(end_text) or start
        items.append(
            TimelineItem(
                lane=_lane_key(lanes, lane),
                start=start,
                end=max(end, start),
                count=1,
                incident_id=id_,
                title=title,
                fatalities_min=low,
                fatalities_max=high,
                fatalities_open=bool(open_),
                emphasized=int(id_ in emphasis),
                fatalities_total=low if low is not None else high,
            )
        )
    return items


def _lane_key(mode: str, value: str | None) -> str:
    if mode == "none":
        return ""
    return value.strip() if value and value.strip() else UNKNOWN_LANE


def _lane_order(counts: Counter[str]) -> list[str]:
    return sorted(counts, key=lambda lane: (-counts[lane], lane))


def _cap_lanes(items: list[TimelineItem]) -> tuple[list[TimelineItem], list[str]]:
    """Lanes by incident count; those beyond MAX_LANES are folded into OTHER_LANE."""
    counts: Counter[str] = Counter()
    for item in items:
        counts[item.lane] += item.count
    ordered = _lane_order(counts)
    if len(ordered) <= MAX_LANES + 1:
        return items, ordered
    kept = set(ordered[:MAX_LANES])
    folded = [item if item.lane in kept else replace(item, lane=OTHER_LANE) for item in items]
    return folded, [*ordered[:MAX_LANES], OTHER_LANE]


# --- aggregation -----------------------------------------------------------------------

# Each bucket is its own range scan of the date index with a small GROUP BY inside it:
# no per-row date arithmetic and no sort over the whole window, which is what makes the
# fit-all view of a large archive affordable.
_BUCKETS_SQL = """
WITH b(k, lo, hi) AS (
    SELECT key, value, json_extract(:bounds, '$[' || (key + 1) || ']') FROM json_each(:bounds)
)
SELECT b.k, (
    SELECT json_group_array(json_array(lane, n, first, last, one_id, fmin, fmax, fopen,
                                       ftotal, emph))
    FROM (
        SELECT coalesce({lane}, :unknown) AS lane, count(*) AS n, min(i.date_start) AS first,
               max(i.date_start) AS last, min(i.id) AS one_id, min(i.fatalities_min) AS fmin,
               max(coalesce(i.fatalities_max, i.fatalities_min)) AS fmax,
               max(i.fatalities_open) AS fopen,
               sum(coalesce(i.fatalities_min, i.fatalities_max)) AS ftotal, 0 AS emph
        FROM incidents AS i
        WHERE i.date_start >= b.lo AND i.date_start < b.hi
        {group_by}
    )
)
FROM b WHERE b.hi IS NOT NULL
"""
# Emphasised incidents are looked up by id (a search result set is small next to a window
# of a large archive) and counted into their cells in Python.
_EMPHASIS_SQL = """
SELECT i.date_start, coalesce({lane}, :unknown) FROM incidents AS i
WHERE i.id IN (SELECT value FROM json_each(:ids)) AND i.date_start BETWEEN :lo AND :hi
"""
_DETAILS_SQL = text(
    "SELECT id, title, date_end, fatalities_min, fatalities_max, fatalities_open "
    "FROM incidents WHERE id IN (SELECT value FROM json_each(:ids))"
)


@dataclass(slots=True)
class _Cell:
    """A cluster being put together (Python-side merges: folded lanes, wider buckets)."""

    lane: str
    bucket: int
    count: int
    first: str
    last: str
    one_id: int
    fmin: int | None
    fmax: int | None
    fopen: bool
    ftotal: int | None
    emph: int

    def merge(self, other: _Cell) -> None:
        self.count += other.count
        self.first = min(self.first, other.first)
        self.last = max(self.last, other.last)
        self.one_id = min(self.one_id, other.one_id)
        if other.fmin is not None and (self.fmin is None or other.fmin < self.fmin):
            self.fmin = other.fmin
        if other.fmax is not None and (self.fmax is None or other.fmax > self.fmax):
            self.fmax = other.fmax
        if other.ftotal is not None:
            self.ftotal = other.ftotal + (self.ftotal or 0)
        self.fopen = self.fopen or other.fopen
        self.emph += other.emph


def bucket_starts(start: date, end: date, bucket_days: float) -> list[date]:
    """The first day of each bucket k (floor((day - start) / bucket_days) == k) from start
    to end, then the day after end."""
    span = (end - start).days
    days: list[int] = []
    k = 0
    while (offset := math.ceil(k * bucket_days - 1e-9)) <= span:
        if not days or offset > days[-1]:
            days.append(offset)
        k += 1
    days.append(span + 1)
    return [start + timedelta(days=offset) for offset in days]


def _aggregated(
    session: Session,
    start: date,
    end: date,
    lanes: str,
    bucket_days: float,
    max_items: int,
    emphasis: frozenset[int],
) -> TimelineWindow:
    span = (end - start).days + 1
    # Few enough buckets that every lane can fill all of them within max_items (the merge
    # below is only a backstop): a lane is a thin row, so coarser buckets there cost nothing.
    lane_bound = 1 if lanes == "none" else MAX_LANES + 1
    bucket_days = max(float(bucket_days), 1.0, span * lane_bound / max_items)
    starts = bucket_starts(start, end, bucket_days)
    sql = _BUCKETS_SQL.format(
        lane=_LANE_SQL[lanes], group_by="" if lanes == "none" else "GROUP BY 1"
    )
    starts_text = [day.isoformat() for day in starts]
    params = {"bounds": json.dumps(starts_text), "unknown": UNKNOWN_LANE}
    cells = []
    for bucket, groups in session.execute(text(sql), params):
        for lane, n, first, last, one_id, fmin, fmax, fopen, ftotal, emph in json.loads(groups):
            if n:
                cells.append(
                    _Cell(_lane_key(lanes, lane), bucket, n, first, last, one_id, fmin, fmax,
                          bool(fopen), ftotal, int(emph or 0))
                )  # fmt: skip
    if emphasis:
        _count_emphasis(session, cells, starts_text, lanes, emphasis)
    counts: Counter[str] = Counter()
    for cell in cells:
        counts[cell.lane] += cell.count
    lane_keys = _lane_order(counts)
    if len(lane_keys) > MAX_LANES + 1:
        kept = set(lane_keys[:MAX_LANES])
        lane_keys = [*lane_keys[:MAX_LANES], OTHER_LANE]
        cells = _merge_cells(cells, lambda c: (c.lane if c.lane in kept else OTHER_LANE, c.bucket))
    factor = 1
    while len(cells) > max_items:
        factor *= 2
        cells = _merge_cells(cells, lambda c, f=factor: (c.lane, c.bucket // f))
    total = sum(cell.count for cell in cells)
    items = _cells_to_items(session, cells, emphasis)
    return TimelineWindow(items, lane_keys, start, end, lanes, bucket_days * factor, total)


def _count_emphasis(
    session: Session, cells: list[_Cell], starts: list[str], lanes: str, emphasis: frozenset[int]
) -> None:
    by_key = {(cell.lane, cell.bucket): cell for cell in cells}
    rows = session.execute(
        text(_EMPHASIS_SQL.format(lane=_LANE_SQL[lanes])),
        {"ids": json.dumps(sorted(emphasis)), "unknown": UNKNOWN_LANE, "lo": starts[0],
         "hi": starts[-1]},
    )  # fmt: skip
    for day, lane in rows:
        cell = by_key.get((_lane_key(lanes, lane), bisect_right(starts, day) - 1))
        if cell is not None:
            cell.emph += 1


def _merge_cells(cells: Iterable[_Cell], key: Any) -> list[_Cell]:
    """Cells regrouped under key(cell) -> (lane, bucket); merges in place (they are ours)."""
    merged: dict[tuple[str, int], _Cell] = {}
    for cell in cells:
        lane, bucket = key(cell)
        found = merged.get((lane, bucket))
        if found is None:
            cell.lane, cell.bucket = lane, bucket
            merged[(lane, bucket)] = cell
        else:
            found.merge(cell)
    return list(merged.values())


def _cells_to_items(
    session: Session, cells: Sequence[_Cell], emphasis: frozenset[int]
) -> list[TimelineItem]:
    single_ids = [cell.one_id for cell in cells if cell.count == 1]
    details: dict[int, tuple[Any, ...]] = {}
    if single_ids:
        for row in session.execute(_DETAILS_SQL, {"ids": json.dumps(single_ids)}):
            details[row[0]] = tuple(row[1:])
    items = []
    for cell in cells:
        first = _parse_date(cell.first)
        if first is None:
            continue
        last = _parse_date(cell.last) or first
        found = details.get(cell.one_id) if cell.count == 1 else None
        if found is not None:
            title, end_text, low, high, open_ = found
            end = _parse_date(end_text) or first
            items.append(
                TimelineItem(cell.lane, first, max(end, first), 1, cell.one_id, title, low, high,
                             bool(open_), int(cell.one_id in emphasis),
                             low if low is not None else high)
            )  # fmt: skip
        else:
            items.append(
                TimelineItem(cell.lane, first, last, cell.count, None, None, cell.fmin,
                             cell.fmax, cell.fopen, cell.emph, cell.ftotal)
            )  # fmt: skip
    items.sort(key=lambda item: (item.start, item.lane))
    return items


# --- single incidents --------------------------------------------------------------------


def incident_neighbour(archive: Archive, incident_id: int, step: int) -> int | None:
    """The previous (step < 0) or next (step > 0) dated incident in (date_start, id) order,
    or None at either end or for an undated incident."""
    if step == 0:
        return incident_id
    forward = step > 0
    with archive.session() as session:
        current = session.execute(
            text("SELECT date_start FROM incidents WHERE id = :id"), {"id": incident_id}
        ).scalar_one_or_none()
        if current is None:
            return None
        found, day = incident_id, current
        for _ in range(abs(step)):
            neighbour = _next_dated(session, found, day, forward)
            if neighbour is None:
                return None
            found, day = neighbour
        return found


def _next_dated(
    session: Session, incident_id: int, day: str, forward: bool
) -> tuple[int, str] | None:
    sql = "SELECT id, date_start FROM incidents WHERE date_start IS NOT NULL AND " + (
        "(date_start, id) > (:day, :id) ORDER BY date_start, id LIMIT 1"
        if forward
        else "(date_start, id) < (:day, :id) ORDER BY date_start DESC, id DESC LIMIT 1"
    )
    row = session.execute(text(sql), {"day": day, "id": incident_id}).first()
    return (row[0], row[1]) if row else None


def incident_events(archive: Archive, incident_id: int) -> list[tuple[date, str]]:
    """The incident's dated events (date, sentence), in date order."""
    with archive.session() as session:
        rows = session.execute(
            text("SELECT date, text FROM events WHERE incident_id = :id ORDER BY date, position"),
            {"id": incident_id},
        ).all()
    events = []
    for day_text, sentence in rows:
        day = _parse_date(day_text)
        if day is not None:
            events.append((day, sentence))
    return events


def incident_point(
    archive: Archive, incident_id: int
) -> tuple[date, int | None, int | None, bool, str] | None:
    """(start date, fatalities min, max, open-ended, title) of a dated incident, else None."""
    with archive.session() as session:
        row = session.execute(
            text(
                "SELECT date_start, fatalities_min, fatalities_max, fatalities_open, title "
                "FROM incidents WHERE id = :id"
            ),
            {"id": incident_id},
        ).first()
    if row is None:
        return None
    day = _parse_date(row[0])
    if day is None:
        return None
    return day, row[1], row[2], bool(row[3]), row[4]
