"""Shared fixtures: temporary user folders, the reference articles, and archives built once
per session then copied per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from db import Archive, open_archive
from db.backup import backup_archive
from viewer.services.importing import import_paths

ROOT = Path(__file__).resolve().parent.parent
SEEDS = (
    (ROOT.parent / "shared" / "seeds")
    if (ROOT.parent / "shared" / "seeds").is_dir()
    else (ROOT / "resources" / "samples" / "articles")
)
SEED_MASTUNG = "2023-mastung-bombing.txt"
SEED_BALOCHISTAN = "february-2024-balochistan-bombings.txt"
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


@pytest.fixture
def seeded_archive(_seeded_template: Path, tmp_path: Path) -> Iterator[Archive]:
    """An archive holding both seeds (a copy of one built once per session)."""
    path = _copy_archive(_seeded_template, tmp_path / "seeded.sqlite")
    with open_archive(path) as archive:
        yield archive


@pytest.fixture
def empty_archive(tmp_path: Path) -> Iterator[Archive]:
    with open_archive(tmp_path / "empty.sqlite") as archive:
        yield archive
