"""The archive: SQLite storage, schema migrations and queries, with no knowledge of the GUI.

The package's names are loaded when first used, so that a process that only needs the plain
records (an import worker parsing articles) does not pay for importing SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from db.archive import Archive, ArchiveError, open_archive

__all__ = ["Archive", "ArchiveError", "open_archive"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from db import archive

        return getattr(archive, name)
    raise AttributeError(f"module 'db' has no attribute {name!r}")
