"""Who reacted to incidents and how: one incident's statements, and actors across the archive.

The actor list is one GROUP BY pass over the reactions table in SQL (stance counts included),
and an actor's incidents (a page at a time) and statements are indexed look-ups made when
the user asks for them.

Filters (a stance, a piece of text) apply to statements: an actor is listed when at least
one of its statements passes, and the counts are of the statements that pass. The text
filter matches the actor's name, the speaker, the speaker's role or the statement text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from db import Archive
from db import reactions as stored
from db.incident_table import IncidentScope
from db.records import StoredReaction
from viewer.services.vocabulary import CATEGORIES as CATEGORIES
from viewer.services.vocabulary import STANCES as STANCES

ACTOR_KINDS = ("state", "organization", "person", "body", "armed_group", "unknown")


IncidentRow = tuple[int, str, str | None, int]
"""An incident an actor reacted to: id, title, date_start, number of its statements."""


@dataclass(frozen=True)
class ActorSummary:
    """An actor across the archive: in how many incidents and statements it reacted, and
    how many of those statements take each stance."""

    actor: str
    actor_kind: str
    incidents: int
    statements: int
    stances: dict[str, int] = field(hash=False)


def incident_reactions(archive: Archive, incident_id: int) -> list[StoredReaction]:
    """Every statement about one incident, in the order the article gives them."""
    with archive.read() as connection:
        return stored.incident_statements(connection, incident_id)


def actors(
    archive: Archive,
    *,
    text_filter: str = "",
    stance: str | None = None,
    limit: int | None = None,
    scope: IncidentScope | None = None,
) -> list[ActorSummary]:
    """Actors across the archive, most incidents first, then by name.

    One GROUP BY pass: the stance counts are conditional counts over the fixed vocabulary
    (a stance outside it, which the extractor never writes, is counted as "other").
    """
    with archive.read() as connection:
        rows = stored.actor_rows(
            connection, STANCES, text_filter=text_filter, stance=stance, limit=limit, scope=scope
        )
    summaries = []
    for actor, kind, n_incidents, n_statements, *counts in rows:
        stances = {name: count for name, count in zip(STANCES, counts, strict=True) if count}
        unknown = n_statements - sum(counts)
        if unknown:
            stances["other"] = stances.get("other", 0) + unknown
        summaries.append(ActorSummary(actor, kind, n_incidents, n_statements, stances))
    return summaries


def actor_incidents(
    archive: Archive,
    actor: str,
    stance: str | None = None,
    *,
    text_filter: str = "",
    limit: int | None = None,
    offset: int = 0,
    scope: IncidentScope | None = None,
) -> list[IncidentRow]:
    """The incidents an actor reacted to, by date (undated last), with how many of its
    statements each has; limit and offset take one page of them (the order is total)."""
    with archive.read() as connection:
        return stored.actor_incidents(
            connection,
            actor,
            stance,
            text_filter=text_filter,
            limit=limit,
            offset=offset,
            scope=scope,
        )


def actor_statements(
    archive: Archive,
    actor: str,
    incident_id: int,
    *,
    stance: str | None = None,
    text_filter: str = "",
) -> list[StoredReaction]:
    """One actor's statements about one incident, in article order."""
    with archive.read() as connection:
        return stored.actor_statements(
            connection, actor, incident_id, stance=stance, text_filter=text_filter
        )


def stance_counts(stances: Iterable[str]) -> dict[str, int]:
    """How many of the given stances are each stance, in vocabulary order (others last)."""
    counts: dict[str, int] = {}
    for stance in stances:
        counts[stance] = counts.get(stance, 0) + 1
    order = {name: position for position, name in enumerate(STANCES)}
    return dict(sorted(counts.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))
