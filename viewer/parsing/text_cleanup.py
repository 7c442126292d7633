"""What copying an article out of a web page leaves in its text, recognised and removed:
citation markers, edit links, site chrome, reference-list lines and conversion residue.

Used by the plain-text reader (plain, markdown and rendered copies); the raw text is always
kept beside the cleaned body, so nothing removed here is lost.
"""

from __future__ import annotations

import re

# "[14]", "[note 2]", "[nb 1]", "[a]" (after a word), and the editors' bracketed remarks.
_CITATION = re.compile(
    r"\[\s*(?:\d{1,4}|(?:note|nb|n|lower-alpha|upper-alpha|fn)\s*\d{1,3})\s*\]"
    r"|(?<=[\w.,;:!?)\"”’'])\[[a-z]{1,2}\]"
    r"|\[\s*(?:citation|clarification|verification|better source|page|full citation|"
    r"year|when|who|where|which|why|by whom|according to whom|dubious|disputed|"
    r"failed verification|dead link|permanent dead link|not in citation given|"
    r"original research|unreliable source|vague|needs update|update|sic|"
    r"irrelevant citation|non-primary source|self-published source|unbalanced opinion|"
    r"specify|further explanation|attribution)[^\]\n]{0,40}\]",
    re.IGNORECASE,
)
_EDIT_LINK = re.compile(
    r"\s*\[\s*(?:edit|edit source|change|change \| change source|change source|"
    r"edit \| edit source|modifier|bearbeiten)\s*\]",
    re.IGNORECASE,
)
# Whole lines that are a site's furniture, not the article.
_CHROME = re.compile(
    r"^(?:fro(?:m|')\s+wikipedia,?\s+the free encyclopedia\.?|from simple english wikipedia.*|"
    r"source: wikipedia,? the free encyclopedia\.?|jump to(?::)?\s*navigation(?:,)?\s*"
    r"(?:jump to\s+)?"
    r"(?:search)?|jump to search|jump to content|navigation menu|main menu|"
    r"\(redirected from [^)]*\)|this article is issued from wikipedia.*|"
    r"retrieved from .*|the text is licensed under creative commons.*|"
    r"text is available under the creative commons.*|this page was last edited.*|"
    r"hidden categories:.*|categories:.*|for other uses, see .*|"
    r"\"[^\"]{1,80}\" redirects here\..*|"
    r"coordinates:?\s*[-0-9°′″'\". ]+[nsew].*|show map of .*|show all\b.*|"
    r"toggle the table of contents|contents|hide|\(top\)|"
    r"this article (?:is about|needs|has multiple issues|may).*|"
    r"learn how and when to remove this (?:template )?message\.?|"
    r"wikimedia commons has media related to .*|"
    r"listen to this article.*|print/export|tools|languages|edit links|actions|general|"
    r"appearance|in other projects|home|theinfolist|or:|quick facts.*|[\d,]+ pages|"
    r"extended-protected article|semi-protected|this article is issued from wikipedia.*|"
    r"additional terms may apply.*|powered by .*|view source|read|edit|history|talk|article|"
    r"read more about (?:this|the) topic:?.*|famous quotes containing.*|updated on.*|like|"
    r"comment|share|tweet|main articles?:.*|.* - view original article|see more|show more|"
    r"loading(?:\.\.\.|…)?|menu|search|sign in|log in|donate|create account|"
    r"\w+(?: \w+)? wiki|[\w .'-]{3,40} \(editor\))$",
    re.IGNORECASE,
)
_CATEGORY_LINE = re.compile(r"^(?:category|categories)\s*:", re.IGNORECASE)
# A reference-list entry: "[14] https://...", "[1]", "^ Smith, J. (2016)...", "↑ ..."
_REFERENCE_LINE = re.compile(
    r"^(?:\[\d{1,4}\](?:\s|$)|\^\s|\^$|\d{1,4}\.\s*\^|↑|\d{1,4}\.\s+↑|"
    r"(?:archived|retrieved) (?:from|on)\b)",
    re.IGNORECASE,
)
# Left-overs of a conversion that lost the opening of a template or link: "--> }}",
# "Hamburg.Kennedybruecke.wmt.jpg (Kennedy bridge) in Hamburg]] The 2016 ..."
_RESIDUE_LINE = re.compile(r"^(?:-->|\}\}|\|\}|\{\|)[\s}>|-]*$")
_RESIDUE_PREFIX = re.compile(r"^[^\[{\n]{0,200}?(?:\]\]|\}\})\s*(?=\S|$)")
_IMAGE_PREFIX = re.compile(
    r"^\S{1,120}?\.(?:jpe?g|png|svg|gif|tiff?|webp)\b(?:\s*\([^)]{0,120}\))?\s*",
    re.IGNORECASE,
)
_TEMPLATE = re.compile(r"\{\{[^{}\n]{0,2000}\}\}")
# bounded: "![" or "[" never closed, repeated along a long line, made each try run to the
# line's end (a 260 KB line took minutes; found by make fuzz)
_MARKDOWN_IMAGE = re.compile(r"!\[[^\]\n]{0,500}\]\([^)\n]{0,2000}\)")
_MARKDOWN_LINK = re.compile(r"\[([^\]\n]{1,500})\]\((?:[^)\n]{0,2000})\)")
_MARKDOWN_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MARKDOWN_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=[^\s*_])([^*_\n]+?)(?<=\S)\1(?![\w*])")
_HTML_TAG = re.compile(r"</?(?:br|span|div|sup|sub|small|b|i|em|strong|u|p)\b[^>]{0,200}>", re.I)


def strip_citations(text: str) -> str:
    """Citation markers and edit links out of a line of readable text."""
    if "[" not in text:
        return text
    text = _EDIT_LINK.sub("", text)
    return _CITATION.sub("", text)


def strip_markup(text: str) -> str:
    """Markdown and stray HTML emphasis reduced to its words."""
    if "!" in text:
        text = _MARKDOWN_IMAGE.sub("", text)
    if "](" in text:
        text = _MARKDOWN_LINK.sub(r"\1", text)
    if "*" in text or "__" in text:
        text = _MARKDOWN_STRONG.sub(r"\2", text)
    if "*" in text or "_" in text:
        text = _MARKDOWN_EMPHASIS.sub(r"\2", text)
    if "<" in text:
        text = _HTML_TAG.sub("", text)
    if "{{" in text:
        text = _TEMPLATE.sub("", text)
    return text


# a navigation box row: names joined by middle dots, no sentence
_NAVBOX_ROW = re.compile(r"^[^.!?]{0,300}\s·\s[^.!?]{0,300}$")


def is_chrome(line: str) -> bool:
    return bool(_CHROME.match(line) or _NAVBOX_ROW.match(line))


def is_category_line(line: str) -> bool:
    return bool(_CATEGORY_LINE.match(line))


def is_reference_line(line: str) -> bool:
    return bool(_REFERENCE_LINE.match(line))


def strip_residue(line: str) -> str:
    """A line without what a lossy conversion left at its start (or '' if that is all)."""
    if _RESIDUE_LINE.match(line):
        return ""
    while "]]" in line or "}}" in line:  # ", built in 1952]] wheel logo]]": every closing
        match = _RESIDUE_PREFIX.match(line)
        if not match or "[[" in match.group(0) or "{{" in match.group(0):
            break
        line = line[match.end() :]
    image = _IMAGE_PREFIX.match(line)
    if image and not line[: image.end()].strip().endswith("."):
        line = line[image.end() :]
    return line
