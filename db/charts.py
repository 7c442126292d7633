"""The charts' aggregates, computed in SQL (SQLAlchemy Core, both engines): incidents and
deaths per year or month stacked by perpetrator or country (the top groups, the rest as
one), the stances of the reactions per incident, and an actor × incident matrix of
reactions. Nothing here reads incidents one by one into Python: every function returns at
most a few thousand aggregated rows, whatever the archive's size.

The per-period sums read only the covering index ix_incidents_timeline (date, tolls,
country, first perpetrator) when the scope is the whole archive."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, case, func, literal, select

from db.incident_table import IncidentScope, matching_condition, scope_select
from db.models import Incident, Reaction

PERIODS = {"year": 4, "month": 7}  # characters of the ISO date that name the period
STACKS = ("none", "perpetrator", "country")
MEASURES = ("incidents", "deaths")
_STACK_COLUMNS: dict[str, Any] = {
    "perpetrator": Incident.lane_perpetrator,
    "country": Incident.country,
}


def _scoped(scope: IncidentScope | None) -> list[ColumnElement[bool]]:
    if scope is None or scope == IncidentScope():
        return []
    return [matching_condition(scope)]


def _measure(measure: str) -> ColumnElement[Any]:
    if measure == "incidents":
        return func.count()
    # deaths: the known lower bound (the higher one where only it is known), as the
    # timeline's cluster totals count them
    return func.coalesce(
        func.sum(func.coalesce(Incident.fatalities_min, Incident.fatalities_max)), 0
    )


def top_groups(
    db: Connection, scope: IncidentScope | None, measure: str, stack: str, limit: int
) -> list[str]:
    """The stack's largest groups by the measure over all dated incidents of the scope."""
    column = _STACK_COLUMNS[stack]
    value = _measure(measure).label("value")
    rows = db.execute(
        select(column, value)
        .where(Incident.date_start.is_not(None), column.is_not(None), *_scoped(scope))
        .group_by(column)
        .order_by(value.desc(), column)
        .limit(limit)
    )
    return [str(row[0]) for row in rows if row[1]]


def per_period(
    db: Connection, scope: IncidentScope | None, *, measure: str = "incidents",
    period: str = "year", stack: str = "none", groups: Sequence[str] = (),
) -> list[tuple[str, str | None, int]]:  # fmt: skip
    """(period, group, value) for every period that has dated incidents: the group is one
    of the given groups, or None for the rest (and for every row when stack is "none")."""
    key = func.substr(Incident.date_start, 1, PERIODS[period]).label("period")
    if stack == "none" or not groups:
        group: ColumnElement[Any] = literal(None)
    else:
        column = _STACK_COLUMNS[stack]
        group = case((column.in_(list(groups)), column), else_=literal(None))
    group = group.label("grp")
    rows = db.execute(
        select(key, group, _measure(measure))
        .where(Incident.date_start.is_not(None), *_scoped(scope))
        .group_by(key, group)
        .order_by(key)
    )
    return [(str(r[0]), None if r[1] is None else str(r[1]), int(r[2] or 0)) for r in rows]


def ids_in_period(
    db: Connection, scope: IncidentScope | None, *, period: str, value: str, stack: str = "none",
    group: str | None = None, others_than: Sequence[str] = (),
) -> list[int]:  # fmt: skip
    """The incidents of one bar segment (clicked in a chart): those whose start date falls
    in the period and, stacked, whose group is the given one, or (group None) none of
    others_than."""
    conditions: list[ColumnElement[bool]] = [
        func.substr(Incident.date_start, 1, PERIODS[period]) == value,
        *_scoped(scope),
    ]
    if stack != "none":
        column = _STACK_COLUMNS[stack]
        if group is not None:
            conditions.append(column == group)
        elif others_than:
            conditions.append((column.is_(None)) | (column.not_in(list(others_than))))
    return [
        int(i) for i in db.scalars(select(Incident.id).where(*conditions).order_by(Incident.id))
    ]


def busiest_incidents(
    db: Connection, scope: IncidentScope | None, limit: int
) -> list[tuple[int, str, str | None, int]]:
    """(id, title, start date, statements) of the incidents with the most reactions: counted
    from the reactions' incident index alone, then the few titles read (a join with the
    wide incident rows for the count took 500 ms at 100,000 incidents)."""
    statements = func.count().label("statements")
    conditions = (
        [Reaction.incident_id.in_(scope_select(scope))]
        if scope is not None and scope != IncidentScope()
        else []
    )
    counted = db.execute(
        select(Reaction.incident_id, statements)
        .where(*conditions)
        .group_by(Reaction.incident_id)
        .order_by(statements.desc(), Reaction.incident_id)
        .limit(limit)
    ).all()
    ids = [int(row[0]) for row in counted]
    if not ids:
        return []
    titles = {
        int(row[0]): (str(row[1]), row[2])
        for row in db.execute(
            select(Incident.id, Incident.title, Incident.date_start).where(Incident.id.in_(ids))
        )
    }
    return [
        (incident_id, *titles[incident_id], int(row[1]))
        for incident_id, row in zip(ids, counted, strict=True)
        if incident_id in titles
    ]


def stances_of(db: Connection, incident_ids: Sequence[int]) -> list[tuple[int, str, int]]:
    """(incident id, stance, statements) of these incidents' reactions."""
    if not incident_ids:
        return []
    rows = db.execute(
        select(Reaction.incident_id, Reaction.stance, func.count())
        .where(Reaction.incident_id.in_(list(incident_ids)))
        .group_by(Reaction.incident_id, Reaction.stance)
    )
    return [(int(r[0]), str(r[1]), int(r[2])) for r in rows]


def busiest_actors(db: Connection, incident_ids: Sequence[int], limit: int) -> list[str]:
    """The actors that reacted to most of these incidents."""
    if not incident_ids:
        return []
    reached = func.count(Reaction.incident_id.distinct()).label("reached")
    rows = db.execute(
        select(Reaction.actor, reached)
        .where(Reaction.incident_id.in_(list(incident_ids)))
        .group_by(Reaction.actor)
        .order_by(reached.desc(), Reaction.actor)
        .limit(limit)
    )
    return [str(r[0]) for r in rows]


def actor_incident_cells(
    db: Connection, actors: Sequence[str], incident_ids: Sequence[int]
) -> list[tuple[str, int, str, int]]:
    """(actor, incident id, its commonest stance there, statements) per reacting pair."""
    if not actors or not incident_ids:
        return []
    rows = db.execute(
        select(Reaction.actor, Reaction.incident_id, Reaction.stance, func.count())
        .where(and_(Reaction.actor.in_(list(actors)), Reaction.incident_id.in_(list(incident_ids))))
        .group_by(Reaction.actor, Reaction.incident_id, Reaction.stance)
    )
    best: dict[tuple[str, int], tuple[str, int, int]] = {}
    for actor, incident_id, stance, count in rows:
        key = (str(actor), int(incident_id))
        stance_name, most, total = best.get(key, ("", 0, 0))
        if int(count) > most:
            stance_name, most = str(stance), int(count)
        best[key] = (stance_name, most, total + int(count))
    return [(a, i, stance, total) for (a, i), (stance, _most, total) in sorted(best.items())]
