"""The command-line contract of docs/contract.md, run in-process."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from db import Archive
from viewer.cli import run

CONTRACT_KEYS = [
    "id",
    "title",
    "date",
    "location",
    "fatalities",
    "injuries",
    "perpetrators",
    "infobox",
    "sections",
    "reactions",
    "events",
    "see_also",
    "tags",
    "bookmarks",
    "annotations",
    "notes",
    "source",
]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = run(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_import_list_show_search(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seeds_dir: Path
) -> None:
    archive = str(tmp_path / "a.sqlite")
    status, out, _ = _run(capsys, "--archive", archive, "import", str(seeds_dir))
    assert status == 0
    assert out.strip() == "2 imported, 0 updated, 0 unchanged, 0 rejected"
    status, out, _ = _run(capsys, "--archive", archive, "import", str(seeds_dir))
    assert out.strip() == "0 imported, 0 updated, 2 unchanged, 0 rejected"

    status, out, _ = _run(capsys, "--archive", archive, "list", "--json")
    incidents = json.loads(out)["incidents"]
    assert sorted(i["title"] for i in incidents) == [
        "2023 Mastung bombing",
        "February 2024 Balochistan bombings",
    ]
    mastung = next(i for i in incidents if "Mastung" in i["title"])

    status, out, _ = _run(capsys, "--archive", archive, "show", str(mastung["id"]), "--json")
    shown = json.loads(out)
    assert shown["id"] == mastung["id"]
    assert shown["infobox"]["Perps"] == ", * Khorasan Province (suspected)"
    assert [s["heading"] for s in shown["sections"]][:3] == [None, "Background", "Bombing"]

    status, out, _ = _run(
        capsys, "--archive", archive, "show", "february 2024 balochistan bombings"
    )
    assert status == 0 and out.startswith("February 2024 Balochistan bombings\n")

    status, out, _ = _run(capsys, "--archive", archive, "search", "Gashkori", "--json")
    results = json.loads(out)
    assert results["query"] == "Gashkori"
    (hit,) = results["results"]
    assert hit["id"] == mastung["id"] and "**Gashkori**" in hit["snippet"]


def test_show_unknown_incident_is_usage_error(
    capsys: pytest.CaptureFixture[str], seeded_archive: Archive
) -> None:
    status, out, err = _run(capsys, "--archive", str(seeded_archive.path), "show", "No such")
    assert status == 2 and out == ""
    assert err.strip() == "incident-viewer: error: no incident with id or title 'No such'"


@pytest.mark.parametrize("query", ['"unbalanced', "AND OR", "*", "title:", "(Mastung"])
def test_broken_queries_give_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str], seeded_archive: Archive, query: str
) -> None:
    status, out, err = _run(capsys, "--archive", str(seeded_archive.path), "search", query)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and query in err and "Traceback" not in err


def test_export_json_carries_the_contract(
    capsys: pytest.CaptureFixture[str], seeded_archive: Archive
) -> None:
    _status, out, _ = _run(
        capsys, "--archive", str(seeded_archive.path), "export", "--format", "json"
    )
    data = json.loads(out)
    assert data["format"] == "incident-archive/1"
    assert len(data["incidents"]) == 2
    for item in data["incidents"]:
        assert [k for k in CONTRACT_KEYS if k not in item] == []
        assert item["source"]["format"] == "archive"
        assert set(item["fatalities"]) == {"min", "max", "open_ended", "text"}


def test_export_csv_and_markdown(
    capsys: pytest.CaptureFixture[str], seeded_archive: Archive, tmp_path: Path
) -> None:
    archive = str(seeded_archive.path)
    (tmp_path / "out").mkdir()
    output = tmp_path / "out" / "out.csv"
    status, _, err = _run(
        capsys, "--archive", archive, "export", "--format", "csv", "--output", str(output)
    )
    assert status == 0 and "2 incidents written" in err
    rows = list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8"))))
    assert {r["title"] for r in rows} == {
        "2023 Mastung bombing",
        "February 2024 Balochistan bombings",
    }
    assert [p.name for p in output.parent.iterdir()] == ["out.csv"]  # no temporary left behind
    status, out, _ = _run(capsys, "--archive", archive, "export", "--format", "markdown")
    assert "## 2023 Mastung bombing" in out and "### Reactions" in out


def test_export_to_missing_folder_is_usage_error(
    capsys: pytest.CaptureFixture[str], seeded_archive: Archive, tmp_path: Path
) -> None:
    status, _, err = _run(
        capsys,
        "--archive",
        str(seeded_archive.path),
        "export",
        "--format",
        "json",
        "--output",
        str(tmp_path / "no" / "x.json"),
    )
    assert status == 2 and "does not exist" in err


def test_bad_archive_paths_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = _run(capsys, "--archive", str(tmp_path), "list")
    assert status == 2 and "folder" in err
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database\n")
    status, _, err = _run(capsys, "--archive", str(junk), "list")
    assert status == 2 and "not an Incident Archive Viewer archive" in err
    assert junk.read_text() == "not a database\n"


def test_default_archive_lives_in_the_user_data_folder(
    capsys: pytest.CaptureFixture[str], user_home: Path, seeds_dir: Path
) -> None:
    status, _, _ = _run(capsys, "import", str(seeds_dir))
    assert status == 0
    assert (user_home / "data" / "archive.sqlite").is_file()


def test_reindex_recomputes_without_changing_ids(
    capsys: pytest.CaptureFixture[str], seeded_archive: Archive
) -> None:
    archive = str(seeded_archive.path)
    _, before, _ = _run(capsys, "--archive", archive, "export", "--format", "json")
    status, out, _ = _run(capsys, "--archive", archive, "reindex")
    assert status == 0 and out.strip() == "2 incidents re-indexed, 0 not"
    _, after, _ = _run(capsys, "--archive", archive, "export", "--format", "json")
    assert json.loads(after) == json.loads(before)


@pytest.mark.parametrize("page", [1, 2, 2000])
def test_list_streams_pages_and_writes_what_one_json_document_would(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    seeds_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    page: int,
) -> None:
    """`list` reads and writes a page of incidents at a time; its output is byte for byte
    what dumping the whole listing at once wrote (json.dump, indent 1), and so is the text
    listing with its count; an empty archive lists nothing."""
    from viewer.services import catalog
    from viewer.services.reading import toll_text

    archive = str(tmp_path / "a.sqlite")
    empty = str(tmp_path / "empty.sqlite")
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(5):  # the seeds under new titles, one of them undated
        text = (seeds_dir / "2023-mastung-bombing.txt").read_text(encoding="utf-8")
        text = text.replace("2023 Mastung bombing", f"Ünïcode “{number}” Mastung bombing")
        if number == 3:
            text = text.replace("2023", "").replace("September", "")
        (folder / f"{number}.txt").write_text(text, encoding="utf-8")
    assert _run(capsys, "--archive", archive, "import", str(folder), str(seeds_dir))[0] == 0
    assert _run(capsys, "--archive", empty, "list")[0] == 0
    monkeypatch.setattr(catalog, "LIST_PAGE", page)
    from db import open_archive

    with open_archive(archive) as opened:
        summaries = catalog.list_summaries(opened)
    assert len(summaries) == 7 and any(s.date_start is None for s in summaries)
    whole = {
        "incidents": [
            {
                "id": s.id,
                "title": s.title,
                "date": s.date_start,
                "date_end": s.date_end,
                "location": s.location_text,
                "fatalities": {
                    "min": s.fatalities_min,
                    "max": s.fatalities_max,
                    "open_ended": bool(s.fatalities_open),
                },
            }
            for s in summaries
        ]
    }
    status, out, _ = _run(capsys, "--archive", archive, "list", "--json")
    assert status == 0 and out == json.dumps(whole, ensure_ascii=False, indent=1) + "\n"
    status, out, err = _run(capsys, "--archive", archive, "list")
    lines = [
        f"{s.id:>6}  {s.date_start or '----------'}  "
        f"{toll_text(s.fatalities_min, s.fatalities_max, s.fatalities_open):>8}  {s.title}"
        for s in summaries
    ]
    assert status == 0 and out == "".join(line + "\n" for line in lines)
    assert err == "7 incidents\n"
    status, out, err = _run(capsys, "--archive", empty, "list", "--json")
    assert out == json.dumps({"incidents": []}, ensure_ascii=False, indent=1) + "\n"
    status, out, err = _run(capsys, "--archive", empty, "list")
    assert (out, err) == ("", "0 incidents\n")
