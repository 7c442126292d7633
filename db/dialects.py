"""The few statements SQLite and PostgreSQL write differently: inserts that skip rows that
are already there, and upserts. Everything else in db/ is written once with SQLAlchemy Core."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Select, Table
from sqlalchemy.dialects import sqlite


def _insert(connection: Connection, table: Table) -> Any:
    if connection.dialect.name == "postgresql":
        # loaded here, for a team archive only: 35-40 ms of a file archive's opening
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    return sqlite.insert(table)


def insert_missing(connection: Connection, table: Table, rows: Sequence[dict[str, object]]) -> int:
    """Insert the rows whose key is not in the table yet; returns how many were inserted
    (exact for one row; SQLite's executemany count otherwise)."""
    if not rows:
        return 0
    statement = _insert(connection, table).on_conflict_do_nothing()
    if len(rows) > 1:
        result = connection.execute(statement, list(rows))
    else:  # an INSERT's count is kept only when asked for (SQLAlchemy 2.0.28 on)
        statement = statement.values(**rows[0]).execution_options(preserve_rowcount=True)
        result = connection.execute(statement)
    return max(int(result.rowcount or 0), 0)


def insert_missing_from(
    connection: Connection, table: Table, columns: Sequence[str], query: Select[*tuple[Any, ...]]
) -> None:
    """INSERT INTO table (columns) SELECT ..., skipping rows whose key is already there."""
    statement = _insert(connection, table).from_select(list(columns), query)
    connection.execute(statement.on_conflict_do_nothing())


def upsert(
    connection: Connection,
    table: Table,
    values: dict[str, object],
    key: Sequence[str],
    changing: Sequence[str],
) -> None:
    """Insert values, or where a row with the same key exists, set its changing columns."""
    statement = _insert(connection, table).values(**values)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=list(key),
            set_={name: statement.excluded[name] for name in changing},
        )
    )
