"""The date axis: which ticks to draw at a zoom, and labels that fit between them.

Text widths come from whatever measures them (QFontMetrics in the window); nothing here
imports Qt.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Protocol

# (unit, step, shortest length of one step in days): candidates from fine to coarse.
_TICK_STEPS: tuple[tuple[str, int, float], ...] = (
    ("day", 1, 1), ("day", 2, 2), ("day", 5, 5), ("day", 10, 10),
    ("month", 1, 28), ("month", 3, 90), ("month", 6, 181),
    ("year", 1, 365), ("year", 2, 730), ("year", 5, 1826), ("year", 10, 3652),
    ("year", 20, 7305), ("year", 50, 18262), ("year", 100, 36524), ("year", 200, 73048),
    ("year", 500, 182621), ("year", 1000, 365242),
)  # fmt: skip
TICK_GAP = 14  # pixels between the end of one label and the next tick

# The month names once: calendar's lists format a date anew at every index (strftime, which
# imports the time module each call), and the axis asked for all twelve at every paint.
_MONTH_NAMES = tuple(calendar.month_name)
_MONTH_ABBRS = tuple(calendar.month_abbr)
_MONTH_ABBR = {name: abbr for name, abbr in zip(_MONTH_NAMES, _MONTH_ABBRS, strict=True) if name}


class TextWidths(Protocol):
    """What measures a label (QFontMetrics does)."""

    def horizontalAdvance(self, text: str, /) -> int: ...


@dataclass(frozen=True)
class Tick:
    ordinal: int
    label: str


def choose_tick_step(scale: float, metrics: TextWidths) -> tuple[str, int]:
    """The finest step whose labels fit between their ticks at scale pixels per day."""
    widths = {
        "day": metrics.horizontalAdvance("28"),
        "month": max(metrics.horizontalAdvance(abbr) for abbr in _MONTH_ABBRS[1:]),
        "year": metrics.horizontalAdvance("2000"),
    }
    for unit, step, days in _TICK_STEPS:
        if days * scale >= widths[unit] + TICK_GAP:
            return unit, step
    return _TICK_STEPS[-1][0], _TICK_STEPS[-1][1]


def fit_major_label(label: str, room: float, metrics: TextWidths) -> str:
    """The label, shortened to fit room pixels: "September 2023", "Sep 2023", "Sep", or
    nothing (the next label would otherwise be drawn over it)."""
    if metrics.horizontalAdvance(label) <= room:
        return label
    month, _, year = label.partition(" ")
    abbr = _MONTH_ABBR.get(month)
    candidates = [f"{abbr} {year}", abbr] if abbr and year else []
    for candidate in candidates:
        if metrics.horizontalAdvance(candidate) <= room:
            return candidate
    return ""


def axis_ticks(first: date, last: date, unit: str, step: int) -> tuple[list[Tick], list[Tick]]:
    """Minor ticks (with short labels) and major ticks (month or year context) in range."""
    if unit == "year":
        return _year_ticks(first, last, step), []
    minor: list[Tick] = []
    major: list[Tick] = []
    month_index = first.year * 12 + first.month - 1
    while True:
        year, month = divmod(month_index, 12)
        month += 1
        if year > last.year or (year == last.year and month > last.month) or year > 9999:
            break
        start = date(year, month, 1)
        if unit == "month":
            if (month - 1) % step == 0:
                minor.append(Tick(start.toordinal(), _MONTH_ABBRS[month]))
            if month == 1:
                major.append(Tick(start.toordinal(), str(year)))
        else:
            minor.extend(_day_ticks(start, step))
            major.append(Tick(start.toordinal(), f"{_MONTH_NAMES[month]} {year}"))
        month_index += 1
    return minor, major


def _year_ticks(first: date, last: date, step: int) -> list[Tick]:
    ticks: list[Tick] = []
    year = first.year - first.year % step
    while year <= last.year:
        if year >= 1:
            ticks.append(Tick(date(year, 1, 1).toordinal(), str(year)))
        year += step
    return ticks


def _day_ticks(month_start: date, step: int) -> list[Tick]:
    """Every step-th day of the month that begins at month_start."""
    length = calendar.monthrange(month_start.year, month_start.month)[1]
    ticks: list[Tick] = []
    for day in range(1, length + 1, step):
        if day > 1 and day + step / 2 > length + 1:
            continue  # too close to the next month's first tick
        ticks.append(Tick(month_start.toordinal() + day - 1, str(day)))
    return ticks
