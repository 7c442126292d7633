"""MediaWiki wikitext, parsed with mwparserfromhell: the infobox template's parameters become
infobox fields, headings become sections, and markup is reduced to readable text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

import mwparserfromhell
from mwparserfromhell.nodes import (
    Argument,
    Comment,
    ExternalLink,
    Heading,
    HTMLEntity,
    Node,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.wikicode import Wikicode

from viewer.parsing.model import (
    APPARATUS_SECTIONS,
    LIST_MARK,
    ArticleRejected,
    InfoboxEntry,
    ParsedArticle,
    ParsedSection,
)
from viewer.parsing.plain_text import title_from_file_name
from viewer.parsing.text_blocks import BlockCollector

# Marks the start of a list item in rendered text; a private-use character, never in articles.
ITEM = "\ue000"
MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
# Infobox parameters that only lay out the box (pictures, maps); the source keeps them.
PRESENTATIONAL_KEYS = re.compile(
    r"^(image|img|alt|caption|map|pushpin|mapframe|coordinates|coords|embed|module|"
    r"child|logo|icon|width|upright|relief|label_position|map_|image_|onoff)",
    re.IGNORECASE,
)
LINK_NAMESPACES_DROPPED = ("file:", "image:", "category:", "media:")
INLINE_WRAPPERS = {
    "nowrap",
    "nobr",
    "small",
    "smaller",
    "big",
    "larger",
    "abbr",
    "nihongo",
    "ill",
    "interlanguage link",
    "interlanguage link multi",
    "lang-rtl",
    "noitalic",
    "resize",
    "font",
    "highlight",
    "mvar",
    "keypress",
    "tooltip",
    "proper name",
    "ublist",
    "longitem",
    "avoid wrap",
    "no wrap",
    "nobold",
    "nobreak",
}
LIST_TEMPLATES = {
    "ubl",
    "ubil",
    "unbulleted list",
    "unbulleted indent list",
    "bulleted list",
    "bull list",
    "hlist",
    "flatlist",
    "plainlist",
    "plain list",
    "collapsible list",
    "ordered list",
    "cslist",
    "indented plainlist",
    "endplainlist",
    "startplainlist",
    "br separated entries",
}
QUOTE_TEMPLATES = {"quote", "blockquote", "cquote", "quotation", "quote box", "centered pull quote"}
DATE_TEMPLATES = {
    "start date",
    "start date and age",
    "end date",
    "end date and age",
    "birth date",
    "death date",
    "date",
    "dts",
    "start date text",
    "dtsort",
    "death date and age",
    "birth date and age",
    "film date",
    "release date",
}
SYMBOLS = {
    "snd": " – ",
    "spaced ndash": " – ",
    "spnd": " – ",
    "ndash": "–",
    "mdash": "—",
    "nbsp": " ",
    "'": "'",
    "=": "=",
    "!": "|",
    "dash": "–",
    "en dash": "–",
    "·": " · ",
    "dot": " · ",
    "•": " • ",
    "bull": " • ",
    "sic": "",
    "-": "",
}
# References and comments never reach the readable text. Removing them before parsing is
# safe (they do not nest) and makes mwparserfromhell 3-4x faster on real articles, most of
# whose markup is citations. The raw text, with them, is still what the archive keeps.
_REFERENCE_OR_COMMENT = re.compile(r"<ref\b|<!--", re.I)
_REFERENCE_END = re.compile(r"</ref\s*>", re.I)


def strip_references(text: str) -> str:
    """The text without <ref>...</ref>, <ref .../> and <!-- comments -->, in one pass.

    (A regular expression with a lazy .*? rescans the rest of the text for every opening
    left unclosed: quadratic, minutes on a page of broken references.) An opening that is
    never closed ends the stripping; what follows it stays as text."""
    kept: list[str] = []
    position = 0
    while True:
        found = _REFERENCE_OR_COMMENT.search(text, position)
        if found is None:
            break
        start = found.start()
        if found.group(0) == "<!--":
            close = text.find("-->", start + 4)
            end = -1 if close == -1 else close + 3
        else:
            tag_end = text.find(">", start)
            if tag_end != -1 and text[tag_end - 1] == "/":
                end = tag_end + 1
            elif tag_end != -1:
                closing = _REFERENCE_END.search(text, tag_end + 1)
                end = -1 if closing is None else closing.end()
            else:
                end = -1
        if end == -1:
            # nothing closes this opening, nor any after it: they are text (as entities, so
            # that the parser does not try each of them to the end again)
            kept.append(text[position:start])
            kept.append(_REFERENCE_OR_COMMENT.sub(lambda m: "&lt;" + m.group(0)[1:], text[start:]))
            return "".join(kept)
        kept.append(text[position:start])
        position = end
    kept.append(text[position:])
    return "".join(kept)


_PAIRS = (("{{", "}}", "&#123;&#123;"), ("[[", "]]", "&#91;&#91;"))


def escape_unclosed(text: str) -> str:
    """Openings of templates ({{) and links ([[) that nothing closes, written as entities.

    The parser tries each unclosed opening as far as the end of the text before taking it as
    text: quadratic, so a megabyte of `{{Infobox civilian attack|` never finished. Written as
    entities they are read (and shown) as the braces they are, in linear time."""
    for opening, closing, entity in _PAIRS:
        if opening not in text:
            continue
        stack: list[int] = []
        unclosed: list[int] = []
        for match in re.finditer(re.escape(opening) + "|" + re.escape(closing), text):
            if match.group(0) == opening:
                stack.append(match.start())
            elif stack:
                stack.pop()
        unclosed = stack
        if unclosed:
            pieces, last = [], 0
            for start in unclosed:
                pieces += [text[last:start], entity]
                last = start + len(opening)
            text = "".join([*pieces, text[last:]])
    return text


_APOSTROPHES = re.compile(r"'{2,}")
# an apostrophe the parser must not take for part of a quote
_APOSTROPHE = "&#39;"


def close_quotes_per_line(text: str) -> str:
    """Bold and italic quotes balanced within each line, as MediaWiki's doQuotes reads them.

    MediaWiki closes '' and ''' at the end of their line and reads an odd ''' as an
    apostrophe and an italic quote when the italics are odd too ("the ''Hôtel de Ville'''s
    quartermaster"). mwparserfromhell does neither: one such line swallowed every later
    section of an article into an unclosed bold. Each line is rewritten to what MediaWiki
    shows: the runs normalised, an odd bold given up as above, what is left open closed."""
    if "''" not in text:
        return text
    return "\n".join(
        _close_line_quotes(line) if "''" in line else line for line in text.split("\n")
    )


def _close_line_quotes(line: str) -> str:
    pieces = _APOSTROPHES.split(line)
    runs = [len(m.group(0)) for m in _APOSTROPHES.finditer(line)]
    # four apostrophes are an apostrophe and bold; more than five, apostrophes and both
    for index, length in enumerate(runs):
        if length == 4:
            pieces[index] += _APOSTROPHE
            runs[index] = 3
        elif length > 5:
            pieces[index] += _APOSTROPHE * (length - 5)
            runs[index] = 5
    italics = sum(1 for length in runs if length in (2, 5))
    bolds = sum(1 for length in runs if length in (3, 5))
    if italics % 2 and bolds % 2:
        chosen = _bold_read_as_apostrophe(pieces, runs)
        if chosen is not None:
            pieces[chosen] += _APOSTROPHE
            runs[chosen] = 2
    out: list[str] = [pieces[0]]
    open_quotes: list[str] = []
    for index, length in enumerate(runs):
        quotes = ("''", "'''") if length == 5 else ("''" if length == 2 else "'''",)
        for quote in quotes:
            if quote in open_quotes:
                open_quotes.remove(quote)
            else:
                open_quotes.append(quote)
        out += ["'" * length, pieces[index + 1]]
    out += reversed(open_quotes)
    return "".join(out)


def _bold_read_as_apostrophe(pieces: list[str], runs: list[int]) -> int | None:
    """Which ''' MediaWiki reads as an apostrophe and '': the first after a one-letter
    word, else the first after a longer word, else the first after a space."""
    single = multi = space = None
    for index, length in enumerate(runs):
        if length != 3:
            continue
        before = pieces[index]
        last, second_last = before[-1:] or " ", before[-2:-1] or " "
        if last == " ":
            space = index if space is None else space
        elif second_last == " ":
            single = index if single is None else single
        else:
            multi = index if multi is None else multi
    for found in (single, multi, space):
        if found is not None:
            return found
    return None


FLAG_NAME_TEMPLATES = {"flag", "flagcountry", "flagu", "flag country", "flaglink", "flag link"}
# templates that draw only the flag: in a list of reactions the flag alone says whose the item is
FLAG_ICON_TEMPLATES = {"flagicon", "flag icon", "flagdeco", "flag deco"}
_LINE_START = re.compile(rf"(?:^|[\n{ITEM}])[\s'*#:;]*$")

CountryResolver = Callable[[str], str | None]


def _template_name(template: Template) -> str:
    return " ".join(str(template.name).replace("_", " ").split()).casefold()


def _positional(template: Template) -> list[Wikicode]:
    return [param.value for param in template.params if not param.showkey]


def _named(template: Template, *names: str) -> Wikicode | None:
    for name in names:
        if template.has(name):
            return template.get(name).value
    return None


def _format_date(parts: list[str]) -> str | None:
    numbers = []
    for part in parts[:3]:
        part = part.strip()
        if not part.isdigit():
            break
        numbers.append(int(part))
    if not numbers or not 1 <= numbers[0] <= 9999:
        return None
    year = numbers[0]
    if len(numbers) >= 2 and 1 <= numbers[1] <= 12:
        month = MONTHS[numbers[1] - 1]
        if len(numbers) >= 3 and 1 <= numbers[2] <= 31:
            return f"{numbers[2]} {month} {year}"
        return f"{month} {year}"
    return str(year)


class Renderer:
    """Reduces wikicode to readable text; list items start a line with ITEM."""

    def __init__(
        self, country_name: CountryResolver | None = None, *, flag_icons: bool = True
    ) -> None:
        self._country_name = country_name or (lambda code: None)
        # an infobox's flags mark nationalities beside names, never whose a line is
        self._flag_icons = flag_icons

    def render(self, code: Wikicode | Iterable[Node] | None) -> str:
        if code is None:
            return ""
        nodes = list(code.nodes if isinstance(code, Wikicode) else code)
        out: list[str] = []
        for index, node in enumerate(nodes):
            if (
                self._flag_icons
                and isinstance(node, Template)
                and _template_name(node) in FLAG_ICON_TEMPLATES
            ):
                out.append(self._flag_icon(node, "".join(out), nodes[index + 1 : index + 4]))
            else:
                out.append(self._node(node))
        return "".join(out)

    def _flag_icon(self, template: Template, before: str, after: list[Node]) -> str:
        """A flag drawn alone ({{flagicon|ESP}}) at the start of a line stands for its state:
        "* {{flagicon|ESP}} The foreign ministry condemned ..." is Spain's item. Nothing when
        the state's name follows anyway, or when the flag sits inside running text."""
        positional = _positional(template)
        if not positional or not _LINE_START.search(before[-40:]):
            return ""
        name = self._country_name(self.inline(positional[0]))
        following = "".join(self._node(node) for node in after).lstrip(" '\xa0")
        if not name or following.casefold().startswith(name.casefold()):
            return ""
        return name + " – "

    def inline(self, code: Wikicode | None) -> str:
        """Render as one line, list items joined with commas (for infobox values)."""
        text = self.render(code)
        parts = [" ".join(part.split()).strip(" ,") for part in re.split(rf"[\n{ITEM}]+", text)]
        joined = ""
        for part in filter(None, parts):
            if not joined:
                joined = part
            elif joined.endswith((";", ":")) or part.startswith("("):
                joined += " " + part
            else:
                joined += ", " + part
        return joined

    def _node(self, node: Node) -> str:
        if isinstance(node, Text):
            return re.sub(r"__[A-Z]+__", "", node.value)
        if isinstance(node, Wikilink):
            return self._wikilink(node)
        if isinstance(node, ExternalLink):
            return self.render(node.title) if node.title else ""
        if isinstance(node, Template):
            return self._template(node)
        if isinstance(node, Tag):
            return self._tag(node)
        if isinstance(node, HTMLEntity):
            return node.normalize().replace("\xa0", " ")
        if isinstance(node, Heading):
            return "\n" + self.render(node.title).strip() + "\n"
        if isinstance(node, (Comment, Argument)):
            return ""
        return ""

    def _wikilink(self, link: Wikilink) -> str:
        target = str(link.title).strip()
        folded = target.casefold()
        if folded.startswith(LINK_NAMESPACES_DROPPED) or re.match(r"^[a-z-]{2,12}:", folded):
            return ""
        if link.text is not None:
            return self.render(link.text)
        return target.lstrip(":").split("#", 1)[0] or target.lstrip(":#")

    def _tag(self, tag: Tag) -> str:
        name = str(tag.tag).casefold()
        if name in {
            "ref",
            "references",
            "gallery",
            "math",
            "score",
            "timeline",
            "syntaxhighlight",
            "templatestyles",
            "imagemap",
            "graph",
            "mapframe",
            "maplink",
            "style",
            "script",
        }:
            return ""
        if name == "li":
            return "\n" + ITEM
        if name in {"dt", "dd"}:
            return "\n" if name == "dt" else " "
        if name == "br":
            return "\n"
        if name == "hr":
            return "\n"
        if name == "table":
            return self._table(tag)
        if name in {"blockquote", "poem", "p", "div", "center"}:
            return "\n" + self.render(tag.contents) + "\n"
        return self.render(tag.contents)

    def _table(self, table: Tag) -> str:
        rows = []
        for row in table.contents.filter_tags(recursive=False, matches=lambda n: n.tag == "tr"):
            cells = [
                " ".join(self.inline(cell.contents).split())
                for cell in row.contents.filter_tags(recursive=False)
                if str(cell.tag).casefold() == "td"
            ]
            cells = [cell for cell in cells if cell]
            if cells:
                rows.append("\n" + ITEM + " – ".join(cells))
        return "".join(rows) + "\n"

    def _template(self, template: Template) -> str:
        name = _template_name(template)
        positional = _positional(template)
        if name in SYMBOLS:
            return SYMBOLS[name]
        if name in DATE_TEMPLATES:
            return self._date(name, template, positional)
        flag = self._flag_and_name(name, template, positional)
        if flag is not None:
            return flag
        if name in LIST_TEMPLATES:
            values = [self.render(value) for value in positional if self.render(value).strip()]
            if name in {"plainlist", "flatlist", "plain list", "indented plainlist"}:
                return "".join(values)
            return "".join("\n" + ITEM + value.strip() for value in values)
        if name in QUOTE_TEMPLATES:
            quote = _named(template, "text", "quote", "1") or (
                positional[0] if positional else None
            )
            return "\n" + self.render(quote).strip() + "\n"
        if name in {"lang", "transl", "transliteration", "script"} and len(positional) >= 2:
            return self.render(positional[1])
        if name.startswith("lang-") and positional:
            return self.render(positional[0])
        if name in {"convert", "cvt"} and len(positional) >= 2:
            return f"{self.inline(positional[0])} {self.inline(positional[1])}"
        if name in {"circa", "c."}:
            return "c. " + (self.inline(positional[0]) if positional else "")
        if name == "as of" and positional:
            return "As of " + " ".join(self.inline(p) for p in positional[:1])
        if name in {"us$", "usd"} and positional:
            return "US$" + self.inline(positional[0])
        if name == "sortname" and len(positional) >= 2:
            return f"{self.inline(positional[0])} {self.inline(positional[1])}"
        if name in INLINE_WRAPPERS and positional:
            return self.render(positional[0])
        return ""

    def _flag_and_name(
        self, name: str, template: Template, positional: list[Wikicode]
    ) -> str | None:
        """What a template drawing a flag and a state's name shows, or None for another."""
        if name in FLAG_NAME_TEMPLATES and positional:
            code = self.inline(positional[0])
            # the template shows the name it is given; a code is shown as its state's name
            return (len(code) <= 4 and self._country_name(code)) or code
        if not positional and re.fullmatch(r"[A-Z]{3}", str(template.name).strip()):
            # the shorthand flag-and-name templates of older reaction lists ({{USA}}, {{JPN}})
            return self._country_name(str(template.name).strip()) or ""
        return None

    def _date(self, name: str, template: Template, positional: list[Wikicode]) -> str:
        parts = [self.inline(value) for value in positional]
        formatted = _format_date(parts)
        if formatted:
            return formatted
        return parts[0] if parts else ""


def _find_infobox(code: Wikicode) -> Template | None:
    # Infoboxes are sometimes wrapped ({{stack|{{Infobox ...}}}}): look inside templates too.
    for template in code.filter_templates(recursive=True):
        if _template_name(template).startswith("infobox"):
            return template
    return None


def _infobox_entries(template: Template, renderer: Renderer) -> list[InfoboxEntry]:
    entries = []
    for param in template.params:
        key = " ".join(str(param.name).split())
        if not key or PRESENTATIONAL_KEYS.match(key):
            continue
        value = renderer.inline(param.value)
        if value:
            entries.append(InfoboxEntry(key, value, str(param.value).strip()))
    return entries


def _display_title(code: Wikicode, renderer: Renderer) -> str | None:
    for template in code.filter_templates(recursive=False):
        name = str(template.name).strip()
        if name.upper().startswith("DISPLAYTITLE:"):
            return renderer.inline(mwparserfromhell.parse(name.split(":", 1)[1]))
    return None


def _bold_title(lead: list[Node], renderer: Renderer) -> str | None:
    for node in lead:
        if isinstance(node, Tag) and node.wiki_markup in {"'''", "'''''"}:
            text = " ".join(renderer.render(node.contents).split())
            if text:
                return text
    return None


def _split_sections(code: Wikicode) -> list[tuple[Heading | None, list[Node]]]:
    sections: list[tuple[Heading | None, list[Node]]] = [(None, [])]
    for node in code.nodes:
        if isinstance(node, Heading):
            sections.append((node, []))
        else:
            sections[-1][1].append(node)
    return sections


_WIKI_MARKERS = re.compile(
    r"\{\{[^{}\n]*\}\}|\{\{\s*infobox|\[\[[^\]\n]+\]\]|'''|^==.*==\s*$",
    re.IGNORECASE | re.MULTILINE,
)
WIKITEXT_SUFFIXES = frozenset({".wiki", ".wikitext", ".mediawiki"})


# A plain copy's reference list can keep a template's remains ("[15]  23 {{!}} 1987 ...
# }}"): markup on a reference line does not make a text wikitext.
_REFERENCE_LINE = re.compile(r"^\s*(?:\[\d{1,4}\]|\^|\d{1,4}\.\s*\^)", re.MULTILINE)


def looks_like_wikitext(text: str) -> bool:
    """Wiki markup (a template, a link, bold, a == heading ==) near the start of the text,
    outside reference-list lines."""
    head = text[:20000]
    for match in _WIKI_MARKERS.finditer(head):
        line_start = head.rfind("\n", 0, match.start()) + 1
        if not _REFERENCE_LINE.match(head, line_start):
            return True
    return False


def parse_wikitext(
    text: str,
    *,
    title: str | None = None,
    file_stem: str = "",
    country_name: CountryResolver | None = None,
    format_name: str = "wikitext",
) -> ParsedArticle:
    if re.match(r"^\s*#redirect", text, re.IGNORECASE):
        raise ArticleRejected("a redirect page, not an article")
    renderer = Renderer(country_name)
    article = ParsedArticle(title="", format=format_name, raw=text)
    collector = BlockCollector(article)
    infobox: Template | None = None
    display_title: str | None = None
    bold_title: str | None = None
    for number, code in enumerate(_parsed_parts(text)):
        if infobox is None:
            infobox = _find_infobox(code)
            if infobox is not None:
                article.infobox = _infobox_entries(
                    infobox, Renderer(country_name, flag_icons=False)
                )
        sections = _split_sections(code)
        if title is None and display_title is None:
            display_title = _display_title(code, renderer)
        if title is None and number == 0:
            bold_title = _bold_title(sections[0][1], renderer)
        del code  # each part's tree is freed once it is rendered
        for index, (heading, nodes) in enumerate(sections):
            if heading is not None:
                heading_text = " ".join(renderer.render(heading.title).split())
                collector.start_section(heading_text or "(untitled)", heading.level)
            elif number > 0:
                continue  # a later part starts at its heading: nothing stands before it
            rendered = renderer.render([node for node in nodes if node is not infobox])
            sections[index] = (heading, [])
            _collect_blocks(rendered, collector)
    collector.finish()
    if title is None:
        infobox_title = next(
            (e.value for e in article.infobox if e.key.casefold() in {"title", "name"}), None
        )
        title = (
            display_title or infobox_title or bold_title or title_from_file_name(file_stem, text)
        )
    if not title:
        raise ArticleRejected("no title: no page title, infobox title or bold lead title")
    article.title = " ".join(title.split())
    article.sections = _drop_empty_sections(article.sections)
    if not any(section.blocks for section in article.sections) and not article.infobox:
        raise ArticleRejected("the page has no readable text")
    return article


# A page whose text (without references) is longer than this is parsed a part at a time,
# each part a run of whole sections of about this size: the parser's tree of a page is about
# 25 times its text (a 20 MB page took 300 MB), a part's tree is freed once it is rendered.
# Shorter pages, every real article among them, are parsed whole as before.
PART_CHARS = 2**20
_HEADING_LINE = re.compile(r"^={1,6}[^=\n][^\n]*=[ \t]*$", re.MULTILINE)
_UNFINISHED = re.compile(r"\{\{|\}\}|\[\[|\]\]|\{\||<[A-Za-z/]")


def _parsed_parts(text: str, part_chars: int | None = None) -> Iterator[Wikicode]:
    """The page's text (references dropped, unclosed openings escaped, quotes closed per
    line) parsed: whole, or for a long page a part at a time.

    A part ends before a top-level heading; it is taken as parsed only if nothing in it was
    left open at its end (nothing unclosed reads as text: no top-level text holds an opening
    of a template, link, table or tag), so that the parts' trees are those the whole text
    would give; otherwise it is parsed again together with the next part."""
    prepared = close_quotes_per_line(escape_unclosed(strip_references(text)))
    size = PART_CHARS if part_chars is None else part_chars
    if len(prepared) <= size:
        yield mwparserfromhell.parse(prepared)
        return
    cuts = _part_starts(prepared, size)
    start = 0
    for end in [*cuts, len(prepared)]:
        code = mwparserfromhell.parse(prepared[start:end])
        if start > 0 and not (code.nodes and isinstance(code.nodes[0], Heading)):
            # not cut before a heading after all: what is left is read whole
            yield mwparserfromhell.parse(prepared[start:])
            return
        if end < len(prepared) and not _closed(code):
            continue  # something is open at the cut: parsed again with the next part
        yield code
        del code
        start = end


def _part_starts(text: str, size: int) -> list[int]:
    """Where parts of about size characters begin: at heading lines."""
    starts: list[int] = []
    last = 0
    for match in _HEADING_LINE.finditer(text):
        if match.start() - last >= size:
            starts.append(match.start())
            last = match.start()
    return starts


def _closed(code: Wikicode) -> bool:
    """Whether a part's parse left nothing open at its end: an opening the parser could not
    close stays in a top-level text node."""
    return not any(isinstance(node, Text) and _UNFINISHED.search(node.value) for node in code.nodes)


def _drop_empty_sections(sections: list[ParsedSection]) -> list[ParsedSection]:
    """Drop headings with no text of their own and no subsections (emptied by rendering);
    the apparatus headings (References, emptied of their <ref> list) stay, as the article
    has them."""
    kept = []
    for index, section in enumerate(sections):
        following = sections[index + 1] if index + 1 < len(sections) else None
        has_children = following is not None and following.level > section.level
        apparatus = (section.heading or "").casefold() in APPARATUS_SECTIONS
        if section.heading is None or section.blocks or has_children or apparatus:
            kept.append(section)
    return kept


def _collect_blocks(rendered: str, collector: BlockCollector) -> None:
    for line in rendered.split("\n"):
        stripped = line.strip()
        if not stripped:
            collector.end_paragraph()
        elif stripped.startswith(ITEM):
            item = stripped.lstrip(ITEM).strip()
            if item:
                collector.add_item(LIST_MARK + item)
        else:
            collector.add_line(stripped)
