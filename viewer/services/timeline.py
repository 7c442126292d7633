"""The timeline's data: incidents by date range, one by one or aggregated into clusters in SQL.

The timeline pane asks for the window it shows (plus a margin) and never for the whole
archive. A window with few incidents comes back incident by incident; a denser one is
aggregated in SQL into (lane, bucket) clusters, so the answer stays a few thousand items
however large the archive is.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection

from db import Archive
from db import timeline as stored
from viewer.services.vocabulary import LANE_MODES as LANE_MODES

UNKNOWN_LANE = "Unknown"
OTHER_LANE = "Other"
MAX_LANES = 30  # lanes beyond these (by incident count in the window) share OTHER_LANE
# Buckets of at least this many days are whole calendar years (a year, or several), which a
# team archive reads from its counts kept per year (db.timeline) instead of its incidents.
YEAR_BUCKETS_FROM = 90.0
DAYS_PER_YEAR = 365.2425


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
    with archive.read() as connection:
        first, last, count = stored.bounds(connection)
    return TimelineBounds(_parse_date(first), _parse_date(last), count)


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
    lo, hi = start.isoformat(), end.isoformat()
    with archive.read() as connection:
        capped = stored.count_between(connection, lo, hi, max_items + 1)
        if capped <= max_items:
            items = _single_items(connection, lo, hi, lanes, emphasis)
            items, lane_keys = _cap_lanes(items)
            return TimelineWindow(items, lane_keys, start, end, lanes, 0.0, len(items))
        return _aggregated(connection, start, end, lanes, bucket_days, max_items, emphasis)


def _single_items(
    connection: Connection, lo: str, hi: str, lanes: str, emphasis: frozenset[int]
) -> list[TimelineItem]:
    rows = stored.incidents_between(connection, lo, hi, lanes, UNKNOWN_LANE)
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


def year_bucket_starts(start: date, end: date, years: int) -> list[date]:
    """The first day of each bucket of `years` calendar years (from a 1 January of a year
    divisible by `years`), the first from start, then the day after end."""
    starts = [start]
    year = start.year + 1
    while year <= end.year:
        if year % years == 0:
            starts.append(date(year, 1, 1))
        year += 1
    starts.append(end + timedelta(days=1))
    return starts


def _aggregated(
    connection: Connection,
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
    if bucket_days >= YEAR_BUCKETS_FROM and end < date.max:
        years = math.ceil(bucket_days / DAYS_PER_YEAR)
        bucket_days = years * DAYS_PER_YEAR
        starts = year_bucket_starts(start, end, years)
    else:
        starts = bucket_starts(start, end, bucket_days)
    starts_text = [day.isoformat() for day in starts]
    # the lanes are named, counted, ranked and the quieter ones folded in SQL
    rows = stored.clusters(connection, starts_text, lanes, UNKNOWN_LANE, MAX_LANES, OTHER_LANE)
    cells = [
        _Cell(lane, bucket, n, first, last, one_id, fmin, fmax, fopen, ftotal, 0)
        for bucket, lane, _rank, n, first, last, one_id, fmin, fmax, fopen, ftotal in rows
    ]
    ranks = {row[1]: row[2] for row in rows}
    folded = any(rank > MAX_LANES for rank in ranks.values())
    if folded:
        kept = {lane for lane, rank in ranks.items() if rank <= MAX_LANES}
        lane_keys = [*sorted(kept, key=ranks.__getitem__), OTHER_LANE]
    else:
        counts: Counter[str] = Counter()
        for cell in cells:
            counts[cell.lane] += cell.count
        lane_keys = _lane_order(counts)
    if emphasis:
        _count_emphasis(connection, cells, starts_text, lanes, emphasis, kept if folded else None)
    factor = 1
    while len(cells) > max_items:
        factor *= 2
        cells = _merge_cells(cells, lambda c, f=factor: (c.lane, c.bucket // f))
    total = sum(cell.count for cell in cells)
    items = _cells_to_items(connection, cells, emphasis)
    return TimelineWindow(items, lane_keys, start, end, lanes, bucket_days * factor, total)


def _count_emphasis(
    connection: Connection,
    cells: list[_Cell],
    starts: list[str],
    lanes: str,
    emphasis: frozenset[int],
    kept: set[str] | None,
) -> None:
    """How many of each cell's members are emphasised; kept: the lanes shown on their own
    when the others are folded into OTHER_LANE (None when none are)."""
    by_key = {(cell.lane, cell.bucket): cell for cell in cells}
    rows = stored.lanes_of(connection, sorted(emphasis), starts[0], starts[-1], lanes, UNKNOWN_LANE)
    for day, lane in rows:
        key = _lane_key(lanes, lane)
        if kept is not None and key not in kept:
            key = OTHER_LANE
        cell = by_key.get((key, bisect_right(starts, day) - 1))
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
    connection: Connection, cells: Sequence[_Cell], emphasis: frozenset[int]
) -> list[TimelineItem]:
    single_ids = [cell.one_id for cell in cells if cell.count == 1]
    details: dict[int, tuple[Any, ...]] = {}
    if single_ids:
        details.update(stored.details(connection, single_ids))
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
    with archive.read() as connection:
        current = stored.start_date(connection, incident_id)
        if current is None:
            return None
        found, day = incident_id, current
        for _ in range(abs(step)):
            neighbour = stored.next_dated(connection, found, day, forward)
            if neighbour is None:
                return None
            found, day = neighbour
        return found


def incident_events(archive: Archive, incident_id: int) -> list[tuple[date, str]]:
    """The incident's dated events (date, sentence), in date order."""
    with archive.read() as connection:
        rows = stored.events(connection, incident_id)
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
    with archive.read() as connection:
        row = stored.point(connection, incident_id)
    if row is None:
        return None
    day = _parse_date(row[0])
    if day is None:
        return None
    return day, row[1], row[2], row[3], row[4]
