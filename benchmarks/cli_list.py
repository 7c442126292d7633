"""`incident-viewer list` (and `list --json`) on a large archive: time and peak memory of the
whole command, against a floor measured in the same run, taking turns: plain `sqlite3`
reading the same columns from the same covering index and writing one line per incident.

    .venv/bin/python benchmarks/cli_list.py [--size 100000] [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Each run reports its own peak resident memory (VmHWM) when it exits: ru_maxrss of a child
# counts the benchmark's own pages it was forked with.
WRAPPER = """
import atexit, runpy, sys
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            sys.stderr.write("PEAK " + line.split()[1] + "\\n")
atexit.register(peak)
kind, sys.argv = sys.argv[1], sys.argv[1:]
if kind == "floor":
    exec(FLOOR)
else:
    sys.argv[0] = "incident-viewer"
    runpy.run_module("viewer", run_name="__main__", alter_sys=True)
"""
FLOOR = """
import sqlite3, sys
connection = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
out = sys.stdout
count = 0
for dated in ("IS NOT NULL", "IS NULL"):
    for row in connection.execute(
        "SELECT id, title, date_start, date_end, location_text, fatalities_min, "
        f"fatalities_max, fatalities_open FROM incidents WHERE date_start {dated} "
        "ORDER BY date_start, title_key"
    ):
        out.write(f"{row[0]:>6}  {row[2] or '----------'}  {row[5]!s:>8}  {row[1]}\\n")
        count += 1
print(count, "incidents", file=sys.stderr)
"""


def timed(command: list[str], environment: dict[str, str]) -> tuple[float, float]:
    """Seconds and peak resident memory (MB) of one run, its output thrown away."""
    started = time.perf_counter()
    finished = subprocess.run(
        [sys.executable, "-c", f"FLOOR = {FLOOR!r}\n" + WRAPPER, *command],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if finished.returncode != 0:
        raise SystemExit(f"{command} failed ({finished.returncode}):\n{finished.stderr.decode()}")
    peaks = [line for line in finished.stderr.decode().splitlines() if line.startswith("PEAK ")]
    return elapsed, int(peaks[-1].split()[1]) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the archive here and keep it")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    sys.path.insert(0, str(ROOT))
    from synthetic_archive import benchmark_archive, program_environment

    work, archive = benchmark_archive(args.size, args.keep, "cli-list-")
    environment = program_environment(work, ROOT)
    kinds = {
        "floor (sqlite3, same index)": ["floor", str(archive)],
        "list": ["viewer", "--archive", str(archive), "list"],
        "list --json": ["viewer", "--archive", str(archive), "list", "--json"],
    }
    peaks: dict[str, float] = {}
    for kind, command in kinds.items():  # bytecode written, files in the page cache
        peaks[kind] = timed(command, environment)[1]
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    for _turn in range(args.repeat):
        for kind, command in kinds.items():
            times[kind].append(timed(command, environment)[0])
    floor = statistics.median(times["floor (sqlite3, same index)"])
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print(f"median of {args.repeat} runs, taking turns; archive of {args.size:,} incidents")
    print(f"  {'':32}{'seconds':>9}{'ratio':>8}{'peak MB':>9}")
    for kind, values in times.items():
        median = statistics.median(values)
        print(f"  {kind:32}{median:9.2f}{median / floor:7.1f}x{peaks[kind]:9.0f}")
    work.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
