"""Authorship and versions: who wrote each annotation, bookmark and note, and a version
number on what several people can change at once (annotations, notes, tags).

A team archive fills `author` from the session's role (the server's CURRENT_USER, so that a
client cannot write another's name); a personal archive from the login name, and the rows
already there get the login name of whoever upgrades it (it was theirs). Notes become one
per incident and author.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

import getpass

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_AUTHORED = ("annotations", "bookmarks", "notes")
_VERSIONED = ("annotations", "notes", "tags")


def _login() -> str:
    try:
        return getpass.getuser() or "me"
    except (OSError, KeyError):
        return "me"


def upgrade() -> None:
    server = op.get_bind().dialect.name == "postgresql"
    author_default = sa.text("CURRENT_USER") if server else sa.text("''")
    for table in ("annotations", "bookmarks", "notes", "tags"):
        columns = []
        if table in _AUTHORED:
            columns.append(
                sa.Column("author", sa.String(), nullable=False, server_default=author_default)
            )
        if table in _VERSIONED:
            columns.append(
                sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1"))
            )
        for column in columns:  # a plain ADD COLUMN: both engines do it in place
            op.add_column(table, column)
        if table in _AUTHORED and not server:
            op.execute(sa.text(f"UPDATE {table} SET author = :login").bindparams(login=_login()))
    with op.batch_alter_table("notes", recreate="always" if not server else "auto") as batch:
        batch.drop_constraint("pk_notes", type_="primary")
        batch.create_primary_key("pk_notes", ["incident_id", "author"])
    op.create_index("ix_annotations_author", "annotations", ["author"])


def downgrade() -> None:
    op.drop_index("ix_annotations_author", table_name="annotations")
    with op.batch_alter_table("notes") as batch:
        batch.drop_constraint("pk_notes", type_="primary")
        batch.create_primary_key("pk_notes", ["incident_id"])
    for table in _VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
    for table in _AUTHORED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("author")
