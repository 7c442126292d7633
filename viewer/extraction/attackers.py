"""What became of the attackers, where the text says it apart from the toll: "all three
militants were killed", "the bomber blew himself up", "the gunman was shot dead by police",
"the attacker was arrested" (none of them killed).

Read from the lead and the sections that tell the attack, sentence by sentence, so that a
toll of victims ("killing 61 cadets") and the attackers killed ("Three militants were
killed during the attack") can be added up as the Global Terrorism Database counts them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from db.records import Toll
from viewer.extraction.sentences import split_block
from viewer.extraction.tolls import number_value

_WHO = (
    r"(?:militants?|attackers?|assailants?|gunm[ae]n|shooters?|bombers?|suicide bombers?|"
    r"perpetrators?|terrorists?|hijackers?|insurgents?|fighters?|killers?)"
)
_COUNT = r"(?P<count>the|both|all\s+(?:the\s+)?\w+|\w+)"
_KILLED = re.compile(
    # "the gunman fled to ... where he shot and wounded two police officers and was
    # subsequently killed in a shootout with police"
    rf"\b{_COUNT}\s+(?:of\s+the\s+)?(?:\w+\s+)?{_WHO}\s+"
    rf"(?:[^.;]{{1,120}}?\s+and\s+(?=(?:were|was)\s))?"
    rf"(?:(?:were|was|had been|have been)\s+"
    rf"(?:also\s+|reportedly\s+|later\s+|subsequently\s+|eventually\s+)*(?:killed|shot dead|"
    rf"shot and killed|neutrali[sz]ed|eliminated)|died|blew (?:himself|themselves) up|"
    rf"killed (?:himself|themselves)|committed suicide|shot (?:himself|themselves))\b",
    re.I,
)
# "Police officers killed five of the eight Black September members": the attackers killed
# by those who fought them
_KILLED_BY_FORCES = re.compile(
    rf"\b(?:police|policemen|officers|troops|soldiers|security forces|commandos|snipers|"
    rf"special forces)\s+(?:\w+\s+){{0,3}}?(?:killed|shot dead|shot and killed)\s+"
    rf"(?P<count>all\s+(?:the\s+)?\w+|\w+)\s+(?:of\s+the\s+(?:\w+\s+)?(?:[A-Z][\w'’-]*\s+){{0,4}}"
    rf"(?:members|{_WHO})|(?:\w+\s+)?{_WHO})\b",
    re.I,
)
_CAUGHT = re.compile(
    # "The 28 year old attacker, Iftekhar Hasan Al Mamun, was captured injured by the
    # bystanders"
    rf"\b(?:the|a|an)\s+(?:[\w-]+\s+){{0,4}}?{_WHO}\s*(?:,[^,.;]{{1,60}},\s*)?"
    rf"(?:\w+\s+){{0,12}}?(?:was|were)\s+(?:later\s+|"
    rf"subsequently\s+|eventually\s+|immediately\s+)?(?:arrested|captured|detained|apprehended|"
    rf"taken into custody|caught)\b",
    re.I,
)
# the words _KILLED, _KILLED_BY_FORCES and _CAUGHT cannot match without
_DEATH_WORD = re.compile(r"kill|dead|died|blew|suicide|shot|neutrali|eliminat", re.I)
_CAUGHT_WORD = re.compile(r"arrest|captur|detain|apprehend|custody|caught", re.I)
_HEADINGS = re.compile(
    r"attack|bombing|shooting|incident|event|massacre|assault|raid|perpetrat|attacker|"
    r"assailant|gunman|bomber|suspect|siege|hostage|^death$|killing|murder|assassination",
    re.I,
)


def _count(word: str) -> int | None:
    words = word.casefold().split()
    if words[0] in {"the", "a", "an"}:
        return 1
    if words[0] == "both":
        return 2
    if words[0] == "all":
        return number_value(words[-1])
    return number_value(" ".join(words))


def attackers_killed(
    lead: str, sections: Iterable[tuple[str | None, str]], named: Iterable[str] = ()
) -> Toll:
    """How many attackers died, 0 where the text says they were caught alive, an empty
    Toll where it says neither. named: the attackers the article names, whose fate the
    text may tell by name ("Osborne ... was arrested as the sole suspect")."""
    texts = [lead, *(text for heading, text in sections if heading and _HEADINGS.search(heading))]
    fates = [_Fate(name) for name in named if " " in name]
    caught = False
    for text in texts:
        for line in text.split("\n"):
            previous = ""
            for sentence in split_block(line):
                killed = _attackers_counted(sentence.text) or _suicide(sentence.text, previous)
                if killed is not None:
                    return killed
                previous = sentence.text
                if _CAUGHT_WORD.search(sentence.text) and _CAUGHT.search(sentence.text):
                    caught = True
                for fate in fates:
                    fate.read(sentence.text)
    dead = [fate for fate in fates if fate.killed]
    if dead:
        return Toll(len(dead), len(dead), False, dead[0].killed)
    suicide = _SUICIDE.search(lead)
    if suicide is not None:
        # "a suicide bomber ... detonating his vest": the bomber died with the victims
        return Toll(1, 1, False, suicide.group(0))
    caught = caught or any(fate.caught for fate in fates)
    return Toll(0, 0, False, None) if caught else Toll()


def _attackers_counted(sentence: str) -> Toll | None:
    """ "all three militants were killed", "Police officers killed five of the eight
    members": the first such count the sentence gives."""
    if not _DEATH_WORD.search(sentence):
        return None  # neither pattern can match: spare them the sentence
    for pattern in (_KILLED, _KILLED_BY_FORCES):
        killed = pattern.search(sentence)
        while killed is not None:
            count = _count(killed.group("count"))
            if count is not None and 0 < count < 100:
                return Toll(count, count, False, killed.group(0))
            # "Then the gunman was shot": the count is the next word, not "Then"
            killed = pattern.search(sentence, killed.end("count"))
    return None


# the attacker's own death by their hand: "He died from a self-inflicted gunshot wound",
# "the gunman ... then killed himself", "before taking his own life"
_OWN_HAND = re.compile(
    r"\b(?:(?:fatally\s+)?(?:shot|shooting|killed|killing)\s+(?:himself|herself)|"
    r"t(?:ook|aking)\s+(?:his|her)\s+own\s+life|committ(?:ed|ing)\s+suicide|"
    r"died\s+(?:from|of|by)\s+(?:a\s+)?self-inflicted|died\s+by\s+suicide|"
    r"turn(?:ed|ing)\s+the\s+gun\s+on\s+(?:himself|herself))\b",
    re.I,
)
_ATTACKER_NOUN = re.compile(
    r"\b(?:gunman|shooter|attacker|assailant|perpetrator|bomber|killer|hijacker)\b", re.I
)


def _suicide(sentence: str, previous: str) -> Toll | None:
    """One attacker dead by their own hand, where the sentence says so of the attacker, or
    of "he" or "she" right after a sentence about the attacker."""
    own = _OWN_HAND.search(sentence)
    if own is None:
        return None
    before = sentence[: own.start()]
    if _ATTACKER_NOUN.search(before) or (
        re.match(r"\s*(?:He|She)\b", sentence) and _ATTACKER_NOUN.search(previous)
    ):
        # the words from the attacker's last mention ("he committed suicide"), not the
        # victims' toll before them, which the fatalities add the attacker to
        subject = list(_SUBJECT.finditer(before))[-1]
        return Toll(1, 1, False, sentence[subject.start() : own.end()])
    return None


_SUBJECT = re.compile(rf"{_ATTACKER_NOUN.pattern}|\b(?:he|she|He|She)\b", re.I)


_SUICIDE = re.compile(
    r"\b(?:a|the)\s+suicide\s+(?:bomber|bombing|attacker|car bomber|truck bomber)\b"
    r"(?![^.]*\bsuicide\s+(?:bombers|attackers)\b)",
    re.I,
)


class _Fate:
    """What the text says became of one named attacker."""

    def __init__(self, name: str) -> None:
        surname = re.escape(name.split()[-1])
        self.killed: str | None = None
        self.caught = False
        self._killed = re.compile(
            # "Jim Jumper, a bi-racial Seminole, killed several Seminoles, and was then killed
            # by another Seminole"
            rf"\b{surname}\b(?:,[^,]{{1,80}},)?(?:\s+[^.;]{{1,100}}?,?\s+and)?\s+"
            r"(?:was|had been)\s+(?:later\s+|then\s+|subsequently\s+)?"
            r"(?:shot dead|shot and killed|killed|fatally shot)\b"
            rf"|\b{surname}\b[^.;]{{0,40}}?\b(?:killed|shot) (?:himself|herself)\b"
        )
        self._caught = re.compile(
            rf"\b{surname}\b(?:,[^.;]{{1,80}},)?\s+(?:was|had been)\s+(?:later\s+|"
            r"subsequently\s+|eventually\s+|immediately\s+)?(?:arrested|captured|detained|"
            r"apprehended|taken into custody|caught)\b"
        )

    def read(self, sentence: str) -> None:
        found = self._killed.search(sentence)
        if found is not None and self.killed is None:
            self.killed = found.group(0)
        if self._caught.search(sentence):
            self.caught = True
