"""The archive core: incidents, sections, infobox fields, sources and the full-text index.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("title_key", sa.String(), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("date_start", sa.String(), nullable=True),
        sa.Column("date_end", sa.String(), nullable=True),
        sa.Column("date_text", sa.String(), nullable=True),
        sa.Column("location_text", sa.String(), nullable=True),
        sa.Column("fatalities_min", sa.Integer(), nullable=True),
        sa.Column("fatalities_max", sa.Integer(), nullable=True),
        sa.Column("fatalities_open", sa.Boolean(), nullable=False),
        sa.Column("fatalities_text", sa.String(), nullable=True),
        sa.Column("injuries_min", sa.Integer(), nullable=True),
        sa.Column("injuries_max", sa.Integer(), nullable=True),
        sa.Column("injuries_open", sa.Boolean(), nullable=False),
        sa.Column("injuries_text", sa.String(), nullable=True),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("updated_at", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
        sa.UniqueConstraint("title_key", name=op.f("uq_incidents_title_key")),
    )
    op.create_index(op.f("ix_incidents_date_start"), "incidents", ["date_start"])
    op.create_table(
        "sections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("heading", sa.String(), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("heading_start", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_sections_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sections")),
        sa.UniqueConstraint(
            "incident_id", "position", name=op.f("uq_sections_incident_id_position")
        ),
    )
    op.create_table(
        "infobox_fields",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.Column("markup", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_infobox_fields_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_infobox_fields")),
        sa.UniqueConstraint(
            "incident_id", "position", name=op.f("uq_infobox_fields_incident_id_position")
        ),
    )
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(), nullable=False),
        sa.Column("format", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("raw_text", sa.String(), nullable=False),
        sa.Column("imported_at", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_sources_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
        sa.UniqueConstraint("incident_id", name=op.f("uq_sources_incident_id")),
    )
    op.create_index("ix_sources_path", "sources", ["path"])
    # Full-text index over title, body and (from the research layer on) notes; rowid is the
    # incident id. It keeps its own copy of the text so that updates and deletes never need
    # the old values. db/fts.py keeps it in step (not triggers: FTS5 flushes its pending
    # data at every savepoint and trigger sub-statement, which made imports 4x slower).
    if op.get_bind().dialect.name == "postgresql":
        # A team archive's index: the same table and columns (rowid is the incident id),
        # with a weighted tsvector (title A, body B, notes C) the server keeps in step and a
        # GIN index on it. Its configuration, like FTS5's unicode61 with remove_diacritics,
        # folds case and accents and neither stems nor drops stop words.
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        op.execute("CREATE TEXT SEARCH CONFIGURATION incident_text (COPY = simple)")
        op.execute(
            "ALTER TEXT SEARCH CONFIGURATION incident_text "
            "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple"
        )
        op.execute(
            "CREATE TABLE incident_fts ("
            "rowid integer PRIMARY KEY REFERENCES incidents (id) ON DELETE CASCADE, "
            "title text NOT NULL DEFAULT '', body text NOT NULL DEFAULT '', "
            "notes text NOT NULL DEFAULT '', "
            "document tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('incident_text'::regconfig, title), 'A') || "
            "setweight(to_tsvector('incident_text'::regconfig, body), 'B') || "
            "setweight(to_tsvector('incident_text'::regconfig, notes), 'C')) STORED)"
        )
        op.execute("CREATE INDEX ix_incident_fts_document ON incident_fts USING gin (document)")
        return
    op.execute(
        "CREATE VIRTUAL TABLE incident_fts USING fts5("
        "title, body, notes, tokenize = 'unicode61 remove_diacritics 2')"
    )


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS incident_fts")
    op.drop_index("ix_sources_path", table_name="sources")
    op.drop_table("sources")
    op.drop_table("infobox_fields")
    op.drop_table("sections")
    op.drop_index(op.f("ix_incidents_date_start"), table_name="incidents")
    op.drop_table("incidents")
