"""The identity of an article by its title, shared by the importer and the archive's checks.

Case, underscores, spacing, compatibility forms (fullwidth letters, ligatures), composed or
decomposed accents and invisible characters do not matter: titles that look the same are the
same article. (Migration 0007 holds a frozen copy of this rule, as it was when it ran.)
"""

from __future__ import annotations

import unicodedata

# Characters that take no space and show nothing: zero-width spaces and joiners, direction
# marks and overrides, the soft hyphen, the byte order mark (category Cf), control
# characters, and the few other default-ignorable ones (Hangul fillers, variation selectors).
_IGNORABLE = frozenset(
    [
        *(0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0),
        *range(0x180B, 0x1810),
        *range(0xFE00, 0xFE10),
        *range(0xE0100, 0xE01F0),
    ]
)
# Joiners shape Persian, Arabic and Indic words: kept in a title shown, not in its identity.
JOINERS = frozenset("\u200c\u200d")


def invisible(ch: str) -> bool:
    return ord(ch) in _IGNORABLE or unicodedata.category(ch) in ("Cf", "Cc", "Cs", "Co", "Cn")


def title_key(title: str) -> str:
    """The identity of an article by title (see the module's docstring)."""
    text = unicodedata.normalize("NFKC", title.replace("_", " "))
    text = "".join(ch for ch in text if not invisible(ch))
    return unicodedata.normalize("NFKC", " ".join(text.split()).casefold())
