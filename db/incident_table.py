"""The incident table's queries: which incidents a scope holds, in which order, a page at a
time, and what a page's rows show.

Nothing here reads all the incidents into Python: an order is a SQL ORDER BY that an index
serves (measured at 100,000 incidents: fetching every id through SQLAlchemy took 220 ms,
counting 3 ms and a page of 100 rows from an index well under 10 ms). An order is made of
parts read one after the other, so that unknown values come last in either direction
without ``ORDER BY x IS NULL`` (which no index serves): the incidents that have a value,
ordered by it, then those that have none, by id. Written with SQLAlchemy Core only, so the
same code runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Integer,
    Select,
    String,
    bindparam,
    exists,
    func,
    select,
    text,
    union,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from db import queries as q
from db.models import (
    Annotation,
    Correction,
    Incident,
    IncidentTerm,
    Perpetrator,
    Tag,
    annotation_tags,
    collection_items,
    incident_tags,
)
from db.scopes import TABLE_COLUMNS as TABLE_COLUMNS
from db.scopes import IncidentScope as IncidentScope
from db.scopes import TableLayout as TableLayout
from db.scopes import TableOrder as TableOrder
from db.search_grammar import to_tsquery_text

# The incidents table under the alias that SearchFilters.where() writes its SQL for.
_i = Incident.__table__.alias("i")


def scope_conditions(scope: IncidentScope) -> list[ColumnElement[bool]]:
    """SQL conditions on the incidents table under the alias ``i``."""
    found: list[ColumnElement[bool]] = []
    if scope.collection_id is not None:
        found.append(
            exists().where(
                collection_items.c.collection_id == scope.collection_id,
                collection_items.c.incident_id == _i.c.id,
            )
        )
    if scope.tag_key is not None:
        found.append(_i.c.id.in_(_tagged(scope.tag_key)))
    if scope.fts_query:
        found.append(_FullTextMatch(scope.fts_query))
    if scope.filters is not None and not scope.filters.empty:
        found.append(_FiltersHold(scope.filters))
    if scope.incident_ids is not None:
        found.append(_id_in(scope.incident_ids))
    if scope.quick.strip():
        found.append(_i.c.id.in_(_quick_matches(scope.quick.strip())))
    return found


class _FullTextMatch(ColumnElement[bool]):
    """i.id is among what a full-text query (its FTS5 form) finds: FTS5 on SQLite, the
    weighted tsvector on PostgreSQL (the same query, as to_tsquery reads it)."""

    inherit_cache = False  # holds a plain string, not a bound parameter
    type = Boolean()

    def __init__(self, fts_query: str) -> None:
        self.fts_query = fts_query


@compiles(_FullTextMatch)
def _full_text_match(element: _FullTextMatch, compiler: Any, **kw: Any) -> str:
    condition = _i.c.id.in_(q.fts_match_ids(element.fts_query))
    return str(compiler.process(condition, **kw))


@compiles(_FullTextMatch, "postgresql")
def _full_text_match_postgresql(element: _FullTextMatch, compiler: Any, **kw: Any) -> str:
    matched = text(
        "SELECT rowid AS id FROM incident_fts "
        "WHERE document @@ to_tsquery('incident_text', :scope_tsquery)"
    ).bindparams(scope_tsquery=to_tsquery_text(element.fts_query))
    ids = select(matched.columns(id=Integer).subquery().c.id)
    return str(compiler.process(_i.c.id.in_(ids), **kw))


class _FiltersHold(ColumnElement[bool]):
    """The search filters hold for incident i, written for the engine (ILIKE on
    PostgreSQL, whose LIKE minds letter case)."""

    inherit_cache = False
    type = Boolean()

    def __init__(self, filters: q.SearchFilters) -> None:
        self.filters = filters


@compiles(_FiltersHold)
def _filters_hold(element: _FiltersHold, compiler: Any, **kw: Any) -> str:
    where, params = element.filters.where(compiler.dialect.name)
    return str(compiler.process(text(f"({where})").bindparams(**params), **kw))


def _id_in(ids: frozenset[int]) -> ColumnElement[bool]:
    # written into the statement (integers only): a bound parameter each would pass
    # SQLite's limit of 32,766 parameters on a large selection
    values: BindParameter[list[int]] = bindparam(
        "scope_ids", sorted(int(n) for n in ids), expanding=True, literal_execute=True
    )
    return _i.c.id.in_(values)


def _tagged(tag_key: str) -> Select[Any]:
    """Incidents with the tag, or with an annotation that has it (as the Tags pane counts)."""
    direct = (
        select(incident_tags.c.incident_id)
        .join(Tag, Tag.id == incident_tags.c.tag_id)
        .where(Tag.name_key == tag_key)
    )
    through_annotations = (
        select(Annotation.incident_id)
        .join(annotation_tags, annotation_tags.c.annotation_id == Annotation.id)
        .join(Tag, Tag.id == annotation_tags.c.tag_id)
        .where(Tag.name_key == tag_key)
    )
    return select(union(direct, through_annotations).subquery().c[0])


class _ContainsAnyCase(ColumnElement[bool]):
    """column LIKE pattern, in any letter case: SQLite's own LIKE already ignores case (and
    lower() around the column would cost five times the index scan); PostgreSQL's ILIKE."""

    inherit_cache = True

    def __init__(self, column: ColumnElement[Any], pattern: str) -> None:
        self.column = column
        self.pattern = bindparam(None, pattern, type_=String())


@compiles(_ContainsAnyCase)
def _contains_any_case(element: _ContainsAnyCase, compiler: Any, **kw: Any) -> str:
    return (
        f"lower({compiler.process(element.column, **kw)}) LIKE "
        f"lower({compiler.process(element.pattern, **kw)}) ESCAPE '\\'"
    )


@compiles(_ContainsAnyCase, "sqlite")
def _contains_any_case_sqlite(element: _ContainsAnyCase, compiler: Any, **kw: Any) -> str:
    return (
        f"{compiler.process(element.column, **kw)} LIKE "
        f"{compiler.process(element.pattern, **kw)} ESCAPE '\\'"
    )


@compiles(_ContainsAnyCase, "postgresql")
def _contains_any_case_postgresql(element: _ContainsAnyCase, compiler: Any, **kw: Any) -> str:
    return (
        f"{compiler.process(element.column, **kw)} ILIKE "
        f"{compiler.process(element.pattern, **kw)} ESCAPE '\\'"
    )


def contains_any_case(column: ColumnElement[Any], text: str) -> ColumnElement[bool]:
    """The column contains text (its %, _ and \\ taken literally), in any letter case."""
    return _ContainsAnyCase(column, q.like_contains(text))


def _quick_matches(quick: str) -> Select[Any]:
    """Incidents whose title, country, first place or first perpetrator contains the text
    (each through its own index: one OR over them would read the whole table)."""
    columns = (Incident.title, Incident.country, Incident.lane_place, Incident.lane_perpetrator)
    parts = [
        select(Incident.id).where(contains_any_case(column.expression, quick)) for column in columns
    ]
    return select(union(*parts).subquery().c[0])


# Columns whose order an incidents index serves, and which of their columns is null when
# the value is unknown (title never is).
_INDEXED_ORDER: dict[str, tuple[tuple[ColumnElement[Any], ...], ColumnElement[Any] | None]] = {
    "date": ((_i.c.date_start, _i.c.date_end), _i.c.date_start),
    "title": ((_i.c.title_key,), None),
    "country": ((_i.c.country,), _i.c.country),
    "place": ((_i.c.lane_place,), _i.c.lane_place),
    "perpetrator": ((_i.c.lane_perpetrator,), _i.c.lane_perpetrator),
    "killed": ((_i.c.fatalities_max, _i.c.fatalities_min), _i.c.fatalities_max),
    "injured": ((_i.c.injuries_max, _i.c.injuries_min), _i.c.injuries_max),
    "type": ((_i.c.first_type,), _i.c.first_type),
}


def _ordered(keys: Sequence[ColumnElement[Any]], descending: bool) -> list[ColumnElement[Any]]:
    return [key.desc() if descending else key.asc() for key in keys]


@dataclass(frozen=True)
class _Part:
    """A run of the order: the incidents a select finds, ordered by keys (the last is
    always the incident id, so that the order is total)."""

    ids: Select[Any]
    keys: list[ColumnElement[Any]]

    def ordered(self) -> Select[Any]:
        return self.ids.order_by(*self.keys)


def _order_parts(order: TableOrder, conditions: list[ColumnElement[bool]]) -> list[_Part]:
    """The runs of incidents that, one after the other, make the order."""
    descending = order.descending
    by_id = _ordered([_i.c.id], descending)
    if order.column in _INDEXED_ORDER:
        keys, nullable = _INDEXED_ORDER[order.column]
        keys = keys[:1] if order.column == "date" else keys  # date_end has no index
        valued = select(_i.c.id).where(*conditions)
        if nullable is None:
            return [_Part(valued, _ordered([*keys, _i.c.id], descending))]
        return [
            _Part(valued.where(nullable.is_not(None)), _ordered([*keys, _i.c.id], descending)),
            _Part(select(_i.c.id).where(*conditions, nullable.is_(None)), by_id),
        ]
    if order.column == "tags":
        tagged = (
            select(incident_tags.c.incident_id)
            .join(Tag, Tag.id == incident_tags.c.tag_id)
            .join(_i, _i.c.id == incident_tags.c.incident_id)
            .where(*conditions)
            .group_by(incident_tags.c.incident_id)
        )
        untagged = select(_i.c.id).where(
            *conditions, ~exists().where(incident_tags.c.incident_id == _i.c.id)
        )
        first_tag = func.min(Tag.name_key)
        return [
            _Part(tagged, _ordered([first_tag, incident_tags.c.incident_id], descending)),
            _Part(untagged, by_id),
        ]
    # annotations: a count, where none is a value (0) like any other
    annotated = (
        select(Annotation.incident_id)
        .join(_i, _i.c.id == Annotation.incident_id)
        .where(*conditions)
        .group_by(Annotation.incident_id)
    )
    none = select(_i.c.id).where(*conditions, ~exists().where(Annotation.incident_id == _i.c.id))
    by_incident: ColumnElement[int] = Annotation.__table__.c.incident_id
    counted = _Part(annotated, _ordered([func.count(), by_incident], descending))
    return [counted, _Part(none, by_id)] if descending else [_Part(none, by_id), counted]


QUICK_ID_LIMIT = 20_000


def resolve_quick_filter(session: Session, scope: IncidentScope) -> IncidentScope:
    """The same scope with its quick filter's matches read once and given as ids: the
    filter reads four indexes (100-200 ms at 100,000 incidents), and a table asks for its
    scope at least twice (count, first page), then again for every page. A filter matching
    more than QUICK_ID_LIMIT incidents stays a subquery (so many ids cost more to pass)."""
    if not scope.quick.strip():
        return scope
    found = set(session.scalars(_quick_matches(scope.quick.strip()).limit(QUICK_ID_LIMIT + 1)))
    if len(found) > QUICK_ID_LIMIT:
        return scope
    if scope.incident_ids is not None:
        found &= scope.incident_ids
    return replace(scope, incident_ids=frozenset(found), quick="")


def table_layout(session: Session, scope: IncidentScope, order: TableOrder) -> TableLayout:
    """Count the incidents of each part of the order (a count reads only an index); the
    layout keeps the scope with its quick filter resolved (resolve_quick_filter)."""
    scope = resolve_quick_filter(session, scope)
    conditions = scope.conditions()
    if order.column in _INDEXED_ORDER:
        # known and unknown values in one pass over the scope (a quick filter is read once)
        _keys, nullable = _INDEXED_ORDER[order.column]
        known = func.count(nullable) if nullable is not None else func.count()
        everything, valued = session.execute(
            select(func.count(), known).select_from(_i).where(*conditions)
        ).one()
        counts = (valued,) if nullable is None else (valued, everything - valued)
        return TableLayout(order, scope, tuple(int(n) for n in counts))
    # tags, annotations: those that have some (few, grouped) and the rest, counted as the
    # difference (counting "has none" would test every incident of the scope)
    total = int(session.scalar(select(func.count()).select_from(_i).where(*conditions)) or 0)
    parts = _order_parts(order, conditions)
    grouped = parts[0] if order.descending or order.column == "tags" else parts[1]
    some = int(session.scalar(select(func.count()).select_from(grouped.ids.subquery())) or 0)
    sizes = [some, total - some]
    if grouped is parts[1]:
        sizes.reverse()
    return TableLayout(order, scope, tuple(sizes))


def table_ids(session: Session, layout: TableLayout, offset: int, limit: int) -> list[int]:
    """The ids of rows offset .. offset+limit-1 of the table, in order."""
    parts = _order_parts(layout.order, layout.scope.conditions())
    ids: list[int] = []
    first = 0
    for part, size in zip(parts, layout.part_sizes, strict=True):
        wanted = limit - len(ids)
        if wanted <= 0:
            break
        start = max(offset + len(ids) - first, 0)
        if start < size:
            page = part.ordered().offset(start).limit(min(wanted, size - start))
            ids.extend(session.scalars(page))
        first += size
    return ids


def table_position(session: Session, layout: TableLayout, incident_id: int) -> int | None:
    """The row of an incident in the table, or None when the scope does not hold it
    (numbered in SQL by a window over its part of the order)."""
    parts = _order_parts(layout.order, layout.scope.conditions())
    first = 0
    for part, size in zip(parts, layout.part_sizes, strict=True):
        numbered = part.ids.add_columns(func.row_number().over(order_by=part.keys)).subquery()
        row = session.scalar(select(numbered.c[1]).where(numbered.c[0] == incident_id))
        if row is not None:
            return first + int(row) - 1
        first += size
    return None


@dataclass
class TableRow:
    """What one row of the table shows; corrected maps a corrected field to its note."""

    id: int
    title: str
    date_start: str | None
    date_end: str | None
    country: str | None
    places: list[str]
    perpetrators: list[tuple[str, bool]]
    fatalities: tuple[int | None, int | None, bool]
    injuries: tuple[int | None, int | None, bool]
    types: list[str]
    tags: list[str] = field(default_factory=list)
    annotations: int = 0
    corrected: dict[str, str | None] = field(default_factory=dict)


def table_rows(session: Session, ids: Sequence[int]) -> list[TableRow]:
    """The rows of these incidents, in the order given (ids no longer archived are left out)."""
    if not ids:
        return []
    wanted = list(dict.fromkeys(ids))
    rows: dict[int, TableRow] = {}
    for r in session.execute(
        select(
            Incident.id, Incident.title, Incident.date_start, Incident.date_end,
            Incident.country, Incident.fatalities_min, Incident.fatalities_max,
            Incident.fatalities_open, Incident.injuries_min, Incident.injuries_max,
            Incident.injuries_open,
        ).where(Incident.id.in_(wanted))
    ):  # fmt: skip
        rows[r[0]] = TableRow(
            r[0], r[1], r[2], r[3], r[4], [], [], (r[5], r[6], bool(r[7])),
            (r[8], r[9], bool(r[10])), [],
        )  # fmt: skip
    found = list(rows)
    # every term of these incidents (a few each), the kinds picked here: with the kind in the
    # WHERE clause SQLite reads the (kind, value) index instead, 700 ms at 100,000 incidents
    for incident_id, kind, value in session.execute(
        select(IncidentTerm.incident_id, IncidentTerm.kind, IncidentTerm.value)
        .where(IncidentTerm.incident_id.in_(found))
        .order_by(IncidentTerm.incident_id, IncidentTerm.position)
    ):
        if kind == "place":
            rows[incident_id].places.append(value)
        elif kind == "type":
            rows[incident_id].types.append(value)
    for incident_id, name, suspected in session.execute(
        select(Perpetrator.incident_id, Perpetrator.name, Perpetrator.suspected)
        .where(Perpetrator.incident_id.in_(found))
        .order_by(Perpetrator.incident_id, Perpetrator.position)
    ):
        rows[incident_id].perpetrators.append((name, bool(suspected)))
    for incident_id, name in session.execute(
        select(incident_tags.c.incident_id, Tag.name)
        .join(Tag, Tag.id == incident_tags.c.tag_id)
        .where(incident_tags.c.incident_id.in_(found))
        .order_by(incident_tags.c.incident_id, Tag.name_key)
    ):
        rows[incident_id].tags.append(name)
    for incident_id, count in session.execute(
        select(Annotation.incident_id, func.count())
        .where(Annotation.incident_id.in_(found))
        .group_by(Annotation.incident_id)
    ):
        rows[incident_id].annotations = int(count)
    for incident_id, name, note in session.execute(
        select(Correction.incident_id, Correction.field, Correction.note).where(
            Correction.incident_id.in_(found)
        )
    ):
        rows[incident_id].corrected[name] = note
    return [rows[i] for i in wanted if i in rows]


def matching_condition(scope: IncidentScope) -> ColumnElement[bool]:
    """One condition on ``incidents`` (unaliased) for the scope's incidents, for queries
    elsewhere (charts, exports) that select from the table itself."""
    conditions = scope.conditions()
    if not conditions:
        return Incident.id.is_not(None)
    return Incident.id.in_(select(_i.c.id).where(*conditions))


def scope_select(scope: IncidentScope) -> Select[Any]:
    """The ids of a scope's incidents, as a subquery for statements on other tables
    (reactions by actor within a collection)."""
    return select(_i.c.id).where(*scope.conditions())


def scope_ids(session: Session, scope: IncidentScope) -> list[int]:
    """Every incident id of a scope, by id (exports of a scope; small scopes' emphasis)."""
    return list(session.scalars(select(_i.c.id).where(*scope.conditions()).order_by(_i.c.id)))
