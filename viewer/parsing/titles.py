"""An article's title when the copy has no title line: the name its first sentence gives in
capitals or bold, cased the way the rest of the text writes those words."""

from __future__ import annotations

import re
from collections import Counter

from db.search_grammar import strip_accents

_MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
}  # fmt: skip
_SMALL = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
_WORD = re.compile(r"[\w][\w'’.&-]*")
# A run of capitalised words: "OCTOBER 2016 SANA'A FUNERAL AIRSTRIKE", "2016 BAGRAM BOMBING"
# (capitals beyond ASCII as well: "RAŠIĆA GAJ"; Latin Extended-A mixes both cases, so each
# word found is checked to be upper case)
_UPPER = "A-Z0-9À-ÖØ-ÞĀ-ž"
_CAPS_WORD = rf"(?:[{_UPPER}][{_UPPER}'’.&-]*|[0-9]+(?:[–-][0-9]+)?)"
_CAPS_RUN = re.compile(rf"(?<![\w'’]){_CAPS_WORD}(?:(?:[ ,]+|\s+&\s+){_CAPS_WORD})*(?![\w'’])")
_BOLD = re.compile(r"\*\*(?=\S)(.{3,150}?)(?<=\S)\*\*|'''(.{3,150}?)'''")
_LEADING = re.compile(r"^(?:the|an?)\s+", re.IGNORECASE)


def unaccented(text: str) -> str:
    """The text without accents, a dotless i as an i: it has no decomposition of its own,
    and db.search_grammar's folding, which must agree with the search index, keeps it."""
    return strip_accents(text.replace("ı", "i"))


def fold_letters(word: str) -> str:
    """A word without case or accents, so that a file name's "diyarbakir" finds the text's
    "Diyarbakır"."""
    return unaccented(word.casefold())


def _casings(text: str) -> dict[str, Counter[str]]:
    """How the text writes each word, counted where case is a choice (not at the start of a
    sentence, not in a run of capitals)."""
    seen: dict[str, Counter[str]] = {}
    for match in _WORD.finditer(text):
        word = match.group(0).rstrip(".")
        if len(word) > 1 and word.isupper():
            continue
        before = text[max(0, match.start() - 2) : match.start()]
        if match.start() == 0 or re.search(r"[.!?:\n]\s*$", before):
            continue
        seen.setdefault(fold_letters(word), Counter())[word] += 1
    return seen


def restore_case(words: list[str], text: str) -> str:
    """Words written in one case, in the case the text uses for them: month names and words
    the text capitalises keep a capital, others are lower case, the first word capitalised."""
    casings = _casings(text)
    result: list[str] = []
    for index, word in enumerate(words):
        folded = word.casefold()
        if folded in _MONTHS:
            result.append(word.capitalize())
            continue
        if folded in _SMALL and index:
            result.append(folded)  # "at", "of": lower case inside a title, whatever the text
            continue
        if not any(ch.isalpha() for ch in word):
            result.append(word)
            continue
        counts = casings.get(fold_letters(word).rstrip("."))
        if counts:
            result.append(counts.most_common(1)[0][0] + ("." if word.endswith(".") else ""))
        elif word.isupper() and len(word) <= 4 and folded not in _SMALL and text.count(word) > 1:
            result.append(word)  # an acronym the text writes in capitals too ("ISIL")
        elif (
            len(folded) <= 5
            and folded not in _SMALL
            and len(re.findall(rf"\b{re.escape(word.upper())}\b", text)) > 1
        ):
            result.append(word.upper())  # "1988-ira-attacks-...": the text's acronym "IRA"
        elif _only_capitalised(word.capitalize(), folded, text):
            result.append(word.capitalize())  # a name seen only where sentences start
        else:
            result.append(folded)
    title = " ".join(result)
    return title[:1].upper() + title[1:]


def _only_capitalised(capital: str, lower: str, text: str) -> bool:
    return (
        capital != lower
        and re.search(rf"\b{re.escape(capital)}\b", text) is not None
        and re.search(rf"\b{re.escape(lower)}\b", text) is None
    )


def title_from_first_sentence(lead: str, text: str) -> str | None:
    """The name a first sentence gives in capitals ("The OCTOBER 2016 SANA'A FUNERAL
    AIRSTRIKE took place") or in bold (markdown `**...**`), or None."""
    head = lead[:400]
    bold = _BOLD.search(head)
    if bold and bold.start() < 150:
        name = (bold.group(1) or bold.group(2)).strip(" ,")
        return _LEADING.sub("", name) if name else None
    for run in _CAPS_RUN.finditer(head):
        if run.start() > 150:
            break
        words = run.group(0).replace(",", " ").split()
        if run.start() > 30 and len(words) < 3:
            continue  # "five people were killed in a MASS SHOOTING": a phrase, not the name
        letters = [w for w in words if any(ch.isalpha() for ch in w)]
        if not all(w.isupper() for w in letters):
            continue
        if len(words) < 2 or sum(1 for w in letters if len(w) >= 3) < 1 or len(letters) < 1:
            continue
        if len(letters) == 1 and len(words) < 2:
            continue
        if head[max(0, run.start() - 1) : run.start()] == "(":
            continue  # "(RUC)": an abbreviation, not the name
        if re.match(r"\s*\(born\b", head[run.end() :]):
            continue  # "YANG QINGPEI (born 1989)": the person the article is about
        if re.search(r"\b(?:" + "|".join(_MONTHS) + r")\s+$", head[: run.start()], re.I):
            # "On September 16, 2016, TERENCE CRUTCHER": the date's numbers are not the name
            while words and not any(ch.isalpha() for ch in words[0]):
                words = words[1:]
            if not words:
                continue
        rest = text.replace(run.group(0), " ")
        if words[0].casefold() == "the":
            words = words[1:]
        return restore_case(words, rest)
    return None
