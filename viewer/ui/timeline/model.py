"""The items of the timeline's fetched window as a Qt list model, and their tooltips."""

from __future__ import annotations

import calendar
import html
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QCoreApplication,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QWidget

from viewer.wording import toll_text

if TYPE_CHECKING:
    from viewer.services.timeline import TimelineItem, TimelineWindow

ModelIndex = QModelIndex | QPersistentModelIndex


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def format_day(day: date) -> str:
    return f"{day.day} {calendar.month_abbr[day.month]} {day.year}"


def item_tooltip(item: TimelineItem, lane_mode: str = "none") -> str:
    """Rich-text tooltip for an item; every article-derived string is escaped."""
    tr = _translate
    lines: list[str] = []
    if item.is_cluster:
        lines.append("<b>" + tr("%1 incidents").replace("%1", f"{item.count:,}") + "</b>")
        span = format_day(item.start)
        if item.end != item.start:
            span += " – " + format_day(item.end)
        lines.append(html.escape(span))
        if item.fatalities_max is not None:
            deadliest = f"{item.fatalities_max:,}"
            lines.append(html.escape(tr("Deadliest: %1 killed").replace("%1", deadliest)))
        if item.emphasized:
            lines.append(
                html.escape(tr("%1 match the search").replace("%1", f"{item.emphasized:,}"))
            )
    else:
        lines.append("<b>" + html.escape(item.title or tr("Untitled incident")) + "</b>")
        span = format_day(item.start)
        if item.end != item.start:
            span += " – " + format_day(item.end)
        lines.append(html.escape(span))
        toll = toll_text(item.fatalities_min, item.fatalities_max, item.fatalities_open)
        lines.append(
            html.escape(tr("%1 killed").replace("%1", toll) if toll else tr("Toll unknown"))
        )
    if lane_mode != "none" and item.lane:
        lines.append("<i>" + html.escape(item.lane) + "</i>")
    return "<qt>" + "<br>".join(lines) + "</qt>"


def _translate(text: str) -> str:
    return QCoreApplication.translate("TimelineView", text)


class TimelineModel(QAbstractListModel):
    """The items of the window the timeline last fetched, one row each."""

    ItemRole = Qt.ItemDataRole.UserRole + 1
    IncidentIdRole = Qt.ItemDataRole.UserRole + 2
    CountRole = Qt.ItemDataRole.UserRole + 3
    StartRole = Qt.ItemDataRole.UserRole + 4
    EndRole = Qt.ItemDataRole.UserRole + 5
    LaneRole = Qt.ItemDataRole.UserRole + 6
    FatalitiesMinRole = Qt.ItemDataRole.UserRole + 7
    FatalitiesMaxRole = Qt.ItemDataRole.UserRole + 8
    FatalitiesOpenRole = Qt.ItemDataRole.UserRole + 9
    EmphasizedRole = Qt.ItemDataRole.UserRole + 10

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._window: TimelineWindow | None = None
        self._items: list[TimelineItem] = []

    def set_window(self, window: TimelineWindow | None) -> None:
        self.beginResetModel()
        self._window = window
        self._items = list(window.items) if window is not None else []
        self.endResetModel()

    def window(self) -> TimelineWindow | None:
        return self._window

    def items(self) -> list[TimelineItem]:
        return self._items

    def item(self, row: int) -> TimelineItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        item = self.item(index.row())
        if item is None or index.column() != 0:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if item.is_cluster or item.title is None:
                return self.tr("%1 incidents").replace("%1", f"{item.count:,}")
            return item.title
        if role == Qt.ItemDataRole.ToolTipRole:
            window = self._window
            return item_tooltip(item, window.lane_mode if window else "none")
        return self._role_value(item, role)

    def _role_value(self, item: TimelineItem, role: int) -> Any:
        if role == self.ItemRole:
            return item
        if role == self.IncidentIdRole:
            return item.incident_id
        if role == self.CountRole:
            return item.count
        if role == self.StartRole:
            return _qdate(item.start)
        if role == self.EndRole:
            return _qdate(item.end)
        if role == self.LaneRole:
            return item.lane
        if role == self.FatalitiesMinRole:
            return item.fatalities_min
        if role == self.FatalitiesMaxRole:
            return item.fatalities_max
        if role == self.FatalitiesOpenRole:
            return item.fatalities_open
        if role == self.EmphasizedRole:
            return item.emphasized
        return None

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        for role, name in (
            (self.ItemRole, b"item"),
            (self.IncidentIdRole, b"incidentId"),
            (self.CountRole, b"count"),
            (self.StartRole, b"start"),
            (self.EndRole, b"end"),
            (self.LaneRole, b"lane"),
            (self.FatalitiesMinRole, b"fatalitiesMin"),
            (self.FatalitiesMaxRole, b"fatalitiesMax"),
            (self.FatalitiesOpenRole, b"fatalitiesOpen"),
            (self.EmphasizedRole, b"emphasized"),
        ):
            names[int(role)] = QByteArray(name)
        return names
