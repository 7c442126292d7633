"""Every place on disk the program uses, in one module, with overrides for tests and portable use.

INCIDENT_VIEWER_HOME, when set, puts data, settings and logs under that one folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_DIR_NAME = "incident-archive-viewer"
HOME_VARIABLE = "INCIDENT_VIEWER_HOME"
ARCHIVE_FILE_NAME = "archive.sqlite"


def _base() -> Path | None:
    value = os.environ.get(HOME_VARIABLE)
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    base = _base()
    return base / "data" if base else Path(platformdirs.user_data_dir(APP_DIR_NAME, False))


def config_dir() -> Path:
    base = _base()
    return base / "config" if base else Path(platformdirs.user_config_dir(APP_DIR_NAME, False))


def log_dir() -> Path:
    base = _base()
    return base / "logs" if base else Path(platformdirs.user_log_dir(APP_DIR_NAME, False))


def default_archive_path() -> Path:
    return data_dir() / ARCHIVE_FILE_NAME
