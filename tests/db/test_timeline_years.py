"""The incidents counted per year and lane (timeline_years, migration 0015) stay what a
recount of the incidents gives through imports, re-imports, corrections and deletes, are
counted for the incidents already there when an archive is upgraded, and the timeline's
year buckets read from them show what the incidents themselves show."""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from bisect import bisect_right
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, delete, select, text, update

from db import Archive, open_archive
from db import timeline as stored
from db.migrate import alembic_config
from db.models import Incident
from db.records import IncidentRecord, PerpetratorRecord
from db.store import ArchiveWriter
from tests import pg_cluster
from tests.conftest import new_team_archive
from tests.db.test_engines import _lane_records
from viewer.services import catalog, corrections, timeline

pytestmark = pytest.mark.engines

MASTUNG = "2023 Mastung bombing"


def _store(archive: Archive, records: list[IncidentRecord]) -> None:
    with archive.bulk() as connection, ArchiveWriter(connection) as writer:
        for record in records:
            writer.store(record)


def _counts(archive: Archive) -> tuple[list[stored.YearCount], list[stored.YearCount]]:
    """(what the archive keeps, a recount of its incidents)."""
    with archive.read() as connection:
        return stored.year_counts(connection), stored.year_counts(connection, kept=False)


def _moved(record: IncidentRecord, index: int) -> IncidentRecord:
    """The same article revised: another date, perpetrator and toll (a re-import)."""
    facts = record.facts
    day = date(1980 + index % 7, 1 + index % 12, 1 + index % 28).isoformat()
    toll = replace(facts.fatalities, min=index % 5, open_ended=index % 4 == 0)
    body = record.body + "\nRevised."
    return replace(
        record,
        body=body,
        sha256=hashlib.sha256(body.encode()).hexdigest(),
        raw_text=body,
        facts=replace(
            facts, date_start=day, date_text=day, fatalities=toll,
            perpetrators=[PerpetratorRecord(f" Revised {index % 3}", False)],
        ),
    )  # fmt: skip


def test_counts_stay_exact_through_reimports_corrections_and_deletes(
    seeded_archive: Archive,
) -> None:
    records = _lane_records(600)
    _store(seeded_archive, records)
    kept, recount = _counts(seeded_archive)
    assert kept == recount and sum(c[3] for c in kept if c[0] == "none") == 602
    # a re-import of changed articles moves them to other years and lanes
    _store(seeded_archive, [_moved(r, n) for n, r in enumerate(records[:200])])
    kept, recount = _counts(seeded_archive)
    assert kept == recount and any(c[1] == "Revised 1" for c in kept)
    # a corrected date and perpetrator (the incident is written again from its source)
    mastung = catalog.find_incident(seeded_archive, MASTUNG)
    corrections.correct(seeded_archive, mastung.id, "date", "1991-02-03")
    corrections.correct(seeded_archive, mastung.id, "perpetrators", "Nobody Known")
    corrections.correct(seeded_archive, mastung.id, "fatalities", "7+")
    kept, recount = _counts(seeded_archive)
    assert kept == recount
    assert ("perpetrator", "Nobody Known", "1991") in {c[:3] for c in kept}
    assert sum(c[3] for c in kept if c[0] == "none") == 602
    # deletes: one incident, then many at once
    with seeded_archive.write() as connection:
        connection.execute(delete(Incident).where(Incident.title == "Lane incident 7"))
    assert _counts(seeded_archive)[0] == _counts(seeded_archive)[1]
    with seeded_archive.write() as connection:
        connection.execute(delete(Incident).where(Incident.title.like("Lane incident 1%")))
    kept, recount = _counts(seeded_archive)
    assert kept == recount and sum(c[3] for c in kept if c[0] == "none") == 602 - 1 - 111


def test_year_buckets_show_what_the_incidents_show(empty_archive: Archive) -> None:
    """Windows whose buckets are whole years (read from the counts on a team archive), with
    partial ones at either end, count in each bucket the incidents that start in it."""
    _store(empty_archive, _lane_records(1500))
    with empty_archive.read() as connection:
        singles = stored.incidents_between(connection, "1900-01-01", "2100-01-01", "none", "")
    for first, last, lanes in [
        (date(1989, 1, 1), date(1999, 1, 1), "perpetrator"),
        (date(1990, 7, 14), date(1997, 3, 2), "country"),
        (date(1990, 7, 14), date(1997, 3, 2), "place"),
    ]:
        window = timeline.timeline_window(empty_archive, first, last, lanes=lanes, max_items=400)
        assert window.aggregated and window.bucket_days == timeline.DAYS_PER_YEAR  # one year
        starts = timeline.year_bucket_starts(first, last, 1)
        counted: Counter[int] = Counter()
        for item in window.items:  # each cluster inside one bucket
            bucket = bisect_right(starts, item.start)
            assert bucket == bisect_right(starts, item.end)
            counted[bucket] += item.count
        expected = Counter(
            bisect_right(starts, date.fromisoformat(row[2]))
            for row in singles
            if first.isoformat() <= row[2] <= last.isoformat()
        )
        assert counted == expected and window.total == sum(expected.values()) > 0


def test_year_bucket_starts() -> None:
    starts = timeline.year_bucket_starts(date(1990, 7, 14), date(1997, 3, 2), 2)
    assert starts == [date(1990, 7, 14), date(1992, 1, 1), date(1994, 1, 1), date(1996, 1, 1),
                      date(1997, 3, 3)]  # fmt: skip
    assert timeline.year_bucket_starts(date(2000, 1, 1), date(2000, 12, 31), 1) == [
        date(2000, 1, 1), date(2001, 1, 1)
    ]  # fmt: skip


def test_the_revision_names_lanes_as_the_window_does() -> None:
    path = Path(stored.__file__).parent / "migrations" / "versions" / "0015_timeline_years.py"
    spec = importlib.util.spec_from_file_location("revision_0015", path)
    assert spec is not None and spec.loader is not None
    revision = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(revision)
    assert revision._WHITESPACE == stored.WHITESPACE


@pytest.mark.engines("postgresql")
def test_an_upgraded_team_archive_counts_its_incidents(
    pg_server: pg_cluster.Cluster, archive_engine: str
) -> None:
    url = new_team_archive(pg_server, "years_upgraded")
    with open_archive(url) as archive:
        _store(archive, _lane_records(400))
        before = _counts(archive)[1]
        with archive.engine.begin() as connection:  # back to the schema before 0015
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0014")
            assert connection.execute(text("SELECT to_regclass('timeline_years')")).scalar() is None
    with open_archive(url) as archive:  # the owner opens it: upgraded, counted
        kept, recount = _counts(archive)
    assert kept == recount == before and len(kept) > 100


@pytest.mark.engines("postgresql")
def test_two_writers_in_one_year_both_count(empty_archive: Archive, archive_engine: str) -> None:
    """Two transactions changing incidents of the same year at once: the second waits for
    the first's counts (it failed on the year's primary key when both recounted it)."""
    _store(empty_archive, _lane_records(300))
    with empty_archive.read() as connection:
        first, second = connection.execute(
            select(Incident.id).where(Incident.date_start.like("1991-%")).limit(2)
        ).scalars()
    raised: list[BaseException] = []

    def change(connection: Connection, incident_id: int) -> None:
        connection.execute(
            update(Incident).where(Incident.id == incident_id).values(fatalities_min=1000)
        )

    def other() -> None:
        try:
            with empty_archive.engine.begin() as connection:
                change(connection, second)
        except BaseException as error:  # reported below
            raised.append(error)

    with empty_archive.engine.begin() as connection:
        change(connection, first)
        thread = threading.Thread(target=other)
        thread.start()
        thread.join(1.0)  # the other one is waiting now
    thread.join(30)
    assert not thread.is_alive() and raised == []
    kept, recount = _counts(empty_archive)
    assert kept == recount
    assert ("none", "", "1991") in {c[:3] for c in kept if c[8] == 1000}
