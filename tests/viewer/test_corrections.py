"""Corrections: the researcher's value wins over extraction, through reindex and re-import,
can be taken back, is shown as corrected with the article's words kept, and is exported."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from db import Archive
from db import incident_table as t
from db.models import Incident
from tests.conftest import SEED_BALOCHISTAN, SEED_MASTUNG
from viewer.cli import run
from viewer.services import catalog, corrections, exporting
from viewer.services.importing import import_paths
from viewer.services.reading import load_incident_view
from viewer.services.reindexing import reindex

MASTUNG = "2023 Mastung bombing"


def _mastung(archive: Archive) -> Incident:
    return catalog.find_incident(archive, MASTUNG)


def _fact(archive: Archive, label: str) -> tuple[str, bool, str | None, str]:
    view = load_incident_view(archive, _mastung(archive).id)
    fact = next(f for f in view.facts if f.label == label)
    return fact.shown, fact.corrected, fact.note, fact.raw


def test_a_corrected_toll_wins_and_keeps_the_article_words(seeded_archive: Archive) -> None:
    incident = _mastung(seeded_archive)
    assert (incident.fatalities_min, incident.fatalities_text) == (60, "60")
    previous = corrections.correct(seeded_archive, incident.id, "fatalities", "61+", "Dawn")
    assert previous is None
    incident = _mastung(seeded_archive)
    assert (incident.fatalities_min, incident.fatalities_max) == (61, 61)
    assert incident.fatalities_open and incident.fatalities_text == "60"  # the article's
    assert _fact(seeded_archive, "Fatalities") == ("61+", True, "Dawn", "60")
    with seeded_archive.session() as session:
        (row,) = t.table_rows(session, [incident.id])
    assert row.fatalities == (61, 61, True) and row.corrected == {"fatalities": "Dawn"}


def test_corrections_survive_reindex_and_a_changed_re_import(
    seeded_archive: Archive, seeds_dir: Path, tmp_path: Path
) -> None:
    incident = _mastung(seeded_archive)
    corrections.correct(
        seeded_archive, incident.id, "perpetrators", "Lashkar-e-Jhangvi (suspected)"
    )
    corrections.correct(seeded_archive, incident.id, "type", "Suicide attack; Bombing")
    corrections.correct(seeded_archive, incident.id, "date", "2023-09-29/2023-09-30")
    assert reindex(seeded_archive).problems == []
    changed = tmp_path / SEED_MASTUNG
    shutil.copy(seeds_dir / SEED_MASTUNG, changed)
    with changed.open("a", encoding="utf-8") as handle:
        handle.write("\nA paragraph added in a later revision.\n")
    report = import_paths(seeded_archive, [changed])
    assert report.updated == 1
    incident = _mastung(seeded_archive)
    assert "later revision" in incident.body  # the new text is in...
    assert [(p.name, p.suspected) for p in incident.perpetrators] == [
        ("Lashkar-e-Jhangvi", True)
    ]  # ...and the corrections still win over it
    assert [t.value for t in incident.terms if t.kind == "type"] == ["Suicide attack", "Bombing"]
    assert (incident.date_start, incident.date_end) == ("2023-09-29", "2023-09-30")
    assert incident.lane_perpetrator == "Lashkar-e-Jhangvi"  # the timeline's lanes follow
    with seeded_archive.raw_connection() as connection:
        (first_type,) = connection.execute(
            "SELECT first_type FROM incidents WHERE id = ?", (incident.id,)
        ).fetchone()
    assert first_type == "Suicide attack"  # the table sorts by the corrected types


def test_a_correction_is_undone_exactly(seeded_archive: Archive) -> None:
    incident_id = _mastung(seeded_archive).id
    extracted = _mastung(seeded_archive).injuries_min
    corrections.correct(seeded_archive, incident_id, "injuries", "70", "first")
    first = corrections.correct(seeded_archive, incident_id, "injuries", "75", "second")
    assert first is not None and (first.value, first.note) == ("70", "first")
    corrections.restore(seeded_archive, incident_id, "injuries", first)  # undo the second
    assert _mastung(seeded_archive).injuries_min == 70
    assert corrections.corrections_of(seeded_archive, incident_id) == [first]
    removed = corrections.correct(seeded_archive, incident_id, "injuries", "")  # remove
    assert removed == first
    assert _mastung(seeded_archive).injuries_min == extracted != 70  # extraction's again
    assert corrections.corrections_of(seeded_archive, incident_id) == []


def test_place_implies_the_country_unless_the_country_is_corrected(
    seeded_archive: Archive,
) -> None:
    incident_id = _mastung(seeded_archive).id
    corrections.correct(seeded_archive, incident_id, "place", "Kabul, Afghanistan")
    incident = _mastung(seeded_archive)
    assert [t.value for t in incident.terms if t.kind == "place"] == ["Kabul", "Afghanistan"]
    assert incident.country == "Afghanistan" and incident.lane_place == "Kabul"
    corrections.correct(seeded_archive, incident_id, "country", "pakistan")
    assert _mastung(seeded_archive).country == "Pakistan"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date", "last Tuesday", "date 'last Tuesday' cannot be read"),
        ("fatalities", "many", "fatalities 'many' cannot be read"),
        ("country", "Atlantis", "country 'Atlantis' is not a state"),
        ("title", "x", "cannot correct 'title'"),
        ("place", ",", "place ',' names no place"),
    ],
)
def test_values_that_cannot_be_read_are_refused_and_change_nothing(
    seeded_archive: Archive, field: str, value: str, message: str
) -> None:
    incident_id = _mastung(seeded_archive).id
    with pytest.raises(corrections.CorrectionError, match=message):
        corrections.correct(seeded_archive, incident_id, field, value)
    assert corrections.corrections_of(seeded_archive, incident_id) == []


def test_json_says_what_is_corrected_and_keeps_the_raw(seeded_archive: Archive) -> None:
    incident = _mastung(seeded_archive)
    corrections.correct(seeded_archive, incident.id, "fatalities", "61", "Dawn, 2 October")
    item = exporting.full_dict(seeded_archive, _mastung(seeded_archive))
    assert item["fatalities"] == {"min": 61, "max": 61, "open_ended": False, "text": "60"}
    (correction,) = item["corrections"]
    assert correction["field"] == "fatalities" and correction["value"] == "61"
    assert correction["note"] == "Dawn, 2 October" and correction["article_text"] == "60"


def test_the_correct_command(seeded_archive: Archive, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(seeded_archive.path)
    seeded_archive.close()
    status = run(
        ["--archive", path, "correct", MASTUNG, "--field", "fatalities", "--value", "62",
         "--note", "later toll"]
    )  # fmt: skip
    assert status == 0 and "corrected to 62" in capsys.readouterr().out
    assert run(["--archive", path, "correct", "1", "--field", "date", "--value", "soon"]) == 1
    assert "rejected: date 'soon' cannot be read" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:  # argparse: not a field that can be corrected
        run(["--archive", path, "correct", "1", "--field", "motive", "--value", "x"])
    assert usage.value.code == 2
    assert run(["--archive", path, "correct", "no such", "--field", "date", "--value", "2020"]) == 2
    assert run(["--archive", path, "show", MASTUNG, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["fatalities"]["min"] == 62 and shown["corrections"][0]["note"] == "later toll"
    assert run(["--archive", path, "correct", MASTUNG, "--field", "fatalities", "--value", ""]) == 0
    assert "correction removed" in capsys.readouterr().out


def test_other_incidents_are_untouched(seeded_archive: Archive) -> None:
    other = catalog.find_incident(seeded_archive, "February 2024 Balochistan bombings")
    before = (other.fatalities_min, other.updated_at)
    corrections.correct(seeded_archive, _mastung(seeded_archive).id, "fatalities", "61")
    after = catalog.find_incident(seeded_archive, "February 2024 Balochistan bombings")
    assert (after.fatalities_min, after.updated_at) == before
    assert SEED_BALOCHISTAN  # the seeds fixture is the pair
