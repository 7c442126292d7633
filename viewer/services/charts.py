"""The charts' data: incidents and deaths per year or month stacked by perpetrator or
country (the top groups and the rest), the stances of the reactions per incident, and an
actor × incident matrix of reactions, each for a scope (the whole archive, a collection, a
saved search, a tag, a query). The aggregates are SQL (db/charts.py); this module shapes
them for drawing (viewer/services/chart_figures.py) and says which incidents a clicked
part of a chart stands for."""

from __future__ import annotations

from dataclasses import dataclass, field

from db import Archive
from db import charts as stored
from db.incident_table import IncidentScope
from viewer.services.reactions import STANCES
from viewer.services.vocabulary import CHART_KINDS as CHART_KINDS

STACKS = stored.STACKS
PERIODS = tuple(stored.PERIODS)
OTHER = "Other"  # the label of the groups beyond the top ones
UNKNOWN = "Unknown"


@dataclass(frozen=True)
class PeriodChart:
    """Values per period (a year "2016" or a month "2016-03"), one row per group; a group
    of None is everything beyond the top groups (or every incident when not stacked)."""

    measure: str  # incidents, deaths
    period: str  # year, month
    stack: str  # none, perpetrator, country
    periods: list[str]
    groups: list[str | None]
    values: dict[str | None, list[int]]
    scope_name: str = ""

    @property
    def total(self) -> int:
        return sum(sum(row) for row in self.values.values())

    def label(self, group: str | None) -> str:
        if self.stack == "none":
            return "Incidents" if self.measure == "incidents" else "Deaths"
        return OTHER if group is None else group


@dataclass(frozen=True)
class ChartIncident:
    id: int
    title: str
    date: str | None
    statements: int


@dataclass(frozen=True)
class StanceChart:
    """The stances of the reactions to the incidents with the most of them."""

    incidents: list[ChartIncident]
    stances: list[str]
    counts: dict[str, list[int]]  # per stance, aligned with incidents
    scope_name: str = ""


@dataclass(frozen=True)
class MatrixCell:
    actor: int  # index into actors
    incident: int  # index into incidents
    stance: str  # the commonest stance of the actor's statements about it
    statements: int


@dataclass(frozen=True)
class MatrixChart:
    """Who reacted to which incident: the busiest actors × the incidents with most reactions."""

    actors: list[str]
    incidents: list[ChartIncident]
    cells: list[MatrixCell] = field(default_factory=list)
    scope_name: str = ""


Chart = PeriodChart | StanceChart | MatrixChart


def _all_periods(first: str, last: str, period: str) -> list[str]:
    """Every period from first to last, so that a quiet year is a gap, not a closer bar."""
    if period == "year":
        return [str(year) for year in range(int(first), int(last) + 1)]
    year, month = int(first[:4]), int(first[5:7])
    found = []
    while (year, month) <= (int(last[:4]), int(last[5:7])):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def period_chart(
    archive: Archive, scope: IncidentScope | None = None, *, measure: str = "incidents",
    period: str = "year", stack: str = "perpetrator", top: int = 8, scope_name: str = "",
) -> PeriodChart:  # fmt: skip
    if measure not in stored.MEASURES or period not in stored.PERIODS or stack not in STACKS:
        raise ValueError(f"no such chart: {measure} per {period} by {stack}")
    with archive.read() as connection:
        groups = (
            stored.top_groups(connection, scope, measure, stack, top) if stack != "none" else []
        )
        rows = stored.per_period(
            connection, scope, measure=measure, period=period, stack=stack, groups=groups
        )
    rows = [row for row in rows if len(row[0]) == stored.PERIODS[period] and row[0][:4].isdigit()]
    periods = _all_periods(rows[0][0], rows[-1][0], period) if rows else []
    position = {name: n for n, name in enumerate(periods)}
    order: list[str | None] = [*groups, None]
    values: dict[str | None, list[int]] = {group: [0] * len(periods) for group in order}
    for name, group, value in rows:
        values[group][position[name]] += value
    shown = [group for group in order if any(values[group])]
    return PeriodChart(
        measure, period, stack, periods, shown, {g: values[g] for g in shown}, scope_name
    )


def segment_incidents(
    archive: Archive, chart: PeriodChart, period_index: int, group: str | None,
    scope: IncidentScope | None = None,
) -> list[int]:  # fmt: skip
    """The incidents one bar (segment) of a period chart counts."""
    others = [g for g in chart.groups if g is not None]
    with archive.read() as connection:
        return stored.ids_in_period(
            connection, scope, period=chart.period, value=chart.periods[period_index],
            stack=chart.stack, group=group, others_than=others,
        )  # fmt: skip


def _incidents(rows: list[tuple[int, str, str | None, int]]) -> list[ChartIncident]:
    return [ChartIncident(*row) for row in rows]


def stance_chart(
    archive: Archive, scope: IncidentScope | None = None, *, limit: int = 30, scope_name: str = ""
) -> StanceChart:
    with archive.read() as connection:
        incidents = _incidents(stored.busiest_incidents(connection, scope, limit))
        rows = stored.stances_of(connection, [i.id for i in incidents])
    position = {incident.id: n for n, incident in enumerate(incidents)}
    counts: dict[str, list[int]] = {}
    for incident_id, stance, count in rows:
        name = stance if stance in STANCES else "other"
        counts.setdefault(name, [0] * len(incidents))[position[incident_id]] += count
    stances = [name for name in STANCES if name in counts]
    return StanceChart(incidents, stances, {s: counts[s] for s in stances}, scope_name)


def matrix_chart(
    archive: Archive, scope: IncidentScope | None = None, *, actors: int = 25,
    incidents: int = 30, scope_name: str = "",
) -> MatrixChart:  # fmt: skip
    with archive.read() as connection:
        shown = _incidents(stored.busiest_incidents(connection, scope, incidents))
        ids = [incident.id for incident in shown]
        names = stored.busiest_actors(connection, ids, actors)
        rows = stored.actor_incident_cells(connection, names, ids)
    actor_at = {name: n for n, name in enumerate(names)}
    incident_at = {incident_id: n for n, incident_id in enumerate(ids)}
    cells = [
        MatrixCell(actor_at[actor], incident_at[incident_id], stance, count)
        for actor, incident_id, stance, count in rows
    ]
    return MatrixChart(names, shown, cells, scope_name)


def chart_data(
    archive: Archive, kind: str, scope: IncidentScope | None = None, *, stack: str = "perpetrator",
    period: str = "year", top: int = 8, scope_name: str = "", rows: int = 30, columns: int = 25,
) -> Chart:  # fmt: skip
    """The data of a chart kind (CHART_KINDS) for a scope; rows and columns bound how many
    incidents (and actors) the stances and the matrix show."""
    if kind in ("incidents-per-year", "deaths-per-year"):
        measure = "incidents" if kind.startswith("incidents") else "deaths"
        return period_chart(
            archive, scope, measure=measure, period=period, stack=stack, top=top,
            scope_name=scope_name,
        )  # fmt: skip
    if kind == "stances":
        return stance_chart(archive, scope, limit=rows, scope_name=scope_name)
    if kind == "reactions-matrix":
        return matrix_chart(archive, scope, actors=columns, incidents=rows, scope_name=scope_name)
    raise ValueError(f"no chart {kind!r}; one of {', '.join(CHART_KINDS)}")
