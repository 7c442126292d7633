#!/usr/bin/env python3
"""Pin again what the installers bundle: resolve the program's dependencies afresh and
write packaging/constraints.txt.

The constraints file holds the exact version of every package the frozen program carries
(the dependencies in pyproject.toml and theirs), so that a release bundles what was tested,
not whatever resolves on the day it is built. It changes only when someone runs this (make
constraints), reads the difference, and commits it with the reason.

    python3 scripts/refresh_constraints.py [--output FILE]

It makes a throwaway virtual environment, installs the project there without constraints
(the newest versions pyproject.toml allows), and writes what got installed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "packaging" / "constraints.txt"
PROJECT = "incident-archive-viewer"
HEADER = """\
# What the installers bundle, pinned: the program's dependencies (pyproject.toml) and
# theirs, resolved together. Used by every install of the project (make test, make package,
# CI through packaging/ci-check-package; the Windows and macOS recipes in
# packaging/README.md), so that tests run on what ships and a release bundles what was
# tested. Refreshed on purpose only: `make constraints` (scripts/refresh_constraints.py),
# then review the difference and commit it with the reason.
"""


def resolve(root: Path) -> list[str]:
    """name==version of every package installing the project pulls in, sorted by name."""
    with tempfile.TemporaryDirectory(prefix="constraints-") as folder:
        env = Path(folder) / "venv"
        venv.EnvBuilder(with_pip=True).create(env)
        python = env / ("Scripts" if sys.platform == "win32" else "bin") / "python"
        pip = [str(python), "-m", "pip", "--disable-pip-version-check", "-q"]
        subprocess.run([*pip, "install", str(root)], check=True)
        frozen = subprocess.run(
            [*pip, "freeze", "--all", "--exclude", "pip", "--exclude", "setuptools"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    pins = [
        line.strip()
        for line in frozen.splitlines()
        if "==" in line and not line.lower().startswith(PROJECT + "==")
    ]
    return sorted(pins, key=lambda pin: pin.split("==")[0].lower())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    pins = resolve(ROOT)
    args.output.write_text(HEADER + "".join(pin + "\n" for pin in pins), encoding="utf-8")
    print(f"{len(pins)} packages pinned in {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
