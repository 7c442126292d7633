"""The researcher's workbench in the window: what the incident table's selection can do
(tag, export, show on the timeline), and the welcome page's sample articles.

Kept apart from main_window.py, which builds the window; this wires the table to it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog

from viewer.ui.research import undo

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


class Workbench(QObject):
    """The incident table's actions, carried out on the window's archive and worker."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def wire(self) -> None:
        window, table = self.window, self.window.table
        table.incident_activated.connect(window.open_incident)
        table.tag_requested.connect(self.tag_incidents)
        table.export_requested.connect(self.export_incidents)
        table.timeline_requested.connect(self.show_on_timeline)
        table.welcome.import_files.connect(window.choose_files)
        table.welcome.import_folder.connect(window.choose_folder)
        table.welcome.open_samples.connect(self.import_samples)
        window.events.tags_changed.connect(lambda _id: table.model.refresh_rows())
        window.events.annotations_changed.connect(lambda _id: table.model.refresh_rows())

    def tag_incidents(self, incident_ids: list[int]) -> None:
        """Tag the incidents selected in the table (one undoable change)."""
        if self.window.archive is None or not incident_ids:
            return
        name, ok = QInputDialog.getItem(
            self.window,
            self.tr("Tag incidents"),
            self.tr("Tag for {0} incidents (several: separate with commas):").format(
                len(incident_ids)
            ),
            self.window.known_tags(),
            0,
            True,
        )
        names = [n.strip() for n in name.split(",") if n.strip()] if ok else []
        if names and self.window.push_research(
            undo.TagIncidents, self.window.archive, self.window.events, incident_ids, names
        ):
            self.window.statusBar().showMessage(
                self.tr("Tagged {0} incidents “{1}”").format(len(incident_ids), ", ".join(names)),
                5000,
            )

    def export_incidents(self, incident_ids: list[int]) -> None:
        """Export the incidents selected in the table, in a format the user picks."""
        if self.window.archive is None or not incident_ids:
            return
        labels = {action.text(): fmt for fmt, action in self.window.export_actions.items()}
        label, ok = QInputDialog.getItem(
            self.window,
            self.tr("Export incidents"),
            self.tr("Format for {0} incidents:").format(len(incident_ids)),
            list(labels),
            0,
            False,
        )
        if ok and label in labels:
            self.window.exporter.choose(self.window.archive, labels[label], incident_ids)

    def show_on_timeline(self, incident_ids: list[int]) -> None:
        """Emphasise these incidents on the timeline and fit it to their dates."""
        archive = self.window.archive
        if archive is None or not incident_ids:
            return
        self.window.timeline.set_emphasis(frozenset(incident_ids))
        self.window.timeline_dock.show()
        self.window.timeline_dock.raise_()

        def work() -> tuple[str, str] | None:
            from viewer.services.catalog import date_span

            return date_span(archive, incident_ids)

        def done(span: tuple[str, str] | None) -> None:
            if span is None:
                return
            first, last = date.fromisoformat(span[0]), date.fromisoformat(span[1])
            margin = max((last - first) / 20, timedelta(days=3))
            self.window.timeline.set_visible_range(first - margin, last + margin)

        self.window.runner.submit(work, done, key="timeline-span")

    def import_samples(self) -> None:
        """Import the reference articles that ship with the program (the welcome page)."""
        from resources import resource_path

        self.window.import_paths([str(resource_path("samples", "articles"))])
