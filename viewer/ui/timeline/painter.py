"""Painting the timeline: lanes, grid, markers and clusters, the events sub-track, the
date axis and lane labels, from a Scene the view describes.

A paint only walks the visible slice of the marker layout; single-incident markers are
pre-drawn sprites (blitting one is ~2.5x cheaper than drawing an antialiased ellipse,
which is what a year of 1,600 incidents in lanes needs).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QPainter,
    QPalette,
    QPen,
    QStaticText,
)

from viewer.ui.timeline.geometry import Box, TimelineGeometry
from viewer.ui.timeline.layout import MarkerLayout
from viewer.ui.timeline.ticks import TICK_GAP, Tick, axis_ticks, choose_tick_step, fit_major_label

HEAT_CELL_RADIUS = 6.0  # clusters this small are drawn as heat-strip cells
MAX_SPRITES = 512  # a theme change leaves the old colours behind: start afresh past this

# pen, fill and outer ring of a single-incident marker, by marker kind (layout.UNKNOWN_TOLL,
# TOLL, OPEN_TOLL)
Style = tuple[QPen, QColor | None, QPen | None]


@dataclass(frozen=True)
class Scene:
    """Everything one paint shows."""

    geometry: TimelineGeometry
    layout: MarkerLayout
    lanes: Sequence[str]
    events: Sequence[tuple[date, str]]
    emphasis: frozenset[int]
    selected: int | None
    selected_day: date | None
    message: str | None  # shown across the plot (an error, an empty archive)
    focused: bool
    events_label: str  # the sub-track's name, translated


def qrect(box: Box) -> QRect:
    return QRect(box.left, box.top, box.width, box.height)


def mix(background: QColor, colour: QColor, amount: float = 70 / 255) -> QColor:
    """colour laid over background at the given opacity, as one opaque colour."""
    return QColor.fromRgbF(
        background.redF() + (colour.redF() - background.redF()) * amount,
        background.greenF() + (colour.greenF() - background.greenF()) * amount,
        background.blueF() + (colour.blueF() - background.blueF()) * amount,
    )


def short_count(count: int) -> str:
    if count < 1000:
        return str(count)
    if count < 10_000:
        return f"{count / 1000:.1f}k"
    return f"{count // 1000}k"


class TextWidths:
    """A font's label widths, each measured once (the axis measures the same dozen labels
    at every paint)."""

    def __init__(self, font: QFont) -> None:
        self.metrics = QFontMetrics(font)
        self._widths: dict[str, int] = {}

    def horizontalAdvance(self, text: str, /) -> int:
        width = self._widths.get(text)
        if width is None:
            if len(self._widths) > 4096:  # the labels of a long session: start afresh
                self._widths.clear()
            width = self._widths[text] = self.metrics.horizontalAdvance(text)
        return width


class TimelinePainter:
    """Paints scenes; keeps the pre-drawn markers and clusters, the count labels and the
    text widths between paints."""

    def __init__(self) -> None:
        self._labels: dict[str, QStaticText] = {}
        self._sprites: dict[tuple[Any, ...], QImage] = {}
        self._widths: dict[str, TextWidths] = {}

    def _text_widths(self, font: QFont) -> TextWidths:
        key = font.key()
        found = self._widths.get(key)
        if found is None:
            found = self._widths[key] = TextWidths(font)
        return found

    def paint(
        self, painter: QPainter, scene: Scene, palette: QPalette, font: QFont, ratio: float
    ) -> None:
        g = scene.geometry
        whole = QRect(0, 0, g.width, g.height)
        painter.fillRect(whole, palette.color(QPalette.ColorRole.Base))
        plot = qrect(g.plot())
        widths = self._text_widths(font)
        metrics = widths.metrics
        unit, step = choose_tick_step(g.scale, widths)
        first, last = g.visible_range()
        minor, major = axis_ticks(first - timedelta(days=1), last, unit, step)
        self._paint_lanes(painter, scene, plot, palette)
        self._paint_grid(painter, g, plot, palette, minor)
        self._paint_selection_line(painter, scene, plot, palette)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.save()
        painter.setClipRect(plot)
        self._paint_items(painter, scene, plot, palette, font, ratio)
        painter.restore()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        self._paint_events(painter, scene, palette)
        self._paint_axis(painter, g, plot, palette, metrics, minor, major)
        self._paint_lane_labels(painter, scene, plot, palette, metrics)
        if scene.message:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                plot, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, scene.message
            )
        if scene.focused:
            pen = QPen(palette.color(QPalette.ColorRole.Highlight), 2)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(whole.adjusted(1, 1, -1, -1))

    def _paint_lanes(self, painter: QPainter, scene: Scene, plot: QRect, palette: QPalette) -> None:
        if len(scene.lanes) < 2:
            return
        stripe = palette.color(QPalette.ColorRole.AlternateBase)
        height = scene.geometry.lane_height()
        for index in range(1, len(scene.lanes), 2):
            top = plot.top() + index * height
            painter.fillRect(QRectF(0, top, scene.geometry.width, height), stripe)

    def _paint_grid(
        self,
        painter: QPainter,
        g: TimelineGeometry,
        plot: QRect,
        palette: QPalette,
        minor: list[Tick],
    ) -> None:
        # An opaque colour (the mid tone faded into the background), drawn as 1-pixel
        # rectangles: Qt's raster engine blends a thin translucent line span by span, which
        # made the grid cost more than all the markers (measured 25 ms against 0.4 ms for
        # 90 lines of 380 px)
        grid = mix(palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Mid))
        height = plot.height()
        for tick in minor:
            x = g.x_for_ordinal(tick.ordinal)
            if plot.left() <= x <= plot.right():
                painter.fillRect(x, plot.top(), 1, height, grid)

    def _paint_selection_line(
        self, painter: QPainter, scene: Scene, plot: QRect, palette: QPalette
    ) -> None:
        if scene.selected_day is None:
            return
        x = scene.geometry.x_for_date(scene.selected_day)
        if plot.left() <= x <= plot.right():
            colour = QColor(palette.color(QPalette.ColorRole.Highlight))
            colour.setAlpha(110)
            painter.setPen(QPen(colour, 1, Qt.PenStyle.DashLine))
            bottom = plot.bottom() + scene.geometry.events_height()
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, bottom))

    @staticmethod
    def _styles(palette: QPalette) -> tuple[tuple[Style, ...], QColor, QPen, QPen]:
        """Marker styles by kind, the cluster fill, the cluster ring and the emphasis ring."""
        accent = palette.color(QPalette.ColorRole.Highlight)
        fill = QColor(accent)
        fill.setAlpha(175)
        cluster_fill = QColor(accent)
        cluster_fill.setAlpha(70)
        unknown = palette.color(QPalette.ColorRole.PlaceholderText)
        solid = QPen(accent.darker(130) if accent.lightness() > 100 else accent.lighter(140), 1)
        ring = QPen(accent, 1.2)
        styles: tuple[Style, ...] = (
            (QPen(unknown, 1.5), None, None),
            (solid, fill, None),
            (solid, fill, ring),
        )
        return styles, cluster_fill, ring, QPen(palette.color(QPalette.ColorRole.Link), 2)

    @staticmethod
    def _emphasis_groups(scene: Scene, visible: range) -> tuple[list[int], Sequence[int]]:
        """The visible items split into faded and strong ones (all strong without emphasis)."""
        if not scene.emphasis:
            return [], visible
        faded: list[int] = []
        matched: list[int] = []
        for index in visible:
            item = scene.layout.items[index]
            hit = item.emphasized if item.is_cluster else item.incident_id in scene.emphasis
            (matched if hit else faded).append(index)
        return faded, matched

    def _paint_items(
        self,
        painter: QPainter,
        scene: Scene,
        plot: QRect,
        palette: QPalette,
        font: QFont,
        ratio: float,
    ) -> None:
        layout = scene.layout
        offset = scene.geometry.x_offset()
        visible = layout.slice_between(plot.left() - offset, plot.right() - offset)
        if not visible:
            return
        styles, cluster_fill, ring, emphasis_pen = self._styles(palette)
        text_colour = palette.color(QPalette.ColorRole.Text)
        xs, ys, rs, heat, kinds = layout.xs, layout.ys, layout.rs, layout.heat, layout.kinds
        sprites: dict[tuple[int, float], tuple[QImage, float]] = {}  # this frame's lookups
        for group, opacity in zip(self._emphasis_groups(scene, visible), (0.22, 1.0), strict=True):
            painter.setOpacity(opacity)
            # markers landing on the same pixel in the same style look the same drawn once:
            # a busy lane at year zoom has hundreds of them
            placed: set[tuple[int, float, float, int]] = set()
            for index in group:
                kind = kinds[index]
                x, y, radius = xs[index] + offset, ys[index], rs[index]
                if kind >= 0:  # one incident: a pre-drawn marker
                    spot = (round(x), y, radius, kind)
                    if spot not in placed:
                        placed.add(spot)
                        found = sprites.get((kind, radius))
                        if found is None:
                            sprite = self._sprite(radius, ratio, *styles[kind])
                            found = (sprite, sprite.width() / sprite.devicePixelRatio() / 2)
                            sprites[(kind, radius)] = found
                        painter.drawImage(QPointF(x - found[1], y - found[1]), found[0])
                elif radius <= HEAT_CELL_RADIUS:
                    # a small cluster is a cell of a heat strip: no outline, no count (it
                    # would not fit), a plain rectangle (an antialiased ellipse costs ~15x)
                    cluster_fill.setAlpha(60 + round(170 * heat[index]))
                    painter.fillRect(
                        QRectF(x - radius, y - radius, 2 * radius, 2 * radius), cluster_fill
                    )
                else:
                    # busier clusters are darker, so density reads even where every
                    # cluster is as large as its bucket allows; pre-drawn too (an
                    # antialiased ellipse with its ring cost more than the rest of a frame)
                    alpha = 45 + round(150 * heat[index])
                    found = sprites.get((-alpha, radius))
                    if found is None:
                        cluster_fill.setAlpha(alpha)
                        sprite = self._sprite(radius, ratio, ring, cluster_fill, None)
                        found = (sprite, sprite.width() / sprite.devicePixelRatio() / 2)
                        sprites[(-alpha, radius)] = found
                    painter.drawImage(QPointF(x - found[1], y - found[1]), found[0])
                    count = layout.items[index].count
                    self._paint_count(painter, QPointF(x, y), radius, count, text_colour, font)
                if scene.emphasis and opacity == 1.0:
                    painter.setPen(emphasis_pen)
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawEllipse(QPointF(x, y), radius + 4, radius + 4)
        painter.setOpacity(1.0)
        self._paint_selection(painter, scene, offset, palette, text_colour)

    @staticmethod
    def _paint_selection(
        painter: QPainter, scene: Scene, offset: float, palette: QPalette, text_colour: QColor
    ) -> None:
        layout = scene.layout
        index = layout.index_of.get(scene.selected) if scene.selected is not None else None
        if index is None:
            return
        centre = QPointF(layout.xs[index] + offset, layout.ys[index])
        radius = layout.rs[index] + 5
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Base), 4))
        painter.drawEllipse(centre, radius, radius)
        painter.setPen(QPen(text_colour, 2))
        painter.drawEllipse(centre, radius, radius)

    def _sprite(
        self, radius: float, ratio: float, pen: QPen, fill: QColor | None, ring: QPen | None
    ) -> QImage:
        """A single-incident marker drawn once per size and style (radius to half a pixel)."""
        radius = round(radius * 2) / 2
        key = (radius, ratio, pen.color().rgba(), pen.widthF(), fill.rgba() if fill else None,
               ring.color().rgba() if ring else None)  # fmt: skip
        sprite = self._sprites.get(key)
        if sprite is None:
            outer = radius + (2.5 + ring.widthF() if ring else pen.widthF()) + 1
            size = math.ceil(2 * outer * ratio)
            sprite = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
            sprite.setDevicePixelRatio(ratio)
            sprite.fill(Qt.GlobalColor.transparent)
            centre = QPointF(size / ratio / 2, size / ratio / 2)
            painter = QPainter(sprite)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(pen)
            painter.setBrush(fill if fill is not None else Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, radius, radius)
            if ring is not None:
                painter.setPen(ring)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(centre, radius + 2.5, radius + 2.5)
            painter.end()
            if len(self._sprites) > MAX_SPRITES:
                self._sprites.clear()
            self._sprites[key] = sprite
        return sprite

    def _paint_count(
        self,
        painter: QPainter,
        centre: QPointF,
        radius: float,
        count: int,
        colour: QColor,
        font: QFont,
    ) -> None:
        label = short_count(count)
        static = self._labels.get(label)
        if static is None:
            static = QStaticText(label)
            static.prepare(font=font)
            self._labels[label] = static
        size = static.size()
        if size.width() > 2 * radius - 2 or size.height() > 2 * radius + 2:
            return
        painter.setPen(colour)
        painter.drawStaticText(
            QPointF(centre.x() - size.width() / 2, centre.y() - size.height() / 2), static
        )

    def _paint_events(self, painter: QPainter, scene: Scene, palette: QPalette) -> None:
        if not scene.events:
            return
        g = scene.geometry
        rect = qrect(g.events_box())
        painter.fillRect(
            QRect(0, rect.top(), g.width, rect.height()),
            palette.color(QPalette.ColorRole.Window),
        )
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.drawLine(0, rect.top(), g.width, rect.top())
        colour = palette.color(QPalette.ColorRole.Link)
        painter.setPen(QPen(colour, 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
        top, bottom = rect.top() + 5, rect.bottom() - 4
        for day, _text in scene.events:
            x = g.x_for_date(day)
            if rect.left() - 2 <= x <= rect.right() + 2:
                painter.drawLine(QPointF(x, top), QPointF(x, bottom))
        label_width = g.label_width()
        if label_width:
            painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            painter.drawText(
                QRect(6, rect.top(), label_width - 10, rect.height()),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                scene.events_label,
            )

    def _paint_axis(
        self,
        painter: QPainter,
        g: TimelineGeometry,
        plot: QRect,
        palette: QPalette,
        metrics: QFontMetrics,
        minor: list[Tick],
        major: list[Tick],
    ) -> None:
        line_height = metrics.height()
        band = QRect(0, 0, g.width, plot.top())
        painter.fillRect(band, palette.color(QPalette.ColorRole.Window))
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.drawLine(0, plot.top() - 1, g.width, plot.top() - 1)
        text_pen = QPen(palette.color(QPalette.ColorRole.WindowText))
        tick_pen = QPen(palette.color(QPalette.ColorRole.Mid), 1)
        painter.save()
        painter.setClipRect(QRect(plot.left(), 0, plot.width(), plot.top()))
        minor_y = 5 + line_height
        for tick in minor:
            x = g.x_for_ordinal(tick.ordinal)
            painter.setPen(tick_pen)
            painter.drawLine(x, plot.top() - 6, x, plot.top() - 1)
            painter.setPen(text_pen)
            painter.drawText(QPoint(x + 3, minor_y + metrics.ascent()), tick.label)
        self._paint_major_ticks(painter, g, plot, text_pen, tick_pen, major)
        painter.restore()

    def _paint_major_ticks(
        self,
        painter: QPainter,
        g: TimelineGeometry,
        plot: QRect,
        text_pen: QPen,
        tick_pen: QPen,
        major: list[Tick],
    ) -> None:
        """The month or year labels above the minor ticks, shortened where the next one
        follows closely; the label of the period the left edge is in stays in view."""
        major_y = 3
        bold = painter.font()
        bold.setBold(True)
        painter.setFont(bold)
        bold_widths = self._text_widths(bold)
        bold_metrics = bold_widths.metrics
        visible = [(g.x_for_ordinal(tick.ordinal), tick.label) for tick in major]
        on_screen = [(x, label) for x, label in visible if x >= plot.left()]
        before = [(x, label) for x, label in visible if x < plot.left()]
        for number, (x, label) in enumerate(on_screen):
            painter.setPen(tick_pen)
            painter.drawLine(x, major_y, x, plot.top() - 1)
            painter.setPen(text_pen)
            following = on_screen[number + 1][0] if number + 1 < len(on_screen) else None
            room = (following - x - 3 - TICK_GAP) if following is not None else 10**6
            label = fit_major_label(label, room, bold_widths)
            if label:
                painter.drawText(QPoint(x + 3, major_y + bold_metrics.ascent()), label)
        if before:
            # The left edge's context stays in view, pushed out by the next one (no overlap).
            label = before[-1][1]
            width = bold_widths.horizontalAdvance(label) + 3
            x = plot.left()
            if on_screen:
                x = min(x, on_screen[0][0] - width - TICK_GAP)
            painter.drawText(QPoint(x + 3, major_y + bold_metrics.ascent()), label)

    def _paint_lane_labels(
        self,
        painter: QPainter,
        scene: Scene,
        plot: QRect,
        palette: QPalette,
        metrics: QFontMetrics,
    ) -> None:
        g = scene.geometry
        width = g.label_width()
        if not width:
            return
        painter.fillRect(
            QRect(0, plot.top(), width, plot.height()), palette.color(QPalette.ColorRole.Window)
        )
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.drawLine(width - 1, 0, width - 1, g.height)
        height = g.lane_height()
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        if height < metrics.height() * 0.8:
            return  # too many lanes to label legibly; the tooltips still name them
        for index, lane in enumerate(scene.lanes):
            rect = QRectF(6, plot.top() + index * height, width - 12, height)
            text = metrics.elidedText(lane, Qt.TextElideMode.ElideRight, int(rect.width()))
            painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
