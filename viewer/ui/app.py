"""Starting the window (until it exists: the command-line listing of the archive)."""

from __future__ import annotations

from pathlib import Path


def run_gui(archive_path: Path | None) -> int:
    from viewer.cli import run

    args = ["--archive", str(archive_path)] if archive_path else []
    return run([*args, "list"])
