"""Placing a stored quote in an article's text again: bounded work for any quote."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz

from db.anchoring import FUZZY_MAX_LENGTH, Anchor, place


def _no_approximate_match(*args: object, **kwargs: object) -> None:
    raise AssertionError("an approximate match was looked for")


@pytest.mark.parametrize(
    ("quote", "text"),
    [
        # found by fuzzing annotation files: a 100,000-character quote took minutes
        ("x" * 100_000, "A short article about the attack. " * 300),
        ("a quote longer than the article itself", "A short article."),
        ("the attack " * (FUZZY_MAX_LENGTH // 10), "the attack was " * 2000),
    ],
)
def test_quotes_too_long_to_match_approximately_are_orphaned_without_trying(
    monkeypatch: pytest.MonkeyPatch, quote: str, text: str
) -> None:
    monkeypatch.setattr(fuzz, "partial_ratio_alignment", _no_approximate_match)
    placed = place(text, Anchor(quote, "", "", 0, len(quote)))
    assert placed.method == "orphaned"


def test_a_long_quote_still_found_exactly() -> None:
    quote = "the attack " * (FUZZY_MAX_LENGTH // 10)
    text = "Before. " + quote + " After."
    placed = place(text, Anchor(quote, "", "", 0, len(quote)))
    assert placed.method != "orphaned" and text[placed.start : placed.end] == quote
