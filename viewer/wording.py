"""Text cut to a length for a line or a cell: the CSV export's summary and the window's
abbreviated labels cut the same way (at a word's end, with "…"); casualty figures written
the one way every view shows them. Imports nothing: the window uses it before the archive
layer is loaded."""

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


def toll_text(low: int | None, high: int | None, open_ended: bool) -> str:
    """A casualty figure as every view shows it: '60', '1,017', '28–30+', '40+', or ''
    when unknown (the one toll formatter: the CLI, the reader and the timeline use it)."""
    if low is None and high is None:
        return ""
    if low is None or high is None or low == high:
        text = f"{low if low is not None else high:,}"
    else:
        text = f"{low:,}–{high:,}"
    return text + ("+" if open_ended else "")
