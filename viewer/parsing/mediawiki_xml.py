"""Wikipedia's Special:Export XML: one file, many pages, each page's newest wikitext."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, ParseError

from defusedxml.common import DefusedXmlException
from defusedxml.ElementTree import iterparse

from viewer.parsing.model import ArticleProblem, ArticleRejected, ParsedArticle
from viewer.parsing.wikitext import CountryResolver, parse_wikitext

XML_SUFFIXES = {".xml"}


@dataclass
class ExportPage:
    title: str
    text: str | None
    namespace: str
    redirect: bool


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: Element, name: str) -> Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _page(element: Element) -> ExportPage:
    title = _child(element, "title")
    namespace = _child(element, "ns")
    text = None
    for child in element:
        if _local(child.tag) == "revision":
            node = _child(child, "text")
            if node is not None:
                text = node.text or ""
    return ExportPage(
        title=(title.text or "").strip() if title is not None else "",
        text=text,
        namespace=(namespace.text or "0").strip() if namespace is not None else "0",
        redirect=_child(element, "redirect") is not None,
    )


def iter_export_pages(stream: IO[bytes]) -> Iterator[ExportPage]:
    """Pages one at a time, freeing each once read, so a large dump is never held whole.

    Raises ArticleRejected for XML that is malformed, not a MediaWiki export, or uses
    entity tricks (defusedxml refuses them); pages read before the problem are already out.
    """
    root_checked = False
    try:
        for event, element in iterparse(stream, events=("start", "end")):
            name = _local(element.tag)
            if event == "start":
                if not root_checked:
                    if name != "mediawiki":
                        raise ArticleRejected(
                            f"an XML file but not a MediaWiki export (root element <{name}>)"
                        )
                    root_checked = True
                continue
            if name == "page":
                yield _page(element)
                element.clear()
    except ParseError as exc:
        raise ArticleRejected(f"malformed XML ({exc})") from exc
    except DefusedXmlException as exc:
        raise ArticleRejected(f"XML with forbidden constructs refused ({exc})") from exc


def looks_like_export(head: bytes, suffix: str) -> bool:
    """Whether a file (its first bytes, its name's ending) is XML to read as an export."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return suffix.lower() in XML_SUFFIXES or stripped.startswith((b"<?xml", b"<mediawiki"))


def read_export(
    path: Path, handle: IO[bytes], country_name: CountryResolver | None
) -> Iterator[ParsedArticle | ArticleProblem]:
    """Every article page of an export (namespace 0, not redirects) as wikitext, or the
    problem with each page, or with the whole file."""
    try:
        for page in iter_export_pages(handle):
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
