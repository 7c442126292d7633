"""Long writers of this program give way to its short changes, and leave checkpoints to
themselves (issue 13, two lanes): a reindex commits and lets a tag in between two incidents
as an import does between two articles; corrections, sources and bulk tags take this
program's turn at the write lock (an import gives way to them instead of making them wait
out its batch, or fail on a lock they could not upgrade); and while an import or a reindex
runs, a short change's commit never checkpoints (copying the bulk writer's pages into the
file, fsyncs and all, in the change's time).

A long writer is held at a chosen step (its transaction open, SQLite's write lock taken)
until the test lets it go on, so the short change is shown to go in during it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from db import Archive
from db.store import ArchiveWriter
from tests.conftest import mastung_copies
from viewer.services import (
    catalog,
    corrections,
    importing,
    preparing,
    reindexing,
    research,
    sources,
    tagging,
)

WAIT_S = 20


@pytest.fixture
def archive(
    seeded_archive: Archive, tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Archive]:
    """The seeds and six more incidents."""
    monkeypatch.setenv(preparing.WORKERS_VARIABLE, "0")
    folder = mastung_copies(tmp_path / "incoming", seeds_dir, 6, "Incoming attack")
    importing.import_paths(seeded_archive, [str(folder)])
    assert catalog.count(seeded_archive) == 8
    yield seeded_archive


class Held:
    """Wraps module.name (a step of a long writer) so that it stops after each of its call
    numbers in `stops` until the test lets it go on; calls counts the calls made."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, module: Any, name: str, *stops: int):
        self.calls = 0
        self.reached = threading.Event()  # the first stop
        self.go_on = {at: threading.Event() for at in stops}
        real = getattr(module, name)

        def step(*args: Any, **kwargs: Any) -> Any:
            result = real(*args, **kwargs)
            self.calls += 1
            if self.calls in self.go_on:
                self.reached.set()
                assert self.go_on[self.calls].wait(WAIT_S), "the test never let it go on"
            return result

        monkeypatch.setattr(module, name, step)

    def release_all(self) -> None:
        for event in self.go_on.values():
            event.set()


def _during(
    archive: Archive, held: Held, long_write: Callable[[], object], change: Callable[[], object]
) -> tuple[object, int]:
    """Run long_write on a thread, held at its steps; make the change once it is held (each
    time the change waits for its turn, the writer is let go on from one stop, and it lets
    the change in); returns what the change returned and how many steps the writer had made
    when the change was done."""
    failures: list[BaseException] = []
    changed = threading.Event()

    def run() -> None:
        try:
            long_write()
        except BaseException as exc:  # the test fails on it below
            failures.append(exc)

    def let_it_go_on_whenever_the_change_waits() -> None:
        deadline = time.monotonic() + WAIT_S
        stops = sorted(held.go_on)
        while stops and not changed.is_set() and time.monotonic() < deadline:
            if archive.turns.wanted and stops[0] <= held.calls:  # waiting at that stop
                held.go_on[stops.pop(0)].set()
                while archive.turns.wanted and not changed.is_set():
                    time.sleep(0.001)
            time.sleep(0.001)

    writer = threading.Thread(target=run)
    writer.start()
    try:
        assert held.reached.wait(WAIT_S)
        helper = threading.Thread(target=let_it_go_on_whenever_the_change_waits)
        helper.start()
        try:
            result = change()
        finally:
            changed.set()
        steps = held.calls
        helper.join(WAIT_S)
    finally:
        held.release_all()
        writer.join(WAIT_S)
    assert not failures, failures
    return result, steps


def test_a_reindex_gives_way_to_a_tag_between_two_incidents(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    mastung = catalog.find_incident(archive, "2023 Mastung bombing").id
    held = Held(monkeypatch, reindexing, "_record", 2, 3)
    # a reindex is at most one batch of about a second, whatever it has left to do
    monkeypatch.setattr(reindexing, "BATCH_SECONDS", 60.0)
    report: list[reindexing.ReindexReport] = []
    added, steps = _during(
        archive,
        held,
        lambda: report.append(reindexing.reindex(archive)),
        lambda: research.tag_incident(archive, mastung, ["during reindex"]),
    )
    assert added == ["during reindex"]
    # the tag went in before the reindex had read its fourth incident
    assert steps <= 3
    assert report[0].done == 8 and not report[0].problems
    assert [t.name for t in research.tags_with_counts(archive)] == ["during reindex"]


@pytest.mark.parametrize("change", ["correct", "set_source", "tag_incidents"])
def test_orm_changes_take_their_turn_during_an_import(
    archive: Archive, tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    """Corrections, sources and the table's bulk tags are written through the ORM; they go
    in between two articles of an import instead of waiting out its batch."""
    mastung = catalog.find_incident(archive, "2023 Mastung bombing").id
    folder = mastung_copies(tmp_path / "more", seeds_dir, 4, "Another attack")
    held = Held(monkeypatch, importing, "_store", 2, 3)
    changes: dict[str, Callable[[], object]] = {
        "correct": lambda: corrections.correct(archive, mastung, "fatalities", "61+", "Dawn"),
        "set_source": lambda: sources.set_source(archive, mastung, site="Dawn"),
        "tag_incidents": lambda: tagging.tag_incidents(archive, [mastung], ["bulk"]),
    }
    started = time.monotonic()
    _result, steps = _during(
        archive, held, lambda: importing.import_paths(archive, [str(folder)]), changes[change]
    )
    assert steps <= 3  # in before the import's fourth article (a correction writes twice)
    assert time.monotonic() - started < WAIT_S
    assert catalog.count(archive) == 12
    if change == "correct":
        assert corrections.corrections_of(archive, mastung)[0].value == "61+"
    elif change == "tag_incidents":
        assert [t.name for t in research.tags_with_counts(archive)] == ["bulk"]


def _autocheckpoint(archive: Archive) -> int:
    with archive.write() as connection:
        return int(connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one())


def test_short_changes_leave_checkpoints_to_a_running_bulk_writer(archive: Archive) -> None:
    assert _autocheckpoint(archive) == 1000  # SQLite's own, when no bulk writer runs
    with archive.bulk() as connection:
        raw = connection.connection.dbapi_connection  # no transaction begun: no lock taken
        assert raw is not None
        assert raw.execute("PRAGMA wal_autocheckpoint").fetchone() == (0,)
        assert _autocheckpoint(archive) == 0
    assert _autocheckpoint(archive) == 1000
    # the bulk writer checkpointed at its end: the log is copied into the file
    with archive.read() as connection:
        raw = connection.connection.dbapi_connection
        assert raw is not None
        busy, logged, copied = raw.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        assert busy == 0 and logged == copied


def _contest(archive: Archive) -> None:
    """A writer of this program finds the turn taken (as a tag during an import does)."""
    holding = threading.Event()

    def hold() -> None:
        with archive.turns.turn():
            holding.set()
            deadline = time.monotonic() + WAIT_S
            while not archive.turns.wanted and time.monotonic() < deadline:
                time.sleep(0.001)

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(WAIT_S)
    with archive.turns.turn():
        pass
    holder.join(WAIT_S)


def test_while_changes_come_an_import_commits_in_short_pieces(
    archive: Archive, tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a change waits for is the import's commit of all it wrote since its last one: while
    changes come, the import commits every SHORT_SECONDS (here: after every article), so
    that commit stays short; with nobody changing anything a batch is one transaction. Every
    article is stored either way."""
    monkeypatch.setattr(importing, "BATCH_SECONDS", 600.0)
    monkeypatch.setattr(importing, "SHORT_SECONDS", -1.0)
    commits: list[int] = []
    real = ArchiveWriter.commit

    def commit(writer: ArchiveWriter) -> None:
        if writer._transaction is not None:
            commits.append(1)
        real(writer)

    monkeypatch.setattr(ArchiveWriter, "commit", commit)
    quiet = mastung_copies(tmp_path / "quiet", seeds_dir, 4, "Quiet attack")
    importing.import_paths(archive, [str(quiet)])
    assert len(commits) == 1
    commits.clear()
    _contest(archive)
    assert archive.turns.contested_within(importing.CONTESTED_SECONDS)
    busy = mastung_copies(tmp_path / "busy", seeds_dir, 4, "Busy attack")
    importing.import_paths(archive, [str(busy)])
    assert len(commits) == 4
    assert catalog.count(archive) == 16
