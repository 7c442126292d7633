"""Dated events inside an article: sentences such as "On 9 February, ..." with the year
inferred from the incident date, and relative ones ("About an hour-and-a-half later, ...")
attached to the dated event before them in the same section."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from db.records import EventRecord, SectionRecord
from viewer.extraction.dates import DateMention, find_dates, resolve_year, shift
from viewer.extraction.sentences import Sentence, SentenceSplits, blocks
from viewer.parsing.model import APPARATUS_SECTIONS

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "several": 2, "a few": 2, "few": 2,
}  # fmt: skip
_SKIPPED_SECTIONS = {"see also", *APPARATUS_SECTIONS}
_RELATIVE_HINT = re.compile(
    r"later|after|earlier|before|next|following|that (?:evening|night)", re.I
)
# the same words in a line in lower case, each found by a substring test (a search ignoring
# case tries every position of every line: most of extract_events' time)
_HINT_WORDS = ("later", "after", "earlier", "before", "next", "following", "that evening",
               "that night")  # fmt: skip
# the only characters that a search ignoring case reads otherwise than one of the line in
# lower case (İ and K lower to ASCII letters, ı matches i): a text holding one is searched
# as it is
_CASE_TRAPS = ("\u0130", "\u0131", "\u212a")
_RELATIVE = re.compile(
    r"^(?:(?:about|around|some|roughly|approximately|nearly|almost|just|only|less than|"
    r"more than|over)\s+)?"
    r"(?P<amount>\d+|a few|an?|one|two|three|four|five|six|seven|eight|nine|ten|several|few)?"
    r"[\s-]*(?:and[\s-]a[\s-]half[\s-]*)?(?:-|\s)*"
    r"(?P<unit>minutes?|hours?|hour-and-a-half|days?|weeks?|months?)?\s*"
    r"(?P<word>later|afterwards|after(?:ward)?s?|earlier|before)\b"
    r"|^(?P<phrase>later (?:that|the same) (?:day|night|evening|morning|afternoon)|"
    r"that (?:evening|night|afternoon)|the (?:next|following) (?:day|morning|evening|night)|"
    r"the day after|the day before|the previous day|hours later|minutes later|moments later|"
    r"shortly (?:after|afterwards|before)|soon after(?:wards)?)\b",
    re.I,
)


def _relative_days(match: re.Match[str]) -> int | None:
    phrase = (match.group("phrase") or "").lower()
    if phrase:
        if "next" in phrase or "following" in phrase or phrase == "the day after":
            return 1
        if "before" in phrase or "previous" in phrase:
            return -1 if "day" in phrase else 0
        return 0
    unit = (match.group("unit") or "").lower()
    word = match.group("word").lower()
    if not unit:
        return 0 if word in {"later", "afterwards"} else None
    amount_text = (match.group("amount") or "a").lower()
    amount = int(amount_text) if amount_text.isdigit() else _NUMBER_WORDS.get(amount_text, 1)
    sign = -1 if word in {"earlier", "before"} else 1
    if unit.startswith(("minute", "hour")):
        return 0
    if unit.startswith("day"):
        return sign * amount
    if unit.startswith("week"):
        return sign * 7 * amount
    return sign * 30 * amount


def extract_events(
    body: str,
    spans: Sequence[SectionRecord],
    incident_start: date | None,
    splits: SentenceSplits | None = None,
) -> list[EventRecord]:
    """Every sentence that carries a day-precise date (or a relative one), in order.

    Only lines that hold a date or a relative phrase are split into sentences: one pass of
    the date finder over the whole body decides which."""
    by_line: dict[int, list[DateMention]] = {}
    for mention in find_dates(body, days_only=True):
        by_line.setdefault(body.rfind("\n", 0, mention.start) + 1, []).append(mention)
    hinted = _has_hint if any(c in body for c in _CASE_TRAPS) else _has_hint_lowered
    split = (splits or SentenceSplits()).split
    events: list[EventRecord] = []
    for span in spans:
        if span.heading and span.heading.casefold() in _SKIPPED_SECTIONS:
            continue
        anchor: EventRecord | None = None
        for offset, block in blocks(body, span.start, span.end):
            dated = by_line.get(offset, [])
            if not dated and not hinted(block):
                continue
            for sentence in split(block, offset):
                event = _dated(sentence, dated, span, incident_start)
                if event is None:
                    # (one anchored match: cheaper than looking for its words first)
                    event = _relative(
                        sentence.text, sentence.start, sentence.end, span, anchor, incident_start
                    )
                if event is not None:
                    events.append(event)
                    if not event.relative:
                        anchor = event
    return events


def _has_hint(line: str) -> bool:
    return _RELATIVE_HINT.search(line) is not None


def _has_hint_lowered(line: str) -> bool:
    lowered = line.lower()
    return any(word in lowered for word in _HINT_WORDS)


def _dated(
    sentence: Sentence,
    mentions: list[DateMention],
    span: SectionRecord,
    incident_start: date | None,
) -> EventRecord | None:
    """The sentence as an event, dated by the first day-precise date in it (mentions carry
    offsets in the body, as sentences do)."""
    for mention in mentions:
        where = mention.start
        if not sentence.start <= where < sentence.end:
            continue
        if mention.range is not None and mention.range.precision == "day":
            value = mention.range.start
        elif mention.year is None and mention.month and mention.day and incident_start:
            resolved = resolve_year(mention.month, mention.day, incident_start)
            if resolved is None:
                continue
            value = resolved
        else:
            continue
        date_text = sentence.text[
            where - sentence.start : where - sentence.start + mention.end - mention.start
        ]
        return EventRecord(
            value.isoformat(),
            date_text,
            sentence.text,
            sentence.start,
            sentence.end,
            span.heading,
            False,
            "day",
        )
    return None


def _relative(
    text: str,
    start: int,
    end: int,
    span: SectionRecord,
    anchor: EventRecord | None,
    incident_start: date | None,
) -> EventRecord | None:
    match = _RELATIVE.match(text)
    if not match or not match.group(0).strip():
        return None
    days = _relative_days(match)
    if days is None:
        return None
    base = date.fromisoformat(anchor.date) if anchor else incident_start
    if base is None:
        return None
    return EventRecord(
        shift(base, days).isoformat(),
        match.group(0).strip(),
        text,
        start,
        end,
        span.heading,
        True,
        "day",
    )
