"""Data shipped with the program: gazetteers, sample articles, icons and style sheets."""

from importlib import resources as _resources
from pathlib import Path


def resource_path(*parts: str) -> Path:
    """Path of a shipped resource file or folder (works from a wheel, a checkout or a bundle)."""
    return Path(str(_resources.files(__name__).joinpath(*parts)))
