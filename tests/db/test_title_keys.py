"""Migration 0007: stored title keys recomputed with the look-alike-proof rule, without
merging or losing anything."""

from __future__ import annotations

import sqlite3
import unicodedata
from pathlib import Path

from db import Archive, open_archive
from db.migrate import upgrade
from tests.db.schema_history import undo_0009
from viewer.parsing import title_key


def test_upgrade_recomputes_keys_and_keeps_both_of_a_look_alike_pair(
    seeded_archive: Archive,
) -> None:
    path = Path(seeded_archive.path)
    seeded_archive.close()
    upgrade(path, had_data=False, busy_timeout_ms=5000, target="0009", downgrade=True)  # 0010
    nfd = unicodedata.normalize("NFD", "Café bombing")
    with sqlite3.connect(path) as connection:  # as revision 0006 would have stored them
        connection.execute(
            "UPDATE incidents SET title = ?, title_key = ? WHERE id = 1", (nfd, nfd.casefold())
        )
        connection.execute(
            "UPDATE incidents SET title = ?, title_key = ? WHERE id = 2",
            ("Café bombing", "café bombing"),
        )
        connection.execute(
            "INSERT INTO see_also (incident_id, position, title, title_key) VALUES (1, 99, ?, ?)",
            ("Ｆｕｌｌ attack", "ｆｕｌｌ attack"),
        )
        undo_0009(connection)
        connection.execute("UPDATE alembic_version SET version_num = '0006'")
    with open_archive(path) as archive, archive.raw_connection() as connection:
        keys = dict(connection.execute("SELECT id, title_key FROM incidents").fetchall())
        (link,) = connection.execute(
            "SELECT title_key FROM see_also WHERE position = 99"
        ).fetchone()
    # both kept: the one whose key was already the new one keeps it, the other its old key
    assert keys[2] == "café bombing" == title_key(nfd)
    assert keys[1] == nfd.casefold()
    assert link == "full attack"
    backups = list(path.parent.glob(f"{path.name}.before-upgrade-*.bak"))
    assert backups
