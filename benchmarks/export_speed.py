"""Exports of a large archive: incidents per second and peak memory, each format.

Builds (or reuses with --keep DIR) a synthetic archive of --size incidents
(benchmarks/synthetic_archive.py: 4,000-character bodies, 2% tagged, 1% annotated), then
runs `incident-viewer export --format F --output FILE` in a child process per format and
reads the child's peak resident set (VmHWM) as it exits. The floor beside each figure is a
plain sqlite3 read of the same incidents' rows and their children (no objects, no output),
measured in the same run. Targets (issue 13): >= 2,000 incidents/s and < 400 MB.

    .venv/bin/python benchmarks/export_speed.py [--size 10000] [--formats json csv ...]
        [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = r"""
import json, sys, time
started = time.perf_counter()
from viewer.__main__ import main
status = main(sys.argv[1:])
with open("/proc/self/status") as handle:
    peak = next(int(line.split()[1]) for line in handle if line.startswith("VmHWM:")) / 1024
print(json.dumps({"status": status, "peak_mb": peak, "s": time.perf_counter() - started}),
      file=sys.stderr)
"""
FLOOR = r"""
import json, sqlite3, sys, time
started = time.perf_counter()
connection = sqlite3.connect(sys.argv[1])
count = 0
for (incident_id,) in connection.execute("SELECT id FROM incidents ORDER BY id").fetchall():
    connection.execute("SELECT * FROM incidents WHERE id = ?", (incident_id,)).fetchall()
    count += 1
for table in ("sections", "infobox_fields", "sources", "perpetrators", "incident_terms",
              "reactions", "events", "see_also"):
    for _row in connection.execute(f"SELECT * FROM {table} ORDER BY incident_id"):
        pass
print(json.dumps({"count": count, "s": time.perf_counter() - started}))
"""
TARGET_RATE, TARGET_MB = 2000, 400


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--formats", nargs="+", default=["json", "csv", "markdown", "csl-json"])
    parser.add_argument("--keep", type=Path, help="build the archive here and keep it")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    sys.path.insert(0, str(ROOT))
    from synthetic_archive import benchmark_archive

    work, archive = benchmark_archive(args.size, args.keep, "export-bench-")
    environment = {**os.environ, "PYTHONPATH": str(ROOT),
                   "INCIDENT_VIEWER_HOME": str(Path(work.name) / "home")}  # fmt: skip
    command = [sys.executable, "-c", FLOOR, str(archive)]
    floor_run = subprocess.run(command, capture_output=True, text=True, check=True)
    floor = json.loads(floor_run.stdout)
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; "
          f"{args.size:,} synthetic incidents")  # fmt: skip
    print(f"floor (plain sqlite3 reads every incident's rows): {floor['s']:.1f} s, "
          f"{floor['count'] / floor['s']:,.0f} incidents/s")  # fmt: skip
    print(f"{'format':10}{'s':>8}{'incidents/s':>13}{'peak MB':>9}{'size MB':>9}  target")
    for fmt in args.formats:
        output = Path(work.name) / f"export.{fmt}"
        started = time.perf_counter()
        finished = subprocess.run(
            [sys.executable, "-c", CHILD, "--archive", str(archive), "export", "--format", fmt,
             "--output", str(output)],
            capture_output=True, text=True, env=environment, check=False,
        )  # fmt: skip
        elapsed = time.perf_counter() - started
        report = json.loads(finished.stderr.strip().splitlines()[-1])
        if report["status"] != 0:
            raise SystemExit(f"export {fmt} failed:\n{finished.stderr}")
        rate = args.size / elapsed
        met = rate >= TARGET_RATE and report["peak_mb"] < TARGET_MB
        print(
            f"{fmt:10}{elapsed:8.1f}{rate:13,.0f}{report['peak_mb']:9.0f}"
            f"{output.stat().st_size / 2**20:9.0f}  >= {TARGET_RATE:,}/s and < {TARGET_MB} MB: "
            f"{'met' if met else 'NOT MET'}"
        )
        output.unlink()
    work.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
