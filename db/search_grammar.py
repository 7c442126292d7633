"""The search grammar in one place: what a researcher types, read as tokens and written as
the FTS5 query the archive runs; the archive reads its own queries back with the same
tokens when it rewrites them (prefixes expanded to their terms, in db.queries).

Plain words work as they are (all must match); "quoted phrases", OR, NOT, AND, parentheses,
NEAR(...), prefix* and column filters (title:, body:, notes:) pass through. Words that FTS5
would misread (ul-Nabi, Pakistan's, 1,017) are quoted so they are searched as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

COLUMNS = ("title", "body", "notes")
OPERATORS = frozenset({"AND", "OR", "NOT"})

_TOKEN = re.compile(
    r'\s*(?:(?P<phrase>"[^"]*"(?:\*(?=[\s()]|$))?)|(?P<open>\()|(?P<close>\))|(?P<plus>\+)|'
    r'(?P<column>(?:title|body|notes)\s*:)|(?P<near>NEAR\s*\()|(?P<word>[^\s()"]+))'
)
_BAREWORD = re.compile(r"^[\w\u0080-\uffff]+\*?$")
_PREFIX = re.compile(r"([\w\u0080-\uffff]+)\*")
_LONE_STAR = "'*' on its own matches nothing; put it after a word, like bomb*"


class SearchQueryError(Exception):
    """The full-text query cannot be searched; the message says why (one line)."""


@dataclass(frozen=True)
class Token:
    """One piece of a query: its kind (phrase, open, close, plus, near, word), its text as
    written, and the column filter written before it ("title:" or "")."""

    kind: str
    text: str
    column: str = ""


def tokens(query: str) -> tuple[list[Token], str]:
    """The query's tokens, and what is left unread at the end (a dangling column filter
    included): empty when the whole query was read."""
    found: list[Token] = []
    column = ""
    position = 0
    while position < len(query):
        match = _TOKEN.match(query, position)
        if match is None or match.end() == position:
            break
        position = match.end()
        kind = match.lastgroup or ""
        text = match.group(kind) if kind else ""
        if kind == "column":
            column = text.replace(" ", "")
            continue
        found.append(Token(kind, "NEAR(" if kind == "near" else text, column))
        column = ""
    return found, query[position:].strip() or column


def to_fts_query(query: str) -> str:
    """The FTS5 form of a user query; raises SearchQueryError for what cannot be searched."""
    if not query.strip():
        raise SearchQueryError("the query is empty")
    if query.count('"') % 2:
        raise SearchQueryError('a quotation mark is not closed (phrases go in "double quotes")')
    read, rest = tokens(query)
    if rest:
        raise SearchQueryError(f"cannot read the query from {rest!r}")
    parts: list[str] = []
    near = 0  # inside NEAR(...)
    for token in read:
        if token.kind == "phrase" and token.text.endswith("*"):
            raise SearchQueryError(_LONE_STAR)
        if token.kind == "word" and near and "," in token.text:
            # NEAR(a b, 5): the comma ends the phrases and comes before the distance
            head, _, tail = token.text.rpartition(",")
            parts.extend(
                [*([token.column + _word(head)] if head else []), ",", *([tail] if tail else [])]
            )
            continue
        parts.append(token.column + (_word(token.text) if token.kind == "word" else token.text))
        if token.kind == "near":
            near += 1
        elif token.kind == "close" and near:
            near -= 1
    return join_with_and(parts)


def _word(word: str) -> str:
    if word in OPERATORS:
        return word
    if word == "*":
        raise SearchQueryError(_LONE_STAR)
    if _BAREWORD.match(word):
        return word
    prefix = word.endswith("*") and len(word) > 1
    core = word[:-1] if prefix else word
    quoted = '"' + core.replace('"', "") + '"'
    return quoted + ("*" if prefix else "")


def join_with_and(parts: list[str]) -> str:
    """The query's parts with AND written out between neighbouring operands: FTS5 ANDs
    neighbouring phrases on its own, but not a parenthesised group ("(a OR b) c" is a syntax
    error). Inside NEAR(...) nothing is added."""
    joined: list[str] = []
    near = 0
    for part in parts:
        if near == 0 and joined and _ends_operand(joined[-1]) and _starts_operand(part):
            joined.append("AND")
        joined.append(part)
        if part.endswith("NEAR("):
            near += 1
        elif near and part == ")":
            near -= 1
    return " ".join(joined)


def _ends_operand(part: str) -> bool:
    return part not in OPERATORS and part not in {"+", ","} and not part.endswith("(")


def _starts_operand(part: str) -> bool:
    return part not in OPERATORS and part not in {"+", ",", ")"}


def prefixes(fts_query: str) -> Iterator[tuple[int, str, str]]:
    """The bare prefixes of a query to_fts_query wrote (elect*, title:elect*): the index of
    each among the query's tokens, its column filter and its stem. None at all when the
    query has NEAR, + or ^ (where a prefix cannot become a group of terms) or is not of
    the shape to_fts_query writes."""
    if "*" not in fts_query or any(mark in fts_query for mark in ("NEAR(", "+", "^")):
        return
    read, rest = tokens(fts_query)
    if rest:
        return
    for index, token in enumerate(read):
        match = _PREFIX.fullmatch(token.text) if token.kind == "word" else None
        if match is not None:
            yield index, token.column, match.group(1)


def replace_tokens(fts_query: str, replacements: dict[int, str]) -> str:
    """The query with some of its tokens (by index, as prefixes() numbers them) written
    differently; the rest as they were."""
    read, _rest = tokens(fts_query)
    parts = [replacements.get(index, token.column + token.text) for index, token in enumerate(read)]
    return join_with_and(parts)


def fold_term(word: str) -> str:
    """The word as the index's unicode61 tokenizer stores it: case folded, accents removed."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
