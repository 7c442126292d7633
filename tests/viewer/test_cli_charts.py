"""chart KIND [--tag/--collection/--query] --output FILE.png|FILE.svg: a real PNG or SVG with
no display (matplotlib without Qt), article text drawn as text, and a bad output one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from db import Archive
from viewer.cli import run
from viewer.services import catalog, charts
from viewer.services.chart_figures import plain, save_chart

ROOT = Path(__file__).resolve().parents[2]


def _run(capsys: pytest.CaptureFixture[str], archive: Archive, *argv: str) -> tuple[int, str, str]:
    status = run(["--archive", str(archive.path), *argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("kind", ["incidents-per-year", "deaths-per-year", "stances",
                                  "reactions-matrix"])  # fmt: skip
def test_every_kind_writes_png_and_svg(
    capsys: pytest.CaptureFixture[str], seeded_archive: Archive, tmp_path: Path, kind: str
) -> None:
    png, svg = tmp_path / f"{kind}.png", tmp_path / f"{kind}.svg"
    assert _run(capsys, seeded_archive, "chart", kind, "--output", str(png)) == (
        0, "", f"{kind} chart written to {png}\n",
    )  # fmt: skip
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert _run(capsys, seeded_archive, "chart", kind, "--output", str(svg))[0] == 0
    assert ElementTree.parse(svg).getroot().tag == "{http://www.w3.org/2000/svg}svg"
    written = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("seeded."))
    assert written == sorted([png.name, svg.name])  # no temporary file left beside them


def test_scopes_and_stacks(
    capsys: pytest.CaptureFixture[str], seeded_archive: Archive, tmp_path: Path
) -> None:
    assert _run(capsys, seeded_archive, "collection", "add", "Mine", "1")[0] == 0
    for options in (
        ["--collection", "mine", "--by", "country"],
        ["--tag", "none-has-it", "--month"],
        ["--query", "Pishin", "--by", "none"],
    ):
        target = tmp_path / "scoped.svg"
        status, _out, err = _run(
            capsys, seeded_archive, "chart", "deaths-per-year", *options, "--output", str(target)
        )
        assert status == 0, err
        assert target.stat().st_size > 1000


def test_a_bad_output_is_one_line_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], seeded_archive: Archive, tmp_path: Path
) -> None:
    for target, reason in (
        (tmp_path / "chart.pdf", "name a .png or .svg file"),
        (tmp_path / "missing" / "chart.png", "does not exist"),
        (tmp_path, "name a .png or .svg file"),
        (tmp_path / "folder.png", "it is a folder"),
    ):
        if target.name == "folder.png":
            target.mkdir()
        status, out, err = _run(capsys, seeded_archive, "chart", "stances", "--output", str(target))
        assert status == 2 and out == "", target
        assert err.count("\n") == 1 and err.startswith("incident-viewer: error: "), err
        assert reason in err
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(("chart", ".chart"))]
    status, _out, err = _run(
        capsys, seeded_archive, "chart", "stances", "--collection", "nope", "--output",
        str(tmp_path / "c.png"),
    )  # fmt: skip
    assert status == 2 and "no collection named 'nope'" in err


def test_article_text_is_drawn_as_text(tmp_path: Path) -> None:
    assert plain("A $x^2$ attack") == r"A \$x^2\$ attack"
    assert plain("x" * 80).endswith("…") and len(plain("x" * 80)) == 42
    chart = charts.StanceChart(
        [charts.ChartIncident(1, "The $5 $bombing <script>", "2001-01-01", 2)],
        ["condemned"], {"condemned": [2]},
    )  # fmt: skip
    target = tmp_path / "odd.svg"
    with target.open("wb") as handle:
        save_chart(chart, target, handle)
    assert "<script>" not in target.read_text(encoding="utf-8")  # text is drawn as paths


def test_no_display_and_no_qt_needed(seeded_archive: Archive, tmp_path: Path) -> None:
    """The command line draws with matplotlib's Agg: no DISPLAY, and Qt never imported."""
    target = tmp_path / "headless.png"
    environment = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM",
                                                                    "WAYLAND_DISPLAY")}  # fmt: skip
    script = (
        "import sys; from viewer.cli import run; "
        f"code = run(['--archive', {str(seeded_archive.path)!r}, 'chart', 'incidents-per-year', "
        f"'--output', {str(target)!r}]); "
        "print('qt' if any(m.startswith('PySide6') for m in sys.modules) else 'no qt'); "
        "sys.exit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "no qt" and target.read_bytes()[:4] == b"\x89PNG"
    assert catalog.count(seeded_archive) == 2
