"""Reading article files of every supported format into ParsedArticle objects (pure Python)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from viewer.parsing.archive_text import looks_like_archive_text, parse_archive_text
from viewer.parsing.decoding import decode_article_bytes
from viewer.parsing.mediawiki_xml import iter_export_pages
from viewer.parsing.model import ArticleRejected, ParsedArticle, title_key
from viewer.parsing.plain_text import parse_plain_text
from viewer.parsing.wikitext import CountryResolver, parse_wikitext

WIKITEXT_SUFFIXES = {".wiki", ".wikitext", ".mediawiki"}
XML_SUFFIXES = {".xml"}
FORMATS = ("archive", "wikitext", "mediawiki-xml", "plain")

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


@dataclass
class ArticleProblem:
    """An article (or a whole file) that could not be read, and why."""

    where: str
    reason: str


_WIKI_MARKERS = re.compile(
    r"\{\{[^{}\n]*\}\}|\{\{\s*infobox|\[\[[^\]\n]+\]\]|'''|^==.*==\s*$",
    re.IGNORECASE | re.MULTILINE,
)


def detect_text_format(text: str, suffix: str = "") -> str:
    if suffix.lower() in WIKITEXT_SUFFIXES:
        return "wikitext"
    if looks_like_archive_text(text):
        return "archive"
    if _WIKI_MARKERS.search(text[:20000]):
        return "wikitext"
    return "plain"


def parse_text(
    text: str,
    *,
    suffix: str = "",
    file_stem: str = "",
    country_name: CountryResolver | None = None,
) -> ParsedArticle:
    """Parse one article held in a string, detecting its format."""
    kind = detect_text_format(text, suffix)
    if kind == "archive":
        return parse_archive_text(text)
    if kind == "wikitext":
        return parse_wikitext(text, file_stem=file_stem, country_name=country_name)
    return parse_plain_text(text, file_stem)


def _is_xml(head: bytes, suffix: str) -> bool:
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return suffix.lower() in XML_SUFFIXES or stripped.startswith((b"<?xml", b"<mediawiki"))


def parse_path(
    path: Path, country_name: CountryResolver | None = None
) -> Iterator[ParsedArticle | ArticleProblem]:
    """Every article in one file, or the problems that kept them out.

    Never raises for bad content: each problem comes back as an ArticleProblem naming the
    file (and the page, for a many-page export). OSErrors reading the file do propagate.
    """
    with path.open("rb") as handle:
        head = handle.read(64)
        if _is_xml(head, path.suffix):
            handle.seek(0)
            if not head.strip():
                yield ArticleProblem(str(path), "the file is empty")
                return
            yield from _parse_export(path, handle, country_name)
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


def _parse_export(
    path: Path, handle: object, country_name: CountryResolver | None
) -> Iterator[ParsedArticle | ArticleProblem]:
    try:
        for page in iter_export_pages(handle):  # type: ignore[arg-type]
            where = f"{path} (page '{page.title}')"
            if page.namespace != "0" or page.redirect:
                continue
            if not page.text or not page.text.strip():
                yield ArticleProblem(where, "the page has no text")
                continue
            try:
                yield parse_wikitext(
                    page.text,
                    title=page.title or None,
                    file_stem=path.stem,
                    country_name=country_name,
                    format_name="mediawiki-xml",
                )
            except ArticleRejected as exc:
                yield ArticleProblem(where, str(exc))
            except RecursionError:
                yield ArticleProblem(where, "the markup is nested too deeply to read")
    except ArticleRejected as exc:
        yield ArticleProblem(str(path), str(exc))


def reparse(
    raw: str, fmt: str, title: str, file_stem: str = "", country_name: CountryResolver | None = None
) -> ParsedArticle:
    """Parse stored raw text again in the format it was imported as, keeping its title."""
    if fmt == "archive":
        article = parse_archive_text(raw)
    elif fmt in ("wikitext", "mediawiki-xml"):
        article = parse_wikitext(
            raw, title=title, file_stem=file_stem, country_name=country_name, format_name=fmt
        )
    elif fmt == "plain":
        article = parse_plain_text(raw, file_stem)
    else:
        raise ArticleRejected(f"unknown stored format {fmt!r}")
    article.title = title
    return article
