"""The names and defaults the services accept, in a module that imports nothing: the
command line offers them as choices before it loads the archive layer (which costs ten
times a bare interpreter start), and the services that act on them import them from here."""

from __future__ import annotations

EXPORT_FORMATS = ("json", "csv", "markdown", "w3c", "csl-json")
CHART_KINDS = ("incidents-per-year", "deaths-per-year", "stances", "reactions-matrix")
DEFAULT_MAX_ARTICLE_MB = 8
MAX_ARTICLE_MB_VARIABLE = "INCIDENT_VIEWER_MAX_ARTICLE_MB"
