"""The installers' metadata: one version and one application id everywhere, well-formed
files, and the freedesktop validators happy with them (when installed). Builds nothing."""

from __future__ import annotations

import ast
import configparser
import plistlib
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest
from packaging.version import Version

from tests.packaging.conftest import PACKAGING, ROOT
from viewer import APP_ID, APP_NAME, __version__

DESKTOP = PACKAGING / "linux" / f"{APP_ID}.desktop"
METAINFO = PACKAGING / "linux" / f"{APP_ID}.metainfo.xml"
INFO_PLIST = PACKAGING / "macos" / "Info.plist"
INNO = PACKAGING / "windows" / "incident-viewer.iss"
SPEC = PACKAGING / "incident-viewer.spec"
CHANGELOG = ROOT / "CHANGELOG.md"
EXECUTABLE = "incident-viewer"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(DESKTOP.read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


def inno_defines() -> dict[str, str]:
    return dict(re.findall(r'^\s*#define\s+(\w+)\s+"([^"]*)"', INNO.read_text(), re.MULTILINE))


def inno_setup_section() -> dict[str, str]:
    text = INNO.read_text(encoding="utf-8")
    section = text.split("[Setup]", 1)[1].split("\n[", 1)[0]
    pairs = (line.split("=", 1) for line in section.splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs if not key.startswith(";")}


def rendered_metainfo(build_script: ModuleType) -> str:
    return str(build_script._metainfo())


# -- the same version and id everywhere --------------------------------------------------


def test_spec_takes_name_version_and_id_from_the_package() -> None:
    text = SPEC.read_text(encoding="utf-8")
    imported = {
        alias.name
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.ImportFrom) and node.module == "viewer"
        for alias in node.names
    }
    assert {"APP_ID", "APP_NAME", "__version__"} <= imported
    assert __version__ not in text and APP_ID not in text, "the spec must not repeat them"
    assert f'EXECUTABLE = "{EXECUTABLE}"' in text


def test_desktop_entry_uses_the_id_and_the_launcher_on_path() -> None:
    entry = desktop_entry()
    assert DESKTOP.name == f"{APP_ID}.desktop"
    assert entry["Icon"] == APP_ID
    assert entry["Name"] == APP_NAME
    assert entry["Exec"].split()[0] == EXECUTABLE
    assert entry["Type"] == "Application"


def test_metainfo_uses_the_id_and_names_the_current_version(build_script: ModuleType) -> None:
    for text in (METAINFO.read_text(encoding="utf-8"), rendered_metainfo(build_script)):
        component = ET.fromstring(text.encode("utf-8"))
        assert component.get("type") == "desktop-application"
        assert component.findtext("id") == APP_ID
        assert component.findtext("name") == APP_NAME
        assert component.findtext("launchable") == f"{APP_ID}.desktop"
        assert component.findtext("provides/binary") == EXECUTABLE
        releases = component.findall("releases/release")
        assert releases and releases[0].get("version") == __version__
        assert component.find("content_rating") is not None
        assert component.findall("screenshots/screenshot/image")


def test_info_plist_matches_the_package() -> None:
    with INFO_PLIST.open("rb") as file:
        info = plistlib.load(file)
    assert info["CFBundleIdentifier"] == APP_ID
    assert info["CFBundleName"] == info["CFBundleDisplayName"] == APP_NAME
    assert info["CFBundleShortVersionString"] == info["CFBundleVersion"] == __version__
    assert info["CFBundleExecutable"] == EXECUTABLE
    assert info["CFBundleIconFile"] == f"{APP_ID}.icns"
    assert (PACKAGING / "icons" / info["CFBundleIconFile"]).is_file()
    assert info["CFBundlePackageType"] == "APPL"


def test_inno_script_matches_the_package_and_installs_per_user() -> None:
    defines = inno_defines()
    assert defines["AppId"] == APP_ID
    assert defines["AppName"] == APP_NAME
    assert defines["AppVersion"] == __version__, "the default version, when iscc gets none"
    assert defines["AppExe"] == f"{EXECUTABLE}.exe"
    assert defines["BundleDir"].replace("\\", "/").endswith(f"dist/{EXECUTABLE}")
    setup = inno_setup_section()
    assert setup["PrivilegesRequired"] == "lowest"
    assert setup["AppId"] == "{#AppId}"
    icon = INNO.parent / setup["SetupIconFile"].replace("\\", "/")
    assert icon.resolve() == (PACKAGING / "icons" / f"{APP_ID}.ico").resolve()
    assert icon.is_file()
    text = INNO.read_text(encoding="utf-8")
    assert "[Icons]" in text and "{autoprograms}" in text, "a Start-menu entry"


def test_icons_are_named_by_the_id_and_the_containers_are_current(
    icon_script: ModuleType,
) -> None:
    assert (PACKAGING / "icons" / f"{APP_ID}.svg").is_file()
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        assert (PACKAGING / f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png").is_file()
    assert icon_script.APP_ID == APP_ID
    assert icon_script.main(["--check"]) == 0, "run packaging/icon_files.py"


def test_changelog_top_release_is_the_current_version(releases_script: ModuleType) -> None:
    releases = releases_script.parse_changelog(CHANGELOG.read_text(encoding="utf-8"))
    released = [r for r in releases if r.version != releases_script.UNRELEASED]
    if not released:
        pytest.skip("CHANGELOG.md has no release yet (only Unreleased)")
    top = released[0]
    if releases[0].version == releases_script.UNRELEASED:
        assert Version(top.version) <= Version(__version__)
    else:
        assert top.version == __version__, "bump viewer.__version__ with the change log"


# -- well-formed ---------------------------------------------------------------------------


def test_desktop_entry_is_a_well_formed_key_file() -> None:
    entry = desktop_entry()
    for key in ("Type", "Name", "Exec", "Icon", "Categories"):
        assert entry.get(key), key
    assert entry["Categories"].endswith(";")
    assert "%" not in entry["Exec"], "the command line takes no file arguments"


def test_metainfo_template_and_rendering_are_well_formed_xml(build_script: ModuleType) -> None:
    ET.fromstring(METAINFO.read_bytes())
    ET.fromstring(rendered_metainfo(build_script).encode("utf-8"))


# -- the validators, when installed ----------------------------------------------------------


def _validator(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (Debian: desktop-file-utils / appstream)")
    return path


def test_desktop_file_validate_accepts_the_desktop_entry() -> None:
    result = subprocess.run(
        [_validator("desktop-file-validate"), str(DESKTOP)], capture_output=True, text=True
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


@pytest.mark.parametrize("variant", ["template", "rendered"])
def test_appstreamcli_accepts_the_metainfo(
    variant: str, build_script: ModuleType, tmp_path: Path
) -> None:
    tool = _validator("appstreamcli")
    path = METAINFO
    if variant == "rendered":
        path = tmp_path / METAINFO.name
        path.write_text(rendered_metainfo(build_script), encoding="utf-8")
    result = subprocess.run(
        [tool, "validate", "--no-net", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_screenshots_are_in_the_repository_at_the_declared_size() -> None:
    """The metainfo points at the published copies of packaging/screenshots/*.png."""
    component = ET.fromstring(METAINFO.read_bytes())
    for image in component.findall("screenshots/screenshot/image"):
        url = image.text or ""
        assert url.startswith("https://")
        local = PACKAGING / "screenshots" / url.rsplit("/", 1)[1]
        header = local.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n", local
        width, height = struct.unpack(">II", header[16:24])
        assert (str(width), str(height)) == (image.get("width"), image.get("height"))
