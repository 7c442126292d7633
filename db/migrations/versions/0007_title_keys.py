"""Title identity that ignores how a title is encoded: NFKC, invisible characters removed.

"Café" typed with a combining accent, in fullwidth letters or with a zero-width space made
separate incidents that look identical. The key rule changed (viewer.parsing.model.title_key);
this recomputes the stored keys with a copy of that rule as it was written for this revision
(a migration never changes with the code after it). Where two incidents now share a key, the
first to hold it keeps it and the other keeps its old key: nothing is merged or lost, and
`check` lists them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_IGNORABLE = frozenset(
    [
        *(0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0),
        *range(0x180B, 0x1810),
        *range(0xFE00, 0xFE10),
        *range(0xE0100, 0xE01F0),
    ]
)


def _invisible(ch: str) -> bool:
    return ord(ch) in _IGNORABLE or unicodedata.category(ch) in ("Cf", "Cc", "Cs", "Co", "Cn")


def title_key(title: str) -> str:
    text = unicodedata.normalize("NFKC", title.replace("_", " "))
    text = "".join(ch for ch in text if not _invisible(ch))
    return unicodedata.normalize("NFKC", " ".join(text.split()).casefold())


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, title, title_key FROM incidents ORDER BY id"))
    taken = {key for _id, _title, key in connection.execute(
        sa.text("SELECT id, title, title_key FROM incidents")
    )}  # fmt: skip
    for incident_id, title, old_key in rows.fetchall():
        new_key = title_key(title)
        if new_key == old_key or not new_key or new_key in taken:
            continue
        connection.execute(
            sa.text("UPDATE incidents SET title_key = :key WHERE id = :id"),
            {"key": new_key, "id": incident_id},
        )
        taken.discard(old_key)
        taken.add(new_key)
    links = connection.execute(sa.text("SELECT id, title, title_key FROM see_also")).fetchall()
    for link_id, title, old_key in links:
        new_key = title_key(title)
        if new_key != old_key:
            connection.execute(
                sa.text("UPDATE see_also SET title_key = :key WHERE id = :id"),
                {"key": new_key, "id": link_id},
            )


def downgrade() -> None:
    pass  # the old keys are a subset of the new identity; nothing to undo
