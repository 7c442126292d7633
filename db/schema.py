"""The schema revisions this program knows, oldest first, without importing Alembic.

Opening an archive compares its revision with these in one cheap query; Alembic is imported
only when an upgrade is due. A test checks this list against the migration scripts.
"""

SCHEMA_REVISIONS: tuple[str, ...] = (
    "0001", "0002", "0003", "0004", "0005", "0006", "0007", "0009", "0010", "0011", "0013",
    "0014", "0015",
)  # fmt: skip
SCHEMA_HEAD = SCHEMA_REVISIONS[-1]
