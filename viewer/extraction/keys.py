"""Infobox keys unified across their real-world spellings."""

from __future__ import annotations

import re

# canonical field -> spellings seen in articles (compared case-, space- and underscore-folded)
FIELD_SPELLINGS: dict[str, tuple[str, ...]] = {
    "title": ("title", "name"),
    "date": ("date", "dates", "date(s)", "date and time", "start date", "date of attack"),
    "time": ("time", "time of attack"),
    "location": ("location", "locations", "place", "site", "venue", "location(s)"),
    "country": ("country",),
    "target": ("target", "targets", "target(s)"),
    "type": ("type", "attack type", "type of attack", "types", "incident type", "methods"),
    "weapons": ("weapon", "weapons", "weapon(s)"),
    "fatalities": (
        "fatalities",
        "deaths",
        "reported deaths",
        "dead",
        "killed",
        "death toll",
        "deaths reported",
        "fatality",
        "number of deaths",
        "casualties dead",
    ),
    "injuries": (
        "injuries",
        "injured",
        "reported injuries",
        "wounded",
        "non-fatal injuries",
        "nonfatal injuries",
        "injured reported",
        "number of injured",
    ),
    "perpetrators": (
        "perpetrator",
        "perpetrators",
        "perps",
        "perp",
        "perpetrator(s)",
        "assailant",
        "assailants",
        "attacker",
        "attackers",
        "attacker(s)",
        "assailant(s)",
        # Infobox civilian attack's "convicted": found guilty, so no longer a suspect
        "convicted",
        "convicted perpetrator",
        "convicted perpetrators",
        "convicted perpetrator(s)",
    ),
    "suspects": (
        "accused",
        "suspect",
        "suspects",
        "suspected perpetrator",
        "suspected perpetrators",
        "alleged perpetrator",
        "alleged perpetrators",
        "suspected",
        "suspect(s)",
    ),
    "part_of": ("partof", "part of", "part_of", "campaign", "series"),
    "motive": ("motive", "motives"),
    "victims": ("victims", "victim"),
}
# what the reader calls each unified field
FIELD_LABELS: dict[str, str] = {
    "date": "Date",
    "time": "Time",
    "location": "Location",
    "country": "Country",
    "target": "Target",
    "type": "Type",
    "weapons": "Weapons",
    "fatalities": "Fatalities",
    "injuries": "Injuries",
    "perpetrators": "Perpetrators",
    "part_of": "Part of",
    "motive": "Motive",
    "victims": "Victims",
}
_LOOKUP = {
    spelling: field for field, spellings in FIELD_SPELLINGS.items() for spelling in spellings
}


def fold_key(key: str) -> str:
    return " ".join(re.sub(r"[_\-]+", " ", key).strip().rstrip(":").split()).casefold()


def canonical_field(key: str) -> str | None:
    """The unified field an infobox key stands for, or None for keys we do not interpret."""
    return _LOOKUP.get(fold_key(key))
