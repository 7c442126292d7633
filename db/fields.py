"""Names of the archive's facts that need no database to know (the command line offers
them before it loads SQLAlchemy)."""

from __future__ import annotations

CORRECTABLE_FIELDS = (
    "date", "place", "country", "fatalities", "injuries", "perpetrators", "type",
)  # fmt: skip
