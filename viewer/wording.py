"""Text cut to a length for a line or a cell: the CSV export's summary and the window's
abbreviated labels cut the same way (at a word's end, with "…")."""

from __future__ import annotations

_TRAILING = " ,;:-–—"


def cut_at_word(text: str, limit: int) -> str:
    """text itself when it fits in limit characters, else its beginning cut at the last
    word's end (where that keeps more than half) with "…", never a dangling comma or dash."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(_TRAILING) + "…"
