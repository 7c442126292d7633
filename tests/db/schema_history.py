"""Archives as older revisions left them, for the upgrade tests: each function takes back
one revision's changes by hand (the migrations' own downgrades are not shipped paths)."""

from __future__ import annotations

import sqlite3

WORKBENCH_INDEXES = (
    "ix_incidents_lane_place", "ix_incidents_lane_perpetrator", "ix_incidents_fatalities",
    "ix_incidents_injuries", "ix_incidents_first_type",
)  # fmt: skip
WORKBENCH_TABLES = (
    "saved_searches",
    "collection_items",
    "collections",
    "citations",
    "corrections",
)


def undo_0009(connection: sqlite3.Connection) -> None:
    """The archive as revision 0007 left it (before the workbench)."""
    for index in WORKBENCH_INDEXES:
        connection.execute(f"DROP INDEX {index}")
    for table in WORKBENCH_TABLES:
        connection.execute(f"DROP TABLE {table}")
    for column in ("url", "site", "page_title", "revised_at"):
        connection.execute(f"ALTER TABLE sources DROP COLUMN {column}")
    connection.execute("ALTER TABLE incidents DROP COLUMN first_type")
