"""A covering index for `list`: every incident in date order (undated last, then by title)
with the columns the listing shows, read from the index alone.

The listing scanned the wide incidents table (each row carries the article body) and sorted
it in a temporary B-tree: at 100,000 incidents it read the whole table. It now reads the
dated incidents and then the undated ones (db.queries.list_incidents), each in this index's
order (date_start, title_key), so that nothing is sorted and no row is read.

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-02
"""

from alembic import op

revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None

COLUMNS = [
    "date_start", "title_key", "id", "title", "date_end", "location_text", "fatalities_min",
    "fatalities_max", "fatalities_open",
]  # fmt: skip


def upgrade() -> None:
    op.create_index("ix_incidents_list", "incidents", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_incidents_list", table_name="incidents")
