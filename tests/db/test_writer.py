"""The import's write path on both engines: per-article atomicity within a batch, a title
met twice in one batch, and idempotency across batches (on PostgreSQL a batch's new
articles are sent at commit in one COPY per table, under ids taken from the sequence)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pytest

import db.store
from db import Archive
from db.records import Facts, IncidentRecord, PerpetratorRecord, SectionRecord, Toll
from db.store import ArchiveWriter, WriteOutcome
from viewer.services import catalog

pytestmark = pytest.mark.engines


def _record(title: str, text: str) -> IncidentRecord:
    body = f"{title}\n{text}"
    facts = Facts(
        date_start="2001-02-03", date_text="3 February 2001", date_precision="day",
        fatalities=Toll(3, 5, False, "3 to 5"),
        perpetrators=[PerpetratorRecord("Someone", True)],
    )  # fmt: skip
    return IncidentRecord(
        title, title.casefold(), body, [SectionRecord("Aftermath", 2, 0, 0, len(body))], [],
        f"writer/{title}.txt", "text", hashlib.sha256(body.encode()).hexdigest(), body, facts,
    )  # fmt: skip


def _counts(archive: Archive) -> dict[str, int]:
    with archive.session() as session:
        from sqlalchemy import text

        return {
            table: int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
            for table in ("incidents", "sections", "perpetrators", "sources", "incident_fts")
        }


def _write(archive: Archive, records: Iterable[IncidentRecord]) -> list[object]:
    outcomes: list[object] = []
    with archive.bulk() as connection, ArchiveWriter(connection) as writer:
        batch = list(records)
        writer.expect(record.title_key for record in batch)
        for record in batch:
            try:
                outcomes.append(writer.store(record)[0])
            except RuntimeError as exc:
                outcomes.append(str(exc))
    return outcomes


def test_an_article_that_fails_loses_nothing_else_of_its_batch(
    empty_archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = db.store._child_rows

    def failing(incident_id: int, record: IncidentRecord):
        for table, rows in real(incident_id, record):
            if record.title == "Second" and table.name == "perpetrators":
                raise RuntimeError("failed half-way through")
            yield table, rows

    monkeypatch.setattr(db.store, "_child_rows", failing)
    records = [_record(title, "a bombing") for title in ("First", "Second", "Third")]
    outcomes = _write(empty_archive, records)
    assert outcomes == [WriteOutcome.IMPORTED, "failed half-way through", WriteOutcome.IMPORTED]
    assert _counts(empty_archive) == dict.fromkeys(
        ("incidents", "sections", "perpetrators", "sources", "incident_fts"), 2
    )
    assert {r.title for r in catalog.search(empty_archive, "bombing").results} == {
        "First", "Third",
    }  # fmt: skip


def test_a_title_twice_in_one_batch_is_one_incident_with_the_later_text(
    empty_archive: Archive,
) -> None:
    outcomes = _write(
        empty_archive,
        [_record("Twice", "an early text"), _record("Other", "x"), _record("Twice", "a later")],
    )
    assert outcomes == [WriteOutcome.IMPORTED, WriteOutcome.IMPORTED, WriteOutcome.UPDATED]
    assert _counts(empty_archive)["incidents"] == 2
    assert [r.title for r in catalog.search(empty_archive, "later").results] == ["Twice"]
    assert catalog.search(empty_archive, "early").results == []


def test_the_same_articles_again_change_nothing(empty_archive: Archive) -> None:
    records = [_record(f"Article {n}", f"text {n}") for n in range(30)]
    assert _write(empty_archive, records) == [WriteOutcome.IMPORTED] * 30
    before = _counts(empty_archive)
    again = [*records[:10], _record("Article 10", "changed"), _record("New", "new")]
    assert _write(empty_archive, again) == [
        *[WriteOutcome.UNCHANGED] * 10, WriteOutcome.UPDATED, WriteOutcome.IMPORTED,
    ]  # fmt: skip
    after = _counts(empty_archive)
    assert after == {table: count + 1 for table, count in before.items()}
    ids = [summary.id for summary in catalog.list_summaries(empty_archive)]
    assert len(ids) == len(set(ids)) == 31
