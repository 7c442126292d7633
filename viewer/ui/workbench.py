"""The researcher's workbench in the window: what the incident table's selection can do
(tag, export, show on the timeline), and the welcome page's sample articles.

Kept apart from main_window.py, which builds the window; this wires the table to it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog

from viewer.ui.deferred import deferred
from viewer.ui.research import undo
from viewer.ui.workbench_dialogs import CorrectionDialog, SourceDialog

if TYPE_CHECKING:
    from viewer.services import sources
    from viewer.ui.main_window import MainWindow
else:
    sources = deferred("viewer.services.sources")


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
        window.events.facts_changed.connect(self._facts_changed)
        window.reader.correction_requested.connect(self.correct_fact)
        window.reader.source_requested.connect(self.edit_source)
        self._add_actions()

    def _add_actions(self) -> None:
        window = self.window
        self.correct_action = QAction(self.tr("&Correct a Fact…"), window)
        self.correct_action.setStatusTip(
            self.tr("Your value for a fact of the open incident; it wins over extraction")
        )
        self.correct_action.triggered.connect(lambda: self.correct_fact("fatalities"))
        self.source_action = QAction(self.tr("Edit &Source…"), window)
        self.source_action.setStatusTip(self.tr("Where the open article was published"))
        self.source_action.triggered.connect(self.edit_source)
        self.cite_action = QAction(self.tr("Copy &Citation"), window)
        self.cite_action.setShortcut(QKeySequence("Ctrl+Alt+C"))
        self.cite_action.triggered.connect(lambda: self._copy(with_quote=False))
        self.quote_action = QAction(self.tr("Copy &Quote with Citation"), window)
        self.quote_action.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.quote_action.triggered.connect(lambda: self._copy(with_quote=True))
        menu = window.edit_menu
        menu.addSeparator()
        for action in (
            self.cite_action,
            self.quote_action,
            self.correct_action,
            self.source_action,
        ):
            menu.addAction(action)

    def _copy(self, *, with_quote: bool) -> None:
        if self.window.reader.copy_citation(with_quote=with_quote):
            self.window.statusBar().showMessage(self.tr("Citation copied"), 3000)
        elif with_quote:
            self.window.statusBar().showMessage(self.tr("Select the passage to quote first"), 4000)

    # -- corrections and sources ------------------------------------------------------------

    def correct_fact(self, field: str) -> None:
        window = self.window
        view = window.reader.view
        if window.archive is None or view is None:
            return
        dialog = CorrectionDialog(field, view.facts, window)
        if dialog.exec() != CorrectionDialog.DialogCode.Accepted:
            return
        value = "" if dialog.remove else dialog.value.text()
        window.push_research(
            undo.CorrectFact, window.archive, window.events, view.id, dialog.field, value,
            dialog.note.text(),
        )  # fmt: skip

    def edit_source(self) -> None:
        window = self.window
        archive, reader_view = window.archive, window.reader.view
        if archive is None or reader_view is None:
            return
        view = sources.source_view(archive, reader_view.id)
        if view is None:
            return
        dialog = SourceDialog(view, window)
        if dialog.exec() != SourceDialog.DialogCode.Accepted:
            return

        def yours(name: str, text: str) -> str:
            """What the researcher gives: a value the import already had is not theirs."""
            text = text.strip()
            return text if name in view.given or text != (getattr(view, name) or "") else ""

        window.push_research(
            undo.EditSource, archive, window.events, view.incident_id,
            yours("url", dialog.url.text()), yours("site", dialog.site.text()),
            yours("accessed", dialog.accessed.text()),
        )  # fmt: skip

    def _facts_changed(self, incident_id: int) -> None:
        """A correction moves the incident on the timeline and in the table, and the reader
        shows it: all three read it again."""
        window = self.window
        if window.archive is None:
            return
        window.table.model.refresh_rows()
        window.timeline.refresh()
        if incident_id == window.current_id:
            window.open_incident(incident_id, remember=False)

    def tag_incidents(self, incident_ids: list[int]) -> None:
        """Tag the incidents selected in the table (one undoable change)."""
        window, archive = self.window, self.window.archive
        if archive is None or not incident_ids:
            return

        def ask(known: list[str]) -> None:  # the tag names are read on the worker first
            if window.archive is not archive:
                return
            name, ok = QInputDialog.getItem(
                window,
                self.tr("Tag incidents"),
                self.tr("Tag for {0} incidents (several: separate with commas):").format(
                    len(incident_ids)
                ),
                known,
                0,
                True,
            )
            names = [n.strip() for n in name.split(",") if n.strip()] if ok else []
            if names and window.push_research(
                undo.TagIncidents, archive, window.events, incident_ids, names
            ):
                window.statusBar().showMessage(
                    self.tr("Tagged {0} incidents “{1}”").format(
                        len(incident_ids), ", ".join(names)
                    ),
                    5000,
                )

        window.with_known_tags(ask)

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
