"""A team archive's roles, enforced by PostgreSQL itself: two group roles per archive
(readers, editors), GRANTs on the tables, row-level security on what each person writes.

- Readers may SELECT everything; any change is refused by the server.
- Editors may import, tag, annotate, write notes and bookmark: INSERT/UPDATE/DELETE on the
  tables, but on annotations, notes and bookmarks only rows whose author is their own role
  (policies; the author column defaults to CURRENT_USER). Re-importing an article moves
  every annotation's anchor, so an editor may update another's annotation, but a trigger
  refuses any change there except to the anchor (quote, context, offsets, orphaned).
- Tags are shared: any editor may create, rename, merge or recolour them.
- The owner (who ran `team init`) owns the tables, bypasses the policies, and alone runs
  schema upgrades and `team add/remove`.

Passwords travel to the server only as a SCRAM-SHA-256 verifier computed here (as psql's
\\password does), so that no statement, log line or pg_stat_activity row holds one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass

from sqlalchemy import Connection, text

from db.archive import Archive
from db.errors import ArchiveError
from db.live import notify_statements

ROLES = ("reader", "editor")
_AUTHORED = ("annotations", "notes", "bookmarks")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,62}$")


@dataclass(frozen=True)
class Member:
    name: str
    role: str  # "reader" or "editor"


def group_names(database: str) -> tuple[str, str]:
    """The readers' and the editors' group role `team init` creates for a database."""
    base = re.sub(r"[^a-z0-9_]", "_", database.lower())[:40]
    return f"{base}_readers", f"{base}_editors"


# The group roles are named once, at `team init`, and kept in the archive: a copy of the
# database (CREATE DATABASE ... TEMPLATE, pg_dump and restore) keeps the same groups.
_TEAM_TABLE = "CREATE TABLE IF NOT EXISTS team_roles (readers text NOT NULL, editors text NOT NULL)"


def group_roles(connection: Connection) -> tuple[str, str]:
    """The readers' and the editors' group role of this team archive."""
    if not connection.execute(text("SELECT to_regclass('team_roles') IS NOT NULL")).scalar():
        raise ArchiveError("this archive has no team roles yet (run team init)")
    row = connection.execute(text("SELECT readers, editors FROM team_roles")).one()
    return str(row[0]), str(row[1])


def quote_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise ArchiveError(
            f"cannot use {name!r} as a role name: letters, digits, _ . - (at most 63), "
            "starting with a letter or _"
        )
    return name


def scram_verifier(password: str, iterations: int = 4096) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802, 7677)."""
    normalized = unicodedata.normalize("NFKC", password)  # SASLprep's mapping, near enough
    salt = secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", normalized.encode("utf-8"), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()
    salt64, stored64, server64 = (
        base64.b64encode(raw).decode("ascii") for raw in (salt, stored_key, server_key)
    )
    return f"SCRAM-SHA-256${iterations}:{salt64}${stored64}:{server64}"


def _database(connection: Connection) -> str:
    return str(connection.execute(text("SELECT current_database()")).scalar_one())


def _role_exists(connection: Connection, name: str) -> bool:
    return bool(
        connection.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name}
        ).first()
    )


# Another's row may change only where a re-import re-anchors it; the columns listed stay.
_ANCHOR_ONLY = """
CREATE OR REPLACE FUNCTION {table}_anchor_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.author <> current_user
       AND NOT pg_has_role(current_user, (SELECT relowner FROM pg_class
                                          WHERE oid = '{table}'::regclass), 'MEMBER')
       AND ({new}) IS DISTINCT FROM ({old})
    THEN
        RAISE EXCEPTION '{table} row % belongs to %; % may change only its anchor',
            OLD.id, OLD.author, current_user USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END $$
"""
_KEPT_COLUMNS = {
    "annotations": ("author", "uuid", "incident_id", "color", "note", "created_at"),
    "bookmarks": ("author", "incident_id", "label", "created_at"),
}


def _anchor_only(table: str) -> list[str]:
    kept = _KEPT_COLUMNS[table]
    function = _ANCHOR_ONLY.format(
        table=table,
        new=", ".join(f"NEW.{c}" for c in kept),
        old=", ".join(f"OLD.{c}" for c in kept),
    )
    return [
        function,
        f"DROP TRIGGER IF EXISTS {table}_anchor_only ON {table}",
        f"CREATE TRIGGER {table}_anchor_only BEFORE UPDATE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_anchor_only()",
    ]


def initialize(archive: Archive) -> tuple[str, str]:
    """Create the group roles, grants and policies of a freshly created team archive (its
    schema is made by open_server(initialize=True)); returns the two group roles."""
    with archive.write() as connection:
        readers, editors = group_names(_database(connection))
        connection.execute(text(_TEAM_TABLE))
        connection.execute(text("DELETE FROM team_roles"))
        connection.execute(
            text("INSERT INTO team_roles VALUES (:readers, :editors)"),
            {"readers": readers, "editors": editors},
        )
        for group in (readers, editors):
            if not _role_exists(connection, group):
                connection.execute(text(f"CREATE ROLE {quote_name(group)} NOLOGIN"))
        r, e = quote_name(readers), quote_name(editors)
        statements = [
            f"GRANT {r} TO {e}",
            "REVOKE ALL ON SCHEMA public FROM PUBLIC",
            f"GRANT USAGE ON SCHEMA public TO {r}",
            f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {r}",
            f"GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {e}",
            f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {e}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {e}",
            # tables and sequences a later upgrade adds get the same rights
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {r}",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
            f"GRANT INSERT, UPDATE, DELETE ON TABLES TO {e}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {e}",
            *_anchor_only("annotations"),
            *_anchor_only("bookmarks"),
            *notify_statements(),  # every open window hears of every committed change
        ]
        for table in _AUTHORED:
            anyone = "true" if table in _KEPT_COLUMNS else "author = current_user"
            statements += [
                f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
                f"DROP POLICY IF EXISTS everyone_reads ON {table}",
                f"CREATE POLICY everyone_reads ON {table} FOR SELECT USING (true)",
                f"DROP POLICY IF EXISTS own_rows_added ON {table}",
                f"CREATE POLICY own_rows_added ON {table} FOR INSERT "
                "WITH CHECK (author = current_user)",
                f"DROP POLICY IF EXISTS own_rows_removed ON {table}",
                f"CREATE POLICY own_rows_removed ON {table} FOR DELETE "
                "USING (author = current_user)",
                f"DROP POLICY IF EXISTS own_rows_changed ON {table}",
                # annotations and bookmarks: anyone's, for re-anchoring on a re-import; the
                # trigger keeps everything else theirs
                f"CREATE POLICY own_rows_changed ON {table} FOR UPDATE USING ({anyone}) "
                f"WITH CHECK ({anyone})",
            ]
        for statement in statements:
            connection.execute(text(statement))
    return readers, editors


def add_member(archive: Archive, name: str, role: str, password: str) -> None:
    """A login role in the readers' or the editors' group (created, or moved there)."""
    if role not in ROLES:
        raise ArchiveError(f"unknown role {role!r}; use reader or editor")
    check_name(name)
    verifier = scram_verifier(password)
    with archive.write() as connection:
        readers, editors = group_roles(connection)
        group = readers if role == "reader" else editors
        other = editors if role == "reader" else readers
        quoted = quote_name(name)
        # the verifier is a literal of our own making (base64 and $ : only): no quoting issue
        assert re.fullmatch(r"[A-Za-z0-9+/=$:-]+", verifier)
        verb = "ALTER" if _role_exists(connection, name) else "CREATE"
        # as the driver's own statement: the verifier's colons are not bind parameters
        connection.exec_driver_sql(f"{verb} ROLE {quoted} LOGIN PASSWORD '{verifier}'")
        connection.execute(text(f"REVOKE {quote_name(other)} FROM {quoted}"))
        connection.execute(text(f"GRANT {quote_name(group)} TO {quoted}"))


def members(archive: Archive) -> list[Member]:
    """The login roles of the archive's two groups, by name."""
    with archive.read() as connection:
        readers, editors = group_roles(connection)
        rows = connection.execute(
            text(
                "SELECT m.rolname, g.rolname FROM pg_auth_members a "
                "JOIN pg_roles m ON m.oid = a.member JOIN pg_roles g ON g.oid = a.roleid "
                "WHERE g.rolname IN (:readers, :editors) AND m.rolcanlogin ORDER BY 1"
            ),
            {"readers": readers, "editors": editors},
        ).all()
    found: dict[str, str] = {}
    for name, group in rows:
        found[name] = "editor" if group == editors or found.get(name) == "editor" else "reader"
    return [Member(name, role) for name, role in sorted(found.items())]


def remove_member(archive: Archive, name: str) -> bool:
    """Take a login role out of the archive's groups and drop it; what it wrote stays
    (authors are names, not references). False when it was not a member."""
    if not any(member.name == name for member in members(archive)):
        return False
    with archive.write() as connection:
        connection.execute(text(f"DROP ROLE {quote_name(name)}"))
    return True
