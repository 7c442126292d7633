"""Scoring extraction against the hand-written expectations of the real-article corpus
(tests/fixtures/corpus, its README says how the expectations were written).

Each expectation is one or more checks; a check passes when what the import pipeline would
store for that article says the same thing. The rules for "the same" are deliberately
narrow: names are compared case- and accent-folded, states and organisations by the
gazetteer entity they denote (so "the US" and "United States" agree), numbers exactly.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.records import IncidentRecord
from viewer.extraction.gazetteer import gazetteer
from viewer.services.importing import prepare_file

CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus"


@dataclass
class Check:
    file: str
    field: str
    ok: bool
    expected: Any
    got: Any


def _fold(text: str | None) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    return " ".join(text.casefold().split())


def _entity_key(name: str) -> str:
    """What a name denotes: a state's code, an organisation's or group's canonical name; "the
    Syrian government" denotes the state, as its flag would."""
    name = name.replace(",", "")
    government = re.match(r"^(?:the\s+)?(.+?)\s+(?:government|authorities)$", name, re.I)
    if government:
        name = government.group(1)
    folded = _fold(name)
    if folded.startswith("the "):
        folded = folded[4:]
    gaz = gazetteer()
    code = gaz.state_code(name) or gaz.state_code(folded)
    if code:
        return f"state:{code}"
    for candidate in (name, "the " + name):
        for found in gaz.names.scan(candidate):
            if (found.start <= 4 and found.end == len(candidate)) or (
                government and found.value.kind == "state_adjective"
            ):
                entity = found.value
                if entity.kind in {"state", "state_adjective"} and entity.code:
                    return f"state:{entity.code}"
                return f"{entity.kind}:{_fold(entity.name)}"
    return folded


def same_actor(expected: str, got: str) -> bool:
    want, have = _fold(expected), _fold(got)
    if want == have:
        return True
    key = _entity_key(expected)
    if key == _entity_key(got):
        return True
    # a body the gazetteer does not know, named a little longer in the text: "People's
    # Democratic Party" in "Kurdish People's Democratic Party"
    if ":" not in key and len(want.split()) >= 2 and f" {want} " in f" {have} ":
        return True
    # a person the check names by surname, as the sentence does ("President Osmani"), given
    # under the full name the article has for them
    return ":" not in key and len(want.split()) == 1 and have.endswith(f" {want}")


def _name_matches(aliases: list[str], got: str) -> bool:
    folded = _fold(got)
    for alias in aliases:
        want = _fold(alias)
        if want == folded or same_actor(alias, got):
            return True
    return False


def load_expectations(root: Path = CORPUS) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for path in sorted((root / "expected").glob("*.json")):
        entries.extend(json.loads(path.read_text(encoding="utf-8")))
    return entries


def _records(
    root: Path, entries: Iterable[dict[str, Any]]
) -> dict[tuple[str, str], IncidentRecord]:
    """What the importer would store for every file the expectations name, by (file, title)."""
    records: dict[tuple[str, str], IncidentRecord] = {}
    for file in sorted({e["file"] for e in entries}):
        for prepared in prepare_file(root / file):
            if prepared.record is not None:
                records[(file, _fold(prepared.record.title))] = prepared.record
                records.setdefault((file, ""), prepared.record)
    return records


def _toll_checks(name: str, want: Any, got: Any) -> bool:
    if want is None:
        return got.min in (None, 0) and got.max in (None, 0)
    return all(getattr(got, key) == value for key, value in want.items())


def checks_for(entry: dict[str, Any], record: IncidentRecord | None) -> Iterator[Check]:
    file = entry["file"]
    if record is None:
        yield Check(file, "imported", False, "an incident", None)
        return
    facts = record.facts
    if "title" in entry:
        ok = _fold(entry["title"]) == _fold(record.title)
        yield Check(file, "title", ok, entry["title"], record.title)
    if "date" in entry:
        want = entry["date"]
        got: dict[str, object] = {"start": facts.date_start, "end": facts.date_end}
        ok = want.get("start") == got["start"] and want.get("end", got["end"]) == got["end"]
        yield Check(file, "date", ok, want, got)
    if "country" in entry:
        ok = facts.country is not None and same_actor(entry["country"], facts.country)
        yield Check(file, "country", ok, entry["country"], facts.country)
    if "places" in entry:
        places = [t.value for t in facts.terms if t.kind == "place"]
        folded = [_fold(p) for p in places]
        ok = all(any(_fold(w) in p or p in _fold(w) for p in folded) for w in entry["places"])
        yield Check(file, "places", ok, entry["places"], places)
    for name, toll in (("fatalities", facts.fatalities), ("injuries", facts.injuries)):
        if name in entry:
            got = {"min": toll.min, "max": toll.max, "open_ended": toll.open_ended}
            yield Check(file, name, _toll_checks(name, entry[name], toll), entry[name], got)
    if "perpetrators_killed" in entry:
        killed = facts.perpetrators_killed
        got = {"min": killed.min, "max": killed.max}
        want = entry["perpetrators_killed"]
        yield Check(file, "perpetrators_killed", _toll_checks("", want, killed), want, got)
    yield from _perpetrator_checks(file, entry, record)
    yield from _reaction_checks(file, entry, record)
    headings = [_fold(s.heading) for s in record.sections if s.heading]
    for heading in entry.get("sections", []):
        yield Check(file, "sections", _fold(heading) in headings, heading, None)
    for heading in entry.get("not_sections", []):
        yield Check(file, "not_sections", _fold(heading) not in headings, heading, None)


def _perpetrator_checks(
    file: str, entry: dict[str, Any], record: IncidentRecord
) -> Iterator[Check]:
    if "perpetrators" not in entry:
        return
    got = [(p.name, p.suspected) for p in record.facts.perpetrators]
    if not entry["perpetrators"]:
        yield Check(file, "perpetrators", not got, [], got)
        return
    for want in entry["perpetrators"]:
        aliases = want["name"] if isinstance(want["name"], list) else [want["name"]]
        match = next((g for g in got if _name_matches(aliases, g[0])), None)
        ok = match is not None and ("suspected" not in want or match[1] == want["suspected"])
        yield Check(file, "perpetrators", ok, want, got)


def _reaction_checks(file: str, entry: dict[str, Any], record: IncidentRecord) -> Iterator[Check]:
    reactions = record.facts.reactions
    for want in entry.get("reactions", []):
        candidates = [r for r in reactions if same_actor(want["actor"], r.actor)]
        ok = any(
            r.category == want.get("category", r.category)
            and r.stance == want.get("stance", r.stance)
            for r in candidates
        )
        got = [(r.actor, r.category, r.stance) for r in candidates] or None
        yield Check(file, "reactions", ok, want, got)
    for actor in entry.get("reaction_actors_absent", []):
        present = [r.actor for r in reactions if same_actor(actor, r.actor)]
        yield Check(file, "reactions_absent", not present, actor, present or None)


def score(root: Path = CORPUS) -> list[Check]:
    entries = load_expectations(root)
    records = _records(root, entries)
    checks: list[Check] = []
    for entry in entries:
        key = (entry["file"], _fold(entry.get("page", "")))
        record = records.get(key) or (
            None if entry.get("page") else records.get((entry["file"], ""))
        )
        checks.extend(checks_for(entry, record))
    return checks


def summary(checks: list[Check]) -> dict[str, tuple[int, int]]:
    """Passed and total checks per field, per rendering ("rendering:plain") and overall."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for check in checks:
        rendering = check.file.split("/", 1)[0]
        for key in (check.field, f"rendering:{rendering}", "all"):
            table[key][0] += int(check.ok)
            table[key][1] += 1
    return {key: (passed, total) for key, (passed, total) in table.items()}
