"""`list` reads the covering index ix_incidents_list (migration 0013) in the order it always
had: by date, undated last, then by title."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest
from sqlalchemy import event

from db import Archive, open_archive
from db.queries import ListPosition, list_incidents, list_page
from viewer.services import catalog

pytestmark = pytest.mark.engines("sqlite")

BEFORE = (  # the listing's one query before 0013
    "SELECT id FROM incidents ORDER BY date_start IS NULL, date_start, title_key"
)


def _with_copies(connection: sqlite3.Connection, dates: tuple[str | None, ...]) -> list[int]:
    """Copies of the first seed on the given dates, their title keys in the reverse order of
    their titles, and the second seed made undated (ties on the date and undated incidents for
    the title to order): the listing's ids in the one query's order."""
    (first, second) = [row[0] for row in connection.execute("SELECT id FROM incidents")]
    kept = [
        row[1]
        for row in connection.execute("PRAGMA table_info(incidents)")
        if row[1] not in ("id", "title", "title_key", "date_start")
    ]
    columns = ", ".join(kept)
    for n, date in enumerate(dates):
        connection.execute(
            f"INSERT INTO incidents (title, title_key, date_start, {columns}) "
            f"SELECT ?, ?, ?, {columns} FROM incidents WHERE id = ?",
            (f"Copy {n}", f"copy {len(dates) - 1 - n}", date, first),
        )
    connection.execute("UPDATE incidents SET date_start = NULL WHERE id = ?", (second,))
    return [row[0] for row in connection.execute(BEFORE)]


def test_the_order_is_the_one_query_order_and_read_from_the_index(seeded_archive: Archive) -> None:
    path = seeded_archive.path
    seeded_archive.close()
    with sqlite3.connect(path) as connection:
        before = _with_copies(connection, ("2020-01-01", "2020-01-01", None, None))
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


def test_pages_follow_one_another_in_the_same_order_from_the_index(
    seeded_archive: Archive,
) -> None:
    """`list` reads a page at a time, each from where the last ended (the date and title key
    of its last incident): pages of any size give the whole listing once, in its order, and
    each page is a range read of the covering index, never a sort."""
    path = seeded_archive.path
    seeded_archive.close()
    with sqlite3.connect(path) as connection:
        dates = ("2020-01-01", "2020-01-01", None, None, "1999-05-05", "2030-01-01", None)
        before = _with_copies(connection, dates)
    statements: list[str] = []
    with open_archive(path) as archive:
        event.listen(archive.engine, "before_cursor_execute", _keep_sql(statements))
        for size in range(1, len(before) + 2):
            listed: list[int] = []
            after: ListPosition | None = None
            while True:
                with archive.session() as session:
                    found, after = list_page(session, after, size)
                assert len(found) <= size
                listed += [s.id for s in found]
                if after is None:
                    break
                assert len(found) == size
            assert listed == before, size
        assert [s.id for s in catalog.iter_summaries(archive, page=3)] == before
        assert [s.id for s in catalog.iter_summaries(archive)] == before
    with sqlite3.connect(path) as connection:
        plans = {
            " ".join(str(part) for part in row)
            for sql in set(statements)
            for row in connection.execute("EXPLAIN QUERY PLAN " + sql, ["x"] * sql.count("?"))
        }
    assert len(plans) == 4, plans  # dated and undated, from the start and after a position
    assert all("COVERING INDEX ix_incidents_list" in plan for plan in plans), plans
    assert not any("TEMP B-TREE" in plan for plan in plans), plans


def _keep_sql(statements: list[str]) -> Callable[..., None]:
    def keep(_conn: object, _cursor: object, sql: str, *_rest: object) -> None:
        if "FROM incidents" in sql and "ORDER BY" in sql:
            statements.append(sql)

    return keep
