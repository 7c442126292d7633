"""Entry point: crash handling first, then the command line or the window."""

from __future__ import annotations

import sys
from pathlib import Path

EXIT_INTERNAL_ERROR = 70  # sysexits EX_SOFTWARE: a bug, reported with a pointer to the log


def _open_window(archive: Path | str | None) -> int:
    from viewer.ui.app import run_gui

    return run_gui(archive)


def main(argv: list[str] | None = None) -> int:
    from viewer.crash import enable_crash_file, install_cli_excepthook, report_internal_error

    enable_crash_file()
    install_cli_excepthook()
    try:
        from viewer.cli import run

        return run(argv, open_window=_open_window)
    except KeyboardInterrupt:
        print("incident-viewer: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        report_internal_error(exc)
        return EXIT_INTERNAL_ERROR


if __name__ == "__main__":
    sys.exit(main())
