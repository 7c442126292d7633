"""Dates as encyclopedias write them, turned into ISO start and end dates.

Handles `7 February 2024`, `February 7, 2024`, `2024-02-07`, ranges (`7–8 February 2024`,
`February 7–8, 2024`, `30 January – 2 February 2024`, `31 December 2023 – 1 January 2024`),
month-only and year-only dates, and dates without a year (`On 9 February`), whose year is
inferred from a reference date. A recogniser for these fixed forms is used rather than a
general date-guessing library: those misread ranges and cost milliseconds per call, and an
import of 100,000 articles cannot spend that.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTH_NUMBERS = {
    name.casefold(): number
    for number, names in enumerate(
        [
            ("January", "Jan"), ("February", "Feb"), ("March", "Mar"), ("April", "Apr"),
            ("May",), ("June", "Jun"), ("July", "Jul"), ("August", "Aug"),
            ("September", "Sep", "Sept"), ("October", "Oct"), ("November", "Nov"),
            ("December", "Dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[0-9]{3}|20[0-9]{2})"
# ("the night of 8/9 May 1945", "31 December 2022/1 January 2023": a night across two days)
_DASH = r"\s*(?:–|—|-|/|to|until|and)\s*"
# the days between the first and the last of a list: "July 4, 5, and 7, 2009", "4, 5 and 7 July"
_DAYS = rf"(?:,\s*{_DAY}){{0,5}},?"

# Each form, most specific first: at one position the first that matches wins, so a range
# is preferred to the single date it starts with.
_FORMS: list[tuple[str, str]] = [
    ("iso", rf"\b(?P<iso_y>{_YEAR})-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>0[1-9]|[12]\d|3[01])\b"),
    ("dmy_dmy",
     rf"\b(?P<dmy_dmy_d1>{_DAY})\s+(?P<dmy_dmy_m1>{_MONTH})(?:\s+(?P<dmy_dmy_y1>{_YEAR}))?{_DASH}"
     rf"(?P<dmy_dmy_d2>{_DAY})\s+(?P<dmy_dmy_m2>{_MONTH}),?\s+(?P<dmy_dmy_y2>{_YEAR})\b"),
    ("dd_my",
     rf"\b(?P<dd_my_d1>{_DAY}){_DAYS}{_DASH}(?P<dd_my_d2>{_DAY})\s+(?P<dd_my_m>{_MONTH}),?\s+"
     rf"(?P<dd_my_y>{_YEAR})\b"),
    ("dmy", rf"\b(?P<dmy_d>{_DAY})\s+(?P<dmy_m>{_MONTH}),?\s+(?P<dmy_y>{_YEAR})\b"),
    ("dm", rf"\b(?P<dm_d>{_DAY})\s+(?P<dm_m>{_MONTH})(?![\w-])"),
    ("mdy_mdy",
     rf"\b(?P<mdy_mdy_m1>{_MONTH})\s+(?P<mdy_mdy_d1>{_DAY})(?:,?\s+(?P<mdy_mdy_y1>{_YEAR}))?"
     rf"{_DASH}(?P<mdy_mdy_m2>{_MONTH})\s+(?P<mdy_mdy_d2>{_DAY}),?\s+(?P<mdy_mdy_y2>{_YEAR})\b"),
    ("m_dd_y",
     rf"\b(?P<m_dd_y_m>{_MONTH})\s+(?P<m_dd_y_d1>{_DAY}){_DAYS}{_DASH}(?P<m_dd_y_d2>{_DAY}),?\s+"
     rf"(?P<m_dd_y_y>{_YEAR})\b"),
    ("mdy", rf"\b(?P<mdy_m>{_MONTH})\s+(?P<mdy_d>{_DAY}),?\s+(?P<mdy_y>{_YEAR})\b"),
    # "in June and July 1941", "from January to March 2016": the months between
    ("mm_y", rf"\b(?P<mm_y_m1>{_MONTH}){_DASH}(?P<mm_y_m2>{_MONTH}),?\s+(?P<mm_y_y>{_YEAR})\b"),
    ("my", rf"\b(?P<my_m>{_MONTH}),?\s+(?P<my_y>{_YEAR})\b"),
    ("md", rf"\b(?P<md_m>{_MONTH})\s+(?P<md_d>{_DAY})\b(?!,?\s*{_YEAR})"),
    ("y", rf"(?<![\w-])(?P<y_y>{_YEAR})(?![\w-])"),
]  # fmt: skip
_KINDS = [kind for kind, _ in _FORMS]
_DAY_START = re.compile(r"(?<![\w-])\d{1,2}")
# \b(?:{_MONTH}(?![\w-])|\d{4}\b), written to open with the set of its first characters
# (each month's first letter, then the rest of its names in the same order; \b as a
# look-behind): a search skips to those characters instead of trying every position
_ANCHOR = re.compile(
    r"[JFMASOND\d](?<!\w[JFMASOND\d])"
    r"(?:(?:(?<=J)(?:anuary|une|uly|an|un|ul)|(?<=F)(?:ebruary|eb)|(?<=M)(?:arch|ay|ar)|"
    r"(?<=A)(?:pril|ugust|pr|ug)|(?<=S)(?:eptember|ept|ep)|(?<=O)(?:ctober|ct)|"
    r"(?<=N)(?:ovember|ov)|(?<=D)(?:ecember|ec))\.?(?![\w-])|(?<=\d)\d{3}\b)"
)
_ANY_DATE = re.compile("|".join(f"(?P<K_{kind}>{pattern})" for kind, pattern in _FORMS))
_FULL_KINDS = {"iso", "dmy_dmy", "dd_my", "mdy_mdy", "m_dd_y", "dmy", "mdy"}
_YEARLESS_KINDS = {"dm", "md"}
_DAYLESS_KINDS = {"mm_y", "my", "y"}


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date
    precision: str  # "day", "month" or "year"

    @property
    def iso(self) -> tuple[str, str]:
        return self.start.isoformat(), self.end.isoformat()

    def __contains__(self, other: object) -> bool:
        """Whether another range lies within this one (a day within its year)."""
        return isinstance(other, DateRange) and self.start <= other.start <= other.end <= self.end


@dataclass(frozen=True)
class DateMention:
    """A date expression found in text; year is None when the text gave none."""

    start: int
    end: int
    kind: str
    year: int | None
    month: int | None
    day: int | None
    range: DateRange | None  # None until a year is known


def _month(text: str) -> int:
    return MONTH_NUMBERS[text.rstrip(".").casefold()]


def _day(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _safe(year: int, month: int, day: int) -> date | None:
    if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]:
        return date(year, month, day)
    return None


def _range_from(kind: str, g: dict[str, str]) -> DateRange | None:
    if kind == "iso":
        start = _safe(int(g["y"]), int(g["m"]), int(g["d"]))
        return DateRange(start, start, "day") if start else None
    if kind in {"dmy", "mdy"}:
        start = _safe(int(g["y"]), _month(g["m"]), _day(g["d"]))
        return DateRange(start, start, "day") if start else None
    if kind in {"dd_my", "m_dd_y"}:
        year, month = int(g["y"]), _month(g["m"])
        first, last = _safe(year, month, _day(g["d1"])), _safe(year, month, _day(g["d2"]))
        return DateRange(first, last, "day") if first and last and first <= last else None
    if kind in {"dmy_dmy", "mdy_mdy"}:
        year2 = int(g["y2"])
        month1, month2 = _month(g["m1"]), _month(g["m2"])
        year1 = int(g["y1"]) if g.get("y1") else (year2 if month1 <= month2 else year2 - 1)
        first = _safe(year1, month1, _day(g["d1"]))
        last = _safe(year2, month2, _day(g["d2"]))
        return DateRange(first, last, "day") if first and last and first <= last else None
    if kind == "mm_y":
        year, opening, closing = int(g["y"]), _month(g["m1"]), _month(g["m2"])
        opening = min(opening, closing)  # "May and April 2010": the month with the year
        last_day = calendar.monthrange(year, closing)[1]
        return DateRange(date(year, opening, 1), date(year, closing, last_day), "month")
    if kind == "my":
        year, month = int(g["y"]), _month(g["m"])
        last_day = calendar.monthrange(year, month)[1]
        return DateRange(date(year, month, 1), date(year, month, last_day), "month")
    if kind == "y":
        year = int(g["y"])
        return DateRange(date(year, 1, 1), date(year, 12, 31), "year")
    return None


# each form's own groups, so a match is read without walking every form's groups
_KIND_GROUPS = {
    kind: [name for name in _ANY_DATE.groupindex if name.startswith(kind + "_")] for kind in _KINDS
}


def _parts(match: re.Match[str], kind: str) -> dict[str, str]:
    cut = len(kind) + 1
    parts = {}
    for name in _KIND_GROUPS[kind]:
        value = match.group(name)
        if value is not None:
            parts[name[cut:]] = value
    return parts


def _candidates(text: str) -> list[re.Match[str]]:
    """Matches of the date forms. Every form holds a month name or a four-digit number, and
    starts there or at a day number just before it, so the full pattern is tried only at
    those few places (many times faster than running it over the whole text)."""
    matches: list[re.Match[str]] = []
    reached = 0
    for anchor in _ANCHOR.finditer(text):
        if anchor.start() < reached:
            continue
        back = max(reached, anchor.start() - 16)
        starts = [m.start() for m in _DAY_START.finditer(text, back, anchor.start())]
        for start in [*starts, anchor.start()]:
            match = _ANY_DATE.match(text, start)
            if match is not None and match.end() > anchor.start():
                matches.append(match)
                reached = match.end()
                break
    return matches


def _kind_of(match: re.Match[str]) -> str:
    return next(k for k in _KINDS if match.group("K_" + k) is not None)


def find_dates(text: str, *, yearless: bool = True, days_only: bool = False) -> list[DateMention]:
    """Date expressions in text, left to right, not overlapping (one regex pass).
    days_only: only those that give a day (a month or a year alone is still matched, so
    that what the others overlap stays as it was, but no mention is made of it: most of a
    body's dates are bare years)."""
    found: list[DateMention] = []
    for match in _candidates(text):
        outer = match.lastgroup  # the form's own group closes last
        kind = outer[2:] if outer and outer.startswith("K_") else _kind_of(match)
        if days_only and kind in _DAYLESS_KINDS:
            continue
        g = _parts(match, kind)
        if kind in _YEARLESS_KINDS:
            if yearless:
                day, month = _day(g["d"]), _month(g["m"])
                found.append(DateMention(match.start(), match.end(), kind, None, month, day, None))
            continue
        value = _range_from(kind, g)
        if value is None:
            continue
        found.append(
            DateMention(
                match.start(), match.end(), kind, value.start.year,
                value.start.month if value.precision != "year" else None,
                value.start.day if value.precision == "day" else None, value,
            )
        )  # fmt: skip
    return found


def parse_date_text(text: str) -> DateRange | None:
    """The date an infobox value (or a lead sentence) gives: the first full expression,
    else month-year, else a year on its own."""
    mentions = [m for m in find_dates(text, yearless=False) if m.range is not None]
    for precision in ("day", "month", "year"):
        for mention in mentions:
            assert mention.range is not None
            if mention.range.precision == precision:
                return mention.range
    return None


def first_full_date(text: str) -> DateRange | None:
    """The first day-precise date in running text (for articles whose infobox has none)."""
    for mention in find_dates(text, yearless=False):
        if mention.range is not None and mention.range.precision == "day":
            return mention.range
    return None


def resolve_year(month: int, day: int, reference: date) -> date | None:
    """The date with this month and day closest to the reference date."""
    candidates = [
        value
        for year in (reference.year - 1, reference.year, reference.year + 1)
        if (value := _safe(year, month, day)) is not None
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda value: abs((value - reference).days))


def shift(value: date, days: int) -> date:
    return value + timedelta(days=days)


_TITLE_YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})\b")
_EVENT_CUE = re.compile(
    r"\b(?:on|occurred|took place|happened|carried out|began|started|committed|perpetrated|"
    r"attacked|struck|exploded|killed)\b[^.]{0,25}$",
    re.IGNORECASE,
)
_PRECISION_SCORE = {"day": 30, "month": 15, "year": 5}


def date_from_text(
    text: str, title: str = "", *, within: DateRange | None = None
) -> tuple[str, DateRange] | None:
    """The incident's date from running text (a lead with no infobox date), with the words
    it came from: the most precise date the text gives, preferring one in the title's year
    and one that a verb of the event introduces ("took place on 8 October 2016"); a date
    without a year takes the title's. `within`: only a day inside that range (the lead said
    "in June 2014", the body gives the day)."""
    title_year = _TITLE_YEAR.search(title)
    year = int(title_year.group(1)) if title_year else None
    best: tuple[int, str, DateRange] | None = None
    original = text
    text = _unglued(text[:4000])
    first_paragraph = text.find("\n") if "\n" in text else len(text)
    for index, mention in enumerate(find_dates(text, yearless=year is not None)):
        value = mention.range
        if value is None and year is not None and mention.month and mention.day:
            day = _safe(year, mention.month, mention.day)
            value = DateRange(day, day, "day") if day else None
        if value is None:
            continue
        if within is not None and (value.precision != "day" or value not in within):
            continue
        score = _PRECISION_SCORE[value.precision] - index
        if year is not None:
            score += 20 if value.start.year <= year <= value.end.year else -20
        if _EVENT_CUE.search(text[max(0, mention.start - 40) : mention.start]):
            score += 10
        if mention.start < first_paragraph:
            score += 15  # the first paragraph is about the incident; later ones may not be
        if best is None or score > best[0]:
            words = text[mention.start : mention.end]
            if words not in original:  # a range whose dash the copy lost: as the text has it
                words = words.replace("–", "", 1)
            best = (score, words, value)
    return (best[1], best[2]) if best is not None else None


# "on 1112 July 1943": a plain copy that lost the dash of "11–12 July"; two days in order
_GLUED_DAYS = re.compile(
    r"\b(?P<first>[1-9]|[12]\d|3[01])(?P<second>[0-3]\d)(?=\s+(?:"
    + "|".join(calendar.month_name[1:])
    + r")\b)"
)


def _unglued(text: str) -> str:
    def dash(match: re.Match[str]) -> str:
        first, second = int(match.group("first")), int(match.group("second"))
        if first < second <= 31 and match.group("second")[0] != "0":
            return f"{first}–{second}"
        return match.group(0)

    return _GLUED_DAYS.sub(dash, text)
