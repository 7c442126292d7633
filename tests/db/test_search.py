"""Full-text search: the right article with a snippet, ranking, and query errors."""

from __future__ import annotations

import pytest

import db.queries
from db import Archive
from db.queries import SearchQueryError
from viewer.services import catalog


def test_search_finds_the_article_with_highlighted_snippet(seeded_archive: Archive) -> None:
    found = catalog.search(seeded_archive, "Mastung")
    assert found.ranked and found.total == 1
    (hit,) = found.results
    assert hit.title == "2023 Mastung bombing" and hit.date == "2023-09-29"
    assert "**Mastung**" in hit.snippet


def test_title_matches_rank_first(seeded_archive: Archive) -> None:
    found = catalog.search(seeded_archive, "Balochistan")
    assert found.total == 2
    assert found.results[0].title == "February 2024 Balochistan bombings"


def test_accents_phrases_prefixes_and_columns(seeded_archive: Archive) -> None:
    assert [r.title for r in catalog.search(seeded_archive, "Antonio Guterres").results] != []
    assert catalog.search(seeded_archive, '"Pakistani Taliban"').total == 1
    assert catalog.search(seeded_archive, "Gashko*").total == 1
    assert catalog.search(seeded_archive, "title:Balochistan").total == 1
    assert catalog.search(seeded_archive, "ul-Nabi").total == 1


def test_broad_queries_list_newest_first_without_ranking(
    seeded_archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db.queries, "RANK_LIMIT", 1)
    found = catalog.search(seeded_archive, "condemned")
    assert not found.ranked and found.total == 2
    assert found.total_text == "more than 1"
    ids = [r.id for r in found.results]
    assert ids == sorted(ids, reverse=True)


@pytest.mark.parametrize("query", ['"unbalanced', "AND OR", "*", "", "title:"])
def test_broken_queries_raise_a_query_error(seeded_archive: Archive, query: str) -> None:
    with pytest.raises(SearchQueryError):
        catalog.search(seeded_archive, query)
