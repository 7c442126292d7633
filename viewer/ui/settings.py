"""The window's settings: typed options with defaults, stored with QSettings in an ini file
in the user config folder, with a version number for future upgrades."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from viewer.paths import config_dir

SETTINGS_VERSION = 1
MAX_RECENT = 8


class Settings:
    def __init__(self, path: Path | None = None) -> None:
        path = path or config_dir() / "settings.ini"
        path.parent.mkdir(parents=True, exist_ok=True)
        self._qt = QSettings(str(path), QSettings.Format.IniFormat)
        if int(str(self._qt.value("version", 0))) < SETTINGS_VERSION:
            self._qt.setValue("version", SETTINGS_VERSION)

    @property
    def path(self) -> str:
        return self._qt.fileName()

    def _get(self, key: str, default: Any, kind: type) -> Any:
        value = self._qt.value(key, default)
        try:
            return kind(value) if value is not None else default
        except (TypeError, ValueError):
            return default

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._qt.value(key)
        return value if isinstance(value, QByteArray) else None

    @property
    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._qt.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._qt.setValue("window/state", value)

    @property
    def table_header(self) -> QByteArray | None:
        """The incident table's columns: which are shown, their order, widths and the sort."""
        return self._bytes("table/header")

    @table_header.setter
    def table_header(self, value: QByteArray) -> None:
        self._qt.setValue("table/header", value)

    @property
    def central_split(self) -> QByteArray | None:
        """How the centre is shared between the incident table and the reader."""
        return self._bytes("window/central-split")

    @central_split.setter
    def central_split(self, value: QByteArray) -> None:
        self._qt.setValue("window/central-split", value)

    @property
    def last_archive(self) -> str | None:
        value = self._qt.value("archive/last")
        return str(value) if value else None

    @last_archive.setter
    def last_archive(self, value: str) -> None:
        self._qt.setValue("archive/last", value)
        recent = [value, *[p for p in self.recent_archives if p != value]]
        self._qt.setValue("archive/recent", recent[:MAX_RECENT])

    @property
    def recent_archives(self) -> list[str]:
        value = self._qt.value("archive/recent", [])
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value] if isinstance(value, list) else []

    def forget_archive(self, path: str) -> None:
        self._qt.setValue("archive/recent", [p for p in self.recent_archives if p != path])

    @property
    def lane_mode(self) -> str:
        return str(self._get("timeline/lanes", "none", str))

    @lane_mode.setter
    def lane_mode(self, value: str) -> None:
        self._qt.setValue("timeline/lanes", value)

    @property
    def reader_zoom(self) -> int:
        return int(self._get("reader/zoom", 0, int))

    @reader_zoom.setter
    def reader_zoom(self, value: int) -> None:
        self._qt.setValue("reader/zoom", value)

    @property
    def theme(self) -> str:
        return str(self._get("view/theme", "system", str))

    @theme.setter
    def theme(self, value: str) -> None:
        self._qt.setValue("view/theme", value)

    @property
    def max_article_mb(self) -> float | None:
        """The import's size limit per article (None: the program's default)."""
        value = self._get("import/max_article_mb", 0.0, float)
        return float(value) if value and value > 0 else None

    @max_article_mb.setter
    def max_article_mb(self, value: float | None) -> None:
        self._qt.setValue("import/max_article_mb", float(value or 0))

    def _text(self, key: str) -> str:
        value = self._qt.value(key, "")
        return str(value) if value else ""

    @property
    def reader_font_family(self) -> str:
        """The reader's font family ("": the application's)."""
        return self._text("reader/font-family")

    @reader_font_family.setter
    def reader_font_family(self, value: str) -> None:
        self._qt.setValue("reader/font-family", value)

    @property
    def reader_font_size(self) -> float:
        """The reader's font size in points before zoom (0: the application's)."""
        return float(self._get("reader/font-size", 0.0, float))

    @reader_font_size.setter
    def reader_font_size(self, value: float) -> None:
        self._qt.setValue("reader/font-size", float(value))

    @property
    def export_folder(self) -> str:
        """Where export dialogs start ("": Documents)."""
        return self._text("export/folder")

    @export_folder.setter
    def export_folder(self, value: str) -> None:
        self._qt.setValue("export/folder", value)

    @property
    def data_folder(self) -> str:
        """The data location: new archives and the default archive ("": the user data dir)."""
        return self._text("archive/data-folder")

    @data_folder.setter
    def data_folder(self, value: str) -> None:
        self._qt.setValue("archive/data-folder", value)

    @property
    def session(self) -> tuple[str, int, str, int]:
        """Where the researcher left off: archive location, incident id (0: none), the
        search field's text, the body offset at the top of the reader."""
        return (
            self._text("session/archive"),
            int(self._get("session/incident", 0, int)),
            self._text("session/query"),
            int(self._get("session/place", 0, int)),
        )

    @session.setter
    def session(self, value: tuple[str, int, str, int]) -> None:
        archive, incident, query, place = value
        self._qt.setValue("session/archive", archive)
        self._qt.setValue("session/incident", int(incident))
        self._qt.setValue("session/query", query)
        self._qt.setValue("session/place", int(place))

    def sync(self) -> None:
        self._qt.sync()
