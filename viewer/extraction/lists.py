"""List-valued infobox facts: perpetrators with a suspected flag, places, types, targets and
the campaigns an incident is part of; with the residue of wiki conversion removed."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from viewer.parsing.model import InfoboxEntry

# What converting wiki markup to text leaves behind: bullets, image sizes, file links,
# template parameters, and bare numbers that were link targets.
_RESIDUE = [
    re.compile(r"\[\[?(?:File|Image):[^\]]*\]?\]?", re.I),
    re.compile(r"\b\d+\s*px\b", re.I),
    re.compile(r"\bskin-invert(?:-image)?\]*", re.I),
    re.compile(r"\|\s*[\w-]+\s*=\s*[^|,;\n]*"),
    re.compile(r"\b(?:upright|thumb|frameless|left|right|center)\s*=?\s*[\d.]*\]\]", re.I),
    re.compile(r"[\[\]{}|]+"),
]
_BULLET = re.compile(r"^[\s,;*•·:–—-]+|[\s,;*•·:–—-]+$")
_SPLIT = re.compile(r"\s*(?:[;\n•]|,\s*\*|\s\*\s|,(?![^()]*\)))\s*")
_SUSPECTED = re.compile(
    r"\s*[\(\[]?\s*\b(suspected|alleged|allegedly|presumed|accused|unconfirmed|"
    r"possibly|probably|likely|believed|reportedly|presumably)\b"
    r"\s*[\)\]]?\s*",
    re.I,
)
_TRAILING_NOTE = re.compile(
    r"\s*\((?:deceased|killed|died|arrested|captured|at large|perpetrator|attacker|"
    r"gunman|bomber|claimed|claimed responsibility|self-proclaimed|see also[^()]*)\)\s*$",
    re.I,
)
_UNKNOWN = re.compile(r"^(unknown|unidentified|unclear|not known|none|n/?a|\?)(\s+.*)?$", re.I)
# "claimed by the Free Syrian Army": a claim names the perpetrator, it does not hedge it
_CLAIMED_BY = re.compile(r"^\s*(?:claimed\s+by|responsibility\s+claimed\s+by)\s+", re.I)
# "Hashem Abedi (sourced explosive materials)": a note on the perpetrator, not the name
_NOTE = re.compile(r"\s*\((?![A-Z][\w.-]*\)$)[^()]*\)\s*$")


def clean_residue(value: str) -> str:
    for pattern in _RESIDUE:
        value = pattern.sub(" ", value)
    return " ".join(value.split())


def split_items(value: str, *, on_and: bool = False) -> list[str]:
    """Split a list-valued infobox value into cleaned items (commas, semicolons, bullets;
    " and " too when asked, only where a capitalised name follows it)."""
    parts = _SPLIT.split(clean_residue(value.replace("\n", "; ")))
    items: list[str] = []
    for part in parts:
        pieces = re.split(r"\s+and\s+(?=[A-Z])", part) if on_and else [part]
        for piece in pieces:
            piece = _BULLET.sub("", piece).strip()
            if piece and not re.fullmatch(r"\d{1,2}|[\W_]+", piece):
                items.append(piece)
    return items


@dataclass
class Perpetrator:
    name: str
    suspected: bool


def parse_perpetrators(value: str | None, *, suspected_field: bool = False) -> list[Perpetrator]:
    """Perpetrators as a list; `(suspected)`, `alleged` or an `Accused` field mark suspicion;
    `Unknown` gives an empty list."""
    if not value:
        return []
    result: list[Perpetrator] = []
    for item in split_items(value):
        suspected = suspected_field or bool(_SUSPECTED.search(item))
        name = _TRAILING_NOTE.sub("", _SUSPECTED.sub(" ", _CLAIMED_BY.sub("", item)))
        name = _NOTE.sub("", _BULLET.sub("", " ".join(name.split())))
        name = re.sub(r"^(?:the)\s+", "", name, flags=re.I)
        if not name or _UNKNOWN.match(name):
            continue
        if all(p.name.casefold() != name.casefold() for p in result):
            result.append(Perpetrator(name, suspected))
    return result


def parse_places(value: str | None) -> list[str]:
    """`Pishin District and Killa Saifullah, Balochistan, Pakistan` -> four places."""
    if not value:
        return []
    places: list[str] = []
    for item in split_items(value, on_and=True):
        item = re.sub(r"\s*\((?:[^()]*)\)\s*$", "", item)
        item = re.sub(r"^(?:near|in|at|the)\s+", "", item, flags=re.I).strip()
        if item and item not in places:
            places.append(item)
    return places


def parse_terms(value: str | None, *, capitalised_and: bool = False) -> list[str]:
    """Types, targets or campaigns as a list; a leading "the" is dropped."""
    if not value:
        return []
    terms: list[str] = []
    for item in split_items(value, on_and=capitalised_and):
        item = re.sub(r"^the\s+", "", item, flags=re.I).strip()
        if item and item.casefold() not in {t.casefold() for t in terms}:
            terms.append(item[:1].upper() + item[1:] if item[:1].islower() else item)
    return terms


# Infobox keys a conversion garbled into something else ("Class: skin-invert-image]] Islamic
# State – Khorasan Province"): their values hold the perpetrator after the residue.
_GARBLED_KEY = re.compile(r"^(?:class|upright|alt|link|\d+\s*px)$", re.I)


def garbled_perpetrators(entries: Iterable[InfoboxEntry]) -> list[Perpetrator]:
    """A perpetrator that a garbled infobox line still names: a known armed group after
    the residue of a file link, under a key that is only residue itself."""
    from viewer.extraction.gazetteer import gazetteer

    gaz = gazetteer()
    result: list[Perpetrator] = []
    for entry in entries:
        if not _GARBLED_KEY.match(entry.key.strip()) or "]]" not in entry.value:
            continue
        rest = clean_residue(entry.value.rsplit("]]", 1)[1])
        found = gaz.names.scan(rest)
        if found and found[0].text == rest and found[0].value.kind == "armed_group":
            result.append(Perpetrator(found[0].value.name, False))
    return result


# capitalised words, joined by the small words of place names ("Stratford upon Avon",
# "Freiburg im Breisgau"), never ending in one ("Paris, France on 13 November")
_PLACE_WORDS = r"[A-Z][\w'’.-]*(?:(?:\s+(?:al|el|de|du|of|upon|on|im|am))*\s+[A-Z][\w'’.-]*)*"
# "in Maiduguri, Borno State, northeastern Nigeria": a direction before the last part
_DIRECTION = r"(?:(?:north|south|east|west|central|far)[\w-]*\s+)"
_IN_PLACE = re.compile(
    rf"\b(?:in|at|near|outside|of)\s+(?:the\s+)?(?P<places>{_PLACE_WORDS}"
    rf"(?:,\s+(?:the\s+)?{_DIRECTION}?{_PLACE_WORDS}){{1,3}})"
)
# "in Bessbrook, County Armagh": the town's province or district after it
_ADMIN_AFTER = re.compile(
    r",\s+((?:County\s+[A-Z][\w'’.-]*)|(?:[A-Z][\w'’.-]*\s+){1,3}(?:State|Province|County|"
    r"Oblast|Region|District|Governorate|Division|Prefecture|Department|Voivodeship|Raion|"
    r"Municipality|Territory))\b"
)
# "a medical student from Freiburg im Breisgau, Baden-Württemberg, Germany": a whole address
# the victim came from, the place where the lead names no other
_FROM_PLACE = re.compile(
    rf"\bfrom\s+(?:the\s+)?(?P<places>{_PLACE_WORDS}(?:,\s+(?:the\s+)?{_PLACE_WORDS}){{2,3}})"
)


_TITLE_NOISE = re.compile(
    r"^(?:\d+|January|February|March|April|May|June|July|August|September|October|November|"
    r"December|The|Of|In|At|On|And|Attack|Attacks|Bombing|Bombings|Shooting|Shootings|"
    r"Massacre|Massacres|Killings?|Murder|Suicide|Car|Truck|Bus|Airstrike|Siege|Riot|"
    r"Explosion|Stabbing|Hijacking|Raid|Ambush|Incident|Crisis|Assassination)$",
    re.IGNORECASE,
)


def places_from_text(lead: str, title: str = "") -> tuple[str, list[str]] | None:
    """Where the lead says it happened, with the words it came from: a run of capitalised
    places that ends in a state ("in Sana'a, Yemen"), else the place the title is named
    after where the lead names it too ("2016 Aden car bombing": "... in Aden")."""
    from viewer.extraction.gazetteer import gazetteer
    from viewer.parsing.titles import unaccented

    gaz = gazetteer()
    head = lead[:1500]
    for match in _IN_PLACE.finditer(head):
        parts = [
            re.sub(rf"^(?:the\s+)?{_DIRECTION}?", "", p.strip())
            for p in match.group("places").split(",")
        ]  # "..., northeastern Nigeria": the direction off
        if gaz.country_of_places(parts[-1:]) is not None:
            return match.group(0), parts
    first = re.split(r"(?<=[a-z0-9)])\.\s", head, maxsplit=1)[0]
    for match in _FROM_PLACE.finditer(first):
        parts = [re.sub(r"^the\s+", "", p.strip()) for p in match.group("places").split(",")]
        if gaz.state_code(parts[-1]) is not None:
            return match.group(0), parts
    for match in re.finditer(r"\b(?:in|at|near|outside)\s+(?:the\s+)?(?P<place>[A-Z][\w'’.-]+"
                             r"(?:\s+[A-Z][\w'’.-]+){0,2})", head):  # fmt: skip
        words = match.group("place").split()
        for size in range(len(words), 0, -1):
            place = " ".join(words[:size])
            if (
                gaz.city_code(place)
                and not gaz.state_code(place)
                and not gaz.is_person_name(place, head, match.start("place"))
            ):
                # "in Torrevieja": a town GeoNames knows, with its province if the lead gives it
                admin = _ADMIN_AFTER.match(head, match.start("place") + len(place))
                if admin is not None:
                    return match.group(0) + admin.group(0), [place, admin.group(1)]
                return match.group(0), [place]
    names = [w for w in re.findall(r"[A-Z][\w'’.-]+", title) if not _TITLE_NOISE.match(w)]
    # the title may spell the place with its accents and the lead without ("Diyarbakır",
    # "Diyarbakir"): both are looked for in a folded copy when folding keeps the offsets
    folded = unaccented(head)
    if len(folded) != len(head):
        folded = head
    for word in names:
        for haystack, needle in ((head, word), (folded, unaccented(word))):
            found = re.search(
                rf"\b(?:in|at|near|outside|of)\s+(?:the\s+)?(?P<place>(?:[A-Z][\w'’.-]*\s+)*"
                rf"{re.escape(needle)}(?:\s+[A-Z][\w'’.-]*)*)",
                haystack,
            )
            if found is not None:
                return head[found.start() : found.end()], [head[slice(*found.span("place"))]]
    return None
