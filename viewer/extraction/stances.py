"""The stance of a reaction: a small fixed vocabulary, read from the statement's words."""

from __future__ import annotations

import re

STANCES = (
    "claimed responsibility", "denied responsibility", "condemned", "condolences",
    "solidarity", "mourning", "compensation", "other",
)  # fmt: skip


# The condemnation pattern's alternatives, each with a word it cannot match without: the
# whole alternation searched over every sentence that holds one of the words cost more than
# all other stances together; each alternative is now searched only where its own word is
# (a text matches the alternation where, and only where, it matches one of them).
_CONDEMNED: list[tuple[str, str]] = [
    ("condemn", r"condemn\w*"), ("denounc", r"denounc\w*"), ("deplor", r"deplor\w*"),
    ("decr", r"decr(?:y|ied|ies)"), ("appall", r"appall\w*"), ("abhorrent", r"abhorrent"),
    ("heinous", r"heinous"), ("atrocit", r"atrocit\w*"),
    ("violat",
     r"violat\w*\s+(?:of\s+)?(?:[^\s;]+\s+){0,6}?(?:law|rights?|sovereignty|ceasefire|cease-fire|"
     r"truce|conventions?|agreements?|charter|integrity|norms?|principles?|resolutions?)\b"),
    ("aggression", r"aggression"), ("act of war", r"act of war"), ("war crime", r"war crimes?"),
    ("against humanity", r"crimes? against humanity"), ("horrific", r"horrific"),
    ("shocking", r"shocking"), ("unacceptable", r"unacceptable"),
    ("unjustifi", r"unjustifi\w*"), ("inexcusable", r"inexcusable"), ("inhuman", r"inhuman\w*"),
    ("brutal", r"brutal\w*"), ("abominable", r"abominable"), ("reprehensible", r"reprehensible"),
    ("outrag", r"outrageous"), ("revulsion", r"revulsion"), ("disgust", r"disgust\w*"),
    ("censur", r"censur\w*"), ("barbaric", r"barbaric"), ("cowardly", r"cowardly"),
    ("outrag", r"outrag\w*"), ("repudiat", r"repudiat\w*"), ("despicable", r"despicable"),
    # criticism of the attack itself; criticism of the police, a government or the
    # press is a statement of its own kind
    ("critici",
     r"critici[sz]\w*\s+(?:the\s+|this\s+|these\s+)?(?:\w+\s+)?(?:attacks?|bombings?|"
     r"killings?|shootings?|massacres?|murders?|assassination|act|perpetrators|terrorists|"
     r"violence against)\b"),
    ("dastardly", r"dastardly"), ("senseless", r"senseless"),
    ("rejection of all forms", r"rejection of all forms"),
]  # fmt: skip


_STANCE_PATTERNS = [
    ("claimed responsibility", re.compile(
        r"\b(claim(?:ed|s|ing)?|took|accept(?:ed|s)?|admitted)\s+(?:full\s+)?"
        r"(responsibility|credit)\b|\bclaimed\s+(?:the|both|all)\s+(?:attacks?|bombings?)", re.I)),
    ("denied responsibility", re.compile(
        r"\bden(?:ied|ies|y|ying)\b[^.]{0,40}\b(responsibility|involvement|role|link|"
        r"connection|part|charges?|allegations?|accusations?|claims?|reports?|wrongdoing|"
        r"culpability|blame)\b|\bdistanced\b|\bdisowned\b|\brejected\s+(?:the\s+)?"
        r"(?:accusations?|allegations?|charges?|suggestions?|claims?)\b|\brejected\b[^.]{0,40}"
        r"\b(?:involvement|responsibility|role)\b|"
        # "dismissed speculation over Putin's culpability in the crash as an 'absolute lie'"
        r"\bdismiss(?:ed|es|ing)?\s+(?:the\s+)?(?:speculation|claims?|reports?|accusations?|"
        r"allegations?|suggestions?)\b[^.]{0,60}\b(?:culpab\w*|responsib\w*|involvement|role|"
        r"behind|blame|guilt)", re.I)),
    ("condemned", re.compile(r"\b(" + "|".join(a for _, a in _CONDEMNED) + ")", re.I)),
    ("condolences", re.compile(r"\b(condolences?|sympath\w*|thoughts and prayers|grie(?:f|ved)|"
                               r"(?:thoughts|prayers|hearts?)\b[^.;]{0,60}?\b(?:are|were|is|go|"
                               r"goes|went)\s+(?:out\s+)?(?:to|with)\b)", re.I)),
    ("solidarity", re.compile(
        # "received support from" backs the attacker: a statement of its own kind
        r"\b(solidarity|stand(?:s|ing)? (?:with|by)|(?<!received )(?<!receiving )"
        r"(?:support for|supports?)(?!\s+from))\b", re.I)),
    ("mourning", re.compile(r"\b(mourn\w*|half[- ]mast|day of grief|moment of silence|"
                            r"minute'?s silence|vigil)", re.I)),
    ("compensation", re.compile(r"\b(compensation|ex gratia|financial (?:aid|assistance)|"
                                r"relief package)", re.I)),
]  # fmt: skip


# Words one of which a stance's pattern needs: plain substring tests rule most stances out
# before any regular expression runs (matching is on lower-cased text).
_STANCE_STEMS = {
    "claimed responsibility": ("responsib", "credit", "claimed"),
    "denied responsibility": ("den", "distanced", "disowned", "rejected", "dismiss"),
    "condemned": (
        "condemn", "denounc", "deplor", "decr", "appall", "abhorrent", "heinous", "atrocit",
        "barbaric", "cowardly", "outrag", "repudiat", "critici", "despicable", "dastardly",
        "senseless", "rejection of all forms", "violat", "aggression", "act of war", "war crime",
        "against humanity", "horrific", "shocking", "unacceptable", "unjustifi", "inexcusable",
        "inhuman", "brutal", "abominable", "reprehensible", "revulsion", "disgust", "censur",
    ),
    "condolences": ("condolence", "sympath", "thoughts", "prayers", "heart", "grie"),
    "solidarity": ("solidarity", "stand", "support"),
    "mourning": ("mourn", "half", "grief", "silence", "vigil"),
    "compensation": ("compensation", "gratia", "financial", "relief package"),
}  # fmt: skip


# each row: the stance, the words its pattern needs, the pattern (on lower-cased text), and
# for condemnation its alternatives, each with the word it needs
_STANCE_TABLE: list[
    tuple[str, tuple[str, ...], re.Pattern[str], list[tuple[str, re.Pattern[str]]]]
] = [
    (stance, _STANCE_STEMS[stance], re.compile(pattern.pattern), [])
    for stance, pattern in _STANCE_PATTERNS
]
_STANCE_TABLE[[stance for stance, *_ in _STANCE_TABLE].index("condemned")][3].extend(
    (stem, re.compile(rf"\b(?:{alternative})")) for stem, alternative in _CONDEMNED
)
# a judgement of the act is condemnation too ("This was a massacre of civilians", "called
# it a crime"): a row of its own right after condemnation's, so that the long pattern above
# is not run on every sentence that names a massacre or a crime
_STANCE_TABLE.insert(
    [stance for stance, *_ in _STANCE_TABLE].index("condemned") + 1,
    (
        "condemned",
        ("massacre", "crime", "slaughter", "act of terror"),
        re.compile(
            r"\b(?:was|is|as|it)\s+(?:a|an)\s+(?:\w+\s+)?(?:massacre|crime|slaughter|"
            r"act of terror(?:ism)?)\b"
        ),
        [],
    ),
)


def stance_of(text: str, skip: frozenset[str] = frozenset()) -> str:
    """The strongest stance a statement expresses (claims first, "other" last)."""
    low = text.lower()
    for stance, stems, pattern, alternatives in _STANCE_TABLE:
        if stance in skip:
            continue
        if alternatives:
            if any(stem in low and part.search(low) for stem, part in alternatives):
                return stance
        elif any(stem in low for stem in stems) and pattern.search(low):
            return stance
    return "other"


_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|‘[^’]*’')


_RESPONSIBILITY = frozenset({"claimed responsibility", "denied responsibility"})


def statement_stance(text: str) -> str:
    """The stance of a statement, from the speaker's own words first ("extended his
    condolences and said '... barbaric crime ...'" is condolences); from the quotation only
    when those say nothing, and then never a claim or denial of responsibility, which a
    quotation mostly reports of others."""
    if '"' not in text and "“" not in text and "‘" not in text:
        return stance_of(text)
    outside = stance_of(_QUOTED.sub(" ", text))
    if outside != "other":
        return outside
    return stance_of(" ".join(_QUOTED.findall(text)), skip=_RESPONSIBILITY)


def stronger(a: str, b: str) -> str:
    return a if STANCES.index(a) <= STANCES.index(b) else b
