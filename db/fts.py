"""Keeping the full-text index (incident_fts) in step with incidents and notes.

Writers call these inside their own transaction, outside any savepoint: FTS5 flushes its
in-memory index at every savepoint, so indexing a batch at once is several times faster.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable


def index_new(connection: sqlite3.Connection, rows: Iterable[tuple[int, str, str]]) -> None:
    """Index incidents that are not in the index yet: (id, title, body) each."""
    connection.executemany(
        "INSERT INTO incident_fts (rowid, title, body, notes) VALUES (?, ?, ?, '')", rows
    )


def reindex_text(connection: sqlite3.Connection, rows: Iterable[tuple[int, str, str]]) -> None:
    """Replace the title and body of indexed incidents, keeping their notes text."""
    connection.executemany(
        "UPDATE incident_fts SET title = ?, body = ? WHERE rowid = ?",
        [(title, body, incident_id) for incident_id, title, body in rows],
    )


def set_notes(connection: sqlite3.Connection, incident_id: int, notes: str) -> None:
    connection.execute("UPDATE incident_fts SET notes = ? WHERE rowid = ?", (notes, incident_id))


def remove(connection: sqlite3.Connection, incident_ids: Iterable[int]) -> None:
    connection.executemany(
        "DELETE FROM incident_fts WHERE rowid = ?", [(incident_id,) for incident_id in incident_ids]
    )


def rebuild(connection: sqlite3.Connection) -> None:
    """Recreate every index row from the tables (repair, or after a bulk change)."""
    connection.execute("DELETE FROM incident_fts")
    connection.execute(
        "INSERT INTO incident_fts (rowid, title, body, notes) "
        "SELECT i.id, i.title, i.body, coalesce(n.text, '') "
        "FROM incidents i LEFT JOIN notes n ON n.incident_id = i.id"
    )
