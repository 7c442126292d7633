"""Alembic environment: runs on the connection that db.migrate hands over."""

from alembic import context

from db.models import Base

FTS_PREFIX = "incident_fts"


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    # FTS5 virtual tables and their shadow tables are managed by hand in the migrations.
    return not (type_ == "table" and name and name.startswith(FTS_PREFIX))


def run_migrations_online() -> None:
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
