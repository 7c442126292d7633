"""The article formats, in one registry: each format's stored name, how a file of it is
recognised, and how it is read (on import) and read again (re-indexing stored text).

A new format is one module (its parser) and one registration at the end of this file.
Formats are tried in registration order: first those that claim a whole file from its
first bytes (an export of many pages), then those that claim the file name's ending, then
those that recognise the text; plain text, the fallback, takes what none of them claims.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from viewer.parsing.archive_text import looks_like_archive_text, parse_archive_text
from viewer.parsing.mediawiki_xml import looks_like_export, read_export
from viewer.parsing.model import ArticleProblem, ArticleRejected, ParsedArticle
from viewer.parsing.plain_text import parse_plain_text
from viewer.parsing.wikitext import (
    WIKITEXT_SUFFIXES,
    CountryResolver,
    looks_like_wikitext,
    parse_wikitext,
)


@dataclass(frozen=True)
class ParseRequest:
    """One article's text and what is known about it besides."""

    text: str
    file_stem: str = ""  # the file's name without its ending (a title of last resort)
    title: str | None = None  # known already when stored text is read again
    country_name: CountryResolver | None = None


Outcome = ParsedArticle | ArticleProblem


class FileReader(Protocol):
    """Reads every article of a file that holds many (or the problems that kept them out);
    an article larger than max_bytes is a problem, never held whole."""

    def __call__(
        self,
        path: Path,
        handle: IO[bytes],
        country_name: CountryResolver | None,
        *,
        max_bytes: int,
    ) -> Iterator[Outcome]: ...


@dataclass(frozen=True)
class ArticleFormat:
    """An input format: the name stored with each article read in it, and how to read it.

    parse reads one article's text. A format is recognised by the ending of a file's name
    (suffixes), by its text (looks_like) or, for a file of many articles, by its first
    bytes (claims_file, read_file); the fallback format takes any text no other claims.
    """

    name: str
    parse: Callable[[ParseRequest], ParsedArticle]
    suffixes: frozenset[str] = frozenset()
    looks_like: Callable[[str], bool] | None = None
    claims_file: Callable[[bytes, str], bool] | None = None
    read_file: FileReader | None = None
    fallback: bool = False


_REGISTRY: dict[str, ArticleFormat] = {}


def register(article_format: ArticleFormat) -> ArticleFormat:
    if article_format.name in _REGISTRY:
        raise ValueError(f"the format {article_format.name!r} is registered already")
    _REGISTRY[article_format.name] = article_format
    return article_format


def names() -> tuple[str, ...]:
    return tuple(_REGISTRY)


def by_name(name: str) -> ArticleFormat:
    """The format an article was stored as (ArticleRejected for one this version lacks)."""
    found = _REGISTRY.get(name)
    if found is None:
        raise ArticleRejected(f"unknown stored format {name!r}")
    return found


def file_format(head: bytes, suffix: str) -> ArticleFormat | None:
    """The format that reads this whole file itself (an export of many pages), if any."""
    for article_format in _REGISTRY.values():
        if article_format.claims_file is not None and article_format.claims_file(head, suffix):
            return article_format
    return None


def detect(text: str, suffix: str = "") -> ArticleFormat:
    """The format of one article's text: by its file name's ending, else by its text."""
    ending = suffix.lower()
    for article_format in _REGISTRY.values():
        if ending in article_format.suffixes and article_format.read_file is None:
            return article_format
    for article_format in _REGISTRY.values():
        if article_format.looks_like is not None and article_format.looks_like(text):
            return article_format
    for article_format in _REGISTRY.values():
        if article_format.fallback:
            return article_format
    raise ArticleRejected("no format recognises this text")


def _wikitext(format_name: str) -> Callable[[ParseRequest], ParsedArticle]:
    def parse(request: ParseRequest) -> ParsedArticle:
        return parse_wikitext(
            request.text,
            title=request.title,
            file_stem=request.file_stem,
            country_name=request.country_name,
            format_name=format_name,
        )

    return parse


register(
    ArticleFormat(
        "archive",
        parse=lambda request: parse_archive_text(request.text),
        looks_like=looks_like_archive_text,
    )
)
register(
    ArticleFormat(
        "wikitext",
        parse=_wikitext("wikitext"),
        suffixes=WIKITEXT_SUFFIXES,
        looks_like=looks_like_wikitext,
    )
)
register(
    ArticleFormat(
        "mediawiki-xml",
        parse=_wikitext("mediawiki-xml"),
        claims_file=looks_like_export,
        read_file=read_export,
    )
)
register(
    ArticleFormat(
        "plain",
        parse=lambda request: parse_plain_text(request.text, request.file_stem),
        fallback=True,
    )
)
