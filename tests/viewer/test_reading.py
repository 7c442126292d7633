"""What the reader, the timeline and the command line show of an incident's figures."""

from __future__ import annotations

import pytest

from viewer.services.reading import toll_text

pytestmark = pytest.mark.engines


@pytest.mark.parametrize(
    ("low", "high", "open_ended", "shown"),
    [
        (60, 60, False, "60"),
        (1017, 1017, False, "1,017"),
        (28, 30, True, "28–30+"),
        (40, None, True, "40+"),
        (None, 12, False, "12"),
        (1200, 1500, False, "1,200–1,500"),
        (None, None, False, ""),
        (None, None, True, ""),
    ],
)
def test_one_toll_format_everywhere(
    low: int | None, high: int | None, open_ended: bool, shown: str
) -> None:
    assert toll_text(low, high, open_ended) == shown
