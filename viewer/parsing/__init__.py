"""Reading article files of every supported format into ParsedArticle objects (pure Python).

The formats themselves are registered in viewer.parsing.formats.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from viewer.parsing import formats
from viewer.parsing.decoding import decode_article_bytes
from viewer.parsing.formats import ParseRequest
from viewer.parsing.mediawiki_xml import too_large
from viewer.parsing.model import (
    ArticleProblem,
    ArticleRejected,
    ParsedArticle,
    clean_title,
    shown_path,
    title_key,
)
from viewer.parsing.wikitext import CountryResolver

FORMATS = formats.names()
DEFAULT_MAX_BYTES = 8 * 2**20

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
    path: Path,
    country_name: CountryResolver | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[ParsedArticle | ArticleProblem]:
    """Every article in one file, or the problems that kept them out.

    Never raises for bad content: each problem comes back as an ArticleProblem naming the
    file (and the page, for a many-page export). An article larger than max_bytes is
    rejected without being read whole. OSErrors opening or reading the file do propagate,
    and so does NotRegularFile for a pipe, socket or device.
    """
    where = shown_path(path)
    with _open_regular(path) as handle:
        head = handle.read(64)
        whole_file = formats.file_format(head, path.suffix)
        if whole_file is not None and whole_file.read_file is not None:
            handle.seek(0)
            if not head.strip():
                yield ArticleProblem(where, "the file is empty")
                return
            for outcome in whole_file.read_file(path, handle, country_name, max_bytes=max_bytes):
                yield _with_safe_title(outcome, where)
            return
        data = head + handle.read(max_bytes + 1 - len(head))
    if len(data) > max_bytes:
        yield ArticleProblem(where, too_large(max_bytes))
        return
    try:
        decoded = decode_article_bytes(data)
        article = parse_text(
            decoded.text, suffix=path.suffix, file_stem=path.stem, country_name=country_name
        )
    except ArticleRejected as exc:
        yield ArticleProblem(where, str(exc))
        return
    except RecursionError:
        yield ArticleProblem(where, "the markup is nested too deeply to read")
        return
    if decoded.warning:
        article.warnings.insert(0, decoded.warning)
    yield _with_safe_title(article, where)


def _with_safe_title(
    outcome: ParsedArticle | ArticleProblem, where: str
) -> ParsedArticle | ArticleProblem:
    """The article with its title made safe to show and compare (clean_title), or the
    rejection of a title with nothing visible in it."""
    if isinstance(outcome, ArticleProblem):
        return outcome
    try:
        title, warning = clean_title(outcome.title)
    except ArticleRejected as exc:
        if outcome.format == "mediawiki-xml":
            where = f"{where} (page '{outcome.title[:200]}')"
        return ArticleProblem(where, str(exc))
    outcome.title = title
    if warning:
        outcome.warnings.append(warning)
    return outcome


class NotRegularFile(OSError):
    """A pipe, socket or device where a file was expected."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"not a regular file (a pipe, socket or device): {path}")
        self.strerror = "not a regular file (a pipe, socket or device)"


_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def _open_regular(path: Path) -> BinaryIO:
    """Open a file for reading only if it is a regular file: a FIFO would block for ever,
    a device (a link to /dev/zero, say) never ends. Opened without blocking, then checked."""
    fd = os.open(path, os.O_RDONLY | _NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFile(path)
        if _NONBLOCK:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def reparse(
    raw: str, fmt: str, title: str, file_stem: str = "", country_name: CountryResolver | None = None
) -> ParsedArticle:
    """Parse stored raw text again in the format it was imported as, keeping its title."""
    request = ParseRequest(raw, file_stem=file_stem, title=title, country_name=country_name)
    article = formats.by_name(fmt).parse(request)
    article.title = title
    return article
