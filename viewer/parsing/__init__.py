"""Reading article files of every supported format into ParsedArticle objects (pure Python).

The formats themselves are registered in viewer.parsing.formats.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from viewer.parsing import formats
from viewer.parsing.decoding import decode_article_bytes
from viewer.parsing.formats import ParseRequest
from viewer.parsing.model import ArticleProblem, ArticleRejected, ParsedArticle, title_key
from viewer.parsing.wikitext import CountryResolver

FORMATS = formats.names()

__all__ = [
    "FORMATS",
    "ArticleProblem",
    "ArticleRejected",
    "ParsedArticle",
    "detect_text_format",
    "parse_path",
    "parse_text",
    "reparse",
    "title_key",
]


def detect_text_format(text: str, suffix: str = "") -> str:
    return formats.detect(text, suffix).name


def parse_text(
    text: str,
    *,
    suffix: str = "",
    file_stem: str = "",
    country_name: CountryResolver | None = None,
) -> ParsedArticle:
    """Parse one article held in a string, detecting its format."""
    request = ParseRequest(text, file_stem=file_stem, country_name=country_name)
    return formats.detect(text, suffix).parse(request)


def parse_path(
    path: Path, country_name: CountryResolver | None = None
) -> Iterator[ParsedArticle | ArticleProblem]:
    """Every article in one file, or the problems that kept them out.

    Never raises for bad content: each problem comes back as an ArticleProblem naming the
    file (and the page, for a many-page export). OSErrors reading the file do propagate.
    """
    with path.open("rb") as handle:
        head = handle.read(64)
        whole_file = formats.file_format(head, path.suffix)
        if whole_file is not None and whole_file.read_file is not None:
            handle.seek(0)
            if not head.strip():
                yield ArticleProblem(str(path), "the file is empty")
                return
            yield from whole_file.read_file(path, handle, country_name)
            return
        data = head + handle.read()
    try:
        decoded = decode_article_bytes(data)
        article = parse_text(
            decoded.text, suffix=path.suffix, file_stem=path.stem, country_name=country_name
        )
    except ArticleRejected as exc:
        yield ArticleProblem(str(path), str(exc))
        return
    except RecursionError:
        yield ArticleProblem(str(path), "the markup is nested too deeply to read")
        return
    if decoded.warning:
        article.warnings.insert(0, decoded.warning)
    yield article


def reparse(
    raw: str, fmt: str, title: str, file_stem: str = "", country_name: CountryResolver | None = None
) -> ParsedArticle:
    """Parse stored raw text again in the format it was imported as, keeping its title."""
    request = ParseRequest(raw, file_stem=file_stem, title=title, country_name=country_name)
    article = formats.by_name(fmt).parse(request)
    article.title = title
    return article
