"""Collections and saved searches shared like tags: a version on each (a rename names the
version it started from, so that two editors renaming at once do not overwrite each other),
and on a team archive the notifications that keep every window's sidebar counts live.

The tables themselves came with 0009 (the workbench's revision). On a team archive (one
that `team init` gave roles: a team_roles table) this adds statement-level triggers on
collections, collection_items and saved_searches calling the archive_changed() function
team init made, as db/live.py's notify_statements() does for a new team archive.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_VERSIONED = ("collections", "saved_searches")
_WATCHED = ("collections", "collection_items", "saved_searches")


def _team_archive() -> bool:
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return False
    found = connection.execute(
        sa.text(
            "SELECT to_regclass('team_roles') IS NOT NULL "
            "AND to_regproc('archive_changed') IS NOT NULL"
        )
    ).scalar()
    return bool(found)


def upgrade() -> None:
    for table in _VERSIONED:  # a plain ADD COLUMN: both engines do it in place
        op.add_column(
            table, sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1"))
        )
    if _team_archive():
        for table in _WATCHED:
            op.execute(sa.text(f"DROP TRIGGER IF EXISTS {table}_changed ON {table}"))
            op.execute(
                sa.text(
                    f"CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE ON {table} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION archive_changed()"
                )
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in _WATCHED:
            op.execute(sa.text(f"DROP TRIGGER IF EXISTS {table}_changed ON {table}"))
    for table in _VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
