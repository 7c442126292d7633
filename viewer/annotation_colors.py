"""The annotation colours, in one table: the names the archive stores (in the order keys
1-5 pick them in the reader) and how each looks (the reader's highlight, the swatches, the
W3C export's stylesheet)."""

from __future__ import annotations

ANNOTATION_COLORS: dict[str, str] = {
    "yellow": "#fff176",
    "green": "#aed581",
    "blue": "#81d4fa",
    "pink": "#f48fb1",
    "orange": "#ffb74d",
}
COLOR_NAMES: tuple[str, ...] = tuple(ANNOTATION_COLORS)
DEFAULT_COLOR = "yellow"


def color_value(name: str) -> str:
    """How a stored colour looks (#rrggbb); a name this version does not know looks like
    the default."""
    return ANNOTATION_COLORS.get(name, ANNOTATION_COLORS[DEFAULT_COLOR])
