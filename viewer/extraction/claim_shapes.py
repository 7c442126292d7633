"""Two more ways articles say who did it: through a spokesman ("A spokesman for Boko Haram
claimed responsibility", "a Taliban spokesperson said they were behind the suicide bombing":
the group he speaks for, never the spokesman) and as a suspicion ("Indian Mujahideen was
suspected of carrying out the attack").

The patterns need the perpetrator module's name phrase, so that module builds them once, at
import, with `ClaimShapes(phrase)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

_SPOKES = r"spokes(?:man|woman|person|men|people|persons)"
_SAID = r"(?:said|says|told\s+[^.;,]{1,40}?|stated|announced|declared|confirmed|insisted)"
# what the spokesman says the group did: "carried out the attack", "were behind the suicide
# bombing", "had “successfully launched” an attack"; never "had not carried out"
_DID = (
    r"(?:(?!not\b|never\b)\w+\s+)?[“\"]?(?:\w+ly\s+)?"
    r"(?:carried\s+out|(?:was|were|is|are)\s+(?:behind|responsible)|launched|conducted|staged|"
    r"perpetrated|mounted|planted|detonated)\b"
)
# who he says did it: the group he speaks for, or the group he names
_DOER = (
    r"(?:the\s+(?:group|movement|organi[sz]ation|militants)|they|it|we|"
    r"its\s+(?:fighters|men|members))"
)
_ACTS = (
    r"(?:carr(?:ying|ied)\s+out|being\s+(?:behind|responsible|involved)|"
    r"(?:having\s+)?(?:plotting|plotted|orchestrat\w+|masterminding|perpetrat\w+|committing|"
    r"staging|conducting|launching|planning|organi[sz]ing))\b"
)


class ClaimShapes:
    """The spokesman and suspicion patterns, compiled once for a name phrase."""

    def __init__(self, phrase: str, known_group: Callable[[str], bool]) -> None:
        self._known_group = known_group
        # "A spokesman for Boko Haram", "Taliban spokesman Zabihullah Mujahid", "group
        # spokesman Abul Qaqa" (the group then named in what he said)
        speaker = (
            rf"(?:\b(?:an?|the|its|their)\s+(?:\w+\s+)?{_SPOKES}\s+(?:for|of)\s+"
            rf"(?P<group>{phrase})"
            rf"|(?P<named>{phrase})(?:['’]s?)?\s+{_SPOKES}"
            rf"|\b(?:group|movement|organi[sz]ation|militants['’]?|insurgents['’]?)\s+{_SPOKES})"
            rf"(?:,?\s+(?:[A-Z][\w'’.-]*\s+){{0,3}}[A-Z][\w'’.-]*)?"  # his name
        )
        self._spoken = re.compile(
            rf"{speaker},?\s+(?:\w+ly\s+|later\s+|also\s+)?"
            rf"(?:(?:claimed|took|accepted|assumed)\s+(?:full\s+)?(?:responsibility|credit)\b"
            rf"|{_SAID}\s+(?:that\s+)?(?:{_DOER}|(?P<doer>{phrase}))\s+"
            rf"(?:(?:had|has|have)\s+(?:been\s+)?)?{_DID})"
        )
        # "ISIS says it carried out the suicide bomb attack": the group's own word
        self._said_it = re.compile(
            rf"(?:^|[,;:–—]\s+|\b(?:and|but|when|after)\s+)(?P<actor>{phrase})\s+"
            rf"(?:later\s+|also\s+)?(?:said|says|announced|stated|declared)\s+(?:that\s+)?"
            rf"(?:it|they)\s+(?:(?:had|has|have)\s+(?:been\s+)?)?{_DID}"
        )
        # "Indian Mujahideen was suspected of carrying out the attack", "Boko Haram, the
        # extremist group that operates widely in ..., is suspected of being responsible"
        self._suspected_of = re.compile(
            rf"(?:^|[,;:]\s+|\b(?:but|and|that|while|said)\s+)(?P<actor>{phrase})"
            rf"(?:,[^,;]{{1,140}},)?\s+(?:is|are|was|were|has\s+been|have\s+been|had\s+been)\s+"
            rf"(?:\w+ly\s+|also\s+|long\s+|initially\s+)?suspected\s+of\s+{_ACTS}"
        )

    def spokesman_claim(self, text: str) -> str | None:
        """The group a spokesman claims the attack for, or None."""
        for match in self._spoken.finditer(text):
            doer = match.group("doer")
            if doer is not None and self._known_group(doer):
                return doer
            group = match.group("group") or match.group("named")
            if group is not None and self._known_group(group):
                return group
        return None

    def said_it(self, text: str) -> str | None:
        """The group that says it did it ("ISIS says it carried out the ... attack")."""
        for match in self._said_it.finditer(text):
            if self._known_group(match.group("actor")):
                return match.group("actor")
        return None

    def suspected_of(self, text: str) -> Iterator[str]:
        """Who the sentence says is suspected of carrying out the attack. A denial before
        it is of something else ("Although no one has claimed responsibility for the
        attack, Boko Haram ... is suspected"); "is not suspected" does not match."""
        for match in self._suspected_of.finditer(text):
            yield match.group("actor")
