"""Who reacted to incidents and how: one incident's statements, and actors across the archive.

The actor list is one GROUP BY pass over the reactions table in SQL (stance counts included),
and an actor's incidents (a page at a time) and statements are indexed look-ups made when
the user asks for them.

Filters (a stance, a piece of text) apply to statements: an actor is listed when at least
one of its statements passes, and the counts are of the statements that pass. The text
filter matches the actor's name, the speaker, the speaker's role or the statement text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from db import Archive
from db.models import Incident, Reaction
from db.queries import LIKE_ESCAPE, like_contains
from db.records import StoredReaction

CATEGORIES = ("domestic", "international", "organizations")
ACTOR_KINDS = ("state", "organization", "person", "body", "armed_group", "unknown")
STANCES = (
    "condemned",
    "condolences",
    "solidarity",
    "denied responsibility",
    "claimed responsibility",
    "mourning",
    "compensation",
    "other",
)


def _without_index(column: InstrumentedAttribute[str]) -> ColumnElement[str]:
    """The column under SQLite's unary plus: the same value, but the planner will not use
    an index on it (where another index, or a plain scan, is the better plan)."""
    return UnaryExpression(column.expression, operator=custom_op("+"))


IncidentRow = tuple[int, str, str | None, int]
"""An incident an actor reacted to: id, title, date_start, number of its statements."""


@dataclass(frozen=True)
class ActorSummary:
    """An actor across the archive: in how many incidents and statements it reacted, and
    how many of those statements take each stance."""

    actor: str
    actor_kind: str
    incidents: int
    statements: int
    stances: dict[str, int] = field(hash=False)


_STATEMENT_COLUMNS = (
    Reaction.id,
    Reaction.incident_id,
    Reaction.country,
    Reaction.category,
    Reaction.actor,
    Reaction.actor_kind,
    Reaction.speaker,
    Reaction.role,
    Reaction.stance,
    Reaction.text,
    Reaction.start,
    Reaction.end,
    Reaction.section,
)


def _statement_filters(text_filter: str, stance: str | None) -> list[ColumnElement[bool]]:
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


def _statements(archive: Archive, query: Select[*tuple[Any, ...]]) -> list[StoredReaction]:
    with archive.session() as session:
        return [StoredReaction(**row._asdict()) for row in session.execute(query)]


def incident_reactions(archive: Archive, incident_id: int) -> list[StoredReaction]:
    """Every statement about one incident, in the order the article gives them."""
    query = (
        select(*_STATEMENT_COLUMNS)
        .where(Reaction.incident_id == incident_id)
        .order_by(Reaction.position)
    )
    return _statements(archive, query)


def actors(
    archive: Archive,
    *,
    text_filter: str = "",
    stance: str | None = None,
    limit: int | None = None,
) -> list[ActorSummary]:
    """Actors across the archive, most incidents first, then by name.

    One GROUP BY pass: the stance counts are conditional counts over the fixed vocabulary
    (a stance outside it, which the extractor never writes, is counted as "other").
    """
    incidents = func.count(Reaction.incident_id.distinct()).label("incidents")
    per_stance = [func.count(case((Reaction.stance == name, 1))) for name in STANCES]
    query = (
        select(
            Reaction.actor,
            # An actor keeps one kind in practice; min() is a stable pick if articles disagree.
            func.min(Reaction.actor_kind),
            incidents,
            func.count(),
            *per_stance,
        )
        .where(*_statement_filters(text_filter, stance))
        # Without a text filter everything comes from ix_reactions_actor_incident, already
        # in actor order (0.40 s for 961,229 statements). A text filter needs the statement
        # text, which that index lacks: one scan of the table then beats a random read per
        # statement through the index (about 10x).
        .group_by(Reaction.actor if not text_filter.strip() else _without_index(Reaction.actor))
        .order_by(incidents.desc(), Reaction.actor.collate("NOCASE"), Reaction.actor)
    )
    if limit is not None:
        query = query.limit(limit)
    with archive.session() as session:
        rows = session.execute(query).all()
    summaries = []
    for actor, kind, n_incidents, n_statements, *counts in rows:
        stances = {name: count for name, count in zip(STANCES, counts, strict=True) if count}
        unknown = n_statements - sum(counts)
        if unknown:
            stances["other"] = stances.get("other", 0) + unknown
        summaries.append(ActorSummary(actor, kind, n_incidents, n_statements, stances))
    return summaries


def actor_incidents(
    archive: Archive,
    actor: str,
    stance: str | None = None,
    *,
    text_filter: str = "",
    limit: int | None = None,
    offset: int = 0,
) -> list[IncidentRow]:
    """The incidents an actor reacted to, by date (undated last), with how many of its
    statements each has; limit and offset take one page of them (the order is total)."""
    query = (
        select(Incident.id, Incident.title, Incident.date_start, func.count(Reaction.id))
        .join(Reaction, Reaction.incident_id == Incident.id)
        .where(Reaction.actor == actor, *_statement_filters(text_filter, stance))
        .group_by(Incident.id)
        .order_by(
            Incident.date_start.is_(None), Incident.date_start, Incident.title_key, Incident.id
        )
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    with archive.session() as session:
        return [(row[0], row[1], row[2], row[3]) for row in session.execute(query)]


def actor_statements(
    archive: Archive,
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
            _without_index(Reaction.actor) == actor,
            *_statement_filters(text_filter, stance),
        )
        .order_by(Reaction.position)
    )
    return _statements(archive, query)


def stance_counts(stances: Iterable[str]) -> dict[str, int]:
    """How many of the given stances are each stance, in vocabulary order (others last)."""
    counts: dict[str, int] = {}
    for stance in stances:
        counts[stance] = counts.get(stance, 0) + 1
    order = {name: position for position, name in enumerate(STANCES)}
    return dict(sorted(counts.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))
