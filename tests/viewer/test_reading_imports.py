"""What the reader's service loads (issue 13): the first incident a researcher opens waits on
the worker for viewer.services.reading's import. It once imported the corrections service,
and with it extraction's list parsers and the whole parsing package (mwparserfromhell, the
XML and wikitext readers): about 0.2 s of an incident's first render at 100,000 incidents,
where the reader needs only the stored corrections."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = "import json, sys; import viewer.services.reading; print(json.dumps(sorted(sys.modules)))"

NOT_FOR_READING = (
    "viewer.parsing",
    "viewer.services.corrections",
    "viewer.extraction.lists",
    "viewer.extraction.gazetteer",
    "mwparserfromhell",
)


def test_reading_the_incident_imports_no_parser_or_extractor(tmp_path: Path) -> None:
    finished = subprocess.run(
        [sys.executable, "-c", CHILD],
        capture_output=True, text=True, timeout=120, check=True, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    loaded = set(json.loads(finished.stdout))
    assert "viewer.services.reading" in loaded
    assert {name for name in loaded if name.startswith(NOT_FOR_READING)} == set()
