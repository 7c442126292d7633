"""The same archive on both engines: a SQLite file and a PostgreSQL team archive built from
the same articles find the same incidents for the same queries, list the same timeline and
export the same facts."""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest

from db import Archive, open_archive
from db.records import Facts, IncidentRecord, PerpetratorRecord, Toll
from db.store import ArchiveWriter
from tests import pg_cluster
from tests.conftest import FIXTURES, new_team_archive
from viewer.services import catalog, exporting, reactions, timeline
from viewer.services.importing import import_paths

QUERIES = [
    "bombing",
    "suicide bombing",
    '"Pakistani Taliban"',
    "Antonio Guterres",
    "condemn*",
    "Mastung OR Lahore",
    "attack NOT Pakistan",
    "title:Balochistan",
    "body:police",
    "(Quetta OR Peshawar) killed",
    "ul-Nabi",
    "Pakistan's",
    "elect*",
    "title:(bombing OR attack) condemned",
    "Khorasan + Province",
]


@pytest.fixture(scope="module")
def both(
    tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path, pg_server: pg_cluster.Cluster
) -> Iterator[tuple[Archive, Archive]]:
    folder = tmp_path_factory.mktemp("engines")
    url = new_team_archive(pg_server, "engines_compared")
    with open_archive(folder / "a.sqlite") as lite, open_archive(url) as team:
        for archive in (lite, team):
            report = import_paths(archive, [seeds_dir, FIXTURES / "real"])
            assert not report.rejected and report.imported >= 10
        yield lite, team


def _titles(archive: Archive, query: str) -> set[str]:
    found = catalog.search(archive, query, limit=1000)
    return {result.title for result in found.results}


@pytest.mark.parametrize("query", QUERIES)
def test_the_same_queries_find_the_same_incidents(
    both: tuple[Archive, Archive], query: str
) -> None:
    lite, team = both
    assert _titles(team, query) == _titles(lite, query)


def test_the_queries_are_not_trivial(both: tuple[Archive, Archive]) -> None:
    lite, _team = both
    sizes = [len(_titles(lite, query)) for query in QUERIES]
    assert all(size >= 1 for size in sizes), dict(zip(QUERIES, sizes, strict=True))
    assert min(sizes) < max(sizes) < catalog.count(lite)


def test_snippets_mark_the_words_and_title_matches_rank_first(
    both: tuple[Archive, Archive],
) -> None:
    _lite, team = both
    found = catalog.search(team, "Mastung", marks=("[", "]"))
    assert found.ranked
    assert "Mastung" in found.results[0].title
    assert any("[Mastung]" in result.snippet for result in found.results)


def test_search_json_is_the_same_shape(both: tuple[Archive, Archive]) -> None:
    from viewer.cli import run

    outputs = []
    for archive in both:
        stream = StringIO()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("sys.stdout", stream)
            assert run(["--archive", archive.location, "search", "bombing", "--json"]) == 0
        outputs.append(json.loads(stream.getvalue()))
    lite, team = outputs
    assert set(lite) == set(team) and {"query", "results"} <= set(team)
    assert {r["title"] for r in lite["results"]} == {r["title"] for r in team["results"]}
    assert {tuple(sorted(r)) for r in team["results"]} == {tuple(sorted(lite["results"][0]))}


def test_timeline_and_reactions_agree(both: tuple[Archive, Archive]) -> None:
    lite, team = both
    assert timeline.timeline_bounds(lite) == timeline.timeline_bounds(team)
    # a few items for many incidents: clusters counted in SQL (one lane, so that merging
    # buckets can always get under the cap)
    windows = [
        timeline.timeline_window(archive, date(1970, 1, 1), date(2030, 1, 1), max_items=4)
        for archive in both
    ]
    assert windows[0].aggregated and windows[1].aggregated
    shape = [[(i.lane, i.start, i.count, i.fatalities_total) for i in w.items] for w in windows]
    assert shape[0] == shape[1]
    for lanes in ("none", "perpetrator", "country"):
        singles = [
            timeline.timeline_window(a, date(1970, 1, 1), date(2030, 1, 1), lanes=lanes)
            for a in both
        ]
        assert [(i.title, i.lane) for i in singles[0].items] == [
            (i.title, i.lane) for i in singles[1].items
        ]
        assert singles[0].lanes == singles[1].lanes
    actors = [[(a.actor, a.incidents, a.stances) for a in reactions.actors(x)] for x in both]
    assert actors[0] == actors[1]


def test_exports_hold_the_same_facts(both: tuple[Archive, Archive]) -> None:
    documents = []
    for archive in both:
        stream = StringIO()
        exporting.export(archive, "json", stream)
        incidents = json.loads(stream.getvalue())["incidents"]
        for incident in incidents:
            incident.pop("id")
            incident["see_also"] = [link["title"] for link in incident["see_also"]]
        documents.append(sorted(incidents, key=lambda item: item["title"]))
    assert documents[0] == documents[1]


def test_two_imports_at_once_never_store_an_incident_twice(
    pg_server: pg_cluster.Cluster, seeds_dir: Path
) -> None:
    import threading

    url = new_team_archive(pg_server, "imports_at_once")
    reports = []

    def one_import() -> None:
        with open_archive(url) as archive:
            reports.append(import_paths(archive, [seeds_dir, FIXTURES / "real"], workers=1))

    threads = [threading.Thread(target=one_import) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(reports) == 2 and not any(report.rejected for report in reports)
    with open_archive(url) as archive:
        titles = [summary.title for summary in catalog.list_summaries(archive)]
        assert len(titles) == len(set(titles))
        # every article stored by exactly one of the two; the other found it unchanged
        assert sum(report.imported for report in reports) == len(titles)


def _research_state(archive: Archive) -> list[tuple[object, ...]]:
    from viewer.services import research

    annotations = [
        (a.uuid, a.incident_title, a.quote, a.prefix, a.suffix, a.start, a.end, a.note,
         tuple(a.tags), a.author, a.created, a.modified)
        for a in research.list_annotations(archive)
    ]  # fmt: skip
    notes = [
        (s.title, n.author, n.text)
        for s in catalog.list_summaries(archive)
        for n in research.incident_notes(archive, s.id)
    ]
    return [*annotations, *notes]


def test_copy_both_ways_keeps_every_anchor_author_and_time(
    pg_server: pg_cluster.Cluster,
    seeds_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from viewer.cli import run
    from viewer.services import research

    personal = tmp_path / "personal.sqlite"
    with open_archive(personal, user="rana") as archive:
        import_paths(archive, [seeds_dir])
        mastung = catalog.find_incident(archive, "2023 Mastung bombing").id
        research.annotate_quote(archive, mastung, "Mastung", occurrence=2, note="n", tags=["x"])
        research.save_note(archive, mastung, "rana's note")
        research.add_bookmark(archive, mastung, "here")
        before = _research_state(archive)
    url = new_team_archive(pg_server, "copied_into")
    assert run(["copy", str(personal), url]) == 0
    assert "copied 2 incidents" in capsys.readouterr().out
    with open_archive(url) as team:
        assert _research_state(team) == before
        assert catalog.search(team, "notes:rana").total == 1  # the index was rebuilt
        # the team goes on writing: new ids follow the copied ones
        research.add_bookmark(team, mastung, "after the copy")
    offline = tmp_path / "offline.sqlite"
    assert run(["copy", url, str(offline)]) == 0
    with open_archive(offline) as back:
        assert _research_state(back) == before
        assert len(research.list_bookmarks(back)) == 2
    # never over an archive that holds something
    status = run(["copy", str(personal), str(offline)])
    assert status == 2 and "already holds" in capsys.readouterr().err


def _workbench_state(archive: Archive) -> list[object]:
    from viewer.services import collections, corrections, sources

    ids = [s.id for s in catalog.list_summaries(archive)]
    incidents = [catalog.find_incident(archive, str(incident)) for incident in ids]
    shown = [(i.title, i.fatalities_min, i.fatalities_max, i.fatalities_text) for i in incidents]
    return [
        shown,
        [corrections.corrections_of(archive, incident) for incident in ids],
        sources.source_views(archive, ids),
        [(c.name, c.count) for c in collections.collections_with_counts(archive)],
    ]


def test_copy_both_ways_keeps_corrections_sources_and_collections(
    pg_server: pg_cluster.Cluster, seeds_dir: Path, tmp_path: Path
) -> None:
    """Item 10: the researcher's corrections (which win over extraction), the sources they
    set and their collections travel with the copy, and still win after a reindex there."""
    from viewer.cli import run
    from viewer.services import collections, corrections, sources

    personal = tmp_path / "personal.sqlite"
    with open_archive(personal, user="rana") as archive:
        import_paths(archive, [seeds_dir])
        mastung = catalog.find_incident(archive, "2023 Mastung bombing").id
        corrections.correct(archive, mastung, "fatalities", "61", note="a later report")
        sources.set_source(
            archive,
            mastung,
            url="https://example.org/mastung",
            site="Example",
            accessed="2026-11-30",
        )
        collections.add_to_collection(archive, "Balochistan 2023", [mastung])
        assert catalog.find_incident(archive, str(mastung)).fatalities_min == 61
        before = _workbench_state(archive)
    url = new_team_archive(pg_server, "copied_workbench")
    assert run(["copy", str(personal), url]) == 0
    with open_archive(url) as team:
        assert _workbench_state(team) == before
    assert run(["--archive", url, "reindex"]) == 0  # the correction still wins on the copy
    with open_archive(url) as team:
        assert _workbench_state(team) == before
    offline = tmp_path / "offline.sqlite"
    assert run(["copy", url, str(offline)]) == 0
    with open_archive(offline) as back:
        assert _workbench_state(back) == before


def test_the_server_going_away_mid_import_loses_no_committed_batch_and_keeps_no_half(
    pg_server: pg_cluster.Cluster, tmp_path: Path
) -> None:
    """Faults: the server stops while an import writes. The import ends with one line
    (server lost, nothing half-written kept); once the server is back every batch that was
    committed is there, whole, and nothing of the batch in flight is."""
    from sqlalchemy import text

    from db.errors import ArchiveError, Condition
    from viewer.services.importing import ImportProgress

    folder = tmp_path / "articles"
    folder.mkdir()
    for number in range(1, 1201):
        (folder / f"article-{number:04}.wiki").write_text(
            f"= Outage test incident {number} =\n\nOn 3 March 2021 a bomb in Quetta killed "
            f"{number % 40 + 1} people.\n\n== Background ==\nMarker{number} was there.\n",
            encoding="utf-8",
        )
    url = new_team_archive(pg_server, "outage_import")
    committed: list[int] = []

    def stop_after_the_first_batch(progress: ImportProgress) -> None:
        # between files every stored article is committed (a batch commits before the
        # next file is reported)
        if progress.articles and not committed:
            committed.append(progress.articles)
            pg_server.pause()

    with open_archive(url) as archive:
        try:
            with pytest.raises(ArchiveError) as raised:
                import_paths(archive, [folder], progress=stop_after_the_first_batch, workers=1)
        finally:
            pg_server.resume()
    assert committed and 0 < committed[0] < 1200
    assert raised.value.condition is Condition.SERVER_LOST
    assert "nothing half-written was kept" in str(raised.value)
    with open_archive(url) as archive, archive.read() as connection:
        stored = connection.execute(text("SELECT count(*) FROM incidents")).scalar_one()
        without_sections = connection.execute(
            text(
                "SELECT count(*) FROM incidents i WHERE NOT EXISTS "
                "(SELECT 1 FROM sections s WHERE s.incident_id = i.id)"
            )
        ).scalar_one()
        indexed = connection.execute(text("SELECT count(*) FROM incident_fts")).scalar_one()
    assert stored == committed[0]  # every committed article, and none of the batch in flight
    assert without_sections == 0 and indexed == stored
    # the import run again finds the committed ones unchanged and stores the rest
    with open_archive(url) as archive:
        report = import_paths(archive, [folder], workers=1)
    assert (report.unchanged, report.imported) == (committed[0], 1200 - committed[0])


def _lane_records(count: int) -> list[IncidentRecord]:
    """Dated articles with many lanes: more perpetrators than the window shows (some tied,
    some named alike but for case, accents or spaces around them, some without any)."""
    rng = random.Random(5)
    names = [f"Group {n}" for n in range(40)] + ["group 1", "Émile", "Zeta", "alpha", " Zeta "]
    made = []
    for index in range(count):
        day = date(1990, 1, 1) + timedelta(days=rng.randrange(3000))
        title = f"Lane incident {index}"
        named = rng.choice([*names, ""]) if index % 17 else ""
        facts = Facts(
            date_start=day.isoformat(), date_text=day.isoformat(), date_precision="day",
            country=rng.choice(["A", " A", "B\t", "", "Ç"]),
            fatalities=Toll(rng.choice([None, rng.randrange(40)]), None, index % 9 == 0, None),
            perpetrators=[PerpetratorRecord(named, False)] if named else [],
        )  # fmt: skip
        body = f"{title}\nWhat happened on {day}."
        made.append(IncidentRecord(
            title, title.lower(), body, [], [], f"lanes/{index}.txt", "text",
            hashlib.sha256(body.encode()).hexdigest(), body, facts,
        ))  # fmt: skip
    return made


def test_folded_lanes_and_clusters_are_the_same_on_both_engines(
    tmp_path: Path, pg_server: pg_cluster.Cluster
) -> None:
    """The fold into OTHER_LANE, the lane order and every cluster's figures: PostgreSQL's
    statement and SQLite's cells folded in Python agree."""
    records = _lane_records(1500)
    url = new_team_archive(pg_server, "lanes_compared")
    windows = []
    for location in (tmp_path / "a.sqlite", url):
        with open_archive(location) as archive:
            with archive.bulk() as connection, ArchiveWriter(connection) as writer:
                for record in records:
                    writer.store(record)
            ids = {s.title: s.id for s in catalog.list_summaries(archive)}
            emphasis = frozenset(ids[f"Lane incident {n}"] for n in range(0, 1500, 7))
            windows.append([
                timeline.timeline_window(archive, date(1989, 1, 1), date(1999, 1, 1),
                                         lanes=lanes, max_items=max_items, emphasis=emphasis)
                for lanes in timeline.LANE_MODES for max_items in (400, 60)
            ])  # fmt: skip
    for lite, team in zip(*windows, strict=True):
        assert lite.aggregated and team.aggregated
        assert lite.lanes == team.lanes and lite.total == team.total == 1500
        assert lite.bucket_days == team.bucket_days
        shape = [
            [(i.lane, i.start, i.end, i.count, i.title, i.fatalities_min, i.fatalities_max,
              i.fatalities_open, i.fatalities_total, i.emphasized) for i in w.items]
            for w in (lite, team)
        ]  # fmt: skip
        assert shape[0] == shape[1]
    by_perpetrator = windows[0][2]
    assert by_perpetrator.lanes[-1] == timeline.OTHER_LANE
    assert len(by_perpetrator.lanes) == timeline.MAX_LANES + 1
