"""Research changes and timeline frames from the window during an import and an export,
against the same window idle, in one run (issue 13: a tag or annotation p95 < 100 ms; every
timeline frame < 16 ms).

Offscreen, one process, the real MainWindow on a new archive under a scratch folder. A tag
(TagIncident: a new tag on an incident) and an annotation (CreateAnnotation) take turns,
each pushed through the window's undo stack on the GUI thread exactly as the Tags pane and
the reader do (MainWindow.push_research), one every 4 x --interval ms from a timer, so
the event loop runs between them as it does for a person; between two changes the timeline
dock is rendered into an image three times (TimelineView.render, the widget's paint), each
timed: twice as it is (a repaint: the window's other widgets, a dialog moving over it) and
once after the view moved a pixel (a pan: everything drawn anew). A change's time is split
into its wait for the write turn (db/turns.py) and the rest.
Phases:

- idle: nothing else running (the floor);
- import: `File > Import Folder` of --articles synthetic articles (benchmarks/import_search.py
  varies the samples), the import's default worker processes;
- import, no give-way: the same, with the import never giving way to a waiting writer
  (WriteTurns.wanted forced False), which is how it was before (for comparison only);
- export: `File > Export > JSON` of the whole archive.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/research_during_import.py \\
        [--articles 3000] [--interval 25] [--idle-writes 100]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from import_search import build_corpus  # noqa: E402
from PySide6.QtCore import QPoint, QTimer  # noqa: E402
from PySide6.QtGui import QImage, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from db.turns import WriteTurns  # noqa: E402
from viewer.ui.main_window import MainWindow  # noqa: E402
from viewer.ui.research import undo  # noqa: E402
from viewer.ui.settings import Settings  # noqa: E402

WRITE_TARGET_MS, FRAME_TARGET_MS = 100.0, 16.0


def wait_until(app: QApplication, condition: Callable[[], bool], limit_s: float = 600) -> None:
    deadline = time.monotonic() + limit_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("gave up waiting")
        app.processEvents()
        time.sleep(0.002)


class Sampler:
    """One tick in four: a research change through the window's undo stack (timed, and its
    wait for the write turn); the three others: a timeline frame each (timed)."""

    def __init__(self, window: MainWindow, incident_id: int, interval_ms: int) -> None:
        self.window, self.incident_id = window, incident_id
        self.writes: list[float] = []
        self.waits: list[float] = []  # of each change: waiting for its turn to write
        self.frames: list[float] = []
        self.moved: list[float] = []  # frames after the view moved (a pan)
        self._step = 1.0  # pixels the next move goes
        self.turn_waits: list[float] = []
        self._number = 0
        view = window.timeline
        self._image = QImage(view.size(), QImage.Format.Format_ARGB32_Premultiplied)
        self._timer = QTimer(window)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.tick)

    def start(self) -> None:
        self.writes, self.waits, self.frames, self.moved = [], [], [], []
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def tick(self) -> None:
        self._number += 1
        if self._number % 4 == 1:
            self._change()
        elif self._number % 4 == 3:
            self._move()
            self._frame(self.moved)
        else:
            self._frame(self.frames)

    def _move(self) -> None:
        """Pan the timeline by a pixel, to and fro (within what it has fetched)."""
        view = self.window.timeline
        geometry = view.geometry_now()
        view._set_view(geometry.left + self._step / geometry.scale, geometry.scale)
        self._step = -self._step

    def _change(self) -> None:
        window, archive = self.window, self.window.archive
        assert archive is not None
        self.turn_waits.clear()
        started = time.perf_counter()
        if self._number % 8 == 1:
            done = window.push_research(
                undo.TagIncident, archive, window.events, self.incident_id,
                [f"bench {self._number}"],
            )  # fmt: skip
        else:
            start = self._number % 200
            done = window.push_research(
                undo.CreateAnnotation, archive, window.events, self.incident_id, start,
                start + 12, "yellow",
            )  # fmt: skip
        elapsed = (time.perf_counter() - started) * 1000
        if not done:
            raise RuntimeError(f"the change was refused: {window.statusBar().currentMessage()}")
        self.writes.append(elapsed)
        self.waits.append(sum(self.turn_waits))

    def _frame(self, into: list[float]) -> None:
        painter = QPainter(self._image)
        started = time.perf_counter()
        self.window.timeline.render(painter, QPoint())
        into.append((time.perf_counter() - started) * 1000)
        painter.end()

    def watch_turns(self) -> None:
        """Record how long each change waited for its turn at the write lock (the part of
        its time that an import's batch costs it)."""
        real = WriteTurns.turn
        waits = self.turn_waits

        @contextmanager
        def turn(turns: WriteTurns) -> Iterator[None]:
            started = time.perf_counter()
            with real(turns):
                if threading.current_thread() is threading.main_thread():
                    waits.append((time.perf_counter() - started) * 1000)
                yield

        WriteTurns.turn = turn  # type: ignore[method-assign,assignment]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(label: str, values: list[float], target: float) -> str:
    if not values:
        return f"  {label:24} no samples"
    p50, p95 = statistics.median(values), percentile(values, 0.95)
    over = sum(1 for v in values if v >= target) / len(values)
    verdict = "met" if p95 < target else "MISSED"
    return (f"  {label:22} n={len(values):4}  p50 {p50:7.1f}  p95 {p95:7.1f}  max "
            f"{max(values):7.1f} ms  {over:5.1%} >= {target:.0f} ms  p95 {verdict}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument(
        "--interval", type=int, default=25, help="ms per tick (a change or a frame)"
    )
    parser.add_argument("--idle-writes", type=int, default=100)
    parser.add_argument("--skip-old", action="store_true", help="no run without give-way")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
          f"SQLite {sqlite3.sqlite_version}")  # fmt: skip
    work = Path(tempfile.mkdtemp(prefix="iav-research-bench-"))
    try:
        return run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, work: Path) -> int:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    seed, corpus, second = work / "seed", work / "corpus", work / "corpus-again"
    build_corpus(seed, 100, seed=3)
    build_corpus(corpus, args.articles, seed=7)
    build_corpus(second, args.articles, seed=11)
    window = MainWindow(Settings(work / "settings.ini"))
    window.importer.show_summary = False
    window.show()
    window.open_archive(work / "archive.sqlite")
    wait_until(app, lambda: window.archive is not None)
    window.import_paths([str(seed)])
    wait_until(app, lambda: not window.importer.running)
    wait_until(app, lambda: not window.runner.busy)
    archive = window.archive
    assert archive is not None
    from viewer.services import catalog

    incident = catalog.list_summaries(archive)[0].id
    sampler = Sampler(window, incident, args.interval)
    sampler.watch_turns()
    results: dict[str, tuple[list[float], list[float], list[float], list[float], float]] = {}

    sampler.start()
    wait_until(app, lambda: len(sampler.writes) >= args.idle_writes)
    sampler.stop()
    results["idle"] = (sampler.writes, sampler.waits, sampler.frames, sampler.moved, 0.0)

    def during(label: str, begin: Callable[[], object], running: Callable[[], bool]) -> None:
        started = time.perf_counter()
        sampler.start()
        begin()
        wait_until(app, running)
        wait_until(app, lambda: not running())
        sampler.stop()
        elapsed = time.perf_counter() - started
        results[label] = (sampler.writes, sampler.waits, sampler.frames, sampler.moved, elapsed)
        wait_until(app, lambda: not window.runner.busy)

    during("import", lambda: window.import_paths([str(corpus)]), lambda: window.importer.running)
    if not args.skip_old:
        wanted = WriteTurns.wanted
        WriteTurns.wanted = property(lambda self: False)  # type: ignore[method-assign,assignment]
        try:
            during(
                "import, no give-way", lambda: window.import_paths([str(second)]),
                lambda: window.importer.running,
            )  # fmt: skip
        finally:
            WriteTurns.wanted = wanted  # type: ignore[method-assign]
    target = work / "export.json"  # written beside and renamed when whole
    during(
        "export (json)",
        lambda: window.exporter.export(archive, "json", target),
        lambda: not target.exists(),
    )
    print(f"\n{catalog.count(archive):,} incidents; one change every {4 * args.interval} ms; "
          "times on the GUI thread, ms")  # fmt: skip
    for label, (writes, waits, frames, moved, seconds) in results.items():
        took = f" ({seconds:.1f} s)" if seconds else ""
        print(f"{label}{took}")
        print(summary("tag/annotation", writes, WRITE_TARGET_MS))
        print(summary("  of which turn wait", waits, WRITE_TARGET_MS))
        print(summary("timeline frame", frames, FRAME_TARGET_MS))
        print(summary("  after a 1 px pan", moved, FRAME_TARGET_MS))
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
