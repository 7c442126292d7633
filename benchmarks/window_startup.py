"""Window start-up, incident render and memory at scale, against an empty PySide6 window
started the same way in the same run.

For each size it builds (or reuses with --keep DIR) an archive of synthetic incidents
(benchmarks/timeline_paint.py's generator: dates over 1900-2025, skewed perpetrators and
places, 4,000-character bodies), then starts, taking turns, --repeat child processes of each:

- baseline: QApplication + an empty QMainWindow, shown;
- ours: the real MainWindow on the archive, started as viewer.ui.app.run_gui starts it
  (it says "Opening…" from its first paint; the archive opens on the worker once it has
  shown), shown, then populated (archive open, incident count in the status bar, the
  timeline's first window loaded), then one incident selected and rendered in the reader
  (with its reactions, annotations and note panes).

Times are wall-clock from starting the child process; memory is the child's peak resident
set (VmHWM). The children run with bytecode written as an install leaves it (a pip install
or the packages compile it; under PYTHONDONTWRITEBYTECODE every start would compile the
program's modules again, which the empty window never pays), after one start of each that
is not counted. Targets at 100,000 incidents (issue 13): shown within 2x the baseline,
populated (timeline painted and counts shown) within 1.0 s, reader render under 100 ms,
peak memory under 2x the baseline plus 150 MB.

    .venv/bin/python benchmarks/window_startup.py [--sizes 10000 100000] [--repeat 3]
        [--keep DIR] [--root CHECKOUT]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The child: one start of a window, reporting milestones on stdout as they happen.
CHILD = r"""
import json, os, resource, sys, time
from pathlib import Path
sys.path.insert(0, os.environ["BENCH_ROOT"])
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

def cpu_s():
    # CPU time of this process so far: other work on the machine moves it less than
    # wall-clock (on a busy 2-core machine wall-clock times varied several-fold)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

def say(what, **values):
    print(json.dumps({"at": what, **values}), flush=True)

def peak_mb():
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so every child would
    # report at least the (larger) parent's peak
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

mode = sys.argv[1]
if mode == "baseline":
    app = QApplication([])
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    say("shown", shown_cpu_s=cpu_s())
    say("done", peak_mb=peak_mb())
    sys.exit(0)

from viewer.ui.app import create_application
from viewer.ui.main_window import MainWindow
from viewer.ui.settings import Settings
from viewer.ui.theme import apply_theme

app = create_application()
apply_theme(app, "light")
window = MainWindow(Settings(Path(os.environ["BENCH_SETTINGS"])))
window.resize(1280, 800)
if hasattr(window, "show_opening"):  # as run_gui does (not in builds before issue 13)
    window.show_opening(Path(sys.argv[2]))
window.show()
app.processEvents()
say("shown", shown_cpu_s=cpu_s())
state = {"opened": False, "timeline": False}

def check_populated():
    if state["opened"] and state["timeline"] and "incident" in window.count_label.text():
        say("populated", populated_cpu_s=cpu_s())
        QTimer.singleShot(0, select)
    elif not state.get("done"):
        QTimer.singleShot(5, check_populated)

def opened():
    state["opened"] = True

def timeline_loaded():
    state["timeline"] = True

def select():
    state["done"] = True
    incident = int(sys.argv[3])
    started = time.perf_counter()
    def shown(_id):
        app.processEvents()  # the reader lays out and the panes take their data
        say("rendered", ms=(time.perf_counter() - started) * 1000)
        say("done", peak_mb=peak_mb())
        window.close()
        app.quit()
    window.incident_shown.connect(shown)
    window.open_incident(incident)

window.archive_opened.connect(opened)
window.timeline.window_loaded.connect(timeline_loaded)
window.open_archive(Path(sys.argv[2]))
QTimer.singleShot(5, check_populated)
app.exec()
window.runner.shutdown()
"""


def run_child(args: list[str], home: Path, root: Path = ROOT) -> dict[str, float]:
    environment = {
        **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        "QT_QPA_PLATFORM": "offscreen",
        "BENCH_ROOT": str(root),
        "BENCH_SETTINGS": str(home / "settings.ini"),
        "INCIDENT_VIEWER_HOME": str(home),
        "INCIDENT_VIEWER_NO_CRASH_DIALOG": "1",
    }
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", CHILD, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    assert process.stdout is not None
    found: dict[str, float] = {}
    for line in process.stdout:
        event = json.loads(line)
        found[event["at"] + "_s"] = time.perf_counter() - started
        for key, value in event.items():
            if key != "at":
                found[key] = value
    _, errors = process.communicate(timeout=120)
    if process.returncode != 0 or "done_s" not in found:
        raise SystemExit(f"child {args[0]} failed ({process.returncode}):\n{errors}")
    return found


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def middle_incident(path: Path) -> int:
    import sqlite3

    with sqlite3.connect(path) as connection:
        (count,) = connection.execute("SELECT count(*) FROM incidents").fetchone()
        (found,) = connection.execute(
            "SELECT id FROM incidents ORDER BY date_start LIMIT 1 OFFSET ?", (count // 2,)
        ).fetchone()
    return int(found)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the archives here and keep them")
    parser.add_argument(
        "--root", type=Path, default=ROOT, help="the program to start: a checkout (e.g. of main)"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    sys.path.insert(0, str(ROOT))
    from timeline_paint import build_archive

    work = tempfile.TemporaryDirectory(prefix="window-bench-")
    folder = args.keep or Path(work.name)
    folder.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; program {args.root}")
    for size in args.sizes:
        path = folder / f"window-{size}.sqlite"
        if not path.exists():
            build_archive(path, size, 4000)
        incident = middle_incident(path)
        runs: dict[str, list[dict[str, float]]] = {"baseline": [], "ours": []}
        warm = Path(tempfile.mkdtemp(dir=work.name))  # bytecode written, files in the cache
        run_child(["baseline"], warm)
        run_child(["ours", str(path), str(incident)], warm, args.root)
        print(f"  {size:,}: load average {_load()} before the runs", flush=True)
        for turn in range(args.repeat):
            home = Path(tempfile.mkdtemp(dir=work.name))
            runs["baseline"].append(run_child(["baseline"], home))
            runs["ours"].append(run_child(["ours", str(path), str(incident)], home, args.root))
            print(f"  {size:,}: run {turn + 1} of {args.repeat} done", flush=True)

        def median(mode: str, key: str, runs: dict[str, list[dict[str, float]]] = runs) -> float:
            return statistics.median(run[key] for run in runs[mode])

        base_shown, base_peak = median("baseline", "shown_s"), median("baseline", "peak_mb")
        base_cpu, shown_cpu = median("baseline", "shown_cpu_s"), median("ours", "shown_cpu_s")
        shown, populated = median("ours", "shown_s"), median("ours", "populated_s")
        rendered, peak = median("ours", "ms"), median("ours", "peak_mb")
        print(f"\n{size:,} incidents (median of {args.repeat}; load average {_load()} after)")
        print(f"{'':34}{'ours':>10}{'baseline':>10}{'ratio':>8}  target")
        print(
            f"  {'window shown, s':32}{shown:10.2f}{base_shown:10.2f}{shown / base_shown:7.2f}x"
            f"  <=2x: {'ok' if shown <= 2 * base_shown else 'OVER'}"
        )
        print(
            f"  {'window shown, CPU s':32}{shown_cpu:10.2f}{base_cpu:10.2f}"
            f"{shown_cpu / base_cpu:7.2f}x  <=2x: {'ok' if shown_cpu <= 2 * base_cpu else 'OVER'}"
        )
        print(
            f"  {'window populated, s':32}{populated:10.2f}{base_shown:10.2f}"
            f"{populated / base_shown:7.2f}x  <=1.0 s: {'ok' if populated <= 1.0 else 'OVER'}"
        )
        populated_cpu = median("ours", "populated_cpu_s")
        print(f"  {'window populated, CPU s':32}{populated_cpu:10.2f}")
        print(
            f"  {'select and render incident, ms':32}{rendered:10.1f}{'':>10}{'':>8}"
            f"  <100 ms: {'ok' if rendered < 100 else 'OVER'}"
        )
        renders = sorted(run["ms"] for run in runs["ours"])
        p95 = (
            statistics.quantiles(renders, n=20, method="inclusive")[18]
            if len(renders) > 1
            else renders[0]
        )
        print(f"  {'  each run, ms':32}{' '.join(f'{ms:.0f}' for ms in renders)}  (p95 {p95:.0f})")
        limit = 2 * base_peak + 150
        print(
            f"  {'peak memory, MB':32}{peak:10.0f}{base_peak:10.0f}{peak / base_peak:7.2f}x"
            f"  <{limit:.0f} MB: {'ok' if peak < limit else 'OVER'}"
        )
    work.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
