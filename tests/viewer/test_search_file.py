"""`search` on an archive file reads it directly with sqlite3 (viewer/services/search_results.py)
and must find exactly what catalog.search finds through the archive's engine."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db import Archive, open_archive
from db.search_grammar import SearchQueryError
from viewer.services import catalog
from viewer.services.search_results import search_file

pytestmark = pytest.mark.engines("sqlite")

QUERIES = [
    "bombing", "Mastung", "bomb*", "title:bombing", '"suicide bomber"', "balochistan OR mastung",
    "nothingmatchesthis", "kill* NOT mastung", "notes:check",
]  # fmt: skip


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("limit", [1, 20])
def test_the_file_read_directly_finds_what_the_engine_finds(
    seeded_archive: Archive, query: str, limit: int
) -> None:
    from viewer.services import research

    research.save_note(seeded_archive, catalog.list_summaries(seeded_archive)[0].id, "check this")
    assert search_file(seeded_archive.path, query, limit=limit) == catalog.search(
        seeded_archive, query, limit=limit
    )


def test_more_matches_than_are_ranked_are_listed_newest_first_alike(
    seeded_archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    import db.fts_search
    import db.queries

    monkeypatch.setattr(db.queries, "RANK_LIMIT", 1)
    monkeypatch.setattr(db.fts_search, "RANK_LIMIT", 1)
    direct = search_file(seeded_archive.path, "bombing")
    assert direct is not None and not direct.ranked
    assert direct == catalog.search(seeded_archive, "bombing")


@pytest.mark.parametrize("query", ['"unclosed', "title:", "AND AND", "body:(x"])
def test_a_query_it_cannot_run_is_refused_alike(seeded_archive: Archive, query: str) -> None:
    with pytest.raises(SearchQueryError) as engine:
        catalog.search(seeded_archive, query)
    with pytest.raises(SearchQueryError) as direct:
        search_file(seeded_archive.path, query)
    assert str(direct.value) == str(engine.value)


def test_an_archive_it_cannot_read_as_it_is_is_left_to_the_usual_way(tmp_path: Path) -> None:
    assert search_file(tmp_path / "missing.sqlite", "x") is None
    assert search_file(tmp_path, "x") is None  # a folder
    (tmp_path / "text.sqlite").write_text("not a database")
    assert search_file(tmp_path / "text.sqlite", "x") is None
    older = tmp_path / "older.sqlite"
    with open_archive(older):
        pass
    with sqlite3.connect(older) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0001'")
    assert search_file(older, "x") is None
