"""The charts' aggregates on both engines: incidents and deaths per year or month stacked
by perpetrator or country (top groups + Other, quiet years kept as gaps), the incidents a
bar stands for, stances per incident and the actor × incident matrix, each in a scope."""

from __future__ import annotations

import hashlib

import pytest

from db import Archive
from db.incident_table import IncidentScope
from db.records import Facts, IncidentRecord, PerpetratorRecord, Toll
from db.store import ArchiveWriter
from viewer.services import catalog, charts, collections

pytestmark = pytest.mark.engines

# (year, perpetrator, country, killed): G1 has most incidents, G3 most deaths
ROWS = [
    (2001, "G1", "Iraq", 1), (2001, "G1", "Iraq", 2), (2001, "G2", "Chad", 50),
    (2003, "G1", "Iraq", 0), (2003, "G3", "Peru", 300), (2003, None, None, None),
    (2004, "G4", "Chad", 7), (2004, "G1", "Mali", 3),
]  # fmt: skip


def _record(
    n: int, year: int, group: str | None, country: str | None, killed: int | None
) -> IncidentRecord:
    title = f"Incident {n}"
    facts = Facts(
        date_start=f"{year}-0{n % 9 + 1}-01",
        date_end=f"{year}-0{n % 9 + 1}-01",
        country=country,
        fatalities=Toll(killed, killed, False, str(killed)) if killed is not None else Toll(),
        perpetrators=[PerpetratorRecord(group, False)] if group else [],
    )
    return IncidentRecord(
        title, title.casefold(), title, [], [], f"x/{n}.txt", "text",
        hashlib.sha256(title.encode()).hexdigest(), title, facts,
    )  # fmt: skip


@pytest.fixture
def archive(empty_archive: Archive) -> Archive:
    with empty_archive.bulk() as connection, ArchiveWriter(connection) as writer:
        for n, row in enumerate(ROWS):
            writer.store(_record(n, *row))
    return empty_archive


def test_incidents_per_year_stack_the_top_perpetrators_and_the_rest(archive: Archive) -> None:
    chart = charts.period_chart(archive, measure="incidents", stack="perpetrator", top=2)
    assert chart.periods == ["2001", "2002", "2003", "2004"]  # 2002: a gap, not left out
    assert chart.groups[:1] == ["G1"] and chart.groups[-1] is None
    assert chart.values["G1"] == [2, 0, 1, 1]
    second = chart.groups[1]
    assert second in ("G2", "G3")  # one incident each; ties by name
    assert sum(sum(v) for v in chart.values.values()) == len(ROWS) == chart.total
    assert chart.label(None) == "Other"


def test_deaths_per_year_by_country_and_not_stacked(archive: Archive) -> None:
    chart = charts.period_chart(archive, measure="deaths", stack="country", top=1)
    assert chart.groups == ["Peru", None] and chart.values["Peru"] == [0, 0, 300, 0]
    assert chart.values[None] == [53, 0, 0, 10]
    flat = charts.period_chart(archive, measure="deaths", stack="none")
    assert flat.groups == [None] and flat.values[None] == [53, 0, 300, 10]
    monthly = charts.period_chart(archive, measure="incidents", stack="none", period="month")
    assert monthly.periods[0] == "2001-01" and monthly.periods[-1] == "2004-08"
    assert len(monthly.periods) == 44 and monthly.total == len(ROWS)


def test_a_bar_stands_for_its_incidents_within_the_scope(archive: Archive) -> None:
    chart = charts.period_chart(archive, measure="incidents", stack="perpetrator", top=1)
    titles = {i.id: i.title for i in catalog.list_summaries(archive)}
    g1_2001 = charts.segment_incidents(archive, chart, 0, "G1")
    assert [titles[i] for i in g1_2001] == ["Incident 0", "Incident 1"]
    others_2003 = charts.segment_incidents(archive, chart, 2, None)
    assert [titles[i] for i in others_2003] == ["Incident 4", "Incident 5"]  # G3 and unknown
    made = collections.add_to_collection(archive, "Some", [g1_2001[0], others_2003[0]])
    scope = IncidentScope(collection_id=made.collection_id)
    scoped = charts.period_chart(archive, scope, measure="incidents", stack="none")
    assert scoped.periods == ["2001", "2002", "2003"] and scoped.values[None] == [1, 0, 1]
    assert charts.segment_incidents(archive, scoped, 0, None, scope) == [g1_2001[0]]


def test_an_empty_scope_draws_nothing(archive: Archive) -> None:
    chart = charts.period_chart(archive, IncidentScope(incident_ids=frozenset()), top=3)
    assert chart.periods == [] and chart.groups == [] and chart.total == 0


def test_stances_and_the_matrix_count_the_reactions(seeded_archive: Archive) -> None:
    stances = charts.stance_chart(seeded_archive)
    assert stances.incidents[0].title in (
        "2023 Mastung bombing", "February 2024 Balochistan bombings"
    )  # fmt: skip
    for n, incident in enumerate(stances.incidents):
        assert sum(stances.counts[s][n] for s in stances.stances) == incident.statements > 0
    assert "condemned" in stances.stances
    matrix = charts.matrix_chart(seeded_archive, actors=5, incidents=2)
    assert 0 < len(matrix.actors) <= 5 and len(matrix.incidents) == 2
    assert {c.actor for c in matrix.cells} == set(range(len(matrix.actors)))
    assert all(c.statements >= 1 for c in matrix.cells)
    mastung = catalog.find_incident(seeded_archive, "2023 Mastung bombing").id
    made = collections.add_to_collection(seeded_archive, "One", [mastung])
    one = charts.stance_chart(seeded_archive, IncidentScope(collection_id=made.collection_id))
    assert [i.id for i in one.incidents] == [mastung]
