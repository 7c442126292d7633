"""Opening an archive file: checks, connection settings, and schema upgrades on open."""

from __future__ import annotations

import contextlib
import getpass
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool, StaticPool

from db.errors import (
    ArchiveDamaged,
    ArchiveError,
    Condition,
    archive_error,
    is_marked_damaged,
    mark_damaged,
    raise_if_known,
)
from db.locations import BUSY_TIMEOUT_MS, SQLITE_MAGIC, read_only_uri
from db.locations import is_server_url as is_server_url
from db.locations import on_read_only_mount as on_read_only_mount
from db.locations import public_location as public_location
from db.schema import SCHEMA_HEAD, SCHEMA_REVISIONS
from db.turns import WriteTurns

__all__ = ["Archive", "ArchiveError", "archive_error", "open_archive"]


def _apply_pragmas(dbapi_connection: sqlite3.Connection, writable: bool) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    if writable:
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _inspect_existing(path: Path, immutable: bool) -> str | None:
    """Return the schema revision of an existing file, refusing anything that is not ours.

    Reads with a read-only connection so that a file we refuse is left byte-for-byte as it was.
    """
    if path.is_dir():
        raise ArchiveError(f"cannot use archive {path}: it is a folder, not an archive file")
    if not os.access(path, os.R_OK):
        raise ArchiveError(f"cannot use archive {path}: permission denied (it is not readable)")
    size = path.stat().st_size
    if size == 0:
        return None
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_MAGIC))
    if header != SQLITE_MAGIC:
        raise ArchiveError(
            f"cannot use archive {path}: it is not an Incident Archive Viewer archive "
            "(not a SQLite database)"
        )
    try:
        connection = sqlite3.connect(read_only_uri(path, immutable=immutable), uri=True)
        try:
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if not tables:
                return None
            if "alembic_version" not in tables:
                raise ArchiveError(
                    f"cannot use archive {path}: it is a SQLite database but not an "
                    "Incident Archive Viewer archive"
                )
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise_if_known(path, exc)
        raise
    return row[0] if row else None


# SQLite's own default: a commit that leaves the write-ahead log longer than this many pages
# copies it into the archive file (a checkpoint, with its fsyncs) before it returns.
AUTOCHECKPOINT_PAGES = 1000


def _set_autocheckpoint(connection: Connection, pages: int) -> None:
    connection.connection.dbapi_connection.execute(  # type: ignore[union-attr]
        f"PRAGMA wal_autocheckpoint = {int(pages)}"
    ).close()


def checkpoint(connection: Connection) -> None:
    """Copy what the write-ahead log holds into the archive file as far as no reader needs it
    still (SQLite's PASSIVE checkpoint: it waits for no lock and blocks no writer). A bulk
    writer calls it between its batches, after its turn at the write lock."""
    if connection.dialect.name == "sqlite" and not connection.in_transaction():
        connection.connection.dbapi_connection.execute(  # type: ignore[union-attr]
            "PRAGMA wal_checkpoint(PASSIVE)"
        ).close()


# An execution option on a connection that is about to write: its transaction starts with
# BEGIN IMMEDIATE on SQLite (the write lock first, so a busy archive waits its turn instead of
# failing half-way with a lock upgrade that cannot wait).
WRITE_OPTION = "archive_write"


class Archive:
    """An open archive: a SQLAlchemy engine (its connections pooled and reused) plus the
    place it was opened from.

    writable is False for an archive opened read-only (no permission to write it or its
    folder, or on read-only media, where it is opened immutable). damage is what the last
    integrity check found (None until one has run): writes to a damaged archive are refused.
    A team archive (PostgreSQL) says where it is in location (its URL without the password)
    and who writes in user; its server decides what may be written.
    """

    def __init__(
        self,
        path: Path,
        engine: Engine,
        *,
        writable: bool,
        immutable: bool = False,
        location: str | None = None,
        read_only_reason: str = "",
        user: str | None = None,
    ) -> None:
        self.path = path
        self.engine = engine
        self.writable = writable
        self.immutable = immutable
        self.damage: list[str] | None = None
        # what messages name: the file, or a team archive's URL without its password
        self.location = location or str(path)
        # why a team archive cannot be changed by this role (empty when it can)
        self.read_only_reason = read_only_reason
        # the author of what is written here: a team archive's role, else the login name
        # (or --user NAME)
        self.user = user or login_name()
        # this program's writers take turns at SQLite's write lock: a short change goes
        # between two articles of an import instead of polling for the lock behind a batch
        self.turns = WriteTurns(BUSY_TIMEOUT_MS / 1000)
        # bulk writers (an import, a reindex) running in this program: while there is one,
        # no commit checkpoints by itself (it would copy the bulk writer's pages into the
        # file, fsyncs and all, inside a short change's time or inside the bulk writer's
        # turn); the bulk writer checkpoints between its batches instead (checkpoint())
        self._bulk_writers = 0
        self._bulk_lock = threading.Lock()
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def name(self) -> str:
        return self.path.stem if not self.is_team else self.location.rsplit("/", 1)[-1]

    @property
    def is_team(self) -> bool:
        """A team archive on a PostgreSQL server (else a SQLite file)."""
        return self.engine.dialect.name == "postgresql"

    @property
    def dialect(self) -> str:
        """The engine's name: "sqlite" or "postgresql"."""
        return self.engine.dialect.name

    def session(self) -> Session:
        return self._sessions()

    def connect(self) -> sqlite3.Connection:
        """A plain sqlite3 connection in autocommit mode with the engine's settings."""
        if self.writable:
            connection = sqlite3.connect(
                str(self.path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
            )
        else:
            connection = sqlite3.connect(
                read_only_uri(self.path, immutable=self.immutable),
                uri=True,
                isolation_level=None,
                timeout=BUSY_TIMEOUT_MS / 1000,
            )
        _apply_pragmas(connection, self.writable)
        return connection

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A pooled connection for reading (one snapshot until the block ends)."""
        try:
            with self.engine.connect() as connection:
                yield connection
        except (DBAPIError, sqlite3.Error) as exc:
            raise_if_known(self.location, exc)
            raise

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A pooled connection in one write transaction, committed when the block ends
        (rolled back if it raises). A known storage condition becomes an ArchiveError; an
        archive opened read-only or found damaged refuses before anything is begun. On SQLite
        it waits for its turn (self.turns): a running import gives way between articles."""
        self.refuse_writes()
        try:
            with self.write_turn(), self.engine.connect() as connection:
                connection = connection.execution_options(**{WRITE_OPTION: True})
                with self._short_commits(connection), connection.begin():
                    yield connection
        except (DBAPIError, sqlite3.Error) as exc:
            raise_if_known(self.location, exc)
            raise

    @contextmanager
    def _short_commits(self, connection: Connection) -> Iterator[None]:
        """While a bulk writer of this program runs, a short change's commit does not
        checkpoint (the bulk writer does, between its batches): it would copy the bulk
        writer's pages into the file, fsyncs and all, in the change's time."""
        deferred = self._bulk_writers > 0 and not self.is_team
        if deferred:
            _set_autocheckpoint(connection, 0)
        try:
            yield
        finally:
            if deferred:
                with contextlib.suppress(sqlite3.Error, DBAPIError):
                    _set_autocheckpoint(connection, AUTOCHECKPOINT_PAGES)

    @contextmanager
    def write_session(self) -> Iterator[Session]:
        """An ORM session inside one write() transaction (this program's turn at the write
        lock, BEGIN IMMEDIATE), committed when the block ends: for changes written through
        the ORM (corrections, sources, bulk tagging), which then give way to no import and
        never fail half-way on a lock upgrade."""
        with self.write() as connection, Session(bind=connection) as session:
            yield session
            session.commit()  # flushes into write()'s transaction, which commits it

    def write_turn(self) -> AbstractContextManager[None]:
        """This program's turn at the write lock, for writers that begin their own
        transactions (reindexing one incident). A team archive's server locks rows, not the
        whole archive: no turns to take."""
        return nullcontext() if self.is_team else self.turns.turn()

    @contextmanager
    def bulk(self, *, short: bool = False) -> Iterator[Connection]:
        """A pooled connection outside any transaction, for writers that commit in batches
        of their own (the importer: ArchiveWriter begins its transactions as writes). While
        it is out, SQLite's own checkpoints are off: the writer calls checkpoint() between
        its batches, outside its turn at the write lock, and once more at the end.

        short: for one short transaction instead (rewriting one incident after a correction):
        it takes this program's turn at the write lock, as write() does."""
        try:
            if short:
                with (
                    self.write_turn(),
                    self.engine.connect() as connection,
                    self._short_commits(connection),
                ):
                    yield connection.execution_options(**{WRITE_OPTION: True})
                return
            with self.engine.connect() as connection:
                with self._batch_commits(connection):
                    yield connection.execution_options(**{WRITE_OPTION: True})
                if self.writable and not self.is_team:
                    checkpoint(connection)
        except (DBAPIError, sqlite3.Error) as exc:
            raise_if_known(self.location, exc)
            raise

    @contextmanager
    def _batch_commits(self, connection: Connection) -> Iterator[None]:
        """A bulk writer's connection: no checkpoint at its commits, nor at the short
        changes' commits meanwhile (_short_commits)."""
        if not self.writable or self.is_team:
            yield
            return
        _set_autocheckpoint(connection, 0)
        with self._bulk_lock:
            self._bulk_writers += 1
        try:
            yield
        finally:
            with self._bulk_lock:
                self._bulk_writers -= 1
            # after an error too (the connection goes back to the pool), if it can
            with contextlib.suppress(sqlite3.Error, DBAPIError):
                _set_autocheckpoint(connection, AUTOCHECKPOINT_PAGES)

    @contextmanager
    def raw_connection(self) -> Iterator[sqlite3.Connection]:
        """A plain sqlite3 connection in autocommit mode, for bulk writes that manage
        their own transactions (the importer). Same pragmas as the engine's connections."""
        connection = self.connect()
        try:
            yield connection
        finally:
            connection.close()

    def check_integrity(self) -> list[str]:
        """Run SQLite's quick check (every page read once; about 0.6 s per 20,000
        articles) and remember what it found; an empty list means sound."""
        if self.is_team:  # the server keeps its own pages sound
            self.damage = []
            return self.damage
        from db.integrity import quick_check

        self.damage = quick_check(self)
        if self.damage:
            mark_damaged(self.path)
        return self.damage

    def refuse_if_damaged(self) -> None:
        """ArchiveDamaged if a check, or an error while reading, found the file damaged."""
        if self.is_team:
            return
        if self.damage or is_marked_damaged(self.path):
            raise ArchiveDamaged(self.path)

    def refuse_writes(self) -> None:
        """Raise the ArchiveError that says why nothing may be written, if anything does:
        opened read-only, or found damaged (by a check or by an error while reading). On a
        team archive the server alone decides (a reader's change is refused there)."""
        if self.is_team:
            return
        self.refuse_if_damaged()
        if not self.writable:
            where = "read-only media" if self.immutable else "a place this user cannot write"
            raise ArchiveError(
                f"archive {self.path} is open read-only (it is on {where}); changes cannot "
                "be saved: copy it to a writable place to change it",
                Condition.READ_ONLY,
            )

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def over_sqlite_connection(raw: sqlite3.Connection) -> Iterator[Connection]:
    """A SQLAlchemy connection on a plain sqlite3 connection in autocommit mode (a file being
    built or recovered), for the writers of db/ that take one; raw stays open."""
    engine = create_engine("sqlite://", creator=lambda: raw, poolclass=StaticPool)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    with engine.connect() as connection:
        yield connection.execution_options(**{WRITE_OPTION: True})


def _make_engine(path: Path, writable: bool, immutable: bool) -> Engine:
    if writable:
        engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    else:
        uri = read_only_uri(path, immutable=immutable)  # percent-encoded: any file name
        engine = create_engine(
            "sqlite://",
            creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
            poolclass=QueuePool,
        )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        _apply_pragmas(dbapi_connection, writable)
        # The driver's own transaction handling begins transactions late and cannot hold a
        # SAVEPOINT; we begin them ourselves (SQLAlchemy's documented recipe for pysqlite).
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate and writable else "BEGIN")

    return engine


def login_name() -> str:
    """Who writes to a personal archive when no --user is given."""
    try:
        return getpass.getuser() or "me"
    except (OSError, KeyError):  # no login name in this environment
        return "me"


def open_archive(
    path: str | os.PathLike[str], *, create: bool = True, user: str | None = None
) -> Archive:
    """Open (and if needed create or upgrade) the archive at path, or the team archive a
    postgresql:// URL names (never created here: `team init` does that).

    Raises ArchiveError with a message for the user when the file cannot be used;
    a file that is refused is not modified. An archive that cannot be written (permissions,
    read-only media) is opened read-only.
    """
    if is_server_url(path):
        from db.server import open_server  # psycopg is loaded only for team archives

        return open_server(str(path))
    path = Path(path).expanduser()
    exists = path.exists()
    read_only_media = exists and on_read_only_mount(path)
    revision = _inspect_existing(path, read_only_media) if exists else None
    if not exists:
        if not create:
            raise ArchiveError(f"cannot use archive {path}: no such file")
        if not path.parent.is_dir():
            raise ArchiveError(
                f"cannot create archive {path}: the folder {path.parent} does not exist"
            )
        if on_read_only_mount(path.parent):
            raise ArchiveError(
                f"cannot create archive {path}: the folder is on read-only media",
                Condition.READ_ONLY,
            )
    if revision is not None and revision not in SCHEMA_REVISIONS:
        raise ArchiveError(
            f"cannot use archive {path}: it was made by a newer version of Incident Archive "
            f"Viewer (schema {revision}); install that version or a later one to open it"
        )
    writable = (
        not read_only_media
        and os.access(path.parent, os.W_OK)
        and (not exists or os.access(path, os.W_OK))
    )
    if not writable and revision != SCHEMA_HEAD:
        raise ArchiveError(
            f"cannot use archive {path}: it is read-only and made by an older version, and "
            "opening it needs a schema upgrade; copy it to a writable place first",
            Condition.READ_ONLY,
        )
    if writable:
        return _open_writable(path, revision, user)
    try:
        return _open_read_only(path, immutable=read_only_media, user=user)
    except ArchiveError as error:
        if read_only_media or error.condition is Condition.DAMAGED:
            raise
        # A WAL archive in a folder this user cannot write: its -shm cannot be made, so
        # SQLite reads it only as an immutable snapshot (nobody with our rights writes it).
        return _open_read_only(path, immutable=True, user=user)


def _open_writable(path: Path, revision: str | None, user: str | None) -> Archive:
    engine = _make_engine(path, True, False)
    try:
        if revision != SCHEMA_HEAD:
            from db.migrate import upgrade  # Alembic is slow to import: only when needed.

            upgrade(
                path,
                had_data=revision is not None,
                busy_timeout_ms=BUSY_TIMEOUT_MS,
                on_connect=lambda connection: _apply_pragmas(connection, True),
            )
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1 FROM incidents LIMIT 1")
    except Exception as exc:
        engine.dispose()
        raise_if_known(path, exc)
        raise  # a bug (a migration failing, say): the crash handler logs it
    return Archive(path, engine, writable=True, user=user)


def _open_read_only(path: Path, *, immutable: bool, user: str | None) -> Archive:
    engine = _make_engine(path, False, immutable)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1 FROM incidents LIMIT 1")
    except Exception as exc:
        engine.dispose()
        raise_if_known(path, exc)
        raise
    return Archive(path, engine, writable=False, immutable=immutable, user=user)
