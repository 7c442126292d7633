"""Turning the bytes of a file into text, or a clear reason why they are not text."""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

from viewer.parsing.model import ArticleRejected

# Characters that never occur in a text article; a file with many of them is binary.
_CONTROL = {chr(c) for c in range(32) if chr(c) not in "\t\n\r\f\v"} | {"\x7f"}
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\v") + b"\x7f"
_LEGACY_PUNCTUATION = set("–—‘’“”…€£°«»·¡¿§©®±×÷¢¥\xa0")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass
class DecodedText:
    text: str
    encoding: str
    warning: str | None = None


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > len(sample) * 0.01


def _has_controls(text: str) -> bool:
    sample = text[:8192]
    return sum(1 for ch in sample if ch in _CONTROL) > len(sample) * 0.01


def decode_article_bytes(data: bytes) -> DecodedText:
    """Decode UTF-8 (with or without BOM) or UTF-16/32 with a BOM; anything else only when
    charset detection is confident, and then with a warning naming the encoding used."""
    if not data.strip():
        raise ArticleRejected("the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ArticleRejected(f"invalid {encoding} text at byte {exc.start}") from exc
            return DecodedText(_normalise_newlines(text), encoding)
    if _looks_binary(data):
        raise ArticleRejected("binary data, not a text article")
    try:
        return DecodedText(_normalise_newlines(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    return _decode_legacy(data, first_bad)


def _decode_legacy(data: bytes, first_bad: int) -> DecodedText:
    """Western European files saved by older editors are Windows-1252 (a superset of
    Latin-1). Accept that reading only when it is plausible: it decodes strictly, few bytes
    are non-ASCII, and each of those is a letter or common punctuation. Guessing any other
    encoding from a short text is too unreliable to do silently."""
    unknown = ArticleRejected(
        f"unknown text encoding (not UTF-8: byte 0x{data[first_bad]:02x} at offset "
        f"{first_bad}); save the file as UTF-8 and import it again"
    )
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise unknown from exc
    non_ascii = [ch for ch in text if ord(ch) > 127]
    if len(non_ascii) > max(3, len(text) // 20) or not all(
        unicodedata.category(ch).startswith("L") or ch in _LEGACY_PUNCTUATION for ch in non_ascii
    ):
        raise unknown
    if _has_controls(text):
        raise ArticleRejected("binary data, not a text article")
    return DecodedText(
        _normalise_newlines(text),
        "cp1252",
        warning="not UTF-8; read as Windows-1252/Latin-1 (check accented letters)",
    )


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
