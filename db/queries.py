"""Reading the archive: incident lists, one incident with its parts, full-text search."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Integer, Select, bindparam, func, select, text
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.elements import BindParameter

from db import search_grammar
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
from db.snippets import SNIPPET_SCAN_CHARS, first_words, query_terms, snippet


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


# Ranking by relevance (bm25) costs a few microseconds per matching article, so a query that
# matches most of a large archive would take hundreds of milliseconds to rank. Queries with
# at most RANK_LIMIT matches are ranked; broader ones list the newest articles first (FTS5
# walks its index in rowid order and stops after one page), and say so.
RANK_LIMIT = 2000


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


EVERYTHING = "1 = 1"
"""The condition of no filter (both engines read it; PostgreSQL has no integer truth)."""


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


@dataclass
class SearchPage:
    hits: list[SearchHit]
    total: int  # exact when ranked, else a lower bound (more than RANK_LIMIT)
    ranked: bool


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
    source = "incident_fts AS f JOIN incidents AS i ON i.id = f.rowid"
    condition = f"incident_fts MATCH :query AND {where}"
    try:
        params["query"] = expand_prefixes(session, fts_query)
        # without filters the count needs no incident rows (every indexed row has one), and
        # reading 2,000 of them costs several times the index scan itself
        probe_sql = (
            "SELECT rowid FROM incident_fts WHERE incident_fts MATCH :query LIMIT :n"
            if where == EVERYTHING
            else f"SELECT f.rowid FROM {source} WHERE {condition} LIMIT :n"
        )
        probe = session.execute(text(probe_sql), params).all()
        ranked = len(probe) <= RANK_LIMIT
        order = "bm25(incident_fts, 10.0, 1.0, 2.0)" if ranked else "f.rowid DESC"
        rows = session.execute(
            text(
                f"SELECT f.rowid, i.title, i.date_start FROM {source} "
                f"WHERE {condition} ORDER BY {order} LIMIT :limit OFFSET :offset"
            ),
            params,
        ).all()
    except OperationalError as exc:
        original = exc.orig
        if isinstance(original, sqlite3.OperationalError) and _is_query_error(original):
            raise SearchQueryError(_describe(original)) from exc
        raise
    shown = _snippets(session, [row[0] for row in rows], fts_query, marks, snippet_tokens)
    hits = [
        SearchHit(row[0], row[1], row[2], shown.get(row[0], ""), float(index))
        for index, row in enumerate(rows, start=offset)
    ]
    return SearchPage(hits, len(probe), ranked)


def _snippets(
    session: Session, ids: list[int], fts_query: str, marks: tuple[str, str], size: int
) -> dict[int, str]:
    """Each shown hit's snippet, from the first part of its text (db.snippets: FTS5's own
    snippet() takes minutes on an article that repeats the searched word)."""
    if not ids:
        return {}
    terms = query_terms(fts_query)
    rows = session.execute(
        text(
            "SELECT i.id, i.title, substr(i.body, 1, :scan), coalesce(n.text, '') "
            "FROM incidents i LEFT JOIN notes n ON n.incident_id = i.id "
            f"WHERE i.id IN ({','.join(str(int(i)) for i in ids)})"
        ),
        {"scan": SNIPPET_SCAN_CHARS},
    ).all()
    shown = {}
    for incident_id, title, body, notes in rows:
        shown[incident_id] = (
            snippet(body, terms, marks, size)
            or snippet(title, terms, marks, size)
            or snippet(notes, terms, marks, size)
            or first_words(body, size)
        )
    return shown


# A prefix query (elect*) makes FTS5 merge the posting lists of every term with that prefix
# before it returns a first row, and a search runs two queries (the capped count, then the
# page). Written as an OR of the same terms it is read lazily in rowid order and stops at
# the LIMIT. Measured on 100,000 articles that all contain the words: "election*" 11 ms a
# query, "election" OR "elections" 1.2 ms, plus 5 ms once to list the two terms.
PREFIX_MIN_LENGTH = 3  # shorter prefixes have too many terms to list cheaply
PREFIX_MAX_TERMS = 16  # a prefix with more terms stays a prefix query
_VOCABULARY = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.incident_fts_terms "
    "USING fts5vocab(main, 'incident_fts', 'row')"
)


def expand_prefixes(session: Session, fts_query: str) -> str:
    """The query with each bare prefix (elect*, title:elect*) replaced by the OR of the
    archive's terms that start with it; the same matches, found faster. Queries with NEAR,
    + or ^ are left as they are, and so is any prefix with no or too many terms."""
    replacements: dict[int, str] = {}
    for index, column, stem in search_grammar.prefixes(fts_query):
        terms = _terms_starting(session, search_grammar.fold_term(stem))
        if terms:
            group = " OR ".join(f'"{term}"' for term in terms)
            replacements[index] = f"{column}({group})"
    return search_grammar.replace_tokens(fts_query, replacements) if replacements else fts_query


def _terms_starting(session: Session, prefix: str) -> list[str] | None:
    if len(prefix) < PREFIX_MIN_LENGTH:
        return None
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    try:
        session.execute(text(_VOCABULARY))
        rows = session.execute(
            text(
                "SELECT term FROM temp.incident_fts_terms WHERE term >= :low AND term < :high "
                "LIMIT :n"
            ),
            {"low": prefix, "high": upper, "n": PREFIX_MAX_TERMS + 1},
        ).all()
    except OperationalError:
        return None  # no vocabulary here (a read-only temp store): the prefix query will do
    terms = [str(row[0]) for row in rows]
    if not terms or len(terms) > PREFIX_MAX_TERMS or any('"' in term for term in terms):
        return None
    return terms


# PostgreSQL: ts_rank_cd's weights for D, C, B, A: notes (C) below body (B) below title (A).
_RANK_WEIGHTS = "'{0.05, 0.2, 0.4, 1.0}'"
_TSQUERY = "to_tsquery('incident_text', :query)"


def _search_server(
    session: Session, fts_query: str, where: str, params: dict[str, object]
) -> SearchPage:
    """The same search on a team archive: the weighted tsvector and its GIN index, ranked by
    ts_rank_cd when focused enough (as bm25 is on SQLite), snippets from ts_headline for the
    page only (it reads the whole body)."""
    params["query"] = search_grammar.to_tsquery_text(fts_query)
    source = "incident_fts AS f JOIN incidents AS i ON i.id = f.rowid"
    condition = f"f.document @@ {_TSQUERY} AND {where}"
    try:
        probe = session.execute(
            text(f"SELECT f.rowid FROM {source} WHERE {condition} LIMIT :n"), params
        ).all()
        ranked = len(probe) <= RANK_LIMIT
        order = (
            f"ts_rank_cd({_RANK_WEIGHTS}, f.document, {_TSQUERY}) DESC, f.rowid DESC"
            if ranked
            else "f.rowid DESC"
        )
        page = session.execute(
            text(
                f"SELECT f.rowid, i.title, i.date_start FROM {source} WHERE {condition} "
                f"ORDER BY {order} LIMIT :limit OFFSET :offset"
            ),
            params,
        ).all()
        snippets = _headlines(session, [row[0] for row in page], params)
    except ProgrammingError as exc:  # a query the server's parser refused (42601)
        raise SearchQueryError(
            "the search cannot read this query; check its operators, quotes and parentheses"
        ) from exc
    hits = [
        SearchHit(row[0], row[1], row[2], snippets.get(row[0], ""), float(index))
        for index, row in enumerate(page, start=int(str(params["offset"])))
    ]
    return SearchPage(hits, len(probe), ranked)


def _headlines(session: Session, ids: list[int], params: dict[str, object]) -> dict[int, str]:
    if not ids:
        return {}
    marks = (str(params["open"]), str(params["close"]))
    options = (
        f'StartSel="{marks[0]}", StopSel="{marks[1]}", MaxWords={params["tokens"]}, '
        'MinWords=4, MaxFragments=1, FragmentDelimiter="…"'
    )
    rows = session.execute(
        text(
            f"SELECT f.rowid, ts_headline('incident_text', f.body, {_TSQUERY}, :options) "
            "FROM incident_fts AS f WHERE f.rowid = ANY(:ids)"
        ),
        {"query": params["query"], "options": options, "ids": ids},
    )
    return {row[0]: row[1] for row in rows}


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


def _is_query_error(error: sqlite3.OperationalError) -> bool:
    message = str(error)
    return message.startswith(
        ("fts5:", "unterminated string", "no such column", "expected integer")
    ) or ("syntax error" in message)


def _describe(error: sqlite3.OperationalError) -> str:
    """Our own words for a query FTS5 refused (its messages name its internals)."""
    message = str(error)
    if message.startswith("unterminated string"):
        return 'a quotation mark is not closed (phrases go in "double quotes")'
    if message.startswith("no such column"):
        return "only title:, body: and notes: can narrow a search to one part"
    return "the search cannot read this query; check its operators, quotes and parentheses"


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
