"""Showing article text in places where Qt guesses between plain and rich text."""

from __future__ import annotations

import html


def plain_tooltip(*lines: str) -> str:
    """A tooltip showing untrusted text as text: escaped, and marked as rich text so the
    escapes are decoded rather than shown (Qt guesses the format of a tooltip, and a title
    with "&" but no tag would otherwise show "&amp;")."""
    body = "<br>".join(html.escape(line).replace("\n", "<br>") for line in lines if line)
    return f"<qt>{body}</qt>"
