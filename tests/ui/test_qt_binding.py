"""The Qt binding in use does not lose references to None (PySide6 6.12.0 did: the process
aborted with "none_dealloc" after a few thousand Qt calls that return nothing)."""

from __future__ import annotations

import sys

from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QLabel


def test_calls_returning_none_keep_none_alive(qapp) -> None:
    label = QLabel()
    model = QStandardItemModel(1, 1)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
        model.index(0, 0).data(0x100)
    assert sys.getrefcount(None) - before > -100
