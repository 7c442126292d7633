"""How reactions read in the window: translated names of categories, actor kinds and
stances, one-line abbreviations, and tooltips with every article string escaped."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication

from db.records import StoredReaction
from viewer.wording import cut_at_word

ABBREVIATE_AT = 160


def category_label(category: str) -> str:
    labels = {
        "domestic": QCoreApplication.translate("Reactions", "Domestic"),
        "international": QCoreApplication.translate("Reactions", "International"),
        "organizations": QCoreApplication.translate("Reactions", "Organizations"),
    }
    return labels.get(category, category.replace("_", " ").capitalize())


def kind_label(kind: str) -> str:
    labels = {
        "state": QCoreApplication.translate("Reactions", "state"),
        "organization": QCoreApplication.translate("Reactions", "organization"),
        "person": QCoreApplication.translate("Reactions", "person"),
        "body": QCoreApplication.translate("Reactions", "body"),
        "armed_group": QCoreApplication.translate("Reactions", "armed group"),
        "unknown": QCoreApplication.translate("Reactions", "unknown"),
    }
    return labels.get(kind, kind.replace("_", " "))


def stance_label(stance: str) -> str:
    labels = {
        "condemned": QCoreApplication.translate("Reactions", "condemned"),
        "condolences": QCoreApplication.translate("Reactions", "condolences"),
        "solidarity": QCoreApplication.translate("Reactions", "solidarity"),
        "denied responsibility": QCoreApplication.translate("Reactions", "denied responsibility"),
        "claimed responsibility": QCoreApplication.translate("Reactions", "claimed responsibility"),
        "mourning": QCoreApplication.translate("Reactions", "mourning"),
        "compensation": QCoreApplication.translate("Reactions", "compensation"),
        "other": QCoreApplication.translate("Reactions", "other"),
    }
    return labels.get(stance, stance)


def stances_text(counts: dict[str, int]) -> str:
    """The stances of several statements in vocabulary order: "condemned ×2, mourning"."""
    parts = []
    for stance, count in counts.items():
        label = stance_label(stance)
        parts.append(f"{label} ×{count}" if count > 1 else label)
    return ", ".join(parts)


def abbreviate(text: str, limit: int = ABBREVIATE_AT) -> str:
    """One line of at most limit characters, cut at a word where there is one."""
    return cut_at_word(" ".join(text.split()), limit)


def statement_tooltip(statement: StoredReaction) -> str:
    """Rich text by necessity (Qt decides tooltips' format), so every part is escaped."""
    who = html.escape(statement.actor)
    by = ", ".join(html.escape(part) for part in (statement.speaker, statement.role) if part)
    if by and statement.speaker != statement.actor:
        who += f" ({by})"
    return (
        f"<p><b>{who}</b> — {html.escape(stance_label(statement.stance))}</p>"
        f"<p>{html.escape(statement.text)}</p>"
    )


def actor_tooltip(actor: str, kind: str, stances: dict[str, int], counts: str | None = None) -> str:
    lines = [f"<b>{html.escape(actor)}</b> ({html.escape(kind_label(kind))})"]
    if counts:
        lines.append(html.escape(counts))
    if stances:
        lines.append(html.escape(stances_text(stances)))
    return "<p>" + "<br>".join(lines) + "</p>"


def matches(statement: StoredReaction, needle: str) -> bool:
    """The text filter of both modes: actor, speaker, role or text contain it (any case)."""
    needle = needle.casefold()
    return any(
        needle in part.casefold()
        for part in (statement.actor, statement.speaker, statement.role, statement.text)
        if part
    )
