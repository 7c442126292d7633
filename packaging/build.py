"""Build the frozen program, smoke-test it, then make the installer of this platform.

    .venv/bin/python packaging/build.py deb       # Linux: bundle + .deb (what `make package` runs)
    .venv/bin/python packaging/build.py bundle    # any platform: the bundle only
    .venv/bin/python packaging/build.py windows   # Windows: bundle + Inno Setup installer
    .venv/bin/python packaging/build.py macos     # macOS: .app bundle + .dmg

--debug makes a debug build (see packaging/incident-viewer.spec); --skip-bundle reuses the
bundle already in dist/. The smoke test runs the frozen program before any installer is
made: --version, --self-check, an import large enough to use the worker processes, and the
window (offscreen, and on a real X server when Xvfb is installed).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
sys.path.insert(0, str(ROOT))

# A sibling script: importable because Python puts this script's folder on sys.path.
from changelog_releases import metainfo_with_releases  # noqa: E402

from viewer import APP_ID, APP_NAME, __version__  # noqa: E402

SPEC = PACKAGING / "incident-viewer.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build"
EXECUTABLE = "incident-viewer"
BUNDLE = DIST / EXECUTABLE
MAC_APP = DIST / f"{APP_NAME}.app"
PACKAGE = "incident-archive-viewer"  # Debian package, install folder and user data folder
INSTALL_DIR = Path("/opt") / PACKAGE
DESKTOP_FILE = PACKAGING / "linux" / f"{APP_ID}.desktop"
METAINFO_FILE = PACKAGING / "linux" / f"{APP_ID}.metainfo.xml"
INNO_SCRIPT = PACKAGING / "windows" / "incident-viewer.iss"
DEFAULT_MAINTAINER = "The Incident Archive Viewer developers <packaging@incidentarchive.org>"


def log(message: str) -> None:
    print(f"build: {message}", flush=True)


def run(command: Sequence[str | os.PathLike[str]], **kwargs: object) -> str:
    shown = [str(part) for part in command[:12]]
    more = f" ... ({len(command) - 12} more arguments)" if len(command) > 12 else ""
    log("$ " + " ".join(shown) + more)
    kwargs.setdefault("stdout", subprocess.PIPE)
    result = subprocess.run([str(part) for part in command], check=True, text=True, **kwargs)
    return result.stdout


def tree_size(path: Path) -> int:
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() or p.is_symlink())


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


# -- the bundle ------------------------------------------------------------------------


def build_bundle(debug: bool) -> float:
    """Run PyInstaller on the spec; return the seconds it took."""
    started = time.monotonic()
    command: list[str | Path] = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean"]
    command += ["--distpath", DIST, "--workpath", WORK / "pyinstaller", SPEC]
    if debug:
        command += ["--", "--debug"]
    run(command, cwd=ROOT, stdout=None)
    return time.monotonic() - started


def frozen_program(console: bool = True) -> Path:
    """The frozen executable; on Windows the console twin answers the command line."""
    if sys.platform == "darwin":
        return MAC_APP / "Contents" / "MacOS" / EXECUTABLE
    if sys.platform == "win32":
        return BUNDLE / (f"{EXECUTABLE}-cli.exe" if console else f"{EXECUTABLE}.exe")
    return BUNDLE / EXECUTABLE


def program_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INCIDENT_VIEWER_")}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        INCIDENT_VIEWER_HOME=str(home),
        INCIDENT_VIEWER_NO_CRASH_DIALOG="1",
    )
    env.update(extra)
    return env


def check_program(
    command: Sequence[str | Path], env: dict[str, str], timeout: float, quiet: bool = False
) -> str:
    """Run the program; it must exit 0 (and, when quiet, say nothing on stderr)."""
    result = subprocess.run(
        [str(part) for part in command], env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0 or (quiet and result.stderr):
        raise SystemExit(
            f"build: smoke test failed: {' '.join(map(str, command))} exited "
            f"{result.returncode}\n{result.stdout}{result.stderr}"
        )
    return result.stdout


def _copies_of_the_samples(folder: Path, count: int) -> None:
    """count articles with distinct titles, made from the bundled samples."""
    samples = sorted((ROOT / "resources" / "samples" / "articles").glob("*.txt"))
    folder.mkdir()
    for number in range(count):
        sample = samples[number % len(samples)].read_text(encoding="utf-8")
        title, rest = sample.split("\n", 1)
        renamed = title.rstrip(" =") + f" (copy {number}) =\n" + rest
        (folder / f"{number:04}.txt").write_text(renamed, encoding="utf-8")


def wait_for_window(
    command: Sequence[str | Path],
    env: dict[str, str],
    ready: Path,
    timeout: float = 60,
    settle: float = 1.0,
) -> float:
    """Start the window, wait until it says its archive is open, let it settle (the window
    loads its panes after that), close it with SIGTERM. Returns the seconds from launch to
    ready; fails on a crash or an unclean exit."""
    started = time.monotonic()
    process = subprocess.Popen(
        [str(part) for part in command], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        while not ready.exists():
            if process.poll() is not None or time.monotonic() - started > timeout:
                out, err = process.communicate(timeout=10) if process.poll() is None else (b"", b"")
                raise SystemExit(
                    f"build: the window did not open: {' '.join(map(str, command))}\n"
                    f"{(out or b'').decode()}{(err or b'').decode()}"
                )
            time.sleep(0.02)
        elapsed = time.monotonic() - started
        time.sleep(settle)
        process.terminate()  # SIGTERM; on Windows TerminateProcess, which allows no clean exit
        _out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    clean = process.returncode == 0 or sys.platform == "win32"
    if not clean or b"Traceback" in err:
        raise SystemExit(f"build: the window did not close cleanly:\n{err.decode()}")
    return elapsed


@contextmanager
def x_server() -> Iterator[str | None]:
    """A virtual X display (Xvfb picks a free number), or None when Xvfb is not installed."""
    if sys.platform != "linux" or shutil.which("Xvfb") is None:
        yield None
        return
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as pipe:
            number = pipe.readline().strip()
        yield f":{number}" if number else None
    finally:
        server.terminate()
        server.wait(timeout=10)


def smoke_test(program: Path) -> None:
    from viewer.services.importing import PARALLEL_MIN_FILES, WORKERS_VARIABLE

    log(f"smoke test of {program}")
    with tempfile.TemporaryDirectory(prefix="iav-smoke-") as folder:
        tmp = Path(folder)
        env = program_env(tmp / "home")
        version = check_program([program, "--version"], env, 60).strip()
        if version != f"{EXECUTABLE} {__version__}":
            raise SystemExit(f"build: --version said {version!r}, expected {__version__}")
        log(check_program([program, "--self-check"], env, 120).strip())

        # Enough files for the importer's spawn-context worker pool. Without freeze_support a
        # worker runs the command line again, fails, and the importer says on stderr that it
        # carries on without workers: hence quiet=True.
        _copies_of_the_samples(tmp / "many", PARALLEL_MIN_FILES)
        archive = tmp / "many.sqlite"
        workers = program_env(tmp / "home", **{WORKERS_VARIABLE: "2"})
        importing = [program, "--archive", archive, "import", tmp / "many"]
        check_program(importing, workers, 600, quiet=True)
        listing = check_program([program, "--archive", archive, "list", "--json"], env, 60)
        count = len(json.loads(listing)["incidents"])
        if count != PARALLEL_MIN_FILES:
            raise SystemExit(f"build: parallel import gave {count} incidents")
        log(f"import by 2 worker processes: {count} articles")
        chart = tmp / "chart.svg"  # matplotlib (and numpy) bundled, drawing with no display
        check_program(
            [program, "--archive", archive, "chart", "stances", "--output", chart], env, 120
        )
        if not chart.read_bytes().lstrip().startswith(b"<?xml"):
            raise SystemExit("build: chart wrote no SVG")
        log(f"chart drawn: {chart.stat().st_size:,} bytes of SVG")

        window = [frozen_program(console=False), "--archive", tmp / "window.sqlite"]
        ready = tmp / "ready-offscreen"
        seconds = wait_for_window(window, program_env(tmp / "home", **_ready(ready)), ready)
        log(f"window (offscreen platform) ready in {seconds:.2f} s, closed cleanly")
        with x_server() as display:
            if display is None:
                log("Xvfb not installed: the xcb platform plugin was not tried")
                return
            ready = tmp / "ready-xcb"
            env = program_env(tmp / "home", QT_QPA_PLATFORM="xcb", DISPLAY=display, **_ready(ready))
            seconds = wait_for_window(window, env, ready)
            log(f"window (xcb platform, Xvfb {display}) ready in {seconds:.2f} s, closed cleanly")


def _ready(path: Path) -> dict[str, str]:
    return {"INCIDENT_VIEWER_READY_FILE": str(path)}


# -- Linux: the .deb -------------------------------------------------------------------


def debian_version(version: str) -> str:
    """PEP 440 to Debian ordering: 1.0rc1 and 1.0.dev2 sort before 1.0, as ~ does there."""
    version = re.sub(r"\.?(a|b|rc|dev)(\d+)", r"~\1\2", version)
    return version.replace(".post", "+post")


def _metainfo() -> str:
    return metainfo_with_releases(
        METAINFO_FILE.read_text(encoding="utf-8"),
        (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"),
        __version__,
    )


def _package_description(metainfo: str) -> str:
    """Debian's Description field, from the AppStream summary and description."""
    component = ET.fromstring(metainfo.encode("utf-8"))
    summary = component.findtext("summary", "").strip()
    paragraphs: list[str] = []
    description = component.find("description")
    for element in description if description is not None else []:
        if element.tag == "p":
            paragraphs.append(" ".join((element.text or "").split()))
        else:
            paragraphs.extend("- " + " ".join((item.text or "").split()) for item in element)
    body = [
        line
        for paragraph in paragraphs
        for line in textwrap.wrap(
            paragraph,
            78,
            initial_indent=" ",
            subsequent_indent="   " if paragraph.startswith("- ") else " ",
        )
    ]
    return summary[0].lower() + summary[1:] + "\n" + "\n".join(body)


def _install(source: Path, destination: Path, mode: int = 0o644) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, destination)
    destination.chmod(mode)


def stage_deb_tree(bundle: Path, stage: Path) -> None:
    """Lay out the package's files as they land on disk (no DEBIAN/ yet)."""
    shutil.copytree(bundle, stage / INSTALL_DIR.relative_to("/"), symlinks=True)
    launcher = stage / "usr" / "bin" / EXECUTABLE
    launcher.parent.mkdir(parents=True)
    launcher.symlink_to(INSTALL_DIR / EXECUTABLE)  # the bootloader finds its bundle via /proc
    share = stage / "usr" / "share"
    _install(DESKTOP_FILE, share / "applications" / DESKTOP_FILE.name)
    metainfo = share / "metainfo" / METAINFO_FILE.name
    metainfo.parent.mkdir(parents=True)
    metainfo.write_text(_metainfo(), encoding="utf-8")
    for png in sorted((PACKAGING / "icons" / "hicolor").glob(f"*/apps/{APP_ID}.png")):
        _install(png, share / "icons" / "hicolor" / png.relative_to(PACKAGING / "icons/hicolor"))
    svg = PACKAGING / "icons" / f"{APP_ID}.svg"
    _install(svg, share / "icons" / "hicolor" / "scalable" / "apps" / svg.name)
    doc = share / "doc" / PACKAGE
    _install(PACKAGING / "linux" / "copyright", doc / "copyright")
    changelog = (ROOT / "CHANGELOG.md").read_bytes()
    (doc / "changelog.gz").write_bytes(gzip.compress(changelog, 9, mtime=0))
    _normalise_modes(stage)


def _is_elf(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(4) == b"\x7fELF"


def _normalise_modes(stage: Path) -> None:
    """Directories 755, files 644, programs 755, whatever the build machine's umask was."""
    for path in stage.rglob("*"):
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755)
        else:
            path.chmod(0o755 if path.name == EXECUTABLE and _is_elf(path) else 0o644)


def required_system_packages() -> list[str]:
    """The Qt offscreen and xcb packages scripts/ensure-system-deps installs (ENVIRONMENT.md),
    including what no library links and dpkg-shlibdeps cannot see: the fonts."""
    script = (ROOT / "scripts" / "ensure-system-deps").read_text(encoding="utf-8")
    packages: list[str] = []
    for variable in ("QT", "WINDOW"):
        match = re.search(rf'^{variable}="([^"]+)"', script, re.MULTILINE)
        if match is None:
            raise SystemExit(f"build: no {variable}= list in scripts/ensure-system-deps")
        packages += match[1].split()
    return packages


def shared_library_depends(work: Path, stage: Path) -> list[str]:
    """dpkg-shlibdeps over every ELF file of the bundle: the libraries it takes from the
    system, as versioned Debian dependencies. Bundled libraries have no package: skipped."""
    (work / "debian").mkdir(exist_ok=True)
    (work / "debian" / "control").write_text(
        f"Source: {PACKAGE}\n\nPackage: {PACKAGE}\nArchitecture: any\n", encoding="utf-8"
    )
    bundle = stage / INSTALL_DIR.relative_to("/")
    files = (path for path in bundle.rglob("*") if path.is_file() and not path.is_symlink())
    elf_files = sorted(path for path in files if _is_elf(path))
    private = sorted({str(path.parent) for path in elf_files if ".so" in path.name})
    command = ["dpkg-shlibdeps", "-O", "--ignore-missing-info", f"-T{work / 'substvars'}"]
    command += [f"-l{folder}" for folder in private]
    command += [f"-e{path}" for path in elf_files]
    output = run(command, cwd=work, stderr=subprocess.DEVNULL)
    match = re.search(r"^shlibs:Depends=(.*)$", output, re.MULTILINE)
    return [part.strip() for part in match[1].split(",")] if match else []


def merge_depends(versioned: list[str], required: Sequence[str]) -> list[str]:
    """The versioned list plus every required package it does not name yet, sorted."""
    named = {entry.split()[0] for entry in versioned}
    return sorted([*versioned, *(p for p in dict.fromkeys(required) if p not in named)])


def write_control(stage: Path, depends: list[str], metainfo: str, architecture: str) -> None:
    debian = stage / "DEBIAN"
    debian.mkdir(mode=0o755)
    installed_kb = (tree_size(stage) + 1023) // 1024
    maintainer = DEFAULT_MAINTAINER
    if os.environ.get("DEBFULLNAME") and os.environ.get("DEBEMAIL"):
        maintainer = f"{os.environ['DEBFULLNAME']} <{os.environ['DEBEMAIL']}>"
    control = (
        f"Package: {PACKAGE}\n"
        f"Version: {debian_version(__version__)}\n"
        f"Architecture: {architecture}\n"
        f"Maintainer: {maintainer}\n"
        f"Installed-Size: {installed_kb}\n"
        f"Depends: {', '.join(depends)}\n"
        "Section: misc\n"
        "Priority: optional\n"
        f"Description: {_package_description(metainfo)}\n"
    )
    (debian / "control").write_text(control, encoding="utf-8")
    sums = [
        f"{hashlib.md5(path.read_bytes()).hexdigest()}  {path.relative_to(stage)}"
        for path in sorted(stage.rglob("*"))
        if path.is_file() and not path.is_symlink() and debian not in path.parents
    ]
    (debian / "md5sums").write_text("\n".join(sums) + "\n", encoding="utf-8")
    for path in debian.iterdir():
        path.chmod(0o644)


def make_deb(bundle: Path) -> Path:
    started = time.monotonic()
    work = WORK / "deb"
    shutil.rmtree(work, ignore_errors=True)
    stage = work / "debian" / PACKAGE  # where dpkg-shlibdeps expects a package's tree
    stage.mkdir(parents=True)
    stage_deb_tree(bundle, stage)
    (stage / "DEBIAN").mkdir()  # lets dpkg-shlibdeps resolve $ORIGIN in the bundle's RPATHs
    depends = merge_depends(shared_library_depends(work, stage), required_system_packages())
    (stage / "DEBIAN").rmdir()
    architecture = run(["dpkg", "--print-architecture"]).strip()
    write_control(stage, depends, _metainfo(), architecture)
    deb = DIST / f"{PACKAGE}_{debian_version(__version__)}_{architecture}.deb"
    deb.unlink(missing_ok=True)
    run(["dpkg-deb", "--build", "--root-owner-group", "-Zxz", stage, deb], stdout=None)
    log(f"Depends: {', '.join(depends)}")
    seconds = time.monotonic() - started
    log(f"{deb.relative_to(ROOT)}: {megabytes(deb.stat().st_size)}, made in {seconds:.0f} s")
    return deb


# -- Windows and macOS -----------------------------------------------------------------


def make_windows_installer() -> Path:
    iscc = os.environ.get("ISCC") or shutil.which("iscc")
    default = Path(r"C:\Program Files (x86)\Inno Setup 6\ISCC.exe")
    if iscc is None and default.is_file():
        iscc = str(default)
    if iscc is None:
        raise SystemExit("build: Inno Setup's iscc not found (install Inno Setup 6 or set ISCC)")
    run([iscc, f"/DAppVersion={__version__}", INNO_SCRIPT], stdout=None)
    return DIST / f"{PACKAGE}-{__version__}-setup.exe"


def make_dmg() -> Path:
    """A compressed disk image holding the .app and a link to /Applications to drag it to."""
    dmg = DIST / f"{PACKAGE}-{__version__}.dmg"
    with tempfile.TemporaryDirectory(prefix="iav-dmg-") as folder:
        content = Path(folder) / APP_NAME
        content.mkdir()
        run(["ditto", MAC_APP, content / MAC_APP.name])  # keeps the signatures and links
        (content / "Applications").symlink_to("/Applications")
        dmg.unlink(missing_ok=True)
        run(
            [
                *("hdiutil", "create", "-volname", APP_NAME, "-srcfolder", content),
                *("-fs", "HFS+", "-format", "UDZO", "-ov", dmg),
            ],
            stdout=None,
        )
    run(["hdiutil", "verify", dmg], stdout=None)
    return dmg


CONSTRAINTS = PACKAGING / "constraints.txt"


def pinned_versions(path: Path = CONSTRAINTS) -> dict[str, str]:
    """The constraints file: normalised package name -> pinned version."""
    pins: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def check_pinned_versions() -> None:
    """Refuse to bundle anything but what packaging/constraints.txt pins (make package
    installs those; a build from a virtual environment that drifted would ship untested
    versions)."""
    from importlib.metadata import PackageNotFoundError, version

    pins = pinned_versions()
    wrong = []
    for name, pinned in pins.items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = "not installed"
        if installed != pinned:
            wrong.append(f"{name} {installed} (pinned: {pinned})")
    if wrong:
        raise SystemExit(
            "build: the environment differs from packaging/constraints.txt: "
            + "; ".join(wrong)
            + " (pip install -c packaging/constraints.txt -e .)"
        )
    log(f"the {len(pins)} versions pinned in packaging/constraints.txt are installed")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", choices=("bundle", "deb", "windows", "macos"))
    parser.add_argument("--debug", action="store_true", help="debug build (see the spec)")
    parser.add_argument("--skip-bundle", action="store_true", help="reuse the bundle in dist/")
    args = parser.parse_args(argv)
    started = time.monotonic()
    check_pinned_versions()
    run([sys.executable, PACKAGING / "icon_files.py", "--check"])
    if not args.skip_bundle:
        seconds = build_bundle(args.debug)
        log(f"bundle built in {seconds:.0f} s")
    built = MAC_APP if sys.platform == "darwin" else BUNDLE
    log(f"{built.relative_to(ROOT)}: {megabytes(tree_size(built))}")
    smoke_started = time.monotonic()
    smoke_test(frozen_program())
    log(f"smoke test passed in {time.monotonic() - smoke_started:.0f} s")
    if args.target == "deb":
        make_deb(BUNDLE)
    elif args.target == "windows":
        log(f"installer: {make_windows_installer()}")
    elif args.target == "macos":
        log(f"disk image: {make_dmg()}")
    log(f"done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
