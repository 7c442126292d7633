"""Shared fixtures: temporary user folders, the reference articles, and archives built once
per session then copied per test."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from db import Archive, open_archive
from db.backup import backup_archive
from tests import pg_cluster
from viewer.services.importing import import_paths

ROOT = Path(__file__).resolve().parent.parent
SEEDS = (
    (ROOT.parent / "shared" / "seeds")
    if (ROOT.parent / "shared" / "seeds").is_dir()
    else (ROOT / "resources" / "samples" / "articles")
)
SEED_MASTUNG = "2023-mastung-bombing.txt"
SEED_BALOCHISTAN = "february-2024-balochistan-bombings.txt"


def mastung_copies(folder: Path, seeds_dir: Path, count: int, title: str) -> Path:
    """A new folder of count copies of the Mastung seed, each its own incident ("TITLE 0",
    "TITLE 1", ...): something to import for the tests that need an import to run."""
    folder.mkdir()
    text = (seeds_dir / SEED_MASTUNG).read_text(encoding="utf-8")
    for number in range(count):
        (folder / f"{number:03}.txt").write_text(
            text.replace("2023 Mastung bombing", f"{title} {number}"), encoding="utf-8"
        )
    return folder


FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(autouse=True)
def user_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data, settings and log folders."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("INCIDENT_VIEWER_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The two reference articles (from ../shared when present, else the shipped copies)."""
    assert (SEEDS / SEED_MASTUNG).is_file(), SEEDS
    return SEEDS


@pytest.fixture(scope="session")
def _seeded_template(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    path = tmp_path_factory.mktemp("template") / "seeded.sqlite"
    with open_archive(path) as archive:
        report = import_paths(archive, [seeds_dir])
    assert report.imported == 2 and not report.rejected
    return path


def _copy_archive(template: Path, destination: Path) -> Path:
    return backup_archive(template, destination)


# -- both engines --------------------------------------------------------------------------
#
# A test module marked `pytestmark = pytest.mark.engines` runs every test that takes
# seeded_archive or empty_archive twice: on a SQLite file and on a team archive in a
# throwaway PostgreSQL cluster (started once per session, tests.pg_cluster). Without the
# server binaries the PostgreSQL runs skip with one line saying why; in CI (CI=true) that
# skip is a failure.

ENGINES = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "archive_engine" in metafunc.fixturenames:
        # the closest mark wins: a test marked engines("sqlite") in a module marked engines
        # is about SQLite alone (its file, its backup API, a kill mid-write)
        marker = metafunc.definition.get_closest_marker("engines")
        engines = (marker.args or ENGINES) if marker is not None else ENGINES[:1]
        metafunc.parametrize("archive_engine", engines)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[pg_cluster.Cluster]:
    """A PostgreSQL cluster on 127.0.0.1 for this test session."""
    reason = pg_cluster.missing_reason()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must test the team archive, but {reason}", pytrace=False)
        pytest.skip(f"team archive tests need PostgreSQL: {reason}")
    cluster = pg_cluster.start()
    yield cluster
    cluster.stop()


def _create_database(server: pg_cluster.Cluster, name: str, template: str | None = None) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(server.url().replace("postgresql://", "postgresql+psycopg://"),
                           isolation_level="AUTOCOMMIT")  # fmt: skip
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        copy = f' TEMPLATE "{template}"' if template else ""
        connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    engine.dispose()
    return server.url(db=name)


def new_team_archive(server: pg_cluster.Cluster, name: str) -> str:
    """The URL of a new, team-initialised database (the superuser owns it)."""
    from db.server import open_server
    from db.team import initialize

    url = _create_database(server, name)
    with open_server(url, initialize=True) as archive:
        initialize(archive)
    return url


@pytest.fixture(scope="session")
def _pg_templates(pg_server: pg_cluster.Cluster, seeds_dir: Path) -> dict[str, str]:
    new_team_archive(pg_server, "template_empty")
    url = new_team_archive(pg_server, "template_seeded")
    with open_archive(url) as archive:
        report = import_paths(archive, [seeds_dir])
    assert report.imported == 2 and not report.rejected
    return {"empty": "template_empty", "seeded": "template_seeded"}


_numbers = itertools.count(1)


@pytest.fixture
def archive_engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _team_copy(request: pytest.FixtureRequest, kind: str) -> str:
    server: pg_cluster.Cluster = request.getfixturevalue("pg_server")
    templates = request.getfixturevalue("_pg_templates")
    return _create_database(server, f"test_{next(_numbers)}", templates[kind])


@pytest.fixture
def seeded_archive(
    request: pytest.FixtureRequest, archive_engine: str, tmp_path: Path
) -> Iterator[Archive]:
    """An archive holding both seeds (a copy of one built once per session)."""
    if archive_engine == "postgresql":
        location: str | Path = _team_copy(request, "seeded")
    else:
        template = request.getfixturevalue("_seeded_template")
        location = _copy_archive(template, tmp_path / "seeded.sqlite")
    with open_archive(location) as archive:
        yield archive


@pytest.fixture
def empty_archive(
    request: pytest.FixtureRequest, archive_engine: str, tmp_path: Path
) -> Iterator[Archive]:
    if archive_engine == "postgresql":
        location: str | Path = _team_copy(request, "empty")
    else:
        location = tmp_path / "empty.sqlite"
    with open_archive(location) as archive:
        yield archive
