"""A few thousand fuzzed inputs in every test run (`make fuzz` runs 100,000): mutated seeds
and fixtures through every importer, annotation files through the annotation importer,
random queries through search; none may raise or hang (tests/reliability/fuzzing.py)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.reliability.fuzzing import Fuzzer, fuzz, summary

# a different seed every local run widens what the test run covers over time; the summary
# names it, and FUZZ_SEED=N replays a run. CI (CI=true) runs one fixed seed, so that whether
# a change lands never depends on the draw: new inputs are make fuzz's job
INPUTS = 2_000
CI_SEED = 20261202


def test_fuzzed_inputs_raise_nothing_and_never_hang(tmp_path: Path) -> None:
    seed = int(os.environ.get("FUZZ_SEED", "0")) or (
        CI_SEED if os.environ.get("CI") else int.from_bytes(os.urandom(3), "big")
    )
    fuzzer = Fuzzer(seed, tmp_path)
    try:
        tally = fuzz(fuzzer, INPUTS)
    finally:
        fuzzer.close()
    assert tally.total >= INPUTS
    first = tally.findings[0].error if tally.findings else ""
    assert not tally.findings, f"{summary(tally, seed)}\n{first}"
