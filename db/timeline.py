"""The timeline's statements: dated incidents in a window one by one, or counted per (lane,
bucket) in SQL. What is shown and how clusters merge is decided by viewer/services/timeline.py."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, func, literal, select, text, tuple_

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

ClusterRow = tuple[int, str, int, str, str, int, int | None, int | None, bool, int | None]
"""bucket, lane, count, first and last start date, one member's id, smallest known toll,
largest known toll, whether any toll is open-ended, sum of the known lower tolls."""


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


# SQLite: each bucket is its own range scan of the date index with a small GROUP BY inside
# it: no per-row date arithmetic and no sort over the whole window, which is what makes the
# fit-all view of a large archive affordable.
_SQLITE_BUCKETS = """
WITH b(k, lo, hi) AS (
    SELECT key, value, json_extract(:bounds, '$[' || (key + 1) || ']') FROM json_each(:bounds)
)
SELECT b.k, (
    SELECT json_group_array(json_array(lane, n, first, last, one_id, fmin, fmax, fopen,
                                       ftotal))
    FROM (
        SELECT coalesce({lane}, :unknown) AS lane, count(*) AS n, min(i.date_start) AS first,
               max(i.date_start) AS last, min(i.id) AS one_id, min(i.fatalities_min) AS fmin,
               max(coalesce(i.fatalities_max, i.fatalities_min)) AS fmax,
               max(i.fatalities_open) AS fopen,
               sum(coalesce(i.fatalities_min, i.fatalities_max)) AS ftotal
        FROM incidents AS i
        WHERE i.date_start >= b.lo AND i.date_start < b.hi
        {group_by}
    )
)
FROM b WHERE b.hi IS NOT NULL
"""


# PostgreSQL: the same plan, written with an array of bucket bounds and LATERAL.
_SERVER_BUCKETS = """
WITH b AS (
    SELECT k - 1 AS k, lo, lead(lo) OVER (ORDER BY k) AS hi
    FROM unnest(CAST(:bounds AS text[])) WITH ORDINALITY AS t(lo, k)
)
SELECT b.k, g.lane, g.n, g.first, g.last, g.one_id, g.fmin, g.fmax, g.fopen, g.ftotal
FROM b CROSS JOIN LATERAL (
    SELECT coalesce({lane}, :unknown) AS lane, count(*) AS n, min(i.date_start) AS first,
           max(i.date_start) AS last, min(i.id) AS one_id, min(i.fatalities_min) AS fmin,
           max(coalesce(i.fatalities_max, i.fatalities_min)) AS fmax,
           bool_or(i.fatalities_open) AS fopen,
           sum(coalesce(i.fatalities_min, i.fatalities_max)) AS ftotal
    FROM incidents AS i
    WHERE i.date_start >= b.lo AND i.date_start < b.hi
    {group_by}
) AS g
WHERE b.hi IS NOT NULL AND g.n > 0
"""


def clusters(
    db: Connection, starts: Sequence[str], lanes: str, unknown: str
) -> Iterator[ClusterRow]:
    """The incidents counted per lane and bucket; bucket k holds the start dates from
    starts[k] up to (not including) starts[k + 1]."""
    if db.dialect.name == "postgresql":
        sql = _SERVER_BUCKETS.format(
            lane=_LANE_SQL[lanes], group_by="" if lanes == "none" else "GROUP BY 1"
        )
        rows = db.execute(text(sql), {"bounds": list(starts), "unknown": unknown})
        for bucket, lane, n, first, last, one_id, fmin, fmax, fopen, ftotal in rows:
            yield bucket, lane, n, first, last, one_id, fmin, fmax, bool(fopen), ftotal
        return
    sql = _SQLITE_BUCKETS.format(
        lane=_LANE_SQL[lanes], group_by="" if lanes == "none" else "GROUP BY 1"
    )
    params = {"bounds": json.dumps(list(starts)), "unknown": unknown}
    for bucket, groups in db.execute(text(sql), params):
        for lane, n, first, last, one_id, fmin, fmax, fopen, ftotal in json.loads(groups):
            if n:
                yield bucket, lane, n, first, last, one_id, fmin, fmax, bool(fopen), ftotal


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
