"""A team archive on PostgreSQL against a personal one on SQLite, in the same run.

Starts a throwaway PostgreSQL cluster on 127.0.0.1 (tests/pg_cluster.py), then:

- storing N synthetic articles (the import's write path, ArchiveWriter, batches of 500; the
  parsing before it is the same for both engines and left out) into each engine: time and
  the PostgreSQL / SQLite ratio (target: at most 1.5);
- full-text search on the PostgreSQL archive: p50/p95 over a set of queries (target p95
  at most 20 ms at 100,000 incidents), and a timeline window fetch (the fit-all view,
  target at most 50 ms);
- A annotator processes writing annotations, tags and notes for S seconds at once, each as
  its own editor role; afterwards every write each reported committed is looked for:
  lost (not there), misattributed (another author), silently overwritten (a note that is
  not the last its author wrote). Writes per second and p95 latency.

    .venv/bin/python benchmarks/team_archive.py [--size 20000] [--search-size 100000]
        [--annotators 10] [--seconds 300]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from db import open_archive  # noqa: E402
from db.records import Facts, IncidentRecord, PerpetratorRecord, TermRecord, Toll  # noqa: E402
from db.store import ArchiveWriter  # noqa: E402
from tests import pg_cluster  # noqa: E402
from tests.conftest import _create_database, new_team_archive  # noqa: E402

WORDS = [f"word{n}" for n in range(3000)] + ["bombing", "attack", "election", "police"]
QUERIES = ["bombing", "word17", "word2 word3", '"word5 word6"', "elect*", "word9 OR word10",
           "title:incident", "attack NOT word11", "word123", "police word42"]  # fmt: skip


def records(count: int, seed: int = 7) -> list[IncidentRecord]:
    rng = random.Random(seed)
    made = []
    for index in range(count):
        day = date(1970, 1, 1) + timedelta(days=rng.randrange(20000))
        title = f"Synthetic incident {index}"
        body = title + "\n" + " ".join(rng.choice(WORDS) for _ in range(300))
        facts = Facts(
            date_start=day.isoformat(), date_text=day.isoformat(), date_precision="day",
            country=f"Country {rng.randrange(60)}",
            fatalities=Toll(rng.randrange(50), None, False, None),
            perpetrators=[PerpetratorRecord(f"Group {rng.randrange(300)}", False)],
            terms=[TermRecord("place", f"Place {rng.randrange(500)}")],
        )  # fmt: skip
        made.append(
            IncidentRecord(
                title,
                title.lower(),
                body,
                [],
                [],
                f"synthetic/{index}.txt",
                "text",
                hashlib.sha256(body.encode()).hexdigest(),
                body,
                facts,
            )
        )
    return made


def store(location: str | Path, items: list[IncidentRecord]) -> float:
    with open_archive(location) as archive, archive.bulk() as connection:
        started = time.perf_counter()
        writer = ArchiveWriter(connection)
        for first in range(0, len(items), 500):  # batches of 500, as the importer writes them
            batch = items[first : first + 500]
            writer.expect(record.title_key for record in batch)
            for record in batch:
                writer.store(record)
            writer.commit()
        return time.perf_counter() - started


def vacuum(url: str) -> None:
    """What autovacuum does to a table soon after a bulk load: planner statistics and the
    visibility map (index-only scans); measured after it, as a team works with it."""
    from sqlalchemy import create_engine

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"),
                           isolation_level="AUTOCOMMIT")  # fmt: skip
    with engine.connect() as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()


def search_times(location: str) -> list[float]:
    from viewer.services import catalog

    times = []
    with open_archive(location) as archive:
        for query in QUERIES:
            catalog.search(archive, query)  # warm
        for _ in range(5):
            for query in QUERIES:
                started = time.perf_counter()
                catalog.search(archive, query)
                times.append((time.perf_counter() - started) * 1000)
    return times


def timeline_ms(location: str) -> float:
    from viewer.services import timeline

    with open_archive(location) as archive:
        bounds = timeline.timeline_bounds(archive)
        assert bounds.first and bounds.last
        timeline.timeline_window(archive, bounds.first, bounds.last)
        times = []
        for _ in range(5):
            started = time.perf_counter()
            timeline.timeline_window(archive, bounds.first, bounds.last, lanes="perpetrator")
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def annotator(url: str, name: str, seconds: float, out: str) -> None:
    """One editor: annotations, tags and notes as fast as it can; logs what committed."""
    from viewer.services import catalog, research

    rng = random.Random(name)
    log = []
    with open_archive(url) as archive:
        ids = [s.id for s in catalog.list_summaries(archive)][:50]
        deadline = time.monotonic() + seconds
        number = 0
        while time.monotonic() < deadline:
            number += 1
            incident = rng.choice(ids)
            kind = ("annotation", "tag", "note")[number % 3]
            started = time.perf_counter()
            if kind == "annotation":
                made = research.create_annotation(
                    archive, incident, 0, 8, note=f"{name}-{number}", tags=[f"t{number % 7}"]
                )
                key: object = made.uuid
            elif kind == "tag":
                research.tag_incident(archive, incident, [f"shared {number % 11}"])
                key = f"shared {number % 11}"
            else:
                research.save_note(archive, incident, f"{name} note {number}")
                key = number
            log.append((kind, incident, key, (time.perf_counter() - started) * 1000))
    Path(out).write_text(json.dumps(log))


def annotators(
    server: pg_cluster.Cluster, url: str, count: int, seconds: float
) -> dict[str, object]:
    from viewer.services import catalog, research

    names = [f"annotator{n}" for n in range(count)]
    owner = url
    with open_archive(owner) as archive:
        from db import team

        for name in names:
            team.add_member(archive, name, "editor", f"pw-{name}")
    folder = Path(tempfile.mkdtemp())
    context = multiprocessing.get_context("spawn")
    processes = []
    for name in names:
        member = server.url(name, f"pw-{name}", url.rsplit("/", 1)[1])
        process = context.Process(
            target=annotator, args=(member, name, seconds, str(folder / f"{name}.json"))
        )
        process.start()
        processes.append(process)
    for process in processes:
        process.join(seconds + 120)
    logs = {name: json.loads((folder / f"{name}.json").read_text()) for name in names}
    writes = [entry for log in logs.values() for entry in log]
    lost = misattributed = overwritten = 0
    with open_archive(owner) as archive:
        by_uuid = {a.uuid: a for a in research.list_annotations(archive)}
        for name, log in logs.items():
            last_note: dict[int, int] = {}
            for kind, incident, key, _ms in log:
                if kind == "annotation":
                    found = by_uuid.get(key)
                    lost += found is None
                    misattributed += found is not None and found.author != name
                elif kind == "note":
                    last_note[incident] = max(last_note.get(incident, 0), key)
            for incident, number in last_note.items():
                notes = {n.author: n.text for n in research.incident_notes(archive, incident)}
                if name not in notes:
                    lost += 1
                elif notes[name] != f"{name} note {number}":
                    overwritten += 1
        tags = {t.name for t in research.tags_with_counts(archive)}
        lost += len({key for log in logs.values() for kind, _i, key, _m in log
                     if kind == "tag"} - tags)  # fmt: skip
        assert catalog.count(archive) > 0
    latencies = [entry[3] for entry in writes]
    return {
        "annotators": count, "seconds": seconds, "writes": len(writes),
        "writes_per_s": len(writes) / seconds, "p95_ms": p95(latencies),
        "lost": lost, "misattributed": misattributed, "overwritten": overwritten,
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--search-size", type=int, default=100_000)
    parser.add_argument("--annotators", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--skip-import", action="store_true", help="only search and annotators")
    args = parser.parse_args()
    server = pg_cluster.start()
    try:
        items = records(args.size)
        with tempfile.TemporaryDirectory() as folder:
            lite = store(Path(folder) / "a.sqlite", items)
        team_url = new_team_archive(server, "bench_import")
        team = store(team_url, items) if not args.skip_import else lite
        print(f"store {args.size:,} articles: SQLite {lite:.1f} s, PostgreSQL {team:.1f} s, "
              f"ratio {team / lite:.2f}x (target <= 1.5x)")  # fmt: skip
        search_url = new_team_archive(server, "bench_search")
        store(search_url, records(args.search_size, seed=11))
        vacuum(search_url)
        times = search_times(search_url)
        print(f"search at {args.search_size:,} on PostgreSQL: p50 {statistics.median(times):.1f} "
              f"ms, p95 {p95(times):.1f} ms (target p95 <= 20 ms)")  # fmt: skip
        print(f"timeline fit-all window at {args.search_size:,}: {timeline_ms(search_url):.1f} ms "
              "(target <= 50 ms)")  # fmt: skip
        if args.annotators:
            url = _create_database(server, "bench_annotators")
            from db.server import open_server
            from db.team import initialize

            with open_server(url, initialize=True) as archive:
                initialize(archive)
            store(url, records(60, seed=3))
            result = annotators(server, url, args.annotators, args.seconds)
            print("annotators: " + json.dumps(result))
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
