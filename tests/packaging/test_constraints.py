"""The constraints file pins what the installers bundle: every dependency of the program,
within what pyproject.toml allows, and the tests run on those very versions."""

from __future__ import annotations

import tomllib
from importlib.metadata import requires, version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
CONSTRAINTS = ROOT / "packaging" / "constraints.txt"


def _pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, separator, pinned = line.partition("==")
            assert separator and pinned, f"not an exact pin: {line!r}"
            pins[canonicalize_name(name)] = pinned
    return pins


def _runtime_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(text) for text in project["dependencies"]]


def test_every_dependency_is_pinned_within_what_pyproject_allows() -> None:
    pins = _pins()
    for requirement in _runtime_requirements():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not pinned in {CONSTRAINTS.name}"
        assert requirement.specifier.contains(pins[name]), (requirement, pins[name])


def test_the_dependencies_of_the_dependencies_are_pinned_too() -> None:
    pins = _pins()
    missing = set()
    for name in pins:
        for text in requires(name) or []:
            dependency = Requirement(text)
            needed = dependency.marker is None or dependency.marker.evaluate({"extra": ""})
            if needed and canonicalize_name(dependency.name) not in pins:
                missing.add(f"{dependency.name} (for {name})")
    assert not missing, sorted(missing)


def test_the_tests_run_on_the_pinned_versions() -> None:
    """make test installs with the constraints: what is tested is what ships."""
    assert {name: version(name) for name in _pins()} == _pins()
