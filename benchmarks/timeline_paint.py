"""Timeline fetch and paint at scale, against baselines measured in the same run.

Builds (or reuses with --archive PATH) an archive of --count incidents (default 100,000)
with dates spread over 1900-2025 (denser in recent decades), skewed perpetrator, place and
country names, and article-sized bodies, written through db.store.ArchiveWriter so the
schema is the real one. Then, offscreen and in one process, it measures:

- fetch: timeline_window() with exactly the request the view makes (visible range plus its
  margin, bucket size, item cap) at fit-all, year zoom and day zoom, in each lane mode;
  baseline: an index-only count of the same date range (the least work that touches it);
- paint: TimelineView.render() into a QImage, median of --repeat frames, at the same
  zooms; baseline: the same widget at the same zoom with an empty window (axis only).

With --without-timeline-indexes it repeats the fetches with the timeline's covering
index (migration 0004) dropped, and creates them again afterwards. Targets: every frame
under 16 ms, every fetch under 50 ms.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/timeline_paint.py \\
        [--archive PATH] [--count 100000] [--without-timeline-indexes]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QPoint  # noqa: E402
from PySide6.QtGui import QImage, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from db import Archive, open_archive  # noqa: E402
from db.records import Facts, IncidentRecord, PerpetratorRecord, TermRecord, Toll  # noqa: E402
from db.store import ArchiveWriter  # noqa: E402
from viewer.services.timeline import (  # noqa: E402
    LANE_MODES,
    TimelineBounds,
    TimelineWindow,
    timeline_bounds,
)
from viewer.ui.timeline.view import TimelineView  # noqa: E402

FRAME_TARGET_MS = 16.0
FETCH_TARGET_MS = 50.0
WIDTH, HEIGHT = 1400, 420
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2025, 12, 31)

# The timeline's covering index (migration 0004), dropped for the comparison run.
TIMELINE_INDEXES = {
    "ix_incidents_timeline": "incidents (date_start, date_end, fatalities_min, fatalities_max, "
    "fatalities_open, country, lane_perpetrator, lane_place)",
}


def build_archive(path: Path, count: int, body_chars: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    words = [f"word{n}" for n in range(4000)]
    perpetrators = [f"Group {n}" for n in range(400)]
    places = [f"Place {n}" for n in range(300)]
    countries = [f"Country {n}" for n in range(120)]
    first, last = FIRST_DAY.toordinal(), LAST_DAY.toordinal()
    started = time.perf_counter()
    with open_archive(path) as archive, archive.bulk() as connection:
        writer = ArchiveWriter(connection)
        for index in range(count):
            day = date.fromordinal(int(first + rng.random() ** 0.5 * (last - first)))
            if rng.random() < 0.1:
                toll = Toll()
            else:
                low = int(rng.paretovariate(1.2)) - 1
                high = low + (rng.randint(0, 5) if rng.random() < 0.3 else 0)
                toll = Toll(low, high, rng.random() < 0.1, str(low))

            def pick(names: list[str], skew: float) -> str:
                return names[min(int(rng.paretovariate(skew)) - 1, len(names) - 1)]

            perpetrator = [PerpetratorRecord(pick(perpetrators, 0.8), rng.random() < 0.3)]
            facts = Facts(
                date_start=day.isoformat(),
                date_end=day.isoformat(),
                date_text=day.isoformat(),
                date_precision="day",
                country=None if rng.random() < 0.05 else pick(countries, 0.9),
                fatalities=toll,
                perpetrators=perpetrator if rng.random() > 0.2 else [],
                terms=[
                    TermRecord("type", "Bombing"),
                    TermRecord("place", pick(places, 0.9)),
                    TermRecord("place", "Province"),
                ],
            )
            title = f"Synthetic incident {index}"
            offset = rng.randrange(len(words))
            body = title + "\n" + " ".join(words[offset:] + words[:offset])[:body_chars]
            record = IncidentRecord(
                title, title.lower(), body, [], [], f"synthetic/{index}.txt", "text",
                hashlib.sha256(title.encode()).hexdigest(), title, facts,
            )  # fmt: skip
            writer.store(record)
            if index % 5000 == 4999:
                writer.commit()
        writer.commit()
    print(f"built {count:,} incidents in {time.perf_counter() - started:.1f} s: {path}")


def median_ms(work: Callable[[], object], repeat: int) -> float:
    work()  # warm caches (both SQLite's and the font cache)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def zooms(bounds: TimelineBounds) -> dict[str, tuple[date, date] | None]:
    assert bounds.last is not None
    year = bounds.last.year - 2
    middle = date(year, 6, 14)
    return {
        "fit-all": None,
        "year": (date(year, 1, 1), date(year, 12, 31)),
        "day": (middle - timedelta(days=2), middle + timedelta(days=2)),
    }


def place_view(view: TimelineView, span: tuple[date, date] | None) -> None:
    if span is None:
        view.fit_all()
    else:
        view.set_visible_range(*span)


def baseline_count(archive: Archive, view: TimelineView) -> Callable[[], object]:
    request = view.window_request()
    first = date.fromordinal(request.start).isoformat()
    last = date.fromordinal(request.end).isoformat()

    def count() -> object:
        with archive.raw_connection() as connection:
            return connection.execute(
                "SELECT count(*) FROM incidents WHERE date_start BETWEEN ? AND ?", (first, last)
            ).fetchone()

    return count


def measure_fetches(
    archive: Archive, view: TimelineView, bounds: TimelineBounds, repeat: int, label: str
) -> dict[tuple[str, str], TimelineWindow]:
    print(f"\nfetch ({label}): median of {repeat}, ms")
    print(f"{'zoom':8} {'lanes':12} {'fetch':>8} {'baseline':>9} {'ratio':>6} {'items':>6} "
          f"{'incidents':>9}  target")  # fmt: skip
    windows = {}
    for zoom, span in zooms(bounds).items():
        for mode in LANE_MODES:
            view.set_lane_mode(mode)
            place_view(view, span)
            request = view.window_request()
            window = request.fetch(archive)
            fetch = median_ms(lambda request=request: request.fetch(archive), repeat)
            base = median_ms(baseline_count(archive, view), repeat)
            verdict = "ok" if fetch < FETCH_TARGET_MS else "OVER"
            print(f"{zoom:8} {mode:12} {fetch:8.1f} {base:9.1f} {fetch / max(base, 0.01):6.1f} "
                  f"{len(window.items):6} {window.total:9,}  {verdict}")  # fmt: skip
            windows[(zoom, mode)] = window
    return windows


def measure_paints(
    view: TimelineView,
    bounds: TimelineBounds,
    windows: dict[tuple[str, str], TimelineWindow],
    repeat: int,
) -> None:
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_ARGB32_Premultiplied)

    def render() -> None:
        painter = QPainter(image)
        view.render(painter, QPoint())
        painter.end()

    print(f"\npaint ({WIDTH}x{HEIGHT}, median of {repeat} frames), ms")
    print(f"{'zoom':8} {'lanes':12} {'frame':>8} {'baseline':>9} {'ratio':>6} {'drawn':>6}  target")
    for zoom, span in zooms(bounds).items():
        for mode in ("none", "perpetrator"):
            view.set_lane_mode(mode)
            place_view(view, span)
            empty = TimelineWindow([], [], lane_mode=mode)
            view.show_window(empty, view.window_request())
            base = median_ms(render, repeat)
            window = windows[(zoom, mode)]
            view.show_window(window, view.window_request())
            first, last = view.visible_range()
            drawn = sum(1 for item in window.items if first <= item.start <= last)
            frame = median_ms(render, repeat)
            verdict = "ok" if frame < FRAME_TARGET_MS else "OVER"
            print(f"{zoom:8} {mode:12} {frame:8.2f} {base:9.2f} {frame / max(base, 0.01):6.1f} "
                  f"{drawn:6}  {verdict}")  # fmt: skip
    view.set_lane_mode("none")
    place_view(view, None)
    view.show_window(windows[("fit-all", "none")], view.window_request())
    out = Path(tempfile.gettempdir()) / "timeline_benchmark.png"
    render()
    image.save(str(out))
    print(f"fit-all frame saved to {out}")


def set_indexes(path: Path, create: bool) -> None:
    connection = sqlite3.connect(path)
    try:
        for name, target in TIMELINE_INDEXES.items():
            if create:
                connection.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")
            else:
                connection.execute(f"DROP INDEX IF EXISTS {name}")
        connection.commit()
    finally:
        connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, help="reuse (or build here) this archive")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--body-chars", type=int, default=4000, help="article body size")
    parser.add_argument("--repeat", type=int, default=20, help="frames per paint median")
    parser.add_argument("--fetch-repeat", type=int, default=5)
    parser.add_argument(
        "--without-timeline-indexes", action="store_true",
        help="also measure fetches without TIMELINE_INDEXES (dropped, then created again)",
    )  # fmt: skip
    args = parser.parse_args()

    app = QApplication.instance() or QApplication([])
    temporary = None
    path = args.archive
    if path is None:
        temporary = tempfile.TemporaryDirectory(prefix="timeline-bench-")
        path = Path(temporary.name) / "timeline.sqlite"
    if not path.exists():
        build_archive(path, args.count, args.body_chars)
    try:
        with open_archive(path) as archive:
            bounds = timeline_bounds(archive)
            print(f"archive {path}: {bounds.count:,} dated incidents, "
                  f"{bounds.first} to {bounds.last}")  # fmt: skip
            view = TimelineView()
            view.resize(WIDTH, HEIGHT)
            view._bounds = bounds  # as set_archive would, without the background worker
            windows = measure_fetches(
                archive, view, bounds, args.fetch_repeat, "with timeline indexes"
            )
            measure_paints(view, bounds, windows, args.repeat)
            if args.without_timeline_indexes:
                set_indexes(path, create=False)
                try:
                    archive.engine.dispose()  # new connections see the schema change
                    measure_fetches(
                        archive, view, bounds, args.fetch_repeat, "without timeline indexes"
                    )
                finally:
                    archive.engine.dispose()
                    set_indexes(path, create=True)
            view.deleteLater()
    finally:
        if temporary is not None:
            temporary.cleanup()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
