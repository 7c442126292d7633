"""What teammates change in a team archive, as it happens: PostgreSQL's LISTEN/NOTIFY.

`team init` puts a statement-level trigger on each table a window shows; it notifies the
channel with the table's name when a transaction commits (the server drops repeats within a
transaction, so an import of thousands of articles sends each name once). A ChangeListener
holds its own connection on a thread of its own, collects the names for a short moment and
hands them to a callback (which must not touch widgets: it runs on that thread). When the
server goes away the listener says so once and connects again every few seconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from db.archive import Archive

CHANNEL = "incident_archive"
LOST = "<connection lost>"  # handed to the callback when the server went away
WATCHED = ("incidents", "annotations", "annotation_tags", "incident_tags", "tags", "notes",
           "bookmarks", "collections", "collection_items", "saved_searches")  # fmt: skip
RETRY_S = 3.0


def notify_statements() -> list[str]:
    """The trigger function and triggers `team init` creates."""
    statements = [
        "CREATE OR REPLACE FUNCTION archive_changed() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME); RETURN NULL; END $$"
    ]
    for table in WATCHED:
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_changed ON {table}",
            f"CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION archive_changed()",
        ]
    return statements


class ChangeListener:
    """Calls on_change(names of changed tables) for every change committed to a team
    archive, by this program or any other, within about half a second."""

    def __init__(self, archive: Archive, on_change: Callable[[set[str]], None]) -> None:
        url = archive.engine.url.set(drivername="postgresql")
        self._conninfo = url.render_as_string(hide_password=False)
        self._on_change = on_change
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="archive-listener", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        import psycopg

        lost = False
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5) as db:
                    db.execute(f"LISTEN {CHANNEL}")
                    if lost:  # back: whatever changed meanwhile is to be read again
                        self._on_change(set(WATCHED))
                    lost = False
                    self._listen(db)
            except psycopg.Error:
                if not lost:
                    self._on_change({LOST})
                lost = True
                self._stop.wait(RETRY_S)

    def _listen(self, db: object) -> None:
        while not self._stop.is_set():
            names = {note.payload for note in db.notifies(timeout=0.5)}  # type: ignore[attr-defined]
            if names:
                time.sleep(0.05)  # a burst (an import's batches) arrives as one change
                names |= {note.payload for note in db.notifies(timeout=0.05)}  # type: ignore[attr-defined]
                self._on_change(names)
