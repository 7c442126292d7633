"""What happens on a bug: the traceback goes to the log file, the user gets one line; a
native crash (a segfault in a library, an abort) leaves its stack in a crash file in the log
folder, which the next start offers to show."""

from __future__ import annotations

import atexit
import faulthandler
import os
import re
import sys
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TextIO

from viewer.paths import log_dir

LOG_FILE_NAME = "incident-viewer.log"
# logging and traceback are imported when a log is written: every start of the command
# line installs this module's hooks, and most starts never write a line


def log_file_path() -> Path:
    return log_dir() / LOG_FILE_NAME


def setup_file_logging() -> Path | None:
    """A rotating log file in the user log folder (none if that folder cannot be made)."""
    import logging.handlers

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
    import traceback

    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def one_line(exc: BaseException, limit: int = 160) -> str:
    """The exception as one short line: its type and the first line of its message (some,
    SQLAlchemy's among them, run to several lines with the statement and parameters)."""
    lines = str(exc).strip().splitlines()
    text = lines[0].strip() if lines else ""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def report_internal_error(exc: BaseException) -> None:
    import logging

    path = setup_file_logging()
    logging.getLogger("viewer").error("internal error\n%s", format_exception(exc))
    where = f"; details are in {path}" if path else ""
    print(f"incident-viewer: internal error: {one_line(exc)}{where}", file=sys.stderr)


def _cli_excepthook(
    kind: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    report_internal_error(exc.with_traceback(tb))


def install_cli_excepthook() -> None:
    sys.excepthook = _cli_excepthook


# -- native crashes ----------------------------------------------------------------------------

CRASH_FILE = re.compile(r"^crash-(\d+)\.txt$")
REPORTED_PREFIX = "crash-report-"
KEEP_REPORTS = 10
_crash_handle: list[TextIO] = []  # faulthandler writes to the file object it is given: keep it


def enable_crash_file() -> Path | None:
    """Point faulthandler at a file of this process's own in the log folder (a desktop
    launch has no stderr to write to). The file stays empty unless the process dies of a
    fatal signal, and an empty one is removed at exit."""
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{os.getpid()}.txt"
        handle = path.open("w", encoding="utf-8")
    except OSError:
        if sys.stderr is not None and _has_fileno(sys.stderr):
            faulthandler.enable()
        return None
    faulthandler.enable(file=handle, all_threads=True)
    _crash_handle.append(handle)
    atexit.register(_discard_crash_file, path, handle)
    return path


def _has_fileno(stream: TextIO) -> bool:
    try:
        stream.fileno()
    except (AttributeError, OSError, ValueError):
        return False
    return True


def _discard_crash_file(path: Path, handle: TextIO) -> None:
    faulthandler.disable()
    handle.close()
    try:
        if path.stat().st_size == 0:
            path.unlink()
    except OSError:
        pass


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs (another user's counts: it cannot be signalled)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class CrashReport:
    """A native crash of an earlier run: where its report is and when it happened."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.when = datetime.fromtimestamp(path.stat().st_mtime)

    def text(self, limit: int = 200_000) -> str:
        with self.path.open(encoding="utf-8", errors="replace") as handle:
            return handle.read(limit)

    def mark_reported(self) -> Path:
        """Keep the report under a dated name, so that it is offered only once."""
        stamp = self.when.strftime("%Y%m%dT%H%M%S")
        target = self.path.with_name(f"{REPORTED_PREFIX}{stamp}-{self.path.stem[6:]}.txt")
        try:
            self.path.replace(target)
        except OSError:
            return self.path
        _prune_reports(self.path.parent)
        return target


def _prune_reports(folder: Path) -> None:
    reports = sorted(folder.glob(f"{REPORTED_PREFIX}*.txt"))
    for old in reports[:-KEEP_REPORTS]:
        old.unlink(missing_ok=True)


def pending_crash_reports() -> list[CrashReport]:
    """Crash files left by earlier runs that died of a fatal signal, oldest first. Empty
    files of processes that are gone (killed, so no clean-up ran) are removed on the way."""
    try:
        entries = list(log_dir().iterdir())
    except OSError:
        return []
    reports = []
    for path in entries:
        match = CRASH_FILE.match(path.name)
        if match is None or int(match.group(1)) == os.getpid():
            continue
        try:
            empty = path.stat().st_size == 0
        except OSError:
            continue
        if process_alive(int(match.group(1))):
            continue  # a program running now (another window, a command)
        if empty:
            path.unlink(missing_ok=True)
        else:
            reports.append(CrashReport(path))
    return sorted(reports, key=lambda report: report.when)
