"""A whole archive copied into another, either engine to either: every table of the models
in dependency order, ids kept (so every link and every annotation's anchor stays as it is),
then the full-text index rebuilt and, on PostgreSQL, the id sequences moved past the copy."""

from __future__ import annotations

from sqlalchemy import Connection, func, insert, select, text

from db import fts
from db.models import Base, Incident

CHUNK = 1000  # rows read and written at a time: memory stays flat however large the archive


def is_empty(connection: Connection) -> bool:
    """Whether an archive holds nothing the researcher could lose (no incident, no tag)."""
    return all(
        not connection.execute(select(func.count()).select_from(table)).scalar()
        for table in Base.metadata.sorted_tables
    )


def copy_rows(source: Connection, target: Connection) -> dict[str, int]:
    """Every row of every table, ids and all; returns how many per table."""
    counts: dict[str, int] = {}
    for table in Base.metadata.sorted_tables:
        counts[table.name] = 0
        rows = source.execution_options(yield_per=CHUNK).execute(select(table))
        for part in rows.partitions(CHUNK):
            target.execute(insert(table), [dict(row._mapping) for row in part])
            counts[table.name] += len(part)
    return counts


def after_copy(target: Connection) -> None:
    """The full-text index from the copied text and notes; PostgreSQL's sequences past the
    largest copied id (an explicit id does not move them)."""
    fts.rebuild(target)
    if target.dialect.name != "postgresql":
        return
    for table in Base.metadata.sorted_tables:
        key = list(table.primary_key.columns)
        if len(key) == 1 and key[0].name == "id" and key[0].autoincrement in (True, "auto"):
            target.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"
                )
            )


def incident_count(connection: Connection) -> int:
    return int(connection.execute(select(func.count()).select_from(Incident)).scalar_one())
