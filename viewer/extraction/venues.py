"""The building or site an incident happened at (a mosque, a market, a checkpoint, a road),
from the lead's first sentences or the article's title: the most specific of its places."""

from __future__ import annotations

import re

# the kinds of building or site an attack happens at, as a name's last word: "Kehilat Bnei
# Torah synagogue", "Bagram Airfield", "the Donegall Arms public house", "Data Darbar"
_KINDS = (
    "mosque", "church", "cathedral", "chapel", "synagogue", "temple", "shrine", "gurdwara",
    "monastery", "darbar", "dargah", "mausoleum", "imambargah", "madrasa", "madrassa",
    "seminary", "school", "university", "college", "academy", "airport", "airfield", "air base",
    "airbase", "base", "barracks", "camp", "station", "terminal", "hotel", "pub", "public house",
    "bar", "nightclub", "club", "restaurant", "cafe", "café", "market", "bazaar", "mall",
    "shopping centre", "shopping center", "stadium", "arena", "theatre", "theater", "embassy",
    "consulate", "hospital", "jail", "prison", "courthouse", "hall", "palace", "parliament",
    "ministry", "headquarters", "square", "bridge", "avenue", "street", "road", "boulevard",
    "highway", "checkpoint", "compound", "ballroom", "studio", "office", "offices", "building",
    "tower", "centre", "center", "port", "harbour", "harbor", "warehouse", "stop",
)  # fmt: skip
_VENUE_NOUN = "(?i:" + "|".join(k.replace(" ", r"\s+") for k in _KINDS) + ")"
# a site named by its kind first: "Highway 12", "Hotel Durant", "Camp Bastion"
_KIND_FIRST = ("Highway", "Route", "Hotel", "Camp", "Fort", "Palace")
# the last words of the kinds: a text with none of them names no site, and the patterns are
# not run over it (a set lookup per word is many times cheaper than the patterns)
_KIND_WORDS = frozenset(k.split()[-1] for k in _KINDS) | {k.casefold() for k in _KIND_FIRST}
# a capitalised word of a name, accented capitals too ("İstiklal Avenue")
_CAP = r"[A-Z0-9À-ÖØ-ÞĀĆČĐĘĞİŁŃŒŚŞŠŢŽŹŻ][\w'’.&-]*"
# lower-case words between a name and its kind ("Balochistan police training college"), never
# a small word that starts another phrase ("Henry's Pub inside the Hotel Durant")
_DESCRIBING = r"(?:(?!(?:the|a|an|in|on|at|inside|into|of|near|and|or|to|by|with)\s)[a-z]+\s+)"
_NAME = (
    rf"(?:(?:{_CAP}|of|the|al|el|de|&)\s+){{1,6}}{_DESCRIBING}{{0,2}}{_VENUE_NOUN}"
    rf"|(?:{'|'.join(_KIND_FIRST)})\s+(?:of\s+(?:the\s+)?)?{_CAP}"
)
_VENUE = re.compile(
    # the lead's first words ("The Shah Noorani shrine in Balochistan was attacked"), or after
    # a word that places something at a site
    r"(?:\A(?:The\s+)?|\b(?:at|in|inside|outside|on|near|into|along|against|targeting|"
    r"targeted|attacked|bombed|stormed|entered|hit|struck|raided|(?:wall|walls|gate|gates|"
    r"entrance|front|building|premises|grounds|floor|lobby)\s+of)\s+"
    # an article and up to two words describing the site: "the packed Al Kubra hall"
    r"(?:(?:the|a|an)\s+(?:[a-z][\w-]*\s+){0,2}?)?)"
    rf"(?P<venue>{_NAME})\b"
)
# "at Lichfield City railway station in Staffordshire": the town or province after the site
_SITE_IN = re.compile(
    rf"\s*(?:\([^()]{{1,60}}\)\s*)?,?\s+in\s+(?:the\s+)?(?P<place>{_CAP}(?:\s+{_CAP}){{0,2}})"
)
# "... the Avenue Bar on Union Street", "Henry's Pub inside the Hotel Durant": a second site
# named right after the first, the one it is in or on
_VENUE_AFTER = re.compile(
    r"\s*(?:\([^()]{1,60}\)\s*)?(?:,\s+)?(?:on|inside|in|at|along)\s+(?:the\s+)?"
    rf"(?P<venue>{_NAME})\b"
)
# "at a petrol station in Hillah", "near a market in the Somali capital Mogadishu": a site the
# lead gives no name, where it says which town it is in
_UNNAMED_VENUE = re.compile(
    r"\b(?:at|near|outside|inside|in)\s+(?:a|an)\s+(?:[a-z][\w-]*\s+){0,1}?"
    rf"(?P<venue>(?:[a-z]+\s+)?{_VENUE_NOUN})\s+in\s+"
)
_SMALL = {"of", "the", "al", "el", "de", "&"}
_SENTENCES = re.compile(r"(?<=[a-z0-9)])\.\s")


# punctuation to spaces: a text's words by str.split (twice as fast as a pattern's findall)
_PUNCTUATION = str.maketrans(dict.fromkeys(",.;:()[]\"'’!?", " "))


def _names_a_kind(text: str) -> bool:
    return not _KIND_WORDS.isdisjoint(text.lower().translate(_PUNCTUATION).split())


_HELD = re.compile(r"\w-(?:held|controlled|occupied|run|owned|led|backed)$")


def _trimmed(venue: str) -> str:
    """ "the German consulate" (after "the wall of"): the name without its article."""
    words = venue.split()
    # (and without who holds it: "the Russian-held Kherson International Airport")
    while len(words) > 1 and (words[0] in _SMALL or words[0] == "The" or _HELD.search(words[0])):
        words = words[1:]
    return " ".join(words)


_TOWN_CENTRE = re.compile(r"\b(?:city|town)\s+cent(?:re|er)$", re.I)


def _acceptable(venue: str) -> bool:
    words = venue.split()
    return not (
        len(words) < 2  # "in the Port of Berdiansk": a kind, not a name
        or words[0] in _SMALL
        or re.fullmatch(r"\d{4}", words[0])  # "in 2022 The base": a year
        or "The" in words[1:]
        or not any(w[0].isupper() for w in words)
        or venue.isupper()  # a plain copy's title in capitals: "The HENRY'S PUB HOSTAGE ..."
        or _TOWN_CENTRE.search(venue) is not None  # "Bristol city centre": a part of a town
    )


def _is_known(venue: str, places: list[str]) -> bool:
    """Among the places already, or named a little differently there ("Domodedovo Airport",
    "Domodedovo International Airport")."""
    folded = venue.casefold()
    words = set(folded.split())
    for place in places:
        other = place.casefold()
        if folded in other:
            return True
        # a site among the places, named shorter or longer; never a town the site is named
        # after ("Lichfield" in "Lichfield City railway station")
        if (other in folded or set(other.split()) <= words) and _names_a_kind(other):
            return True
    return False


# a later sentence that tells where the incident itself happened: "The shooting happened at
# about 10:22 p.m. PST (UTC-8) at Star Ballroom Dance Studio"
_WHERE_IT = re.compile(
    r"The\s+(?:shooting|attack|bombing|explosion|blast|massacre|stabbing|fire|ambush)\s+"
    r"(?:happened|occurred|took\s+place|began|started)\b"
)


def venues_from_text(
    lead: str, places: list[str], title: str = "", *, sentences: int = 2, unnamed: bool = True
) -> list[str]:
    """The building or site the lead's first sentences place the incident at ("at the
    Baybay City Provincial Jail"), with the site it stands in or on where the lead names it
    right after ("the Avenue Bar on Union Street"); else a site the title is named after
    ("Sandy Hook Elementary School shooting"); else a site without a name in a town already
    found ("at a petrol station in Hillah"). Sites among the places already found are left out."""
    lead = lead[:1500]
    head = " ".join(_SENTENCES.split(lead, maxsplit=sentences)[:sentences])
    # (a fixed span after it: "p.m. PST" is no sentence's end)
    head = " ".join([head, *(lead[m.start() : m.end() + 120] for m in _WHERE_IT.finditer(lead))])
    if not _names_a_kind(head):
        head = ""
    for match in _VENUE.finditer(head):
        venue = _trimmed(match.group("venue").strip())
        if not _acceptable(venue) or _is_known(venue, places):
            continue
        if match.start() == 0 and _KIND_OF_ATTACK.match(head, match.end()):
            continue  # the title as the lead's first words: "The Christchurch mosque shootings"
        found = [venue]
        end = match.end()
        after = _VENUE_AFTER.match(head, end)
        if after is not None:
            second = after.group("venue").strip()
            if _acceptable(second) and not _is_known(second, places):
                found.append(second)
                end = after.end()
        return found + _place_of_site(head, end, [*places, *found])
    titled = venue_of_title(title)
    if titled is not None:
        return [] if _is_known(titled, places) else [titled]
    return _unnamed_venue(head, places) if unnamed else []


def _place_of_site(head: str, end: int, places: list[str]) -> list[str]:
    """The province or town the lead names right after the site, where the places found so
    far do not give it and the gazetteers know it (a province, a state, a town)."""
    from viewer.extraction.gazetteer import gazetteer
    from viewer.extraction.lists import subdivision_code

    found = _SITE_IN.match(head, end)
    if found is None:
        return []
    gaz = gazetteer()
    words = re.sub(r"(?<=[a-z]{2})\.$", "", found.group("place")).split()
    for size in range(len(words), 0, -1):
        place = " ".join(words[:size])
        if subdivision_code(place) or gaz.city_code(place) or gaz.state_code(place):
            return [] if any(place in p for p in places) else [place]
    return []


_KIND_OF_ATTACK = re.compile(
    r"\s+(?:(?:suicide|car|truck|bus|mass)\s+)?(?:attacks?|bombings?|shootings?|massacres?|sieges?|"
    r"stabbings?|explosions?|fires?|hostage|raids?|airstrikes?|strikes?|killings?|incidents?)\b"
)
_TITLE_VENUE = re.compile(
    rf"(?:^|\s)(?P<venue>(?:(?:{_CAP}|of|&)\s+){{1,5}}?{_DESCRIBING}{{0,2}}{_VENUE_NOUN})"
    r"\s+(?:(?:suicide|car|truck|bus)\s+)?(?:attack|attacks|bombing|bombings|shooting|shootings|massacre|siege|stabbing|"
    r"explosion|fire|hostage|raid|airstrike|strike|killings|incident)\b"
)


def venue_of_title(title: str) -> str | None:
    """ "Reactions to the Sandy Hook Elementary School shooting", "Imam Reza shrine bombing":
    the site an article's title is named after."""
    match = _TITLE_VENUE.search(title) if _names_a_kind(title) else None
    if match is None:
        return None
    venue = match.group("venue")
    words = venue.split()
    while words and (words[0] in _SMALL or re.fullmatch(r"\d+", words[0])):
        words = words[1:]
    venue = " ".join(words)
    return venue if words and _acceptable(venue) else None


def _unnamed_venue(head: str, places: list[str]) -> list[str]:
    towns = [p for p in places[:2] if p]
    if not towns or " a" not in head:
        return []
    for match in _UNNAMED_VENUE.finditer(head):
        # the town a few words on ("in the Somali capital Mogadishu"), in the same sentence
        rest = _SENTENCES.split(head[match.end() : match.end() + 50], maxsplit=1)[0]
        if any(re.match(rf"(?:[\w'’-]+\s+){{0,3}}{re.escape(town)}\b", rest) for town in towns):
            return [match.group("venue")]
    return []
