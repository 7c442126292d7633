"""extract_facts: the normalised facts of one parsed article (dates, tolls, places,
perpetrators, reactions, dated events and see-also links), each traceable to the raw text
it came from."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from db.records import Facts, PerpetratorRecord, SeeAlsoRecord, TermRecord, Toll
from viewer.extraction.attackers import attackers_killed
from viewer.extraction.dates import DateRange, date_from_text, find_dates, parse_date_text
from viewer.extraction.events import extract_events
from viewer.extraction.gazetteer import gazetteer
from viewer.extraction.keys import canonical_field
from viewer.extraction.lead_tolls import lead_tolls
from viewer.extraction.lists import (
    garbled_perpetrators,
    parse_perpetrators,
    parse_places,
    parse_terms,
    places_from_text,
)
from viewer.extraction.perpetrators import perpetrators_from_text
from viewer.extraction.reactions import extract_reactions
from viewer.extraction.sentences import SentenceSplits
from viewer.extraction.tolls import parse_toll, read_fatalities, side_losses
from viewer.extraction.venues import venues_from_text
from viewer.parsing.model import LIST_MARK, ParsedArticle, title_key
from viewer.parsing.model import SectionSpan as Span

SEE_ALSO = {"see also", "related", "related articles", "related incidents"}
LEAD_CHARS = 20_000  # how much of the lead the toll patterns read
# the section that tells the attack itself, where a lead without a toll leaves it
_ACCOUNT = re.compile(
    r"^(?:the\s+)?(?:attacks?|bombings?|shootings?|stabbings?|massacres?|incident|events?|"
    r"explosions?|blasts?|assault|raid|airstrikes?|strikes?|ambush|siege|killings?|"
    r"casualties|victims|death|murder|assassination|the attack and (?:its )?aftermath|"
    r"execution|executions|operation|battle|engagement)$",
    re.I,
)


_REACTIONS_PAGE = re.compile(
    r"^(?:(?:international|domestic|world|global)\s+)?(?:reactions?|responses?)\s+to\b", re.I
)


def fields_of(article: ParsedArticle) -> dict[str, str]:
    """The first value of each unified field ("Perps" and "Perpetrator" both -> perpetrators)."""
    values: dict[str, str] = {}
    for entry in article.infobox:
        name = canonical_field(entry.key)
        if name is not None and name not in values and entry.value.strip():
            values[name] = entry.value
    return values


def extract_facts(article: ParsedArticle, body: str, spans: Sequence[Span] = ()) -> Facts:
    fields = fields_of(article)
    killed, attackers = read_fatalities(fields.get("fatalities"))
    facts = Facts(
        date_text=fields.get("date"),
        location_text=fields.get("location"),
        fatalities=killed,
        perpetrators_killed=attackers,
        injuries=parse_toll(fields.get("injuries")),
    )
    headed = [s.heading_start for s in spans if s.heading is not None]
    lead = body[: min(headed, default=len(body))]
    _date(facts, fields, lead, body, article.title)
    facts.perpetrators = _perpetrators(fields, article) or perpetrators_from_text(
        lead, ((s.heading, body[s.start : s.end]) for s in spans if s.heading)
    )
    if "fatalities" not in fields or "injuries" not in fields:
        # no toll in the infobox (plain text, short articles): the lead's own words
        # a lead is a few paragraphs; an article with no headings is all lead, and the toll
        # patterns over megabytes of it took tens of seconds
        killed, injured, attackers = lead_tolls(lead[:LEAD_CHARS], article.title)
        if killed.min is None and injured.min is None:
            # a lead that gives no toll: the account of the attack itself may
            account = next(
                (s for s in spans if s.heading and _ACCOUNT.match(s.heading.strip())), None
            )
            if account is not None:
                text = body[account.start : account.end][:LEAD_CHARS]
                killed, injured, attackers = lead_tolls(text, article.title)
        if "fatalities" not in fields:
            if attackers.min is None:
                attackers = attackers_killed(
                    lead[:LEAD_CHARS],
                    ((s.heading, body[s.start : s.end][:LEAD_CHARS]) for s in spans if s.heading),
                    [p.name for p in facts.perpetrators],
                )
                killed = _with_attackers_killed(killed, attackers)
            facts.fatalities, facts.perpetrators_killed = killed, attackers
        if "injuries" not in fields:
            facts.injuries = injured
        if facts.fatalities.min is None or facts.injuries.min is None:
            _battle_losses(facts, article)
    places = parse_places(fields.get("location"))
    account = next((s for s in spans if s.heading and _ACCOUNT.match(s.heading.strip())), None)
    # (its first sentences: later ones tell of other attacks that night, "near Moy")
    told = _first_sentences(body[account.start : account.end][:3000]) if account else ""
    if not places:
        # the lead's places, else those of the section that tells the attack (a person's
        # article: the lead gives where they worked, "Death" where they were killed)
        found = places_from_text(lead, article.title) or (places_from_text(told) if told else None)
        if found is not None:
            facts.location_text, places = found
    gaz = gazetteer()
    code = (
        gaz.country_of_places(places)
        or (gaz.state_code(fields["country"]) if "country" in fields else None)
        or gaz.country_of_title(article.title)
        or gaz.country_of_lead(lead)
        or gaz.country_in_text(lead[:2000])
        # (a page of reactions alone: its body places the reactions, "the alliance's
        # ambassadors in Brussels", not the attack)
        or (None if _REACTIONS_PAGE.match(article.title) else gaz.country_of_lead(body[:1500]))
        or gaz.country_in_text(body[:3000])
    )
    facts.country = gaz.state_name(code)
    province = places[-2] if len(places) >= 2 and code else None
    if "location" in fields and _names_a_part_of(lead, places):
        # the more specific places the lead adds to the infobox's, after them (the timeline's
        # lane stays the infobox's first place, the province its own)
        places = _in_more_detail(places, places_from_text(lead, article.title))
    # where in the town: the building or site the lead names, after the town (the timeline's
    # lanes go by the first place)
    # (after an infobox's location, the lead's first sentence only: the second is as often
    # about another event, "one day after the Japanese Imperial Navy's attack on Pearl Harbor")
    sentences = 1 if "location" in fields else 2
    venues = venues_from_text(lead, places, article.title, sentences=sentences)
    if not venues and told:
        venues = venues_from_text(told, places, unnamed=False)
    places = [*places, *venues]
    facts.terms = (
        [TermRecord("place", p) for p in places]
        + [TermRecord("type", t) for t in parse_terms(fields.get("type"))]
        + [TermRecord("target", t) for t in parse_terms(fields.get("target"))]
        + [
            TermRecord("part_of", t)
            for t in parse_terms(fields.get("part_of"), capitalised_and=True)
        ]
        + [TermRecord("weapon", t) for t in parse_terms(fields.get("weapons"))]
    )
    start = date.fromisoformat(facts.date_start) if facts.date_start else None
    # the reactions and the dated events read many of the same paragraphs: each is split
    # into sentences once
    splits = SentenceSplits()
    facts.reactions = extract_reactions(
        body,
        spans,
        country=code,
        year=start.year if start else None,
        province=province,
        title=article.title,
        splits=splits,
    )
    facts.events = extract_events(body, spans, start, splits)
    facts.see_also = [SeeAlsoRecord(t, title_key(t)) for t in _see_also(body, spans)]
    return facts


_SIDE_KEY = re.compile(r"^casualties\s*\d*$", re.I)


def _battle_losses(facts: Facts, article: ParsedArticle) -> None:
    """A battle infobox's losses (casualties1 "746 killed, ~200 wounded", casualties2...),
    where neither a toll field nor the text gave the figure."""
    values = [e.value for e in article.infobox if _SIDE_KEY.match(e.key.strip())]
    if not values:
        return
    killed, wounded = side_losses(values)
    if facts.fatalities.min is None and killed.min is not None:
        facts.fatalities = killed
    if facts.injuries.min is None and wounded.min is not None:
        facts.injuries = wounded


# "the Muna Garage area of Maiduguri": a part of the infobox's first place named before it
_PART_OF = re.compile(r"\b(?:area|district|neighbou?rhood|quarter|suburb|part|outskirts)\s+of\s+$")


def _names_a_part_of(lead: str, places: list[str]) -> bool:
    """Whether the lead names a part of the infobox's first place (looked for before the
    lead's places are read at all: most infoboxes' places are as specific as the lead's)."""
    at = lead.find(places[0], 0, 1500) if places else -1
    return at > 0 and _PART_OF.search(lead, max(0, at - 30), at) is not None


def _in_more_detail(places: list[str], lead: tuple[str, list[str]] | None) -> list[str]:
    """The infobox's places, then those the lead adds where it names every one of them too:
    "at Nawagai area of Bajaur Agency, FATA, Pakistan" beside "Location: Bajaur Agency, FATA,
    Pakistan" (a place the lead names elsewhere is never added to the infobox's)."""
    if not places or lead is None or len(lead[1]) <= len(places):
        return places
    folded = [p.casefold() for p in lead[1]]
    if all(place.casefold() in folded for place in places):
        return [
            *places,
            *(p for p in lead[1] if p.casefold() not in [q.casefold() for q in places]),
        ]
    return places


def _first_sentences(text: str, count: int = 2) -> str:
    return ". ".join(re.split(r"(?<=[a-z0-9)\]])\.\s", text.strip(), maxsplit=count)[:count])


def _with_attackers_killed(victims: Toll, attackers: Toll) -> Toll:
    """A lead's toll of victims ("killing 61 cadets") and the attackers the text says died
    apart ("Three militants were killed"): everyone the incident killed, as GTD counts."""
    if victims.min is None or not attackers.min or victims.text is None:
        return victims
    if re.search(r"\bsuicide\s+(?:bomb|attack|car|truck)", attackers.text or "", re.I):
        # a bomber known only from "a suicide bomber": whether the lead's figure counts
        # him the text does not say, so the figure stands as it is written
        return victims
    if re.search(r"\binclud|\battackers?\b|\bbombers?\b|\bgunm[ae]n\b", victims.text, re.I):
        return victims  # the toll counts them already
    if attackers.text and victims.text in attackers.text:
        return victims  # "Police officers killed five of the eight members": one count, theirs
    high = victims.max + attackers.min if victims.max is not None else None
    return Toll(victims.min + attackers.min, high, victims.open_ended, victims.text)


def _date(facts: Facts, fields: dict[str, str], lead: str, body: str, title: str) -> None:
    value = fields.get("date")
    parsed = parse_date_text(value) if value else None
    if parsed is None and value:
        parsed = _yearless_range(value, title)
    if parsed is None:
        found = date_from_text(lead, title)
        if found is None or found[1].precision != "day":
            # the lead gives only a year or month: the first sections often give the day
            # (the best day inside what the lead gave: the body's first may be a birth day)
            wider = date_from_text(body[:6000], title, within=found[1] if found else None)
            if (
                wider is not None
                and wider[1].precision == "day"
                and (found is None or found[1].start <= wider[1].start <= found[1].end)
            ):
                found = wider
        died = _death_date(lead)
        if died is not None and (
            found is None
            or (found[1].precision != "day" and died[1] in found[1])
            or (found[1].end == died[1].end and found[1].start < died[1].start)  # the lifespan
        ):
            found = died  # "KEITH LAMONT SCOTT (February 3, 1973 – September 20, 2016)"
        # "29 October 2005 Delhi bombings": the title's day where the text gives a coarser
        # one, or none (a mirror's page of the reactions section alone)
        titled = parse_date_text(title)
        if (
            titled is not None
            and titled.precision == "day"
            and (found is None or (found[1].precision != "day" and titled in found[1]))
        ):
            found = (title, titled)
        if found is not None:
            facts.date_text, parsed = found
    if parsed is not None:
        facts.date_start, facts.date_end = parsed.iso
        facts.date_precision = parsed.precision


# the lifespan after a killed person's name: the day they died is the incident's
_LIFESPAN = re.compile(
    r"^[^()]{2,120}\((?:[^()]*?;\s*)?(?:c(?:a)?\.\s*|born\s+)?[^()–—]{0,20}?\b(?:1[0-9]{3}|20[0-9]{2})"
    r"\s*[–—-]\s*(?P<died>[^()–—]{6,24}?\b(?:1[0-9]{3}|20[0-9]{2}))\s*\)"
)
_KILLED_WORDS = re.compile(
    r"\b(?:killed|murdered|assassinated|shot|stabbed|executed|lynched|beheaded|death|"
    r"found dead|dead body)\b",
    re.I,
)


def _death_date(lead: str) -> tuple[str, DateRange] | None:
    """The day a person died, from the lifespan that follows their name in the first
    sentence, where that sentence or the next says they were killed."""
    head = lead.lstrip()[:600]
    lifespan = _LIFESPAN.match(head)
    if lifespan is None or not _KILLED_WORDS.search(head):
        return None
    died = parse_date_text(lifespan.group("died"))
    if died is None or died.precision != "day":
        return None
    return lifespan.group("died"), died


def _yearless_range(value: str, title: str) -> DateRange | None:
    """`23 October, 25 October, 16 November` in "2021 Uganda bombings": the year comes from
    the title, the range from the first and last dates."""
    year = re.search(r"\b(1[0-9]{3}|20[0-9]{2})\b", title)
    mentions = [m for m in find_dates(value) if m.month and m.day]
    if not year or not mentions:
        return None
    days = []
    for mention in mentions:
        try:
            days.append(date(int(year.group(1)), mention.month or 1, mention.day or 1))
        except ValueError:
            continue
    if not days:
        return None
    return DateRange(min(days), max(days), "day")


def _perpetrators(fields: dict[str, str], article: ParsedArticle) -> list[PerpetratorRecord]:
    # every field that names them, not the first: an attack infobox gives the gunmen under
    # "Assailants" and the group behind them under "Perpetrators"
    found = []
    for entry in article.infobox:
        if not _WHO_KEY.search(entry.key):
            continue
        field = canonical_field(entry.key)
        if field in {"perpetrators", "suspects"}:
            found += parse_perpetrators(entry.value, suspected_field=field == "suspects")
    if not found:
        found = garbled_perpetrators(article.infobox)
    gaz = gazetteer()
    result: list[PerpetratorRecord] = []
    for perpetrator, name in ((p, n) for p in found for n in _two_people(p.name)):
        if not re.search(r"[^\W\d_]", name):
            continue  # "Accused: 19 (out of which 7 killed)": a count, no one's name
        known = [f for f in gaz.names.scan(name) if f.value.kind == "armed_group"]
        if known and known[0].text == name:
            name = known[0].value.name  # "Khorasan Province" -> its group's canonical name
        key = _ABBREVIATION.sub("", name).casefold()
        same = next((r for r in result if _ABBREVIATION.sub("", r.name).casefold() == key), None)
        if same is None:
            result.append(PerpetratorRecord(name, perpetrator.suspected))
        elif not perpetrator.suspected:
            same.suspected = False  # "Accused" first, then "Convicted": no longer a suspect
    return result


# "Uday Abu Jamal and Ghassan Abu Jamal": two people in one value (names in capitals, none
# a body the gazetteer knows, as "Bosnia and Herzegovina" is)
_PERSON = r"(?:[A-Z][\w'’.-]*\s+){1,4}[A-Z][\w'’.-]*"
_TWO_PEOPLE = re.compile(rf"^({_PERSON})\s+and\s+({_PERSON})$")


def _two_people(name: str) -> list[str]:
    both = _TWO_PEOPLE.match(name)
    if both is None or gazetteer().names.scan(name):
        return [name]
    return [both.group(1), both.group(2)]


# the words every key of the perpetrators and suspects fields holds (keys.py)
_WHO_KEY = re.compile(r"perp|assail|attacker|accus|suspect|convict", re.I)
# "Kurdistan Freedom Hawks (TAK)" under one key is the group another key names without it
_ABBREVIATION = re.compile(r"\s*\([^()]*\)\s*$")


def _see_also(body: str, spans: Sequence[Span]) -> list[str]:
    titles: list[str] = []
    for span in spans:
        if (span.heading or "").casefold() not in SEE_ALSO:
            continue
        for line in body[span.start : span.end].split("\n"):
            if not line.startswith(LIST_MARK):
                continue
            title = line[len(LIST_MARK) :].strip()
            # "2014 Nantes attack, a similar attack ..." or "X – a description": the title
            # is the part before a lower-case annotation.
            title = re.split(r",\s+(?=[a-z])|\s+[–—-]\s+(?=[a-z])", title, maxsplit=1)[0]
            if title and title not in titles:
                titles.append(title)
    return titles
