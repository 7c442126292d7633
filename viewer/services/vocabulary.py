"""The names and defaults the services accept, in a module that imports nothing: the
command line offers them as choices before it loads the archive layer (which costs ten
times a bare interpreter start), and the services that act on them import them from here."""

from __future__ import annotations

EXPORT_FORMATS = ("json", "csv", "markdown", "w3c", "csl-json")
CHART_KINDS = ("incidents-per-year", "deaths-per-year", "stances", "reactions-matrix")
DEFAULT_MAX_ARTICLE_MB = 8
MAX_ARTICLE_MB_VARIABLE = "INCIDENT_VIEWER_MAX_ARTICLE_MB"

# the reactions' groups and stances, in the order the window lists them
CATEGORIES = ("domestic", "international", "organizations")
STANCES = (
    "condemned",
    "condolences",
    "solidarity",
    "denied responsibility",
    "claimed responsibility",
    "mourning",
    "compensation",
    "other",
)
LANE_MODES = ("none", "perpetrator", "place", "country")  # the timeline's lanes
# the incident table's column headings (db.scopes.TABLE_COLUMNS names the columns)
COLUMN_LABELS = {
    "date": "Date",
    "title": "Title",
    "country": "Country",
    "place": "Place",
    "perpetrator": "Perpetrator",
    "killed": "Killed",
    "injured": "Injured",
    "type": "Type",
    "tags": "Tags",
    "annotations": "Annotations",
}


def tag_key(name: str) -> str:
    """How tag names compare: spaces collapsed, any case."""
    return " ".join(name.split()).casefold()
