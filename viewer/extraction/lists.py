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
    """`Pishin District and Killa Saifullah, Balochistan, Pakistan` -> four places; a province
    named with "and" stays whole ("Jammu and Kashmir"); "Iligan in Mindanao" is two; a flag's
    code left as text goes ("TUR Güngören"), and so do "near", "off" and their kind."""
    if not value:
        return []
    from viewer.extraction.gazetteer import gazetteer

    gaz = gazetteer()
    places: list[str] = []
    for item in split_items(value):
        pieces = [item]
        if " and " in item and not (subdivision_code(item) or gaz.state_code(item)):
            pieces = _AND_NAME.split(item)
        for piece in pieces:
            piece = _PLACE_PREFIX.sub("", _TRAILING_BRACKET.sub("", piece)).strip()
            code = _FLAG_CODE.match(piece)
            if code is not None and gaz.state_of_code(code.group(1)):
                piece = piece[code.end() :]
            for place in _IN_NAME.split(piece) if " in " in piece else [piece]:
                if place and place not in places:
                    places.append(place)
    return places


# words before a place that are no part of its name: "near Kabul", "off Portland", "and Iligan"
_PLACE_PREFIX = re.compile(r"^(?:(?:and|or|near|in|at|the|off|outside|inside|along)\s+)+", re.I)
_TRAILING_BRACKET = re.compile(r"\s*\((?:[^()]*)\)\s*$")
_FLAG_CODE = re.compile(r"([A-Z]{3})\s+(?=\w)")  # "TUR Güngören": a flag icon's code as text
_AND_NAME = re.compile(r"\s+and\s+(?=[A-Z])")
_IN_NAME = re.compile(r"\s+in\s+(?=[A-Z])")


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
# after the first word, an Arabic name's article joined to it ("Bir al-Abed", "Hamam al-Alil")
# a capital letter, accented ones too ("İstanbul", "Łódź", "Šiauliai")
_UP = "[A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper()) + "]"
_PLACE_WORDS = (
    # (never across a sentence's end: "near Glina. The massacre")
    rf"{_UP}[\w'’.-]*(?:(?<![a-z]{{2}}\.)(?:\s+(?:al|el|de|du|of|upon|on|im|am))*"
    rf"\s+(?:{_UP}|(?:al|el|ad|an|ar|as|ash|at|az|ud|ul)-{_UP})[\w'’.-]*)*"
)
# "in Maiduguri, Borno State, northeastern Nigeria": a direction before the last part
_DIRECTION = r"(?:(?:north|south|east|west|central|far)[\w-]*\s+)"
# in a run, places may be joined by "and": kept whole where that names one province or state
# ("in Nagrota, Jammu and Kashmir"), else the run ends before it (_run)
# ("of Bahçelievler district, İstanbul, Turkey": the kind of a part may follow it in lower case)
_RUN_WORDS = (
    rf"{_PLACE_WORDS}(?:\s+and\s+{_PLACE_WORDS})?"
    r"(?:\s+(?:district|province|county|governorate|municipality|region|prefecture|state))?"
)
_IN_PLACE = re.compile(
    rf"\b(?:in|at|near|outside|of)\s+(?:the\s+)?(?P<places>{_RUN_WORDS}"
    rf"(?:,\s+(?:the\s+)?{_DIRECTION}?{_RUN_WORDS}){{1,3}})"
)
# "in Bessbrook, County Armagh": the town's province or district after it
_ADMIN_WORDS = (
    r"State|Province|County|Oblast|Region|District|Governorate|Division|Prefecture|"
    r"Department|Voivodeship|Raion|Municipality|Territory|Local\s+Government\s+Area"
)
_RELATIVE = re.compile(r"\b(?:north|south|east|west)[\w-]*\s+$")
_ADMIN_NAME = re.compile(rf"County\s+\S+|.+\s+(?:{_ADMIN_WORDS})")
_PLACE_KIND_BEFORE = re.compile(r"\b(?:village|town|city|hamlet|settlement)\s+$")
_ADMIN_AFTER = re.compile(
    rf",\s+((?:County\s+[A-Z][\w'’.-]*)|(?:[A-Z][\w'’.-]*\s+){{1,3}}(?:{_ADMIN_WORDS}))\b"
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
    after where the lead names it too ("2016 Aden car bombing": "... in Aden"); with the
    town the lead says it is near ("in the village of Gornje Jame, near Glina")."""
    found = _places_in_lead(lead, title)
    if found is None:
        return None
    text, parts = found
    at = lead.find(text, 0, 1500)
    after = (
        (_NEAR.match(lead, at + len(text)) or _SEAT_OF.match(lead, at + len(text)))
        if at >= 0
        else None
    )
    if after is None or after.group("town") in parts or _state_code(parts[-1]):
        return found
    town = re.sub(r"(?<=[a-z]{2})\.$", "", after.group("town"))
    end = after.start("town") + len(town)
    # "near Srebrenica , eastern Bosnia": the state or province the near town is in
    region = _REGION_AFTER_NEAR.match(lead, end) if town == after.group("town") else None
    if region is not None:
        name = re.sub(r"(?<=[a-z]{2})\.$", "", region.group("region"))
        if _state_code(name) or subdivision_code(name):
            return lead[at : region.start("region") + len(name)], [*parts, town, name]
    return lead[at:end], [*parts, town]


_REGION_AFTER_NEAR = re.compile(rf"\s*,\s*(?:{_DIRECTION})?(?P<region>{_PLACE_WORDS})")


# "in Eutaw, Alabama, the county seat of Greene County": the county a town is the seat of
_SEAT_OF = re.compile(
    rf",\s+the\s+(?:county\s+seat|seat|capital|administrative\s+cent(?:re|er))\s+of\s+"
    rf"(?P<town>{_PLACE_WORDS}\s+(?:{_ADMIN_WORDS}))\b"
)
# "in Skelani near Srebrenica", "The village of Lyngiades, near Ioannina in northwestern Greece"
_NEAR = re.compile(rf",?\s+near\s+(?:the\s+(?:town|city|village)\s+of\s+)?(?P<town>{_PLACE_WORDS})")


def _places_in_lead(lead: str, title: str) -> tuple[str, list[str]] | None:
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
        run = _run(match)
        if run is None:
            continue
        text, parts = run
        if text.startswith("of") and _RELATIVE.search(
            head, max(0, match.start() - 30), match.start()
        ):
            continue  # "south-west of Kovel, Ukraine", "40 kilometers west of Al-Arish"
        if gaz.country_of_places(parts[-1:]) is not None:
            text, parts = _with_apposed(head, match.start(), text, parts)
            if town is None or any(town in part for part in parts):
                return text, parts
            elsewhere = elsewhere or (text, parts)
        elif in_region is None:
            # "mayor of Albuera, Leyte" is no place of the incident; "village of X" is
            town_of = text.startswith("of") and _PLACE_KIND_BEFORE.search(head, 0, match.start())
            if (not text.startswith("of") or town_of) and (
                (len(parts) == 2 and subdivision_code(parts[1]))
                or _ADMIN_NAME.fullmatch(parts[-1])
                # "in the town of Novofedorivka, Crimea": the region the text names it in
                or (town_of and len(parts) == 2 and not parts[1].endswith(("'s", "’s")))
            ):
                # "in Eutaw, Alabama", "in Qujing, Yunnan Province", "of Chrynów, Gmina
                # Grzybowica, Powiat Włodzimierz, Wołyń Voivodeship": a town and the state or
                # province it is in
                in_region = text, parts
    if in_region is not None:
        return in_region
    for match in _FROM_PLACE.finditer(first):
        parts = [re.sub(r"^the\s+", "", p.strip()) for p in match.group("places").split(",")]
        if gaz.state_code(parts[-1]) is not None:
            return match.group(0), parts
    two = ". ".join(re.split(r"(?<=[a-z0-9)])\.\s", head, maxsplit=2)[:2])
    return (
        _town_in_admin(two)
        or _capital_or_quarter(two)
        or _region_town(first)
        or _town_in_admin(head, located_only=True)
        or _known_town(head)
        or titled
        or elsewhere
        or _town_of_title(title)
    )


# "crashed near Kuzhenkino in Tver Oblast", "in the town of Hamam al-Alil in Iraq's Nineveh
# Governorate", "Chornobaivka, located in Ukraine's Kherson Oblast", "in the village of
# Banjska located in North Kosovo": a town and the province it is in
_TOWN_IN_ADMIN = re.compile(
    rf"(?:\b(?P<at>in|near|at|outside)\s+(?:the\s+(?:[\w-]+\s+)?(?:village|town|city|hamlet)\s+of\s+)?|"
    rf"\bof\s+the\s+|^|\.\s+)(?:The\s+)?(?P<town>{_PLACE_WORDS})"
    r"(?:\s+(?:village|colony|settlement))?,?\s+"
    r"(?P<located>(?:(?:was|is)\s+)?located\s+)?in\s+(?:the\s+)?"
    rf"(?:{_UP}[\w-]*['’]s\s+)?(?P<admin>{_PLACE_WORDS})"
)
# "... located in the Kowel County (powiat kowelski) of the Wołyń Voivodeship in the Second
# Polish Republic (now, part of the Kovel Raion, ...)": the larger units named after it
_ADMIN_CHAIN = re.compile(
    r"\s*(?:\([^()]{0,60}\)\s*)?(?:,\s*)?(?:\s(?:of|in)\s+the\s+|\(now,?\s+(?:part\s+of\s+)?"
    rf"(?:the\s+)?)(?P<admin>{_PLACE_WORDS})"
)


_NOW_IN_STATE = re.compile(rf"[^()]{{0,80}}?,\s+(?P<state>{_PLACE_WORDS})\)")


# the words without which _TOWN_IN_ADMIN cannot match: looked for first, many times cheaper
_ADMIN_HINTS = (*re.sub(r"\\s\+", " ", _ADMIN_WORDS).split("|"), "County", "located")


def _town_in_admin(text: str, *, located_only: bool = False) -> tuple[str, list[str]] | None:
    from viewer.extraction.gazetteer import gazetteer

    if "located" not in text if located_only else not any(h in text for h in _ADMIN_HINTS):
        return None
    gaz = gazetteer()
    for match in _TOWN_IN_ADMIN.finditer(text):
        town, admin = match.group("town"), match.group("admin").rstrip(".")
        located = match.group("located") is not None
        if gaz.state_code(town) or not (
            _ADMIN_NAME.fullmatch(admin) or (located and not gaz.state_code(admin))
        ):
            continue
        if not located and (located_only or match.group("at") is None):
            continue  # a sentence's first words are the town only where "located in" says so
        parts, end = [town, admin], match.end("admin")
        for _ in range(3):
            larger = _ADMIN_CHAIN.match(text, end)
            if larger is None:
                break
            if _ADMIN_NAME.fullmatch(larger.group("admin")):  # not "the Second Polish Republic"
                parts.append(larger.group("admin"))
            end = larger.end()
        now = _NOW_IN_STATE.match(text, end)
        if now is not None and gaz.state_code(now.group("state")):
            parts.append(now.group("state"))  # "(now, part of the Kovel Raion, ..., Ukraine)"
        start = match.start() if match.group("at") else match.start("town")
        return text[start:end], parts
    return None


# "in the Somali capital Mogadishu", "in the Afghan capital, Kabul": the capital and its state
# ("in the capital Amman": the capital alone)
_CAPITAL = re.compile(
    rf"\b(?:in|near|at)\s+the\s+(?:(?P<adjective>{_UP}\w+)\s+)?capital,?\s+(?P<town>{_PLACE_WORDS})"
)
# "in Kabul's Shar-e Naw district", "in Quetta's Hazara Town": a town's quarter (or a
# state's province: "in Nigeria's Borno State")
_QUARTER_OF_TOWN = re.compile(
    rf"\b(?:in|at|near)\s+(?P<town>{_PLACE_WORDS})['’]s\s+(?:(?:central|northern|southern|eastern|"
    rf"western|diplomatic|old)\s+)?(?P<quarter>{_PLACE_WORDS}(?:\s+(?:district|neighbou?rhood|area|"
    r"quarter|suburb|market|bazaar))?)"
)


def _capital_or_quarter(sentence: str) -> tuple[str, list[str]] | None:
    from viewer.extraction.gazetteer import gazetteer

    gaz = gazetteer()
    if " capital" in sentence:
        for match in _CAPITAL.finditer(sentence):
            town = re.sub(r"(?<=[a-z]{2})\.$", "", match.group("town"))
            text = sentence[match.start() : match.start("town") + len(town)]
            if match.group("adjective") is None:
                if gaz.place_code(town):  # "in the capital Amman"
                    return text, [town]
                continue
            found = gaz.names.scan(match.group("adjective"))
            if found and found[0].value.kind == "state_adjective" and found[0].value.code:
                state = gaz.state_name(found[0].value.code)
                return text, [town, state] if state else [town]
    if "'s " in sentence or "’s " in sentence:
        for match in _QUARTER_OF_TOWN.finditer(sentence):
            # (a town, a capital or a state: "in Nigeria's Borno State")
            town = match.group("town")
            if gaz.place_code(town) and not any(town in name.split() for name in gaz.people):
                return match.group(0), [match.group("quarter"), town]
    return None


# "the Alicante town of Torrevieja", "the Armagh border village of Newtownhamilton", "the West
# Bank town of Jericho": the town, and the province or region named before it
_REGION_TOWN = re.compile(
    rf"\bthe\s+(?P<region>{_PLACE_WORDS})\s+(?:(?:border|coastal|frontier|market|mountain|"
    rf"northern|southern|eastern|western)\s+)?(?:town|village|city|hamlet)\s+of\s+"
    rf"(?P<town>{_PLACE_WORDS})"
)
# "the Volhynian village", "the Kurdish town": a people's adjective, not a place
_ADJECTIVE = re.compile(r"(?:ian|ish|ese|ic|i)$")


def _region_town(sentence: str) -> tuple[str, list[str]] | None:
    from viewer.extraction.gazetteer import gazetteer

    if not any(f"{kind} of " in sentence for kind in ("town", "village", "city", "hamlet")):
        return None
    gaz = gazetteer()
    for match in _REGION_TOWN.finditer(sentence):
        region = match.group("region")
        if _ADJECTIVE.search(region) or any(
            f.value.kind == "state_adjective" for f in gaz.names.scan(region)
        ):
            continue
        town = re.sub(r"(?<=[a-z]{2})\.$", "", match.group("town"))
        return match.group(0)[: match.start("town") - match.start() + len(town)], [town, region]
    return None


# a full stop after a word (not an abbreviation: "St. Lucie"): the sentence ends there; after
# an abbreviation of letters ("Washington, U.S. The gunman") it ends after the stop
_SENTENCE_END = re.compile(r"(?<=[a-z]{2})\.(?:\s|$)|(?<=\b[A-Z]\.[A-Z]\.)\s")


def _run(match: re.Match[str]) -> tuple[str, list[str]] | None:
    """The places of an "in X, Y, Z" run, cut where its sentence ends ("in Sunset Park,
    Brooklyn, New York, United States. At approximately ..."), with a leading "the" and a
    direction dropped ("..., northeastern Nigeria"); None where one place is left."""
    places = match.group("places")
    stop = _SENTENCE_END.search(places)
    if stop is not None:
        places = places[: stop.start()]
    parts = [re.sub(rf"^(?:the\s+)?{_DIRECTION}?", "", p.strip()) for p in places.split(",")]
    for index, part in enumerate(parts):
        if " and " in part and not (subdivision_code(part) or _state_code(part)):
            parts = [*parts[:index], part.split(" and ")[0]]
            places = places[: places.index(part) + len(parts[-1])]
            break
    if len(parts) < 2 or not all(parts):
        return None
    text = match.group(0)[: match.start("places") - match.start() + len(places)]
    if places == match.group("places"):
        # "in Rašića Gaj, Vlasenica in Bosnia and Herzegovina": the state after the run
        state = _STATE_AFTER.match(match.string, match.end())
        if state is not None and _state_code(state.group("state")):
            return text + match.string[match.end() : state.end()], [*parts, state.group("state")]
    return text, parts


_STATE_AFTER = re.compile(rf"\s+in\s+(?:the\s+)?(?P<state>{_RUN_WORDS})(?![\w'’])")


def _state_code(name: str) -> str | None:
    from viewer.extraction.gazetteer import gazetteer

    return gazetteer().state_code(name)


# an incident's title by the convention "<year> <place> <kind of attack>"
_YEAR_PLACE_KIND = re.compile(
    rf"^(?:(?:January|February|March|April|May|June|July|August|September|October|November|"
    rf"December)\s+)?(?:1[0-9]{{3}}|20[0-9]{{2}})\s+(?P<place>{_UP}[\w'’.-]+(?:\s+{_UP}[\w'’.-]+)?)"
    r"\s+(?:(?:suicide|car|truck|bus)\s+)?(?:attacks?|"
    r"bombings?|shootings?|massacres?|killings?|stabbings?|explosions?|blasts?|riots?|raids?|"
    r"airstrikes?|ambush|siege)$"
)


def _town_of_title(title: str) -> tuple[str, list[str]] | None:
    """ "Reactions to the 2005 London bombings", a page the lead does not place: the town the
    title is named after, where GeoNames knows it as a whole run of capitalised words (never
    one word of a person's name)."""
    from viewer.extraction.gazetteer import gazetteer

    gaz = gazetteer()
    for run in re.finditer(rf"{_UP}[\w'’.-]+(?:\s+{_UP}[\w'’.-]+)*", title):
        words = [w for w in run.group(0).split() if not _TITLE_NOISE.match(w)]
        if words and " ".join(words) in run.group(0) and gaz.city_code(" ".join(words)):
            return title, [" ".join(words)]
        if re.search(r"\b\d{4}\s+$", title[: run.start()]):
            # "Reactions to the 2010 Moscow Metro bombings": the town first after the year
            for size in range(len(words) - 1, 0, -1):
                if gaz.city_code(" ".join(words[:size])):
                    return title, [" ".join(words[:size])]
    # "2016 Şemdinli bombing": the place the naming convention puts after the year (never a
    # state, a group or a people's adjective: "2016 Taliban attack", "2015 Kurdish bombing")
    named = _YEAR_PLACE_KIND.match(title)
    if (
        named is not None
        and not gaz.state_code(named.group("place"))
        and not gaz.names.scan(named.group("place"))
    ):
        return title, [named.group("place")]
    if title[1:] == title[1:].lower():
        # a title made from a file name ("september 2016 budapest explosion"): its words
        # as the town would be written
        for word in title.split():
            town = word.capitalize()
            if len(word) > 3 and not _TITLE_NOISE.match(word) and gaz.city_code(town):
                return title, [town]
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


# "in the Har Nof neighborhood of Jerusalem", "in the Baramulla district of Jammu and
# Kashmir, India": the part of the town before it
_QUARTER_OF = re.compile(
    rf"\b(?:in|at|near|on)\s+(?:the\s+)?(?P<town>{_PLACE_WORDS})\s+"
    r"(?:neighbou?rhood|district|quarter|suburb|area|section)\s+$"
)


def _with_apposed(head: str, start: int, text: str, parts: list[str]) -> tuple[str, list[str]]:
    """A run of places with the town or quarter the words before it name."""
    window = max(0, start - 200), start
    before = _APPOSED.search(head, *window)
    if before is not None:
        towns = [before.group("town"), before.group("of")]
    else:
        before = _TOWN_OF.search(head, *window) or _QUARTER_OF.search(head, *window)
        towns = [before.group("town")] if before is not None else []
    if before is None:
        return _town_before(head, start, text, parts)
    if towns[0] in parts:
        return text, parts
    return head[before.start() : start + len(text)], [*towns, *parts]


# "near Crossmaglen, in County Armagh", "in Kawuri, a village in Konduga Local Government
# Area, ... in Borno State": the town the sentence names before the run, set off by a comma
_TOWN_BEFORE = re.compile(
    rf"\b(?:in|at|near|outside)\s+(?:the\s+(?:village|town|city|hamlet)\s+of\s+)?"
    rf"(?P<town>{_PLACE_WORDS}),\s+"
)
# between that town and the run: a district it is in, a town it is near
_BETWEEN = re.compile(
    rf"\b(?:in\s+(?:the\s+)?(?P<admin>{_PLACE_WORDS}\s+(?:{_ADMIN_WORDS}))\b|"
    rf"near\s+(?P<near>{_PLACE_WORDS}))"
)


def _town_before(head: str, start: int, text: str, parts: list[str]) -> tuple[str, list[str]]:
    from viewer.extraction.gazetteer import gazetteer

    sentence = max(head.rfind(". ", 0, start) + 1, start - 200, 0)
    found = _TOWN_BEFORE.search(head, sentence, start)
    if found is None or found.group("town") in parts or gazetteer().state_code(found.group("town")):
        return text, parts
    between = [
        m.group("admin") or m.group("near") for m in _BETWEEN.finditer(head, found.end(), start)
    ]
    towns = [found.group("town"), *(p for p in between if p not in parts)]
    return head[found.start() : start + len(text)], [*towns, *parts]


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
                end = match.start("place") + len(place)
                kind = _ADMIN_KIND.match(head, end)
                if kind is not None:  # "in the Aleppo Governorate": the province, not the town
                    return head[match.start() : kind.end()], [
                        head[match.start("place") : kind.end()]
                    ]
                admin = _admin_after(head, end)
                if admin is not None:
                    return head[match.start() : admin[1]], [place, admin[0]]
                return match.group(0), [place]
    return None


_ADMIN_KIND = re.compile(rf"\s+(?:{_ADMIN_WORDS})\b")


def _place_of_title(head: str, title: str) -> tuple[str, list[str]] | None:
    """The place the title is named after, where the lead names it ("... in Aden")."""
    from viewer.parsing.titles import unaccented

    names = [w for w in re.findall(rf"{_UP}[\w'’.-]+", title) if not _TITLE_NOISE.match(w)]
    # the title may spell the place with its accents and the lead without ("Diyarbakır",
    # "Diyarbakir"): both are looked for in a folded copy when folding keeps the offsets
    folded = unaccented(head)
    if len(folded) != len(head):
        folded = head
    for word in names:
        for haystack, needle in ((head, word), (folded, unaccented(word))):
            # each place the lead names the word, and the words before and after it (a
            # search for the word, not a pattern run over the whole lead)
            at = haystack.find(needle)
            while at >= 0:
                before = _BEFORE_TITLED.search(haystack, max(0, at - 120), at)
                if before is not None:
                    after = _AFTER_TITLED.match(haystack, at + len(needle))
                    end = after.end() if after is not None else at + len(needle)
                    return head[before.start() : end], [head[before.start("place") : end]]
                at = haystack.find(needle, at + 1)
    return None


_BEFORE_TITLED = re.compile(
    r"\b(?:in|at|near|outside|of)\s+(?:the\s+)?(?P<place>(?:[A-Z][\w'’.-]*\s+)*)\Z"
)
_AFTER_TITLED = re.compile(r"(?:\s+[A-Z][\w'’.-]*)*")
