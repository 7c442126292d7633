"""Wikipedia's Special:Export XML: one file, many pages, each page's newest wikitext.

Read as a stream with bounded memory: the file is decoded here (in whatever encoding it
declares that Python knows, multi-byte ones included, which expat alone cannot read) and fed
to defusedxml's parser in pieces; only the page being read is held, and of its text no more
than the limit per article.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import quote
from xml.etree.ElementTree import ParseError

from defusedxml.common import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from viewer.parsing.model import (
    ArticleOrigin,
    ArticleProblem,
    ArticleRejected,
    ParsedArticle,
    shown_path,
)
from viewer.parsing.wikitext import CountryResolver, parse_wikitext

XML_SUFFIXES = {".xml"}

CHUNK_BYTES = 1 << 16
MAX_TITLE_CHARS = 10_000  # far beyond any real title; the rest of a longer one is dropped
_DECLARATION = re.compile(rb"""^<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._:-]*)["']""")
# Byte order marks first (UTF-32 before UTF-16: their marks begin alike), then the first
# characters of an XML declaration in each width (XML 1.0, appendix F).
_SNIFF = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"),
)


@dataclass
class ExportPage:
    title: str
    text: str | None
    namespace: str
    redirect: bool
    too_large: bool = False
    timestamp: str | None = None  # of the revision whose text this is
    base: str | None = None  # the wiki's <siteinfo><base>: the URL of its main page
    sitename: str | None = None


MAX_SITEINFO_CHARS = 2000  # a site name or a URL; more is not site information


def article_url(base: str | None, title: str) -> str | None:
    """The article's address on the wiki whose main page is at base
    ("https://en.wikipedia.org/wiki/Main_Page" + "2016 Berlin attack" ->
    "https://en.wikipedia.org/wiki/2016_Berlin_attack"), encoded as MediaWiki does."""
    if not base or not title or not base.startswith(("https://", "http://")):
        return None
    prefix = base.rsplit("/", 1)[0] + "/"
    return prefix + quote(title.replace(" ", "_"), safe=";@$!*(),/~:'-._")


def page_origin(page: ExportPage) -> ArticleOrigin:
    return ArticleOrigin(
        url=article_url(page.base, page.title),
        site=page.sitename or None,
        page_title=page.title or None,
        revised_at=page.timestamp or None,
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def xml_encoding(head: bytes) -> str:
    """The encoding to read an XML file in: its byte order mark or the width of its first
    characters, else the encoding its declaration names, else UTF-8 (the XML default)."""
    for mark, encoding in _SNIFF:
        if head.startswith(mark):
            return encoding
    declared = _DECLARATION.match(head.lstrip(b" \t\r\n"))
    if declared is None:
        return "utf-8"
    name = declared.group(1).decode("ascii")
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise ArticleRejected(
            f"the XML declares a text encoding Python does not know ({name!r}); save it as "
            "UTF-8 and import it again"
        ) from None
    if not getattr(info, "_is_text_encoding", True):
        raise ArticleRejected(f"the XML declares {name!r}, which is not a text encoding")
    return info.name


@dataclass
class _Page:
    title: list[str] = field(default_factory=list)
    title_size: int = 0
    namespace: list[str] = field(default_factory=list)
    text: list[str] | None = None
    text_size: int = 0
    too_large: bool = False
    redirect: bool = False
    timestamp: list[str] = field(default_factory=list)


class _ExportReader:
    """Parser target: gathers the parts of each <page> that matter, and nothing else."""

    def __init__(self, max_chars: int) -> None:
        self.pages: list[ExportPage] = []
        self._max_chars = max_chars
        self._stack: list[str] = []
        self._page: _Page | None = None
        self._into: str | None = None
        self._site: dict[str, list[str]] = {"base": [], "sitename": []}

    def start(self, tag: str, _attributes: dict[str, str]) -> None:
        name = _local(tag)
        if not self._stack and name != "mediawiki":
            raise ArticleRejected(f"an XML file but not a MediaWiki export (root element <{name}>)")
        self._stack.append(name)
        parent = self._stack[-2] if len(self._stack) >= 2 else ""
        if name == "page" and len(self._stack) == 2:
            self._page = _Page()
        elif self._page is None:
            if parent == "siteinfo" and name in self._site:
                self._site[name].clear()
                self._into = name
            return
        if name == "redirect" and parent == "page":
            self._page.redirect = True
        elif name in ("title", "ns") and parent == "page":
            self._into = name
        elif name == "text" and parent == "revision":
            # each revision replaces the last: the newest comes last in an export
            self._page.text, self._page.text_size, self._page.too_large = [], 0, False
            self._into = "text"
        elif name == "timestamp" and parent == "revision":
            self._page.timestamp.clear()
            self._into = "timestamp"

    def end(self, tag: str) -> None:
        name = self._stack.pop() if self._stack else _local(tag)
        self._into = None
        if name == "page" and self._page is not None and len(self._stack) == 1:
            page = self._page
            self.pages.append(
                ExportPage(
                    title="".join(page.title).strip(),
                    text=None if page.text is None else "".join(page.text),
                    namespace="".join(page.namespace).strip() or "0",
                    redirect=page.redirect,
                    too_large=page.too_large,
                    timestamp="".join(page.timestamp).strip() or None,
                    base="".join(self._site["base"]).strip() or None,
                    sitename="".join(self._site["sitename"]).strip() or None,
                )
            )
            self._page = None

    def data(self, text: str) -> None:
        page = self._page
        if page is None and self._into in self._site:
            held = self._site[self._into]
            if sum(map(len, held)) < MAX_SITEINFO_CHARS:
                held.append(text[:MAX_SITEINFO_CHARS])
            return
        if page is None or self._into is None:
            return
        if self._into == "text" and page.text is not None and not page.too_large:
            page.text_size += len(text)
            if page.text_size > self._max_chars:
                page.too_large, page.text = True, []  # said once, never held
            else:
                page.text.append(text)
        elif self._into == "title" and page.title_size < MAX_TITLE_CHARS:
            page.title.append(text[: MAX_TITLE_CHARS - page.title_size])
            page.title_size += len(text)
        elif self._into == "ns" and len(page.namespace) < 8:
            page.namespace.append(text[:16])
        elif self._into == "timestamp" and len(page.timestamp) < 8:
            page.timestamp.append(text[:40])

    def close(self) -> None:
        return None


def iter_export_pages(stream: IO[bytes], *, max_chars: int = 8 * 2**20) -> Iterator[ExportPage]:
    """Pages one at a time, so a large dump is never held whole; a page whose text passes
    max_chars comes back marked too_large, without its text.

    Raises ArticleRejected for XML that is malformed, not a MediaWiki export, in an unknown
    encoding, or using entity tricks (defusedxml refuses them); pages read before the problem
    are already out.
    """
    head = stream.read(CHUNK_BYTES)
    encoding = xml_encoding(head)
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    reader = _ExportReader(max_chars)
    parser = DefusedXMLParser(target=reader)
    offset = 0
    chunk = head
    try:
        while True:
            final = not chunk
            try:
                text = decoder.decode(chunk, final=final)
            except UnicodeDecodeError as exc:
                raise ArticleRejected(
                    f"the text is not valid {encoding} (at byte {offset + exc.start})"
                ) from None
            # A str is read as UTF-8 whatever the declaration says: decoded here already.
            if text:
                parser.feed(text)
            if final:
                parser.close()
            yield from reader.pages
            reader.pages.clear()
            if final:
                return
            offset += len(chunk)
            chunk = stream.read(CHUNK_BYTES)
    except ParseError as exc:
        raise ArticleRejected(f"malformed XML ({exc})") from exc
    except DefusedXmlException as exc:
        raise ArticleRejected(f"XML with forbidden constructs refused ({exc})") from exc
    except (ValueError, LookupError) as exc:  # expat's own refusals (an unknown encoding)
        raise ArticleRejected(f"XML that cannot be read ({exc})") from exc


# UTF-16 and UTF-32 XML, with or without a byte order mark, starts with one of these.
_WIDE_XML_STARTS = (
    b"\xff\xfe<\x00",
    b"\xfe\xff\x00<",
    b"\xff\xfe\x00\x00<\x00\x00\x00",
    b"\x00\x00\xfe\xff\x00\x00\x00<",
    b"<\x00?\x00",
    b"\x00<\x00?",
    b"<\x00\x00\x00?\x00\x00\x00",
    b"\x00\x00\x00<\x00\x00\x00?",
)


def looks_like_export(head: bytes, suffix: str) -> bool:
    """Whether a file (its first bytes, its name's ending) is XML to read as an export."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if suffix.lower() in XML_SUFFIXES or stripped.startswith((b"<?xml", b"<mediawiki")):
        return True
    return head.startswith(_WIDE_XML_STARTS)


def read_export(
    path: Path,
    handle: IO[bytes],
    country_name: CountryResolver | None,
    *,
    max_bytes: int = 8 * 2**20,
) -> Iterator[ParsedArticle | ArticleProblem]:
    """Every article page of an export (namespace 0, not redirects) as wikitext, or the
    problem with each page, or with the whole file. A page whose text is larger than
    max_bytes (counted in characters) is rejected without being held."""
    shown = shown_path(path)
    try:
        for page in iter_export_pages(handle, max_chars=max_bytes):
            where = f"{shown} (page '{page.title[:200]}')"
            if page.namespace != "0" or page.redirect:
                continue
            if page.too_large:
                yield ArticleProblem(where, too_large(max_bytes))
                continue
            if not page.text or not page.text.strip():
                yield ArticleProblem(where, "the page has no text")
                continue
            try:
                article = parse_wikitext(
                    page.text,
                    title=page.title or None,
                    file_stem=path.stem,
                    country_name=country_name,
                    format_name="mediawiki-xml",
                )
                article.origin = page_origin(page)
                yield article
            except ArticleRejected as exc:
                yield ArticleProblem(where, str(exc))
            except RecursionError:
                yield ArticleProblem(where, "the markup is nested too deeply to read")
    except ArticleRejected as exc:
        yield ArticleProblem(shown, str(exc))


def too_large(max_bytes: int) -> str:
    return (
        f"larger than the limit of {max_bytes / 2**20:g} MB per article; raise the limit "
        "(import --max-article-size MB) to import it"
    )
