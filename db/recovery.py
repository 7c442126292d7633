"""Copying everything that can still be read out of a damaged archive into a new one.

Two readers, and the union of what they find. SQLite itself reads each table by ranges of
rowid, each range halved around the pages that fail, so that a damaged page costs the rows
on it and no more. The page reader (db.pagefile, the logic of the sqlite3 shell's
`.recover`) walks every table's b-tree as far as its pages are sound and decodes leaf pages
no sound path reaches any more ("lost and found"), placing their rows by their shape. The
damaged file is only read, never written.

What the copy means for articles (re-reading facts from the source text, re-creating an
article whose row is lost but whose source survived) is the application's part:
viewer.services.recovery.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.pagefile import TABLE_LEAF, Cell, PageFile, Value
from db.schema import SCHEMA_HEAD, SCHEMA_REVISIONS

# Tables copied, parents first. Derived tables (the full-text index) are rebuilt instead.
TABLES = (
    "incidents",
    "sources",
    "sections",
    "infobox_fields",
    "perpetrators",
    "incident_terms",
    "reactions",
    "events",
    "see_also",
    "tags",
    "annotations",
    "bookmarks",
    "notes",
    "incident_tags",
    "annotation_tags",
)
RESEARCH_TABLES = ("tags", "annotations", "bookmarks", "notes", "incident_tags", "annotation_tags")
# Rows never dropped unseen when their parent is gone: the researcher's data, and source
# text (an article that cannot be rebuilt is still the researcher's material).
KEPT_WHEN_ORPHANED = ("sources", *RESEARCH_TABLES)
SMALLEST_ROWID = -(2**63)
# Each damaged page costs about 64 failed ranges (one per halving); the page reader finds
# what lies beyond this many.
MAX_FAILED_RANGES = 20_000
LARGEST_ROWID = 2**63 - 1


@dataclass
class Column:
    name: str
    kind: str  # declared type, upper case
    not_null: bool
    rowid_alias: bool
    references: str | None = None  # the table a foreign key on it points to


@dataclass
class TableRows:
    """The rows of one table found in the damaged file, by rowid."""

    columns: list[Column]
    rows: dict[int, tuple[Value, ...]] = field(default_factory=dict)
    by_sqlite: int = 0
    by_pages: int = 0
    lost_and_found: int = 0


@dataclass
class Extraction:
    revision: str | None
    tables: dict[str, TableRows]
    damaged_pages: set[int] = field(default_factory=set)
    unplaced_cells: int = 0
    # rows found on lost pages that fit no table, or several alike (kept for the researcher)
    unplaced: list[dict[str, object]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _schema_columns(revision: str) -> dict[str, list[Column]]:
    """Each copied table's columns as the migrations make them at revision (built in
    memory: the damaged file's own schema may be unreadable)."""
    from db.migrate import schema_at

    return schema_at(revision, TABLES)


def _sqlite_rows(
    connection: sqlite3.Connection, table: str, columns: list[Column]
) -> Iterator[tuple[int, tuple[Value, ...]]]:
    """The rows SQLite can read, by halving rowid ranges around the ones that fail."""
    names = ", ".join(f'"{c.name}"' for c in columns)
    sql = f'SELECT rowid, {names} FROM "{table}" WHERE rowid BETWEEN ? AND ? ORDER BY rowid'
    try:  # a range that holds no row: it fails only when the table cannot be read at all
        connection.execute(sql, (LARGEST_ROWID, LARGEST_ROWID)).fetchall()
    except sqlite3.DatabaseError:
        return
    ranges = [(SMALLEST_ROWID, LARGEST_ROWID)]
    failures = 0
    while ranges:
        low, high = ranges.pop()
        try:
            found = connection.execute(sql, (low, high)).fetchall()
        except sqlite3.DatabaseError:
            failures += 1
            if low < high and failures < MAX_FAILED_RANGES:
                middle = low + (high - low) // 2
                ranges += [(middle + 1, high), (low, middle)]
            continue
        for row in found:
            yield row[0], tuple(row[1:])


# What the values of some columns look like, by column name: enough to tell a row of one
# table from a row of another with the same number and types of columns (a note from a row
# of the full-text index's content, say).
_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d")


class _Folded:
    """A title key is case-folded: a value with capitals is something else."""

    @staticmethod
    def match(value: str) -> bool:
        return value == value.casefold()


_SHAPES: dict[str, re.Pattern[str] | type[_Folded]] = {
    "title_key": _Folded,
    "name_key": _Folded,
    "created_at": _TIMESTAMP,
    "modified_at": _TIMESTAMP,
    "updated_at": _TIMESTAMP,
    "imported_at": _TIMESTAMP,
    "uuid": re.compile(r"^[0-9a-fA-F-]{32,36}$"),
    "sha256": re.compile(r"^[0-9a-f]{64}$"),
    "color": re.compile(r"^(#[0-9a-fA-F]{6}|[a-z]+)$"),
    "format": re.compile(r"^[a-z][a-z0-9-]*$"),
    "kind": re.compile(r"^[a-z_]+$"),
    "category": re.compile(r"^[a-z]+$"),
}


def _fits(values: list[Value], columns: list[Column]) -> bool:
    """Whether a decoded record has the shape of a row of a table with these columns."""
    if len(values) != len(columns):
        return False
    for value, column in zip(values, columns, strict=True):
        shape = _SHAPES.get(column.name)
        if shape is not None and isinstance(value, str) and not shape.match(value):
            return False
        if value is None:
            if column.not_null and not column.rowid_alias:
                return False
            continue
        if column.rowid_alias:
            return False  # SQLite stores the rowid alias as NULL in the record
        if column.kind in ("INTEGER", "BOOLEAN") and not isinstance(value, int):
            return False
        if column.kind.startswith(("VARCHAR", "TEXT")) and not isinstance(value, str):
            return False
        if column.kind == "BOOLEAN" and value not in (0, 1):
            return False
    return True


def _schema_row(values: list[Value]) -> bool:
    """A row of sqlite_master, or alembic_version's one row: bookkeeping, not data."""
    if len(values) == 1 and isinstance(values[0], str):
        return True
    return len(values) == 5 and values[0] in ("table", "index", "view", "trigger")


def _index_row(values: list[Value]) -> bool:
    """A row of the full-text index's own tables (found when their root is lost)."""
    if len(values) == 2 and values[0] is None and isinstance(values[1], bytes):
        return True  # incident_fts_data, incident_fts_docsize
    return len(values) == 4 and values[0] is None and all(isinstance(v, str) for v in values[1:])


def _row(values: list[Value], columns: list[Column], rowid: int) -> tuple[Value, ...]:
    return tuple(
        rowid if column.rowid_alias else value
        for value, column in zip(values, columns, strict=True)
    )


def extract(source: Path, revision: str | None = None) -> Extraction:
    """Everything readable in the archive file at source, table by table."""
    extraction = Extraction(revision=None, tables={})
    connection = _open_damaged(source, extraction)
    try:
        if revision is None and connection is not None:
            with contextlib.suppress(sqlite3.DatabaseError):
                row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        if revision not in SCHEMA_REVISIONS:
            revision = SCHEMA_HEAD
        extraction.revision = revision
        columns = _schema_columns(revision)
        extraction.tables = {name: TableRows(columns[name]) for name in TABLES}
        if connection is not None:
            for name, table in extraction.tables.items():
                try:
                    for rowid, values in _sqlite_rows(connection, name, table.columns):
                        table.rows[rowid] = values
                        table.by_sqlite += 1
                except sqlite3.DatabaseError as exc:
                    extraction.problems.append(f"{name}: SQLite cannot read it ({exc})")
    finally:
        if connection is not None:
            connection.close()
    _read_pages(source, extraction)
    return extraction


def _open_damaged(source: Path, extraction: Extraction) -> sqlite3.Connection | None:
    for query in ("?mode=ro", "?mode=ro&immutable=1"):
        try:
            connection = sqlite3.connect(source.resolve().as_uri() + query, uri=True)
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return connection
        except sqlite3.DatabaseError as exc:
            problem = f"SQLite cannot read the schema ({exc})"
    extraction.problems.append(problem)
    return None


def _read_pages(source: Path, extraction: Extraction) -> None:
    try:
        pages = PageFile(source)
    except Exception as exc:  # not SQLite at all, or unreadable: SQLite's rows are all
        extraction.problems.append(f"the pages cannot be read ({exc})")
        return
    with pages:
        master = pages.scan_table(1)  # sqlite_master itself: its pages are not lost rows
        reached: set[int] = master.pages | master.overflow
        roots = {n: root for kind, n, root, _sql in pages.schema() if kind == "table" and root}
        for name, root in roots.items():
            scan = pages.scan_table(root)
            reached |= scan.pages | scan.overflow
            extraction.damaged_pages |= scan.bad_pages
            table = extraction.tables.get(name)
            if table is None:
                continue
            for cell in scan.cells:
                if cell.rowid not in table.rows and _fits(cell.values, table.columns):
                    table.rows[cell.rowid] = _row(cell.values, table.columns, cell.rowid)
                    table.by_pages += 1
        for _kind, _name, root, _sql in pages.schema():
            if root:  # indexes, and WITHOUT ROWID tables, are index b-trees
                reached |= _index_pages(pages, root)
        _lost_and_found(pages, extraction, reached | pages.free_pages())


def _index_pages(pages: PageFile, root: int) -> set[int]:
    """Pages of an index b-tree (not table rows: kept out of the lost and found)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        number = stack.pop()
        data = pages.page(number)
        if number in seen or data is None or data[100 if number == 1 else 0] not in (2, 10):
            continue
        seen.add(number)
        if data[100 if number == 1 else 0] == 2:
            count = int.from_bytes(data[3:5], "big")
            for index in range(count):
                at = int.from_bytes(data[12 + 2 * index : 14 + 2 * index], "big")
                stack.append(int.from_bytes(data[at : at + 4], "big"))
            stack.append(int.from_bytes(data[8:12], "big"))
    return seen


def _lost_and_found(pages: PageFile, extraction: Extraction, reached: set[int]) -> None:
    """Table leaf pages that no sound path reaches. A page holds rows of one table: its
    rows go to the table they all fit; where several fit, to the one whose rows point to
    rows that exist (an incident's tags and an annotation's tags look alike otherwise) -
    decided after every page that fits one table only has been placed."""
    undecided: list[tuple[int, list[Cell], list[set[str]]]] = []
    for number in range(2, pages.page_count + 1):
        if number in reached or pages.page_kind(number) != TABLE_LEAF:
            continue
        data = pages.page(number)
        if data is None:
            continue
        cells = [c for c in pages.leaf_cells(number, data, set()) if not _schema_row(c.values)]
        fits = [
            {name for name, t in extraction.tables.items() if _fits(c.values, t.columns)}
            for c in cells
        ]
        if all(not fit and _index_row(c.values) for c, fit in zip(cells, fits, strict=True)):
            continue  # a page of the full-text index's own tables: it is rebuilt
        shared = set.intersection(*fits) if fits else set()
        if len(shared) > 1:
            undecided.append((number, cells, fits))
        else:
            _place(extraction, number, cells, fits, next(iter(shared), None))
    for number, cells, fits in undecided:
        shared = set.intersection(*fits)
        _place(extraction, number, cells, fits, _most_plausible(shared, cells, extraction))


def _place(
    extraction: Extraction,
    number: int,
    cells: list[Cell],
    fits: list[set[str]],
    chosen: str | None,
) -> None:
    for cell, fit in zip(cells, fits, strict=True):
        name = chosen if chosen in fit else (next(iter(fit)) if len(fit) == 1 else None)
        if name is None:
            if fit or not _index_row(cell.values):
                extraction.unplaced_cells += 1
                extraction.unplaced.append(
                    {"page": number, "rowid": cell.rowid, "could_be": sorted(fit),
                     "values": [v.hex() if isinstance(v, bytes) else v for v in cell.values]}
                )  # fmt: skip
            continue
        table = extraction.tables[name]
        if cell.rowid not in table.rows:
            table.rows[cell.rowid] = _row(cell.values, table.columns, cell.rowid)
            table.lost_and_found += 1


def _most_plausible(candidates: set[str], cells: list[Cell], extraction: Extraction) -> str | None:
    if len(candidates) <= 1:
        return next(iter(candidates), None)
    scores = {name: _plausibility(extraction, name, cells) for name in candidates}
    best = max(scores.values())
    winners = [name for name, score in scores.items() if score == best]
    return winners[0] if len(winners) == 1 and best > 0 else None


def _plausibility(extraction: Extraction, name: str, cells: list[Cell]) -> int:
    """How many of the cells' references (foreign keys) point to recovered rows."""
    table = extraction.tables[name]
    score = 0
    for cell in cells:
        for value, column in zip(cell.values, table.columns, strict=False):
            parent = extraction.tables.get(column.references or "")
            if parent is not None and isinstance(value, int) and value in parent.rows:
                score += 1
    return score


# -- the new archive --------------------------------------------------------------------------


def write_rows(destination: Path, extraction: Extraction) -> dict[str, int]:
    """Put the extracted rows into the archive at destination (already made, at the
    extraction's revision, empty), foreign keys off: the caller settles what has no parent.
    Returns how many rows each table took (a row that breaks a uniqueness rule is left)."""
    written: dict[str, int] = {}
    connection = sqlite3.connect(destination, isolation_level=None)
    try:
        connection.execute("PRAGMA foreign_keys = OFF")
        connection.execute("BEGIN IMMEDIATE")
        for name, table in extraction.tables.items():
            names = ", ".join(f'"{c.name}"' for c in table.columns)
            marks = ", ".join("?" * len(table.columns))
            sql = f'INSERT OR IGNORE INTO "{name}" ({names}) VALUES ({marks})'
            before = connection.total_changes
            connection.executemany(sql, table.rows.values())
            written[name] = connection.total_changes - before
        connection.execute("COMMIT")
    finally:
        connection.close()
    return written


def remove_orphans(connection: sqlite3.Connection) -> dict[str, list[dict[str, Value]]]:
    """Delete rows whose parent row is not in the archive; return those among them that are
    the researcher's (their data, their source texts): written out by the caller, never
    dropped unseen. Facts of a lost article go with it."""
    removed: dict[str, list[dict[str, Value]]] = {}
    while True:
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()
        if not broken:
            return removed
        for table, rowid, _parent, _key in broken:
            cursor = connection.execute(f'SELECT * FROM "{table}" WHERE rowid = ?', (rowid,))
            row = cursor.fetchone()
            if row is None:
                continue
            if table in KEPT_WHEN_ORPHANED:
                names = [d[0] for d in cursor.description]
                removed.setdefault(table, []).append(dict(zip(names, row, strict=True)))
            connection.execute(f'DELETE FROM "{table}" WHERE rowid = ?', (rowid,))


def temporary_destination(destination: Path) -> Path:
    return destination.with_name(f".{destination.name}.{os.getpid()}.recovering")


# -- what the recovery service reads and writes on the file it builds (SQLite only) ---------


def incidents_without_source(connection: sqlite3.Connection) -> list[tuple[int, str]]:
    """(id, body) of the incidents whose source row was lost."""
    rows = connection.execute(
        "SELECT i.id, i.body FROM incidents i LEFT JOIN sources s ON s.incident_id = i.id "
        "WHERE s.id IS NULL"
    ).fetchall()
    return [(int(row[0]), str(row[1])) for row in rows]


def add_sources(connection: sqlite3.Connection, rows: list[tuple[int, str, str, str, str]]) -> None:
    """Source rows (incident id, path, sha256, raw text, imported at) of format plain, in
    one transaction."""
    connection.execute("BEGIN IMMEDIATE")
    connection.executemany(
        "INSERT INTO sources (incident_id, path, format, sha256, raw_text, imported_at) "
        "VALUES (?, ?, 'plain', ?, ?, ?)",
        rows,
    )
    connection.execute("COMMIT")


def sources_without_incident(connection: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """(incident id, raw text, format, path, sha256) of the sources whose incident was lost."""
    return [
        tuple(row)
        for row in connection.execute(
            "SELECT s.incident_id, s.raw_text, s.format, s.path, s.sha256 FROM sources s "
            "LEFT JOIN incidents i ON i.id = s.incident_id WHERE i.id IS NULL"
        )
    ]


def title_taken(connection: sqlite3.Connection, title_key: str) -> bool:
    row = connection.execute("SELECT 1 FROM incidents WHERE title_key = ?", (title_key,))
    return row.fetchone() is not None
