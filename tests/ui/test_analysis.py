"""The Analysis view in the real window: charts of the archive and of the sidebar's scope,
a click on a bar (a real mouse click through matplotlib's picking) lists its incidents in
the table, a click on an incident's bar opens it, and Save writes PNG or SVG."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from db import Archive
from viewer.services import catalog, charts, collections
from viewer.ui.analysis import AnalysisView
from viewer.ui.collections import COLLECTION
from viewer.ui.main_window import MainWindow
from viewer.ui.settings import Settings

MASTUNG = "2023 Mastung bombing"
WAIT = 10000


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    main = MainWindow(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    yield main
    main.close()


def _show_analysis(qtbot, window: MainWindow, archive: Archive) -> AnalysisView:
    with qtbot.waitSignal(window.archive_opened, timeout=WAIT):
        window.open_archive(archive.path)
    view = window.analysis
    assert view.dock is not None
    assert view.canvas is None  # matplotlib is loaded when the view is first shown
    with qtbot.waitSignal(view.chart_shown, timeout=WAIT):
        view.dock.show()
        view.dock.raise_()
    return view


def _click(qtbot, view: AnalysisView, artist, bar: int = 0) -> None:
    """A left click on the middle of a drawn bar (one of a collection's), where the user
    would click: through matplotlib's own picking."""
    canvas = view.canvas
    canvas.draw()
    if hasattr(artist, "get_paths") and not hasattr(artist, "chart_incidents"):
        middle = artist.get_paths()[bar].vertices[:4].mean(axis=0)
        x, y = artist.get_transform().transform(middle)
    else:
        box = artist.get_window_extent()
        x, y = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    ratio = canvas.devicePixelRatioF()
    point = QPoint(int(x / ratio), int(canvas.height() - y / ratio))
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=point)


def _artist(view: AnalysisView, key_start: str):
    for axes in view.canvas.figure.axes:
        for artist in [*axes.patches, *axes.collections]:
            if (artist.get_gid() or "").startswith(key_start):
                return artist
    raise AssertionError(f"no drawn part {key_start}")


def test_a_bar_lists_its_incidents_and_an_incident_opens(
    qtbot, window: MainWindow, seeded_archive: Archive
) -> None:
    view = _show_analysis(qtbot, window, seeded_archive)
    chart = view.chart
    assert isinstance(chart, charts.PeriodChart) and chart.periods == ["2023", "2024"]
    first = next(  # the group that has a bar in 2023: the Mastung bombing's perpetrator
        a for a in view.canvas.figure.axes[0].collections
        if any(t.period_index == 0 for t in getattr(a, "chart_targets", []))
    )  # fmt: skip
    _click(qtbot, view, first)
    qtbot.waitUntil(lambda: window.table.scope_label.text().startswith("2023 · "), timeout=WAIT)
    assert window.table.scope_label.text().endswith(": 1")
    mastung = catalog.find_incident(seeded_archive, MASTUNG).id
    assert window.timeline.emphasis == frozenset({mastung})
    with qtbot.waitSignal(view.chart_shown, timeout=WAIT):
        view.kind.setCurrentIndex(2)  # stances per incident
    assert isinstance(view.chart, charts.StanceChart)
    assert not view.stack.isEnabled() and not view.period.isEnabled()
    with qtbot.waitSignal(window.incident_shown, timeout=WAIT) as shown:
        _click(qtbot, view, _artist(view, f"incident-{mastung}-"))
    assert shown.args == [mastung]


def test_charts_follow_the_sidebar_and_save_png_and_svg(
    qtbot, window: MainWindow, seeded_archive: Archive, tmp_path: Path
) -> None:
    mastung = catalog.find_incident(seeded_archive, MASTUNG).id
    made = collections.add_to_collection(seeded_archive, "Only Mastung", [mastung])
    view = _show_analysis(qtbot, window, seeded_archive)
    qtbot.waitUntil(lambda: window.collections.pane.entries(COLLECTION) != [], timeout=WAIT)
    with qtbot.waitSignal(view.chart_shown, timeout=WAIT):
        window.collections.pane.choose(COLLECTION, made.collection_id)
    assert view.chart is not None and view.chart.periods == ["2023"]  # type: ignore[union-attr]
    assert view.scope_label.text() == "“Only Mastung”"
    with qtbot.waitSignal(view.chart_shown, timeout=WAIT):
        view.kind.setCurrentIndex(3)  # actors x incidents
    assert isinstance(view.chart, charts.MatrixChart)
    assert [i.id for i in view.chart.incidents] == [mastung]
    for name in ("matrix.svg", "matrix.png"):
        with qtbot.waitSignal(view.saved, timeout=WAIT):
            view.save(tmp_path / name)
    assert (tmp_path / "matrix.png").read_bytes()[:4] == b"\x89PNG"
    assert b"<svg" in (tmp_path / "matrix.svg").read_bytes()[:400]
