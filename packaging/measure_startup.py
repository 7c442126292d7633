"""Start-up time to the window: the frozen program against the same version in the venv.

    .venv/bin/python packaging/measure_startup.py [--frozen PROGRAM] [--runs 5]

Each run starts the program offscreen on a copy of an archive holding the bundled samples
(and once more on an archive that does not exist yet), with INCIDENT_VIEWER_HOME in a
temporary folder, and times launch to the moment the window writes the file named by
INCIDENT_VIEWER_READY_FILE (its archive is open); then SIGTERM closes it. The variants take
turns run by run, after one unmeasured warm-up each, and the medians are compared.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from build import BUNDLE, EXECUTABLE, ROOT, program_env, wait_for_window


def _prepared_archive(folder: Path, venv_program: Path) -> Path:
    archive = folder / "samples.sqlite"
    samples = ROOT / "resources" / "samples" / "articles"
    env = program_env(folder / "prepare-home")
    command = [str(venv_program), "--archive", str(archive), "import", str(samples)]
    subprocess.run(command, env=env, check=True, capture_output=True)
    return archive


def _one_run(program: Path, folder: Path, template: Path | None) -> float:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    archive = folder / "archive.sqlite"
    if template is not None:
        shutil.copyfile(template, archive)
    ready = folder / "ready"
    env = program_env(folder / "home", INCIDENT_VIEWER_READY_FILE=str(ready))
    return wait_for_window([program, "--archive", archive], env, ready)


def measure(programs: dict[str, Path], runs: int) -> dict[str, dict[str, list[float]]]:
    timings: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory(prefix="iav-startup-") as folder:
        tmp = Path(folder)
        template = _prepared_archive(tmp, programs["venv"])
        for case, source in (("existing archive", template), ("new archive", None)):
            timings[case] = {name: [] for name in programs}
            for program in programs.values():
                _one_run(program, tmp / "run", source)  # warm-up: caches, not counted
            for _ in range(runs):
                for name, program in programs.items():
                    timings[case][name].append(_one_run(program, tmp / "run", source))
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frozen", type=Path, default=BUNDLE / EXECUTABLE)
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv" / "bin" / EXECUTABLE)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    programs = {"frozen": args.frozen, "venv": args.venv}
    for name, program in programs.items():
        if not program.exists():
            parser.error(f"{name} program {program} does not exist")
    timings = measure(programs, args.runs)
    print(f"start-up to the window, offscreen, median of {args.runs} (seconds)")
    for case, by_program in timings.items():
        frozen = statistics.median(by_program["frozen"])
        venv = statistics.median(by_program["venv"])
        runs = ", ".join(f"{t:.2f}" for t in by_program["frozen"])
        runs_venv = ", ".join(f"{t:.2f}" for t in by_program["venv"])
        print(f"  {case}: frozen {frozen:.2f} [{runs}]  venv {venv:.2f} [{runs_venv}]")
        print(f"  {case}: frozen / venv = {frozen / venv:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
