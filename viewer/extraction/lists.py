"""List-valued infobox facts: perpetrators with a suspected flag, places, types, targets and
the campaigns an incident is part of; with the residue of wiki conversion removed."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from resources import resource_path
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


_REGION_AFTER = re.compile(r",\s+([A-Z][\w'’.-]*(?:\s+(?:and\s+)?[A-Z][\w'’.-]*){0,3})")


@cache
def _subdivisions() -> dict[str, str]:
    return dict(json.loads(resource_path("gazetteer", "subdivisions.json").read_text("utf-8")))


def subdivision_code(name: str) -> str | None:
    """The state a first-level subdivision (or a province) of that name is in: "Minnesota",
    "West Bengal", "Leyte" (ISO 3166-2, subdivisions.json)."""
    return _subdivisions().get(name.strip())


def _admin_after(text: str, end: int) -> tuple[str, int] | None:
    """The district or province named right after a town (", County Armagh"), or the
    longest run of capitalised words naming a state or province (", Minnesota"): the name
    and where it ends."""
    admin = _ADMIN_AFTER.match(text, end)
    if admin is not None:
        return admin.group(1), admin.end()
    found = _REGION_AFTER.match(text, end)
    if found is None:
        return None
    words = found.group(1).split()
    ending = next((i for i, word in enumerate(words) if word.endswith(".")), None)
    if ending is not None:  # ", Iowa. The perpetrator": the sentence ends the name
        words = [*words[:ending], words[ending].rstrip(".")]
    for size in range(len(words), 0, -1):
        name = " ".join(words[:size])
        if subdivision_code(name):
            return name, found.start(1) + len(name)
    return None


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

    gaz = gazetteer()
    head = lead[:1500]
    titled = _place_of_title(head, title)
    # the town the title is named after, where GeoNames knows it: a run that does not name
    # it is another place the lead mentions ("... a major was killed in Dortmund, Germany"
    # in "Lichfield gun attack"), taken only when nothing names the title's town
    town = next((w for w in titled[1][0].split() if gaz.city_code(w)), None) if titled else None
    first = re.split(r"(?<=[a-z0-9)])\.\s", head, maxsplit=1)[0]
    if town and not re.search(rf"\b(?:in|at|near|outside)\s+(?:the\s+)?{re.escape(town)}", first):
        town = None  # the title's town must be where the first sentence places it
    in_region: tuple[str, list[str]] | None = None
    elsewhere: tuple[str, list[str]] | None = None
    for match in _IN_PLACE.finditer(head):
        parts = [
            re.sub(rf"^(?:the\s+)?{_DIRECTION}?", "", p.strip())
            for p in match.group("places").split(",")
        ]  # "..., northeastern Nigeria": the direction off
        parts[-1] = parts[-1].rstrip(".")  # "in Kabul, Afghanistan.": the sentence's stop off
        if gaz.country_of_places(parts[-1:]) is not None:
            if town is None or any(town in part for part in parts):
                return _with_apposed(head, match, parts)
            elsewhere = elsewhere or (match.group(0), parts)
        elif (
            in_region is None
            and len(parts) == 2
            and not match.group(0).startswith("of")  # "mayor of Albuera, Leyte"
            and subdivision_code(parts[1])
        ):
            # "in Eutaw, Alabama": a town and the state or province it is in
            in_region = match.group(0), parts
    if in_region is not None:
        return in_region
    for match in _FROM_PLACE.finditer(first):
        parts = [re.sub(r"^the\s+", "", p.strip()) for p in match.group("places").split(",")]
        if gaz.state_code(parts[-1]) is not None:
            return match.group(0), parts
    return _known_town(head) or titled or elsewhere or _town_of_title(title)


def _town_of_title(title: str) -> tuple[str, list[str]] | None:
    """ "Reactions to the 2005 London bombings", a page the lead does not place: the town the
    title is named after, where GeoNames knows it as a whole run of capitalised words (never
    one word of a person's name)."""
    from viewer.extraction.gazetteer import gazetteer

    gaz = gazetteer()
    for run in re.findall(r"[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)*", title):
        words = [w for w in run.split() if not _TITLE_NOISE.match(w)]
        if words and " ".join(words) in run and gaz.city_code(" ".join(words)):
            return title, [" ".join(words)]
    return None


# "in Barasat, a suburb of Kolkata in West Bengal, India": the town before its description
_APPOSED = re.compile(
    rf"\b(?:in|at|near|outside)\s+(?:the\s+)?(?P<town>{_PLACE_WORDS}),\s+an?\s+(?:[a-z]+\s+){{0,2}}"
    rf"(?:suburb|town|village|city|district|neighbou?rhood|area|municipality|part|quarter)\s+"
    rf"(?:of|in|near)\s+(?P<of>{_PLACE_WORDS})\s+$"
)


# "in the city of Jalalabad in Nangarhar Province, Afghanistan": the town before the run
_TOWN_OF = re.compile(
    rf"\b(?:city|town|village|hamlet|port|suburb|district)\s+of\s+(?P<town>{_PLACE_WORDS})\s+$"
)


def _with_apposed(head: str, match: re.Match[str], parts: list[str]) -> tuple[str, list[str]]:
    window = max(0, match.start() - 200), match.start()
    before = _APPOSED.search(head, *window)
    if before is not None:
        towns = [before.group("town"), before.group("of")]
    else:
        before = _TOWN_OF.search(head, *window)
        towns = [before.group("town")] if before is not None else []
    if before is None or towns[0] in parts:
        return match.group(0), parts
    return head[before.start() : match.end()], [*towns, *parts]


def _known_town(head: str) -> tuple[str, list[str]] | None:
    """ "in Torrevieja": a town GeoNames knows, with its province if the lead gives it."""
    from viewer.extraction.gazetteer import gazetteer

    gaz = gazetteer()
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
                admin = _admin_after(head, match.start("place") + len(place))
                if admin is not None:
                    return head[match.start() : admin[1]], [place, admin[0]]
                return match.group(0), [place]
    return None


def _place_of_title(head: str, title: str) -> tuple[str, list[str]] | None:
    """The place the title is named after, where the lead names it ("... in Aden")."""
    from viewer.parsing.titles import unaccented

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


# the kinds of building or site an attack happens at, as a name's last word: "Kehilat Bnei
# Torah synagogue", "Bagram Airfield", "the Donegall Arms public house"
_VENUE_NOUN = (
    r"(?i:mosque|church|cathedral|chapel|synagogue|temple|shrine|gurdwara|monastery|"
    r"school|university|college|academy|airport|airfield|air\s?base|airbase|base|barracks|"
    r"camp|station|terminal|hotel|pub|public house|bar|nightclub|club|restaurant|caf[eé]|"
    r"market|bazaar|mall|shopping centre|shopping center|stadium|arena|theatre|theater|"
    r"embassy|consulate|hospital|jail|prison|courthouse|hall|palace|parliament|ministry|"
    r"headquarters|square|bridge|avenue|street|road|boulevard|highway|checkpoint|compound|"
    r"ballroom|studio|office|offices|building|tower|centre|center|port|harbou?r)"
)
_VENUE = re.compile(
    rf"\b(?:at|in|inside|outside|on|near|into|targeting|targeted|attacked|bombed|stormed)\s+"
    rf"(?:the\s+|a\s+)?(?P<venue>(?:(?:[A-Z0-9][\w'’.-]*|of|the|al|el|de)\s+){{1,6}}?"
    rf"(?:[a-z]+\s+)?{_VENUE_NOUN})\b"
)


def venue_from_text(lead: str, places: list[str]) -> str | None:
    """The building or site the lead's first sentences place the incident at ("at the
    Baybay City Provincial Jail"), where it is not one of the places already found."""
    head = " ".join(re.split(r"(?<=[a-z0-9)])\.\s", lead[:1500], maxsplit=2)[:2])
    for match in _VENUE.finditer(head):
        venue = match.group("venue").strip()
        words = venue.split()
        if (
            words[0] in {"of", "the", "al", "el", "de"}
            or re.fullmatch(r"\d{4}", words[0])  # "in 2022 The base": a year
            or "The" in words[1:]
            or not any(w[0].isupper() for w in words)
        ):
            continue
        if any(venue in place or place in venue for place in places):
            continue
        return venue
    return None
