"""The pieces of the build that can be checked without building: the spec's data files, the
change log to AppStream rendering, the icon containers, the Debian control helpers."""

from __future__ import annotations

import ast
import fnmatch
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtGui import QImageReader

from tests.packaging.conftest import PACKAGING, ROOT

SPEC = PACKAGING / "incident-viewer.spec"
# What ships beside the code but is never read at run time.
NOT_RUNTIME_DATA = {"__init__.py", "README.md"}


def spec_data_patterns() -> list[tuple[str, str]]:
    """DATAS of the spec as (pattern relative to the repository, destination folder)."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "DATAS" for t in node.targets
        ):
            assert isinstance(node.value, ast.List)
            return [
                (
                    str(
                        next(c.value for c in ast.walk(item.elts[0]) if isinstance(c, ast.Constant))
                    ),
                    item.elts[1].value,  # type: ignore[attr-defined]
                )
                for item in node.value.elts
                if isinstance(item, ast.Tuple)
            ]
    raise AssertionError("no DATAS list in the spec")


def test_every_data_pattern_of_the_spec_matches_files() -> None:
    for pattern, destination in spec_data_patterns():
        assert sorted(ROOT.glob(pattern)), f"{pattern} matches nothing"
        assert Path(pattern).parent.as_posix() == destination, "keeps the package layout"


@pytest.mark.parametrize("folder", ["resources", "db/migrations"])
def test_every_runtime_data_file_is_in_the_spec(folder: str) -> None:
    """A data file added under resources/ or db/migrations/ must be listed in the spec, or
    the frozen program will not find it."""
    patterns = [pattern for pattern, _ in spec_data_patterns()]
    unlisted = [
        path.relative_to(ROOT).as_posix()
        for path in sorted((ROOT / folder).rglob("*"))
        if path.is_file()
        and "__pycache__" not in path.parts
        and path.name not in NOT_RUNTIME_DATA
        and not any(fnmatch.fnmatch(path.relative_to(ROOT).as_posix(), p) for p in patterns)
    ]
    assert not unlisted, f"add these to DATAS in {SPEC.name}: {unlisted}"


def test_migration_scripts_ship_as_files() -> None:
    patterns = [pattern for pattern, _ in spec_data_patterns()]
    for needed in ("db/migrations/env.py", "db/migrations/script.py.mako"):
        assert needed in patterns
    assert "db/migrations/versions/*.py" in patterns


def test_the_launcher_calls_freeze_support_before_main() -> None:
    text = (PACKAGING / "launcher.py").read_text(encoding="utf-8")
    assert text.index("multiprocessing.freeze_support()") < text.index("sys.exit(main())")
    assert "launcher.py" in SPEC.read_text(encoding="utf-8")


# -- CHANGELOG.md to AppStream -----------------------------------------------------------

CHANGELOG = """# Changelog

## [Unreleased]

### Added
- Timeline of incidents, with `zoom`
  over years.

## [0.2.0] - 2026-01-15

### Fixed
- Search of [phrases](https://example.org) with **quotes** & ampersands.

## [0.1.0] - 2025-12-01

- First release.
"""


def test_unreleased_changes_become_a_development_release_of_the_current_version(
    releases_script: ModuleType,
) -> None:
    releases = releases_script.appstream_releases(CHANGELOG, "0.3.0", today="2026-02-01")
    assert [(r.version, r.date, r.development) for r in releases] == [
        ("0.3.0", "2026-02-01", True),
        ("0.2.0", "2026-01-15", False),
        ("0.1.0", "2025-12-01", False),
    ]
    assert releases[0].items == ["Timeline of incidents, with `zoom` over years."]


def test_a_released_current_version_drops_the_unreleased_section(
    releases_script: ModuleType,
) -> None:
    releases = releases_script.appstream_releases(CHANGELOG, "0.2.0", today="2026-02-01")
    assert [r.version for r in releases] == ["0.2.0", "0.1.0"]


def test_rendered_releases_are_appstream_markup(releases_script: ModuleType) -> None:
    releases = releases_script.appstream_releases(CHANGELOG, "0.3.0", today="2026-02-01")
    element = ET.fromstring(releases_script.render_releases(releases))
    first, second, third = element.findall("release")
    assert first.get("type") == "development" and second.get("type") is None
    assert first.findtext("description/p") == "Added:"
    assert first.find("description/ul/li/code").text == "zoom"  # type: ignore[union-attr]
    item = "".join(second.find("description/ul/li").itertext())  # type: ignore[union-attr]
    assert item == "Search of phrases with quotes & ampersands."
    assert third.findtext("description/ul/li") == "First release."


def test_the_template_release_list_is_replaced(releases_script: ModuleType) -> None:
    template = (
        "<component>\n  <!-- not <releases> -->\n"
        "  <releases>\n    <release/>\n  </releases>\n</component>\n"
    )
    rendered = releases_script.metainfo_with_releases(template, CHANGELOG, "0.2.0")
    component = ET.fromstring(rendered)
    assert [r.get("version") for r in component.findall("releases/release")] == ["0.2.0", "0.1.0"]
    assert "<!-- not <releases> -->" in rendered


# -- icons ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "sizes"),
    [
        (".ico", [16, 24, 32, 48, 64, 128, 256]),
        (".icns", [16, 32, 32, 64, 64, 128, 256, 256, 512, 512]),
    ],
)
def test_icon_containers_hold_every_size(qapp: object, suffix: str, sizes: list[int]) -> None:
    reader = QImageReader(str(PACKAGING / "icons" / f"org.incidentarchive.Viewer{suffix}"))
    found = []
    for index in range(reader.imageCount()):
        reader.jumpToImage(index)
        image = reader.read()
        assert image.hasAlphaChannel()
        found.append(image.width())
    assert found == sizes


# -- Debian control helpers ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("pep440", "debian"),
    [
        ("0.1.0", "0.1.0"),
        ("1.2.0rc1", "1.2.0~rc1"),
        ("1.2.0.dev3", "1.2.0~dev3"),
        ("1.0.post2", "1.0+post2"),
    ],
)
def test_debian_version(build_script: ModuleType, pep440: str, debian: str) -> None:
    assert build_script.debian_version(pep440) == debian


def test_depends_keep_versions_and_add_what_the_libraries_do_not_show(
    build_script: ModuleType,
) -> None:
    merged = build_script.merge_depends(
        ["libc6 (>= 2.35)", "libxcb1 (>= 1.8)"], ["libxcb1", "fonts-dejavu-core", "libxcb1"]
    )
    assert merged == ["fonts-dejavu-core", "libc6 (>= 2.35)", "libxcb1 (>= 1.8)"]


def test_required_packages_are_those_of_the_environment_notes(build_script: ModuleType) -> None:
    required = build_script.required_system_packages()
    for package in ("libxcb-cursor0", "libxkbcommon-x11-0", "libegl1", "libglib2.0-0"):
        assert package in required
    assert "fonts-dejavu-core" in required, "not linked, so dpkg-shlibdeps cannot find it"


def test_package_description_is_a_valid_control_field(build_script: ModuleType) -> None:
    description = build_script._package_description(build_script._metainfo())
    synopsis, *body = description.split("\n")
    assert synopsis and len(synopsis) < 80 and not synopsis.endswith(".")
    assert body and all(line.startswith(" ") and len(line) <= 80 for line in body)
