"""Loads the build scripts of packaging/ (a folder of scripts, not a package) for the tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGING = ROOT / "packaging"
# The scripts import each other as siblings (Python puts a script's folder on sys.path when
# it runs one); appended, so that nothing here shadows an installed package.
if str(PACKAGING) not in sys.path:
    sys.path.append(str(PACKAGING))


def load_script(name: str) -> ModuleType:
    """packaging/<name>.py as a module (cached in sys.modules under a private name)."""
    key = f"_packaging_{name}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, PACKAGING / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module
        spec.loader.exec_module(module)
    return sys.modules[key]


@pytest.fixture(scope="session")
def build_script() -> ModuleType:
    return load_script("build")


@pytest.fixture(scope="session")
def releases_script() -> ModuleType:
    return load_script("changelog_releases")


@pytest.fixture(scope="session")
def icon_script() -> ModuleType:
    return load_script("icon_files")
