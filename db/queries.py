"""Reading the archive: incident lists, one incident with its parts, full-text search."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, selectinload

from db.models import Incident, Source


class SearchQueryError(Exception):
    """The full-text query is not valid FTS5 syntax; the message says where."""


@dataclass
class IncidentSummary:
    id: int
    title: str
    date_start: str | None
    date_end: str | None
    location_text: str | None
    fatalities_min: int | None
    fatalities_max: int | None
    fatalities_open: bool


@dataclass
class SearchHit:
    id: int
    title: str
    date_start: str | None
    snippet: str
    rank: float


_SUMMARY_COLUMNS = (
    Incident.id,
    Incident.title,
    Incident.date_start,
    Incident.date_end,
    Incident.location_text,
    Incident.fatalities_min,
    Incident.fatalities_max,
    Incident.fatalities_open,
)


def count_incidents(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Incident)) or 0


def list_incidents(session: Session, limit: int | None = None) -> list[IncidentSummary]:
    """Incidents by date (undated last), then title."""
    query = select(*_SUMMARY_COLUMNS).order_by(
        Incident.date_start.is_(None), Incident.date_start, Incident.title_key
    )
    if limit is not None:
        query = query.limit(limit)
    return [IncidentSummary(*row) for row in session.execute(query)]


def incident_ids(session: Session) -> list[int]:
    return list(session.scalars(select(Incident.id).order_by(Incident.id)))


def get_incident(session: Session, incident_id: int) -> Incident | None:
    return session.scalar(
        select(Incident)
        .where(Incident.id == incident_id)
        .options(
            selectinload(Incident.sections),
            selectinload(Incident.infobox),
            selectinload(Incident.source),
            selectinload(Incident.perpetrators),
            selectinload(Incident.terms),
            selectinload(Incident.reactions),
            selectinload(Incident.events),
            selectinload(Incident.see_also),
        )
    )


def find_incident_id(session: Session, title_key: str) -> int | None:
    return session.scalar(select(Incident.id).where(Incident.title_key == title_key))


def resolve_titles(session: Session, title_keys: list[str]) -> dict[str, int]:
    if not title_keys:
        return {}
    rows = session.execute(
        select(Incident.title_key, Incident.id).where(Incident.title_key.in_(title_keys))
    )
    return {key: incident_id for key, incident_id in rows}


def source_of(session: Session, incident_id: int) -> Source | None:
    return session.scalar(select(Source).where(Source.incident_id == incident_id))


# Ranking by relevance (bm25) costs a few microseconds per matching article, so a query that
# matches most of a large archive would take hundreds of milliseconds to rank. Queries with
# at most RANK_LIMIT matches are ranked; broader ones list the newest articles first (FTS5
# walks its index in rowid order and stops after one page), and say so.
RANK_LIMIT = 2000

_PROBE_SQL = text("SELECT rowid FROM incident_fts WHERE incident_fts MATCH :query LIMIT :n")
_RANKED_SQL = text(
    """
    SELECT f.rowid, i.title, i.date_start,
           snippet(incident_fts, -1, :open, :close, '…', :tokens) AS snippet
    FROM incident_fts AS f JOIN incidents AS i ON i.id = f.rowid
    WHERE incident_fts MATCH :query
    ORDER BY bm25(incident_fts, 10.0, 1.0, 2.0)
    LIMIT :limit OFFSET :offset
    """
)
_NEWEST_SQL = text(
    """
    SELECT f.rowid, i.title, i.date_start,
           snippet(incident_fts, -1, :open, :close, '…', :tokens) AS snippet
    FROM incident_fts AS f JOIN incidents AS i ON i.id = f.rowid
    WHERE incident_fts MATCH :query
    ORDER BY f.rowid DESC
    LIMIT :limit OFFSET :offset
    """
)


@dataclass
class SearchPage:
    hits: list[SearchHit]
    total: int  # exact when ranked, else a lower bound (more than RANK_LIMIT)
    ranked: bool


def search(
    session: Session,
    fts_query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    marks: tuple[str, str] = ("**", "**"),
    snippet_tokens: int = 16,
) -> SearchPage:
    """Full-text search: best match first (title matches weigh most) when the query is
    focused enough to rank, newest first otherwise."""
    params = {
        "query": fts_query, "limit": limit, "offset": offset, "open": marks[0],
        "close": marks[1], "tokens": snippet_tokens,
    }  # fmt: skip
    try:
        probe = session.execute(_PROBE_SQL, {"query": fts_query, "n": RANK_LIMIT + 1}).all()
        ranked = len(probe) <= RANK_LIMIT
        rows = session.execute(_RANKED_SQL if ranked else _NEWEST_SQL, params).all()
    except OperationalError as exc:
        original = exc.orig
        if isinstance(original, sqlite3.OperationalError) and _is_query_error(original):
            raise SearchQueryError(_describe(original)) from exc
        raise
    hits = [
        SearchHit(row[0], row[1], row[2], row[3], float(index))
        for index, row in enumerate(rows, start=offset)
    ]
    return SearchPage(hits, len(probe), ranked)


def _is_query_error(error: sqlite3.OperationalError) -> bool:
    message = str(error)
    return message.startswith(("fts5:", "unterminated string", "no such column")) or (
        "syntax error" in message
    )


def _describe(error: sqlite3.OperationalError) -> str:
    message = str(error)
    if message.startswith("fts5: "):
        message = message[len("fts5: ") :]
    return message
