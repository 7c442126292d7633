"""Turning what a researcher types into an FTS5 query.

Plain words work as they are (all must match); "quoted phrases", OR, NOT, AND, parentheses,
NEAR(...), prefix* and column filters (title:, body:, notes:) pass through. Words that FTS5
would misread (ul-Nabi, Pakistan's, 1,017) are quoted so they are searched as written.
"""

from __future__ import annotations

import re

from db.queries import FTS_OPERATORS, SearchQueryError, join_with_and

COLUMNS = ("title", "body", "notes")
_TOKEN = re.compile(
    r'\s*(?:(?P<phrase>"[^"]*")|(?P<open>\()|(?P<close>\))|(?P<plus>\+)|'
    r'(?P<column>(?:title|body|notes)\s*:)|(?P<near>NEAR\s*\()|(?P<word>[^\s()"]+))'
)
_BAREWORD = re.compile(r"^[\w\u0080-\uffff]+\*?$")


def to_fts_query(query: str) -> str:
    """The FTS5 form of a user query; raises SearchQueryError for what cannot be searched."""
    if not query.strip():
        raise SearchQueryError("the query is empty")
    if query.count('"') % 2:
        raise SearchQueryError('a quotation mark is not closed (phrases go in "double quotes")')
    parts: list[str] = []
    column = ""
    position = 0
    near = 0  # inside NEAR(...)
    while position < len(query):
        match = _TOKEN.match(query, position)
        if match is None or match.end() == position:
            break
        position = match.end()
        kind = match.lastgroup
        value = match.group(kind) if kind else ""
        if kind == "column":
            column = value.replace(" ", "")
            continue
        if kind == "word" and near and "," in value:
            # NEAR(a b, 5): the comma ends the phrases and comes before the distance
            head, _, tail = value.rpartition(",")
            parts.extend(
                [*([column + _word(head)] if head else []), ",", *([tail] if tail else [])]
            )
            column = ""
            continue
        if kind == "word":
            part = _word(value)
        elif kind == "near":
            part = "NEAR("
        else:
            part = value
        parts.append(column + part)
        column = ""
        if kind == "near":
            near += 1
        elif kind == "close" and near:
            near -= 1
    if query[position:].strip() or column:
        rest = query[position:].strip() or column
        raise SearchQueryError(f"cannot read the query from {rest!r}")
    return join_with_and(parts)


def _word(word: str) -> str:
    if word in FTS_OPERATORS:
        return word
    if word == "*":
        raise SearchQueryError("'*' on its own matches nothing; put it after a word, like bomb*")
    if _BAREWORD.match(word):
        return word
    prefix = word.endswith("*") and len(word) > 1
    core = word[:-1] if prefix else word
    quoted = '"' + core.replace('"', "") + '"'
    return quoted + ("*" if prefix else "")
