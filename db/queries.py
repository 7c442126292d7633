"""Reading the archive: incident lists, one incident with its parts, full-text search."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Integer, Select, bindparam, func, select, text, tuple_
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.elements import BindParameter

from db import fts_search, search_grammar
from db.fts_search import EVERYTHING as EVERYTHING
from db.fts_search import RANK_LIMIT as RANK_LIMIT
from db.fts_search import SearchHit as SearchHit
from db.fts_search import SearchPage as SearchPage
from db.models import (
    Event,
    Incident,
    IncidentTerm,
    InfoboxField,
    Perpetrator,
    Reaction,
    Section,
    SeeAlso,
    Source,
)
from db.search_grammar import SearchQueryError
from db.snippets import SNIPPET_SCAN_CHARS


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
    """Incidents by date (undated last), then title: the dated ones, then the undated, each
    read in order from the covering index ix_incidents_list (one query ordered by "undated
    last" read the wide rows and sorted them; titles are unique, so the order is the same)."""
    found: list[IncidentSummary] = []
    for dated in (Incident.date_start.is_not(None), Incident.date_start.is_(None)):
        query = select(*_SUMMARY_COLUMNS).where(dated)
        query = query.order_by(Incident.date_start, Incident.title_key)
        if limit is not None:
            query = query.limit(limit - len(found))
        found.extend(IncidentSummary(*row) for row in session.execute(query))
        if limit is not None and len(found) >= limit:
            break
    return found


@dataclass(frozen=True)
class ListPosition:
    """Where a page of the listing ended: the last incident's date (or that it is undated)
    and title key, which is unique."""

    dated: bool
    date_start: str | None
    title_key: str


def list_page(
    session: Session, after: ListPosition | None, limit: int
) -> tuple[list[IncidentSummary], ListPosition | None]:
    """The next limit incidents of list_incidents' order after a position (from the start
    without one), read from the covering index from where the last page ended (no offset
    to skip); with the position to go on from, None once the listing is complete."""
    found: list[IncidentSummary] = []
    for dated in (True, False):
        if after is not None and after.dated and not dated:
            after = None  # the dated ones are done: the undated from their start
        elif after is not None and not after.dated and dated:
            continue
        query = select(*_SUMMARY_COLUMNS, Incident.title_key)
        if dated:
            query = query.where(Incident.date_start.is_not(None))
            if after is not None:
                query = query.where(
                    tuple_(Incident.date_start, Incident.title_key)
                    > tuple_(bindparam("date", after.date_start), bindparam("key", after.title_key))
                )
        else:
            query = query.where(Incident.date_start.is_(None))
            if after is not None:
                query = query.where(Incident.title_key > after.title_key)
        query = query.order_by(Incident.date_start, Incident.title_key)
        rows = session.execute(query.limit(limit - len(found))).all()
        found.extend(IncidentSummary(*row[:-1]) for row in rows)
        if len(found) >= limit:
            last = rows[-1]
            return found, ListPosition(dated, last.date_start, last.title_key)
    return found, None


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


# An incident's list parts by their name on Incident, in position order as the models'
# relationships keep them.
_PARTS = {
    "sections": Section, "infobox": InfoboxField, "perpetrators": Perpetrator,
    "terms": IncidentTerm, "reactions": Reaction, "events": Event, "see_also": SeeAlso,
}  # fmt: skip
# the source without the raw file text (an export never writes it)
_SOURCE_COLUMNS = [column for column in Source.__table__.c if column.name != "raw_text"]


class _ReadIncident:
    """An incident read with Core for writing it out: its row's columns and its parts
    (rows) under the names the model gives them, without building ORM objects, which cost
    three times the reading itself. Read-only."""

    __slots__ = ("_row", "source", *_PARTS)

    def __init__(self, row: Any) -> None:
        self._row = row
        self.source: Any = None
        for name in _PARTS:
            setattr(self, name, [])

    def __getattr__(self, name: str) -> Any:
        return getattr(self._row, name)


def get_incidents(session: Session, incident_ids: Sequence[int]) -> list[Incident]:
    """These incidents with their parts, by id, for reading only (an export, a chunk at a
    time): one query per table for them all. They answer what an Incident answers (columns,
    parts, source) but are not ORM objects: nothing loads lazily, nothing is written back."""
    # the ids written into the statement: binding a few hundred parameters costs more than
    # the query (they are integers, so nothing can be injected)
    listed = ",".join(str(int(incident_id)) for incident_id in incident_ids) or "NULL"
    mine = text(f"incident_id IN ({listed})")
    incidents = Incident.__table__
    found = {
        row.id: _ReadIncident(row)
        for row in session.execute(
            select(incidents).where(text(f"id IN ({listed})")).order_by(incidents.c.id)
        )
    }
    for name, model in _PARTS.items():
        table = model.__table__
        query = select(table).where(mine).order_by(table.c.incident_id, table.c.position)
        for row in session.execute(query):
            getattr(found[row.incident_id], name).append(row)
    for row in session.execute(select(*_SOURCE_COLUMNS).where(mine)):
        found[row.incident_id].source = row
    return cast("list[Incident]", list(found.values()))


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


@dataclass
class SearchFilters:
    """Restrictions on incidents; text fields match a part of the value, any case."""

    date_from: str | None = None
    date_to: str | None = None
    perpetrator: str | None = None
    type: str | None = None
    place: str | None = None
    country: str | None = None
    incident_ids: frozenset[int] | None = None  # e.g. those with a tag

    def where(self, dialect: str = "sqlite") -> tuple[str, dict[str, object]]:
        """The condition on incidents `i` and its parameters. LIKE matches any case on
        SQLite; PostgreSQL's needs ILIKE for that."""
        like = "ILIKE" if dialect == "postgresql" else "LIKE"
        clauses: list[str] = []
        params: dict[str, object] = {}
        if self.date_from:
            clauses.append("i.date_start >= :date_from")
            params["date_from"] = self.date_from
        if self.date_to:
            clauses.append("i.date_start <= :date_to")
            params["date_to"] = self.date_to
        if self.perpetrator:
            clauses.append(
                "EXISTS (SELECT 1 FROM perpetrators p WHERE p.incident_id = i.id "
                f"AND p.name {like} :perpetrator ESCAPE '\\')"
            )
            params["perpetrator"] = like_contains(self.perpetrator)
        for kind in ("type", "place"):
            value = getattr(self, kind)
            if value:
                clauses.append(
                    "EXISTS (SELECT 1 FROM incident_terms t WHERE t.incident_id = i.id "
                    f"AND t.kind = '{kind}' AND t.value {like} :{kind} ESCAPE '\\')"
                )
                params[kind] = like_contains(value)
        if self.country:
            clauses.append(f"i.country {like} :country ESCAPE '\\'")
            params["country"] = like_contains(self.country)
        if self.incident_ids is not None:
            ids = ",".join(str(int(i)) for i in sorted(self.incident_ids)) or "NULL"
            clauses.append(f"i.id IN ({ids})")
        return (" AND ".join(clauses) or EVERYTHING), params

    @property
    def empty(self) -> bool:
        return self.where()[0] == EVERYTHING


LIKE_ESCAPE = "\\"
"""The escape character of every LIKE here: write the comparison as ``LIKE ? ESCAPE '\\'``."""


def like_contains(value: str) -> str:
    """A LIKE pattern that matches value anywhere, its own %, _ and \\ taken literally."""
    escaped = (
        value.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )
    return f"%{escaped}%"


def search(
    session: Session,
    fts_query: str | None,
    *,
    filters: SearchFilters | None = None,
    limit: int = 20,
    offset: int = 0,
    marks: tuple[str, str] = ("**", "**"),
    snippet_tokens: int = 16,
) -> SearchPage:
    """Full-text search: best match first (title matches weigh most) when the query is
    focused enough to rank, newest first otherwise. With no query, the incidents that the
    filters allow, by date."""
    dialect = session.get_bind().dialect.name
    where, params = (filters or SearchFilters()).where(dialect)
    params.update(
        {"limit": limit, "offset": offset, "open": marks[0], "close": marks[1],
         "tokens": snippet_tokens, "n": RANK_LIMIT + 1, "query": fts_query}
    )  # fmt: skip
    if not fts_query:
        return _browse(session, where, params)
    if dialect == "postgresql":
        return _search_server(session, fts_query, where, params)
    return fts_search.search(
        _runner(session), fts_query, where, params, limit=limit, offset=offset, marks=marks,
        snippet_tokens=snippet_tokens, rank_limit=RANK_LIMIT,
    )  # fmt: skip


def _runner(session: Session) -> fts_search.Run:
    """fts_search's way of running a statement, on this session."""

    def run(sql: str, params: dict[str, object]) -> Sequence[Any]:
        result = session.connection().execute(text(sql), params)
        return result.all() if result.returns_rows else []

    return run


def expand_prefixes(session: Session, fts_query: str) -> str:
    """fts_search.expand_prefixes on this session."""
    return fts_search.expand_prefixes(_runner(session), fts_query)


# PostgreSQL: ts_rank_cd's weights for D, C, B, A: notes (C) below body (B) below title (A).
_RANK_WEIGHTS = "'{0.05, 0.2, 0.4, 1.0}'"
_TSQUERY = "to_tsquery('incident_text', :query)"


def _search_server(
    session: Session, fts_query: str, where: str, params: dict[str, object]
) -> SearchPage:
    """The same search on a team archive: the weighted tsvector and its GIN index, ranked by
    ts_rank_cd when focused enough (as bm25 is on SQLite), newest first otherwise.

    One statement (_server_search_sql) counts, reads the page and the shown articles' text
    for the snippets: each round trip is a wake-up of the server and of this program, and
    on a busy machine each cost more than the work. The snippets are SQLite's (db.snippets,
    from the shown articles' text), not ts_headline, which parsed each shown article's
    whole body again (a fifth of a broad query's time)."""
    params["query"] = search_grammar.to_tsquery_text(fts_query)
    params["rank_limit"] = RANK_LIMIT
    params["scan"] = SNIPPET_SCAN_CHARS
    try:
        rows = session.execute(text(_server_search_sql(where)), params).all()
    except ProgrammingError as exc:  # a query the server's parser refused (42601)
        raise SearchQueryError(
            "the search cannot read this query; check its operators, quotes and parentheses"
        ) from exc
    page = list({row[1]: row for row in rows if row[1] is not None}.values())  # id order
    marks = (str(params["open"]), str(params["close"]))
    texts = [(row[1], row[2], row[4], row[5]) for row in rows if row[1] is not None]
    snippets = fts_search.snippets_of(texts, fts_query, marks, int(str(params["tokens"])))
    hits = [
        SearchHit(row[1], row[2], row[3], snippets.get(row[1], ""), float(index))
        for index, row in enumerate(page, start=int(str(params["offset"])))
    ]
    total = int(rows[0][0])
    return SearchPage(hits, total, total <= RANK_LIMIT)


def _server_search_sql(where: str) -> str:
    """Count (capped at :n), page and snippet text in one statement. The count is computed
    once (a CTE) and gates the two orders as a one-time filter above each one's LIMIT, so
    only one of them starts (below it, a parallel plan would start its workers anyway):
    ranked by ts_rank_cd when there are at most :rank_limit matches, else newest first (an
    order the incidents' key serves when most articles match). Without filters the count
    and the ranking read no incident rows; only the page's incidents are joined, for their
    title, date and text. A row per note of a shown incident (its snippet may come from it)."""
    matched = "incident_fts AS f" if where == EVERYTHING else (
        "incident_fts AS f JOIN incidents AS i ON i.id = f.rowid"
    )  # fmt: skip
    condition = f"f.document @@ {_TSQUERY} AND {where}"
    count = f"SELECT 1 FROM {matched} WHERE {condition} LIMIT :n"
    return f"""WITH capped AS (SELECT count(*) AS n FROM ({count}) AS c),
page AS (
    SELECT * FROM (
        SELECT f.rowid AS id, ts_rank_cd({_RANK_WEIGHTS}, f.document, {_TSQUERY}) AS score
        FROM {matched} WHERE {condition}
        ORDER BY score DESC, f.rowid DESC LIMIT :limit OFFSET :offset
    ) AS ranked WHERE (SELECT n FROM capped) <= :rank_limit
    UNION ALL
    SELECT * FROM (
        SELECT f.rowid, CAST(NULL AS real) FROM {matched} WHERE {condition}
        ORDER BY f.rowid DESC LIMIT :limit OFFSET :offset
    ) AS newest WHERE (SELECT n FROM capped) > :rank_limit
)
SELECT capped.n, p.id, s.title, s.date_start, substr(s.body, 1, :scan), coalesce(n.text, '')
FROM capped LEFT JOIN page AS p ON true
LEFT JOIN incidents AS s ON s.id = p.id
LEFT JOIN notes AS n ON n.incident_id = p.id
ORDER BY p.score DESC NULLS LAST, p.id DESC, n.author"""


def _browse(session: Session, where: str, params: dict[str, object]) -> SearchPage:
    probe = session.execute(
        text(f"SELECT i.id FROM incidents AS i WHERE {where} LIMIT :n"), params
    ).all()
    rows = session.execute(
        text(
            f"SELECT i.id, i.title, i.date_start FROM incidents AS i WHERE {where} "
            "ORDER BY i.date_start IS NULL, i.date_start DESC, i.id LIMIT :limit OFFSET :offset"
        ),
        params,
    ).all()
    first = int(str(params["offset"]))
    hits = [SearchHit(r[0], r[1], r[2], "", float(n)) for n, r in enumerate(rows, first)]
    return SearchPage(hits, len(probe), len(probe) <= RANK_LIMIT)


def distinct_values(session: Session, kind: str, limit: int = 500) -> list[tuple[str, int]]:
    """The commonest values of a filterable fact, with how many incidents have each."""
    if kind == "perpetrator":
        sql = "SELECT name, count(*) c FROM perpetrators GROUP BY name"
    elif kind == "country":
        sql = "SELECT country, count(*) c FROM incidents WHERE country IS NOT NULL GROUP BY country"
    else:
        sql = f"SELECT value, count(*) c FROM incident_terms WHERE kind = '{kind}' GROUP BY value"
    rows = session.execute(text(f"{sql} ORDER BY c DESC, 1 LIMIT :limit"), {"limit": limit})
    return [(str(r[0]), int(r[1])) for r in rows]


def fts_match_ids(fts_query: str) -> Select[Any]:
    """The ids of the incidents a full-text query matches, as a subquery for other queries
    (a scope of the incident table, charts and exports). SQLite's FTS5 part."""
    matched = text("SELECT rowid AS id FROM incident_fts WHERE incident_fts MATCH :scope_fts")
    return select(matched.bindparams(scope_fts=fts_query).columns(id=Integer).subquery().c.id)


def date_span(session: Session, incident_ids: Sequence[int]) -> tuple[str, str] | None:
    """The earliest start and the latest end (or start) date of these incidents."""
    ids: BindParameter[list[int]] = bindparam(
        "span_ids", sorted(set(incident_ids)), expanding=True, literal_execute=True
    )
    first, last = session.execute(
        select(
            func.min(Incident.date_start),
            func.max(func.coalesce(Incident.date_end, Incident.date_start)),
        ).where(Incident.id.in_(ids))
    ).one()
    return (str(first), str(last)) if first and last else None
