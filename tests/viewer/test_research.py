"""The researcher's layer: annotations that survive re-import, tags, bookmarks, notes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from db import Archive, open_archive
from tests.conftest import SEED_MASTUNG
from viewer.services import catalog, research
from viewer.services.backup import backup as archive_backup
from viewer.services.importing import import_paths

pytestmark = pytest.mark.engines

PASSAGE = "Nawaz Gashkori"
SENTENCE = "Among the deceased was Mastung's deputy superintendent of police, Nawaz Gashkori."


def _mastung(archive: Archive) -> int:
    return catalog.find_incident(archive, "2023 Mastung bombing").id


def _annotate(archive: Archive) -> research.AnnotationView:
    incident_id = _mastung(archive)
    return research.annotate_quote(
        archive, incident_id, PASSAGE, color="pink", note="the police officer", tags=["police"]
    )


def _reimport(archive: Archive, seeds_dir: Path, tmp_path: Path, change) -> None:
    text = (seeds_dir / SEED_MASTUNG).read_text(encoding="utf-8")
    changed = change(text)
    assert changed != text
    path = tmp_path / "mastung-changed.txt"
    path.write_text(changed, encoding="utf-8")
    report = import_paths(archive, [path])
    assert report.updated == 1


def _body_at(archive: Archive, annotation: research.AnnotationView) -> str:
    body = catalog.find_incident(archive, "2023 Mastung bombing").body
    return body[annotation.start : annotation.end]


def test_annotation_keeps_its_words_when_text_is_inserted_before(
    seeded_archive: Archive, seeds_dir: Path, tmp_path: Path
) -> None:
    before = _annotate(seeded_archive)
    _reimport(
        seeded_archive,
        seeds_dir,
        tmp_path,
        lambda t: t.replace(
            "On 29 September 2023, a suicide bombing",
            "A new opening paragraph was added by an editor.\n\n"
            "On 29 September 2023, a suicide bombing",
        ),
    )
    (after,) = research.list_annotations(seeded_archive, incident_id=before.incident_id)
    assert after.id == before.id and not after.orphaned
    assert after.start > before.start
    assert _body_at(seeded_archive, after) == PASSAGE
    assert after.anchored_by == "quote"
    assert (after.note, after.tags, after.color) == ("the police officer", ["police"], "pink")


def test_annotation_follows_a_slightly_rewritten_paragraph(
    seeded_archive: Archive, seeds_dir: Path, tmp_path: Path
) -> None:
    incident_id = _mastung(seeded_archive)
    before = research.annotate_quote(seeded_archive, incident_id, SENTENCE, note="key fact")
    _reimport(
        seeded_archive,
        seeds_dir,
        tmp_path,
        lambda t: t.replace(
            SENTENCE,
            "Among those who died was Mastung's deputy superintendent of police, Nawaz Gashkori.",
        ).replace("This event is one of", "The event was one of"),
    )
    (after,) = research.list_annotations(seeded_archive, incident_id=incident_id)
    assert not after.orphaned and after.anchored_by == "fuzzy"
    assert _body_at(seeded_archive, after) == (
        "Among those who died was Mastung's deputy superintendent of police, Nawaz Gashkori."
    )
    assert after.note == "key fact" and after.id == before.id


COVERED = "The incident was widely covered by social media"


def test_annotation_whose_passage_vanished_is_orphaned_not_lost(
    seeded_archive: Archive, seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = research.annotate_quote(
        seeded_archive,
        _mastung(seeded_archive),
        COVERED,
        note="the police officer",
        tags=["police"],
    )
    _reimport(
        seeded_archive,
        seeds_dir,
        tmp_path,
        lambda t: t.replace(
            " The incident was widely covered by social media, showing both the impact of the "
            "explosion and the immediate response.",
            "",
        ),
    )
    (after,) = research.list_annotations(seeded_archive, incident_id=before.incident_id)
    assert after.orphaned
    assert (after.quote, after.note, after.tags) == (COVERED, "the police officer", ["police"])
    assert research.list_annotations(seeded_archive, orphaned=True) == [after]
    # Still in the export, with its quote and note.
    from viewer.cli import run

    assert run(["--archive", seeded_archive.location, "export", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert '"orphaned": true' in out and "the police officer" in out


def test_reattach_an_orphan_by_hand(
    seeded_archive: Archive, seeds_dir: Path, tmp_path: Path
) -> None:
    before = _annotate(seeded_archive)
    _reimport(seeded_archive, seeds_dir, tmp_path, lambda t: t.replace(" " + SENTENCE, ""))
    body = catalog.find_incident(seeded_archive, "2023 Mastung bombing").body
    start = body.index("Gashkori and another senior police officer")
    again = research.reattach_annotation(seeded_archive, before.id, start, start + len("Gashkori"))
    assert not again.orphaned and again.quote == "Gashkori"


def test_quote_errors_are_clear(seeded_archive: Archive) -> None:
    incident_id = _mastung(seeded_archive)
    with pytest.raises(research.ResearchError, match="not in the article"):
        research.annotate_quote(seeded_archive, incident_id, "no such words here")
    with pytest.raises(research.ResearchError, match=r"occurs \d+ times.*--occurrence"):
        research.annotate_quote(seeded_archive, incident_id, "Balochistan")
    second = research.annotate_quote(seeded_archive, incident_id, "Balochistan", occurrence=2)
    body = catalog.find_incident(seeded_archive, "2023 Mastung bombing").body
    assert second.start == body.index("Balochistan", body.index("Balochistan") + 1)
    with pytest.raises(research.ResearchError, match="colour"):
        research.annotate_quote(seeded_archive, incident_id, PASSAGE, color="purple")


def test_delete_and_restore_annotation(seeded_archive: Archive) -> None:
    annotation = _annotate(seeded_archive)
    snapshot = research.delete_annotation(seeded_archive, annotation.id)
    assert research.list_annotations(seeded_archive) == []
    research.restore_annotation(seeded_archive, snapshot)
    assert research.list_annotations(seeded_archive) == [annotation]


@pytest.mark.parametrize("wildcard", ["_", "%", "\\"])
def test_text_filter_takes_like_wildcards_literally(seeded_archive: Archive, wildcard: str) -> None:
    """A LIKE wildcard typed into the filter is a character to find, not "anything"."""
    plain = _annotate(seeded_archive)
    marked = research.annotate_quote(
        seeded_archive, plain.incident_id, "Mastung", occurrence=1, note=f"see {wildcard} here"
    )
    assert research.list_annotations(seeded_archive, text=wildcard) == [marked]
    assert research.list_annotations(seeded_archive, text="police") == [plain]


def test_tags_counts_rename_merge(seeded_archive: Archive) -> None:
    mastung = _mastung(seeded_archive)
    baloch = catalog.find_incident(seeded_archive, "February 2024 Balochistan bombings").id
    assert research.tag_incident(seeded_archive, mastung, ["ISKP", "Balochistan"]) == [
        "ISKP",
        "Balochistan",
    ]
    assert research.tag_incident(seeded_archive, baloch, ["balochistan", "election"]) == [
        "Balochistan",
        "election",
    ]
    _annotate(seeded_archive)
    counts = {
        t.name: (t.incidents, t.annotations) for t in research.tags_with_counts(seeded_archive)
    }
    assert counts == {"Balochistan": (2, 0), "election": (1, 0), "ISKP": (1, 0), "police": (0, 1)}
    research.rename_tag(seeded_archive, "ISKP", "IS-K")
    research.merge_tags(seeded_archive, ["election", "IS-K"], "Balochistan")
    counts = {
        t.name: (t.incidents, t.annotations) for t in research.tags_with_counts(seeded_archive)
    }
    assert counts == {"Balochistan": (2, 0), "police": (0, 1)}
    assert research.tagged_incidents(seeded_archive, "police") == {mastung}
    assert research.untag_incident(seeded_archive, mastung, ["BALOCHISTAN"]) == ["Balochistan"]
    assert [t.name for t in research.incident_tags(seeded_archive, mastung)] == []


def test_bookmarks_whole_and_positioned(
    seeded_archive: Archive, seeds_dir: Path, tmp_path: Path
) -> None:
    mastung = _mastung(seeded_archive)
    whole = research.add_bookmark(seeded_archive, mastung)
    assert whole.label == "2023 Mastung bombing" and whole.start is None
    body = catalog.find_incident(seeded_archive, "2023 Mastung bombing").body
    place = research.add_bookmark(seeded_archive, mastung, "officer", body.index(PASSAGE))
    _reimport(
        seeded_archive,
        seeds_dir,
        tmp_path,
        lambda t: t.replace(
            "==Background==", "==Background==\nA sentence added at the top of the background."
        ),
    )
    moved = {b.id: b for b in research.list_bookmarks(seeded_archive)}[place.id]
    new_body = catalog.find_incident(seeded_archive, "2023 Mastung bombing").body
    assert moved.start == new_body.index(PASSAGE) and not moved.orphaned
    row = research.delete_bookmark(seeded_archive, whole.id)
    research.restore_bookmark(seeded_archive, row)
    assert len(research.list_bookmarks(seeded_archive)) == 2


def test_notes_are_saved_and_searchable(seeded_archive: Archive) -> None:
    mastung = _mastung(seeded_archive)
    research.save_note(seeded_archive, mastung, "Compare with the **Hangu** attack.", "markdown")
    assert research.get_note(seeded_archive, mastung) == (
        "Compare with the **Hangu** attack.",
        "markdown",
    )
    found = catalog.search(seeded_archive, "notes:Hangu")
    assert [r.id for r in found.results] == [mastung]
    research.save_note(seeded_archive, mastung, "")
    assert research.get_note(seeded_archive, mastung) == ("", "plain")
    assert catalog.search(seeded_archive, "notes:Hangu").total == 0


def test_reimport_keeps_notes_in_the_index(
    seeded_archive: Archive, seeds_dir: Path, tmp_path: Path
) -> None:
    mastung = _mastung(seeded_archive)
    research.save_note(seeded_archive, mastung, "zeppelinword")
    _reimport(seeded_archive, seeds_dir, tmp_path, lambda t: t.replace("60 deaths", "61 deaths"))
    assert [r.id for r in catalog.search(seeded_archive, "zeppelinword").results] == [mastung]


WRITER = """
import sys
from db import open_archive
from viewer.services import research
archive = open_archive(sys.argv[1])
incident, start = int(sys.argv[2]), 0
for number in range(100000):
    annotation = research.create_annotation(archive, incident, start, start + 5, note=f"n{number}")
    print(annotation.id, flush=True)
"""


@pytest.mark.engines("sqlite")  # the file's integrity after a kill; the server keeps its own
def test_killed_in_the_middle_of_annotation_writes(seeded_archive: Archive) -> None:
    incident_id = _mastung(seeded_archive)
    path = str(seeded_archive.path)
    seeded_archive.close()
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, path, str(incident_id)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )
    committed: list[int] = []
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    while len(committed) < 40 and time.monotonic() < deadline:
        committed.append(int(process.stdout.readline()))
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    process.stdout.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with open_archive(path) as archive:
        ids = {a.id for a in research.list_annotations(archive)}
    assert set(committed) <= ids


@pytest.mark.engines("sqlite")  # a team archive is backed up with pg_dump (README)
def test_backup_and_restore_as_documented(seeded_archive: Archive, tmp_path: Path) -> None:
    mastung = _mastung(seeded_archive)
    research.tag_incident(seeded_archive, mastung, ["kept"])
    backup = archive_backup(seeded_archive, tmp_path / "backup.sqlite")
    research.untag_incident(seeded_archive, mastung, ["kept"])
    research.tag_incident(seeded_archive, mastung, ["later"])
    path = seeded_archive.path
    seeded_archive.close()
    # Restore: with the program closed, copy the backup over the archive (and drop -wal/-shm).
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.write_bytes(backup.read_bytes())
    with open_archive(path) as restored:
        assert [t.name for t in research.incident_tags(restored, mastung)] == ["kept"]
        assert catalog.search(restored, "Mastung").total == 1


def test_a_change_made_meanwhile_is_never_overwritten(seeded_archive: Archive) -> None:
    mastung = _mastung(seeded_archive)
    first = research.annotate_quote(seeded_archive, mastung, "Mastung", occurrence=1)
    # two people opened version 1; the first to save wins, the second gets a conflict
    theirs = research.update_annotation(
        seeded_archive, first.id, note="theirs", expected_version=first.version
    )
    with pytest.raises(research.AnnotationConflict, match=r"changed by .* nothing was overwritten"):
        research.update_annotation(
            seeded_archive, first.id, note="mine", color="green", expected_version=first.version
        )
    (now,) = [a for a in research.list_annotations(seeded_archive) if a.id == first.id]
    assert (now.note, now.color) == ("theirs", first.color)
    assert now.version == theirs.version == first.version + 1
    # starting from what is there now works
    research.update_annotation(seeded_archive, first.id, note="mine", expected_version=now.version)


def test_w3c_creator_is_written_and_kept(seeded_archive: Archive, tmp_path: Path) -> None:
    from viewer.interchange.w3c import from_w3c, to_w3c_collection

    mastung = _mastung(seeded_archive)
    mine = research.annotate_quote(seeded_archive, mastung, "Mastung", occurrence=1)
    exported = research.export_annotation_data(seeded_archive)
    document = to_w3c_collection(exported, "export")
    assert document["first"]["items"][0]["creator"] == {"type": "Person", "name": mine.author}
    (item,) = from_w3c(document)
    assert item.creator == mine.author
    research.delete_annotation(seeded_archive, mine.id)
    foreign = replace(item, creator="someone else")
    research.import_annotations(seeded_archive, [foreign])
    (back,) = research.list_annotations(seeded_archive)
    # a personal archive keeps the creator; a team archive's server makes the importer author
    expected = seeded_archive.user if seeded_archive.is_team else "someone else"
    assert back.author == expected
