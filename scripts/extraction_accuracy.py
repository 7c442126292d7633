#!/usr/bin/env python3
"""Per-field accuracy of extraction on the real-article corpus (tests/fixtures/corpus).

    .venv/bin/python scripts/extraction_accuracy.py [--failures] [--field F] [--file PART]

Prints, for every field and every rendering, how many hand-written checks the import
pipeline passes; --failures lists each failed check with what was expected and what came out.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.corpus_scoring import CORPUS, score, summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--failures", action="store_true", help="list every failed check")
    parser.add_argument("--field", help="only this field's failures")
    parser.add_argument("--file", help="only this file's failures (substring)")
    args = parser.parse_args()
    checks = score(args.corpus)
    table = summary(checks)
    files = len({c.file for c in checks})
    print(f"{len(checks)} checks over {files} files")
    print(f"{'field':<26}{'passed':>8}{'total':>8}{'accuracy':>10}")
    fields = sorted(k for k in table if ":" not in k and k != "all")
    renderings = sorted(k for k in table if k.startswith("rendering:"))
    for key in [*fields, *renderings, "all"]:
        passed, total = table[key]
        print(f"{key:<26}{passed:>8}{total:>8}{passed / total:>10.1%}")
    if args.failures or args.field or args.file:
        for check in checks:
            if check.ok or (args.field and check.field != args.field):
                continue
            if args.file and args.file not in check.file:
                continue
            print(
                f"FAIL {check.file} [{check.field}] expected {check.expected!r} got {check.got!r}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
