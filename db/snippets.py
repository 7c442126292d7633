"""Search result snippets whose cost is bounded by what they show, not by the article.

FTS5's snippet() scores every window around every instance of the matched terms: its time
grows with the square of their number (8,000 instances of one word in an article: 1.7 s,
32,000: 25 s, an article of one word repeated: minutes). Here the words of the query are
looked for in the first SNIPPET_SCAN_CHARS of the article (and in its title and note), and
the window of N words holding the most of them is shown, its matched words marked.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

SNIPPET_SCAN_CHARS = 100_000
_WORD = re.compile(r"\w+", re.UNICODE)
_NOT_WORD = re.compile(r"\W", re.UNICODE)
_NOT_TERMS = {"AND", "OR", "NOT", "NEAR", "NEAR("}


def fold(word: str) -> str:
    """As the index's unicode61 tokenizer keeps a word: case folded, accents removed."""
    if word.isascii():  # the common case, and the same answer (a snippet folds each word)
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class QueryTerms:
    whole: frozenset[str]
    prefixes: tuple[str, ...]

    def matches(self, folded: str) -> bool:
        if len(folded) == 1 and self.long_words:
            return False  # the "s" of "Pakistan's": marking every lone letter is noise
        return folded in self.whole or folded.startswith(self.prefixes)

    @cached_property
    def long_words(self) -> bool:
        return any(len(w) > 1 for w in self.whole) or bool(self.prefixes)

    def found(self, words: list[str]) -> list[str | None]:
        """Each word folded if it is a query word (as matches() tells), else None; one loop
        with no call per word, since a snippet reads every word of an article that lacks
        one of the query words (an OR, a NOT, a ranked AND of common words)."""
        whole, prefixes, lone_letters = self.whole, self.prefixes, not self.long_words
        keys: list[str | None] = []
        for word in words:
            folded = word.lower() if word.isascii() else fold(word)
            hit = folded in whole or folded.startswith(prefixes)
            keys.append(folded if hit and (lone_letters or len(folded) > 1) else None)
        return keys

    def __bool__(self) -> bool:
        return bool(self.whole or self.prefixes)


_QUERY_TOKEN = re.compile(r'"[^"]*"\*?|[(),+]|[^\s()",+]+')
_COLUMN = re.compile(r"^(?:title|body|notes):")


def query_terms(fts_query: str) -> QueryTerms:
    """The words an FTS5 query (as this program writes it) looks for; words after NOT are
    left out, as are NEAR distances."""
    whole: set[str] = set()
    prefixes: list[str] = []
    negated = False
    previous = ""
    for token in _QUERY_TOKEN.findall(fts_query):
        bare = _COLUMN.sub("", token)
        if bare == "NOT":
            negated = True
        elif bare in _NOT_TERMS or bare in "(),+" or (previous == "," and bare.isdigit()):
            pass
        else:
            prefix = bare.endswith("*")
            words = [fold(w) for w in _WORD.findall(bare.rstrip("*"))]
            if words and not negated:
                whole.update(words[:-1] if prefix else words)
                if prefix:
                    prefixes.append(words[-1])
            negated = False
        previous = bare
    return QueryTerms(frozenset(whole), tuple(prefixes))


class _Words:
    """The words of a text read a piece at a time, as far as a snippet needs them: each
    one's key (QueryTerms.found) and where the query words are. Pieces end before a
    character that is no part of a word, so that findall (four times as fast as making a
    match object per word) reads the same words as one finditer over the whole text."""

    PIECE_CHARS = 2000

    def __init__(self, text: str, terms: QueryTerms) -> None:
        self.text = text[:SNIPPET_SCAN_CHARS]
        self.terms = terms
        self.keys: list[str | None] = []  # each word folded when it is a query word
        self.hits: list[int] = []  # the indexes of the query words
        self.pieces: list[tuple[int, int]] = []  # (first character, first word) of each
        self._read_to = 0

    def more(self) -> bool:
        """Read the next piece; False when every word is read."""
        begin = self._read_to
        if begin >= len(self.text):
            return False
        end = begin + self.PIECE_CHARS
        if end < len(self.text):
            boundary = _NOT_WORD.search(self.text, end)
            end = boundary.start() if boundary else len(self.text)
        else:
            end = len(self.text)
        self.pieces.append((begin, len(self.keys)))
        found = self.terms.found(_WORD.findall(self.text, begin, end))
        self.hits.extend(len(self.keys) + n for n, key in enumerate(found) if key is not None)
        self.keys.extend(found)
        self._read_to = end
        return True

    def known(self, count: int) -> bool:
        """Whether the text has count words (reading them up to there)."""
        while len(self.keys) < count and self.more():
            pass
        return len(self.keys) >= count

    def spans(self, first: int, count: int) -> list[re.Match[str]]:
        """The words first to first + count as matches (where they are in the text)."""
        begin, word = next((p for p in reversed(self.pieces) if p[1] <= first), (0, 0))
        found = _WORD.finditer(self.text, begin)
        return list(itertools.islice(found, first - word, first - word + count))


def snippet(text: str, terms: QueryTerms, marks: tuple[str, str], size: int = 16) -> str | None:
    """The window of size words of text with the most distinct query words, those marked,
    with '…' where text goes on; None when no query word is in text."""
    # the words read only as far as the windows looked at need (a window with every query
    # word ends the search, often in the first lines)
    words = _Words(text, terms)
    best, best_score = 0, -1
    checked = 0  # the query words whose window was looked at
    while checked < len(words.hits) or words.more():
        if checked == len(words.hits):
            continue
        start = words.hits[checked]  # a window worth showing starts at (or just before) it
        checked += 1
        begin = max(0, start - 2)
        words.known(begin + size)
        score = len(set(words.keys[begin : begin + size]) - {None})
        if score > best_score:
            best, best_score = begin, score
        if best_score >= len(terms.whole) + len(terms.prefixes):
            break  # every word of the query is in it already
    if best_score < 0:
        return None
    window = words.spans(best, size)
    pieces: list[str] = []
    cursor = window[0].start()
    for word, key in zip(window, words.keys[best:], strict=False):
        pieces.append(text[cursor : word.start()])
        pieces.append(word.group() if key is None else f"{marks[0]}{word.group()}{marks[1]}")
        cursor = word.end()
    lead = "…" if best > 0 else ""
    tail = "…" if words.known(best + size + 1) or len(text) > SNIPPET_SCAN_CHARS else ""
    return lead + "".join(pieces) + tail


def first_words(text: str, size: int = 16) -> str:
    words = list(_WORD.finditer(text[: size * 40]))[:size]
    if not words:
        return ""
    more = "…" if len(text) > words[-1].end() else ""
    return text[words[0].start() : words[-1].end()] + more
