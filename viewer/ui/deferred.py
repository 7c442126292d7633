"""Modules the window needs only once an archive is open, loaded when first used.

The window shows before the archive layer is imported (SQLAlchemy and the services cost
most of a start: issue 13). A view names such a module with deferred() and keeps the real
import for the type checker and the import contracts:

    if TYPE_CHECKING:
        from viewer.services import research
    else:
        research = deferred("viewer.services.research")

research.list_annotations(...) then imports the module on its first call, usually on the
archive worker (the work functions are the first to use it). Each use asks the import
system for the module, so a module patched or reloaded later is the one used.
tests/ui/test_startup_imports.py checks what the window has loaded when it first shows.
"""

from __future__ import annotations

import importlib
from typing import Any


class _Deferred:
    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        # importlib's module locks make a first use from two threads at once safe
        return getattr(importlib.import_module(self._name), attribute)

    def __repr__(self) -> str:
        return f"<deferred module {self._name}>"


def deferred(name: str) -> Any:
    """A stand-in for the module name, imported when one of its attributes is first read."""
    return _Deferred(name)
