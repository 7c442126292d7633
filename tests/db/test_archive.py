"""Opening archives: creation and migration, refusal of files that are not ours (unmodified),
connection settings, and the schema matching the models."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from db import Archive, ArchiveError, open_archive
from db.migrate import script_revisions, upgrade
from db.models import Base
from db.schema import SCHEMA_HEAD, SCHEMA_REVISIONS
from tests.db.schema_history import WORKBENCH_INDEXES, WORKBENCH_TABLES, undo_0009


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {
            r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }


def test_migrations_run_on_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite"
    path.touch()
    with open_archive(path):
        pass
    assert {"incidents", "sections", "infobox_fields", "sources", "incident_fts"} <= _tables(path)
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (
            SCHEMA_HEAD,
        )


def test_known_revisions_match_the_migration_scripts() -> None:
    assert list(SCHEMA_REVISIONS) == script_revisions()


def test_models_match_the_migrated_schema(tmp_path: Path) -> None:
    with open_archive(tmp_path / "a.sqlite") as archive, archive.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "include_object": lambda obj, name, type_, *_: (
                    not (type_ == "table" and name.startswith("incident_fts"))
                )
            },
        )
        assert compare_metadata(context, Base.metadata) == []


def test_connection_settings(tmp_path: Path) -> None:
    with open_archive(tmp_path / "a.sqlite") as archive:
        with archive.engine.connect() as connection:
            pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
            assert pragma("journal_mode") == "wal"
            assert pragma("foreign_keys") == 1
            assert pragma("synchronous") == 1  # NORMAL
            assert pragma("busy_timeout") == 5000
        with archive.raw_connection() as raw:
            assert raw.execute("PRAGMA foreign_keys").fetchone() == (1,)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="folder"):
        open_archive(tmp_path)


@pytest.mark.parametrize(
    "content",
    [b"not a database\n", b"SQLite format 2\x00" + b"\x00" * 200, b"\x00" * 4096],
)
def test_non_sqlite_file_is_refused_and_left_unmodified(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "junk.sqlite"
    path.write_bytes(content)
    with pytest.raises(ArchiveError, match="not an Incident Archive Viewer archive"):
        open_archive(path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.sqlite"]


def test_foreign_sqlite_database_is_refused_and_left_unmodified(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (x)")
    before = path.read_bytes()
    with pytest.raises(ArchiveError, match="not an Incident Archive Viewer archive"):
        open_archive(path)
    assert path.read_bytes() == before


def test_archive_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    with open_archive(path):
        pass
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    before = path.read_bytes()
    with pytest.raises(ArchiveError, match="newer version"):
        open_archive(path)
    assert path.read_bytes() == before


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="does not exist"):
        open_archive(tmp_path / "no" / "such" / "a.sqlite")


def _revision(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def test_upgrade_backs_up_first(tmp_path: Path) -> None:
    """An archive made by an older version is copied, as it was, before the upgrade touches
    it; one at a revision this program does not know is refused untouched."""
    path = tmp_path / "old.sqlite"
    upgrade(path, had_data=False, busy_timeout_ms=5000, target=SCHEMA_REVISIONS[0])
    with sqlite3.connect(path) as connection:  # an incident the first version stored
        connection.execute(
            "INSERT INTO incidents (title, title_key, body, fatalities_open, injuries_open, "
            "created_at, updated_at) VALUES ('Kept', 'kept', 'Its text', 0, 0, 'then', 'then')"
        )
    with open_archive(path):
        pass
    (backup,) = tmp_path.glob("old.sqlite.before-upgrade-*.bak")
    assert _revision(backup) == SCHEMA_REVISIONS[0] and _revision(path) == SCHEMA_HEAD
    for copy in (backup, path):
        with sqlite3.connect(copy) as connection:
            rows = connection.execute("SELECT title, body FROM incidents").fetchall()
        assert rows == [("Kept", "Its text")]
    assert "perpetrators" not in _tables(backup)  # the old schema, not the new one

    with sqlite3.connect(path) as connection:  # now a revision from the future
        connection.execute("UPDATE alembic_version SET version_num = '0000'")
    before = path.read_bytes()
    with pytest.raises(ArchiveError, match="newer version"):
        open_archive(path)  # an unknown revision is refused, never "upgraded" blindly
    assert path.read_bytes() == before
    assert len(list(tmp_path.glob("old.sqlite.before-upgrade-*.bak"))) == 1


def test_upgrade_from_0003_fills_the_timeline_lanes_and_indexes(
    tmp_path: Path, seeded_archive
) -> None:
    """An archive made before the lane columns gets them filled from its perpetrators and
    places, the same values a fresh import writes."""
    path = Path(seeded_archive.path)
    with seeded_archive.raw_connection() as connection:
        written = connection.execute(
            "SELECT title, lane_perpetrator, lane_place FROM incidents ORDER BY id"
        ).fetchall()
    seeded_archive.close()
    upgrade(path, had_data=False, busy_timeout_ms=5000, target="0009", downgrade=True)  # 0010
    assert (
        "2023 Mastung bombing",
        "Islamic State – Khorasan Province",
        "Mastung District",
    ) in written
    with sqlite3.connect(path) as connection:  # the archive as revision 0003 left it
        undo_0009(connection)
        connection.execute("ALTER TABLE incidents DROP COLUMN perpetrators_killed_min")  # 0006
        connection.execute("ALTER TABLE incidents DROP COLUMN perpetrators_killed_max")
        connection.execute("ALTER TABLE perpetrators DROP COLUMN evidence")
        connection.execute("DROP INDEX ix_incidents_listing")  # 0005
        connection.execute("DROP INDEX ix_reactions_actor_incident")
        connection.execute("CREATE INDEX ix_reactions_actor ON reactions (actor)")
        connection.execute("DROP INDEX ix_incidents_timeline")  # 0004
        connection.execute("ALTER TABLE incidents DROP COLUMN lane_perpetrator")
        connection.execute("ALTER TABLE incidents DROP COLUMN lane_place")
        connection.execute("UPDATE alembic_version SET version_num = '0003'")
    with open_archive(path) as archive, archive.raw_connection() as connection:
        upgraded = connection.execute(
            "SELECT title, lane_perpetrator, lane_place FROM incidents ORDER BY id"
        ).fetchall()
        indexes = {r[1] for r in connection.execute("PRAGMA index_list(incidents)")}
        indexes |= {r[1] for r in connection.execute("PRAGMA index_list(reactions)")}
    assert upgraded == written
    assert {
        "ix_incidents_timeline",
        "ix_incidents_listing",
        "ix_reactions_actor_incident",
    } <= indexes
    assert "ix_reactions_actor" not in indexes


def test_upgrade_from_0007_adds_the_workbench_and_keeps_everything(
    seeded_archive: Archive,
) -> None:
    path = Path(seeded_archive.path)
    with seeded_archive.raw_connection() as connection:
        before = connection.execute(
            "SELECT id, title, body, first_type FROM incidents ORDER BY id"
        ).fetchall()
    seeded_archive.close()
    upgrade(path, had_data=False, busy_timeout_ms=5000, target="0009", downgrade=True)  # 0010
    with sqlite3.connect(path) as connection:
        undo_0009(connection)
        connection.execute("UPDATE alembic_version SET version_num = '0007'")
    with open_archive(path) as archive, archive.raw_connection() as connection:
        after = connection.execute(
            "SELECT id, title, body, first_type FROM incidents ORDER BY id"
        ).fetchall()
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        (version,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    assert after == before  # first_type filled from the terms as an import writes it
    assert any(row[3] for row in after)
    assert set(WORKBENCH_TABLES) | set(WORKBENCH_INDEXES) <= tables
    assert version == SCHEMA_HEAD == "0015"


def test_upgrade_from_0010_shares_collections_and_keeps_them(seeded_archive: Archive) -> None:
    """0011 adds the versions that shared renames name; collections made before stay."""
    from viewer.services import collections

    collections.add_to_collection(seeded_archive, "Before 0011", [1, 2])
    path = Path(seeded_archive.path)
    seeded_archive.close()
    upgrade(path, had_data=False, busy_timeout_ms=5000, target="0010", downgrade=True)
    with sqlite3.connect(path) as connection:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(collections)")}
    assert "version" not in columns
    with open_archive(path) as archive:
        (found,) = collections.collections_with_counts(archive)
        assert (found.name, found.count, found.version) == ("Before 0011", 2, 1)
        assert collections.rename_collection(archive, found.id, "After", 1) == ("Before 0011", 2)
