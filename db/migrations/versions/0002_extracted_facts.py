"""Extracted facts: perpetrators, list-valued terms, reactions, dated events, see-also links.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _child_table(name: str, *columns: sa.Column) -> None:  # type: ignore[type-arg]
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f(f"fk_{name}_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )
    op.create_index(op.f(f"ix_{name}_incident_id"), name, ["incident_id"])


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("date_precision", sa.String(), nullable=True))
        batch.add_column(sa.Column("country", sa.String(), nullable=True))
        batch.create_index(batch.f("ix_incidents_country"), ["country"])
    with op.batch_alter_table("infobox_fields") as batch:
        batch.add_column(sa.Column("field", sa.String(), nullable=True))
    _child_table(
        "perpetrators",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("suspected", sa.Boolean(), nullable=False),
    )
    op.create_index(op.f("ix_perpetrators_name"), "perpetrators", ["name"])
    _child_table(
        "incident_terms",
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
    )
    op.create_index("ix_incident_terms_kind_value", "incident_terms", ["kind", "value"])
    _child_table(
        "reactions",
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("actor_kind", sa.String(), nullable=False),
        sa.Column("speaker", sa.String(), nullable=True),
        sa.Column("role", sa.String(), nullable=True),
        sa.Column("stance", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(), nullable=True),
        sa.Column("country", sa.String(), nullable=True),
    )
    op.create_index(op.f("ix_reactions_actor"), "reactions", ["actor"])
    _child_table(
        "events",
        sa.Column("date", sa.String(), nullable=False),
        sa.Column("date_text", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(), nullable=True),
        sa.Column("relative", sa.Boolean(), nullable=False),
        sa.Column("precision", sa.String(), nullable=False),
    )
    op.create_index(op.f("ix_events_date"), "events", ["date"])
    _child_table(
        "see_also",
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("title_key", sa.String(), nullable=False),
    )
    op.create_index(op.f("ix_see_also_title_key"), "see_also", ["title_key"])


def downgrade() -> None:
    for table in ("see_also", "events", "reactions", "incident_terms", "perpetrators"):
        op.drop_table(table)
    with op.batch_alter_table("infobox_fields") as batch:
        batch.drop_column("field")
    with op.batch_alter_table("incidents") as batch:
        batch.drop_index(batch.f("ix_incidents_country"))
        batch.drop_column("country")
        batch.drop_column("date_precision")
