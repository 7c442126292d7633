"""Casualty figures (`60`, `28–30+`, `At least 42`, `1,017`, `85 (including the perpetrator)`,
`103 (+2 suicide bombers)`, `41 - 80 confirmed, 50+ (reported)`, `Unknown`) as low, high and
open-ended, with the attackers among the dead counted apart where the text says so.

As in the Global Terrorism Database, the fatalities count everyone the incident killed,
attackers included (nkill), and the attackers are also counted on their own (nkillter):
`23 (including the assailant)` is 23 and 1; `103 (+2 suicide bombers)` is 105 and 2;
`2,996 (2,977 victims + 19 hijackers)` is 2,996 and 19. Parts with no total,
`(1 passenger and 11 pedestrians)`, add up to one. A figure with no word on attackers
stays as stated, its attackers unknown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from db.records import Toll

WORD_NUMBERS = {
    "none": 0, "zero": 0, "no": 0, "one": 1, "a": 1, "an": 1, "single": 1, "two": 2,
    "both": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "a hundred": 100, "one hundred": 100,
}  # fmt: skip
# Figures in words that are lower bounds, not counts: "dozens" is at least two dozen.
VAGUE_NUMBERS = {
    "dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000, "tens of thousands": 20000,
    "hundreds of thousands": 200000, "a dozen": 12, "dozen": 12,
}  # fmt: skip
_COUNTED = {k: v for k, v in WORD_NUMBERS.items() if k not in {"no", "a", "an", "single"}}
# "Forty-five other people were injured": tens and units in words, one number
_TENS = r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS = r"one|two|three|four|five|six|seven|eight|nine"
_COMPOUND = re.compile(rf"^({_TENS})[\s-]({_UNITS})$")


def number_words(words: Iterable[str]) -> str:
    """An alternation of number words, longest first, each ten with its units after it
    ("forty-five")."""
    return "|".join(
        rf"{re.escape(w)}(?:[\s-](?:{_UNITS})\b)?" if re.fullmatch(_TENS, w) else re.escape(w)
        for w in sorted(words, key=len, reverse=True)
    )


_NUMBER = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+|" + number_words(_COUNTED)
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
# "In response, the army killed around 15 militants": the answer to the attack, neither its
# perpetrator nor its toll
REPRISAL = re.compile(r"\b(?:in response|in retaliation|retaliat\w*|responded)\b", re.I)
ATTACKER_WORDS = (
    r"(?:suicide\s+)?(?:perpetrators?|attackers?|assailants?|(?:suicide\s+)?bombers?|gunm[ae]n|"
    r"shooters?|militants?|terrorists?|hijackers?|insurgents?|killers?|culprits?|"
    r"the\s+(?:perpetrator|attacker|assailant|bomber|gunman|shooter)s?)"
)
# "(including the assailant)", "including 3 attackers", "(+2 suicide bombers)",
# "excluding the perpetrator", "19 hijackers", "2 (the perpetrators)"
_INCLUDING = re.compile(
    rf"(?P<how>\b(?:including|incl\.|inc\.|excluding|not\s+including|plus|and)\b|\+)\s*"
    rf"(?P<count>(?:the|both|all|all\s+\w+|{_NUMBER})\s+)?(?:of\s+the\s+)?"
    rf"(?:\w+\s+)?{ATTACKER_WORDS}",
    re.IGNORECASE,
)
_COUNT_ATTACKERS = re.compile(
    rf"(?P<count>\b(?:{_NUMBER}))\s*\(?\s*(?:the\s+|of\s+the\s+)?(?:\w+\s+)?{ATTACKER_WORDS}",
    re.IGNORECASE,
)
_ESTIMATE = re.compile(r"\b(confirmed|reported|estimated?|claimed|official|according)\b", re.I)


@dataclass
class _Figure:
    low: int
    high: int
    open_ended: bool
    start: int
    end: int


def number_value(text: str) -> int | None:
    folded = " ".join(text.casefold().split())
    if folded in WORD_NUMBERS:
        return WORD_NUMBERS[folded]
    compound = _COMPOUND.match(folded)
    if compound is not None:
        return WORD_NUMBERS[compound.group(1)] + WORD_NUMBERS[compound.group(2)]
    digits = folded.replace(",", "")
    return int(digits) if digits.isdigit() and len(digits) <= 12 else None


def _figures(text: str) -> list[_Figure]:
    figures = []
    for match in _FIGURE.finditer(text):
        low = number_value(match.group("low"))
        high = number_value(match.group("high")) if match.group("high") else low
        if low is None or high is None or high < low:
            continue
        open_ended = bool(match.group("plus") or match.group("open_before"))
        figures.append(_Figure(low, high, open_ended, match.start(), match.end()))
    return figures


def _attackers(count: str | None) -> int:
    """How many attackers "the", "both", "all three", "2" stand for."""
    if not count:
        return 1
    words = count.strip().casefold().split()
    if words[0] in {"the", "a", "an"}:
        return 1
    if words[0] == "all" and len(words) > 1:
        return number_value(words[1]) or 1
    return number_value(" ".join(words)) or 1


def parse_toll(text: str | None) -> Toll:
    """Low and high ends of a casualty figure; the text is kept as it was."""
    return read_fatalities(text)[0]


def read_fatalities(text: str | None) -> tuple[Toll, Toll]:
    """(everyone killed, the attackers among them) from an infobox value."""
    if text is None or not text.strip() or _UNKNOWN.match(text):
        return Toll(text=text), Toll()
    outside = _PARENTHESES.sub(lambda m: " " * len(m.group(0)), text)
    attackers, added = _attacker_count(text)
    figures = _figures(outside)
    # a figure that counts the attackers themselves ("2 (the perpetrators)") is not an
    # alternative estimate of the toll but one part of it
    labelled = _labelled_attackers(text, figures)
    stated = next((f for f in figures if _TOTAL.search(outside[: f.start])), None)
    if stated is not None:
        # "14 soldiers, 1 civilian, 1 perpetrator, Total: 30": the value's own sum
        among = (
            Toll(labelled.low, labelled.high, False, None)
            if labelled is not None
            else _attacker_toll(attackers)
        )
        return Toll(stated.low, stated.high, stated.open_ended, text), among
    if labelled is not None and len(figures) == 1:  # "1 (the perpetrator)": only they died
        return Toll(labelled.low, labelled.high, labelled.open_ended, text), Toll(
            labelled.low, labelled.high, False, None
        )
    if labelled is not None and len(figures) > 1:
        parts = [f for f in figures if f is not labelled]
        victims = sum(f.low for f in parts)
        total = victims + labelled.low
        return (
            Toll(total, total, any(f.open_ended for f in parts), text),
            Toll(labelled.low, labelled.low, False, None),
        )
    if not figures:
        inside = _figures(text)
        summed = _parts_with_no_total(text, inside)
        if summed is not None:
            return Toll(summed, summed, False, text), _attacker_toll(attackers)
        # a lone figure in brackets is the toll
        figures = inside if len(inside) == 1 else []
    if not figures:
        word = vague_word(outside)
        if word is not None:
            # "Dozens", "Hundreds of civilians": a lower bound, kept open, as a lead's are
            low = VAGUE_NUMBERS[word]
            return Toll(low, low, word not in {"a dozen", "dozen"}, text), Toll()
        return Toll(text=text), Toll()
    summed = _parts_with_no_total(outside, figures)
    if summed is not None:  # "17 soldiers, 10 civilians": parts of one toll
        return Toll(summed, summed, any(f.open_ended for f in figures), text), _attacker_toll(
            attackers
        )
    low = min(f.low for f in figures)
    high = max(f.high for f in figures)
    open_ended = any(f.open_ended and f.high >= high for f in figures)
    if added:
        low, high = low + attackers, high + attackers
    return Toll(low, high, open_ended, text), _attacker_toll(attackers)


_VAGUE = re.compile(
    r"\b(?:"
    + "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(VAGUE_NUMBERS, key=len, reverse=True)
    )
    + r")\b",
    re.I,
)
_TOTAL = re.compile(r"\btotal\W{0,3}$", re.I)


def vague_word(text: str) -> str | None:
    """The first toll in words the text gives ("dozens", "hundreds of thousands"), as a key
    of VAGUE_NUMBERS; the longest form where one holds another."""
    found = _VAGUE.search(text)
    return " ".join(found.group(0).casefold().split()) if found else None


def _attacker_toll(count: int) -> Toll:
    return Toll(count, count, False, None) if count else Toll()


def _attacker_count(text: str) -> tuple[int, bool]:
    """Attackers the value counts among the dead, and whether they come on top of the
    figure given (`+2 suicide bombers`, `excluding the perpetrator`) or inside it."""
    match = _INCLUDING.search(text)
    if match is not None:
        how = match.group("how").casefold()
        on_top = how in {"+", "plus", "excluding", "and"} or how.startswith("not")
        if how in {"+", "and"}:
            # "2,977 victims + 19 hijackers" inside a total: parts of it, not on top
            inner = _COUNT_ATTACKERS.search(text, match.start())
            if inner is not None and re.search(r"\d[^()]*\+|victims", text[: match.start()]):
                return _attackers(inner.group("count")), False
        return _attackers(match.group("count")), on_top
    bare = _BARE_PLUS.search(text)
    if bare is not None:
        # "72+ (+1)": the attack infobox's way of adding the attackers to the victims
        return int(bare.group("count")), True
    return 0, False


_BARE_PLUS = re.compile(r"\(\s*\+\s*(?P<count>\d{1,3})\b(?!\s*(?:injured|wounded|hurt))[^()]*\)")


def _labelled_attackers(text: str, figures: list[_Figure]) -> _Figure | None:
    """A figure outside brackets followed by "(the perpetrators)" or "attackers"."""
    for figure in figures:
        after = text[figure.end : figure.end + 40]
        if re.match(rf"\s*\(?\s*(?:the\s+|of\s+the\s+)?{ATTACKER_WORDS}", after, re.I):
            return figure
    return None


def _parts_with_no_total(text: str, inside: list[_Figure]) -> int | None:
    """`(1 passenger and 11 pedestrians)`: parts joined by "and", commas or "+"."""
    if len(inside) < 2 or _ESTIMATE.search(text) or any(f.high != f.low for f in inside):
        return None
    for left, right in pairwise(inside):
        between = text[left.end : right.start]
        # each figure counts its own kind of victim: "1 passenger and 11 pedestrians"
        if not re.fullmatch(
            r"\s*[A-Za-z][A-Za-z -]{0,29}?(?:,|\band\b|\+|;)\s*(?:and\s+)?", between
        ):
            return None
    if not re.match(r"\s*[A-Za-z]", text[inside[-1].end :]):
        return None  # the last figure names no kind: "3, 5" are alternatives
    return sum(f.low for f in inside)


# "746 killed, ~200 wounded, 2 LSTs sunk": a battle infobox's losses of one side
_ABOUT = r"(?:(?:at\s+least|over|more\s+than|about|around|c\.|~)\s*)?"
_SIDE_LOSS = re.compile(
    rf"(?P<figure>{_ABOUT}(?:\d{{1,3}}(?:,\d{{3}})+(?!\d)|\d+(?:\s*[–—-]\s*\d+)?)\+?)\s+"
    rf"(?P<what>killed|dead|deaths?|wounded|injured)\b",
    re.I,
)


def side_losses(values: list[str]) -> tuple[Toll, Toll]:
    """(killed, wounded) over the sides of a battle infobox (casualties1, casualties2...),
    where each side's value labels its figures; a side that gives a bare figure ("98",
    killed and wounded together) is not counted."""
    killed: list[Toll] = []
    wounded: list[Toll] = []
    for value in values:
        for match in _SIDE_LOSS.finditer(value):
            toll = parse_toll(match.group("figure").lstrip("~"))
            if toll.min is None:
                continue
            what = match.group("what").casefold()
            (wounded if what in {"wounded", "injured"} else killed).append(toll)
    return _summed(killed, values), _summed(wounded, values)


def _summed(tolls: list[Toll], values: list[str]) -> Toll:
    if not tolls:
        return Toll()
    low = sum(t.min or 0 for t in tolls)
    high = sum(t.max or t.min or 0 for t in tolls)
    return Toll(low, high, any(t.open_ended for t in tolls), "; ".join(values))
