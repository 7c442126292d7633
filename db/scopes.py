"""Which incidents a view holds and in which order they are listed: plain values, no SQL.

The window builds these while it starts, before the archive layer (SQLAlchemy) is loaded;
db/incident_table.py turns them into queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement

    from db.queries import SearchFilters

TABLE_COLUMNS = (
    "date", "title", "country", "place", "perpetrator", "killed", "injured", "type", "tags",
    "annotations",
)  # fmt: skip
"""What the table can show and sort by, in its default column order."""


@dataclass(frozen=True)
class IncidentScope:
    """Which incidents a view holds: all of them, or a collection's, a tag's, what a search
    finds (its full-text query and filters) or a given set; narrowed by a quick filter that
    matches a part of the title, country, place or perpetrator."""

    collection_id: int | None = None
    tag_key: str | None = None  # case-folded tag name
    fts_query: str | None = None
    filters: SearchFilters | None = None
    incident_ids: frozenset[int] | None = None
    quick: str = ""

    def conditions(self) -> list[ColumnElement[bool]]:
        """SQL conditions on the incidents table under the alias ``i``."""
        from db.incident_table import scope_conditions

        return scope_conditions(self)


@dataclass(frozen=True)
class TableOrder:
    column: str = "date"
    descending: bool = False

    def __post_init__(self) -> None:
        if self.column not in TABLE_COLUMNS:
            raise ValueError(f"cannot sort by {self.column!r}; one of {', '.join(TABLE_COLUMNS)}")


@dataclass(frozen=True)
class TableLayout:
    """How many incidents each part of an order holds (its total is the table's length)."""

    order: TableOrder
    scope: IncidentScope
    part_sizes: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.part_sizes)
