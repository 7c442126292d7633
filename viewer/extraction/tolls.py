"""Casualty figures (`60`, `28–30+`, `At least 42`, `1,017`, `85 (including the perpetrator)`,
`41 - 80 confirmed, 50+ (reported)`, `Unknown`) as low, high and open-ended."""

from __future__ import annotations

import re

from db.records import Toll

_WORDS = {
    "none": 0, "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
}  # fmt: skip
_NUMBER = r"\d{1,3}(?:,\d{3})+|\d+|" + "|".join(sorted(_WORDS, key=len, reverse=True))
_FIGURE = re.compile(
    rf"(?P<open_before>\b(?:at\s+least|more\s+than|over|above|in\s+excess\s+of|upwards\s+of|"
    rf"(?:a\s+)?minimum\s+of)\s+)?"
    rf"(?:~|c\.\s*|ca\.\s*|approx(?:imately|\.)?\s+|about\s+|around\s+|nearly\s+|almost\s+)?"
    rf"\b(?P<low>{_NUMBER})\b"
    rf"(?:\s*(?:–|—|-|to)\s*(?P<high>{_NUMBER})\b)?"
    rf"(?P<plus>\s*\+(?!\s*\d))?",
    re.IGNORECASE,
)
_UNKNOWN = re.compile(r"^\W*(unknown|unclear|n/?a|none reported|not known|-|—|\?)\W*$", re.I)
_PARENTHESES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def _number(text: str) -> int:
    folded = text.casefold()
    return _WORDS[folded] if folded in _WORDS else int(text.replace(",", ""))


def _figures(text: str) -> list[tuple[int, int, bool]]:
    figures = []
    for match in _FIGURE.finditer(text):
        low = _number(match.group("low"))
        high = _number(match.group("high")) if match.group("high") else low
        if high < low:
            continue
        open_ended = bool(match.group("plus") or match.group("open_before"))
        figures.append((low, high, open_ended))
    return figures


def parse_toll(text: str | None) -> Toll:
    """Low and high ends of a casualty figure; the text is kept as it was."""
    if text is None or not text.strip():
        return Toll(text=text)
    if _UNKNOWN.match(text):
        return Toll(text=text)
    # Figures outside parentheses are the toll; "(+2 suicide bombers)" and
    # "(including the perpetrator)" qualify it. Inside ones count only when alone.
    figures = _figures(_PARENTHESES.sub(" ", text))
    if not figures:
        inside = _figures(text)
        # A lone figure in brackets is the toll; several ("1 passenger and 11 pedestrians")
        # are parts of a total the text does not give.
        figures = inside if len(inside) == 1 else []
    if not figures:
        return Toll(text=text)
    low = min(f[0] for f in figures)
    high = max(f[1] for f in figures)
    open_ended = any(f[2] and f[1] >= high for f in figures)
    return Toll(min=low, max=high, open_ended=open_ended, text=text)
