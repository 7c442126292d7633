"""Normalised facts from parsed articles: dates, tolls, places, perpetrators, reactions."""

from __future__ import annotations

from db.records import Facts, Toll
from viewer.parsing.model import ParsedArticle


def extract_facts(article: ParsedArticle, body: str) -> Facts:
    """The raw texts the facts come from; normalisation arrives with the extraction work."""
    return Facts(
        date_text=article.infobox_value("Date"),
        location_text=article.infobox_value("Location"),
        fatalities=Toll(text=article.infobox_value("Fatalities", "Deaths")),
        injuries=Toll(text=article.infobox_value("Injuries", "Injured")),
    )
