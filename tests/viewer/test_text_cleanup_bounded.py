"""Cleaning a line of markup costs work bounded by the line, whatever it holds."""

from __future__ import annotations

import pytest

from tests.reliability.fuzzing import deadline
from viewer.parsing.text_cleanup import strip_markup


@pytest.mark.parametrize("unclosed", ["<![CDATA[", "[x](", "![a]("])
def test_unclosed_markdown_repeated_along_a_long_line_is_no_hang(unclosed: str) -> None:
    """Found by make fuzz: a 260 KB line of '<![CDATA[' took minutes in strip_markup."""
    line = ("text " + unclosed) * 30_000
    with deadline(5):
        cleaned = strip_markup(line)
    assert cleaned.startswith("text")


def test_markdown_images_and_links_still_reduce_to_their_words() -> None:
    text = "See ![a map](map.png) the [report](https://example.org/r) here."
    assert strip_markup(text) == "See  the report here."
