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

SNIPPET_SCAN_CHARS = 100_000
_WORD = re.compile(r"\w+", re.UNICODE)
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
        return folded in self.whole or any(folded.startswith(p) for p in self.prefixes)

    @property
    def long_words(self) -> bool:
        return any(len(w) > 1 for w in self.whole) or bool(self.prefixes)

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


def snippet(text: str, terms: QueryTerms, marks: tuple[str, str], size: int = 16) -> str | None:
    """The window of size words of text with the most distinct query words, those marked,
    with '…' where text goes on; None when no query word is in text."""
    # the words, and whether each is a query word, found only as far as the windows looked
    # at need (a window with every query word ends the search, often in the first lines)
    found = _WORD.finditer(text[:SNIPPET_SCAN_CHARS])
    words: list[re.Match[str]] = []
    hits: list[bool] = []

    def known(count: int) -> bool:
        """Whether text has count words (reading them up to there)."""
        if len(words) < count:
            more = list(itertools.islice(found, max(count, len(words) + 64) - len(words)))
            words.extend(more)
            hits.extend(terms.matches(fold(w.group())) for w in more)
        return len(words) >= count

    best, best_score = 0, -1
    start = 0
    while known(start + 1):
        if hits[start]:  # a window worth showing starts at (or just before) a match
            begin = max(0, start - 2)
            known(begin + size)
            window = words[begin : begin + size]
            score = len(
                {fold(w.group()) for w, hit in zip(window, hits[begin:], strict=False) if hit}
            )
            if score > best_score:
                best, best_score = begin, score
            if best_score >= len(terms.whole) + len(terms.prefixes):
                break  # every word of the query is in it already
        start += 1
    if best_score < 0:
        return None
    window = words[best : best + size]
    pieces: list[str] = []
    cursor = window[0].start()
    for word, hit in zip(window, hits[best:], strict=False):
        pieces.append(text[cursor : word.start()])
        pieces.append(f"{marks[0]}{word.group()}{marks[1]}" if hit else word.group())
        cursor = word.end()
    lead = "…" if best > 0 else ""
    tail = "…" if known(best + size + 1) or len(text) > SNIPPET_SCAN_CHARS else ""
    return lead + "".join(pieces) + tail


def first_words(text: str, size: int = 16) -> str:
    words = list(_WORD.finditer(text[: size * 40]))[:size]
    if not words:
        return ""
    more = "…" if len(text) > words[-1].end() else ""
    return text[words[0].start() : words[-1].end()] + more
