"""The timeline's statements: dated incidents in a window one by one, or counted per (lane,
bucket) in SQL. What is shown and how clusters merge is decided by viewer/services/timeline.py."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from sqlalchemy import Connection, case, func, literal, select, text, tuple_, union_all

from db.models import Event, Incident

# The lane key of an incident in each mode (NULL becomes the caller's unknown lane); every
# column is in the covering index ix_incidents_timeline.
LANE_COLUMNS: dict[str, Any] = {
    "none": literal(""),
    "perpetrator": Incident.lane_perpetrator,
    "place": Incident.lane_place,
    "country": Incident.country,
}
_LANE_SQL = {
    "none": "''",
    "perpetrator": "i.lane_perpetrator",
    "place": "i.lane_place",
    "country": "i.country",
}

ClusterRow = tuple[int, str, int, int, str, str, int, int | None, int | None, bool, int | None]
"""bucket, lane, the lane's rank (1 = busiest; max_lanes + 1 for the folded lanes), count,
first and last start date, one member's id, smallest known toll, largest known toll,
whether any toll is open-ended, sum of the known lower tolls."""


def bounds(db: Connection) -> tuple[str | None, str | None, int]:
    """First and last start date of the dated incidents, and how many there are."""
    row = db.execute(
        select(
            func.min(Incident.date_start), func.max(Incident.date_start),
            func.count(Incident.date_start),
        ).where(Incident.date_start.is_not(None))
    ).one()  # fmt: skip
    return row[0], row[1], int(row[2] or 0)


def count_between(db: Connection, lo: str, hi: str, cap: int) -> int:
    """How many incidents start in [lo, hi], counting no further than cap."""
    inner = select(Incident.id).where(Incident.date_start.between(lo, hi)).limit(cap).subquery()
    return int(db.execute(select(func.count()).select_from(inner)).scalar_one())


def incidents_between(
    db: Connection, lo: str, hi: str, lanes: str, unknown: str
) -> list[tuple[int, str, str, str | None, int | None, int | None, bool, str]]:
    """(id, title, start, end, fatalities min, max, open, lane) of each incident starting in
    [lo, hi], by start date."""
    rows = db.execute(
        select(
            Incident.id, Incident.title, Incident.date_start, Incident.date_end,
            Incident.fatalities_min, Incident.fatalities_max, Incident.fatalities_open,
            func.coalesce(LANE_COLUMNS[lanes], unknown),
        )
        .where(Incident.date_start.between(lo, hi))
        .order_by(Incident.date_start, Incident.id)
    )  # fmt: skip
    return [(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7]) for r in rows]


WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""What Python's str.strip() removes (every character whose isspace() is true): a lane is
its stored value stripped of these, as the window names it."""

# The fit-all window of a large archive counts some 35,000 (bucket, lane value) cells (at
# 100,000 incidents by perpetrator) that fold into fewer than 4,000 shown clusters. Each
# bucket is counted per stored lane value by its own range scan of the covering index (no
# per-row date arithmetic, no sort over the whole window); then the lanes are named (a
# value stripped, a blank one unknown), ranked busiest first (ties by name in code point
# order) and, when there are more than max_lanes + 1 of them, the quieter ones folded into
# one lane. PostgreSQL does all of it in SQL and sends only the shown clusters; SQLite's
# window functions and sorts over the cells cost more than folding them here (measured at
# 100,000: the SQL fold doubled the query's time), so SQLite's cells are folded in Python.

_SQLITE_CELLS = """
WITH b(k, lo, hi) AS (
    SELECT key, value, json_extract(:bounds, '$[' || (key + 1) || ']') FROM json_each(:bounds)
)
SELECT b.k, (
    SELECT json_group_array(json_array(lane, n, first, last, one_id, fmin, fmax, fopen,
                                       ftotal))
    FROM (
        SELECT {lane} AS lane, count(*) AS n, min(i.date_start) AS first,
               max(i.date_start) AS last, min(i.id) AS one_id, min(i.fatalities_min) AS fmin,
               max(coalesce(i.fatalities_max, i.fatalities_min)) AS fmax,
               max(i.fatalities_open) AS fopen,
               sum(coalesce(i.fatalities_min, i.fatalities_max)) AS ftotal
        FROM incidents AS i
        WHERE i.date_start >= b.lo AND i.date_start < b.hi
        GROUP BY 1
    )
)
FROM b WHERE b.hi IS NOT NULL
"""

# Whole calendar years (from one 1 January to another) are read from the counts kept per
# year and named lane (timeline_years, migration 0015, its lanes stripped of WHITESPACE as
# below, '' for unknown); the rest of a bucket (the window's partial first and last year,
# any bucket at a finer zoom) from the incidents.
_SERVER_CLUSTERS = """
WITH b AS (
    SELECT k, lo, hi
    FROM unnest(CAST(:ks AS integer[]), CAST(:los AS text[]), CAST(:his AS text[])) AS t(k, lo, hi)
),
cells AS (
    SELECT b.k, {name} AS lane, g.n, g.first, g.last, g.one_id, g.fmin, g.fmax, g.fopen,
           g.ftotal
    FROM b CROSS JOIN LATERAL (
        SELECT {lane} AS raw, count(*) AS n, min(i.date_start) AS first,
               max(i.date_start) AS last, min(i.id) AS one_id,
               min(i.fatalities_min) AS fmin,
               max(coalesce(i.fatalities_max, i.fatalities_min)) AS fmax,
               bool_or(i.fatalities_open) AS fopen,
               sum(coalesce(i.fatalities_min, i.fatalities_max)) AS ftotal
        FROM incidents AS i
        WHERE i.date_start >= b.lo AND i.date_start < b.hi
        GROUP BY 1
    ) AS g
    UNION ALL
    SELECT y.k, {kept_name}, t.n, t.first, t.last, t.one_id, t.fmin, t.fmax, t.fopen, t.ftotal
    FROM unnest(CAST(:years AS text[]), CAST(:year_ks AS integer[])) AS y(year, k)
    JOIN timeline_years AS t ON t.mode = :mode AND t.year = y.year
),
lanes AS (
    SELECT lane, row_number() OVER (ORDER BY sum(n) DESC, lane COLLATE "C") AS rank,
           count(*) OVER () AS lanes
    FROM cells GROUP BY lane
),
shown AS (
    SELECT c.*, CASE WHEN l.lanes > :max_lanes + 1 AND l.rank > :max_lanes
                     THEN :max_lanes + 1 ELSE l.rank END AS rank
    FROM cells AS c JOIN lanes AS l ON l.lane = c.lane
)
SELECT k, CASE WHEN rank > :max_lanes THEN :other ELSE lane END AS shown_lane, min(rank),
       sum(n), min(first), max(last), min(one_id), min(fmin), max(fmax), bool_or(fopen),
       sum(ftotal)
FROM shown
GROUP BY k, shown_lane
ORDER BY k, 3
"""


def _whole_years(starts: Sequence[str]) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """Each bucket's whole calendar years, read from timeline_years ({years, year_ks}), and
    the rest of it, read from the incidents ({ks, los, his}: a range per row)."""
    ranges: dict[str, list[Any]] = {"ks": [], "los": [], "his": []}
    years: dict[str, list[Any]] = {"years": [], "year_ks": []}

    def piece(k: int, lo: str, hi: str) -> None:
        if lo < hi:
            ranges["ks"].append(k)
            ranges["los"].append(lo)
            ranges["his"].append(hi)

    for k, (lo, hi) in enumerate(pairwise(starts)):
        if not (_iso(lo) and _iso(hi)):
            piece(k, lo, hi)
            continue
        first = int(lo[:4]) + (not lo.endswith("-01-01"))  # the first 1 January in it
        last = int(hi[:4])  # the 1 January that ends its last whole year
        if first >= last:
            piece(k, lo, hi)
            continue
        piece(k, lo, f"{first:04d}-01-01")
        years["years"].extend(f"{year:04d}" for year in range(first, last))
        years["year_ks"].extend([k] * (last - first))
        piece(k, f"{last:04d}-01-01", hi)
    return ranges, years


def _iso(day: str) -> bool:
    return len(day) == 10 and day[:4].isdigit() and day[4] == "-"


def clusters(
    db: Connection, starts: Sequence[str], lanes: str, unknown: str, max_lanes: int, other: str
) -> list[ClusterRow]:
    """The incidents counted per lane and bucket, by bucket then lane rank; bucket k holds
    the start dates from starts[k] up to (not including) starts[k + 1]. Lanes beyond the
    max_lanes busiest share the lane `other` (rank max_lanes + 1) when there are more than
    max_lanes + 1 of them."""
    if db.dialect.name == "postgresql":
        name = "''" if lanes == "none" else "coalesce(nullif(btrim(g.raw, :ws), ''), :unknown)"
        kept_name = "t.lane" if lanes == "none" else "coalesce(nullif(t.lane, ''), :unknown)"
        sql = _SERVER_CLUSTERS.format(lane=_LANE_SQL[lanes], name=name, kept_name=kept_name)
        ranges, years = _whole_years(starts)
        params = {**ranges, **years, "mode": lanes, "unknown": unknown, "ws": WHITESPACE,
                  "max_lanes": max_lanes, "other": other}  # fmt: skip
        return [
            (k, lane, rank, n, first, last, one_id, fmin, fmax, bool(fopen), ftotal)
            for k, lane, rank, n, first, last, one_id, fmin, fmax, fopen, ftotal in db.execute(
                text(sql), params
            )
        ]
    sql = _SQLITE_CELLS.format(lane=_LANE_SQL[lanes])
    cells = [
        (bucket, *cell)
        for bucket, groups in db.execute(text(sql), {"bounds": json.dumps(list(starts))})
        for cell in json.loads(groups)
    ]
    return fold_lanes(cells, "" if lanes == "none" else None, unknown, max_lanes, other)


def fold_lanes(
    cells: list[tuple[Any, ...]], fixed: str | None, unknown: str, max_lanes: int, other: str
) -> list[ClusterRow]:
    """The clusters of (bucket, lane value, count, first, last, one id, fmin, fmax, open,
    total) cells, as PostgreSQL's statement above makes them; fixed: the one lane name of
    every cell (no lanes), else None."""
    names: dict[Any, str] = {}
    totals: Counter[str] = Counter()
    named = []
    for cell in cells:
        raw = cell[1]
        name = names.get(raw)
        if name is None:
            name = names[raw] = fixed if fixed is not None else (raw or "").strip() or unknown
        totals[name] += cell[2]
        named.append((name, cell))
    order = sorted(totals, key=lambda lane: (-totals[lane], lane))
    folded = len(order) > max_lanes + 1
    ranks = {lane: rank if not folded or rank <= max_lanes else max_lanes + 1
             for rank, lane in enumerate(order, 1)}  # fmt: skip
    merged: dict[tuple[int, str], list[Any]] = {}
    for name, (bucket, _raw, n, first, last, one_id, fmin, fmax, fopen, ftotal) in named:
        rank = ranks[name]
        shown = other if rank > max_lanes else name
        found = merged.get((bucket, shown))
        if found is None:
            merged[(bucket, shown)] = [bucket, shown, rank, n, first, last, one_id, fmin, fmax,
                                       bool(fopen), ftotal]  # fmt: skip
            continue
        found[2] = min(found[2], rank)
        found[3] += n
        found[4] = min(found[4], first)
        found[5] = max(found[5], last)
        found[6] = min(found[6], one_id)
        found[7] = fmin if found[7] is None else found[7] if fmin is None else min(found[7], fmin)
        found[8] = fmax if found[8] is None else found[8] if fmax is None else max(found[8], fmax)
        found[9] = found[9] or bool(fopen)
        found[10] = ftotal if found[10] is None else found[10] + (ftotal or 0)
    rows = sorted(merged.values(), key=lambda row: (row[0], row[2]))
    return [tuple(row) for row in rows]


def lanes_of(
    db: Connection, ids: Sequence[int], lo: str, hi: str, lanes: str, unknown: str
) -> list[tuple[str, str]]:
    """(start date, lane) of those of the given incidents that start in [lo, hi]."""
    rows = db.execute(
        select(Incident.date_start, func.coalesce(LANE_COLUMNS[lanes], unknown)).where(
            Incident.id.in_(list(ids)), Incident.date_start.between(lo, hi)
        )
    )
    return [(row[0], row[1]) for row in rows]


def details(
    db: Connection, ids: Sequence[int]
) -> dict[int, tuple[str, str | None, int | None, int | None, bool]]:
    """(title, end date, fatalities min, max, open) of each given incident."""
    rows = db.execute(
        select(
            Incident.id, Incident.title, Incident.date_end, Incident.fatalities_min,
            Incident.fatalities_max, Incident.fatalities_open,
        ).where(Incident.id.in_(list(ids)))
    )  # fmt: skip
    return {r[0]: (r[1], r[2], r[3], r[4], bool(r[5])) for r in rows}


def start_date(db: Connection, incident_id: int) -> str | None:
    return db.execute(
        select(Incident.date_start).where(Incident.id == incident_id)
    ).scalar_one_or_none()


def next_dated(db: Connection, incident_id: int, day: str, forward: bool) -> tuple[int, str] | None:
    """The dated incident after (or before) (day, incident_id) in (date_start, id) order."""
    key = tuple_(Incident.date_start, Incident.id)
    here = tuple_(literal(day), literal(incident_id))
    query = select(Incident.id, Incident.date_start).where(Incident.date_start.is_not(None))
    if forward:
        query = query.where(key > here).order_by(Incident.date_start, Incident.id)
    else:
        query = query.where(key < here).order_by(Incident.date_start.desc(), Incident.id.desc())
    row = db.execute(query.limit(1)).first()
    return (row[0], str(row[1])) if row else None


def events(db: Connection, incident_id: int) -> list[tuple[str, str]]:
    """(date, sentence) of the incident's dated events, in date order."""
    rows = db.execute(
        select(Event.date, Event.text)
        .where(Event.incident_id == incident_id)
        .order_by(Event.date, Event.position)
    )
    return [(row[0], row[1]) for row in rows]


def point(
    db: Connection, incident_id: int
) -> tuple[str | None, int | None, int | None, bool, str] | None:
    """(start date, fatalities min, max, open, title) of an incident, or None."""
    row = db.execute(
        select(
            Incident.date_start, Incident.fatalities_min, Incident.fatalities_max,
            Incident.fatalities_open, Incident.title,
        ).where(Incident.id == incident_id)
    ).first()  # fmt: skip
    return (row[0], row[1], row[2], bool(row[3]), row[4]) if row else None


YearCount = tuple[str, str, str, int, str, str, int, int | None, int | None, bool, int | None]
"""lane mode, stored lane ('' for none), year, then as timeline_years: count, first and last
start date, smallest id, smallest and largest toll, any open-ended, sum of the lower tolls."""


def year_counts(db: Connection, *, kept: bool = True) -> list[YearCount]:
    """The incidents counted per lane mode, lane and year: on a team archive as its
    timeline_years keeps them (kept), else counted now from the incidents."""
    if kept and db.dialect.name == "postgresql":
        rows = db.execute(
            text(
                "SELECT mode, lane, year, n, first, last, one_id, fmin, fmax, fopen, ftotal "
                "FROM timeline_years"
            )
        )
    else:
        year = func.substr(Incident.date_start, 1, 4)
        strip = func.btrim if db.dialect.name == "postgresql" else func.trim
        parts = [
            select(
                literal(mode), func.coalesce(strip(column, WHITESPACE), ""), year, func.count(),
                func.min(Incident.date_start), func.max(Incident.date_start), func.min(Incident.id),
                func.min(Incident.fatalities_min),
                func.max(func.coalesce(Incident.fatalities_max, Incident.fatalities_min)),
                func.max(case((Incident.fatalities_open, 1), else_=0)),
                func.sum(func.coalesce(Incident.fatalities_min, Incident.fatalities_max)),
            )
            .where(Incident.date_start.is_not(None))
            .group_by(text("2, 3"))
            for mode, column in LANE_COLUMNS.items()
        ]  # fmt: skip
        rows = db.execute(union_all(*parts))
    return sorted(
        (r[0], r[1], r[2], int(r[3]), r[4], r[5], int(r[6]), r[7], r[8], bool(r[9]),
         None if r[10] is None else int(r[10]))
        for r in rows
    )  # fmt: skip
