"""Reading reactions costs work bounded by the article, whatever the article holds."""

from __future__ import annotations

import pytest

import viewer.extraction.reactions as reactions
from viewer.extraction.reactions import extract_reactions
from viewer.parsing.archive_text import parse_archive_text


def test_a_block_is_searched_for_its_one_actor_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each clause of a block whose actor is unknown searched the whole block again: a long
    block (a fuzzed one of 200 KB) took minutes. Once per block, however many clauses."""
    searched: list[str] = []
    real = reactions._only_actor_named

    def counting(block: str, *args: object) -> object:
        searched.append(block)
        return real(block, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(reactions, "_only_actor_named", counting)
    statements = " ".join(
        f"The Foreign Ministry condemned attack number {n}. A spokesman said it was cowardly."
        for n in range(40)
    )
    article = parse_archive_text(
        f"= Attack =\n\nA bomb exploded.\n\n== Reactions ==\n- {statements}\n"
    )
    body, spans = article.layout()
    extract_reactions(body, spans, country="DE", year=2016)
    assert searched and len(searched) == len(set(searched)), len(searched)


def test_a_sentence_of_thousands_of_speakers_is_split_without_recursion() -> None:
    from viewer.extraction.sentences import Sentence, split_clauses

    text = "It rained, and Abc said hi" * 3000 + "."
    clauses = split_clauses(Sentence(0, len(text), text))
    assert len(clauses) == 3000  # each speaker a clause of their own; no RecursionError
    assert clauses[-1].end == len(text)
