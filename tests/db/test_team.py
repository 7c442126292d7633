"""A team archive's roles as the server enforces them, driven through the command line:
team init/add/list/remove, readers refused, editors limited to their own annotations,
notes and bookmarks, tags shared, and every connection fault as one line."""

from __future__ import annotations

import io
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from db import Archive, open_archive
from db import research as stored
from db.research import TagView
from tests import pg_cluster
from tests.conftest import SEED_MASTUNG, _create_database
from viewer.cli import run
from viewer.services import research

PASSWORDS = {"owner": "owner-secret-1", "alice": "alice-pw-2", "bob": "bob-pw-3", "carol": "c-4"}


@dataclass
class Team:
    server: pg_cluster.Cluster
    db: str

    def url(self, user: str, password: str | None = None) -> str:
        return self.server.url(user, PASSWORDS[user] if password is None else password, self.db)


def _superuser(server: pg_cluster.Cluster, statement: str) -> None:
    engine = create_engine(
        server.url().replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


def cli(capsys: pytest.CaptureFixture[str], *args: str, stdin: str = "") -> tuple[int, str, str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdin", io.StringIO(stdin))
        status = run(list(args))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(scope="module")
def team(pg_server: pg_cluster.Cluster, seeds_dir: Path) -> Iterator[Team]:
    """A database owned by a plain role with CREATEROLE (not a superuser), team-initialised,
    with two editors and a reader, and the seeds imported by alice."""
    _superuser(pg_server, "DROP ROLE IF EXISTS owner")
    _superuser(pg_server, f"CREATE ROLE owner LOGIN CREATEROLE PASSWORD '{PASSWORDS['owner']}'")
    _create_database(pg_server, "team_roles_db")
    _superuser(pg_server, "ALTER DATABASE team_roles_db OWNER TO owner")
    _superuser(pg_server, "ALTER SCHEMA public OWNER TO owner")  # as `createdb -O owner` gives
    made = Team(pg_server, "team_roles_db")
    assert run(["--archive", made.url("owner"), "team", "init"]) == 0
    for name, role in (("alice", "editor"), ("bob", "editor"), ("carol", "reader")):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("sys.stdin", io.StringIO(PASSWORDS[name] + "\n"))
            args = ["--archive", made.url("owner"), "team", "add", name, "--role", role]
            assert run([*args, "--password-stdin"]) == 0
    assert run(["--archive", made.url("alice"), "import", str(seeds_dir)]) == 0
    yield made
    for name in ("alice", "bob", "carol"):
        _superuser(pg_server, f"DROP ROLE IF EXISTS {name}")


def test_team_list_shows_the_members_and_their_roles(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _err = cli(capsys, "--archive", team.url("owner"), "team", "list", "--json")
    assert status == 0
    assert json.loads(out) == {
        "members": [
            {"name": "alice", "role": "editor"},
            {"name": "bob", "role": "editor"},
            {"name": "carol", "role": "reader"},
        ]
    }


def test_no_password_is_stored_in_plain_text(team: Team) -> None:
    engine = create_engine(team.server.url().replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        stored: dict[str, str] = dict(
            connection.execute(
                text(
                    "SELECT rolname, rolpassword FROM pg_authid WHERE rolname IN "
                    "('alice', 'bob', 'carol')"
                )
            ).all()
        )
        statements = " ".join(
            str(row[0]) for row in connection.execute(text("SELECT query FROM pg_stat_activity"))
        )
    engine.dispose()
    assert all(value.startswith("SCRAM-SHA-256$4096:") for value in stored.values())
    for name, password in PASSWORDS.items():
        assert password not in statements
        if name in stored:
            assert password not in stored[name]


def test_a_reader_browses_and_is_refused_any_change(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = cli(capsys, "--archive", team.url("carol"), "search", "Mastung", "--json")
    assert status == 0 and json.loads(out)["results"]
    status, _, err = cli(capsys, "--archive", team.url("carol"), "tag", "1", "reviewed")
    assert status == 1
    assert err.count("\n") == 1 and "refused" in err and "permission denied" in err
    assert "Traceback" not in err


def test_editors_change_only_their_own_annotations_and_share_tags(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    mastung = "2023 Mastung bombing"
    status, _, _ = cli(
        capsys, "--archive", team.url("alice"), "annotate", mastung, "--quote", "Mastung",
        "--occurrence", "1", "--note", "alice's note",
    )  # fmt: skip
    assert status == 0
    status, out, _ = cli(
        capsys, "--archive", team.url("bob"), "annotations", "--json", "--author", "alice"
    )
    (annotation,) = json.loads(out)["annotations"]
    assert set(annotation) == {
        "id", "incident_id", "incident_title", "author", "quote", "note", "color", "tags",
        "created", "modified", "orphaned",
    }  # fmt: skip
    assert (annotation["author"], annotation["incident_title"]) == ("alice", mastung)
    # bob may not delete alice's annotation: the server refuses (0 rows is not success)
    status, _, err = cli(
        capsys, "--archive", team.url("bob"), "annotations", "delete", str(annotation["id"])
    )
    assert status != 0 and err.count("\n") == 1
    status, out, _ = cli(capsys, "--archive", team.url("bob"), "annotations", "--json")
    assert [a["id"] for a in json.loads(out)["annotations"]] == [annotation["id"]]
    # tags are shared: bob tags, alice renames nothing but sees it
    assert cli(capsys, "--archive", team.url("bob"), "tag", mastung, "shared tag")[0] == 0
    status, out, _ = cli(capsys, "--archive", team.url("alice"), "show", mastung, "--json")
    assert "shared tag" in json.loads(out)["tags"]
    # alice deletes her own
    status, _, _ = cli(
        capsys, "--archive", team.url("alice"), "annotations", "delete", str(annotation["id"])
    )
    assert status == 0


def test_collections_are_shared_like_tags_and_readers_are_refused(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    mastung = "2023 Mastung bombing"
    assert (
        cli(capsys, "--archive", team.url("alice"), "collection", "add", "Team Q", mastung)[0] == 0
    )
    status, out, _ = cli(
        capsys, "--archive", team.url("bob"), "collection", "add", "team q", "2"
    )  # bob adds to alice's collection
    assert (status, out) == (0, "1 incident added to “Team Q”\n")
    status, _, err = cli(
        capsys, "--archive", team.url("carol"), "collection", "remove", "Team Q", "2"
    )
    assert status == 1 and err.count("\n") == 1 and "permission denied" in err
    status, out, _ = cli(capsys, "--archive", team.url("carol"), "collections", "--json")
    assert json.loads(out)["collections"][0]["count"] == 2
    assert cli(capsys, "--archive", team.url("bob"), "collection", "remove", "Team Q", "2")[0] == 0


def test_each_author_has_a_note_and_changes_only_their_own(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    mastung = "2023 Mastung bombing"
    for name in ("alice", "bob"):
        args = ["--archive", team.url(name), "note", mastung, "--text", f"{name} thinks so"]
        assert cli(capsys, *args)[0] == 0
    _status, out, _ = cli(capsys, "--archive", team.url("carol"), "show", mastung, "--json")
    notes = {n["author"]: n["text"] for n in json.loads(out)["notes"]}
    assert notes == {"alice": "alice thinks so", "bob": "bob thinks so"}
    found = cli(capsys, "--archive", team.url("carol"), "search", "notes:thinks", "--json")[1]
    assert [r["title"] for r in json.loads(found)["results"]] == [mastung]


def test_a_wrong_password_or_unknown_role_is_one_line_without_the_password(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    for url in (team.url("alice", "not-her-password"), team.url("alice", "x").replace(
        "alice", "mallory"
    )):  # fmt: skip
        status, out, err = cli(capsys, "--archive", url, "list")
        assert status == 2 and out == ""
        assert err.count("\n") == 1 and "Traceback" not in err
        assert "not-her-password" not in err and ":x@" not in err
        assert "password authentication failed" in err


def test_an_unreachable_server_is_one_line_within_the_connect_timeout(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nobody listens there once closed
    started = time.monotonic()
    status, _, err = cli(capsys, "--archive", f"postgresql://a:b@127.0.0.1:{port}/x", "list")
    assert time.monotonic() - started < 6
    assert status == 2 and err.count("\n") == 1 and "cannot open team archive" in err


def test_a_database_without_team_init_is_not_an_archive(
    pg_server: pg_cluster.Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _create_database(pg_server, "not_initialised")
    status, _, err = cli(capsys, "--archive", url, "list")
    assert status == 2
    assert err.strip().endswith("is not an incident archive (run team init)")


def test_team_add_without_password_stdin_and_remove(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    owner = team.url("owner")
    status, _, err = cli(capsys, "--archive", owner, "team", "add", "dave", "--role", "editor")
    assert status == 2 and "--password-stdin" in err
    PASSWORDS["dave"] = "dave-pw"
    args = ["--archive", owner, "team", "add", "dave", "--role", "reader", "--password-stdin"]
    assert cli(capsys, *args, stdin="dave-pw\n")[0] == 0
    assert cli(capsys, "--archive", team.url("dave"), "list")[0] == 0
    assert cli(capsys, "--archive", owner, "team", "remove", "dave")[0] == 0
    assert cli(capsys, "--archive", team.url("dave"), "list")[0] == 2


def test_seeds_are_there_once(team: Team, capsys: pytest.CaptureFixture[str]) -> None:
    _status, out, _ = cli(capsys, "--archive", team.url("bob"), "list", "--json")
    titles = [item["title"] for item in json.loads(out)["incidents"]]
    assert sorted(titles) == sorted(set(titles)) and len(titles) == 2
    assert SEED_MASTUNG


def _tag(archive: Archive, name: str) -> TagView:
    return next(t for t in research.tags_with_counts(archive) if t.name == name)


def test_tag_changes_by_two_editors_never_overwrite_each_other(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    """Item 8: a rename, merge or recolour names the version it started from; the second
    editor gets a conflict and the first's change stands."""
    mastung = "2023 Mastung bombing"
    for tag in ("suicide attack", "ISKP", "IS-K"):
        assert cli(capsys, "--archive", team.url("alice"), "tag", mastung, tag)[0] == 0
    with open_archive(team.url("alice")) as alice, open_archive(team.url("bob")) as bob:
        seen_by_bob = _tag(bob, "suicide attack")
        seen_by_alice = _tag(alice, "suicide attack")
        research.rename_tag(alice, "suicide attack", "suicide bombing", seen_by_alice.version)
        for change in (
            lambda: research.set_tag_color(bob, seen_by_bob.id, "#ff0000", seen_by_bob.version),
            lambda: research.rename_tag(bob, "suicide bombing", "bombing", seen_by_bob.version),
            lambda: research.rename_tag(bob, "suicide attack", "attack", seen_by_bob.version),
            lambda: research.merge_tags(
                bob, ["suicide attack"], "ISKP", {"suicide attack": seen_by_bob.version}
            ),
        ):
            with pytest.raises(research.TagConflict, match="changed meanwhile"):
                change()
        after = _tag(bob, "suicide bombing")
        assert (after.color, after.incidents) == (seen_by_alice.color, 1)
        assert {t.name for t in research.tags_with_counts(bob)} >= {"ISKP", "IS-K"}
        # a change started from the version it sees goes through
        research.set_tag_color(bob, after.id, "#00aa00", after.version)
        assert _tag(alice, "suicide bombing").color == "#00aa00"


def test_a_second_merge_waiting_on_the_first_gets_a_conflict(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two editors merge the same tag at the same moment: the second waits for the first's
    row lock, then finds the tag merged away and changes nothing."""
    mastung = "2023 Mastung bombing"
    for tag in ("ISIS-K", "Khorasan", "Daesh"):
        assert cli(capsys, "--archive", team.url("alice"), "tag", mastung, tag)[0] == 0
    outcome: list[BaseException | None] = []
    with open_archive(team.url("alice")) as alice, open_archive(team.url("bob")) as bob:
        version = _tag(bob, "ISIS-K").version

        def bob_merges() -> None:
            try:
                research.merge_tags(bob, ["ISIS-K"], "Daesh", {"ISIS-K": version})
                outcome.append(None)
            except research.TagConflict as conflict:
                outcome.append(conflict)

        with alice.write() as connection:  # alice's merge holds the tag's row until commit
            source = stored.tag_id(connection, "isis-k")
            assert source is not None and stored.claim_tag(connection, source, version)
            target = stored.tag_id(connection, "khorasan")
            assert target is not None
            stored.merge_tag(connection, source, target)
            waiting = threading.Thread(target=bob_merges)
            waiting.start()
            waiting.join(0.5)
            assert waiting.is_alive()  # bob waits on alice's lock
        waiting.join(10)
        assert len(outcome) == 1 and isinstance(outcome[0], research.TagConflict)
        names = {t.name for t in research.tags_with_counts(alice)}
        assert "ISIS-K" not in names and {"Khorasan", "Daesh"} <= names
        daesh = _tag(alice, "Daesh")
        assert daesh.incidents == 1


def _superuser_in(server: pg_cluster.Cluster, database: str, statement: str) -> None:
    engine = create_engine(
        server.url(db=database).replace("postgresql://", "postgresql+psycopg://"),
        isolation_level="AUTOCOMMIT",
    )
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


def test_a_schema_upgrade_runs_only_when_the_owner_opens_the_archive(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    """Item 3: the team archive as revision 0013 left it (the timeline index without the
    id); an editor is told in one line to ask the owner, and changes nothing; the owner's
    opening upgrades it (0014, then 0015), after which everyone works."""
    index_of = "SELECT pg_get_indexdef('ix_incidents_timeline'::regclass) LIKE '%INCLUDE (id)%'"
    with open_archive(team.url("owner")) as owner, owner.read() as connection:
        assert connection.execute(text(index_of)).scalar_one()  # a new archive has it
    _superuser_in(team.server, team.db, "DROP INDEX ix_incidents_timeline")
    _superuser_in(
        team.server,
        team.db,
        "CREATE INDEX ix_incidents_timeline ON incidents (date_start, date_end, "
        "fatalities_min, fatalities_max, fatalities_open, country, lane_perpetrator, lane_place)",
    )
    for trigger in ("added", "removed", "changed", "emptied"):  # and without 0015's counts
        _superuser_in(team.server, team.db, f"DROP TRIGGER timeline_years_{trigger} ON incidents")
    _superuser_in(team.server, team.db, "DROP TABLE timeline_years")
    functions = ", ".join(f"timeline_years_{name}" for name in
                          ("added", "removed", "changed", "emptied", "recount"))  # fmt: skip
    _superuser_in(team.server, team.db, f"DROP FUNCTION {functions}")
    _superuser_in(team.server, team.db, "UPDATE alembic_version SET version_num = '0013'")
    status, out, err = cli(capsys, "--archive", team.url("alice"), "list")
    assert status == 2 and out == "" and err.count("\n") == 1
    assert "needs a schema upgrade (to 0015) that only its owner may run" in err
    with open_archive(team.url("owner")) as owner, owner.read() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            "0015"
        )
        assert connection.execute(text(index_of)).scalar_one()
        assert connection.execute(text("SELECT count(*) FROM timeline_years")).scalar_one()
    assert cli(capsys, "--archive", team.url("alice"), "list")[0] == 0
