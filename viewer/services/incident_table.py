"""The incident table: its length and order in a scope, a page of rows at a time, what each
cell says, and where an incident sits in it."""

from __future__ import annotations

from dataclasses import dataclass

from db import Archive
from db import incident_table as t
from db.incident_table import TABLE_COLUMNS, IncidentScope, TableLayout, TableOrder, TableRow
from viewer.services.vocabulary import COLUMN_LABELS
from viewer.wording import toll_text

__all__ = [
    "COLUMN_LABELS",
    "TABLE_COLUMNS",
    "IncidentScope",
    "TableLayout",
    "TableOrder",
    "TableRow",
    "cell_text",
    "incident_ids",
    "layout",
    "position",
    "rows",
]

# Which correction marks which cell (a corrected place changes the country too).
CORRECTED_BY = {
    "date": ("date",),
    "country": ("country", "place"),
    "place": ("place",),
    "perpetrator": ("perpetrators",),
    "killed": ("fatalities",),
    "injured": ("injuries",),
    "type": ("type",),
}


def layout(archive: Archive, scope: IncidentScope, order: TableOrder) -> TableLayout:
    with archive.session() as session:
        return t.table_layout(session, scope, order)


def rows(archive: Archive, table: TableLayout, offset: int, limit: int) -> list[TableRow]:
    """Rows offset .. offset+limit-1 of the table."""
    with archive.session() as session:
        return t.table_rows(session, t.table_ids(session, table, offset, limit))


def incident_ids(archive: Archive, table: TableLayout, offset: int, limit: int) -> list[int]:
    with archive.session() as session:
        return t.table_ids(session, table, offset, limit)


def position(archive: Archive, table: TableLayout, incident_id: int) -> int | None:
    with archive.session() as session:
        return t.table_position(session, table, incident_id)


def _date_text(row: TableRow) -> str:
    if not row.date_start:
        return ""
    if row.date_end and row.date_end != row.date_start:
        return f"{row.date_start} – {row.date_end}"
    return row.date_start


def cell_text(row: TableRow, column: str) -> str:
    """What a cell shows (the same words as the reader: one toll formatter, one date form)."""
    if column == "date":
        return _date_text(row)
    if column == "title":
        return row.title
    if column == "country":
        return row.country or ""
    if column == "place":
        return ", ".join(row.places)
    if column == "perpetrator":
        return ", ".join(name + (" (suspected)" if s else "") for name, s in row.perpetrators)
    if column == "killed":
        return toll_text(*row.fatalities)
    if column == "injured":
        return toll_text(*row.injuries)
    if column == "type":
        return ", ".join(row.types)
    if column == "tags":
        return ", ".join(row.tags)
    if column == "annotations":
        return str(row.annotations) if row.annotations else ""
    raise ValueError(f"no table column {column!r}")


@dataclass(frozen=True)
class Correctedness:
    corrected: bool
    note: str | None


def corrected(row: TableRow, column: str) -> Correctedness:
    """Whether the researcher corrected what this cell shows, and their note."""
    for name in CORRECTED_BY.get(column, ()):
        if name in row.corrected:
            return Correctedness(True, row.corrected[name])
    return Correctedness(False, None)
