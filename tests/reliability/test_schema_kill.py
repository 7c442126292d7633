"""A kill -9 while a new archive's schema is being created leaves an archive that opens:
creating (and upgrading) the schema is one transaction."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from db import open_archive
from db.queries import count_incidents
from tests.conftest import ROOT

# Runs open_archive on a new file and kills itself (SIGKILL: no clean-up of any kind) right
# after the Nth schema statement has executed.
_KILL_AFTER_DDL = textwrap.dedent(
    """
    import os, signal, sys
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from db import open_archive

    target = int(sys.argv[2])
    seen = 0

    @event.listens_for(Engine, "after_cursor_execute")
    def _maybe_die(conn, cursor, statement, *args):
        global seen
        if statement.lstrip().upper().startswith(("CREATE", "INSERT INTO ALEMBIC")):
            seen += 1
            if seen == target:
                os.kill(os.getpid(), signal.SIGKILL)

    open_archive(sys.argv[1]).close()
    print("finished")
    """
)


def _create_and_die(path: Path, after: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _KILL_AFTER_DDL, str(path), str(after)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("after", [1, 3, 12, 30])
def test_kill_while_creating_the_schema_leaves_an_archive_that_opens(
    tmp_path: Path, seeds_dir: Path, after: int
) -> None:
    path = tmp_path / "new.sqlite"
    result = _create_and_die(path, after)
    assert result.returncode == -signal.SIGKILL, result.stderr
    with open_archive(path) as archive:
        from viewer.services.importing import import_paths

        report = import_paths(archive, [seeds_dir], workers=1)
        assert report.imported == 2
        with archive.session() as session:
            assert count_incidents(session) == 2
