"""Small pieces the research panes share: colour swatches and names, hint labels,
record views, the Delete key, a flow layout for tag chips."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QObject,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QLayout,
    QLayoutItem,
    QMenu,
    QMessageBox,
    QTreeView,
    QWidget,
)

from db.errors import ArchiveError

ERROR_COLOR = "#d32f2f"
ORPHAN_COLOR = "#e65100"


def translate(text: str) -> str:
    return QCoreApplication.translate("ResearchPanes", text)


def color_label(color: str) -> str:
    """The annotation colour's name for people (the stored names are English keys)."""
    labels = {
        "yellow": translate("Yellow"),
        "green": translate("Green"),
        "blue": translate("Blue"),
        "pink": translate("Pink"),
        "orange": translate("Orange"),
    }
    return labels.get(color, color)


def abbreviate(text: str, limit: int) -> str:
    """One line of at most limit characters (whitespace folded, an ellipsis when cut)."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def menu_text(text: str) -> str:
    """Text for a menu entry or button: '&' would otherwise mark a shortcut letter."""
    return text.replace("&", "&&")


_SWATCHES: dict[tuple[str, int], QIcon] = {}


def swatch_icon(color: str, size: int = 14) -> QIcon:
    """A small rounded square of the colour (cached)."""
    icon = _SWATCHES.get((color, size))
    if icon is None:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor(0, 0, 0, 110))
        painter.setBrush(QColor(color))
        painter.drawRoundedRect(QRectF(0.5, 0.5, size - 1, size - 1), 3, 3)
        painter.end()
        icon = QIcon(pixmap)
        _SWATCHES[(color, size)] = icon
    return icon


def text_color_on(background: str) -> str:
    return "#000000" if QColor(background).lightness() > 140 else "#ffffff"


def show_error(parent: QWidget, error: Exception) -> None:
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        translate("Not saved") if isinstance(error, ArchiveError) else translate("Not done"),
        str(error),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


class DeleteKey(QObject):
    """Delete (and Backspace, as on macOS) on a view calls the callback; claims the key
    before any window shortcut does."""

    def __init__(self, parent: QObject, callback: Callable[[], object]) -> None:
        super().__init__(parent)
        self._callback = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            assert isinstance(event, QKeyEvent)
            plain = event.modifiers() in (
                Qt.KeyboardModifier.NoModifier,
                Qt.KeyboardModifier.KeypadModifier,
            )
            if plain and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                event.accept()
                if event.type() == QEvent.Type.KeyPress:
                    self._callback()
                return True
        return super().eventFilter(watched, event)


def record_view(parent: QWidget, model: QAbstractTableModel) -> QTreeView:
    view = QTreeView(parent)
    view.setModel(model)
    view.setRootIsDecorated(False)
    view.setUniformRowHeights(True)
    view.setAlternatingRowColors(True)
    view.setAllColumnsShowFocus(True)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.header().setStretchLastSection(False)
    return view


def popup(menu: QMenu, view: QTreeView, position: QPoint) -> None:
    """Show a context menu at a place in the view, then let it go (its actions run
    before exec returns)."""
    menu.exec(view.viewport().mapToGlobal(position))
    menu.deleteLater()


def hint_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    set_tone(label)
    return label


def set_tone(label: QLabel, *, error: bool = False) -> None:
    """Grey hint text, or red for a problem."""
    palette = label.palette()
    colour = (
        QColor(ERROR_COLOR)
        if error
        else QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
    )
    palette.setColor(QPalette.ColorRole.WindowText, colour)
    label.setPalette(palette)


def safe_color(color: str, fallback: str = "#90a4ae") -> str:
    """The colour as #rrggbb (a stored value is data: never pasted into a style sheet)."""
    parsed = QColor(color)
    return parsed.name() if parsed.isValid() else fallback


def usage_text(incidents: int, annotations: int) -> str:
    first = (
        translate("1 incident") if incidents == 1 else translate("{0} incidents").format(incidents)
    )
    second = (
        translate("1 annotation")
        if annotations == 1
        else translate("{0} annotations").format(annotations)
    )
    return f"{first} · {second}"


class FlowLayout(QLayout):
    """Lays its widgets out left to right, wrapping onto new lines (tag chips)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 4) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, line_height = area.x(), area.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and line_height > 0:
                x, y = area.x(), y + line_height + self._gap
                line_height = 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._gap
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + margins.bottom()
