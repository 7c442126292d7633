"""Death and injury tolls read from an article's lead, for articles without an infobox toll.

Plain-text and short articles often give the toll only in prose: "killed at least 168
people, injured more than 680 others", "at least 75 people were killed and over 340
injured". The first such phrase in the lead gives the toll; the phrase itself is kept as the
toll's text, so the value stays traceable to the words it came from.
"""

from __future__ import annotations

import re

from db.records import Toll
from viewer.extraction.sentences import split_block
from viewer.extraction.tolls import (
    ATTACKER_WORDS,
    REPRISAL,
    VAGUE_NUMBERS,
    WORD_NUMBERS,
    number_words,
    parse_toll,
    vague_word,
)

_WORDS = sorted(
    (w for w in [*WORD_NUMBERS, *VAGUE_NUMBERS] if w not in {"no", "a", "an", "none", "zero"}),
    key=len,
    reverse=True,
)
_NUMBER = r"\d{1,3}(?:,\d{3})+|\d+|" + number_words(_WORDS)
_QUALIFIER = (
    r"(?:a total of\s+)?(?:at least|more than|above|over|nearly|almost|about|around|approximately|"
    r"some|up to|as many as|an estimated)\s+"
)
_WHO = (
    r"(?:more|other|more people|other people|people|persons|civilians|others|individuals|"
    r"victims|worshippers|children|soldiers|"
    r"police(?:men| officers)?|pilgrims|passengers|students|Iraqis|Afghans|Pakistanis)"
)
# where a count can begin: a digit, or the first letter of a qualifier or a number word (a
# count-first pattern tried at every other place is what made the lead's tolls slow)
_COUNT_START = r"\b(?=[\d" + "".join(sorted({w[0] for w in _WORDS} | set("amonsu"))) + "])"
# a range is one count: "killed 20–30 people", "between 14 and 20 people were killed",
# "20 to 30"
_RANGE_TAIL = rf"(?:\s*(?:–|—|-|to)\s*(?:{_NUMBER})\b(?![:.,]\d))?"
_COUNT = (
    rf"(?P<count>(?:between\s+(?:{_NUMBER})\s+and\s+(?=(?:{_NUMBER})\b)|(?:{_QUALIFIER}))?"
    rf"(?<![:\d.,])\b(?:{_NUMBER}){_RANGE_TAIL})\b(?![:.]\d)(?:\s+of)?"
)


# up to three words naming who between a count and its verb: "600 civilian Poles were killed"
_NOT_FILLER = (
    r"and|or|but|while|when|where|whom|whose|because|if|then|who|which|that|to|in|on|at|by|with|"
    r"from|after|before|as|am|pm|were|was|"
    r"had|have|has|been|are|is|also|not|no"
)
_FILLER = (
    rf"(?:(?:{_WHO})\s+|(?:(?!(?:{_NOT_FILLER})\b)[A-Za-z][\w'’-]*\s+|\([^()]{{1,30}}\)\s+|"
    rf"(?:[A-Z]\.){{2,}}\s+){{1,7}}?)?"  # "Four U.S. citizens were killed"
)
# who, then who among them between commas: "At least 12 people, including three children,
# were killed", "14 others, including three police officers, were wounded"
_AMONG = (
    rf"(?:{_FILLER}|(?=[^.;,]{{0,80}},\s+(?:including|among|most|mostly|many|all)\b)"
    rf"{_FILLER}[A-Za-z][\w'’-]*,\s+(?:including|among them|most of them|mostly|"
    rf"many of them|all of them)\b[^.;()]{{1,80}}?,?\s+)"
)


def _patterns(active: str, passive: str, nouns: str, of_nouns: str) -> list[re.Pattern[str]]:
    return [
        # "killed at least 168 people", "killing 26", "killed a total of at least 15"
        # "injuring another 100"
        re.compile(
            rf"\b(?:{active})\s+(?:a total of\s+|another\s+|an additional\s+)?{_COUNT}"
            rf"(?!\s*(?:%|percent|km|kg))",
            re.I,
        ),
        # "at least 75 people were killed", "40 others injured", "70 people were also injured",
        # "600 civilian Poles were killed"
        re.compile(
            rf"{_COUNT_START}{_COUNT}\s+{_AMONG}(?:(?:were|was|had been|have been|are)\s+)?"
            rf"(?:also\s+|reportedly\s+)?(?:{passive})\b",
            re.I,
        ),
        # "3,846 civilian deaths", "a death toll of 60"
        re.compile(rf"{_COUNT_START}{_COUNT}\s+(?:\w+\s+)?(?:{nouns})\b", re.I),
        # "the deaths of 5 Israelis", "the killing of at least 300 civilians"
        re.compile(rf"\b(?:{of_nouns})\s+of\s+(?:some\s+|about\s+)?{_COUNT}", re.I),
    ]


_FATALITIES = _patterns(
    r"killed|killing|kills|left|claimed the lives of|claiming the lives of|massacred|"
    r"murdered|executed",
    # "Six senior Army generals were kidnapped and killed": taken, then killed, are the dead
    r"(?:(?:abducted|kidnapped|seized|captured|taken hostage|tortured|raped|shot|stabbed|"
    r"beaten)\s+and\s+(?:then\s+|later\s+|subsequently\s+)?)?"
    r"(?:killed|murdered|executed)|"
    r"dead|died|massacred|slain|perished|shot dead|lost their lives",
    r"deaths|dead|fatalities",
    r"deaths|death|killing|killings|murder|murders|massacre|execution|executions|lives",
)
_INJURIES = _patterns(
    r"injured|injuring|wounded|wounding",
    # "Two of them suffered stab wounds"
    r"injured|wounded|hurt|suffered\s+(?:[\w-]+\s+){0,2}?(?:injuries|wounds)",
    r"injuries",
    r"wounding|injuring|injury",
)
_DEATH_TOLL = re.compile(
    rf"death toll\s+(?:of|rose to|reached|stood at|stands at|climbed to|was put at|was|is|"
    rf"has risen to|had risen to|at)\s+{_COUNT}",
    re.I,
)
# a later figure that replaces the first: "the death toll rose to 25", "One injured Soldier
# died a month later ... raising the total killed to 5", "bringing the death toll to 30"
_TOLL_UPDATE = re.compile(
    rf"(?:\b(?:(?:death\s+)?toll|number\s+of\s+(?:dead|deaths|people\s+killed|fatalities))\s+"
    rf"(?:later\s+|eventually\s+|subsequently\s+)?(?:rose|increased|climbed|has risen|had risen|"
    rf"grew)"
    rf"|\b(?:raising|raised|bringing|brought|taking|took|pushing|pushed)\s+the\s+"
    rf"(?:total\s+(?:number\s+)?(?:killed|dead|of\s+dead|deaths|death\s+toll)|"
    rf"(?:death\s+)?toll|number\s+of\s+(?:dead|deaths|people\s+killed|fatalities)))"
    rf"\s+to\s+{_COUNT}",
    re.I,
)
_VICTIMS = re.compile(
    rf"\b(?i:the)\s+{_COUNT}\s+(?:\w+\s+)?victims\b(?!\s+(?:were|was)\s+(?:\w+\s+)?"
    rf"(?:injured|wounded|hurt|treated|taken|hospitali[sz]ed))"
)
_A_DEATH = re.compile(
    r"\b(?:[Aa]n?)\s+(?!number\b|total\b|few\b|couple\b|dozen\b|score\b|hundred\b|"
    r"thousand\b)(?:[a-z-]+\s+){0,2}?[a-z-]+\s+(?:was|had been)\s+(?:also\s+)?"
    r"(?:killed|shot dead|murdered|stabbed to death|fatally (?:shot|stabbed|wounded))\b"
    # "This incident resulted in the death of Kosovar sergeant Afrim Bunjaku": one death, of
    # one incident ("these attacks resulted in the death of the Russian general" is one of many)
    # "resulting in the first death of a British fighter pilot": one, by its article
    r"|\b(?:resulting|resulted)\s+in\s+the\s+(?:first\s+)?death\s+of\s+(?:an?|one)\s+"
    r"(?:[\w'’-]+\s+){0,3}?[a-z][\w'’-]+"
    r"|\b(?:[Tt]his|[Tt]he)\s+(?:incident|attack|shooting|bombing|ambush|explosion|blast|"
    r"stabbing|assault)\s+(?:\w+\s+)?(?:resulted in|caused|led to)\s+the\s+death\s+of\s+"
    r"(?:an?\s+|one\s+)?"
    r"(?![Tt]wo\b|[Tt]hree\b|[Ss]everal\b|[Mm]any\b|[Mm]ore\b|[Aa]t\b|[Ss]ome\b|[Oo]ver\b|"
    r"[Dd]ozens\b|[Hh]undreds\b|\d)[\w'’-]+\s+[\w'’-]+"
)
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")


# "3 militants were killed", "three of the militants were killed": the attackers
_ATTACKERS_COUNTED = re.compile(rf"\s+(?:of\s+the\s+)?(?:\w+\s+)?(?:{ATTACKER_WORDS})\b", re.I)


def _first(text: str, patterns: list[re.Pattern[str]]) -> Toll:
    best: re.Match[str] | None = None
    for pattern in patterns:
        # only a match that starts before the best so far can replace it, and no match is
        # longer than _LONGEST: the rest of the text need not be read
        end = len(text) if best is None else min(len(text), best.start() + _LONGEST)
        for match in pattern.finditer(text, 0, end):
            if _YEAR.match(match.group("count")):
                continue  # "in 1998 killed ..." is a year, not a toll
            if re.match(r"[\s-]*years?[\s-]+old\b", text[match.end("count") :]):
                continue  # "a 13 year old student was also injured": an age
            if _ATTACKERS_COUNTED.match(text, match.end("count")):
                continue  # "3 militants were killed": the attackers, counted apart
            if REPRISAL.search(text[text.rfind(". ", 0, match.start()) + 1 : match.start()]):
                continue  # "In response, the forces killed around 15 militants": not its toll
            if best is None or match.start() < best.start():
                best = match
            break
    if best is None:
        return Toll()
    count = best.group("count")
    if count.casefold() == "one" and _NO_ONE.search(text, 0, best.start("count")):
        return Toll(0, 0, False, best.group(0))  # "Although no one died, 29 were injured"
    vague = vague_word(count)
    if vague is not None:
        # "dozens", "more than a hundred": a lower bound, kept open
        low = VAGUE_NUMBERS[vague]
        return Toll(low, low, True, best.group(0))
    toll = parse_toll(count)
    return Toll(toll.min, toll.max, toll.open_ended, best.group(0))


_LONGEST = 600
_NO_ONE = re.compile(r"\b[Nn]o\s+$")
_AND_ATTACKERS = re.compile(
    rf"^\s*(?:people|victims|civilians|others)?\s*(?:,\s*|\s+\(?)(?:and|plus|as well as)\s+"
    rf"(?P<count>(?:{_QUALIFIER})?(?:{_NUMBER}))\s+(?:of\s+the\s+)?(?:{ATTACKER_WORDS})",
    re.I,
)


_PEOPLE = (
    r"(?:people|persons|civilians|children|adults|women|men|man|woman|boys|girls|soldiers|"
    r"policemen|police officers|officers|students|pupils|teachers|staff members|worshippers|"
    r"pilgrims|passengers|bystanders|guards|workers|journalists|tourists|foreigners|nationals|"
    r"citizens|villagers|refugees)"
)
# "killing four women and one man": each count its own kind of victim, one toll
_AND_MORE = re.compile(
    rf"\s+(?:[a-z-]+\s+){{0,2}}?{_PEOPLE}\s+(?:and|as well as)\s+(?P<count>{_NUMBER})\s+"
    rf"(?:[a-z-]+\s+){{0,2}}?{_PEOPLE}\b(?!\s+(?:were|was)\s+(?:\w+\s+)?(?:injured|wounded|hurt))",
    re.I,
)


# "3 Israeli soldiers and 1 civilian were killed": the count before "and" belongs to the
# toll that the verb after the second gives
_COUNT_BEFORE = re.compile(
    rf"(?<![\w,.])(?P<count>{_NUMBER})\s+(?P<who>(?:[A-Za-z][\w'’.-]*\s+){{1,3}}?)and\s+$", re.I
)


_TOLL_WORD = re.compile(
    r"\b(?:dead|killed|died|deaths|injured|wounded|hurt|injuries|were|was|are|is)\b", re.I
)


def _with_count_before(toll: Toll, lead: str) -> Toll:
    if toll.text is None or toll.min is None or toll.min != toll.max or not toll.text[:1].isdigit():
        return toll
    start = lead.find(toll.text)
    before = _COUNT_BEFORE.search(lead, max(0, start - 60), start)
    if (
        before is None
        or _YEAR.match(before.group("count"))
        or re.search(ATTACKER_WORDS, before.group("who"), re.I)
        or _TOLL_WORD.search(before.group("who"))  # "10 civilians dead and 650 injured"
    ):
        return toll
    added = parse_toll(before.group("count"))
    if added.min is None or added.min != added.max:
        return toll
    total = toll.min + added.min
    return Toll(total, total, toll.open_ended, lead[before.start() : start + len(toll.text)])


def _and_more(toll: Toll, lead: str) -> Toll:
    """The first count and the others joined to it ("killing four women and one man")."""
    if toll.text is None or toll.min is None or toll.min != toll.max:
        return toll
    end = lead.find(toll.text) + len(toll.text)
    more = _AND_MORE.match(lead, end, end + 160)
    if more is None or vague_word(more.group("count")) is not None:
        return toll
    added = parse_toll(more.group("count"))
    if added.min is None or added.min != added.max:
        return toll
    total = toll.min + added.min
    return Toll(total, total, toll.open_ended, lead[end - len(toll.text) : more.end()])


def _with_attackers(toll: Toll, lead: str) -> tuple[Toll, Toll]:
    """ "the deaths of at least 60 victims and at least seven attackers": 67, of whom 7."""
    if toll.text is None or toll.min is None:
        return toll, Toll()
    end = lead.find(toll.text) + len(toll.text)
    match = _AND_ATTACKERS.match(lead[end : end + 120])
    if match is None:
        return toll, Toll()
    attackers = parse_toll(match.group("count"))
    if attackers.min is None:
        return toll, Toll()
    total = toll.min + attackers.min
    text = lead[lead.find(toll.text) : end + match.end()]
    return Toll(total, total, toll.open_ended or attackers.open_ended, text), Toll(
        attackers.min, attackers.min, False, None
    )


def tolls_from_lead(lead: str, title: str = "") -> tuple[Toll, Toll]:
    """(fatalities, injuries) from the first phrases of the lead that state them; an
    article about one person's killing ("Murder of Maria Ladenburger", "Terence Crutcher
    ... was shot and killed") has one death when no figure is given."""
    fatalities, injuries, _ = lead_tolls(lead, title)
    return fatalities, injuries


def _updated(first: Toll, lead: str, patterns: list[re.Pattern[str]], deaths: bool) -> Toll:
    """The first toll, or the higher one a later sentence says it rose to, or gives as what
    was found later ("killed at least 10 people. Later, it was officially reported that ...
    58 people were killed"; "Later, the Ukrainian police confirmed 61 people were killed
    and 160 were injured")."""
    if first.min is None or first.text is None:
        return first
    start = lead.find(first.text)
    rest = lead[start + len(first.text) :]
    for later in _LATER.finditer(rest):
        if not _REPORTED.search(later.group(0)):
            continue  # "Later, a second bomb killed 30": another act, not a new count
        found = _first(later.group(0), patterns)
        if found.min is not None and found.min > first.min:
            return found
    if not deaths or not _UPDATE_WORD.search(rest):
        return first
    update = _first(rest, [_TOLL_UPDATE])
    if update.min is None or update.min <= first.min or update.text is None:
        return first
    after = rest[rest.find(update.text) + len(update.text) :][:60]
    if _CUMULATIVE.match(after):
        return first  # "bringing the death toll to 300 for the year": many attacks' toll
    return update


_UPDATE_WORD = re.compile(r"toll|total|number of", re.I)
_REPORTED = re.compile(
    r"\b(?:confirm\w*|report\w*|revis\w*|said|stated|announc\w*|according|official\w*)\b",
    re.I,
)
# a sentence that opens by saying what it reports came after
_LATER = re.compile(
    r"(?:^|(?<=[.!?])\s+)(?:Later|Subsequently|Eventually|It was later|It was subsequently)\b"
    r"[^.!?]*",
    re.M,
)
_CUMULATIVE = re.compile(
    r"[^.;]{0,30}?\b(?:for the year|this year|so far|since|in (?:the )?(?:year|month|week|"
    r"region|country|province|city)|of the (?:war|conflict|campaign|insurgency|year|month)|"
    r"from (?:the )?(?:attacks|violence|fighting|clashes))\b",
    re.I,
)


def lead_tolls(lead: str, title: str = "") -> tuple[Toll, Toll, Toll]:
    """(fatalities, injuries, attackers among the fatalities) from the lead."""
    first = _and_more(_with_count_before(_first(lead, [_DEATH_TOLL, *_FATALITIES]), lead), lead)
    fatalities = _updated(first, lead, _FATALITIES, True)
    attackers = Toll()
    if fatalities.min is None:
        # "Among the ten victims were ...", "the 92 victims": only where nothing says killed
        fatalities = _first(lead, [_VICTIMS])
    if fatalities.min is None:
        # "In the siege a student was killed": one death, where nothing else is counted
        single = _A_DEATH.search(lead)
        if single is not None:
            fatalities = Toll(1, 1, False, single.group(0))
    if fatalities.min is None:
        fatalities = _one_death(lead, title)
    else:
        fatalities, attackers = _with_attackers(fatalities, lead)
    injuries = _updated(_with_count_before(_first(lead, _INJURIES), lead), lead, _INJURIES, False)
    return fatalities, injuries, attackers


_ONE_PERSON_TITLE = re.compile(
    r"^(?i:(?:the\s+)?(?:murder|killing|assassination|death|execution|lynching|beheading)\s+"
    r"of\s+)(?!.*\band\b)[A-Z][\w'’.-]*\s+[A-Z]"
)  # the name in capitals: "Murder of Pentecostals in Slaviansk" is not one person's
_ONE_PERSON_KILLED = re.compile(
    r"\b(?:was|had been)\s+(?:\w+\s+){0,2}?(?:fatally\s+(?:shot|stabbed|wounded|injured|beaten)|"
    r"shot\s+and\s+killed|shot\s+dead|shot\s+to\s+death|stabbed\s+to\s+death|beaten\s+to\s+death|"
    r"killed|murdered|assassinated|executed|lynched|beheaded|found\s+dead)\b"
    # "two weeks before his dead body was found decapitated"
    r"|\b(?:his|her)\s+(?:dead\s+|mutilated\s+|decapitated\s+|burned\s+)?body\s+was\s+"
    r"(?:found|discovered)\b"
)


def _one_death(lead: str, title: str) -> Toll:
    # the first sentence as the splitter sees it: "RODRIGO NETO (ca. 1975 – 8 March 2013), a
    # Brazilian journalist ..., was killed" is one sentence, "ca." does not end it
    first = lead.strip().split("\n", 1)[0]
    sentences = split_block(first) if first else []
    sentence = sentences[0].text if sentences else ""
    killed = _ONE_PERSON_KILLED.search(sentence)
    plural = (
        re.search(
            r"\b(?:were|have been|two|three|four|five|several|many)\b", sentence[: killed.start()]
        )
        if killed and not killed.group(0).startswith(("his", "her"))  # one body, one death
        else None
    )
    if (
        killed is not None
        and plural is None
        and (
            _ONE_PERSON_TITLE.match(title)
            or re.match(
                r"^(?:On\s[^,]{3,40},\s+)?[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3}\b", sentence
            )
        )
    ):
        return Toll(1, 1, False, sentence[: killed.end()].strip())
    if _ONE_PERSON_TITLE.match(title) and re.match(
        r"^(?:the\s+)?(?:murder|killing|assassination|death|execution|lynching|beheading)",
        title,
        re.I,
    ):
        return Toll(1, 1, False, title)
    return Toll()
