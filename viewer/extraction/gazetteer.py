"""The shipped gazetteers (resources/gazetteer), loaded once, with fast phrase lookup in text.

Proper nouns (states, organisations, armed groups, named bodies, people) are matched with
their case; titles and generic bodies ("foreign ministry", "embassy") without it. Lookup
walks the words of a text and tries the longest phrase first at each word, so "People's
Republic of China" wins over "Republic of China" and "South Sudan" over "Sudan".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from typing import Any, NamedTuple

from db.search_grammar import strip_accents
from resources import resource_path

_WORD = re.compile(r"[\w][\w'’.&-]*")
# the same words with what stands between them: gap, word, gap, word, ..., gap
_WORD_SPLIT = re.compile(r"([\w][\w'’.&-]*)")
# Places that stand last in a location but are not states themselves.
_CONSTITUENT = {
    "England": "GB",
    "Scotland": "GB",
    "Wales": "GB",
    "Northern Ireland": "GB",
    "Great Britain": "GB",
    "Kurdistan Region": "IQ",
    "Greenland": "DK",
    # Northern Ireland's counties: its incidents are placed by them more than by the name
    "County Armagh": "GB",
    "South Armagh": "GB",
    "Armagh": "GB",
    "County Antrim": "GB",
    "County Down": "GB",
    "County Fermanagh": "GB",
    "County Londonderry": "GB",
    "County Tyrone": "GB",
    "Londonderry": "GB",
    "Derry": "GB",
}


@dataclass(frozen=True)
class Entity:
    """Something a phrase can denote."""

    kind: str  # state, state_adjective, organization, armed_group, named_body
    name: str  # canonical display name
    code: str | None = None  # ISO alpha-2 of the state it is or belongs to
    detail: str | None = None  # organisation kind, body kind...


@dataclass(frozen=True)
class Title:
    title: str
    kind: str
    level: str


@dataclass(frozen=True)
class Body:
    name: str
    kind: str


@dataclass(frozen=True)
class Person:
    name: str
    code: str | None
    organization: str | None
    role: str
    start: int
    end: int | None


class Found(NamedTuple):
    """A phrase found in a text (a tuple: made for every phrase a scan finds)."""

    start: int
    end: int
    text: str
    value: Any


class Words:
    """The words of a text, as exact and case-folded lookup keys (a possessive or a final
    full stop is taken off only where a lookup needs it), with what stands between them.
    Split once by one pattern; the case-folded keys and the spans are made when first asked."""

    __slots__ = ("_folded", "_offsets", "exact", "gaps", "parts")

    def __init__(self, text: str) -> None:
        self.parts = _WORD_SPLIT.split(text)  # gap, word, gap, word, ..., gap
        self.gaps = self.parts[0::2]  # gaps[i] stands before word i
        words = self.parts[1::2]
        self.exact = [w.replace("’", "'") for w in words] if "’" in text else words
        self._folded: list[str] | None = None
        self._offsets: list[int] | None = None

    @property
    def folded(self) -> list[str]:
        if self._folded is None:
            # case folding maps each character on its own: the words folded in one go
            self._folded = "\x00".join(self.exact).casefold().split("\x00")
            if len(self._folded) != len(self.exact):  # no word holds a NUL; never
                self._folded = [word.casefold() for word in self.exact]
        return self._folded

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Where words first..last (inclusive) stand in the text."""
        if self._offsets is None:
            self._offsets = list(accumulate(map(len, self.parts)))  # where each part ends
        return self._offsets[2 * first], self._offsets[2 * last + 1]


_VALUE = ""  # a node's own value in the phrase tree (no word is empty)


@dataclass
class PhraseTable:
    """Phrases in a tree keyed word by word; longest match first at each word of a text.

    A text is walked once: at each word the tree is followed as far as the text's next
    words go, so one dictionary lookup a word decides most words (a pattern per phrase, or
    every length tried at every word, cost a millisecond an article)."""

    fold_case: bool
    phrases: dict[tuple[str, ...], Any] = field(default_factory=dict)
    tree: dict[str, Any] = field(default_factory=dict)

    def _key(self, word: str) -> str:
        word = word.replace("’", "'")
        return word.casefold() if self.fold_case else word

    def add(self, phrase: str, value: Any) -> None:
        words = tuple(self._key(w) for w in _WORD.findall(phrase))
        if not words or words in self.phrases:
            return
        self.phrases[words] = value
        node = self.tree
        for word in words:
            node = node.setdefault(word, {})
        node[_VALUE] = value

    def scan(self, text: str, words: Words | None = None) -> list[Found]:
        """Phrases in text, longest first at each word; words may be shared between
        tables to tokenise once."""
        words = words or Words(text)
        keys = words.folded if self.fold_case else words.exact
        tree = self.tree
        found: list[Found] = []
        count = len(keys)
        free = 0  # the first word no phrase found so far holds
        # the words a phrase can start at: one lookup decides most words (a word that ends
        # in a possessive or a full stop may start one without it)
        if "'" in text or "’" in text or "." in text:
            starts = [
                index
                for index, key in enumerate(keys)
                if key in tree or (key.endswith(_BARE_SUFFIXES) and _bare(key) in tree)
            ]
        else:
            starts = [index for index, key in enumerate(keys) if key in tree]
        for index in starts:
            if index < free:
                continue
            hit = _longest_at(tree, keys, words.gaps, index, count)
            if hit is None:
                continue
            length, value = hit
            start, end = words.span(index, index + length - 1)
            found.append(Found(start, end, text[start:end], value))
            free = index + length
        return found

    def at_start(self, text: str) -> Found | None:
        """The phrase text opens with (the first of scan(text), where it starts the text):
        only the first word is looked up."""
        words = Words(text)
        keys = words.folded if self.fold_case else words.exact
        if not keys or words.gaps[0]:
            return None
        hit = _longest_at(self.tree, keys, words.gaps, 0, len(keys))
        if hit is None:
            return None
        start, end = words.span(0, hit[0] - 1)
        return Found(start, end, text[start:end], hit[1])


def _longest_at(
    tree: dict[str, Any], keys: list[str], gaps: list[str], index: int, count: int
) -> tuple[int, Any] | None:
    """The longest phrase that starts at word index. Words of one phrase are separated by
    spaces, or a spaced dash ("Islamic State – Khorasan Province"), or a comma inside a name
    that has one ("United Nations Educational, Scientific, and Cultural Organization": the
    phrases are stored without their commas, so a comma between two listed names joins
    nothing). The last word may be read without its possessive or full stop ("Pakistan's",
    "UAE."), the words before it only as they are."""
    best = None
    node = tree
    position = index
    while True:
        key = keys[position]
        child = node.get(key)
        value = None if child is None else child.get(_VALUE)
        if value is None and key[-1] in _BARE_ENDINGS:
            bare = node.get(_bare(key))
            value = None if bare is None else bare.get(_VALUE)
        if value is not None:
            best = (position - index + 1, value)
        position += 1
        if child is None or position >= count or gaps[position].strip() not in _JOINERS:
            return best
        node = child


_JOINERS = {"", "–", "—", "-", ","}
_BARE_ENDINGS = frozenset("sS.")
_BARE_SUFFIXES = ("'s", "’s", "'S", ".")  # what _bare may take off


def _bare(word: str) -> str:
    """A word without a possessive or a sentence-final full stop ("Pakistan's", "UAE.")."""
    for suffix in ("'s", "’s", "'S"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    if word.endswith(".") and word.count(".") == 1:
        return word[:-1]
    return word


fold_accents = strip_accents


def _load(name: str) -> Any:
    return json.loads(resource_path("gazetteer", name).read_text(encoding="utf-8"))


class Gazetteer:
    """Every lookup the extraction needs, built from the JSON files."""

    def __init__(self) -> None:
        self.names = PhraseTable(fold_case=False)
        self.titles = PhraseTable(fold_case=True)
        self.bodies = PhraseTable(fold_case=True)
        self.states: dict[str, dict[str, Any]] = {}
        self.state_by_name: dict[str, str] = {}
        self.capitals: dict[str, str] = {}
        self.people: dict[str, list[Person]] = {}
        self.organizations: dict[str, dict[str, Any]] = {}
        self._codes: dict[str, str] | None = None
        self._cities: dict[str, str] | None = None
        self._load_states()
        self._load_organizations()
        self._load_armed_groups()
        self._load_bodies()
        self._load_titles()
        self._load_people()

    def _load_states(self) -> None:
        # states of today, then those that ceased to exist (Soviet Union, West Germany...),
        # which older articles' reactions name
        for state in [*_load("states.json"), *_load("historical_states.json")]:
            code = state["code"]
            self.states[code] = state
            entity = Entity("state", state["name"], code)
            ambiguous = set(state.get("ambiguous", []))
            for name in [state["name"], *state["names"]]:
                if name in ambiguous and name != state["name"]:
                    continue  # "Emirates", "America": too often something else
                self.names.add(name, entity)
                self.names.add("the " + name, entity)
                self.names.add("The " + name, entity)
                self.state_by_name[name.casefold()] = code
            adjective = Entity("state_adjective", state["name"], code)
            for form in state["adjectives"]:
                if form not in ambiguous:
                    self.names.add(form, adjective)
            for city in [state["capital"], *state.get("capital_aliases", [])]:
                if city:
                    self.capitals[city] = code

    def _load_organizations(self) -> None:
        for org in _load("organizations.json"):
            entity = Entity("organization", org["name"], org.get("hq"), org["kind"])
            self.organizations[org["name"]] = org
            ambiguous = set(org.get("ambiguous", []))
            forms = [org["name"], *org["names"], *org["abbreviations"]]
            # "Educational, Scientific, and Cultural": with and without the serial comma
            forms += [re.sub(r",? and ", ", and ", f) for f in forms if re.search(r", \w+ and ", f)]
            for form in forms:
                if form in ambiguous:
                    continue  # "Security Council", "ICC": need context we do not read
                self.names.add(form, entity)
                self.names.add("the " + form, entity)
                self.names.add("The " + form, entity)

    def _load_armed_groups(self) -> None:
        for group in _load("armed_groups.json"):
            entity = Entity("armed_group", group["name"], group.get("country"))
            for form in [group["name"], *group["names"], *group["abbreviations"]]:
                for prefix in ("", "the ", "The "):
                    self.names.add(prefix + form, entity)

    def _load_bodies(self) -> None:
        for body in _load("bodies.json"):
            forms = [body["name"], *body.get("variants", [])]
            if body.get("state"):
                entity = Entity("named_body", body["name"], body["state"], body["kind"])
                for form in forms:
                    for prefix in ("", "the ", "The "):
                        self.names.add(prefix + form, entity)
            else:
                for form in forms:
                    self.bodies.add(form, Body(body["name"], body["kind"]))

    def _load_titles(self) -> None:
        for title in _load("titles.json"):
            value = Title(title["title"], title["kind"], title["level"])
            for form in [title["title"], *title.get("variants", [])]:
                self.titles.add(form, value)

    def _load_people(self) -> None:
        for person in _load("people.json"):
            value = Person(
                person["name"],
                person.get("state"),
                person.get("organization"),
                person["role"],
                person["from"],
                person.get("to"),
            )
            for name in [person["name"], *person.get("aliases", [])]:
                self.people.setdefault(name, []).append(value)
                self.people.setdefault(fold_accents(name), []).append(value)

    def state_of_code(self, code: str) -> str | None:
        """The state a three-letter code stands for, as a flag icon copied as text leaves
        it: the Olympic committee code ("ALG", "NED", "RSA") or ISO alpha-3 ("DZA")."""
        if self._codes is None:
            codes = {
                state["alpha3"]: iso for iso, state in self.states.items() if state.get("alpha3")
            }
            codes.update(_load("olympic_codes.json"))
            self._codes = codes
        return self._codes.get(code)

    def state_name(self, code: str | None) -> str | None:
        return self.states[code]["name"] if code in self.states else None

    def state_code(self, name: str) -> str | None:
        return self.state_by_name.get(name.casefold())

    def find_person(self, name: str, year: int | None) -> Person | None:
        """A known office holder by name, preferring the term that covers year."""
        terms = self.people.get(name) or self.people.get(fold_accents(name)) or []
        if not terms:
            return None
        if year is not None:
            for term in terms:
                if term.start <= year <= (term.end or 9999):
                    return term
        return terms[0]

    def city_code(self, name: str) -> str | None:
        """The state a city of more than 15,000 people is in (GeoNames, cities.json)."""
        if self._cities is None:
            self._cities = _load("cities.json")
        return self._cities.get(name) or self._cities.get(fold_accents(name))

    def place_code(self, place: str) -> str | None:
        """The state a place name stands in: a state, a constituent country, a capital or a
        city; a district or province named after its town ("Mastung District") too."""
        bare = re.sub(r"^the\s+", "", place.strip())
        code = self.state_code(bare) or _CONSTITUENT.get(bare) or self.capitals.get(bare)
        if code:
            return code
        code = self.city_code(bare)
        if code is None:
            town = re.sub(
                r"\s+(?:District|Province|Governorate|County|Region|Oblast|Prefecture|"
                r"City|Division|Tehsil|Municipality|State)$",
                "",
                bare,
            )
            code = self.city_code(town) if town != bare else None
        return code

    def country_of_places(self, places: Iterable[str]) -> str | None:
        """The state an incident happened in, from its list of places (last one first):
        a state's name, a constituent country ("England"), or a capital ("Kampala")."""
        places = list(places)
        for place in reversed(places):
            bare = re.sub(r"^the\s+", "", place)
            code = self.state_code(bare) or _CONSTITUENT.get(bare)
            if code:
                return code
        for place in places:
            if place in self.capitals:
                return self.capitals[place]
        for place in places:  # most specific first: the town an incident happened in
            code = self.place_code(place)
            if code:
                return code
        return None

    def country_of_title(self, title: str) -> str | None:
        """The state an article's title places it in: a state or city the title names
        after "in", "of", "at" or "on" first ("1986 United States bombing of Libya"), else
        the first one it names ("2016 Sana'a funeral airstrike")."""
        candidates: list[tuple[bool, int, str]] = []
        for found in self.names.scan(title):
            if found.value.kind == "state" and found.value.code:
                after_preposition = bool(re.search(r"\b(?:in|of|at|on)\s+(?:the\s+)?$",
                                                   title[: found.start]))  # fmt: skip
                candidates.append((not after_preposition, found.start, found.value.code))
        for match in re.finditer(r"[A-Z][\w'’.-]+(?:[\s-][A-Z][\w'’.-]+){0,2}", title):
            for phrase in _prefixes(match.group(0)):
                code = self.city_code(phrase)
                if code:
                    after_preposition = bool(re.search(r"\b(?:in|of|at|on)\s+(?:the\s+)?$",
                                                       title[: match.start()]))  # fmt: skip
                    candidates.append((not after_preposition, match.start(), code))
                    break
        return min(candidates)[2] if candidates else None

    def country_of_lead(self, lead: str) -> str | None:
        """The state where the lead says it happened: the first place after "in", "at",
        "near" that is a state, a constituent country or a city."""
        for match in _IN_PLACE.finditer(lead[:1500]):
            # "in Belfast. The attack ...": the sentence's stop ends the place
            place = _SENTENCE_STOP.split(match.group("place"), maxsplit=1)[0]
            for phrase in _prefixes(place):
                code = self.place_code(phrase)
                if code and not self.is_person_name(phrase, lead, match.start("place")):
                    return code
        return None

    def is_person_name(self, phrase: str, text: str, start: int) -> bool:
        """ "in Obama's speech": a town by that name is not where it happened."""
        after = text[start + len(phrase) : start + len(phrase) + 2]
        return after in {"'s", "’s"} or any(phrase in name.split() for name in self.people)

    def country_in_text(self, text: str) -> str | None:
        """The state a text places the incident in: the first state (or constituent country)
        it names, else the first capital ("a Kabul Shia mosque"), else the first nationality
        adjective (weakest: "an American bombing in Mosul" is about Iraq). What is quoted
        is someone's words, not the article's: "the U.S. security crackdown" in a quotation
        does not place a Baghdad bombing."""
        text = _QUOTED.sub(lambda m: " " * len(m.group(0)), text)
        named = [
            (f.start, f.value.code)
            for f in self.names.scan(text)
            if f.value.kind == "state" and f.value.code
        ]
        named += [
            (m.start(), code)
            for name, code in _CONSTITUENT.items()
            for m in re.finditer(rf"\b{name}\b", text)
        ]
        if named:
            return str(min(named, key=lambda item: item[0])[1])
        for word in re.findall(r"[A-Z][\w'-]+", text):
            if word in self.capitals:
                return self.capitals[word]
        for found in self.names.scan(text):
            if found.value.kind == "state_adjective" and found.value.code:
                return str(found.value.code)
        return None


_SENTENCE_STOP = re.compile(r"(?<=[a-z]{2})\.(?:\s|$)")
_QUOTED = re.compile(r"“[^”]{1,600}”|\"[^\"\n]{1,600}\"")
_IN_PLACE = re.compile(
    r"\b(?:in|at|near|outside)\s+(?:the\s+)?(?:(?:central|northern|southern|eastern|western|"
    r"downtown|north|south|east|west|north-western|north-eastern|south-western|south-eastern)\s+)?"
    r"(?P<place>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3})"
)


def _prefixes(phrase: str) -> list[str]:
    """ "Hamam al-Alil Town" -> the phrase, then its shorter beginnings, longest first."""
    words = phrase.split()
    return [" ".join(words[:n]) for n in range(len(words), 0, -1)]


@cache
def gazetteer() -> Gazetteer:
    return Gazetteer()


def flag_country_name(code: str) -> str | None:
    """The state a wikitext flag template stands for ({{flag|BRA}}, {{JPN}},
    {{flagicon|Spain}}): by its Olympic or ISO alpha-3 code, or by a name or short form the
    gazetteer knows ("UK"); None for anything that is no state."""
    text = code.strip()
    gaz = gazetteer()
    if re.fullmatch(r"[A-Z]{3}", text):
        found = gaz.state_of_code(text)
        if found:
            return gaz.state_name(found)
    return gaz.state_name(gaz.state_code(text))
