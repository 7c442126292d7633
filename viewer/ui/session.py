"""Where the researcher left off: the incident in the reader, the search and the place in
the article are saved on close and restored when the same archive opens on the next start."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


class Session(QObject):
    """Restores once, for the first archive opened, and only if it is the one saved."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._restored = False
        self._place: tuple[int, int] | None = None  # (incident, body offset) to scroll to
        window.archive_opened.connect(self._opened)
        window.incident_shown.connect(self._shown)

    def save(self) -> None:
        window, settings = self.window, self.window.settings
        if window.archive is None:
            return
        settings.session = (
            window.archive.location,
            window.current_id or 0,
            window.search.field.text(),
            window.reader.top_place() if window.current_id is not None else 0,
        )

    def _opened(self) -> None:
        if self._restored:
            return
        self._restored = True
        window = self.window
        archive_location, incident_id, query, place = window.settings.session
        if window.archive is None or archive_location != window.archive.location:
            return
        if query:
            window.search.field.setText(query)
        if incident_id:
            self._place = (incident_id, place)
            window.open_incident(incident_id, remember=False)

    def _shown(self, incident_id: int) -> None:
        place, self._place = self._place, None
        if place is not None and place[0] == incident_id and place[1] > 0:
            self.window.reader.scroll_to_place(place[1])
