"""collection add/remove, collections [--json], and export's scopes (--tag, --collection,
--query) as docs/contract.md gives them, run in-process on a copy of the seeded archive."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from db import Archive
from viewer.cli import run

MASTUNG = "2023 Mastung bombing"
BALOCHISTAN = "February 2024 Balochistan bombings"


def _run(capsys: pytest.CaptureFixture[str], archive: Archive, *argv: str) -> tuple[int, str, str]:
    status = run(["--archive", str(archive.path), *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_collection_add_remove_and_list(
    capsys: pytest.CaptureFixture[str], seeded_archive: Archive
) -> None:
    status, out, err = _run(capsys, seeded_archive, "collection", "add", "Q 1", "1", MASTUNG)
    assert (status, out, err) == (0, "1 incident added to “Q 1” (new collection)\n", "")
    status, out, err = _run(
        capsys, seeded_archive, "collection", "add", "q  1", BALOCHISTAN, "No such incident"
    )
    assert status == 1  # one reference named nothing; the rest was done
    assert out == "1 incident added to “Q 1”\n"
    assert err == "incident-viewer: rejected: no incident with id or title 'No such incident'\n"
    status, out, _ = _run(capsys, seeded_archive, "collections", "--json")
    assert status == 0
    assert json.loads(out) == {
        "collections": [{"id": 1, "name": "Q 1", "count": 2}],
        "saved_searches": [],
    }
    status, out, _ = _run(capsys, seeded_archive, "collection", "remove", "Q 1", "2")
    assert (status, out) == (0, "1 incident removed from “Q 1”\n")
    status, out, _ = _run(capsys, seeded_archive, "collections")
    assert (status, out) == (0, "      1  Q 1\n")
    status, _out, err = _run(capsys, seeded_archive, "collection", "remove", "Nope", "1")
    assert (status, err) == (2, "incident-viewer: error: no collection named 'Nope'\n")


@pytest.mark.parametrize(
    ("option", "value", "titles"),
    [
        ("--collection", "mine", [MASTUNG]),
        ("--tag", "PISHIN", [BALOCHISTAN]),
        ("--query", "Mastung OR Pishin", [MASTUNG, BALOCHISTAN]),
        ("--query", "nothing-matches-this", []),
    ],
)
def test_export_takes_one_scope(
    capsys: pytest.CaptureFixture[str], seeded_archive: Archive, tmp_path: Path,
    option: str, value: str, titles: list[str],
) -> None:  # fmt: skip
    assert _run(capsys, seeded_archive, "collection", "add", "Mine", MASTUNG)[0] == 0
    assert _run(capsys, seeded_archive, "tag", BALOCHISTAN, "Pishin")[0] == 0
    target = tmp_path / "scoped.json"
    status, _out, err = _run(
        capsys, seeded_archive, "export", "--format", "json", option, value, "--output",
        str(target),
    )  # fmt: skip
    assert status == 0 and err == f"{len(titles)} incidents written to {target}\n"
    exported = json.loads(target.read_text(encoding="utf-8"))["incidents"]
    assert [i["title"] for i in exported] == titles


def test_export_scope_errors_are_one_line_and_write_nothing(
    capsys: pytest.CaptureFixture[str], seeded_archive: Archive, tmp_path: Path
) -> None:
    target = tmp_path / "never.csv"
    for option, value, message in (
        ("--collection", "absent", "no collection named 'absent'"),
        ("--query", '"open', "cannot search for '\"open': a quotation mark is not closed"),
    ):
        status, out, err = _run(
            capsys, seeded_archive, "export", "--format", "csv", option, value, "--output",
            str(target),
        )  # fmt: skip
        assert status == 2 and out == ""
        assert err.startswith(f"incident-viewer: error: {message}") and err.count("\n") == 1
        assert not target.exists()
    with pytest.raises(SystemExit) as exited:
        run(["--archive", str(seeded_archive.path), "export", "--format", "csv", "--tag", "a",
             "--collection", "b"])  # fmt: skip
    assert exited.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err
