"""What happens on a bug: the traceback goes to the log file, the user gets one line."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from pathlib import Path
from types import TracebackType

from viewer.paths import log_dir

LOG_FILE_NAME = "incident-viewer.log"
log = logging.getLogger("viewer")


def log_file_path() -> Path:
    return log_dir() / LOG_FILE_NAME


def setup_file_logging() -> Path | None:
    """A rotating log file in the user log folder (none if that folder cannot be made)."""
    path = log_file_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8", delay=True
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    if not any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    return path


def format_exception(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def report_internal_error(exc: BaseException) -> None:
    path = setup_file_logging()
    log.error("internal error\n%s", format_exception(exc))
    where = f"; details are in {path}" if path else ""
    print(f"incident-viewer: internal error: {type(exc).__name__}: {exc}{where}", file=sys.stderr)


def _cli_excepthook(
    kind: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    report_internal_error(exc.with_traceback(tb))


def install_cli_excepthook() -> None:
    sys.excepthook = _cli_excepthook
