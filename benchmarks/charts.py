"""The charts at scale: every chart's aggregates, and drawing them, against a floor measured
in the same run.

Builds (or reuses with --archive PATH) a synthetic archive of --count incidents (default
100,000; benchmarks/synthetic_archive.py) and gives each incident up to 12 reactions from a
skewed set of 300 actors with the real stance vocabulary (the synthetic archive has none).
Then, median of --repeat runs each:

- the charts' SQL through the services (viewer/services/charts.py): incidents and deaths per
  year stacked by perpetrator and by country (top 8 + other), per month, the stances of the
  30 incidents with most reactions, the 25 × 30 actor × incident matrix; also within a
  collection of 2,000 incidents;
- drawing each chart into a PNG with matplotlib (Agg, no display), as `chart` does;
- floor: the least SQL for the simplest chart in plain sqlite3 (no SQLAlchemy):
  SELECT substr(date_start, 1, 4), count(*) FROM incidents GROUP BY 1.

Target: every chart's SQL under 500 ms at 100,000 incidents (the window stays responsive:
the SQL runs on the worker, only drawing on the GUI thread).

    .venv/bin/python benchmarks/charts.py [--archive PATH] [--count 100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic_archive import build_archive  # noqa: E402

from db import open_archive  # noqa: E402
from db.incident_table import IncidentScope  # noqa: E402
from viewer.services import charts, collections  # noqa: E402
from viewer.services.chart_figures import save_chart  # noqa: E402
from viewer.services.reactions import STANCES  # noqa: E402

TARGET_MS = 500.0


def add_reactions(path: Path, seed: int = 2) -> int:
    """Up to 12 reactions per incident (skewed actors and stances), unless there are some."""
    rng = random.Random(seed)
    actors = [f"Actor {n}" for n in range(300)]
    with sqlite3.connect(path) as db:
        if db.execute("SELECT count(*) FROM reactions").fetchone()[0]:
            return 0
        ids = [row[0] for row in db.execute("SELECT id FROM incidents")]
        rows = []
        for incident_id in ids:
            for position in range(min(int(rng.paretovariate(1.0)), 12)):
                actor = actors[min(int(rng.paretovariate(0.7)) - 1, len(actors) - 1)]
                stance = STANCES[min(int(rng.paretovariate(1.5)) - 1, len(STANCES) - 1)]
                rows.append((incident_id, position, "international", actor, "state", stance,
                             f"{actor} {stance}.", 0, 9))  # fmt: skip
        db.executemany(
            "INSERT INTO reactions (incident_id, position, category, actor, actor_kind, stance, "
            'text, start, "end") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
            rows,
        )
        db.execute("ANALYZE")
    return len(rows)


def median_ms(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--archive", type=Path)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    path = args.archive or Path(tempfile.mkdtemp(prefix="charts-")) / "synthetic.sqlite"
    if not path.exists():
        build_archive(path, args.count)
    added = add_reactions(path)
    with sqlite3.connect(path) as db:
        count = db.execute("SELECT count(*) FROM incidents").fetchone()[0]
        statements = db.execute("SELECT count(*) FROM reactions").fetchone()[0]
        floor = median_ms(
            lambda: db.execute(
                "SELECT substr(date_start, 1, 4), count(*) FROM incidents GROUP BY 1"
            ).fetchall(),
            args.repeat,
        )
    print(f"{count:,} incidents, {statements:,} reactions ({added:,} added now)")
    print(f"floor (plain sqlite3, incidents per year): {floor:.1f} ms")
    with open_archive(path) as archive:
        made = collections.add_to_collection(archive, "Benchmark", list(range(1, count, 50)))
        scopes = {"archive": None, "collection": IncidentScope(collection_id=made.collection_id)}
        cases = {
            "incidents per year, by perpetrator": dict(kind="incidents-per-year"),
            "deaths per year, by country": dict(kind="deaths-per-year", stack="country"),
            "incidents per month, not stacked": dict(
                kind="incidents-per-year", stack="none", period="month"
            ),
            "stances per incident (top 30)": dict(kind="stances"),
            "actors x incidents (25 x 30)": dict(kind="reactions-matrix"),
        }
        slow = []
        print(f"{'chart':<38} {'scope':<11} {'SQL ms':>8} {'x floor':>8} {'PNG ms':>8}")
        for label, options in cases.items():
            for scope_name, scope in scopes.items():
                kind = str(options["kind"])
                rest = {k: v for k, v in options.items() if k != "kind"}
                data = charts.chart_data(archive, kind, scope, **rest)  # type: ignore[arg-type]
                sql = median_ms(
                    lambda k=kind, s=scope, r=rest: charts.chart_data(archive, k, s, **r),  # type: ignore[misc]
                    args.repeat,
                )
                png = median_ms(
                    lambda d=data: save_chart(d, Path("chart.png"), io.BytesIO()),
                    max(1, args.repeat // 2),
                )
                if sql > TARGET_MS:
                    slow.append(f"{label} ({scope_name})")
                print(f"{label:<38} {scope_name:<11} {sql:8.1f} {sql / floor:8.1f} {png:8.1f}")
        collections.delete_collection(archive, made.collection_id)
    if slow:
        print(f"over {TARGET_MS:.0f} ms: {', '.join(slow)}")
        return 1
    print(f"every chart's SQL under {TARGET_MS:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
