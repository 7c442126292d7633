"""All SQL lives in db/: the services hold none, and their archive calls reuse pooled
connections instead of opening one per call."""

from __future__ import annotations

import ast
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from db import Archive
from viewer.services import research, timeline

SERVICES = Path(__file__).resolve().parents[2] / "viewer" / "services"
# statements as this code base writes them: keywords in capitals
SQL = re.compile(
    r"\b(SELECT\s.+\sFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b",
    re.DOTALL,
)


def test_no_service_module_holds_a_sql_statement() -> None:
    found = []
    for path in sorted(SERVICES.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
                continue
            if SQL.search(node.value):
                found.append(f"{path.name}:{node.lineno}: {node.value[:60]!r}")
    assert found == []


def test_the_checker_would_see_one() -> None:
    assert SQL.search("SELECT id FROM incidents")
    assert SQL.search("INSERT OR IGNORE INTO tags (name) VALUES (?)")
    assert not SQL.search("select the passage from the article")


def test_research_calls_reuse_pooled_connections(
    seeded_archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[object] = []
    connect = sqlite3.connect

    def counting_connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        opened.append(args)
        return connect(*args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", counting_connect)
    incident_id = (research.list_annotations(seeded_archive) and 0) or 1
    for n in range(30):
        research.tag_incident(seeded_archive, incident_id, [f"tag {n % 3}"])
        research.incident_tags(seeded_archive, incident_id)
        research.save_note(seeded_archive, incident_id, f"note {n}")
        timeline.timeline_bounds(seeded_archive)
    assert research.get_note(seeded_archive, incident_id)[0] == "note 29"
    # 120 calls, each on a connection from the pool: at most one newly opened
    assert len(opened) <= 1
