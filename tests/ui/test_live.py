"""Two windows on one team archive: what a teammate commits shows in both within 2 seconds,
without a reload (LISTEN/NOTIFY heard off the GUI thread)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from db import open_archive
from tests import pg_cluster
from tests.conftest import FIXTURES, new_team_archive
from viewer.services import catalog, research
from viewer.services.importing import import_paths
from viewer.ui.main_window import MainWindow
from viewer.ui.research.annotations import AnnotationsPane
from viewer.ui.settings import Settings

LIVE_MS = 2000


def _tag_names(window: MainWindow) -> list[str]:
    model = window.tags_pane.model
    return [tag.name for row in range(model.rowCount()) if (tag := model.tag(row))]


@pytest.fixture
def team_url(pg_server: pg_cluster.Cluster, seeds_dir: Path) -> str:
    url = new_team_archive(pg_server, "live_windows")
    with open_archive(url) as archive:
        import_paths(archive, [seeds_dir])
    return url


@pytest.fixture
def windows(qtbot, tmp_path: Path, team_url: str) -> Iterator[list[MainWindow]]:
    made = []
    for name in ("first", "second"):
        window = MainWindow(Settings(tmp_path / f"{name}.ini"))
        qtbot.addWidget(window)
        window.show()
        with qtbot.waitSignal(window.archive_opened, timeout=10000):
            window.open_archive(team_url)
        window.annotations_pane.set_mode(AnnotationsPane.ALL_INCIDENTS)
        made.append(window)
    yield made
    for window in made:
        window.close()


def test_a_teammates_changes_show_in_every_window_within_two_seconds(
    qtbot, windows: list[MainWindow], team_url: str
) -> None:
    for window in windows:
        qtbot.waitUntil(lambda w=window: w.count_label.text() == "2 incidents", timeout=5000)
        assert window.annotations_pane.model.rowCount() == 0
    with open_archive(team_url) as teammate:
        mastung = catalog.find_incident(teammate, "2023 Mastung bombing").id
        research.annotate_quote(teammate, mastung, "Mastung", occurrence=1, tags=["live"])
        for window in windows:
            qtbot.waitUntil(
                lambda w=window: w.annotations_pane.model.rowCount() == 1, timeout=LIVE_MS
            )
            qtbot.waitUntil(
                lambda w=window: "live" in _tag_names(w),
                timeout=LIVE_MS,
            )
        import_paths(teammate, [FIXTURES / "real" / "2016-berlin-attack.wiki"])
        for window in windows:
            qtbot.waitUntil(lambda w=window: w.count_label.text() == "3 incidents", timeout=LIVE_MS)
