"""Full-text search of a SQLite archive, written once for the two ways of reaching the file:
the archive's SQLAlchemy session (the window and every command, db/queries.py) and a plain
read-only sqlite3 connection (`search` on the command line, which then never imports
SQLAlchemy: db/snapshot.py). Nothing here imports SQLAlchemy; the statements run through a
`run(sql, params)` the caller gives, with SQLite's own :name parameters.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from db import search_grammar
from db.search_grammar import SearchQueryError
from db.snippets import SNIPPET_SCAN_CHARS, first_words, query_terms, snippet

Run = Callable[[str, dict[str, object]], Sequence[Any]]
"""Runs one statement and returns its rows; a refused statement raises sqlite3's error,
or an exception whose .orig is it (SQLAlchemy's)."""

# Ranking by relevance (bm25) costs a few microseconds per matching article, so a query that
# matches most of a large archive would take hundreds of milliseconds to rank. Queries with
# at most RANK_LIMIT matches are ranked; broader ones list the newest articles first (FTS5
# walks its index in rowid order and stops after one page), and say so.
RANK_LIMIT = 2000

EVERYTHING = "1 = 1"
"""The condition of no filter (both engines read it; PostgreSQL has no integer truth)."""


@dataclass
class SearchHit:
    id: int
    title: str
    date_start: str | None
    snippet: str
    rank: float


@dataclass
class SearchPage:
    hits: list[SearchHit]
    total: int  # exact when ranked, else a lower bound (more than RANK_LIMIT)
    ranked: bool


def sqlite_error(exc: BaseException) -> sqlite3.OperationalError | None:
    """The sqlite3 error exc is (or wraps), if it is one."""
    original = getattr(exc, "orig", exc)
    return original if isinstance(original, sqlite3.OperationalError) else None


def search(
    run: Run,
    fts_query: str,
    where: str = EVERYTHING,
    params: dict[str, object] | None = None,
    *,
    limit: int = 20,
    offset: int = 0,
    marks: tuple[str, str] = ("**", "**"),
    snippet_tokens: int = 16,
    rank_limit: int | None = None,
) -> SearchPage:
    """Best match first (title matches weigh most) when the query is focused enough to rank,
    newest first otherwise; where and params restrict the incidents `i` (SearchFilters).
    rank_limit: RANK_LIMIT unless given."""
    rank_limit = RANK_LIMIT if rank_limit is None else rank_limit
    params = {
        **(params or {}), "limit": limit, "offset": offset, "open": marks[0],
        "close": marks[1], "tokens": snippet_tokens, "n": rank_limit + 1,
    }  # fmt: skip
    source = "incident_fts AS f JOIN incidents AS i ON i.id = f.rowid"
    condition = f"incident_fts MATCH :query AND {where}"
    try:
        params["query"] = expand_prefixes(run, fts_query)
        # without filters the count needs no incident rows (every indexed row has one), and
        # reading 2,000 of them costs several times the index scan itself
        probe_sql = (
            "SELECT rowid FROM incident_fts WHERE incident_fts MATCH :query LIMIT :n"
            if where == EVERYTHING
            else f"SELECT f.rowid FROM {source} WHERE {condition} LIMIT :n"
        )
        probe = run(probe_sql, params)
        ranked = len(probe) <= rank_limit
        order = "bm25(incident_fts, 10.0, 1.0, 2.0)" if ranked else "f.rowid DESC"
        rows = run(
            f"SELECT f.rowid, i.title, i.date_start FROM {source} "
            f"WHERE {condition} ORDER BY {order} LIMIT :limit OFFSET :offset",
            params,
        )
    except Exception as exc:
        original = sqlite_error(exc)
        if original is not None and _is_query_error(original):
            raise SearchQueryError(_describe(original)) from exc
        raise
    shown = snippets(run, [row[0] for row in rows], fts_query, marks, snippet_tokens)
    hits = [
        SearchHit(row[0], row[1], row[2], shown.get(row[0], ""), float(index))
        for index, row in enumerate(rows, start=offset)
    ]
    return SearchPage(hits, len(probe), ranked)


def snippets(
    run: Run, ids: list[int], fts_query: str, marks: tuple[str, str], size: int
) -> dict[int, str]:
    """Each shown hit's snippet, from the first part of its text (db.snippets: FTS5's own
    snippet() takes minutes on an article that repeats the searched word), with fts_query
    as FTS5 reads it. A team archive's search reads the same rows in its own statement
    (db.queries) and makes them snippets with snippets_of."""
    if not ids:
        return {}
    rows = run(
        "SELECT i.id, i.title, substr(i.body, 1, :scan), coalesce(n.text, '') "
        "FROM incidents i LEFT JOIN notes n ON n.incident_id = i.id "
        f"WHERE i.id IN ({','.join(str(int(i)) for i in ids)})",
        {"scan": SNIPPET_SCAN_CHARS},
    )
    return snippets_of(rows, fts_query, marks, size)


def snippets_of(
    rows: Sequence[Any], fts_query: str, marks: tuple[str, str], size: int
) -> dict[int, str]:
    """The snippets of rows (id, title, the body's first SNIPPET_SCAN_CHARS, a note or '');
    an incident with several rows (one per note) gets the snippet of its last."""
    terms = query_terms(fts_query)
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


def expand_prefixes(run: Run, fts_query: str) -> str:
    """The query with each bare prefix (elect*, title:elect*) replaced by the OR of the
    archive's terms that start with it; the same matches, found faster. Queries with NEAR,
    + or ^ are left as they are, and so is any prefix with no or too many terms."""
    replacements: dict[int, str] = {}
    for index, column, stem in search_grammar.prefixes(fts_query):
        terms = _terms_starting(run, search_grammar.fold_term(stem))
        if terms:
            group = " OR ".join(f'"{term}"' for term in terms)
            replacements[index] = f"{column}({group})"
    return search_grammar.replace_tokens(fts_query, replacements) if replacements else fts_query


def _terms_starting(run: Run, prefix: str) -> list[str] | None:
    if len(prefix) < PREFIX_MIN_LENGTH:
        return None
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    try:
        run(_VOCABULARY, {})
        rows = run(
            "SELECT term FROM temp.incident_fts_terms WHERE term >= :low AND term < :high LIMIT :n",
            {"low": prefix, "high": upper, "n": PREFIX_MAX_TERMS + 1},
        )
    except Exception as exc:
        if sqlite_error(exc) is None:
            raise
        return None  # no vocabulary here (a read-only temp store): the prefix query will do
    terms = [str(row[0]) for row in rows]
    if not terms or len(terms) > PREFIX_MAX_TERMS or any('"' in term for term in terms):
        return None
    return terms


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
