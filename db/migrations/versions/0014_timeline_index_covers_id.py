"""A team archive's timeline index covers the incident's id (PostgreSQL INCLUDE), so that
the timeline's buckets (which name one member of each) are read from the index alone.

SQLite's indexes hold the rowid already, so on SQLite this revision changes nothing. On
PostgreSQL ix_incidents_timeline lacked the id, and every bucket of the fit-all window read
the wide incident rows from the heap: at 20,000 synthetic incidents the bucket query read
19,945 buffers in 36.5 ms; with the id included it reads 598 in 13.8 ms (an index-only
scan, after VACUUM), and at 100,000 the heap reads are what made the window take 1.17 s.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_COLUMNS = [
    "date_start", "date_end", "fatalities_min", "fatalities_max", "fatalities_open",
    "country", "lane_perpetrator", "lane_place",
]  # fmt: skip


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_incidents_timeline", table_name="incidents")
    op.create_index("ix_incidents_timeline", "incidents", _COLUMNS, postgresql_include=["id"])


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_incidents_timeline", table_name="incidents")
    op.create_index("ix_incidents_timeline", "incidents", _COLUMNS)
