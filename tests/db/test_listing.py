"""`list` reads the covering index ix_incidents_list (migration 0013) in the order it always
had: by date, undated last, then by title."""

from __future__ import annotations

import sqlite3

import pytest

from db import Archive, open_archive
from db.queries import list_incidents

pytestmark = pytest.mark.engines("sqlite")

BEFORE = (  # the listing's one query before 0013
    "SELECT id FROM incidents ORDER BY date_start IS NULL, date_start, title_key"
)


def test_the_order_is_the_one_query_order_and_read_from_the_index(seeded_archive: Archive) -> None:
    path = seeded_archive.path
    seeded_archive.close()
    with sqlite3.connect(path) as connection:
        (first, second) = [row[0] for row in connection.execute("SELECT id FROM incidents")]
        kept = [
            row[1]
            for row in connection.execute("PRAGMA table_info(incidents)")
            if row[1] not in ("id", "title", "title_key", "date_start")
        ]
        columns = ", ".join(kept)
        for n, date in enumerate(("2020-01-01", "2020-01-01", None, None)):
            connection.execute(
                f"INSERT INTO incidents (title, title_key, date_start, {columns}) "
                f"SELECT ?, ?, ?, {columns} FROM incidents WHERE id = ?",
                (f"Copy {n}", f"copy {3 - n}", date, first),
            )
        connection.execute("UPDATE incidents SET date_start = NULL WHERE id = ?", (second,))
        before = [row[0] for row in connection.execute(BEFORE)]
        plans = [
            " ".join(str(part) for part in row)
            for dated in ("IS NOT NULL", "IS NULL")
            for row in connection.execute(
                "EXPLAIN QUERY PLAN SELECT id, title, date_start, date_end, location_text, "
                f"fatalities_min, fatalities_max, fatalities_open FROM incidents WHERE "
                f"date_start {dated} ORDER BY date_start, title_key"
            )
        ]
    with open_archive(path) as archive, archive.session() as session:
        assert [s.id for s in list_incidents(session)] == before
        assert [s.id for s in list_incidents(session, limit=3)] == before[:3]
        assert [s.id for s in list_incidents(session, limit=5)] == before[:5]
    assert all("COVERING INDEX ix_incidents_list" in plan for plan in plans), plans
    assert not any("TEMP B-TREE" in plan for plan in plans), plans
