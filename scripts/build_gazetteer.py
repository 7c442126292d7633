#!/usr/bin/env python3
"""Regenerate resources/gazetteer/states.json and check every gazetteer file.

states.json is built from two sources:

* pycountry (a development-time tool, never imported by the application): the list of
  ISO 3166-1 codes, alpha-3 codes and official names;
* resources/gazetteer/curated_states.json (written by hand for this project): which codes
  are sovereign states, their common English names, extra names, nationality adjectives,
  demonyms, capitals and UN M49 regions.

The hand-made files organizations.json, titles.json, people.json and bodies.json are only
checked, never rewritten.

Usage:
    python scripts/build_gazetteer.py            # rewrite states.json, check all files
    python scripts/build_gazetteer.py --check    # fail if states.json is out of date

Exits with status 1 and a list of problems when the curated data is inconsistent: a code
unknown to pycountry, a UN member without an adjective, a region outside the M49 list, a
person pointing at an unknown state or organisation, and so on.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GAZETTEER = ROOT / "resources" / "gazetteer"
CURATED_STATES = GAZETTEER / "curated_states.json"
STATES = GAZETTEER / "states.json"
ORGANIZATIONS = GAZETTEER / "organizations.json"
TITLES = GAZETTEER / "titles.json"
PEOPLE = GAZETTEER / "people.json"
BODIES = GAZETTEER / "bodies.json"

UN_MEMBER_COUNT = 193

# UN M49 sub-regions; for Africa and the Americas the M49 "intermediate regions" are used,
# since "Sub-Saharan Africa" and "Latin America and the Caribbean" are too coarse to be useful.
REGION_TO_CONTINENT = {
    "Northern Africa": "Africa",
    "Eastern Africa": "Africa",
    "Middle Africa": "Africa",
    "Southern Africa": "Africa",
    "Western Africa": "Africa",
    "Caribbean": "Americas",
    "Central America": "Americas",
    "South America": "Americas",
    "Northern America": "Americas",
    "Central Asia": "Asia",
    "Eastern Asia": "Asia",
    "South-eastern Asia": "Asia",
    "Southern Asia": "Asia",
    "Western Asia": "Asia",
    "Eastern Europe": "Europe",
    "Northern Europe": "Europe",
    "Southern Europe": "Europe",
    "Western Europe": "Europe",
    "Australia and New Zealand": "Oceania",
    "Melanesia": "Oceania",
    "Micronesia": "Oceania",
    "Polynesia": "Oceania",
}

UN_STATUSES = {"member", "observer", "none"}
CURATED_KEYS = {
    "name",
    "names",
    "official_name",
    "drop_names",
    "adjectives",
    "demonyms",
    "capital",
    "capital_aliases",
    "region",
    "un",
    "ambiguous",
    "alpha3",
    "iso_user_assigned",
}
ORG_KINDS = {"intergovernmental", "supranational", "ngo", "un-body"}
# speaks_for_parent: an organ whose statements the reactions tree groups under its parent
# (the Security Council under the United Nations); scope "national": a body that is
# domestic for an incident in its own country (the Human Rights Commission of Pakistan)
ORG_KEYS = {
    "name", "names", "abbreviations", "kind", "parent", "hq", "ambiguous", "speaks_for_parent",
    "scope",
}  # fmt: skip
TITLE_KEYS = {"title", "variants", "kind", "level", "note"}
PERSON_KEYS = {"name", "aliases", "state", "organization", "role", "from", "to"}
BODY_KEYS = {"name", "variants", "kind", "state", "level", "note"}
BODY_KINDS = {
    "government",
    "ministry",
    "mission",
    "legislature",
    "executive",
    "military",
    "security",
    "judiciary",
}
TITLE_KINDS = {
    "head_of_state",
    "head_of_government",
    "minister",
    "diplomat",
    "official",
    "spokesperson",
    "religious",
    "party",
    "other",
}
TITLE_LEVELS = {"national", "international", "subnational"}

_ARTICLE = re.compile(r"^(?:the|The)\s+")


class GazetteerError(Exception):
    """The curated data is inconsistent; the message lists every problem found."""


def load_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def dump_json(data: Any) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def strip_article(name: str) -> str:
    return _ARTICLE.sub("", name.strip())


def dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        item = item.strip()
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def running_text_name(name: str | None) -> str | None:
    """A pycountry name usable in running text, or None for list forms like 'Iran, Islamic
    Republic of' and 'Holy See (Vatican City State)'."""
    if not name or "," in name or "(" in name:
        return None
    return strip_article(name)


def sort_key(name: str) -> tuple[str, str]:
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return (strip_article(folded).casefold(), name)


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _entry_problems(code: str, entry: dict[str, Any], iso: Any) -> list[str]:
    """What is wrong with one hand-written state (iso: what pycountry knows of its code)."""
    where = f"curated_states.json[{code}]"
    problems: list[str] = []
    if iso is None and not entry.get("iso_user_assigned"):
        problems.append(f"{where}: code {code!r} is unknown to pycountry")
    if iso is not None and entry.get("iso_user_assigned"):
        problems.append(f"{where}: marked iso_user_assigned but pycountry knows it")
    if iso is None and not re.fullmatch(r"[A-Z]{3}", str(entry.get("alpha3", ""))):
        problems.append(f"{where}: a code outside ISO 3166-1 needs its own alpha3")
    unknown = set(entry) - CURATED_KEYS
    if unknown:
        problems.append(f"{where}: unknown keys {sorted(unknown)}")
    if not isinstance(entry.get("name"), str) or not entry["name"].strip():
        problems.append(f"{where}: missing name")
    for key in ("names", "adjectives", "demonyms", "capital_aliases", "drop_names", "ambiguous"):
        if key in entry and not (entry[key] == [] or _is_str_list(entry[key])):
            problems.append(f"{where}: {key} must be a list of non-empty strings")
    if entry.get("un") not in UN_STATUSES:
        problems.append(f"{where}: un must be one of {sorted(UN_STATUSES)}")
    if entry.get("region") not in REGION_TO_CONTINENT:
        problems.append(f"{where}: region {entry.get('region')!r} is not an M49 region")
    if not isinstance(entry.get("capital"), str) or not entry["capital"].strip():
        problems.append(f"{where}: missing capital")
    if entry.get("un") == "member":
        if not entry.get("adjectives"):
            problems.append(f"{where}: UN member without an adjective")
        if not entry.get("demonyms"):
            problems.append(f"{where}: UN member without a demonym")
    return problems


def _official_name(entry: dict[str, Any], iso: Any, drop: set[str]) -> str:
    """The curated official name, else pycountry's official name, else pycountry's short
    name when it reads as running text (e.g. "Russian Federation"), else the common name."""
    official = entry.get("official_name")
    if official is None and iso is not None:
        for raw in (getattr(iso, "official_name", None), iso.name):
            candidate = running_text_name(raw)
            if candidate and candidate not in drop:
                return candidate
    return str(official) if official is not None else strip_article(entry["name"])


def _state(code: str, entry: dict[str, Any], iso: Any) -> dict[str, Any]:
    """One state as states.json holds it: the curated entry with pycountry's names."""
    drop = set(entry.get("drop_names", []))
    iso_names = []
    if iso is not None:
        for raw in (
            getattr(iso, "common_name", None),
            getattr(iso, "official_name", None),
            iso.name,
        ):
            name = running_text_name(raw)
            if name and name not in drop:
                iso_names.append(name)
    official = _official_name(entry, iso, drop)
    names = dedupe(
        [strip_article(entry["name"])]
        + [strip_article(n) for n in entry.get("names", [])]
        + [strip_article(official)]
        + iso_names
    )
    return {
        "code": code,
        "alpha3": iso.alpha_3 if iso is not None else entry["alpha3"],
        "name": entry["name"],
        "official_name": official,
        "names": names,
        "adjectives": dedupe(entry.get("adjectives", [])),
        "demonyms": dedupe(entry.get("demonyms", [])),
        "capital": entry["capital"],
        "capital_aliases": dedupe(entry.get("capital_aliases", [])),
        "region": entry["region"],
        "continent": REGION_TO_CONTINENT[entry["region"]],
        "un": entry["un"],
        "ambiguous": list(entry.get("ambiguous", [])),
    }


def _mark_shared_forms(states: list[dict[str, Any]]) -> list[str]:
    """A surface form shared by two states (e.g. "Congolese", "Dominican") is ambiguous in
    both; record it so that matchers ask for context before resolving it."""
    problems: list[str] = []
    owners: dict[str, set[str]] = defaultdict(set)
    for state in states:
        for form in state["names"] + state["adjectives"] + state["demonyms"]:
            owners[form].add(state["code"])
    for state in states:
        forms = state["names"] + state["adjectives"] + state["demonyms"]
        shared = [form for form in forms if len(owners[form]) > 1]
        state["ambiguous"] = sorted(set(state["ambiguous"]) | set(shared))
        for form in state["ambiguous"]:
            if form not in forms:
                problems.append(
                    f"states.json[{state['code']}]: ambiguous form {form!r} is not one of "
                    "its names, adjectives or demonyms"
                )
    return problems


def build_states(curated: dict[str, dict[str, Any]], pycountry: Any) -> list[dict[str, Any]]:
    problems: list[str] = []
    for code, entry in curated.items():
        problems += _entry_problems(code, entry, pycountry.countries.get(alpha_2=code))
    members = sum(1 for entry in curated.values() if entry.get("un") == "member")
    if members != UN_MEMBER_COUNT:
        problems.append(f"curated_states.json: {members} UN members, expected {UN_MEMBER_COUNT}")
    if problems:
        raise GazetteerError("\n".join(problems))
    states = [
        _state(code, entry, pycountry.countries.get(alpha_2=code))
        for code, entry in curated.items()
    ]
    problems = _mark_shared_forms(states)
    if problems:
        raise GazetteerError("\n".join(problems))
    states.sort(key=lambda s: sort_key(s["name"]))
    return states


def check_organizations(orgs: Any) -> list[str]:
    problems: list[str] = []
    if not isinstance(orgs, list):
        return ["organizations.json: must be a list"]
    surface: dict[str, str] = {}
    names: set[str] = set()
    for i, org in enumerate(orgs):
        where = f"organizations.json[{i}]"
        name = org.get("name") if isinstance(org, dict) else None
        if not isinstance(name, str) or not name:
            problems.append(f"{where}: missing name")
            continue
        where = f"organizations.json[{name}]"
        if name in names:
            problems.append(f"{where}: duplicate name")
        names.add(name)
        for key in ("names", "abbreviations"):
            if not (org.get(key) == [] or _is_str_list(org.get(key))):
                problems.append(f"{where}: {key} must be a list of strings")
        if org.get("kind") not in ORG_KINDS:
            problems.append(f"{where}: kind must be one of {sorted(ORG_KINDS)}")
        for form in [name, *org.get("names", []), *org.get("abbreviations", [])]:
            other = surface.setdefault(form, name)
            if other != name:
                problems.append(f"{where}: {form!r} also names {other!r}")
    for org in orgs:
        if isinstance(org, dict):
            problems += _organization_links(org, names)
    return problems


def _organization_links(org: dict[str, Any], names: set[str]) -> list[str]:
    """An organisation's keys, parent and ambiguous forms, checked against all names."""
    problems: list[str] = []
    where = f"organizations.json[{org.get('name')}]"
    unknown = set(org) - ORG_KEYS
    if unknown:
        problems.append(f"{where}: unknown keys {sorted(unknown)}")
    parent = org.get("parent")
    if parent is not None and parent not in names:
        problems.append(f"{where}: unknown parent {parent!r}")
    forms = {org.get("name"), *org.get("names", []), *org.get("abbreviations", [])}
    for form in org.get("ambiguous", []):
        if form not in forms:
            problems.append(f"{where}: ambiguous form {form!r} is not one of its names")
    return problems


def check_titles(titles: Any) -> list[str]:
    problems: list[str] = []
    if not isinstance(titles, list):
        return ["titles.json: must be a list"]
    surface: dict[str, str] = {}
    for i, entry in enumerate(titles):
        title = entry.get("title") if isinstance(entry, dict) else None
        if not isinstance(title, str) or not title:
            problems.append(f"titles.json[{i}]: missing title")
            continue
        where = f"titles.json[{title}]"
        unknown = set(entry) - TITLE_KEYS
        if unknown:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
        if not (entry.get("variants") == [] or _is_str_list(entry.get("variants"))):
            problems.append(f"{where}: variants must be a list of strings")
        if entry.get("kind") not in TITLE_KINDS:
            problems.append(f"{where}: kind must be one of {sorted(TITLE_KINDS)}")
        if entry.get("level") not in TITLE_LEVELS:
            problems.append(f"{where}: level must be one of {sorted(TITLE_LEVELS)}")
        for form in [title, *entry.get("variants", [])]:
            other = surface.setdefault(form.casefold(), title)
            if other != title:
                problems.append(f"{where}: {form!r} is also under {other!r}")
    return problems


def check_people(
    people: Any, state_codes: set[str], org_names: set[str], title_forms: set[str]
) -> list[str]:
    problems: list[str] = []
    if not isinstance(people, list):
        return ["people.json: must be a list"]
    seen: set[tuple[Any, ...]] = set()
    for i, person in enumerate(people):
        name = person.get("name") if isinstance(person, dict) else None
        if not isinstance(name, str) or not name:
            problems.append(f"people.json[{i}]: missing name")
            continue
        where = f"people.json[{i}: {name}]"
        unknown = set(person) - PERSON_KEYS
        if unknown:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
        state, org = person.get("state"), person.get("organization")
        if (state is None) == (org is None):
            problems.append(f"{where}: needs exactly one of state and organization")
        if state is not None and state not in state_codes:
            problems.append(f"{where}: unknown state {state!r}")
        if org is not None and org not in org_names:
            problems.append(f"{where}: unknown organization {org!r}")
        role = person.get("role")
        if not isinstance(role, str) or role.casefold() not in title_forms:
            problems.append(f"{where}: role {role!r} is not a title or variant in titles.json")
        start, end = person.get("from"), person.get("to")
        if not isinstance(start, int) or not 1900 <= start <= 2100:
            problems.append(f"{where}: from must be a year")
        if end is not None and (
            not isinstance(end, int) or (isinstance(start, int) and end < start)
        ):
            problems.append(f"{where}: to must be null or a year not before from")
        if "aliases" in person and not _is_str_list(person["aliases"]):
            problems.append(f"{where}: aliases must be a list of strings")
        key = (name, state, org, role, start)
        if key in seen:
            problems.append(f"{where}: duplicate entry")
        seen.add(key)
    return problems


def check_bodies(bodies: Any, state_codes: set[str]) -> list[str]:
    problems: list[str] = []
    if not isinstance(bodies, list):
        return ["bodies.json: must be a list"]
    surface: dict[str, str] = {}
    for i, body in enumerate(bodies):
        name = body.get("name") if isinstance(body, dict) else None
        if not isinstance(name, str) or not name:
            problems.append(f"bodies.json[{i}]: missing name")
            continue
        where = f"bodies.json[{name}]"
        unknown = set(body) - BODY_KEYS
        if unknown:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
        if not (body.get("variants") == [] or _is_str_list(body.get("variants"))):
            problems.append(f"{where}: variants must be a list of strings")
        if body.get("kind") not in BODY_KINDS:
            problems.append(f"{where}: kind must be one of {sorted(BODY_KINDS)}")
        if body.get("level", "national") not in TITLE_LEVELS:
            problems.append(f"{where}: level must be one of {sorted(TITLE_LEVELS)}")
        if "state" in body and body["state"] not in state_codes:
            problems.append(f"{where}: unknown state {body['state']!r}")
        for form in [name, *body.get("variants", [])]:
            other = surface.setdefault(form.casefold(), name)
            if other != name:
                problems.append(f"{where}: {form!r} is also under {other!r}")
    return problems


def check_hand_made(states: list[dict[str, Any]]) -> tuple[list[str], dict[str, int]]:
    orgs = load_json(ORGANIZATIONS)
    titles = load_json(TITLES)
    people = load_json(PEOPLE)
    bodies = load_json(BODIES)
    problems = check_organizations(orgs) + check_titles(titles)
    title_forms = {
        form.casefold()
        for entry in titles
        if isinstance(entry, dict)
        for form in [entry.get("title", ""), *entry.get("variants", [])]
    }
    org_names = {org.get("name") for org in orgs if isinstance(org, dict)}
    state_codes = {state["code"] for state in states}
    problems += check_people(people, state_codes, org_names, title_forms)
    problems += check_bodies(bodies, state_codes)
    for org in orgs:
        hq = org.get("hq") if isinstance(org, dict) else None
        if hq is not None and hq not in state_codes:
            problems.append(f"organizations.json[{org.get('name')}]: unknown hq {hq!r}")
    counts = {
        "organizations.json": len(orgs),
        "titles.json": len(titles),
        "people.json": len(people),
        "bodies.json": len(bodies),
    }
    return problems, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if states.json differs from what would be generated",
    )
    args = parser.parse_args(argv)

    try:
        import pycountry
    except ImportError:
        print("build_gazetteer: pycountry is needed (pip install pycountry)", file=sys.stderr)
        return 2

    try:
        curated = load_json(CURATED_STATES)
        states = build_states(curated, pycountry)
        problems, counts = check_hand_made(states)
        if problems:
            raise GazetteerError("\n".join(problems))
    except GazetteerError as error:
        print(f"build_gazetteer: FAILED\n{error}", file=sys.stderr)
        return 1

    text = dump_json(states)
    if args.check:
        current = STATES.read_text(encoding="utf-8") if STATES.exists() else ""
        if current != text:
            print(
                "build_gazetteer: states.json is out of date; run scripts/build_gazetteer.py",
                file=sys.stderr,
            )
            return 1
    else:
        STATES.write_text(text, encoding="utf-8", newline="\n")

    by_status: dict[str, int] = defaultdict(int)
    for state in states:
        by_status[state["un"]] += 1
    print(f"pycountry {pycountry_version()}")
    print(
        f"states.json: {len(states)} states "
        f"({by_status['member']} UN members, {by_status['observer']} observers, "
        f"{by_status['none']} others)"
    )
    for file_name, count in counts.items():
        print(f"{file_name}: {count} entries")
    return 0


def pycountry_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pycountry")
    except PackageNotFoundError:
        return "unknown"


if __name__ == "__main__":
    sys.exit(main())
