"""Render the SVG application icon to the PNG sizes the program and the installers use.

.venv/bin/python scripts/render_icons.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "packaging" / "icons" / "org.incidentarchive.Viewer.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(size: int, destination: Path) -> None:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(SOURCE)).render(painter)
    painter.end()
    destination.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(destination)):
        sys.exit(f"cannot write {destination}")


def main() -> None:
    QGuiApplication(sys.argv[:1])
    for size in SIZES:
        render(
            size,
            ROOT
            / "packaging"
            / "icons"
            / "hicolor"
            / f"{size}x{size}"
            / "apps"
            / "org.incidentarchive.Viewer.png",
        )
        if size <= 256:
            render(size, ROOT / "resources" / "icons" / f"{size}.png")


if __name__ == "__main__":
    main()
