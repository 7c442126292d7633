"""The reactions' statements: one incident's statements, actors across the archive grouped in
SQL, an actor's incidents and statements. What they mean is viewer/services/reactions.py's."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, case, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import String

from db.incident_table import IncidentScope, scope_select
from db.models import Incident, Reaction
from db.queries import LIKE_ESCAPE, like_contains
from db.records import StoredReaction


class _WithoutIndex(FunctionElement[str]):
    """The column under SQLite's unary plus: the same value, but the planner will not use
    an index on it (where another index, or a plain scan, is the better plan). Other engines
    plan by their statistics: the column as it is."""

    type = String()
    inherit_cache = True


@compiles(_WithoutIndex)
def _plain(element: _WithoutIndex, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(_WithoutIndex, "sqlite")
def _unary_plus(element: _WithoutIndex, compiler: Any, **kw: Any) -> str:
    return "+" + str(compiler.process(element.clauses, **kw))


class _CaseBlind(FunctionElement[str]):
    """An ordering key that ignores letter case: NOCASE on SQLite, lower() elsewhere."""

    type = String()
    inherit_cache = True


@compiles(_CaseBlind)
def _lower(element: _CaseBlind, compiler: Any, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(_CaseBlind, "sqlite")
def _nocase(element: _CaseBlind, compiler: Any, **kw: Any) -> str:
    return f"{compiler.process(element.clauses, **kw)} COLLATE NOCASE"


_STATEMENT_COLUMNS = (
    Reaction.id, Reaction.incident_id, Reaction.country, Reaction.category, Reaction.actor,
    Reaction.actor_kind, Reaction.speaker, Reaction.role, Reaction.stance, Reaction.text,
    Reaction.start, Reaction.end, Reaction.section,
)  # fmt: skip


def statement_filters(text_filter: str, stance: str | None) -> list[ColumnElement[bool]]:
    """A stance, and a text found in the actor, speaker, role or statement."""
    conditions: list[ColumnElement[bool]] = []
    if stance:
        conditions.append(Reaction.stance == stance)
    needle = text_filter.strip()
    if needle:
        conditions.append(
            or_(
                *(
                    column.like(like_contains(needle), escape=LIKE_ESCAPE)
                    for column in (Reaction.actor, Reaction.speaker, Reaction.role, Reaction.text)
                )
            )
        )
    return conditions


def _statements(db: Connection, query: Select[*tuple[Any, ...]]) -> list[StoredReaction]:
    return [StoredReaction(**row._asdict()) for row in db.execute(query)]


def incident_statements(db: Connection, incident_id: int) -> list[StoredReaction]:
    """Every statement about one incident, in the order the article gives them."""
    query = (
        select(*_STATEMENT_COLUMNS)
        .where(Reaction.incident_id == incident_id)
        .order_by(Reaction.position)
    )
    return _statements(db, query)


def _within(scope: IncidentScope | None) -> list[ColumnElement[bool]]:
    """Statements about the scope's incidents only (a collection, a saved search...)."""
    if scope is None or scope == IncidentScope():
        return []
    return [Reaction.incident_id.in_(scope_select(scope))]


def actor_rows(
    db: Connection,
    stances: Sequence[str],
    *,
    text_filter: str = "",
    stance: str | None = None,
    limit: int | None = None,
    scope: IncidentScope | None = None,
) -> list[tuple[Any, ...]]:
    """(actor, kind, incidents, statements, then a count per given stance) for each actor,
    most incidents first, then by name: one GROUP BY pass."""
    incidents = func.count(Reaction.incident_id.distinct()).label("incidents")
    per_stance = [func.count(case((Reaction.stance == name, 1))) for name in stances]
    query = (
        select(
            Reaction.actor,
            # An actor keeps one kind in practice; min() is a stable pick if articles disagree.
            func.min(Reaction.actor_kind),
            incidents,
            func.count(),
            *per_stance,
        )
        .where(*statement_filters(text_filter, stance), *_within(scope))
        # Without a text filter everything comes from ix_reactions_actor_incident, already
        # in actor order (0.40 s for 961,229 statements). A text filter needs the statement
        # text, which that index lacks: one scan of the table then beats a random read per
        # statement through the index (about 10x).
        .group_by(Reaction.actor if not text_filter.strip() else _WithoutIndex(Reaction.actor))
        .order_by(incidents.desc(), _CaseBlind(Reaction.actor), Reaction.actor)
    )
    if limit is not None:
        query = query.limit(limit)
    return [tuple(row) for row in db.execute(query)]


def actor_incidents(
    db: Connection,
    actor: str,
    stance: str | None = None,
    *,
    text_filter: str = "",
    limit: int | None = None,
    offset: int = 0,
    scope: IncidentScope | None = None,
) -> list[tuple[int, str, str | None, int]]:
    """(id, title, date_start, statements) of the incidents an actor reacted to, by date
    (undated last); limit and offset take one page of them (the order is total)."""
    query = (
        select(Incident.id, Incident.title, Incident.date_start, func.count(Reaction.id))
        .join(Reaction, Reaction.incident_id == Incident.id)
        .where(Reaction.actor == actor, *statement_filters(text_filter, stance), *_within(scope))
        .group_by(Incident.id)
        .order_by(
            Incident.date_start.is_(None), Incident.date_start, Incident.title_key, Incident.id
        )
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return [(row[0], row[1], row[2], row[3]) for row in db.execute(query)]


def actor_statements(
    db: Connection,
    actor: str,
    incident_id: int,
    *,
    stance: str | None = None,
    text_filter: str = "",
) -> list[StoredReaction]:
    """One actor's statements about one incident, in article order."""
    query = (
        select(*_STATEMENT_COLUMNS)
        .where(
            Reaction.incident_id == incident_id,
            # The incident's few rows, not all of a busy actor's rows: use the incident index.
            _WithoutIndex(Reaction.actor) == actor,
            *statement_filters(text_filter, stance),
        )
        .order_by(Reaction.position)
    )
    return _statements(db, query)
