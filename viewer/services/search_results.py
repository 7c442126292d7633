"""What a search finds, and `search` on an archive file without opening it the usual way:
read-only with plain sqlite3 (db/snapshot.py), so that the command line never imports
SQLAlchemy for a search (about 300 ms of a 400 ms command). catalog.search is the same
search through the archive's engine, for the window and a team archive."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path


@dataclass
class SearchResult:
    id: int
    title: str
    date: str | None
    snippet: str


@dataclass
class SearchResults:
    results: list[SearchResult]
    total: int  # exact when ranked; otherwise at least this many
    ranked: bool

    @property
    def total_text(self) -> str:
        return f"{self.total:,}" if self.ranked else f"more than {self.total - 1:,}"


def search_file(path: Path, query: str, *, limit: int = 20) -> SearchResults | None:
    """catalog.search(open_archive(path), query, limit=limit), found by reading the file
    directly; None when it must be opened the usual way (a new, older, unreadable or
    otherwise unusual archive), so that catalog.search can say or do what it always does.
    Raises SearchQueryError with a message for a query it cannot run, as catalog.search."""
    from db import fts_search
    from db.search_grammar import to_fts_query
    from db.snapshot import open_snapshot, runner

    connection = open_snapshot(path)
    if connection is None:
        return None
    try:
        fts_query = to_fts_query(query)
        if not fts_query:
            return None
        page = fts_search.search(runner(connection), fts_query, limit=limit)
    except sqlite3.Error:
        return None  # a locked or damaged file: the usual way reports it
    finally:
        connection.close()
    return SearchResults(
        [SearchResult(hit.id, hit.title, hit.date_start, hit.snippet) for hit in page.hits],
        page.total,
        page.ranked,
    )
