"""The smaller things a researcher meets in the window: reaction counts that follow the
filter, lanes that refit the timeline, an import summary that names what it skipped."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from db import Archive
from db.records import StoredReaction
from tests.conftest import SEED_MASTUNG
from viewer.services import catalog
from viewer.services.reactions import incident_reactions
from viewer.ui.importer import ImportController
from viewer.ui.reactions.models import ReactionsFilter, ReactionsModel
from viewer.ui.timeline.view import TimelineView


def test_reaction_counts_follow_the_filter(qtmodeltester: Any, seeded_archive: Archive) -> None:
    incident = catalog.find_incident(seeded_archive, "February 2024 Balochistan bombings").id
    statements: list[StoredReaction] = incident_reactions(seeded_archive, incident)
    model = ReactionsModel()
    model.set_statements(statements)
    proxy = ReactionsFilter()
    proxy.setSourceModel(model)
    proxy.set_filter("", "mourning")
    qtmodeltester.check(proxy)
    top = proxy.index(0, 0)
    assert top.data() == "Domestic (1 of 6)"
    assert proxy.index(0, ReactionsModel.COUNT).data() == "1"
    proxy.set_filter("", None)
    assert proxy.index(0, 0).data() == "Domestic (6)"


def test_switching_lanes_refits_the_timeline(qtbot, task_runner, seeded_archive: Archive) -> None:
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(900, 320)
    view.show()
    with qtbot.waitSignal(view.window_loaded, timeout=5000):
        view.set_archive(seeded_archive, task_runner)
    view.set_visible_range(date(2010, 1, 1), date(2010, 2, 1))
    with qtbot.waitSignal(view.window_loaded, timeout=5000):
        view.set_lane_mode("perpetrator")
    first, last = view.visible_range()
    assert first < date(2023, 9, 29) and date(2024, 2, 7) < last


def test_the_import_summary_names_duplicates_skipped_and_unchanged_files(
    qtbot, task_runner, empty_archive: Archive, tmp_path: Path, seeds_dir: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    text = (seeds_dir / SEED_MASTUNG).read_text(encoding="utf-8")
    (folder / "a-first.txt").write_text(text, encoding="utf-8")
    (folder / "b-copy.txt").write_text(text, encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    window = QWidget()
    qtbot.addWidget(window)
    controller = ImportController(window, task_runner)
    with qtbot.waitSignal(controller.finished, timeout=20000):
        assert controller.start(empty_archive, [folder])
    box = controller.last_summary
    details = box.detailedText()
    assert "copy.txt: duplicate" in details and "a-first.txt" in details
    assert "pipe.txt: skipped" in details
    assert "2 files skipped or duplicated" in box.text()
    box.close()
    with qtbot.waitSignal(controller.finished, timeout=20000):
        assert controller.start(empty_archive, [folder / "a-first.txt"])
    assert (
        "a-first.txt: unchanged, already in the archive" in controller.last_summary.detailedText()
    )
    controller.last_summary.close()
