"""Two windows on one team archive: what a teammate commits shows in both within 2 seconds,
without a reload (LISTEN/NOTIFY heard off the GUI thread)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from db import open_archive
from tests import pg_cluster
from tests.conftest import FIXTURES, new_team_archive
from viewer.services import catalog, collections, research
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
        collections.add_to_collection(teammate, "Shared question", [mastung])
        for window in windows:
            qtbot.waitUntil(
                lambda w=window: w.collections.pane.entries("collection") == ["Shared question"],
                timeout=LIVE_MS,
            )
        import_paths(teammate, [FIXTURES / "real" / "2016-berlin-attack.wiki"])
        for window in windows:
            qtbot.waitUntil(lambda w=window: w.count_label.text() == "3 incidents", timeout=LIVE_MS)


def test_open_team_archive_dialog_keeps_no_password(
    qtbot, tmp_path: Path, pg_server: pg_cluster.Cluster, team_url: str
) -> None:
    from sqlalchemy import create_engine, text

    from viewer.ui.team_dialog import TeamArchiveDialog

    secret = "p@ss:w/rd?"  # every character a URL would misread
    engine = create_engine(pg_server.url().replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as connection:
        connection.execute(text("DROP ROLE IF EXISTS dialog_user"))
        connection.execute(text(f"CREATE ROLE dialog_user LOGIN PASSWORD '{secret}' SUPERUSER"))
    engine.dispose()
    settings = Settings(tmp_path / "dialog.ini")
    window = MainWindow(settings)
    qtbot.addWidget(window)
    dialog = TeamArchiveDialog(window)
    dialog.host.setText("127.0.0.1")
    dialog.port.setValue(pg_server.port)
    dialog.database.setText(team_url.rsplit("/", 1)[1])
    dialog.user.setText("dialog_user")
    dialog.password.setText(secret)
    assert dialog.password.echoMode() == dialog.password.EchoMode.Password
    with qtbot.waitSignal(window.archive_opened, timeout=10000):
        window.open_archive(dialog.url())
    assert window.archive is not None and window.archive.is_team
    assert (
        settings.last_archive == f"postgresql://dialog_user@127.0.0.1:{pg_server.port}/live_windows"
    )
    remembered = " ".join([settings.last_archive, *settings.recent_archives])
    assert secret not in remembered and "w/rd" not in remembered
    assert secret not in window.statusBar().currentMessage()
    window.close()
