"""Splitting body text into sentences, with their offsets in the body."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "gen", "lt", "col", "maj", "capt", "cpt",
    "sgt", "adm", "gov", "sen", "rep", "rev", "hon", "no", "nos", "vol", "fig", "approx", "est",
    "brig", "cmdr", "cdr", "pvt", "cpl", "supt", "insp", "det", "amb", "pres", "sec",
    "inc", "ltd", "co", "corp", "vs", "etc", "al", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "pp", "e.g", "i.e", "cf", "ca", "c",
    "u.s", "u.k", "u.n", "u.a.e", "e.u", "d.c",
}  # fmt: skip
# written [.!?][.!?]* rather than [.!?]+: a pattern that opens with a plain character set
# lets the search skip to the next full stop (a repeat first made it try every position)
_BOUNDARY = re.compile(r"[.!?][.!?]*[\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")


class Sentence(NamedTuple):
    """A sentence (or clause) and where it stands in the body (a tuple: one is made for
    every sentence read)."""

    start: int
    end: int
    text: str


def split_block(block: str, offset: int = 0) -> list[Sentence]:
    """Sentences of one block (a paragraph or list item) with offsets shifted by offset."""
    sentences: list[Sentence] = []
    begin = 0
    # a block with no double quotation mark is inside none at any point: most blocks
    quoted = '"' in block or "“" in block
    for match in _BOUNDARY.finditer(block):
        stop = match.start()
        # the closing quotation mark after the full stop ends the quotation: '..." Mayor'
        closing = match.group(0).rstrip()
        if quoted and _inside_quote(block[begin : stop + len(closing)]):
            continue
        space = max(block.rfind(" ", begin, stop), block.rfind("(", begin, stop), begin - 1)
        original = block[space + 1 : stop].rstrip(".")
        token = original.casefold()
        # "U.S." or an initial ("A. B. Smith") does not end a sentence; "no." only as "No."
        if (token in _ABBREVIATIONS and original != "no") or (len(token) == 1 and token.isalpha()):
            continue
        _append(sentences, block, begin, stop + len(closing), offset)
        begin = match.end()
    _append(sentences, block, begin, len(block), offset)
    return sentences


class SentenceSplits:
    """The sentences of the blocks one article has had split, for its other readers: the
    dated events and the reactions read the same paragraphs (split_block's lists, which no
    reader changes)."""

    __slots__ = ("_done",)

    def __init__(self) -> None:
        self._done: dict[tuple[str, int], list[Sentence]] = {}

    def split(self, block: str, offset: int = 0) -> list[Sentence]:
        key = (block, offset)
        found = self._done.get(key)
        if found is None:
            found = self._done[key] = split_block(block, offset)
        return found


def _inside_quote(text: str) -> bool:
    """Whether text ends inside a quotation ("...," he said: one sentence, whatever the
    quote holds). Curly quotes open and close; a straight one opens where it stands before
    a word and closes where it follows one, so that one stray mark ('from his office." .')
    does not turn the rest of a paragraph into a quotation."""
    if text.count("“") > text.count("”"):
        return True
    if '"' not in text:
        return False
    inside = False
    position = text.find('"')
    while position != -1:
        before = text[position - 1] if position else " "
        after = text[position + 1] if position + 1 < len(text) else " "
        if before.isspace() or before in "([{—–-/":
            inside = not after.isspace() or not inside
        elif after.isspace() or after in ".,;:!?)]}—–-":
            inside = False
        else:
            inside = not inside
        position = text.find('"', position + 1)
    return inside


def _append(sentences: list[Sentence], block: str, begin: int, end: int, offset: int) -> None:
    text = block[begin:end]
    stripped = text.strip()
    if stripped:
        # (where the stripped text starts in text: its first character is no space)
        start = offset + begin + text.find(stripped)
        sentences.append(Sentence(start, start + len(stripped), stripped))


def blocks(body: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    """(offset, text) of each line of body[start:end]."""
    position = start
    for line in body[start:end].split("\n"):
        yield position, line
        position += len(line) + 1


_STATED = (
    r"(?:said|says|stated|called|condemned|denounced|described|expressed|tweeted|wrote|added|"
    r"urged|praised|warned|announced|offered|critici[sz]ed|blamed|demanded|vowed|denied)\b"
)
# ", and Governor Gavin Newsom said": a second speaker after a comma or semicolon, named in at
# most seven capitalised words (with "of", "the") before what they did
_SECOND_SPEAKER = re.compile(
    rf"[,;]\s+(?:and\s+|while\s+|whereas\s+)?(?=(?:(?:the\s+)?[A-Z]"
    rf"(?:[\w'’.-]*\s+(?:of\s+|the\s+|for\s+)*){{1,7}}|the\s+(?:latter|former)\s+"
    # "while Mykhailo Podolyak, a Ukrainian presidential advisor, called": a name, then
    # who they are
    rf"|[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){{1,3}},\s+(?:a|an|the)\s+[^,;]{{1,60}},\s+)"
    rf"(?:also\s+)?{_STATED})"
)
_FIRST_STATED = re.compile(rf"\b{_STATED}")


def split_clauses(sentence: Sentence) -> list[Sentence]:
    """One sentence in which two speakers each say something ("Mayor Karen Bass called the
    shooting "devastating", and Governor Gavin Newsom said ...") as one clause each; any
    other sentence as it is."""
    clauses: list[Sentence] = []
    while True:  # a loop, not recursion: a hostile sentence of thousands of clauses
        text = sentence.text
        for match in _SECOND_SPEAKER.finditer(text):
            head = text[: match.start()]
            if _inside_quote(head) or not _FIRST_STATED.search(head):
                continue
            clauses.append(Sentence(sentence.start, sentence.start + len(head), head))
            sentence = Sentence(sentence.start + match.end(), sentence.end, text[match.end() :])
            break
        else:
            clauses.append(sentence)
            return clauses
