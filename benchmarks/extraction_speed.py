"""Time to read the facts of one article (extraction), per article, beside the time to parse
the same article in the same run.

    .venv/bin/python benchmarks/extraction_speed.py [--count 1000] [--repeat 3]

Two corpora: the synthetic benchmark corpus of benchmarks/import_search.py (the seeds varied)
and the real-article corpus of tests/fixtures/corpus. For each, the median and 90th
percentile of extraction per article, and parsing the same files as the same-run floor
(a ratio is what carries between machines; the absolute figure is for the issue's target
of 1 ms per article). CPU time of this process is counted (the machine is shared), the
best of --repeat runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from import_search import build_corpus  # noqa: E402

from viewer.extraction.facts import extract_facts  # noqa: E402
from viewer.parsing import ArticleProblem, ParsedArticle, parse_path  # noqa: E402


def _articles(files: list[Path]) -> list[ParsedArticle]:
    return [a for f in files for a in parse_path(f) if not isinstance(a, ArticleProblem)]


def _timed(items: list[object], work: Callable[[object], object]) -> list[float]:
    times = []
    for item in items:
        start = time.process_time()
        work(item)
        times.append(time.process_time() - start)
    return times


def _measure(name: str, files: list[Path], repeat: int) -> None:
    articles = _articles(files)
    laid = [(a, *a.layout()) for a in articles]
    best_extract: list[float] | None = None
    best_parse: list[float] | None = None
    for _ in range(repeat):
        parse = _timed(list(files), lambda f: list(parse_path(f)))  # type: ignore[arg-type]
        extract = _timed(laid, lambda item: extract_facts(*item))  # type: ignore[misc]
        if best_extract is None or statistics.median(extract) < statistics.median(best_extract):
            best_extract, best_parse = extract, parse
    assert best_extract is not None and best_parse is not None
    median = statistics.median(best_extract) * 1000
    p90 = sorted(best_extract)[int(len(best_extract) * 0.9)] * 1000
    floor = statistics.median(best_parse) * 1000
    print(
        f"{name:<22} {len(articles):>6} articles  extraction median {median:6.2f} ms  "
        f"p90 {p90:6.2f} ms  | parsing (floor) {floor:5.2f} ms  ratio {median / floor:4.1f}x"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        build_corpus(Path(folder), args.count)
        synthetic = sorted(p for p in Path(folder).rglob("*") if p.is_file())
        _measure("benchmark corpus", synthetic, args.repeat)
    corpus = ROOT / "tests" / "fixtures" / "corpus"
    real = sorted(
        p
        for p in corpus.rglob("*")
        if p.is_file()
        and p.parent.name != "expected"
        and p.name != "ATTRIBUTION.md"
        and p != corpus / "README.md"  # how the corpus is laid out, not an article
    )
    _measure("real-article corpus", real, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
