"""PySide6's question after every import (does the new module use PySide6?) is answered from
the module file's bytes, as PySide6 answers it from its source, only cheaper (issue 13)."""

from __future__ import annotations

import json
import sys
import types

import PySide6.QtCore

import viewer.ui
import viewer.ui.app
import viewer.ui.timeline.geometry


def test_the_answer_is_pyside6s_own_for_every_kind_of_module() -> None:
    feature = sys.modules["shibokensupport.feature"]
    ours = feature._mod_uses_pyside
    pyside_check = getattr(ours, "pyside_check", None)
    assert pyside_check is not None  # installed as viewer.ui.app loads
    in_memory = types.ModuleType("made_here")
    for module in (viewer.ui.app, viewer.ui.timeline.geometry, json, sys, PySide6.QtCore,
                   viewer.ui, in_memory):  # fmt: skip
        assert ours(module) == pyside_check(module), module
    assert ours(viewer.ui.app) is True and ours(json) is False


def test_it_is_installed_once() -> None:
    from viewer.ui.pyside_imports import read_sources_cheaply

    feature = sys.modules["shibokensupport.feature"]
    installed = feature._mod_uses_pyside
    read_sources_cheaply()
    assert feature._mod_uses_pyside is installed
