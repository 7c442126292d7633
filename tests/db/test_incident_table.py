"""The incident table's order, pages, scopes and positions, in SQL, checked against the same
order computed in Python from the rows themselves."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from db import Archive, open_archive
from db import incident_table as t
from db.records import Facts, IncidentRecord, PerpetratorRecord, TermRecord, Toll
from db.store import ArchiveWriter
from viewer.services import research, tagging

COUNT = 240


def _record(index: int, rng: random.Random) -> IncidentRecord:
    def maybe(value: object, chance: float = 0.8) -> object:
        return value if rng.random() < chance else None

    low = rng.randint(0, 40)
    killed = Toll(low, low + rng.choice((0, 0, 3)), rng.random() < 0.2, str(low))
    day = f"{rng.randint(1990, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    terms = [TermRecord("place", f"Place {rng.randint(1, 9)}")] if rng.random() < 0.9 else []
    if rng.random() < 0.7:
        terms.append(TermRecord("type", rng.choice(("Bombing", "Shooting", "arson"))))
    facts = Facts(
        date_start=maybe(day),  # type: ignore[arg-type]
        date_end=day,
        country=maybe(rng.choice(("Pakistan", "Iraq", "Nigeria", "Ångström"))),  # type: ignore[arg-type]
        fatalities=killed if rng.random() < 0.85 else Toll(),
        injuries=Toll(rng.randint(0, 9), None, False, "x") if rng.random() < 0.5 else Toll(),
        perpetrators=[PerpetratorRecord(f"Group {rng.randint(1, 5)}", False)]
        if rng.random() < 0.6
        else [],
        terms=terms,
    )
    if facts.date_start is None:
        facts.date_end = None
    # case and spacing vary, so that the title order is by the folded key
    title = f"{rng.choice(('a', 'B', 'c'))} incident {index:03d}"
    return IncidentRecord(
        title, title.casefold(), title, [], [], f"x/{index}.txt", "text",
        hashlib.sha256(title.encode()).hexdigest(), title, facts,
    )  # fmt: skip


@pytest.fixture(scope="module")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("table") / "table.sqlite"
    rng = random.Random(7)
    with open_archive(path) as archive:
        with archive.bulk() as connection, ArchiveWriter(connection) as writer:
            for index in range(COUNT):
                writer.store(_record(index, rng))
        tagging.tag_incidents(archive, [3, 9, 27, 81], ["verified"])
        tagging.tag_incidents(archive, [9, 50], ["Another"])
        for incident_id in (5, 5, 5, 9, 12):
            research.create_annotation(archive, incident_id, 0, 3)
    return path


@pytest.fixture
def archive(_template: Path, tmp_path: Path) -> Iterator[Archive]:
    from db.backup import backup_archive

    with open_archive(backup_archive(_template, tmp_path / "t.sqlite")) as opened:
        yield opened


def _all_rows(archive: Archive) -> list[t.TableRow]:
    with archive.session() as session:
        return t.table_rows(session, list(range(1, COUNT + 1)))


def _expected(rows: list[t.TableRow], column: str, descending: bool) -> list[int]:
    """The order the table promises, computed in Python: known values by the column (ties by
    id, both in the chosen direction), then the unknown ones by id."""
    keys = {
        "date": lambda r: r.date_start,
        "title": lambda r: r.title.casefold(),
        "country": lambda r: r.country,
        "place": lambda r: r.places[0] if r.places else None,
        "perpetrator": lambda r: r.perpetrators[0][0] if r.perpetrators else None,
        "killed": lambda r: None if r.fatalities[1] is None else r.fatalities[1::-1],
        "injured": lambda r: None if r.injuries[1] is None else r.injuries[1::-1],
        "type": lambda r: r.types[0] if r.types else None,
        "tags": lambda r: min(tag.casefold() for tag in r.tags) if r.tags else None,
    }
    if column == "annotations":
        ordered = sorted(rows, key=lambda r: (r.annotations, r.id), reverse=descending)
        return [r.id for r in ordered]
    known = [r for r in rows if keys[column](r) is not None]
    unknown = [r for r in rows if keys[column](r) is None]
    known.sort(key=lambda r: (keys[column](r), r.id), reverse=descending)
    unknown.sort(key=lambda r: r.id, reverse=descending)
    return [r.id for r in known + unknown]


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("column", t.TABLE_COLUMNS)
def test_every_column_orders_in_sql_as_promised(
    archive: Archive, column: str, descending: bool
) -> None:
    expected = _expected(_all_rows(archive), column, descending)
    with archive.session() as session:
        layout = t.table_layout(session, t.IncidentScope(), t.TableOrder(column, descending))
        assert layout.total == COUNT
        # read in pages that straddle the parts (known, then unknown values)
        got: list[int] = []
        for offset in range(0, COUNT, 37):
            got += t.table_ids(session, layout, offset, 37)
        assert got == expected
        for row in (0, 1, 100, COUNT - 1):
            assert t.table_position(session, layout, expected[row]) == row


def test_scopes_narrow_the_table(archive: Archive) -> None:
    rows = {r.id: r for r in _all_rows(archive)}
    with archive.session() as session:

        def ids(scope: t.IncidentScope) -> set[int]:
            layout = t.table_layout(session, scope, t.TableOrder("title"))
            found = t.table_ids(session, layout, 0, COUNT)
            assert len(found) == layout.total
            return set(found)

        assert ids(t.IncidentScope(tag_key="verified")) == {3, 9, 27, 81}
        assert ids(t.IncidentScope(incident_ids=frozenset({4, 8, 999}))) == {4, 8}
        quick = ids(t.IncidentScope(quick="place 3"))  # any case, any of four columns
        assert quick == {i for i, r in rows.items() if r.places and r.places[0] == "Place 3"}
        # SQLite's LIKE folds the case of ASCII letters only (as its lower() does)
        accented = ids(t.IncidentScope(quick="Ångström"))
        assert accented and ids(t.IncidentScope(quick="ÅNGSTRöm")) == accented
        assert ids(t.IncidentScope(quick="100%")) == set()  # % is a character, not a wildcard
        both = ids(t.IncidentScope(tag_key="verified", quick="incident 00"))
        assert both == {3, 9}
        with_search = ids(t.IncidentScope(fts_query='"incident" AND "027"'))
        assert with_search == {28}  # titles count from 0, ids from 1
        none = t.table_layout(session, t.IncidentScope(tag_key="nothing"), t.TableOrder())
        assert none.total == 0 and t.table_ids(session, none, 0, 10) == []
        layout = t.table_layout(session, t.IncidentScope(tag_key="verified"), t.TableOrder())
        assert t.table_position(session, layout, 4) is None


def test_large_id_sets_are_not_bound_one_parameter_each(archive: Archive) -> None:
    """A selection larger than SQLite's 32,766 parameters still works."""
    wanted = frozenset(range(1, 40_000))
    with archive.session() as session:
        layout = t.table_layout(session, t.IncidentScope(incident_ids=wanted), t.TableOrder())
    assert layout.total == COUNT


def test_rows_carry_what_the_cells_show(archive: Archive) -> None:
    with archive.session() as session:
        (nine,) = t.table_rows(session, [9])
        (five,) = t.table_rows(session, [5])
    assert nine.tags == ["Another", "verified"]
    assert nine.annotations == 1 and five.annotations == 3
    with pytest.raises(ValueError, match="cannot sort by 'body'"):
        t.TableOrder("body")
