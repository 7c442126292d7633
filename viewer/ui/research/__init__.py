"""The research layer's panes: annotations, tags, bookmarks and the incident's note.

Every change a pane makes is an undoable command (research.undo) pushed on the window's
QUndoStack; every read runs on the TaskRunner. Text the researcher or an article wrote is
shown as plain text; tooltips escape it.
"""
