"""Full-text search: the right article with a snippet, ranking, and query errors."""

from __future__ import annotations

from pathlib import Path

import pytest

import db.queries
from db import Archive
from db.search_grammar import SearchQueryError, to_fts_query
from viewer.services import catalog

pytestmark = pytest.mark.engines


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


@pytest.mark.parametrize(
    "query",
    # a lone surrogate: bytes that were not UTF-8 on a command line (found by fuzzing)
    ['"unbalanced', "AND OR", "*", "", "title:", "bomb\udcff", "\ud800"],
)
def test_broken_queries_raise_a_query_error(seeded_archive: Archive, query: str) -> None:
    with pytest.raises(SearchQueryError):
        catalog.search(seeded_archive, query)


def _matches(archive: Archive, fts_query: str) -> set[int]:
    with archive.raw_connection() as connection:
        rows = connection.execute(
            "SELECT rowid FROM incident_fts WHERE incident_fts MATCH ?", (fts_query,)
        ).fetchall()
    return {row[0] for row in rows}


@pytest.mark.engines("sqlite")  # the FTS5 vocabulary rewrite of prefixes
@pytest.mark.parametrize(
    ("query", "expanded"),
    [
        ("Gashko*", '("gashkori")'),
        ("Mastung condemn*", 'Mastung AND ("condemnation" OR "condemned" OR "condemning")'),
        ("title:Mast*", 'title:("mast" OR "mastermind" OR "mastung")'),
        ("bombing NOT Gashko*", 'bombing NOT ("gashkori")'),
        ("Antó*", '("antonio")'),  # folded as the index folds it
        # a quoted prefix stays as it is beside an expanded one
        ("ul-Nab* condemn*", '"ul-Nab"* AND ("condemnation" OR "condemned" OR "condemning")'),
    ],
)
def test_prefixes_become_the_terms_they_stand_for(
    seeded_archive: Archive, query: str, expanded: str
) -> None:
    """The rewritten query finds exactly what the prefix query finds."""
    fts_query = to_fts_query(query)
    with seeded_archive.session() as session:
        rewritten = db.queries.expand_prefixes(session, fts_query)
    assert rewritten == expanded
    assert _matches(seeded_archive, rewritten) == _matches(seeded_archive, fts_query)
    assert catalog.search(seeded_archive, query).total == len(_matches(seeded_archive, fts_query))


@pytest.mark.engines("sqlite")  # the FTS5 vocabulary rewrite of prefixes
@pytest.mark.parametrize("query", ["Ga*", "zzzqx*", "NEAR(Mastung bomb*, 5)", "ul-Nab*", "Mastung"])
def test_prefixes_that_are_left_alone(seeded_archive: Archive, query: str) -> None:
    """Too short, matching nothing, inside NEAR or a quoted word, or no prefix at all."""
    fts_query = to_fts_query(query)
    with seeded_archive.session() as session:
        assert db.queries.expand_prefixes(session, fts_query) == fts_query
    catalog.search(seeded_archive, query)  # and it still runs


@pytest.mark.parametrize(
    ("query", "fts_query"),
    [
        ("(Quetta OR Mastung) bombing", "( Quetta OR Mastung ) AND bombing"),
        ("title:(Quetta OR Mastung) condemned", "title:( Quetta OR Mastung ) AND condemned"),
        ("NEAR(Mastung bomb*, 5)", "NEAR( Mastung bomb* , 5 )"),
        ("NEAR(Mastung bombing,5) Pakistan", "NEAR( Mastung bombing , 5 ) AND Pakistan"),
        ("Pakistan's 1,017", '"Pakistan\'s" AND "1,017"'),
    ],
)
def test_groups_and_near_are_written_as_fts5_reads_them(
    seeded_archive: Archive, query: str, fts_query: str
) -> None:
    """FTS5 does not AND a parenthesised group with its neighbour by itself, and a NEAR
    distance follows a comma: both used to be syntax errors or wrong matches."""
    assert to_fts_query(query) == fts_query
    catalog.search(seeded_archive, query)  # runs without a query error


def test_a_search_is_bounded_by_what_it_shows_not_by_the_article(
    empty_archive: Archive, tmp_path: Path
) -> None:
    """FTS5's snippet() is quadratic in the instances of the matched words: an article of
    64,000 'bomb's took over a minute to show one result (a 10 MB article: 33 s). The
    snippet now comes from the first part of the text. (A hang guard, not a speed test: the
    bound is generous; benchmarks measure speed.)"""
    import time

    from viewer.services.importing import import_paths

    path = tmp_path / "repeat.txt"
    path.write_text("= Repeat attack =\n\n" + ("bomb " * 200 + "\n\n") * 320)
    import_paths(empty_archive, [path])
    started = time.monotonic()
    found = catalog.search(empty_archive, "bomb")
    assert time.monotonic() - started < 10
    assert found.results[0].snippet.startswith("**bomb** **bomb**")


def test_snippets_mark_the_query_words_folded_as_the_index_folds_them() -> None:
    from db.snippets import query_terms, snippet

    terms = query_terms('title:( "cafe" OR "bombe" ) AND bomb* NOT police AND "Pakistan\'s"')
    assert terms.whole == {"cafe", "bombe", "pakistan", "s"} and terms.prefixes == ("bomb",)
    text = "Police said the Café bombings in Pakistan's north were condemned."
    assert snippet(text, terms, ("[", "]"), 6) == "…said the [Café] [bombings] in [Pakistan]…"
    assert snippet("nothing here", terms, ("[", "]")) is None


@pytest.mark.parametrize("piece", [1, 3, 7, 40])
def test_snippets_read_in_pieces_are_the_snippets_of_the_whole_text(
    piece: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """db.snippets reads an article's words a piece at a time (with findall, to show a page
    of hits sooner): whatever the pieces, every word, its place and the chosen window are
    those of the text read at once, words across a piece's end included."""
    import random

    from db import snippets

    rng = random.Random(piece)
    vocabulary = ["Bomb", "bombs", "café", "Café's", "s", "police", "x", "Zürich", "zurich",
                  "attack-ers", "the", "1998", "ÉCOLE", "over", "ran"]  # fmt: skip
    queries = ["bomb*", "cafe OR zurich", "police attack", "s", "ecole the 1998", "x* over"]
    texts = [
        " ".join(rng.choice(vocabulary) + rng.choice([" ", ", ", "—", "\n", ""]) for _ in range(n))
        for n in (0, 1, 5, 30, 200)
        for _ in range(12)
    ]
    expected = {
        (text, query, size): snippets.snippet(text, snippets.query_terms(query), ("[", "]"), size)
        for text in texts
        for query in queries
        for size in (1, 4, 16)
    }
    assert any(value and value.startswith("…") for value in expected.values())
    monkeypatch.setattr(snippets._Words, "PIECE_CHARS", piece)
    for (text, query, size), value in expected.items():
        assert snippets.snippet(text, snippets.query_terms(query), ("[", "]"), size) == value


@pytest.mark.engines("postgresql")
def test_a_team_archive_search_is_one_statement(
    seeded_archive: Archive, archive_engine: str
) -> None:
    """Count, page and the shown articles' text in one round trip: each statement is a
    wake-up of the server and of the program, which on a busy machine cost more than the
    work (issue 15's search target)."""
    from sqlalchemy import event

    statements: list[str] = []

    def seen(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(seeded_archive.engine, "before_cursor_execute", seen)
    try:
        found = catalog.search(seeded_archive, "Mastung", marks=("[", "]"))
        nothing = catalog.search(seeded_archive, "Mastung", offset=1000)
    finally:
        event.remove(seeded_archive.engine, "before_cursor_execute", seen)
    assert found.ranked and "Mastung" in found.results[0].title
    assert any("[Mastung]" in result.snippet for result in found.results)
    assert nothing.results == [] and nothing.total == found.total  # past the end: still counted
    assert len(statements) == 2
