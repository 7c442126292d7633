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


def attackers_killed(lead: str, sections: Iterable[tuple[str | None, str]]) -> Toll:
    """How many attackers died, 0 where the text says they were caught alive, an empty
    Toll where it says neither."""
    texts = [lead, *(text for heading, text in sections if heading and _HEADINGS.search(heading))]
    caught = False
    for text in texts:
        for line in text.split("\n"):
            for sentence in split_block(line):
                killed = _KILLED.search(sentence.text)
                if killed is not None:
                    count = _count(killed.group("count"))
                    if count is not None and 0 < count < 100:
                        return Toll(count, count, False, killed.group(0))
                if _CAUGHT.search(sentence.text):
                    caught = True
    return Toll(0, 0, False, None) if caught else Toll()
