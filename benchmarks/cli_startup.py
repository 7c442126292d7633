"""Command-line start-up against a bare interpreter start of the same venv, in the same run.

Starts, taking turns so that a busy machine slows every kind alike, --repeat child
processes of each:

- bare: `python -c pass` with the interpreter that runs the program (its site-packages
  and the editable install's path hook included);
- `incident-viewer --version`, `incident-viewer --help`;
- `incident-viewer --archive A search QUERY --json` on a synthetic archive of --size
  incidents (benchmarks/synthetic_archive.py; built once, or reused with --keep DIR).

Times are wall-clock from starting the child to its exit; each kind reports its median and
its ratio to the bare start's median. Bytecode is written and warmed first (a pip install
compiles it; PYTHONDONTWRITEBYTECODE would make every start compile the program again).
Targets (issue 13): --version <= 4x the bare start, search <= 10x.

    .venv/bin/python benchmarks/cli_startup.py [--size 100000] [--repeat 15] [--keep DIR]
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
SCRIPT = Path(sys.executable).parent / "incident-viewer"  # the installed console script
PROGRAM = (
    [str(SCRIPT)]
    if SCRIPT.exists()
    else [sys.executable, "-c", "import sys; from viewer.__main__ import main; sys.exit(main())"]
)
TARGETS = {"--version": 4.0, "search": 10.0}


def timed(command: list[str], environment: dict[str, str]) -> float:
    started = time.perf_counter()
    finished = subprocess.run(command, env=environment, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if finished.returncode != 0:
        raise SystemExit(f"{command} failed ({finished.returncode}):\n{finished.stderr.decode()}")
    return elapsed * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--query", default="word17")
    parser.add_argument("--keep", type=Path, help="build the archive here and keep it")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    sys.path.insert(0, str(ROOT))
    from synthetic_archive import benchmark_archive, program_environment

    work, archive = benchmark_archive(args.size, args.keep, "cli-bench-")
    environment = program_environment(work, ROOT)
    kinds = {
        "bare": [sys.executable, "-c", "pass"],
        "--version": [*PROGRAM, "--version"],
        "--help": [*PROGRAM, "--help"],
        "search": [*PROGRAM, "--archive", str(archive), "search", args.query, "--json"],
    }
    for command in kinds.values():  # bytecode written, files in the page cache
        timed(command, environment)
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    for _turn in range(args.repeat):
        for kind, command in kinds.items():
            times[kind].append(timed(command, environment))
    bare = statistics.median(times["bare"])
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print(f"median of {args.repeat} starts, taking turns; archive of {args.size:,} incidents")
    print(f"{'':34}{'ms':>8}{'ratio':>8}  target")
    for kind, values in times.items():
        median = statistics.median(values)
        label = f"search {args.query} --json" if kind == "search" else kind
        target = TARGETS.get(kind)
        verdict = ""
        if target is not None:
            verdict = f"<= {target:g}x: {'met' if median <= target * bare else 'NOT MET'}"
        print(f"  {label:32}{median:8.1f}{median / bare:7.1f}x  {verdict}")
    work.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
