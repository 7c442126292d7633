"""Names of offices and bodies that hold words a sentence would otherwise split on: the
place in an official's title ("Governor of Khyber Pakhtunkhwa Barrister Masood Kausar") and
the "and" or commas inside a ministry's name ("Ministry of Foreign Affairs and International
Cooperation")."""

from __future__ import annotations

import re

from viewer.extraction.gazetteer import Gazetteer
from viewer.extraction.lists import subdivision_code

_OF_PLACE = re.compile(r"^\s*(?:of|for)\s+(?:the\s+)?(?=[A-Z])")


def owned_by_place(after: str, gaz: Gazetteer) -> re.Match[str] | None:
    """ "Governor of Khyber Pakhtunkhwa Barrister Masood Kausar", "Mayor of Greater Manchester
    Andy Burnham": the longest run of words after "of" that is a known province, city or
    district (what the match covers), so that the person's name starts after it, not inside
    it."""
    of = _OF_PLACE.match(after)
    if of is None:
        return None
    words = after[of.end() :].split()
    for size in range(min(4, len(words) - 1), 0, -1):
        place = " ".join(words[:size])
        bare = place[8:] if place.startswith("Greater ") else place
        if subdivision_code(place) or gaz.place_code(bare):
            return re.match(rf"{re.escape(after[: of.end()])}{re.escape(place)},?\s+", after)
    return None


# an office named "X of A and B": its head word, then "of" or "for"
_OFFICE_OF = re.compile(
    r"\b(?:Ministry|Department|Bureau|Office|Secretariat|Directorate|Commission|Agency)\s+"
    r"(?:of|for)\s+[A-Z]"
)


def join_office_names(parts: list[str], gaz: Gazetteer) -> list[str]:
    """The parts of a subject split at its commas and "and"s, with the pieces of an office's
    own name put back together: "the Ministry of Foreign Affairs" + "International
    Cooperation", "The Bureau of Democracy" + "Human Rights" + "Labor of the US State
    Department". A piece that names a title, a state or an organisation of its own, or that
    starts with "the", is another actor."""
    joined: list[str] = []
    for part in parts:
        if joined and _OFFICE_OF.search(joined[-1]) and _continues_name(part, gaz):
            joined[-1] = f"{joined[-1]} and {part}"
        else:
            joined.append(part)
    return joined


def _continues_name(part: str, gaz: Gazetteer) -> bool:
    if not part[:1].isupper() or part.split()[0] in {"The", "A", "An"}:
        return False
    head = re.split(r"\s+(?:of|for)\s+", part, maxsplit=1)[0]
    if len(head.split()) > 3 or gaz.titles.scan(head):
        return False
    found = gaz.names.scan(head)
    return not (found and found[0].start == 0)
