"""Research panes built when first needed (issue 13): the Annotations, Note and Tags panes sit
in tabs behind Reactions and Search, so at start their docks hold an empty placeholder; a pane
is built when its dock first becomes visible (its tab chosen, the View menu) or when code
first reaches it as window.NAME, and is then brought up to date (archive, read-only state,
shown incident) and wired to the window as if it had been there from the start."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from PySide6.QtWidgets import QDockWidget, QWidget

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow
    from viewer.ui.research.annotations import AnnotationsPane
    from viewer.ui.research.base import ResearchPane
    from viewer.ui.research.notes import NoteEditor
    from viewer.ui.research.tags import TagsPane

P = TypeVar("P", bound="ResearchPane")


class LazyPane(Generic[P]):
    """A window attribute holding a pane built on first access (then stored on the window)."""

    def __init__(
        self, dock: str, build: Callable[[MainWindow], P], wire: Callable[[MainWindow, P], None]
    ) -> None:
        self.dock, self._build, self._wire = dock, build, wire
        self._name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, window: None, owner: type) -> LazyPane[P]: ...
    @overload
    def __get__(self, window: MainWindow, owner: type) -> P: ...
    def __get__(self, window: MainWindow | None, owner: type) -> Any:
        if window is None:
            return self
        pane = self._build(window)
        window.__dict__[self._name] = pane  # found there from now on
        dock: QDockWidget = getattr(window, self.dock)
        placeholder = dock.widget()
        dock.setWidget(pane)
        if placeholder is not None:
            placeholder.deleteLater()
        self._wire(window, pane)
        if window.archive is not None:
            pane.set_archive(window.archive, window.runner, window.undo_stack, window.events)
            access = getattr(window, "access", None)
            if access is not None and hasattr(pane, "set_read_only"):
                pane.set_read_only(access.read_only_reason is not None)
            if window.current_id is not None:
                pane.show_incident(window.current_id)  # type: ignore[attr-defined]
        return pane

    def placeholder(self, window: MainWindow, dock: QDockWidget) -> QWidget:
        """An empty widget for the pane's dock, which builds the pane when the dock shows."""
        dock.visibilityChanged.connect(lambda on: getattr(window, self._name) if on else None)
        return QWidget(dock)


def built(window: QWidget, name: str) -> Any:
    """window.NAME if it holds a pane already built, else None (nothing to bring up to date)."""
    return window.__dict__.get(name)


def _annotations(window: MainWindow) -> AnnotationsPane:
    from viewer.ui.research.annotations import AnnotationsPane

    return AnnotationsPane(window)


def _wire_annotations(window: MainWindow, pane: AnnotationsPane) -> None:
    pane.annotation_activated.connect(window._show_statement)
    pane.reattach_requested.connect(window._choose_reattach)


def _tags(window: MainWindow) -> TagsPane:
    from viewer.ui.research.tags import TagsPane

    return TagsPane(window)


def _wire_tags(window: MainWindow, pane: TagsPane) -> None:
    pane.tag_filter_requested.connect(window.filter_by_tag)


def _note(window: MainWindow) -> NoteEditor:
    from viewer.ui.research.notes import NoteEditor

    return NoteEditor(window)


def _wire_nothing(window: MainWindow, pane: object) -> None:
    pass


ANNOTATIONS = LazyPane("annotations_dock", _annotations, _wire_annotations)
TAGS = LazyPane("tags_dock", _tags, _wire_tags)
NOTE = LazyPane("note_dock", _note, _wire_nothing)
LAZY: dict[str, LazyPane[Any]] = {
    "annotations": ANNOTATIONS,
    "tags": TAGS,
    "note": NOTE,
}  # by dock name
