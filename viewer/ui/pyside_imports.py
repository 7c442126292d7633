"""PySide6's look at every module imported after it, made cheap (issue 13: start-up).

PySide6 (6.4 on, PYSIDE-2029) asks after each import whether the new module uses PySide6,
to give it the right default for `from __feature__ import ...`, and answers by reading the
module's source with inspect.getsource: that looks the module up among all loaded modules
and splits its file into lines, about 0.3 ms per module. The window imports some 130
modules after PySide6, and its worker SQLAlchemy's 200 as the archive opens (80 ms more
than SQLAlchemy's own import). The same question is answered here from the file's bytes;
a module with no source file of its own goes to PySide6's answer as before. viewer.ui.app
installs it as it loads, before the window's modules are imported (not viewer/ui/__init__:
the timeline's geometry modules are imported without Qt).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

import PySide6.QtCore  # noqa: F401  (loads PySide6's feature module, shibokensupport.feature)

Check = Callable[[ModuleType], bool]


def _from_file_bytes(pyside_check: Check) -> Check:
    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass  # not a file (a frozen program's archive): PySide6's own answer
        return pyside_check(module)

    uses_pyside.pyside_check = pyside_check  # type: ignore[attr-defined]
    return uses_pyside


def read_sources_cheaply() -> None:
    """Answer PySide6's question from the file's bytes from now on (once; a PySide6 without
    the question is left alone)."""
    feature = sys.modules.get("shibokensupport.feature")
    pyside_check = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or pyside_check is None or hasattr(pyside_check, "pyside_check"):
        return
    feature._mod_uses_pyside = _from_file_bytes(pyside_check)  # type: ignore[attr-defined]
