"""Peak memory of importing large MediaWiki exports: one page of 20 MB, and a 200 MB file of
many pages, each imported by `incident-viewer import` in a child process.

The pages are the Berlin attack article of the test fixtures (44 KB of real wikitext): the
large page is its infobox and lead followed by its sections repeated (headings numbered)
until the size is reached; the many-page file is the whole article under numbered titles.
Each import runs in a new process whose peak resident memory (VmHWM) is read at its end, and
so is the peak of the worker process that parsed the file (RUSAGE_CHILDREN once the workers
have stopped). The floor, measured in the same run, is the same child importing one small
article: what the program costs before any large page.

    .venv/bin/python benchmarks/import_memory.py [--page-mb 20] [--file-mb 200] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "tests" / "fixtures" / "real" / "2016-berlin-attack.wiki"
HEAD = (
    '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">\n'
    "<siteinfo><sitename>Wikipedia</sitename>"
    "<base>https://en.wikipedia.org/wiki/Main_Page</base></siteinfo>\n"
)
TAIL = "</mediawiki>\n"


def _page(title: str, text: str, page_id: int) -> str:
    return (
        f"<page><title>{escape(title)}</title><ns>0</ns><id>{page_id}</id>"
        f"<revision><id>{page_id}</id><timestamp>2024-01-01T00:00:00Z</timestamp>"
        f'<text bytes="{len(text)}" xml:space="preserve">{escape(text)}</text>'
        "</revision></page>\n"
    )


def large_page_text(size: int) -> str:
    """The sample's infobox and lead, then its sections repeated until size characters."""
    text = SAMPLE.read_text(encoding="utf-8")
    lead, _, body = text.partition("\n==")
    body = "==" + body
    parts = [lead]
    length = len(lead)
    number = 0
    while length < size:
        number += 1
        part = body.replace("==\n", f" {number}==\n", 1) if number > 1 else body
        parts.append("\n" + part)
        length += len(part) + 1
    return "".join(parts)[:size]


def write_one_page(path: Path, megabytes: float) -> None:
    text = large_page_text(int(megabytes * 2**20))
    path.write_text(HEAD + _page("2016 Berlin attack (large)", text, 1) + TAIL, encoding="utf-8")


def write_many_pages(path: Path, megabytes: float) -> int:
    """About megabytes of the sample as numbered pages; returns how many pages."""
    text = SAMPLE.read_text(encoding="utf-8")
    target = megabytes * 2**20
    written = 0
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        while written < target:
            count += 1
            page = _page(f"2016 Berlin attack no. {count}", text.replace("2016", "2016", 1), count)
            out.write(page)
            written += len(page)
        out.write(TAIL)
    return count


def _vmhwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(source: Path, archive: Path, max_mb: float) -> dict[str, float]:
    from viewer import cli
    from viewer.services.preparing import shared_pool

    started = time.perf_counter()
    status = cli.run(
        ["--archive", str(archive), "import", str(source), "--max-article-size", f"{max_mb:g}"]
    )
    elapsed = time.perf_counter() - started
    shared_pool().shutdown()  # the worker is waited for: its peak counts in RUSAGE_CHILDREN
    return {
        "status": status,
        "seconds": elapsed,
        "importer_mb": _vmhwm_mb(),
        "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def _child(source: Path, archive: Path, max_mb: float) -> dict[str, float]:
    for stale in archive.parent.glob(archive.name + "*"):
        stale.unlink()
    result = subprocess.run(
        [sys.executable, __file__, "--child", str(source), str(archive), f"{max_mb:g}"],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = result.stdout.strip().splitlines()
    if not lines or not lines[-1].startswith("{"):
        raise SystemExit(f"the child failed:\n{result.stdout}\n{result.stderr}")
    figures: dict[str, float] = json.loads(lines[-1])
    summary = next((x for x in lines if "imported" in x), "")
    rejected = [x for x in result.stderr.splitlines() if "rejected:" in x]
    figures["summary"] = summary + (f"; {rejected[0]}" if rejected else "")  # type: ignore[assignment]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--page-mb", type=float, default=20)
    parser.add_argument("--file-mb", type=float, default=200)
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        source, archive, max_mb = args.child
        print(json.dumps(run_child(Path(source), Path(archive), float(max_mb))))
        return
    work = args.keep or Path(tempfile.mkdtemp(prefix="iav-memory-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    try:
        small = work / "small.xml"
        write_many_pages(small, 0.01)
        one = work / f"page-{args.page_mb:g}mb.xml"
        if not one.exists():
            write_one_page(one, args.page_mb)
        many = work / f"file-{args.file_mb:g}mb.xml"
        pages = write_many_pages(many, args.file_mb)
        limit = max(50.0, args.page_mb * 1.5)
        runs = [
            ("floor: one 44 KB page", small, 50.0),
            (f"one {args.page_mb:g} MB page", one, limit),
            (f"{args.file_mb:g} MB file, {pages:,} pages", many, 50.0),
        ]
        print(f"  {'':34}{'importer':>10}{'worker':>10}{'seconds':>9}")
        for label, source, max_mb in runs:
            got = _child(source, work / "archive.sqlite", max_mb)
            print(
                f"  {label:34}{got['importer_mb']:>8.0f}MB{got['worker_mb']:>8.0f}MB"
                f"{got['seconds']:>9.1f}  ({got['summary']})"
            )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
