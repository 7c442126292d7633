"""The Help menu: Keyboard Shortcuts (read from the window's actions, so the list cannot go
stale), the User Guide (shipped with the program, shown offline) and About (versions,
licences, and the attribution the sample articles' licence asks for)."""

from __future__ import annotations

import html
import platform
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QObject, Qt, qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viewer import APP_NAME, __version__
from viewer.ui.reader import SafeBrowser

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow

# Keys a pane handles itself (not actions, so not in any menu). Each is tested.
PANE_KEYS = (
    ("Reader", "1 … 5", "Highlight the selection in that colour (or recolour a clicked one)"),
    ("Find bar", "Return / Shift+Return", "Next / previous match"),
    ("Find bar", "Esc", "Close the find bar"),
    ("Timeline", "+ / −", "Zoom in / out"),
    ("Timeline", "Left / Right", "Previous / next incident"),
    ("Timeline", "Return", "Open the selected incident"),
    ("Timeline", "Home", "Fit everything"),
    ("Search", "Down", "From the search field to the results"),
    ("Search", "Return", "Open the chosen result"),
    ("Incident table", "Up / Down", "Previous / next incident (the reader follows)"),
    ("Any list", "Tab / Shift+Tab", "Next / previous pane part (also out of the note editor)"),
)

# What the program is built on, under which licence (the program itself: GPL-3.0-or-later)
COMPONENTS = (
    ("Qt / PySide6", "LGPL-3.0"),
    ("SQLAlchemy", "MIT"),
    ("Alembic", "MIT"),
    ("platformdirs", "MIT"),
    ("mwparserfromhell", "MIT"),
    ("defusedxml", "PSF-2.0"),
    ("RapidFuzz", "MIT"),
    ("psycopg", "LGPL-3.0"),
    ("matplotlib", "PSF-based (matplotlib licence)"),
    ("NumPy", "BSD-3-Clause"),
)


@dataclass(frozen=True)
class ShortcutRow:
    menu: str
    command: str
    keys: str


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def _keys(action: QAction) -> str:
    return ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts())


def shortcut_rows(window: QWidget) -> list[ShortcutRow]:
    """Every action of the window with a key, by menu (actions in no menu: "Window")."""
    rows: list[ShortcutRow] = []
    seen: set[int] = set()
    # undo and redo name the change they would undo ("Undo Bookmark"): list them plainly
    fixed = {
        id(action): name
        for name in ("Undo", "Redo")
        if (action := getattr(window, f"{name.lower()}_action", None)) is not None
    }

    def name(action: QAction) -> str:
        return fixed.get(id(action)) or _plain(action.text())

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            submenu = action.menu()
            if isinstance(submenu, QMenu):
                walk(submenu, f"{path} > {_plain(action.text())}")
            elif action.shortcuts() and id(action) not in seen:
                seen.add(id(action))
                rows.append(ShortcutRow(path, name(action), _keys(action)))

    bar = window.menuBar() if hasattr(window, "menuBar") else None
    if bar is not None:
        for top in bar.actions():
            submenu = top.menu()
            if isinstance(submenu, QMenu):
                walk(submenu, _plain(top.text()))
    for action in window.findChildren(QAction):
        if action.shortcuts() and id(action) not in seen and action.text():
            seen.add(id(action))
            rows.append(ShortcutRow("Window", name(action), _keys(action)))
    rows += [ShortcutRow(pane, what, keys) for pane, keys, what in PANE_KEYS]
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setWindowTitle(self.tr("Keyboard Shortcuts"))
        self.resize(640, 560)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(self.tr("Filter by command or key"))
        self.filter.setClearButtonEnabled(True)
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Where"), self.tr("Command"), self.tr("Keys")]
        )
        for row, item in enumerate(rows):
            for column, text in enumerate((item.menu, item.command, item.keys)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(2)
        self.filter.textChanged.connect(self._filter)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)
        layout.addWidget(buttons)

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for row in range(self.table.rowCount()):
            items = (self.table.item(row, c) for c in range(3))
            cells = [item.text().casefold() for item in items if item is not None]
            self.table.setRowHidden(row, bool(needle) and not any(needle in c for c in cells))


class TextDialog(QDialog):
    """A read-only page: our own text (the guide, About), shown by a browser that loads
    nothing, with links opened by the desktop only when clicked."""

    def __init__(self, parent: QWidget, title: str, size: tuple[int, int]) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(*size)
        self.browser = SafeBrowser(self)
        self.browser.setOpenExternalLinks(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)


def _version(distribution: str) -> str:
    from importlib import metadata  # About only: 0.1 s the start need not pay

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "—"


def versions() -> list[tuple[str, str]]:
    return [
        (APP_NAME, __version__),
        ("Python", platform.python_version()),
        ("Qt", qVersion()),
        ("PySide6", pyside_version),
        ("SQLite", sqlite3.sqlite_version),
        ("SQLAlchemy", _version("SQLAlchemy")),
        ("matplotlib", _version("matplotlib")),
        ("System", platform.platform(terse=True)),
    ]


def about_html() -> str:
    def table(rows: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> str:
        cells = "".join(
            f"<tr><td>{html.escape(a)}</td><td>&nbsp;&nbsp;{html.escape(b)}</td></tr>"
            for a, b in rows
        )
        return f"<table>{cells}</table>"

    return (
        f"<h2>{html.escape(APP_NAME)} {html.escape(__version__)}</h2>"
        "<p>An offline archive for researching violent incidents from encyclopedia "
        "articles.</p>"
        f"<h3>Versions</h3>{table(versions())}"
        "<h3>Licence</h3><p>This program is free software under the GNU General Public "
        "License, version 3 or later (GPL-3.0-or-later). It is built on:</p>"
        f"{table(COMPONENTS)}"
        "<h3>Wikipedia</h3><p>The sample articles, and articles you import from Wikipedia, "
        "are text from Wikipedia by the Wikipedia contributors listed in each article's page "
        "history, licensed under the Creative Commons Attribution-ShareAlike 4.0 licence "
        "(<a href='https://creativecommons.org/licenses/by-sa/4.0/'>CC BY-SA 4.0</a>). "
        "Citations and exports keep each article's address; share what you derive from them "
        "under the same licence.</p>"
    )


def user_guide_text() -> str:
    from resources import resource_path

    return resource_path("help", "user-guide.md").read_text(encoding="utf-8")


class HelpMenu(QObject):
    """The Help menu's actions and what they open."""

    def __init__(self, window: MainWindow, menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.guide_action = QAction(self.tr("&User Guide"), window)
        self.guide_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.guide_action.triggered.connect(self.show_guide)
        self.shortcuts_action = QAction(self.tr("&Keyboard Shortcuts"), window)
        self.shortcuts_action.setShortcut(QKeySequence("Ctrl+/"))
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        self.about_action = QAction(self.tr("&About {0}").format(APP_NAME), window)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        for action in (self.guide_action, self.shortcuts_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.about_action)
        self.dialog: QDialog | None = None  # the last one opened (tests read it)

    def _show(self, dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.show()

    def show_shortcuts(self) -> None:
        self._show(ShortcutsDialog(self.window))

    def show_guide(self) -> None:
        dialog = TextDialog(self.window, self.tr("User Guide"), (760, 640))
        dialog.browser.setMarkdown(user_guide_text())
        self._show(dialog)

    def show_about(self) -> None:
        dialog = TextDialog(self.window, self.tr("About {0}").format(APP_NAME), (560, 560))
        dialog.browser.setHtml(about_html())
        self._show(dialog)
