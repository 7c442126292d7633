"""The command line under hostile input: every case is one line on stderr and a contract
exit status; a bug is exit 70 with one line and its traceback in the log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import db.archive
from viewer.__main__ import main
from viewer.crash import log_file_path


def _main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def seeded(capsys: pytest.CaptureFixture[str], tmp_path: Path, seeds_dir: Path) -> str:
    archive = str(tmp_path / "a.sqlite")
    assert _main(capsys, "--archive", archive, "import", str(seeds_dir))[0] == 0
    return archive


@pytest.mark.parametrize(
    "query", ["NEAR(a b, -1)", "NEAR(a b, x)", "NEAR(a b, 1.5)", "NEAR(a b, 99999999999)", "a OR"]
)
def test_queries_the_grammar_cannot_take_are_one_line_in_our_words(
    capsys: pytest.CaptureFixture[str], seeded: str, query: str
) -> None:
    status, _, err = _main(capsys, "--archive", seeded, "search", query)
    assert status == 2
    assert len(err.strip().splitlines()) == 1
    assert "expected integer" not in err and "fts5" not in err and "syntax error" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "99999999999999999999999"], "no incident with id or title"),
        (["annotate", "99999999999999999999999", "--quote", "x"], "no incident with id or title"),
        (["tag", "99999999999999999999999", "t"], "no incident with id or title"),
        (["search", "bomb", "--limit", "99999999999999999999"], "not a whole number from 1"),
        (["search", "bomb", "--limit", "0"], "not a whole number from 1"),
        (["annotate", "1", "--quote", "x", "--occurrence", "9" * 20], "not a whole number"),
        (["annotations", "delete", "9" * 20], "no annotation with id"),
    ],
)
def test_numbers_out_of_range_are_usage_errors(
    capsys: pytest.CaptureFixture[str], seeded: str, argv: list[str], message: str
) -> None:
    """Each used to be OverflowError, exit 70."""
    try:
        status, _, err = _main(capsys, "--archive", seeded, *argv)
    except SystemExit as exit_:  # argparse's own usage errors
        status, err = int(str(exit_.code)), capsys.readouterr().err
    assert status == 2, err
    assert message in err and "Traceback" not in err and "internal error" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["search", "bomb\udcff"],
        ["tag", "1", "t\udcff"],
        ["note", "1", "--text", "n\udcff"],
        ["bookmark", "1", "--label", "\udcff"],
        ["--user", "me\udcff", "annotate", "1", "--quote", "Mastung"],
        ["collection", "add", "c\udcff", "1"],
    ],
)
def test_text_arguments_that_were_not_utf8_are_usage_errors(
    capsys: pytest.CaptureFixture[str], seeded: str, argv: list[str]
) -> None:
    """Bytes that are not UTF-8 on the command line reach Python as lone surrogates; each of
    these was UnicodeEncodeError, exit 70 (found by fuzzing queries)."""
    status, _, err = _main(capsys, "--archive", seeded, *argv)
    assert status == 2, err
    assert "not valid UTF-8" in err and err.count("\n") == 1, err


def test_file_names_that_are_not_utf8_are_still_paths(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seeds_dir: Path
) -> None:
    folder = tmp_path / "in\udcff"  # a folder named with the byte 0xff
    folder.mkdir()
    (folder / "a.txt").write_bytes((seeds_dir / "2023-mastung-bombing.txt").read_bytes())
    status, _, err = _main(
        capsys, "--archive", str(tmp_path / "b\udcff.sqlite"), "import", str(folder)
    )
    assert status == 0, err


def test_a_bug_is_exit_70_with_one_line_and_the_traceback_in_the_log(
    capsys: pytest.CaptureFixture[str], seeded: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise sqlite3.IntegrityError("UNIQUE constraint failed: t.x\\nSQL: INSERT ...\\nmore")

    monkeypatch.setattr("viewer.services.catalog.iter_summaries", broken)
    status, _, err = _main(capsys, "--archive", seeded, "list")
    assert status == 70
    assert err.count("\n") == 1, err
    assert "internal error: IntegrityError: UNIQUE constraint failed" in err
    assert "Traceback" in log_file_path().read_text()


def test_a_full_disk_during_an_import_says_so_and_keeps_what_was_committed(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    seeds_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """It used to say "cannot rollback - no transaction is active"."""
    archive = str(tmp_path / "a.sqlite")
    assert (
        _main(capsys, "--archive", archive, "import", str(seeds_dir / "2023-mastung-bombing.txt"))[
            0
        ]
        == 0
    )
    real = db.archive._apply_pragmas

    def full_disk(connection: sqlite3.Connection, writable: bool) -> None:
        real(connection, writable)
        (pages,) = connection.execute("PRAGMA page_count").fetchone()
        connection.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(db.archive, "_apply_pragmas", full_disk)
    big = tmp_path / "big.txt"
    big.write_text("= Big attack =\n\n" + "A long paragraph of words. " * 20000 + "\n")
    status, _, err = _main(capsys, "--archive", archive, "import", str(big))
    assert status == 2
    assert err.strip().endswith("the disk is full; free some space and try again"), err
    assert "rollback" not in err
    monkeypatch.setattr(db.archive, "_apply_pragmas", real)
    status, out, _ = _main(capsys, "--archive", archive, "list")
    assert status == 0 and "Mastung" in out and "Big attack" not in out
