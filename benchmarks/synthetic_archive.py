"""A large synthetic archive for the table, chart and scope benchmarks.

Incidents over 1900-2025 (denser in recent decades) with skewed perpetrator, place, country
and type names, tolls with ranges and open ends, a few tags and annotations, written
through db.store.ArchiveWriter so the schema and indexes are the real ones.

    .venv/bin/python benchmarks/synthetic_archive.py PATH [--count 100000]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from db import open_archive  # noqa: E402
from db.records import Facts, IncidentRecord, PerpetratorRecord, TermRecord, Toll  # noqa: E402
from db.store import ArchiveWriter  # noqa: E402

FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2025, 12, 31)
TYPES = ["Bombing", "Suicide bombing", "Mass shooting", "Massacre", "Car bombing", "Arson",
         "Hostage taking", "Stabbing", "Airstrike", "Assassination"]  # fmt: skip


def _toll(rng: random.Random) -> Toll:
    if rng.random() < 0.1:
        return Toll()
    low = int(rng.paretovariate(1.2)) - 1
    high = low + (rng.randint(0, 5) if rng.random() < 0.3 else 0)
    return Toll(low, high, rng.random() < 0.1, str(low))


def benchmark_archive(
    size: int, keep: Path | None, prefix: str
) -> tuple[tempfile.TemporaryDirectory[str], Path]:
    """A scratch folder (removed with the returned object) and a synthetic archive of size
    incidents, built in keep (and reused from there) or in the scratch folder."""
    work = tempfile.TemporaryDirectory(prefix=prefix)
    folder = keep or Path(work.name)
    folder.mkdir(parents=True, exist_ok=True)
    archive = folder / f"synthetic-{size}.sqlite"
    if not archive.exists():
        build_archive(archive, size)
    return work, archive


def program_environment(work: tempfile.TemporaryDirectory[str], root: Path) -> dict[str, str]:
    """The environment a benchmark starts the program in: bytecode written as an install
    leaves it, a data folder of its own in the scratch folder, the checkout importable."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environment["INCIDENT_VIEWER_HOME"] = str(Path(work.name) / "home")
    environment["PYTHONPATH"] = str(root)
    return environment


def build_archive(path: Path, count: int, body_chars: int = 4000, seed: int = 1) -> None:
    """Write count incidents to a new archive at path; 2% get a tag, 1% an annotation."""
    rng = random.Random(seed)
    words = [f"word{n}" for n in range(4000)]
    perpetrators = [f"Group {n}" for n in range(400)]
    places = [f"Place {n}" for n in range(300)]
    countries = [f"Country {n}" for n in range(120)]

    def pick(names: list[str], skew: float) -> str:
        return names[min(int(rng.paretovariate(skew)) - 1, len(names) - 1)]

    started = time.perf_counter()
    with open_archive(path) as archive:
        _incidents(archive, count, body_chars, rng, pick, words, perpetrators, places, countries)
        with archive.raw_connection() as raw:  # the research layer in plain sqlite3
            _research_layer(raw, count, rng)
    print(f"built {count:,} incidents in {time.perf_counter() - started:.1f} s: {path}")


def _incidents(archive: Any, count: int, body_chars: int, rng: random.Random, pick: Any,
               words: list[str], perpetrators: list[str], places: list[str],
               countries: list[str]) -> None:  # fmt: skip
    first, last = FIRST_DAY.toordinal(), LAST_DAY.toordinal()
    with archive.bulk() as connection:
        writer = ArchiveWriter(connection)
        for index in range(count):
            day = date.fromordinal(int(first + rng.random() ** 0.5 * (last - first)))
            perpetrator = [PerpetratorRecord(pick(perpetrators, 0.8), rng.random() < 0.3)]
            terms = [TermRecord("place", pick(places, 0.9)), TermRecord("place", "Province")]
            if rng.random() < 0.8:
                terms.append(TermRecord("type", pick(TYPES, 1.1)))
            facts = Facts(
                date_start=day.isoformat(),
                date_end=day.isoformat(),
                date_text=day.isoformat(),
                date_precision="day",
                country=None if rng.random() < 0.05 else pick(countries, 0.9),
                fatalities=_toll(rng),
                injuries=_toll(rng),
                perpetrators=perpetrator if rng.random() > 0.2 else [],
                terms=terms,
            )
            title = f"Synthetic incident {index}"
            offset = rng.randrange(len(words))
            body = title + "\n" + " ".join(words[offset:] + words[:offset])[:body_chars]
            record = IncidentRecord(
                title, title.lower(), body, [], [], f"synthetic/{index}.txt", "text",
                hashlib.sha256(title.encode()).hexdigest(), title, facts,
            )  # fmt: skip
            writer.store(record)
            if index % 5000 == 4999:
                writer.commit()
        writer.commit()


def _research_layer(connection: object, count: int, rng: random.Random) -> None:
    import sqlite3

    assert isinstance(connection, sqlite3.Connection)
    now = "2025-01-01T00:00:00+00:00"
    connection.execute("BEGIN")
    for n, name in enumerate(("to read", "verified", "disputed")):
        connection.execute(
            "INSERT INTO tags (id, name, name_key, color, created_at) VALUES (?, ?, ?, ?, ?)",
            (n + 1, name, name, "#e57373", now),
        )
    tagged = rng.sample(range(1, count + 1), count // 50)
    connection.executemany(
        "INSERT INTO incident_tags (incident_id, tag_id) VALUES (?, ?)",
        [(i, rng.randint(1, 3)) for i in tagged],
    )
    annotated = rng.sample(range(1, count + 1), count // 100)
    connection.executemany(
        'INSERT INTO annotations (uuid, incident_id, quote, prefix, suffix, start, "end", color, '
        "note, orphaned, anchored_by, created_at, modified_at) "
        "VALUES (?, ?, 'Synthetic', '', '', 0, 9, 'yellow', NULL, 0, 'position', ?, ?)",
        [(f"uuid-{i}", i, now, now) for i in annotated],
    )
    connection.execute("COMMIT")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--body-chars", type=int, default=4000)
    args = parser.parse_args()
    build_archive(args.path, args.count, args.body_chars)


if __name__ == "__main__":
    main()
