"""The archive: SQLite storage, schema migrations and queries, with no knowledge of the GUI."""

from db.archive import Archive, ArchiveError, open_archive

__all__ = ["Archive", "ArchiveError", "open_archive"]
