"""Attackers killed counted apart from the toll, and where a perpetrator was read from.

GTD separates nkill (everyone the incident killed) from nkillter (the attackers among them);
`23 (including the assailant)` is 23 fatalities of whom 1 perpetrator. A perpetrator read
from the text rather than an infobox field keeps the words it came from (evidence), so the
reader can show why.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("perpetrators_killed_min", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("perpetrators_killed_max", sa.Integer(), nullable=True))
    with op.batch_alter_table("perpetrators") as batch:
        batch.add_column(sa.Column("evidence", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("perpetrators") as batch:
        batch.drop_column("evidence")
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("perpetrators_killed_max")
        batch.drop_column("perpetrators_killed_min")
