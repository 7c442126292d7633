"""Undoable research-layer changes: every change goes through a QUndoStack (Ctrl+Z and
Ctrl+Shift+Z), and each step is committed to the archive at once by the services.

Commands run their service call synchronously on the GUI thread: each is one small
transaction (a few milliseconds), and undo order must follow the user's order exactly. During
an import of this window the change does not wait for the import's batch: the import gives
way between two articles (db.turns, through Archive.write). After a change the
ResearchEvents object announces what changed so every pane can refresh; the reads those
refreshes start wait until the change has returned (tasks.started_after).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from db.errors import ArchiveError
from viewer.annotation_colors import DEFAULT_COLOR
from viewer.ui.deferred import deferred
from viewer.ui.tasks import started_after

if TYPE_CHECKING:
    from db import Archive
    from viewer.services import corrections, research, sources, tagging
else:
    corrections = deferred("viewer.services.corrections")
    research = deferred("viewer.services.research")
    sources = deferred("viewer.services.sources")
    tagging = deferred("viewer.services.tagging")


class ResearchEvents(QObject):
    """What changed in the researcher's data (incident id, or 0 when many changed)."""

    annotations_changed = Signal(int)
    tags_changed = Signal(int)
    bookmarks_changed = Signal()
    note_changed = Signal(int)
    facts_changed = Signal(int)  # a correction or the source: the incident reads differently
    collections_changed = Signal()  # collections, their incidents, saved searches


class _PushOutcome:
    """What became of a command's first redo, the one QUndoStack.push runs."""

    def __init__(self) -> None:
        self.error: Exception | None = None


class Change(QUndoCommand):
    """One change: apply() does it (redo), undo() takes it back.

    A user-fixable failure of the first redo (the one QUndoStack.push runs) makes the
    command obsolete instead of raising through Qt: an exception escaping redo() inside
    push() leaves the failed command on the stack (undo would then undo something never
    done), and with a mergeable command on top it can crash PySide on a later push. An
    obsolete command is simply not added.
    """

    MERGE_ID = -1  # commands with the same id >= 0 may merge (mergeWith)

    def __init__(self, archive: Archive, events: ResearchEvents, text: str) -> None:
        super().__init__(text)
        self.archive = archive
        self.events = events
        self._first_push: _PushOutcome | None = None

    def apply(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        """Apply the change; the panes' reads its signals start wait until it returns."""
        outcome, self._first_push = self._first_push, None
        with started_after():
            if outcome is None:
                self.apply()
                return
            try:
                self.apply()
            except (research.ResearchError, ArchiveError) as exc:
                outcome.error = exc
                self.setObsolete(True)

    def id(self) -> int:
        return -1 if self.isObsolete() else self.MERGE_ID


def push_change(
    stack: QUndoStack, command_class: type[Change], *args: Any, **kwargs: Any
) -> Exception | None:
    """Build the command and push it; returns the user-fixable error that stopped it (the
    command is then not on the stack), or None when the change is done."""
    command = command_class(*args, **kwargs)
    outcome = _PushOutcome()
    command._first_push = outcome
    stack.push(command)
    return outcome.error


class CreateAnnotation(Change):
    def __init__(
        self,
        archive: Archive,
        events: ResearchEvents,
        incident_id: int,
        start: int,
        end: int,
        color: str = DEFAULT_COLOR,
        note: str | None = None,
        tags: Sequence[str] = (),
    ) -> None:
        super().__init__(archive, events, "Annotate")
        self.incident_id, self.start, self.end = incident_id, start, end
        self.color, self.note, self.tags = color, note, list(tags)
        self.created: research.AnnotationView | None = None
        self.snapshot: research.AnnotationSnapshot | None = None

    def apply(self) -> None:
        if self.snapshot is not None:  # redo after undo: the very same annotation again
            research.restore_annotation(self.archive, self.snapshot)
        else:
            self.created = research.create_annotation(
                self.archive,
                self.incident_id,
                self.start,
                self.end,
                color=self.color,
                note=self.note,
                tags=self.tags,
            )
        self.events.annotations_changed.emit(self.incident_id)

    def undo(self) -> None:
        assert self.created is not None
        self.snapshot = research.delete_annotation(self.archive, self.created.id)
        self.events.annotations_changed.emit(self.incident_id)


class DeleteAnnotation(Change):
    def __init__(
        self, archive: Archive, events: ResearchEvents, annotation: research.AnnotationView
    ) -> None:
        super().__init__(archive, events, "Delete annotation")
        self.annotation = annotation
        self.snapshot: research.AnnotationSnapshot | None = None

    def apply(self) -> None:
        self.snapshot = research.delete_annotation(self.archive, self.annotation.id)
        self.events.annotations_changed.emit(self.annotation.incident_id)

    def undo(self) -> None:
        assert self.snapshot is not None
        research.restore_annotation(self.archive, self.snapshot)
        self.events.annotations_changed.emit(self.annotation.incident_id)


class EditAnnotation(Change):
    """Change colour, note and/or tags of an annotation."""

    def __init__(
        self,
        archive: Archive,
        events: ResearchEvents,
        before: research.AnnotationView,
        *,
        color: str,
        note: str | None,
        tags: Sequence[str],
    ) -> None:
        super().__init__(archive, events, "Edit annotation")
        self.before = before
        self.after = (color, note, list(tags))
        # the version this change starts from: another's change in between is a conflict
        self.version = before.version

    def _apply(self, color: str, note: str | None, tags: Sequence[str]) -> None:
        changed = research.update_annotation(
            self.archive,
            self.before.id,
            color=color,
            note=note or "",
            tags=tags,
            clear_note=not note,
            expected_version=self.version,
        )
        self.version = changed.version
        self.events.annotations_changed.emit(self.before.incident_id)
        self.events.tags_changed.emit(0)

    def apply(self) -> None:
        self._apply(*self.after)

    def undo(self) -> None:
        self._apply(self.before.color, self.before.note, self.before.tags)


class ReattachAnnotation(Change):
    def __init__(
        self,
        archive: Archive,
        events: ResearchEvents,
        before: research.AnnotationView,
        start: int,
        end: int,
    ) -> None:
        super().__init__(archive, events, "Re-attach annotation")
        self.before, self.start, self.end = before, start, end

    def apply(self) -> None:
        research.reattach_annotation(self.archive, self.before.id, self.start, self.end)
        self.events.annotations_changed.emit(self.before.incident_id)

    def undo(self) -> None:
        snapshot = research.delete_annotation(self.archive, self.before.id)
        b = self.before  # put the old anchor back
        row = {**snapshot.row, "quote": b.quote, "prefix": b.prefix, "suffix": b.suffix,
               "start": b.start, "end": b.end, "orphaned": b.orphaned,
               "anchored_by": b.anchored_by}  # fmt: skip
        research.restore_annotation(
            self.archive, research.AnnotationSnapshot(row, snapshot.tag_ids)
        )
        self.events.annotations_changed.emit(self.before.incident_id)


class TagIncident(Change):
    def __init__(
        self,
        archive: Archive,
        events: ResearchEvents,
        incident_id: int,
        names: Sequence[str],
        *,
        remove: bool = False,
    ) -> None:
        super().__init__(archive, events, "Remove tag" if remove else "Tag incident")
        self.incident_id, self.names, self.remove = incident_id, list(names), remove
        self.changed: list[str] = []

    def apply(self) -> None:
        change = research.untag_incident if self.remove else research.tag_incident
        self.changed = change(self.archive, self.incident_id, self.names)
        self.events.tags_changed.emit(self.incident_id)

    def undo(self) -> None:
        change = research.tag_incident if self.remove else research.untag_incident
        change(self.archive, self.incident_id, self.changed)
        self.events.tags_changed.emit(self.incident_id)


class TagIncidents(Change):
    """Tag many incidents at once (the incident table's selection); undo takes off only
    the tags this added."""

    def __init__(
        self,
        archive: Archive,
        events: ResearchEvents,
        incident_ids: Sequence[int],
        names: Sequence[str],
    ) -> None:
        super().__init__(archive, events, f"Tag {len(incident_ids)} incidents")
        self.incident_ids, self.names = list(incident_ids), list(names)
        self.added: dict[int, list[str]] = {}

    def apply(self) -> None:
        self.added = tagging.tag_incidents(self.archive, self.incident_ids, self.names)
        self.events.tags_changed.emit(0)

    def undo(self) -> None:
        tagging.untag_incidents(self.archive, self.added)
        self.events.tags_changed.emit(0)


class RenameTag(Change):
    """Rename (or, onto an existing name, merge) a tag. Undo of a merge restores the
    source tag's links from a snapshot of them."""

    def __init__(
        self,
        archive: Archive,
        events: ResearchEvents,
        old: str,
        new: str,
        expected_version: int | None = None,
    ) -> None:
        super().__init__(archive, events, "Rename tag")
        self.old, self.new = old, new
        # the version the user saw: checked on the first apply only (a redo follows its undo)
        self.expected_version = expected_version
        self.snapshot: research.TagSnapshot | None = None
        self.target: research.TagSnapshot | None = None

    def apply(self) -> None:
        self.snapshot = research.tag_snapshot(self.archive, self.old)
        target = research.tag_snapshot(self.archive, self.new)
        self.target = (
            target if target and self.snapshot and target.row[0] != self.snapshot.row[0] else None
        )
        expected, self.expected_version = self.expected_version, None
        research.rename_tag(self.archive, self.old, self.new, expected)
        self.events.tags_changed.emit(0)
        self.events.annotations_changed.emit(0)

    def undo(self) -> None:
        assert self.snapshot is not None
        if self.target is not None:
            research.restore_tag_snapshot(self.archive, self.target)
        research.restore_tag_snapshot(self.archive, self.snapshot)
        self.events.tags_changed.emit(0)
        self.events.annotations_changed.emit(0)


class MergeTags(Change):
    def __init__(
        self,
        archive: Archive,
        events: ResearchEvents,
        sources: Sequence[str],
        target: str,
        expected_versions: dict[str, int] | None = None,
    ) -> None:
        super().__init__(archive, events, "Merge tags")
        self.sources, self.target = list(sources), target
        self.expected_versions = expected_versions  # checked on the first apply only
        self.snapshots: list[research.TagSnapshot | None] = []
        self.target_snapshot: research.TagSnapshot | None = None

    def apply(self) -> None:
        self.snapshots = [research.tag_snapshot(self.archive, name) for name in self.sources]
        self.target_snapshot = research.tag_snapshot(self.archive, self.target)
        expected, self.expected_versions = self.expected_versions, None
        research.merge_tags(self.archive, self.sources, self.target, expected)
        self.events.tags_changed.emit(0)
        self.events.annotations_changed.emit(0)

    def undo(self) -> None:
        for snapshot in self.snapshots:
            if snapshot is not None:
                research.restore_tag_snapshot(self.archive, snapshot)
        if self.target_snapshot is not None:
            research.restore_tag_snapshot(self.archive, self.target_snapshot)
        else:
            research.drop_tag(self.archive, self.target)
        self.events.tags_changed.emit(0)
        self.events.annotations_changed.emit(0)


class SetTagColor(Change):
    def __init__(
        self,
        archive: Archive,
        events: ResearchEvents,
        tag_id: int,
        color: str,
        expected_version: int | None = None,
    ) -> None:
        super().__init__(archive, events, "Tag colour")
        self.tag_id, self.color = tag_id, color
        self.previous = color
        self.expected_version = expected_version  # checked on the first apply only

    def apply(self) -> None:
        expected, self.expected_version = self.expected_version, None
        self.previous = research.set_tag_color(self.archive, self.tag_id, self.color, expected)
        self.events.tags_changed.emit(0)

    def undo(self) -> None:
        research.set_tag_color(self.archive, self.tag_id, self.previous)
        self.events.tags_changed.emit(0)


class AddBookmark(Change):
    def __init__(
        self,
        archive: Archive,
        events: ResearchEvents,
        incident_id: int,
        label: str | None = None,
        start: int | None = None,
    ) -> None:
        super().__init__(archive, events, "Bookmark")
        self.incident_id, self.label, self.start = incident_id, label, start
        self.row: dict[str, object] | None = None
        self.created: research.BookmarkView | None = None

    def apply(self) -> None:
        if self.row is not None:
            research.restore_bookmark(self.archive, self.row)
        else:
            self.created = research.add_bookmark(
                self.archive, self.incident_id, self.label, self.start
            )
        self.events.bookmarks_changed.emit()

    def undo(self) -> None:
        assert self.created is not None
        self.row = research.delete_bookmark(self.archive, self.created.id)
        self.events.bookmarks_changed.emit()


class DeleteBookmark(Change):
    def __init__(self, archive: Archive, events: ResearchEvents, bookmark_id: int) -> None:
        super().__init__(archive, events, "Delete bookmark")
        self.bookmark_id = bookmark_id
        self.row: dict[str, object] | None = None

    def apply(self) -> None:
        self.row = research.delete_bookmark(self.archive, self.bookmark_id)
        self.events.bookmarks_changed.emit()

    def undo(self) -> None:
        assert self.row is not None
        research.restore_bookmark(self.archive, self.row)
        self.events.bookmarks_changed.emit()


class RenameBookmark(Change):
    def __init__(
        self, archive: Archive, events: ResearchEvents, bookmark_id: int, label: str
    ) -> None:
        super().__init__(archive, events, "Rename bookmark")
        self.bookmark_id, self.label, self.previous = bookmark_id, label, label

    def apply(self) -> None:
        self.previous = research.rename_bookmark(self.archive, self.bookmark_id, self.label)
        self.events.bookmarks_changed.emit()

    def undo(self) -> None:
        research.rename_bookmark(self.archive, self.bookmark_id, self.previous)
        self.events.bookmarks_changed.emit()


class SaveNote(Change):
    """A note edit that the user undoes from the Edit menu (typing itself is saved as it
    happens; consecutive edits of one note merge into one undo step)."""

    MERGE_ID = 4711

    def __init__(
        self,
        archive: Archive,
        events: ResearchEvents,
        incident_id: int,
        before: tuple[str, str],
        after: tuple[str, str],
    ) -> None:
        super().__init__(archive, events, "Edit note")
        self.incident_id, self.before, self.after = incident_id, before, after

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SaveNote) or other.incident_id != self.incident_id:
            return False
        self.after = other.after
        return True

    def apply(self) -> None:
        research.save_note(self.archive, self.incident_id, *self.after)
        self.events.note_changed.emit(self.incident_id)

    def undo(self) -> None:
        research.save_note(self.archive, self.incident_id, *self.before)
        self.events.note_changed.emit(self.incident_id)


def make_stack(parent: QObject) -> QUndoStack:
    stack = QUndoStack(parent)
    stack.setUndoLimit(500)
    return stack


class CorrectFact(Change):
    """Set (or with an empty value, remove) the researcher's value of a fact; undo puts
    the correction back as it was before."""

    def __init__(
        self, archive: Archive, events: ResearchEvents, incident_id: int, field: str,
        value: str, note: str | None = None,
    ) -> None:  # fmt: skip
        super().__init__(archive, events, f"Correct {field}")
        self.incident_id, self.field, self.value, self.note = incident_id, field, value, note
        self.previous: corrections.StoredCorrection | None = None

    def apply(self) -> None:
        self.previous = corrections.correct(
            self.archive, self.incident_id, self.field, self.value, self.note
        )
        self.events.facts_changed.emit(self.incident_id)

    def undo(self) -> None:
        corrections.restore(self.archive, self.incident_id, self.field, self.previous)
        self.events.facts_changed.emit(self.incident_id)


class EditSource(Change):
    """The researcher's URL, site and access date of an incident's source."""

    def __init__(
        self, archive: Archive, events: ResearchEvents, incident_id: int, url: str, site: str,
        accessed: str,
    ) -> None:  # fmt: skip
        super().__init__(archive, events, "Edit source")
        self.incident_id, self.values = (
            incident_id,
            {"url": url, "site": site, "accessed": accessed},
        )
        self.previous: sources.StoredCitation | None = None

    def apply(self) -> None:
        self.previous = sources.set_source(self.archive, self.incident_id, **self.values)
        self.events.facts_changed.emit(self.incident_id)

    def undo(self) -> None:
        sources.restore_source(self.archive, self.incident_id, self.previous)
        self.events.facts_changed.emit(self.incident_id)
