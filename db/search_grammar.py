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
    if not query.isascii() and not _is_unicode(query):
        raise SearchQueryError("the query holds bytes that are not UTF-8 text")
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
    written = with_and(parts)
    QueryChecker(written).check()
    return " ".join(written)


def _is_unicode(text: str) -> bool:
    """False for text with a lone surrogate (bytes that were not UTF-8 on a command line),
    which the database driver cannot take."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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
    return " ".join(with_and(parts))


def with_and(parts: list[str]) -> list[str]:
    """The parts join_with_and joins, as a list."""
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
    return joined


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


def strip_accents(text: str) -> str:
    """The text without its accents ("Şemdinli" -> "Semdinli"); case is kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_term(word: str) -> str:
    """The word as the index's unicode61 tokenizer stores it: case folded, accents removed."""
    return strip_accents(word.casefold())


# The grammar FTS5 reads (https://sqlite.org/fts5.html#full_text_query_syntax), checked
# here so that every query it would refuse gets a message in our words, never SQLite's:
#   or   := and ("OR" and)*          and := not ("AND" not)*       not := item ("NOT" item)*
#   item := [column:] ( "(" or ")" | "NEAR(" phrase+ ["," N] ")" | phrase )
#   phrase := word ("+" word)*
_COLUMN_PREFIX = re.compile(r"^(?:title|body|notes):")
MAX_NEAR_DISTANCE = 1_000_000
_NEAR_USAGE = "NEAR takes words or phrases, then a comma and a whole number: NEAR(a b, 5)"


class QueryChecker:
    """Walks the parts of an FTS5 query (as to_fts_query writes them) and raises
    SearchQueryError where FTS5 would refuse it."""

    def __init__(self, parts: list[str]) -> None:
        self._parts = [part for part in parts if part]
        self._index = 0

    def check(self) -> None:
        self._or()
        if self._index < len(self._parts):
            part = self._parts[self._index]
            if part == ")":
                raise SearchQueryError("a closing parenthesis has no opening one")
            raise SearchQueryError(f"cannot read the query from {part!r}")

    def _peek(self) -> str | None:
        return self._parts[self._index] if self._index < len(self._parts) else None

    def _next(self) -> str | None:
        part = self._peek()
        self._index += 1
        return part

    def _or(self) -> None:
        self._and()
        while self._peek() == "OR":
            self._next()
            self._and()

    def _and(self) -> None:
        self._not()
        while self._peek() == "AND":
            self._next()
            self._not()

    def _not(self) -> None:
        self._item()
        while self._peek() == "NOT":
            self._next()
            self._item()

    def _item(self) -> None:
        part = self._peek()
        if part is None:
            raise SearchQueryError("the query ends where a word was expected")
        bare = _COLUMN_PREFIX.sub("", part)
        if bare in OPERATORS:
            raise SearchQueryError(f"{bare} needs a word or phrase on both sides")
        if bare == "(":
            self._next()
            if self._peek() == ")":
                raise SearchQueryError("empty parentheses: put words inside them")
            self._or()
            if self._next() != ")":
                raise SearchQueryError("a parenthesis is not closed")
        elif bare == "NEAR(":
            self._next()
            self._near()
        else:
            self._phrase()

    def _near(self) -> None:
        phrases = 0
        while self._peek() not in (None, ",", ")"):
            self._phrase(_NEAR_USAGE)
            phrases += 1
        if phrases == 0:
            raise SearchQueryError(_NEAR_USAGE)
        if self._peek() == ",":
            self._next()
            distance = self._next()
            if distance is None or not distance.isascii() or not distance.isdigit():
                raise SearchQueryError(_NEAR_USAGE)
            if int(distance) > MAX_NEAR_DISTANCE:
                raise SearchQueryError(f"a NEAR distance is at most {MAX_NEAR_DISTANCE:,} words")
        if self._next() != ")":
            raise SearchQueryError(_NEAR_USAGE)

    def _phrase(self, usage: str = "") -> None:
        self._word(usage)
        while self._peek() == "+":
            self._next()
            self._word(usage)

    def _word(self, usage: str) -> None:
        part = self._next()
        if part is None or part in OPERATORS or part in {"(", ")", "+", ","}:
            where = repr(part) if part else "the end"
            raise SearchQueryError(usage or f"a word or phrase was expected at {where}")
        if _COLUMN_PREFIX.sub("", part) in {"(", "NEAR("}:
            raise SearchQueryError(usage or f"a word or phrase was expected at {part!r}")


# -- PostgreSQL: the same query as a to_tsquery() text ---------------------------------------

# A team archive's tsvector weighs title A, body B, notes C (migration 0001); a column
# filter becomes a weight restriction on every word it covers.
WEIGHTS = {"title:": "A", "body:": "B", "notes:": "C"}
_TS_OPERATORS = {"AND": "&", "OR": "|"}
_WORD_RUN = re.compile(r"[^\W_]+")


def to_tsquery_text(fts_query: str) -> str:
    """The query to_fts_query wrote, as PostgreSQL's to_tsquery('simple', ...) reads it:
    words quoted (the server splits and folds them as it did the text), "phrases" and a+b
    as <-> chains, prefix* as :*, title:/body:/notes: as weights A/B/C, AND &, OR |,
    NOT & !. NEAR(a b, N) has no counterpart there and becomes a & b (every match of the
    NEAR is among its matches)."""
    read, rest = tokens(fts_query)
    if rest:
        raise SearchQueryError(f"cannot read the query from {rest!r}")
    parts: list[str] = []
    weights: list[str] = []  # the weight of each open parenthesis ("" when none)
    near = 0
    for token in read:
        weight = WEIGHTS.get(token.column, "") or (weights[-1] if weights else "")
        if token.kind in ("open", "near"):
            weights.append(weight)
            near += token.kind == "near"
            parts.append("(")
        elif token.kind == "close":
            if weights:
                weights.pop()
            near = max(0, near - 1)
            parts.append(")")
        elif token.kind == "plus":
            parts.append("<->")
        elif token.text in OPERATORS:
            parts.append(_TS_OPERATORS.get(token.text, "& !"))
        elif near and (token.text == "," or token.text.isdigit()):
            continue  # NEAR's distance
        else:
            parts.append(_lexemes(token.text.rstrip(","), weight))
    return " ".join(_with_ts_and(parts))


def _lexemes(text: str, weight: str) -> str:
    """A word, prefix or "phrase" of the FTS5 query as a tsquery operand."""
    prefix = text.endswith("*")
    core = text[:-1] if prefix else text
    # the words as FTS5's unicode61 reads them (runs of letters and digits): "ul-Nabi" is
    # the phrase ul nabi, which the server's hyphenated-word parts also match
    words = _WORD_RUN.findall(core)
    if not words:
        return "''"
    marked = [f"'{word.replace(chr(39), chr(39) * 2)}'" for word in words]
    for index in range(len(marked)):
        star = "*" if prefix and index == len(marked) - 1 else ""
        if star or weight:
            marked[index] += f":{star}{weight}"
    return marked[0] if len(marked) == 1 else "(" + " <-> ".join(marked) + ")"


def _with_ts_and(parts: list[str]) -> list[str]:
    """& between neighbouring operands (inside NEAR's group too, where FTS5 needs none)."""
    joined: list[str] = []
    for part in parts:
        if joined and joined[-1] not in ("(", "&", "|", "& !", "<->") and part not in (
            ")", "&", "|", "& !", "<->",
        ):  # fmt: skip
            joined.append("&")
        joined.append(part)
    return joined
