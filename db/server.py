"""Opening a team archive on a PostgreSQL server: the URL, the connection pool, the checks
that it is ours and current, and upgrades (only by the role that owns the schema).

The password may be in the URL, in PGPASSWORD, in ~/.pgpass or in a libpq service file
(psycopg hands all of these to libpq); it is never part of what is shown or logged: every
message names the URL without it (`public_url`).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import URL, Connection, Engine, create_engine, make_url, text
from sqlalchemy.exc import ArgumentError, DBAPIError

from db.archive import Archive
from db.errors import ArchiveError, Condition, server_error_of
from db.models import TIMELINE_INDEX
from db.schema import SCHEMA_HEAD, SCHEMA_REVISIONS

# On PostgreSQL the timeline's covering index includes the id (migration 0014). Said here,
# where only a team archive comes, not in db/models.py: validating a PostgreSQL option loads
# SQLAlchemy's PostgreSQL dialect, 35-40 ms of every file archive's opening (issue 13).
TIMELINE_INDEX.dialect_options["postgresql"]["include"] = ["id"]

CONNECT_TIMEOUT_S = 5
DRIVER = "postgresql+psycopg"


def parse_url(location: str) -> URL:
    """The SQLAlchemy URL of a postgresql:// (or postgresql+psycopg://) --archive value."""
    try:
        url = make_url(location)
    except ArgumentError:
        raise ArchiveError(
            f"cannot use archive {location.split('@')[-1]}: not a usable URL"
        ) from None
    if url.get_backend_name() != "postgresql" or url.get_driver_name() not in ("psycopg", ""):
        raise ArchiveError(
            f"cannot use archive {public_url(url)}: only postgresql:// and "
            "postgresql+psycopg:// URLs name a team archive"
        )
    if url.drivername == "postgres":
        url = url.set(drivername="postgresql")
    return url.set(drivername=DRIVER)


def public_url(url: URL) -> str:
    """The URL as messages, settings and recent-archive lists show it: no password."""
    # URL.set() takes None as "unchanged": build it anew without the password
    shown = URL.create("postgresql", url.username, None, url.host, url.port, url.database)
    return shown.render_as_string(hide_password=False)


def make_engine(url: URL) -> Engine:
    """A pooled engine: a dead connection is noticed before use and replaced (the server
    restarted), and connecting gives up after CONNECT_TIMEOUT_S."""
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=4,
        max_overflow=4,
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": "incident-viewer",
        },
    )


def connect_error(shown: str, exc: BaseException) -> ArchiveError:
    """One line for a connection that could not be made (unreachable, wrong password,
    unknown role or database): libpq's own reason, which never holds the password."""
    error = server_error_of(exc) or exc
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    reason = lines[0] if lines else type(error).__name__
    reason = reason.removeprefix("connection failed: ")
    return ArchiveError(f"cannot open team archive {shown}: {reason}", Condition.CANNOT_OPEN)


def _state(connection: Connection) -> tuple[str | None, bool, bool, str]:
    """(schema revision or None, whether this role owns the schema, may it write, the
    role's name)."""
    found, user = connection.execute(
        text("SELECT to_regclass('alembic_version') IS NOT NULL, current_user")
    ).one()
    if not found:
        return None, False, False, str(user)
    revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    owner, writer = connection.execute(
        text(
            "SELECT pg_has_role(c.relowner, 'MEMBER'), has_table_privilege('incidents', 'INSERT') "
            "FROM pg_class c WHERE c.oid = 'alembic_version'::regclass"
        )
    ).one()
    return revision, bool(owner), bool(writer), str(user)


def open_server(location: str, *, initialize: bool = False) -> Archive:
    """Open the team archive at a postgresql:// URL; with initialize, create its schema
    first when the database is empty (`team init`)."""
    url = parse_url(location)
    shown = public_url(url)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            revision, owner, writer, user = _state(connection)
    except DBAPIError as exc:
        engine.dispose()
        raise connect_error(shown, exc) from None
    try:
        if revision is None and not initialize:
            raise ArchiveError(f"{shown} is not an incident archive (run team init)")
        if revision is not None and revision not in SCHEMA_REVISIONS:
            raise ArchiveError(
                f"cannot use archive {shown}: it was made by a newer version of Incident "
                f"Archive Viewer (schema {revision}); install that version or a later one"
            )
        if revision != SCHEMA_HEAD:
            if revision is not None and not owner:
                raise ArchiveError(
                    f"cannot use archive {shown}: it needs a schema upgrade (to {SCHEMA_HEAD}) "
                    "that only its owner may run; ask the owner to open it once"
                )
            from db.migrate import upgrade_server  # Alembic only when an upgrade is due

            upgrade_server(engine)
            with engine.connect() as connection:
                revision, owner, writer, user = _state(connection)
    except BaseException:
        engine.dispose()
        raise
    reason = "" if writer else "this role may read the team archive but not change it"
    return Archive(
        Path(url.database or "archive"),
        engine,
        writable=writer,
        location=shown,
        read_only_reason=reason,
        user=user,
    )
