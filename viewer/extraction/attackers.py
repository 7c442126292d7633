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
    rf"\b{_COUNT}\s+(?:of\s+the\s+)?(?:\w+\s+)?{_WHO}\s+(?:(?:were|was|had been|have been)\s+"
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
    rf"\b(?:the|a|an)\s+(?:\w+\s+)?{_WHO}\s+(?:\w+\s+){{0,12}}?(?:was|were)\s+(?:later\s+|"
    rf"subsequently\s+|eventually\s+|immediately\s+)?(?:arrested|captured|detained|apprehended|"
    rf"taken into custody|caught)\b",
    re.I,
)
_HEADINGS = re.compile(
    r"attack|bombing|shooting|incident|event|massacre|assault|raid|perpetrat|attacker|"
    r"assailant|gunman|bomber|suspect|siege|hostage",
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
            for sentence in split_block(line):
                killed = _attackers_counted(sentence.text)
                if killed is not None:
                    return killed
                if _CAUGHT.search(sentence.text):
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
    for pattern in (_KILLED, _KILLED_BY_FORCES):
        killed = pattern.search(sentence)
        while killed is not None:
            count = _count(killed.group("count"))
            if count is not None and 0 < count < 100:
                return Toll(count, count, False, killed.group(0))
            # "Then the gunman was shot": the count is the next word, not "Then"
            killed = pattern.search(sentence, killed.end("count"))
    return None


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
            rf"\b{surname}\b(?:,[^,]{{1,80}},)?\s+(?:was|had been)\s+(?:later\s+)?"
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
