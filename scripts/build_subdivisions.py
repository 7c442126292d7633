#!/usr/bin/env python3
"""Regenerate resources/gazetteer/subdivisions.json: first-level subdivision name -> ISO code.

Built from ISO 3166-2 as packaged by pycountry (a development-time tool, never imported by
the application; install it into a throwaway environment: `pip install pycountry==26.2.16`).
The extraction looks a name up only right after a town the text places the incident in
("in Minneapolis, Minnesota", "in Barasat, West Bengal"), to keep the state or province the
lead gives. Each name is kept as ISO 3166-2 writes it and without its accents ("Bihār" and
"Bihar"); bracketed codes and region numbers are dropped ("Ilocos (Region I)" -> "Ilocos").
Municipalities, cities, parishes and the like are left out: they are towns, not provinces.
Second-level subdivisions are kept where they are provinces, counties, districts or
departments (Spain's, Italy's and the Philippines' provinces, France's departments); an
alternative name in brackets is kept too ("A Coruña [La Coruña]").

Usage:
    python scripts/build_subdivisions.py
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pycountry  # type: ignore[import-not-found]

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "resources" / "gazetteer" / "subdivisions.json"
_TOWN_LIKE = {
    "Municipality", "City", "Local council", "Parish", "Quarter", "Administrative atoll",
    "City with county rights", "Town council", "Commune", "Island council", "Urban municipality",
}  # fmt: skip
_SECOND_LEVEL = {
    "Province", "District", "Prefecture", "County", "Two-tier county", "Metropolitan department",
    "Governorate", "Autonomous province", "Region", "Metropolitan city", "Council area",
}  # fmt: skip


def _folded(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def main() -> None:
    names: dict[str, str] = {}
    for sub in pycountry.subdivisions:
        if sub.type in _TOWN_LIKE or (
            sub.parent_code is not None and sub.type not in _SECOND_LEVEL
        ):
            continue
        name = re.sub(r"\s*\([^)]*\)", "", sub.name).strip()
        alternative = re.search(r"\[([^\]]*)\]", name)
        name = re.sub(r"\s*\[[^\]]*\]", "", name).strip()
        forms = [name] + (
            [alternative.group(1)] if alternative and "-" not in alternative.group(1) else []
        )
        for form in forms:
            if len(form) < 3 or "[" in form:
                continue
            for variant in (form, _folded(form)):
                names.setdefault(variant, sub.country_code)
    OUTPUT.write_text(
        json.dumps(dict(sorted(names.items())), ensure_ascii=False, indent=0) + "\n",
        encoding="utf-8",
    )
    print(f"{len(names)} names -> {OUTPUT}")


if __name__ == "__main__":
    main()
