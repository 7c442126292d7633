"""The researcher's layer: tags, annotations, bookmarks and notes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _incident_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["incident_id"],
        ["incidents.id"],
        name=op.f(f"fk_{table}_incident_id_incidents"),
        ondelete="RESTRICT",
    )


def upgrade() -> None:
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("name_key", sa.String(), nullable=False),
        sa.Column("color", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
        sa.UniqueConstraint("name_key", name=op.f("uq_tags_name_key")),
    )
    op.create_table(
        "annotations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("quote", sa.String(), nullable=False),
        sa.Column("prefix", sa.String(), nullable=False),
        sa.Column("suffix", sa.String(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("color", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("orphaned", sa.Boolean(), nullable=False),
        sa.Column("anchored_by", sa.String(), nullable=True),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("modified_at", sa.String(), nullable=False),
        _incident_fk("annotations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annotations")),
        sa.UniqueConstraint("uuid", name=op.f("uq_annotations_uuid")),
    )
    op.create_index(op.f("ix_annotations_incident_id"), "annotations", ["incident_id"])
    op.create_table(
        "bookmarks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=True),
        sa.Column("quote", sa.String(), nullable=True),
        sa.Column("prefix", sa.String(), nullable=True),
        sa.Column("suffix", sa.String(), nullable=True),
        sa.Column("orphaned", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        _incident_fk("bookmarks"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bookmarks")),
    )
    op.create_index(op.f("ix_bookmarks_incident_id"), "bookmarks", ["incident_id"])
    op.create_table(
        "notes",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("format", sa.String(), nullable=False),
        sa.Column("modified_at", sa.String(), nullable=False),
        _incident_fk("notes"),
        sa.PrimaryKeyConstraint("incident_id", name=op.f("pk_notes")),
    )
    op.create_table(
        "incident_tags",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        _incident_fk("incident_tags"),
        sa.ForeignKeyConstraint(
            ["tag_id"],
            ["tags.id"],
            name=op.f("fk_incident_tags_tag_id_tags"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("incident_id", "tag_id", name=op.f("pk_incident_tags")),
    )
    op.create_index(op.f("ix_incident_tags_tag_id"), "incident_tags", ["tag_id"])
    op.create_table(
        "annotation_tags",
        sa.Column("annotation_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["annotation_id"],
            ["annotations.id"],
            name=op.f("fk_annotation_tags_annotation_id_annotations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"],
            ["tags.id"],
            name=op.f("fk_annotation_tags_tag_id_tags"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("annotation_id", "tag_id", name=op.f("pk_annotation_tags")),
    )
    op.create_index(op.f("ix_annotation_tags_tag_id"), "annotation_tags", ["tag_id"])


def downgrade() -> None:
    for table in ("annotation_tags", "incident_tags", "notes", "bookmarks", "annotations", "tags"):
        op.drop_table(table)
