"""CHANGELOG.md (Keep a Changelog) to the AppStream <releases> list of the metainfo file.

The metainfo in packaging/linux is a template: the build replaces its <releases> element
with the one rendered here, so every release entry comes from CHANGELOG.md. An
"Unreleased" section at the top becomes a development release of the current version
(dated SOURCE_DATE_EPOCH, or the day of the build) until that version gets its own heading.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

UNRELEASED = "Unreleased"
_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\](?:\s*-\s*(?P<date>\d{4}-\d{2}-\d{2}))?")
_SECTION = re.compile(r"^### (?P<title>.+)$")
_RELEASES = re.compile(r"^(?P<indent>[ \t]*)<releases>.*?</releases>", re.DOTALL | re.MULTILINE)


@dataclass
class Release:
    version: str
    date: str | None
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    development: bool = False

    @property
    def items(self) -> list[str]:
        return [item for _title, items in self.sections for item in items]


def parse_changelog(text: str) -> list[Release]:
    """Every `## [version] - date` section, newest first, with its `###` lists of items."""
    releases: list[Release] = []
    items: list[str] | None = None
    for line in text.splitlines():
        if heading := _HEADING.match(line):
            releases.append(Release(heading["version"], heading["date"]))
            items = None
        elif not releases:
            continue
        elif section := _SECTION.match(line):
            items = []
            releases[-1].sections.append((section["title"].strip(), items))
        elif line.startswith(("- ", "* ")):
            if items is None:  # a list straight under the release heading
                items = []
                releases[-1].sections.append(("", items))
            items.append(line[2:].strip())
        elif items and line.startswith("  ") and line.strip():
            items[-1] += " " + line.strip()
        elif line.startswith("#"):
            items = None
    return releases


def build_date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.fromtimestamp(int(epoch), UTC).date() if epoch else date.today()
    return when.isoformat()


def appstream_releases(changelog: str, version: str, today: str | None = None) -> list[Release]:
    """The releases AppStream should list: the released ones, plus the current version in
    development while its changes sit under "Unreleased"."""
    releases = parse_changelog(changelog)
    released = [r for r in releases if r.version != UNRELEASED]
    unreleased = next((r for r in releases if r.version == UNRELEASED), None)
    if unreleased is not None and version not in {r.version for r in released}:
        current = Release(version, today or build_date(), unreleased.sections, development=True)
        return [current, *released]
    return released


def _inline(markdown: str) -> str:
    """Markdown inline text to AppStream description markup (code kept, links as text)."""
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"\*\*([^*]+)\*\*|__([^_]+)__", lambda m: m[1] or m[2], text)
    parts = text.split("`")
    return "".join(
        f"<code>{html.escape(part, quote=False)}</code>" if odd else html.escape(part, quote=False)
        for odd, part in ((i % 2 == 1, p) for i, p in enumerate(parts))
    )


def render_releases(releases: list[Release], indent: str = "  ", unit: str = "  ") -> str:
    """The <releases> element, its first line indented by indent, each level by unit."""

    def line(level: int, text: str) -> str:
        return indent + unit * level + text

    lines = [line(0, "<releases>")]
    for release in releases:
        attributes = f'version="{html.escape(release.version)}" date="{release.date}"'
        if release.development:
            attributes += ' type="development"'
        lines.append(line(1, f"<release {attributes}>"))
        if release.items:
            lines.append(line(2, "<description>"))
            for title, items in release.sections:
                if not items:
                    continue
                if title:
                    lines.append(line(3, f"<p>{html.escape(title, quote=False)}:</p>"))
                lines.append(line(3, "<ul>"))
                lines.extend(line(4, f"<li>{_inline(item)}</li>") for item in items)
                lines.append(line(3, "</ul>"))
            lines.append(line(2, "</description>"))
        lines.append(line(1, "</release>"))
    lines.append(line(0, "</releases>"))
    return "\n".join(lines)


def metainfo_with_releases(template: str, changelog: str, version: str) -> str:
    """The metainfo template with its <releases> element rendered from the change log."""
    releases = appstream_releases(changelog, version)
    if not releases:
        raise ValueError("CHANGELOG.md has neither an Unreleased section nor any release")
    match = _RELEASES.search(template)
    if match is None:
        raise ValueError("the metainfo template has no <releases> element")
    rendered = render_releases(releases, indent=match["indent"])
    return template[: match.start()] + rendered + template[match.end() :]
