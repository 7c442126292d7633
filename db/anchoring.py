"""Placing a quoted passage in a changed text, as the W3C Web Annotation model's selectors
allow: the stored position if the text there still matches, else the exact quote (the
occurrence whose context matches best), else an approximate match of the quote; otherwise
the passage is gone and the annotation is orphaned (kept, never deleted).
"""

from __future__ import annotations

from dataclasses import dataclass

CONTEXT = 32  # characters of prefix and suffix kept with a quote
FUZZY_MIN_SCORE = 75.0  # % similarity (rapidfuzz ratio) for an approximate match
FUZZY_MIN_LENGTH = 8  # shorter quotes must match exactly
# Longer quotes must match exactly too: an approximate match costs the quote's length times
# the article's (a 100,000-character quote in a fuzzed annotation file took minutes).
FUZZY_MAX_LENGTH = 2_000
CONTEXT_MIN_SCORE = 60.0  # % similarity of the surroundings an approximate match needs


@dataclass(frozen=True)
class Anchor:
    quote: str
    prefix: str
    suffix: str
    start: int
    end: int


@dataclass(frozen=True)
class Placement:
    start: int
    end: int
    method: str  # "position", "quote", "fuzzy" or "orphaned"

    @property
    def orphaned(self) -> bool:
        return self.method == "orphaned"


def anchor_for(text: str, start: int, end: int) -> Anchor:
    """The selectors for text[start:end]: the quote with its context, and the position."""
    return Anchor(
        quote=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
        start=start,
        end=end,
    )


def _context_score(text: str, start: int, end: int, anchor: Anchor) -> float:
    before = text[max(0, start - len(anchor.prefix)) : start]
    after = text[end : end + len(anchor.suffix)]
    score = 0.0
    from rapidfuzz import fuzz  # when first compared: 11 ms of the window's archive opening

    if anchor.prefix:
        score += fuzz.ratio(before, anchor.prefix)
    if anchor.suffix:
        score += fuzz.ratio(after, anchor.suffix)
    return score


def _occurrences(text: str, quote: str) -> list[int]:
    found = []
    position = text.find(quote)
    while position != -1:
        found.append(position)
        position = text.find(quote, position + 1)
    return found


def place(text: str, anchor: Anchor) -> Placement:
    """Where anchor's passage is in text now."""
    quote = anchor.quote
    if not quote:
        return Placement(anchor.start, anchor.end, "orphaned")
    if text[anchor.start : anchor.end] == quote:
        return Placement(anchor.start, anchor.end, "position")
    occurrences = _occurrences(text, quote)
    if occurrences:
        best = max(
            occurrences,
            key=lambda at: (
                _context_score(text, at, at + len(quote), anchor),
                -abs(at - anchor.start),
            ),
        )
        return Placement(best, best + len(quote), "quote")
    return _fuzzy(text, anchor)


def _fuzzy(text: str, anchor: Anchor) -> Placement:
    """The best approximate match of the quote, accepted when it is close enough and its
    surroundings still look like the stored context (so a similar phrase elsewhere in the
    article does not capture an annotation whose passage was deleted)."""
    quote = anchor.quote
    if not FUZZY_MIN_LENGTH <= len(quote) <= min(FUZZY_MAX_LENGTH, len(text)):
        return Placement(anchor.start, anchor.end, "orphaned")
    from rapidfuzz import fuzz

    alignment = fuzz.partial_ratio_alignment(quote, text, score_cutoff=FUZZY_MIN_SCORE)
    if alignment is None:
        return Placement(anchor.start, anchor.end, "orphaned")
    start, end = _snap_to_words(text, alignment.dest_start, alignment.dest_end, quote)
    similarity = fuzz.ratio(text[start:end], quote)
    sides = int(bool(anchor.prefix)) + int(bool(anchor.suffix))
    context = _context_score(text, start, end, anchor) / sides if sides else 100.0
    if similarity < FUZZY_MIN_SCORE or (context < CONTEXT_MIN_SCORE and similarity < 95):
        return Placement(anchor.start, anchor.end, "orphaned")
    return Placement(start, end, "fuzzy")


def _snap_to_words(text: str, start: int, end: int, quote: str) -> tuple[int, int]:
    """Widen a match to whole words (an approximate match can cut one in half), and to the
    punctuation the quote ends with."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and end > 0 and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    while end < len(text) and quote and not quote[-1].isalnum() and text[end] == quote[-1]:
        end += 1
    return start, end
