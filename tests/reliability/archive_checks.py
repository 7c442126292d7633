"""What the reliability tests check of an archive after a kill or beside another program:
SQLite's integrity check, and every article whole (as an import that ran alone stored it)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from db import open_archive
from tests.conftest import ROOT
from viewer.services.importing import import_paths

# the two samples and the real fixtures: 16 articles in three formats
ARTICLES = [ROOT / "resources" / "samples" / "articles", ROOT / "tests" / "fixtures" / "real"]
ARTICLE_COUNT = 16

Snapshot = dict[str, tuple[object, ...]]


def snapshot(path: Path) -> Snapshot:
    """Each article by title: its text, source, and how many rows of each kind it has."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT i.title, i.body, s.raw_text, s.sha256,"
            " (SELECT count(*) FROM sections WHERE incident_id = i.id),"
            " (SELECT count(*) FROM infobox_fields WHERE incident_id = i.id),"
            " (SELECT count(*) FROM reactions WHERE incident_id = i.id),"
            " (SELECT count(*) FROM events WHERE incident_id = i.id),"
            " (SELECT count(*) FROM incident_fts WHERE rowid = i.id)"
            " FROM incidents i LEFT JOIN sources s ON s.incident_id = i.id"
        ).fetchall()
    finally:
        connection.close()
    return {row[0]: row[1:] for row in rows}


def integrity(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        connection.close()


def reference_snapshot(path: Path) -> Snapshot:
    """The articles as an import that runs alone, never killed, stores them."""
    with open_archive(path) as archive:
        report = import_paths(archive, ARTICLES, workers=0)
    assert report.imported == ARTICLE_COUNT and not report.rejected
    return snapshot(path)
