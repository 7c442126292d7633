"""Plain text, markdown and rendered copies of articles: the structure recovered from the
shapes people's copies really have.

A copy of a web page or a plain-text dump has no markup to say what is a heading: headings
are short lines standing alone (or `#` lines, or underlined), lists come in every bullet style
(`-`, `*`, `•`, numbered, nested `-   - ` where a flag icon was lost), citation markers
(`[14]`) sit in the sentences, a reference list and category lines close the text, and a
mirror adds its chrome and renders the infobox as `Label value` lines before the lead. The
title is the first line when that is a title, else the name the first sentence gives in
capitals or bold ("The OCTOBER 2016 SANA'A FUNERAL AIRSTRIKE took place..."), else the file
name, cased as the text writes those words.
"""

from __future__ import annotations

import re

from viewer.parsing.model import (
    APPARATUS_SECTIONS,
    LIST_MARK,
    ArticleRejected,
    InfoboxEntry,
    ParsedArticle,
)
from viewer.parsing.rendered_infobox import is_label_line, read_rendered_infobox
from viewer.parsing.text_blocks import BlockCollector, TextBlock
from viewer.parsing.text_cleanup import (
    is_category_line,
    is_chrome,
    is_reference_line,
    strip_citations,
    strip_markup,
    strip_residue,
)
from viewer.parsing.titles import restore_case, title_from_first_sentence

MAX_TITLE = 150
MAX_HEADING = 80
_BULLET = re.compile(r"^\s*(?:[-*•·▪◦‣●○■□➢►–—+]|\d{1,3}[.)]|[a-z][.)])\s+")
_FLAG_DASH = re.compile(r"^[\s\-–—:,;.•*]+")
_SENTENCE_END = re.compile(r"[.!?;:,\"'”’…]$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^(=+|-+)\s*$")
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_FRONT_TITLE = re.compile(r"^title:\s*[\"']?(.*?)[\"']?\s*$", re.M | re.I)
_TABLE_RULE = re.compile(r"^[\s|:+=-]+$")
_EDGE_PIPES = re.compile(r"^\s*\|\s*|(?:\s*\|)+\s*$")
_TEMPLATE_PARAMS = re.compile(r"\|\s*([A-Za-z][\w ]{0,40}?)\s*=\s*([^|]*)")
# Headings that start a new top-level section whatever came before them.
_TOP_LEVEL = re.compile(
    r"^(?:background|history|context|prelude|overview|summary|description|the attacks?|attacks?|"
    r"bombings?|shootings?|the (?:bombing|shooting|massacre|incident|attack|siege)|"
    r"massacre|incident|events?|timeline|chronology|casualties|victims|fatalities|"
    r"perpetrators?|attackers?|assailants?|suspects?|the (?:perpetrators?|attackers?|suspects?)|"
    r"responsibility|claim of responsibility|investigation|investigations|inquiry|"
    r"aftermath|consequences|impact|reactions?|responses?|(?:international|domestic|"
    r"national|local|world|global|official|political|public) (?:reactions?|responses?)|"
    r"(?:reactions?|responses?) to .{3,60}|legacy|memorials?|commemoration|trial|trials|"
    r"legal proceedings|"
    r"prosecution|analysis|motives?|see also|notes|references|external links|"
    r"further reading|bibliography|sources|citations|footnotes|gallery|"
    r"in popular culture|media coverage|criticism|controversy|controversies)$",
    re.IGNORECASE,
)


def title_from_file_name(stem: str, text: str = "") -> str:
    """A title from a file name: underscores and dashes are spaces, and a name written all
    in one case takes the case the text gives its words ("2016-sanaa-funeral-airstrike")."""
    words = stem.replace("_", " ").replace("-", " ").split()
    title = " ".join(words)
    if not (title.islower() or title.isupper()):
        return title
    if text and words:
        # the text may write the whole name: "... at Mazar-i-Sharif" for "...-mazar-i-sharif"
        written = re.search(
            r"(?<![\w'’-])"
            + r"(?:[\s_-]+|\s+&\s+)".join(re.escape(w) for w in words)
            + r"(?![\w'’-])",
            text,
            re.IGNORECASE,
        )
        if written is not None and not written.group(0).isupper():
            found = written.group(0)
            return found[:1].upper() + found[1:]
    restored = restore_case(words, text).split()
    # a hyphenated name the file name split ("mazar i sharif" in the text as Mazar-i-Sharif),
    # the longest first; the words joined are not joined again
    joined_at: dict[int, tuple[int, str]] = {}
    taken: set[int] = set()
    for size in (4, 3, 2):
        for start in range(0, len(words) - size + 1):
            span = set(range(start, start + size))
            if span & taken:
                continue
            joined = re.search(
                r"\b" + "-".join(re.escape(w) for w in words[start : start + size]) + r"\b",
                text,
                re.IGNORECASE,
            )
            if joined is not None:
                joined_at[start] = (size, joined.group(0))
                taken |= span
    result: list[str] = []
    index = 0
    while index < len(restored):
        size, form = joined_at.get(index, (1, restored[index]))
        result.append(form)
        index += size
    title = " ".join(result)
    return title[:1].upper() + title[1:]


def _is_heading_line(line: str) -> bool:
    return (
        0 < len(line) <= MAX_HEADING
        and len(line.split()) <= 10
        and not _SENTENCE_END.search(line)
        and not _BULLET.match(line)
        and (line[0].isupper() or line[0].isdigit())
        and not line.startswith(("http://", "https://", "www."))
    ) or (len(line) <= MAX_HEADING and line.rstrip(":") != line and _known_heading(line))


def _known_heading(line: str) -> bool:
    return bool(_TOP_LEVEL.match(line.rstrip(": ").strip()))


def _front_matter(text: str) -> tuple[str | None, str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return None, text
    title = _FRONT_TITLE.search(match.group(1))
    return (title.group(1).strip() if title else None), text[match.end() :]


def _clean(line: str) -> str:
    line = strip_residue(line.strip())
    return " ".join(strip_markup(strip_citations(line)).split())


_QUOTE_BOX = re.compile(r"^famous quotes containing the words?\b", re.IGNORECASE)


def _lines(text: str) -> list[str | None]:
    """Cleaned lines, None for a blank one; chrome, reference and category lines and table
    rules are left out (they do not break a paragraph: a blank line does)."""
    result: list[str | None] = []
    for raw in text.split("\n"):
        stripped = raw.strip()
        if not stripped:
            result.append(None)
            continue
        if _QUOTE_BOX.match(stripped):
            break  # a mirror's box of quotations ends the page: nothing after it is the article
        if is_reference_line(stripped) or is_category_line(stripped) or is_chrome(stripped):
            continue
        if "|" in stripped:
            if _TABLE_RULE.match(stripped) or "|||" in stripped:
                continue  # "---|---|", a navigation box's "Reactions | ||||||"
            raw = _EDGE_PIPES.sub("", raw)
        bullet = _BULLET.match(raw)
        cleaned = _clean(raw)
        if not cleaned or is_chrome(cleaned):
            continue
        result.append(("\0" if bullet else "") + cleaned)
    return result


def _line_mode(lines: list[str | None]) -> bool:
    """Text with (almost) no blank lines: every line is a paragraph of its own."""
    filled = sum(1 for line in lines if line)
    blank_runs = sum(
        1 for i, line in enumerate(lines) if line is None and i and lines[i - 1] is not None
    )
    return filled >= 4 and blank_runs * 10 < filled


def _blocks(lines: list[str | None]) -> list[TextBlock]:
    blocks: list[TextBlock] = []
    paragraph: list[str] = []
    line_mode = _line_mode(lines)

    def flush() -> None:
        if paragraph:
            blocks.append(TextBlock("text", " ".join(paragraph)))
            paragraph.clear()

    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        if line is None:
            flush()
            continue
        if line.startswith("\0"):
            flush()
            item = _item_text(line[1:])
            if item:
                blocks.append(TextBlock("item", item))
            continue
        markdown = _MD_HEADING.match(line)
        if markdown and markdown.group(2):
            flush()
            blocks.append(TextBlock("heading", markdown.group(2), len(markdown.group(1))))
            continue
        if _SETEXT.match(line) and paragraph and len(paragraph) == 1 and len(line) >= 3:
            heading = paragraph.pop()
            blocks.append(TextBlock("heading", heading, 1 if line[0] == "=" else 2))
            continue
        if following is not None and _SETEXT.match(following) and not following.startswith("\0"):
            flush()
            paragraph.append(line)
            continue
        if line_mode or (paragraph and _ends_paragraph(paragraph[-1])) or is_label_line(line):
            flush()
        paragraph.append(line)
        if line_mode:
            flush()
    flush()
    return blocks


def _ends_paragraph(line: str) -> bool:
    """A line after which a new paragraph starts even with no blank line: a long one ending
    a sentence, a short one that does not (a heading, a caption, an infobox line); a
    hard-wrapped line of a paragraph is neither."""
    if len(line) < 40:
        return not re.search(r"[,;:]$|\b(?:and|or|the|of|a|an|to|in)$", line)
    return len(line) >= 100 and bool(re.search(r"[.!?\"”)]$", line))


def _item_text(line: str) -> str:
    """A list item's words without its bullets. Where a flag icon (and the state it named)
    was lost in the copy, `-   - Secretary-General ...` or `-    – The Foreign Ministry ...`,
    the item keeps one dash in its place: the reactions reader must know a name is missing."""
    bullets = 0
    while True:
        bullet = _BULLET.match(line)
        if not bullet:
            break
        bullets += 1
        line = line[bullet.end() :]
    rest = _FLAG_DASH.sub("", line).strip()
    lost = bullets > 1 or (rest != line.strip() and line.lstrip()[:1] in "-–—")
    return f"– {rest}" if lost and rest else rest


def _take_title(blocks: list[TextBlock], file_stem: str, front: str | None) -> tuple[str, int]:
    """The title and the index of the first block after it."""
    if front:
        return front, 0
    if blocks and blocks[0].kind == "heading":
        following = blocks[1].text if len(blocks) > 1 else ""
        title = _without_section(blocks[0].text, following)
        if title != blocks[0].text:
            return _tidy_title(title, " ".join(b.text for b in blocks[1:60])), 1
        if blocks[0].level == 1:
            return title, 1
    first = blocks[0] if blocks else None
    if (
        first is not None
        and first.kind == "text"
        and len(first.text) <= MAX_TITLE
        and not re.search(r"[.!?]$", first.text)
        and not (_known_heading(first.text) and not re.search(r"\bto\b", first.text, re.I))
        and len(blocks) > 1
    ):
        title = _without_section(first.text, blocks[1].text)
        return _tidy_title(title, " ".join(b.text for b in blocks[1:60])), 1
    body = " ".join(b.text for b in blocks[:60])
    lead = next((b.text for b in blocks if b.kind == "text" and len(b.text) > 60), "")
    from_sentence = title_from_first_sentence(lead, body)
    from_name = title_from_file_name(file_stem, body) if file_stem else ""
    if from_sentence:
        # "KEITH LAMONT SCOTT, a 43-year-old ..." in "shooting-of-keith-lamont-scott": the
        # capitals name the victim, the file name the article
        if re.search(
            r"\b(?:of|on)\s+" + re.escape(from_sentence.casefold()) + "$", from_name.casefold()
        ):
            return from_name, 0
        return from_sentence, 0
    return from_name or title_from_file_name(file_stem, body), 0


def _without_section(title: str, following: str) -> str:
    """ "2007 Al-Khilani Mosque Bombing - Reactions" over a "Reactions" heading: a mirror's
    page of one section; the article's title is before the dash."""
    section = re.match(r"^(.{3,}?)\s+[-–—|]\s+(.{3,40})$", title)
    if section is not None and following.casefold() == section.group(2).casefold():
        return section.group(1)
    return title


def _tidy_title(title: str, text: str) -> str:
    """A title line as a mirror wrote it: `2015_Jalalabad_suicide_bombing` (the page name),
    or Title Case ("August 2017 Quetta Suicide Bombing") where the article writes the
    common words in lower case."""
    if " " not in title and "_" in title:
        title = title.replace("_", " ")
    words = title.split()
    capitalised = [w for w in words if w[:1].isalpha()]
    if len(capitalised) >= 3 and all(w[:1].isupper() and not w.isupper() for w in capitalised):
        restored = restore_case(words, text)
        # only lower the words the text itself writes in lower case
        title = " ".join(
            new if new.islower() and f" {new} " in f" {text} " else old
            for old, new in zip(words, restored.split(), strict=False)
        )
        title = title[:1].upper() + title[1:]
    return title


def _template_residue(blocks: list[TextBlock], article: ParsedArticle) -> list[TextBlock]:
    """`|type=Classicide |fatalities=200,000 |perps=...}}`: an infobox whose opening a
    conversion lost; its parameters are still the infobox's."""
    kept = []
    for index, block in enumerate(blocks):
        params = _TEMPLATE_PARAMS.findall(block.text) if index < 8 and "=" in block.text else []
        if params and block.text.lstrip().startswith("|"):
            for key, value in params:
                value = " ".join(value.replace("}}", " ").split())
                if value:
                    article.infobox.append(InfoboxEntry(key.strip(), value))
            continue
        kept.append(block)
    return kept


def parse_plain_text(text: str, file_stem: str) -> ParsedArticle:
    front, text = _front_matter(text.replace("\r\n", "\n").replace("\r", "\n"))
    blocks = _blocks(_lines(text))
    if not blocks:
        raise ArticleRejected("the file holds no text")
    title, start = _take_title(blocks, file_stem, front)
    title = " ".join(title.split())
    if not title:
        raise ArticleRejected("no title: the first line is empty and the file has no name")
    article = ParsedArticle(title=title, format="plain", raw=text)
    blocks = _template_residue(blocks[start:], article)
    blocks = read_rendered_infobox(blocks, article, title)
    blocks = _without_leading_navigation(blocks)
    _sections(blocks, article)
    if not any(section.blocks for section in article.sections):
        raise ArticleRejected("the article has a title but no text")
    return article


def _sections(blocks: list[TextBlock], article: ParsedArticle) -> None:
    """Headings with levels inferred where the copy lost them: a heading straight after an
    empty one is its subsection ("Reactions" then "Domestic"), and its siblings stay at that
    level until a heading that always starts a top-level section ("See also")."""
    collector = BlockCollector(article)
    previous_heading: int | None = None  # level of a heading with nothing under it yet
    sub_level: int | None = None
    apparatus = False
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        heading = _heading_of(block, following)
        if heading is not None and _is_apparatus(heading[0]):
            # References, Notes, External links...: kept as the article has them, but what
            # follows them is the apparatus (and a mirror's furniture), never content headings
            apparatus = True
            collector.start_section(heading[0].rstrip(":").strip(), heading[1] or 2)
            continue
        if apparatus:
            if block.kind == "heading":
                apparatus = False  # an explicit heading after the apparatus is a section again
            else:
                if block.kind == "item" or len(block.text) >= 40:
                    _add_block(collector, block)
                continue  # a short bare line there is a navigation box's row, not a heading
        if heading is not None:
            name, level = heading
            if level == 0:  # a bare line: infer the level, one level of nesting at most
                if _known_heading(name):
                    level, sub_level = 2, None
                    if previous_heading == 2 and not _TOP_RESETS.match(name):
                        level = sub_level = 3
                elif previous_heading is not None:
                    level = sub_level = min(previous_heading + 1, _MAX_INFERRED)
                else:
                    level = sub_level or 2
            collector.start_section(name.rstrip(":").strip() or name, level)
            previous_heading = level
            continue
        previous_heading = None
        _add_block(collector, block)
    collector.finish()


def _without_leading_navigation(blocks: list[TextBlock]) -> list[TextBlock]:
    """A run of three or more short lines before the lead (a mirror's navigation box: "Main
    articles", "7 July bombers", "Locations"...): an article's lead comes first, so they are
    not its headings."""
    lead = next(
        (i for i, b in enumerate(blocks[:80]) if b.kind == "heading" or len(b.text) >= 120), None
    )
    if lead is None or lead < 3:
        return blocks
    short = [b for b in blocks[:lead] if b.kind in {"text", "item"} and len(b.text) < 80]
    return blocks[lead:] if len(short) == lead else blocks


def _is_apparatus(heading: str) -> bool:
    return heading.rstrip(":").strip().casefold() in APPARATUS_SECTIONS


def _add_block(collector: BlockCollector, block: TextBlock) -> None:
    if block.kind == "item":
        collector.add_item(LIST_MARK + block.text)
    else:
        collector.add_line(block.text)
        collector.end_paragraph()


# Levels read from bare lines go no deeper than this: a copy does not say how deep it went,
# and a wrong guess past it would bury every later section.
_MAX_INFERRED = 3
# Known headings that are never a subsection of the one before them.
_TOP_RESETS = re.compile(
    r"^(?:background|see also|aftermath|investigation|legacy|references|notes|"
    r"external links|further reading|victims|casualties|perpetrators?|trial)$",
    re.IGNORECASE,
)


def _heading_of(block: TextBlock, following: TextBlock | None) -> tuple[str, int] | None:
    """(text, level) when the block is a heading; level 0 when it must be inferred."""
    if block.kind == "heading":
        return block.text, block.level
    if block.kind != "text" or (following is None and not _known_heading(block.text)):
        return None
    if not _is_heading_line(block.text):
        return None
    return block.text, 0
