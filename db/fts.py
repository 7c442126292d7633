"""Keeping the full-text index (incident_fts) in step with incidents and notes.

Writers call these inside their own transaction, outside any savepoint: FTS5 flushes its
in-memory index at every savepoint, so indexing a batch at once is several times faster.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, text

_INSERT = text(
    "INSERT INTO incident_fts (rowid, title, body, notes) VALUES (:id, :title, :body, '')"
)
_INSERT_STORED = text(
    "INSERT INTO incident_fts (rowid, title, body, notes) "
    "SELECT id, title, body, '' FROM incidents WHERE id = ANY(:ids)"
)
_REINDEX = text("UPDATE incident_fts SET title = :title, body = :body WHERE rowid = :id")
_NOTES = text("UPDATE incident_fts SET notes = :notes WHERE rowid = :id")
_REMOVE = text("DELETE FROM incident_fts WHERE rowid = :id")


def _rows(rows: Iterable[tuple[int, str, str]]) -> list[dict[str, object]]:
    return [{"id": incident_id, "title": title, "body": body} for incident_id, title, body in rows]


def index_new(connection: Connection, rows: Iterable[tuple[int, str, str]]) -> None:
    """Index incidents that are not in the index yet: (id, title, body) each."""
    values = _rows(rows)
    if not values:
        return
    if connection.dialect.name == "postgresql":
        # one statement that reads the stored rows, rather than every text sent again
        ids = [value["id"] for value in values]
        connection.execute(_INSERT_STORED, {"ids": ids})
        return
    connection.execute(_INSERT, values)


def reindex_text(connection: Connection, rows: Iterable[tuple[int, str, str]]) -> None:
    """Replace the title and body of indexed incidents, keeping their notes text."""
    values = _rows(rows)
    if values:
        connection.execute(_REINDEX, values)


def set_notes(connection: Connection, incident_id: int, notes: str) -> None:
    connection.execute(_NOTES, {"notes": notes, "id": incident_id})


def remove(connection: Connection, incident_ids: Iterable[int]) -> None:
    values = [{"id": incident_id} for incident_id in incident_ids]
    if values:
        connection.execute(_REMOVE, values)


def rebuild(connection: Connection) -> None:
    """Recreate every index row from the tables (repair, or after a bulk change); an
    incident's notes (one per author) are indexed together."""
    joined = (
        "string_agg(n.text, E'\\n\\n' ORDER BY n.author)"
        if connection.dialect.name == "postgresql"
        else "group_concat(n.text, char(10) || char(10))"
    )
    connection.execute(text("DELETE FROM incident_fts"))
    connection.execute(
        text(
            "INSERT INTO incident_fts (rowid, title, body, notes) "
            f"SELECT i.id, i.title, i.body, coalesce({joined}, '') "
            "FROM incidents i LEFT JOIN notes n ON n.incident_id = i.id "
            "GROUP BY i.id, i.title, i.body"
        )
    )
