"""The fast forms of the extraction's lookups find exactly what their plain forms find.

Several patterns are written for speed (a character set first, so that a search skips to
it; substring tests before a pattern; a phrase tree instead of every phrase length): each is
checked here against the plain form it stands for, on text built to hit their edges.
"""

from __future__ import annotations

import random
import re
from typing import Any

from viewer.extraction import actors, dates, events, sentences
from viewer.extraction.gazetteer import _WORD, _bare, gazetteer

_PIECES = [
    "January", "Jan.", "Jun", "June", "Jul.", "May", "Mar", "March", "Sept.", "Sep",
    "September", "Oct", "Nov.", "Dec", "December", "Feb", "August", "Aug.", "Apr", "1999",
    "2023", "١٢٣٤", "12345", "2023-", "-2023", "Junes", "Mayo", "x", "-", " ", ".", "_", ",",
    "\n", "é", "Ü", "İ", "ı", "K", "later", "After", "EARLIER", "that evening", "That Night",
    "by", "including", "such as", "Among them", "Mr.", ". The", '" A', "?! 9", ".. (B", "’s",
    "the United States", "The United Kingdom", "Pakistan's", "UAE.", "U.S.", "Islamic State",
    " – ", "Khorasan Province", "Secretary-General", "foreign ministry", "the", "United",
    "Nations", "Educational, Scientific, and Cultural Organization", "Saudi Arabia",
]  # fmt: skip


def _texts(count: int = 4000, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_PIECES) for _ in range(rng.randrange(1, 14))) for _ in range(count)]


def test_the_date_anchor_finds_what_the_plain_pattern_finds() -> None:
    plain = re.compile(rf"\b(?:{dates._MONTH}(?![\w-])|\d{{4}}\b)")
    for text in _texts():
        assert [m.span() for m in dates._ANCHOR.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ], text


def test_the_relative_hint_in_lower_case_is_the_search_ignoring_case() -> None:
    for text in _texts():
        if not any(c in text for c in events._CASE_TRAPS):
            assert events._has_hint_lowered(text) == events._has_hint(text), text


def test_may_enumerate_is_the_pattern() -> None:
    for text in _texts():
        assert actors._may_enumerate(text) == bool(actors._MAY_ENUMERATE.search(text)), text


def test_the_sentence_boundary_is_the_plain_pattern() -> None:
    plain = re.compile(r"[.!?]+[\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
    for text in _texts():
        assert [m.span() for m in sentences._BOUNDARY.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ], text


def _scan_every_length(table: Any, text: str) -> list[tuple[int, int, str, Any]]:
    """The phrase lookup as it was first written: at each word, every length from the
    longest phrase down, the last word also without its possessive or full stop."""
    spans = [m.span() for m in _WORD.finditer(text)]
    keys = [table._key(text[a:b]) for a, b in spans]
    found, index = [], 0
    while index < len(keys):
        reach = 1
        while index + reach < len(keys) and text[
            spans[index + reach - 1][1] : spans[index + reach][0]
        ].strip() in {"", "–", "—", "-", ","}:
            reach += 1
        for length in range(reach, 0, -1):
            words = tuple(keys[index : index + length])
            value = table.phrases.get(words)
            if value is None:
                value = table.phrases.get((*words[:-1], _bare(words[-1])))
            if value is not None:
                start, end = spans[index][0], spans[index + length - 1][1]
                found.append((start, end, text[start:end], value))
                index += length
                break
        else:
            index += 1
    return found


def test_the_phrase_tree_finds_the_longest_phrase_at_each_word() -> None:
    gaz = gazetteer()
    for text in _texts(1500):
        for table in (gaz.names, gaz.titles, gaz.bodies):
            got = [(f.start, f.end, f.text, f.value) for f in table.scan(text)]
            assert got == _scan_every_length(table, text), text


def test_the_phrase_a_text_opens_with_is_the_first_found_there() -> None:
    gaz = gazetteer()
    for text in _texts(3000, seed=12):
        for table in (gaz.names, gaz.titles, gaz.bodies):
            found = table.scan(text)
            assert table.at_start(text) == (found[0] if found and found[0].start == 0 else None)
