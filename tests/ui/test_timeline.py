"""The timeline: the service's windows and aggregation, the model, and the real widget."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QFontMetrics, QPalette, QWheelEvent
from PySide6.QtWidgets import QApplication

from db import Archive, open_archive
from db.backup import backup_archive
from db.records import Facts, IncidentRecord, PerpetratorRecord, TermRecord, Toll
from db.store import ArchiveWriter
from viewer.services.timeline import (
    MAX_LANES,
    OTHER_LANE,
    TimelineWindow,
    bucket_starts,
    incident_events,
    incident_neighbour,
    incident_point,
    timeline_bounds,
    timeline_window,
)
from viewer.ui.tasks import TaskRunner
from viewer.ui.timeline.model import TimelineModel
from viewer.ui.timeline.ticks import axis_ticks, choose_tick_step, fit_major_label
from viewer.ui.timeline.view import TimelineView

MASTUNG = "2023 Mastung bombing"
BALOCHISTAN = "February 2024 Balochistan bombings"
SYNTHETIC_COUNT = 3000
SYNTHETIC_FIRST = date(1990, 1, 1)
SYNTHETIC_DAYS = 12_000
HOSTILE_TITLE = "<b>Bold</b> & <img src=x>"


def _record(
    index: int, day: date | None, rng: random.Random, title: str | None = None
) -> IncidentRecord:
    title = title or f"Synthetic incident {index}"
    known = rng.random() > 0.1
    low = rng.randint(0, 300) if known else None
    facts = Facts(
        date_start=day.isoformat() if day else None,
        date_end=day.isoformat() if day else None,
        country=f"Country {rng.randint(0, 5)}",
        fatalities=Toll(low, low, rng.random() < 0.1, str(low)),
        perpetrators=[PerpetratorRecord(f"Group {rng.randint(0, 60)}", False)]
        if rng.random() > 0.2
        else [],
        terms=[TermRecord("type", "Bombing"), TermRecord("place", f"Place {rng.randint(0, 9)}")],
    )
    digest = hashlib.sha256(title.encode()).hexdigest()
    return IncidentRecord(
        title, title.lower(), title, [], [], f"synthetic/{index}.txt", "text", digest, title, facts
    )


@pytest.fixture(scope="module")
def _synthetic_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("synthetic") / "synthetic.sqlite"
    rng = random.Random(7)
    with (
        open_archive(path) as archive,
        archive.bulk() as connection,
        ArchiveWriter(connection) as writer,
    ):
        for index in range(SYNTHETIC_COUNT):
            day = SYNTHETIC_FIRST + timedelta(days=rng.randrange(SYNTHETIC_DAYS))
            writer.store(_record(index, day, rng))
        writer.store(_record(SYNTHETIC_COUNT, None, rng, "Undated incident"))
        writer.store(_record(SYNTHETIC_COUNT + 1, date(1989, 6, 1), rng, HOSTILE_TITLE))
    return path


@pytest.fixture
def synthetic_archive(_synthetic_template: Path, tmp_path: Path) -> Iterator[Archive]:
    """A few thousand dated incidents from 1990 on, one undated, one with markup in its title."""
    path = backup_archive(_synthetic_template, tmp_path / "synthetic.sqlite")
    with open_archive(path) as archive:
        yield archive


def _count_between(archive: Archive, first: date, last: date) -> int:
    with archive.raw_connection() as connection:
        row = connection.execute(
            "SELECT count(*) FROM incidents WHERE date_start BETWEEN ? AND ?",
            (first.isoformat(), last.isoformat()),
        ).fetchone()
    return int(row[0])


def _ids(archive: Archive) -> dict[str, int]:
    with archive.raw_connection() as connection:
        return dict(connection.execute("SELECT title, id FROM incidents").fetchall())


# --- service -------------------------------------------------------------------------------


def test_bounds_count_dated_incidents_only(synthetic_archive: Archive) -> None:
    bounds = timeline_bounds(synthetic_archive)
    assert bounds.count == SYNTHETIC_COUNT + 1  # the undated one is left out
    assert bounds.first == date(1989, 6, 1)
    assert bounds.last is not None and bounds.last < SYNTHETIC_FIRST + timedelta(SYNTHETIC_DAYS)


def test_empty_archive_has_no_bounds_and_no_items(empty_archive: Archive) -> None:
    assert timeline_bounds(empty_archive).count == 0
    window = timeline_window(empty_archive, date(2000, 1, 1), date(2030, 1, 1))
    assert window.items == [] and window.lanes == []


@pytest.mark.parametrize("lanes", ["none", "perpetrator", "place", "country"])
def test_dense_window_is_aggregated_in_sql(synthetic_archive: Archive, lanes: str) -> None:
    first, last = date(1992, 3, 1), date(2015, 7, 31)
    expected = _count_between(synthetic_archive, first, last)
    assert expected > 1000
    emphasis = frozenset(range(1, 400))
    window = timeline_window(
        synthetic_archive, first, last, lanes=lanes, bucket_days=5, max_items=300,
        emphasis=emphasis,
    )  # fmt: skip
    assert window.aggregated
    assert 0 < len(window.items) <= 300
    assert sum(item.count for item in window.items) == expected == window.total
    assert all(first <= item.start <= item.end <= last for item in window.items)
    assert all(item.lane in window.lanes for item in window.items)
    assert len(window.lanes) <= MAX_LANES + 1
    in_range = [
        i for i in emphasis if (p := incident_point(synthetic_archive, i)) and first <= p[0] <= last
    ]
    assert sum(item.emphasized for item in window.items) == len(in_range)
    for item in window.items:
        if item.count == 1:
            assert item.incident_id is not None and item.title
        else:
            assert item.incident_id is None and item.title is None


def test_sparse_window_returns_single_incidents(synthetic_archive: Archive) -> None:
    first, last = date(2000, 1, 1), date(2000, 6, 30)
    expected = _count_between(synthetic_archive, first, last)
    window = timeline_window(synthetic_archive, first, last, lanes="perpetrator", max_items=4000)
    assert not window.aggregated
    assert len(window.items) == expected
    assert all(item.count == 1 and item.incident_id is not None for item in window.items)
    assert [item.start for item in window.items] == sorted(item.start for item in window.items)


def test_many_lanes_fold_into_other(synthetic_archive: Archive) -> None:
    window = timeline_window(
        synthetic_archive, date(1985, 1, 1), date(2030, 1, 1), lanes="perpetrator",
        max_items=5000,
    )  # fmt: skip
    assert len(window.lanes) == MAX_LANES + 1 and window.lanes[-1] == OTHER_LANE
    counts = {lane: sum(i.count for i in window.items if i.lane == lane) for lane in window.lanes}
    top = window.lanes[:MAX_LANES]
    assert [counts[lane] for lane in top] == sorted((counts[lane] for lane in top), reverse=True)


def test_buckets_follow_the_julian_day_formula() -> None:
    start = date(2020, 1, 1)
    starts = bucket_starts(start, date(2020, 1, 10), 2.5)
    assert starts == [start + timedelta(days=d) for d in (0, 3, 5, 8, 10)]


def test_neighbours_events_and_point(seeded_archive: Archive) -> None:
    ids = _ids(seeded_archive)
    mastung, balochistan = ids[MASTUNG], ids[BALOCHISTAN]
    assert incident_neighbour(seeded_archive, mastung, 1) == balochistan
    assert incident_neighbour(seeded_archive, balochistan, -1) == mastung
    assert incident_neighbour(seeded_archive, balochistan, 1) is None
    assert incident_neighbour(seeded_archive, mastung, -1) is None
    events = incident_events(seeded_archive, mastung)
    assert [day for day, _ in events] == [date(2023, 9, 29), date(2023, 9, 30), date(2023, 10, 1)]
    assert incident_point(seeded_archive, balochistan) == (
        date(2024, 2, 7),
        28,
        30,
        True,
        BALOCHISTAN,
    )


def test_neighbour_breaks_date_ties_by_id(synthetic_archive: Archive) -> None:
    with synthetic_archive.raw_connection() as connection:
        rows = connection.execute(
            "SELECT id FROM incidents WHERE date_start IS NOT NULL ORDER BY date_start, id"
        ).fetchall()
    order = [row[0] for row in rows]
    for position in (0, 1, 500, 1700):
        assert incident_neighbour(synthetic_archive, order[position], 1) == order[position + 1]
        assert incident_neighbour(synthetic_archive, order[position + 1], -1) == order[position]


# --- model -----------------------------------------------------------------------------------


def test_model_passes_the_model_tester(qtmodeltester, seeded_archive: Archive) -> None:
    model = TimelineModel()
    model.set_window(timeline_window(seeded_archive, date(2023, 1, 1), date(2024, 12, 31)))
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    titles = {model.data(model.index(row, 0)) for row in range(2)}
    assert titles == {MASTUNG, BALOCHISTAN}
    assert model.data(model.index(0, 0), TimelineModel.StartRole).toString("yyyy-MM-dd") == (
        "2023-09-29"
    )
    assert b"incidentId" in model.roleNames().values()


def test_model_of_clusters_passes_the_model_tester(
    qtmodeltester, synthetic_archive: Archive
) -> None:
    model = TimelineModel()
    window = timeline_window(synthetic_archive, date(1990, 1, 1), date(2020, 1, 1), max_items=50)
    model.set_window(window)
    qtmodeltester.check(model)
    clusters = [row for row in range(model.rowCount()) if window.items[row].count > 1]
    assert clusters
    label = model.data(model.index(clusters[0], 0))
    assert label.endswith("incidents")
    model.set_window(None)
    assert model.rowCount() == 0


# --- the widget ------------------------------------------------------------------------------


@pytest.fixture
def make_view(qtbot, task_runner: TaskRunner):
    def make(archive: Archive, lanes: str = "none") -> TimelineView:
        view = TimelineView()
        qtbot.addWidget(view)
        view.resize(900, 320)
        view.set_lane_mode(lanes)
        view.show()
        qtbot.waitExposed(view)
        with qtbot.waitSignal(view.window_loaded, timeout=5000):
            view.set_archive(archive, task_runner)
        return view

    return make


def _loaded_titles(view: TimelineView) -> set[str | None]:
    return {item.title for item in view.model().items()}


def test_fit_all_shows_both_seeds(qtbot, make_view, seeded_archive: Archive) -> None:
    view = make_view(seeded_archive)
    view.zoom_in()
    view.fit_all()
    qtbot.waitUntil(lambda: _loaded_titles(view) == {MASTUNG, BALOCHISTAN}, timeout=5000)
    first, last = view.visible_range()
    assert first < date(2023, 9, 29) and last > date(2024, 2, 7)
    ids = _ids(seeded_archive)
    for title in (MASTUNG, BALOCHISTAN):
        point = view.point_for(ids[title])
        assert point is not None and view.rect().contains(point)
    # Area follows the toll: Mastung (60) is drawn larger than Balochistan (28-30+).
    mastung = view.item_at(view.point_for(ids[MASTUNG]))
    assert mastung is not None and mastung.fatalities_max == 60


def test_click_marker_activates_and_right_arrow_steps(
    qtbot, make_view, seeded_archive: Archive
) -> None:
    ids = _ids(seeded_archive)
    view = make_view(seeded_archive)
    point = view.point_for(ids[MASTUNG])
    assert point is not None
    with qtbot.waitSignal(view.incident_activated, timeout=5000) as clicked:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=point)
    assert clicked.args == [ids[MASTUNG]]
    assert view.selected_incident() == ids[MASTUNG]
    qtbot.waitUntil(lambda: len(view.events()) == 3, timeout=5000)

    with qtbot.waitSignal(view.incident_activated, timeout=5000) as stepped:
        qtbot.keyClick(view, Qt.Key.Key_Right)
    assert stepped.args == [ids[BALOCHISTAN]]
    qtbot.waitUntil(lambda: [d for d, _ in view.events()][:1] == [date(2024, 2, 7)], timeout=5000)

    with qtbot.waitSignal(view.incident_activated, timeout=5000) as back:
        qtbot.keyClick(view, Qt.Key.Key_Left)
    assert back.args == [ids[MASTUNG]]
    with qtbot.waitSignal(view.incident_activated, timeout=5000) as entered:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert entered.args == [ids[MASTUNG]]


def test_select_incident_centres_without_emitting(
    qtbot, make_view, seeded_archive: Archive
) -> None:
    ids = _ids(seeded_archive)
    view = make_view(seeded_archive)
    view.set_visible_range(date(2010, 1, 1), date(2010, 3, 1))
    with qtbot.assertNotEmitted(view.incident_activated, wait=300):
        view.select_incident(ids[BALOCHISTAN])
        qtbot.waitUntil(lambda: len(view.events()) == 5, timeout=5000)
    first, last = view.visible_range()
    assert first < date(2024, 2, 7) < last
    qtbot.waitUntil(lambda: view.point_for(ids[BALOCHISTAN]) is not None, timeout=5000)


def test_lanes_by_perpetrator(qtbot, make_view, seeded_archive: Archive) -> None:
    view = make_view(seeded_archive)
    assert view.lanes() == [""]
    with qtbot.waitSignal(view.window_loaded, timeout=5000):
        view.set_lane_mode("perpetrator")
    assert sorted(view.lanes()) == [
        "Islamic State – Khorasan Province",
        "Islamic State – Pakistan Province",
    ]
    ids = _ids(seeded_archive)
    mastung, balochistan = view.point_for(ids[MASTUNG]), view.point_for(ids[BALOCHISTAN])
    assert mastung is not None and balochistan is not None
    assert mastung.y() != balochistan.y()  # one lane each
    with qtbot.waitSignal(view.window_loaded, timeout=5000):
        view.set_lane_mode("country")
    assert view.lanes() == ["Pakistan"]
    with pytest.raises(ValueError):
        view.set_lane_mode("colour")


def test_zoom_pan_and_fit(qtbot, make_view, seeded_archive: Archive) -> None:
    view = make_view(seeded_archive)
    scale = view.pixels_per_day()
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.pixels_per_day() > scale
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.pixels_per_day() == pytest.approx(scale)

    # The wheel zooms around the cursor: the date under it stays put.
    anchor = QPointF(600, 150)
    under = view.date_at(anchor.x())
    wheel = QWheelEvent(
        anchor, view.mapToGlobal(anchor), QPoint(0, 0), QPoint(0, 240),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
        False,
    )  # fmt: skip
    QApplication.sendEvent(view, wheel)
    assert view.pixels_per_day() > scale
    assert abs((view.date_at(anchor.x()) - under).days) <= 1

    first, _ = view.visible_range()
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPoint(500, 200))
    qtbot.mouseMove(view, QPoint(400, 200))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPoint(400, 200))
    assert view.visible_range()[0] > first  # dragged left: later dates come into view

    view.fit_all()
    qtbot.waitUntil(lambda: _loaded_titles(view) == {MASTUNG, BALOCHISTAN}, timeout=5000)


def test_dense_archive_is_clustered_and_clusters_zoom_in(
    qtbot, make_view, synthetic_archive: Archive
) -> None:
    view = make_view(synthetic_archive)
    window = view.model().window()
    assert isinstance(window, TimelineWindow) and window.aggregated
    assert sum(item.count for item in window.items) == window.total
    cluster = max(window.items, key=lambda item: item.count)
    offset = view.x_for_date(cluster.start)
    assert offset is not None
    # Clicking a cluster zooms to its span.
    scale = view.pixels_per_day()
    position = _position_of(view, cluster)
    tooltip = view.tooltip_at(position)
    assert tooltip is not None and f"{cluster.count:,} incidents" in tooltip
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=position)
    assert view.pixels_per_day() > scale
    qtbot.waitUntil(lambda: _window_is_single(view), timeout=5000)


def _position_of(view: TimelineView, wanted: object) -> QPoint:
    for x in range(view.width()):
        for y in range(view.height()):
            if view.item_at(QPoint(x, y)) is wanted:
                return QPoint(x, y)
    raise AssertionError("item not drawn")


def _window_is_single(view: TimelineView) -> bool:
    window = view.model().window()
    return window is not None and not window.aggregated


def test_tooltips_escape_article_text(qtbot, make_view, synthetic_archive: Archive) -> None:
    view = make_view(synthetic_archive)
    hostile = _ids(synthetic_archive)[HOSTILE_TITLE]
    view.set_visible_range(date(1989, 5, 20), date(1989, 6, 10))
    qtbot.waitUntil(lambda: view.point_for(hostile) is not None, timeout=5000)
    tooltip = view.tooltip_at(view.point_for(hostile))
    assert tooltip is not None
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;img src=x&gt;" in tooltip
    assert "<img" not in tooltip
    assert "1 Jun 1989" in tooltip
    view.set_events([(date(1989, 6, 2), "<script>alert(1)</script>")])
    events_y = view.height() - 8
    tooltip = view.tooltip_at(QPoint(round(view.x_for_date(date(1989, 6, 2))), events_y))
    assert tooltip is not None and "&lt;script&gt;" in tooltip and "<script>" not in tooltip


def test_emphasis_and_palettes_paint(qtbot, make_view, synthetic_archive: Archive) -> None:
    view = make_view(synthetic_archive, lanes="country")
    ids = frozenset(range(1, 200))
    with qtbot.waitSignal(view.window_loaded, timeout=5000):
        view.set_emphasis(ids)
    window = view.model().window()
    assert window is not None and window.aggregated
    assert sum(item.emphasized for item in window.items) > 0
    light = view.grab().toImage()
    dark = QPalette(view.palette())
    for role, colour in (
        (QPalette.ColorRole.Base, Qt.GlobalColor.black),
        (QPalette.ColorRole.Window, Qt.GlobalColor.darkGray),
        (QPalette.ColorRole.Text, Qt.GlobalColor.white),
        (QPalette.ColorRole.WindowText, Qt.GlobalColor.white),
    ):
        dark.setColor(role, colour)
    view.setPalette(dark)
    assert view.grab().toImage() != light


def test_empty_archive_and_clear(qtbot, make_view, empty_archive: Archive) -> None:
    view = make_view(empty_archive)
    assert view.model().rowCount() == 0
    view.fit_all()
    view.grab()
    view.clear()
    assert view.model().rowCount() == 0 and view.selected_incident() is None
    view.grab()


@pytest.mark.parametrize("scale", [0.002, 0.05, 0.4, 1.5, 4.0, 12.0, 40.0, 300.0])
def test_axis_labels_never_overlap(qtbot, scale: float) -> None:
    view = TimelineView()
    qtbot.addWidget(view)
    metrics = QFontMetrics(view.font())
    unit, step = choose_tick_step(scale, metrics)
    first = date(1999, 11, 3)
    last = first + timedelta(days=int(1600 / scale) + 1)
    minor, _major = axis_ticks(first, last, unit, step)
    assert len(minor) >= 2
    for tick, following in pairwise(minor):
        gap = (following.ordinal - tick.ordinal) * scale
        assert gap >= metrics.horizontalAdvance(tick.label) + 6, (unit, step, tick, following)


def test_month_labels_shorten_instead_of_overlapping(qapp) -> None:
    metrics = QFontMetrics(qapp.font())
    full = "September 2023"
    assert fit_major_label(full, metrics.horizontalAdvance(full), metrics) == full
    assert fit_major_label(full, metrics.horizontalAdvance("Sep 2023"), metrics) == "Sep 2023"
    assert fit_major_label(full, metrics.horizontalAdvance("Sep"), metrics) == "Sep"
    assert fit_major_label(full, 2, metrics) == ""
    assert fit_major_label("2023", 2, metrics) == ""  # a year has no shorter form


def test_clusters_stay_inside_their_buckets(qtbot, make_view, synthetic_archive: Archive) -> None:
    """Zoomed out over a dense archive, neighbouring clusters never overlap (their counts
    were drawn over each other)."""
    view = make_view(synthetic_archive)
    view.resize(500, 320)  # narrow: 3,000 incidents over 33 years must be clustered
    view.fit_all()
    qtbot.waitUntil(lambda: view.model().window().aggregated, timeout=5000)
    layout = view.marker_layout()
    clusters = sorted(
        (x, r)
        for x, r, item in zip(layout.xs, layout.rs, layout.items, strict=True)
        if item.is_cluster
    )
    assert len(clusters) > 10
    for (x1, r1), (x2, r2) in pairwise(clusters):
        assert x1 + r1 <= x2 - r2 + 0.5, (x1, r1, x2, r2)


def test_a_repaint_of_an_unchanged_view_draws_the_last_frame_again(
    qtbot, make_view, synthetic_archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the view shows is painted once; a repaint with nothing changed (an import's
    progress, a dialog over the window) copies that frame, pixel for pixel; a pan, a new
    emphasis, a new palette or a new size paint anew."""
    from viewer.ui.timeline.painter import TimelinePainter

    view = make_view(synthetic_archive, lanes="perpetrator")
    painted: list[int] = []
    real = TimelinePainter.paint

    def paint(self: TimelinePainter, *args: object) -> None:
        painted.append(1)
        real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(TimelinePainter, "paint", paint)
    first = view.grab().toImage()
    again = view.grab().toImage()
    view.repaint()
    assert len(painted) == 1 and again == first
    geometry = view.geometry_now()
    view._set_view(geometry.left + 40 / geometry.scale, geometry.scale)  # a pan
    panned = view.grab().toImage()
    assert len(painted) == 2 and panned != first
    view._set_view(geometry.left - 40 / geometry.scale, geometry.scale)
    assert view.grab().toImage() == first and len(painted) == 3
    view.set_emphasis(frozenset(range(1, 50)))
    view.grab()
    assert len(painted) == 4
    view.resize(700, 300)
    assert view.grab().toImage().width() == 700 * view.devicePixelRatio()
    assert len(painted) == 5
