"""Who speaks in a sentence of a reactions section: a state (by its name, demonym,
abbreviation, a body or office that stands for it), an organisation, a domestic person or
body, or nobody the text names. Read from the sentence's subject, a list of actors, a
passive agent or a title with its owner; nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from viewer.extraction.gazetteer import Entity, Found, Gazetteer, Words, gazetteer
from viewer.extraction.office_names import join_office_names, owned_by_place
from viewer.extraction.sentences import SentenceSplits

DOMESTIC, INTERNATIONAL, ORGANIZATIONS = "domestic", "international", "organizations"


_SPEECH_VERB = re.compile(
    r"\b(condemn\w*|denounc\w*|said|says|stated|states|expressed|expresses|express|announced|"
    r"declared|voiced|called|calls|offered|extended|extends|conveyed|affirmed|reaffirmed|"
    r"tweeted|posted|wrote|issued|urged|den(?:ied|ies)|claimed|shut|lowered|ordered|sent|"
    r"vowed|pledged|described|termed|labell?ed|deplored|decried|was|were|has|have|had|"
    r"also|both|in a statement|strongly|paid|observed|held|suspended|closed|laid|blamed|"
    r"praised|gathered|critici[sz]ed|warned|stressed|noted|told|added|remarked|welcomed|"
    r"asked|demanded|visited|attended|launched|opened|began|lit|raised|illuminated|"
    r"cancelled|canceled|postponed|tightened|stepped|voiced|offers|will|would|could|"
    r"(?<!the )(?<!was )(?<!were )accused(?! of\b)(?!\s+(?:perpetrators?|m[ae]n|persons?|"
    r"attackers?|killers?|gunm[ae]n)\b)|dismissed|rejected|insisted|argued|acknowledged|"
    r"admitted|confirmed)\b",
)


# capitals of the Latin, Greek and Cyrillic scripts ("İmamoğlu", "Łukasz", "Ådne"), as
# Python's re has no class for them
_CAPITALS = "".join(
    re.escape(ch) for ch in map(chr, [*range(0x250), *range(0x370, 0x530)]) if ch.isupper()
)
_NAME_WORD = rf"(?:[a-z]{{1,3}}-)?[{_CAPITALS}][\w'’.-]*"


_PARTICLE = r"(?:ul|al|el|bin|ibn|bint|de|da|di|du|van|von|der|den|la|le|del|dos|das|e|y|ur|ud)"


_PERSON = re.compile(rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)*{_NAME_WORD}){{0,4}}")


_COMPLEMENT = re.compile(r"\s*(?:to|in|of|for|at)\s+(?:the\s+)?")


_ROLE_PREFIX_STOP = {"The", "the", "A", "An", "On", "In", "At", "Also"}


_ROLE_MODIFIERS = {"former", "acting", "deputy", "interim", "outgoing", "caretaker", "then"}


_HONORIFIC_WORDS = r"(?:Gen\.|Lt\.|Col\.|Maj\.|Adm\.|Dr\.|Mr\.|Mrs\.|Ms\.|Sheikh|Mian|Syed)"


_HONORIFIC = re.compile(
    r"^(?:Sheikh|Shaikh|Mian|Syed|Maulana|Barrister|Dr\.?|Mr\.?|Mrs\.?|Ms\.?|"
    r"Sir|Dame|His Highness|Her Majesty|His Majesty)\s+"
)


@dataclass
class Mention:
    """One reacting actor found in a sentence."""

    actor: str
    kind: str  # state, organization, person, body, armed_group, unknown
    country: str | None = None
    speaker: str | None = None
    role: str | None = None


@dataclass
class Context:
    country: str | None  # ISO code of the state the incident happened in
    year: int | None
    province: str | None
    gaz: Gazetteer
    known: list[Mention] = field(default_factory=list)
    hint: str | None = None  # the category of the section being read
    block: str = ""  # the paragraph or list item being read
    body: str = ""  # the article's, where it defines its own acronyms
    splits: SentenceSplits = field(default_factory=SentenceSplits)  # shared with events
    _acronyms: dict[str, str] | None = field(default=None, repr=False)

    @property
    def acronyms(self) -> dict[str, str]:
        """The article's own acronyms (NUSOJ -> name), read from the body when a subject
        first needs them: most articles' reactions never do."""
        if self._acronyms is None:
            self._acronyms = defined_acronyms(self.body)
        return self._acronyms


# the acronym in brackets first, then the name just before it: scanning a whole body for
# the name took a millisecond an article
_ACRONYM_IN_BRACKETS = re.compile(r"\s\((?P<acronym>[A-Z][A-Za-z]{1,9})\)")
_NAME_BEFORE = re.compile(
    r"\b(?P<name>[A-Z][\w'’-]*(?:\s+(?:of|for|on|in|and|the|[A-Z][\w'’-]*)){1,8})\s*$"
)


def defined_acronyms(body: str) -> dict[str, str]:
    """The acronyms an article defines ("the National Union of Somali Journalists (NUSOJ)"),
    kept when the acronym spells the name's capitalised words (one letter or more of each),
    or its last ones."""
    found: dict[str, str] = {}
    for bracket in _ACRONYM_IN_BRACKETS.finditer(body):
        match = _NAME_BEFORE.search(body, max(0, bracket.start() - 300), bracket.start() + 1)
        if match is None:
            continue
        words = re.sub(r"['’]s$", "", match.group("name")).split()
        acronym = bracket.group("acronym")
        for start in range(len(words)):
            if words[start][0].isupper() and _spells(acronym.upper(), words[start:]):
                found.setdefault(acronym, " ".join(words[start:]))
                break
    return found


def _spells(acronym: str, words: list[str]) -> bool:
    """Whether acronym is made of the first letters (one or more) of each capitalised word,
    in order; the small words between them may give a letter or none ("of", "the")."""
    if not words:
        return not acronym
    word, rest = words[0], words[1:]
    if not word[0].isupper() and _spells(acronym, rest):
        return True
    return any(
        acronym.startswith(word[:size].upper()) and _spells(acronym[size:], rest)
        for size in range(1, min(len(word), len(acronym)) + 1)
    )


def entity_mention(entity: Entity, context: Context) -> Mention:
    if entity.kind == "named_body" and entity.code == context.country:
        return Mention(actor=entity.name, kind="body", country=entity.code)
    if entity.kind == "named_body":  # "the White House" speaks for the United States
        name = context.gaz.state_name(entity.code) or entity.name
        return Mention(actor=name, kind="state", country=entity.code, role=entity.name)
    if entity.kind in {"state", "state_adjective"}:
        name = context.gaz.state_name(entity.code) or entity.name
        return Mention(actor=name, kind="state", country=entity.code)
    if entity.kind == "organization":
        org = context.gaz.organizations.get(entity.name, {})
        if org.get("scope") == "national" and org.get("hq") == context.country:
            # "Human Rights Commission of Pakistan" on an attack in Pakistan: a domestic body
            return Mention(actor=entity.name, kind="body", country=entity.code)
        if org.get("speaks_for_parent") and org.get("parent"):
            # the Security Council, the European Commission: the tree groups by the UN, the EU
            return Mention(actor=org["parent"], kind="organization", role=entity.name)
        return Mention(actor=entity.name, kind="organization", country=None)
    return Mention(actor=entity.name, kind="armed_group", country=entity.code)


def _subject(text: str) -> str:
    """The part of a sentence where the actor is named: before its main verb, or after a
    quotation that opens it (`"...," the foreign ministry said`)."""
    quoted = _OPENING_QUOTE.match(text)
    if quoted and quoted.end() < len(text):
        text = text[quoted.end() :]
    opening = _OPENING_CLAUSE.match(text)
    if opening:
        text = text[opening.end() :]
    # "A statement from the Police Officers Federation of Minneapolis ... includes"
    statement = _STATEMENT_FROM.match(text)
    if statement:
        text = text[statement.end() :]
    match = _SPEECH_VERB.search(text)
    return text[: match.start()] if match and match.start() > 0 else text[:160]


_OPENING_QUOTE = re.compile(r'^\s*["“](?:[^"”]*)["”]\s*,?\s*(?:said\s+|says\s+)?')
_OPENING_CLAUSE = re.compile(
    r"^(?:On|In|By|After|Later|Following|Despite|Although|Though|While|Whilst|Unlike|"
    r"As|Meanwhile|However|Earlier|Separately|Similarly|Likewise|Additionally|Also)\b"
    r"[^,]{0,100},\s*"
)
_STATEMENT_FROM = re.compile(
    r"^(?:(?:In\s+)?(?:a|an|the|its|their)\s+)?(?:joint\s+)?(?:statement|communiqué|"
    r"press release|message|letter|tweet)\s+(?:from|by|issued by|released by)\s+",
    re.I,
)


_COORDINATION = re.compile(r",\s*(?:and\s+|as well as\s+)?|\s+(?:and|as well as)\s+")


_ENUMERATION_GAP = re.compile(r"^(?:[\s,;()]|\b(?:and|or|as well as|the|The)\b)*$")


_ENUMERATION_LEAD = re.compile(
    r"\b(?:by|included?|including|includes|from|such as|like|among them|namely)\s*(?:the\s+)?$"
)


_ENUMERATED_KINDS = {"state", "organization"}


def _enumerated_actors(text: str, names: list[Found], context: Context) -> list[Mention]:
    """States and organisations listed together anywhere in the sentence ("Those who
    welcomed it included the United Nations, European Union, NATO, ... Yemen, Lebanon"; "was
    condemned by Iran, Syria and the Arab League"): one mention each. Three in a row, or two
    after "by", "including", "from"."""
    if text.count(",") < 1 and " and " not in text:
        return []
    found = [f for f in names if f.value.kind in _ENUMERATED_KINDS]
    runs: list[list[Found]] = []
    for item in found:
        if runs and _ENUMERATION_GAP.match(text[runs[-1][-1].end : item.start]):
            runs[-1].append(item)
        else:
            runs.append([item])
    listed = [
        f
        for run in runs
        if len(run) >= 3 or (len(run) == 2 and _ENUMERATION_LEAD.search(text[: run[0].start]))
        for f in run
    ]
    if listed:
        return dedupe_mentions([entity_mention(f.value, context) for f in listed])
    return _included_people(text, context)


# a sentence's full stops are its abbreviations and initials ("Dr. A. P. J. Abdul Kalam"):
# a list runs to its end
_INCLUDING = re.compile(r"\b(?:including|among them|such as|notably)\s+(?P<list>[^;:]{5,400})")
_JOINED = re.compile(r"\b(?:along with|together with|joined by)\s+(?P<list>[^;:]{5,400})")


def _included_people(
    text: str, context: Context, pattern: re.Pattern[str] = _INCLUDING
) -> list[Mention]:
    """ "Various senior political figures condemned the attacks, including President A. P. J.
    Abdul Kalam, Prime Minister Manmohan Singh, ... and Sonia Gandhi": one each; "Religious
    groups, including the Muslim Council of Britain, also voiced their condemnation"."""
    match = pattern.search(text)
    if match is None:
        return []
    listed = re.split(
        r",\s+(?!and\s|or\s)(?:also\s+|have\s+|has\s+)?[a-z]", match.group("list").rstrip(" .")
    )[0]
    parts = [p.strip() for p in _COORDINATION.split(listed) if p.strip()]
    mentions = [m for part in parts for m in _subject_mentions(part, part, context)]
    return dedupe_mentions(mentions)


_PASSIVE = re.compile(
    r"\b(?:was|were|has been|have been|had been|is|are)\s+(?:\w+ly\s+|also\s+)*"
    r"(?:condemned|welcomed|criticized|criticised|denounced|praised|mourned|hailed|deplored|"
    r"rejected|denied|offered|expressed|sent|voiced|echoed)\s+"
    r"(?:(?:also|too|however|,)\s*)*by\s+(?P<agent>[^.;]{3,160})"
)


_MAY_ENUMERATE = re.compile(
    r",[^,]*,|\b(?:by|including|included|includes|from|such as|among them|notably)\b"
)


def _may_enumerate(text: str) -> bool:
    """_MAY_ENUMERATE.search(text), its two commas counted and its words looked for only
    where one of them is in the text."""
    if text.count(",") >= 2:
        return True
    return any(word in text for word in _ENUMERATING_WORDS) and bool(_MAY_ENUMERATE.search(text))


_ENUMERATING_WORDS = ("by", "includ", "from", "such as", "among them", "notably")


def sentence_mentions(text: str, context: Context) -> list[Mention]:
    # The whole sentence is looked up only where it may list several actors; otherwise its
    # subject (a few words) is all that names who spoke.
    names = context.gaz.names.scan(text) if _may_enumerate(text) else None
    enumerated = _enumerated_actors(text, names, context) if names else []
    if enumerated:
        return enumerated
    passive = _PASSIVE.search(text) if "by" in text else None  # the agent follows 'by'
    if passive is not None:
        # "The attack was also condemned by the imprisoned former chairman of the HDP
        # Selahattin Demirtaş": the agent is who reacted
        agent = re.sub(
            r"^(?:the\s+)?(?:(?:imprisoned|jailed|exiled|late|then)\s+)+",
            "",
            passive.group("agent"),
        )
        found = _subject_mentions(agent, agent, context)
        if found:
            return found
    subject = _subject(text)
    appositive = _appositive_person(subject, context)
    parts = None if appositive else _coordinated(subject)
    if parts:
        # "Egypt's cabinet, Parliament and Al-Azhar strongly condemned ...": one each
        mentions = [m for part in parts for m in _subject_mentions(part, part, context)]
        if len({m.actor for m in mentions}) >= 2:
            return dedupe_mentions(mentions)
    found = _subject_mentions(text, subject, context, names, appositive)
    if found and (" with " in text or "joined by" in text):
        # "May also condemned the attack, along with Mayor of Greater Manchester Andy Burnham"
        found = dedupe_mentions(found + _included_people(text, context, _JOINED))
    return found


def _coordinated(subject: str) -> list[str] | None:
    """The parts of a subject that names several actors, each a capitalised name."""
    if "," not in subject and " and " not in subject and " as well as " not in subject:
        return None
    parts = [p.strip() for p in _COORDINATION.split(subject.strip()) if p.strip()]
    parts = join_office_names(parts, gazetteer())
    if not 2 <= len(parts) <= 10:
        return None
    named = []
    for part in parts:
        bare = re.sub(r"^(?:the|The)\s+", "", part)
        if re.fullmatch(r"[a-z]+s", bare):
            continue  # "Crutcher's family, protestors, and the ACLU": people no one names
        if not bare[:1].isupper() or len(bare.split()) > 8:
            return None
        named.append(part)
    return named if len(named) >= 2 else None


def _subject_mentions(
    text: str,
    subject: str,
    context: Context,
    in_text: list[Found] | None = None,
    appositive: list[Mention] | None = None,  # _appositive_person(subject), if read already
) -> list[Mention]:
    shift = text.find(subject)
    words = Words(subject)
    if in_text is not None and shift >= 0:
        # the names the whole sentence was scanned for, those inside the subject
        stop = shift + len(subject)
        names = [
            Found(f.start - shift, f.end - shift, f.text, f.value)
            for f in in_text
            if f.start >= shift and f.end <= stop
        ]
    else:
        names = context.gaz.names.scan(subject, words)
    titles = context.gaz.titles.scan(subject, words)
    bodies = context.gaz.bodies.scan(subject, words)
    states = [f for f in names if f.value.kind == "state"]
    if len(states) >= 2 and not titles and not bodies:
        return _listed_states(states, context)
    mentions = list(appositive) if appositive is not None else _appositive_person(subject, context)
    for title in titles if not mentions else []:
        mention = _titled_person(text, shift, subject, title, names, bodies, context)
        if mention is not None:
            mentions.append(mention)
    if mentions:
        return dedupe_mentions(mentions)
    owner = _owner(names, context)
    named = _named_body(subject)
    special = _family(subject) or _named_after_state(named, owner, bool(bodies or titles), context)
    if special is not None:
        return [special]
    if (
        bodies
        and named
        and bodies[0].text in named
        and len(named.split()) >= len(bodies[0].text.split()) + 2
        and not owner
    ):
        # "the Police Officers Federation of Minneapolis": a body with a name of its own
        return [Mention(actor=named, kind="body", country=context.country)]
    if bodies:
        return [_body_mention(subject, bodies[0], owner, context)]
    proper = _proper_body(subject, names, context)
    if proper is not None:
        return [proper]
    if owner is not None:
        return [owner]
    known = _known_actor(subject, context)
    if known is not None:
        return [known]
    if named is not None:  # _named_body(subject), read above
        return [Mention(actor=named, kind="body", country=context.country)]
    spelled_out = _spelled_out_body(subject, context)
    if spelled_out is not None:
        return [spelled_out]
    person = _bare_person(subject, context) or _described_person(subject, context)
    if person is not None:
        return [person]
    return []


# "Rossiya-24 host Vladimir Solovyov", "AfD chief Jörg Meuthen": who they are, in words no
# table holds, then the name
_DESCRIBED_PERSON = re.compile(
    r"^(?P<role>(?:[\w'’-]+\s+){0,7}?(?!(?:of|and|or|to|for|by|with|from|the|a|an|in|on|at|"
    r"as|than|like|about|against|among|between)\s)[a-z][a-z-]+)\s+"
    r"(?P<name>[A-Z][a-zà-ÿ'’-]+(?:\s+[A-Z][a-zà-ÿ'’-]+){1,2})\s*,?$"
)


def _described_person(subject: str, context: Context) -> Mention | None:
    described = _DESCRIBED_PERSON.match(subject.strip())
    if described is None:
        return None
    person = _bare_person(described.group("name"), context)
    if person is None or person.kind != "person":
        return person
    return replace(person, role=re.sub(r"^(?:[Tt]he|[Aa]n?)\s+", "", described.group("role")))


_NOT_PERSON_WORDS = re.compile(
    r"\b(?:Times|News|Post|Journal|Magazine|Zeitung|Herald|Tribune|Press|Agency|Party|Union|"
    r"Council|Association|Society|Committee|Ministry|Department|Police|Army|Force|Forces|"
    r"Government|Court|Assembly|Parliament|Congress|Senate|League|Movement|Front|Group|"
    r"Organi[sz]ation|Institute|Foundation|Church|Mosque|University|Bank|Company|Corporation|"
    r"Club|Team|Federation|Commission|Office|Service|Network|Channel|TV|Radio|Daily)\b"
)


def _family(subject: str) -> Mention | None:
    """ "Locke's parents called his death an execution": the victim's family."""
    if "'" not in subject and "’" not in subject:
        return None  # no possessive: most subjects
    family = _FAMILY.match(subject)
    return Mention(actor=f"{family.group('name')}'s family", kind="body") if family else None


def _named_after_state(
    named: str | None, owner: Mention | None, known_body: bool, context: Context
) -> Mention | None:
    """ "the Muslim Council of Britain": a body named after its state, not the state."""
    if named is None or owner is None or known_body:
        return None
    own = _NAMED_AFTER_STATE.match(named)
    if own is None or not context.gaz.state_code(own.group("state")):
        return None
    return Mention(actor=named, kind="body", country=owner.country)


_NAMED_AFTER_STATE = re.compile(
    r"^(?:[A-Z][\w'’.-]*\s+){1,4}(?:Council|Association|Society|Federation|Union|League|"
    r"Congress|Church|Forum|Board|Foundation|Institute|Alliance|Conference|Confederation|"
    r"Chamber|Synod|Federation|Academy)\s+of\s+(?:the\s+)?(?P<state>[A-Z][\w'’.-]*"
    r"(?:\s+[A-Z][\w'’.-]*)*)$"
)
_FAMILY = re.compile(
    r"^\s*(?:The\s+)?(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3})['’]s?\s+"
    r"(?:family|parents|mother|father|relatives|widow|widower|wife|husband|brother|sister|son|"
    r"daughter|children)\b"
)
# Capitalised words that open a sentence and are not a person's surname
_NOT_SURNAMES = {
    "Officials", "Authorities", "Witnesses", "Residents", "Critics", "Analysts", "Experts",
    "Protesters", "Protestors", "Sources", "Reports", "Others", "Many", "Some", "Several",
    "Both", "All", "Police", "Investigators", "Prosecutors", "Survivors", "Families", "Locals",
    "Muslims", "Christians", "Jews", "Students", "Journalists", "Observers", "Commentators",
    "He", "She", "They", "It", "We", "His", "Her", "Their", "Its", "This", "These", "There",
    "Here",
}  # fmt: skip


def _bare_person(subject: str, context: Context) -> Mention | None:
    """A subject that is a person's name and nothing else ("Sigmar Gabriel (SPD chairman)",
    "Denis Kazansky"): a person reacting in their own name."""
    text = re.sub(r"\s*\([^()]{1,60}\)", "", subject).strip(" ,;:")
    text = _HONORIFIC.sub("", text)
    match = _PERSON.fullmatch(text)
    if match is None or _NOT_PERSON_WORDS.search(text) or text in _NOT_SURNAMES:
        return None
    if len(text.split()) < 2 and not re.fullmatch(r"[A-Z][a-zà-ÿ'’-]{2,}", text):
        return None  # a surname alone ("Crump stated"); the article's full name is found later
    if text.split()[0] in _ROLE_PREFIX_STOP or _is_entity(text, context):
        return None
    known = context.gaz.find_person(text, context.year)
    if known is not None and known.code and known.code != context.country:
        name = context.gaz.state_name(known.code) or known.code
        return Mention(actor=name, kind="state", country=known.code, speaker=text)
    return Mention(actor=text, kind="person", country=context.country, speaker=text)


_PROPER_BODY = re.compile(
    r"^\s*(?:The\s+|the\s+)?(?P<name>(?P<adjective>[A-Z][\w'’-]+)"
    r"(?:\s+(?:(?:of|for|and|on|the)\s+)*[A-Z][\w'’.&-]*){1,7})"
    r"(?:\s*\([^()]{1,20}\))?\s*$"
)


def _proper_body(subject: str, names: list[Found], context: Context) -> Mention | None:
    """ "The Turkish Football Federation (TFF)": a body whose name starts with a state's
    adjective is that body, not the state; it speaks for its own country."""
    match = _PROPER_BODY.match(subject)
    if match is None or not names or names[0].value.kind != "state_adjective":
        return None
    if names[0].text != match.group("adjective") or len(names) > 1:
        return None
    code = names[0].value.code
    if code != context.country:
        return None  # a foreign body ("the French Foreign Office") speaks for its state
    return Mention(actor=match.group("name"), kind="body", country=code)


def dedupe_mentions(mentions: list[Mention]) -> list[Mention]:
    """One mention per actor and speaker; a speaker-less one yields to a named speaker of
    the same actor ("The UN Secretary-General's Deputy Spokesman Farhan Haq")."""
    unique: list[Mention] = []
    for mention in mentions:
        if any((m.actor, m.speaker) == (mention.actor, mention.speaker) for m in unique):
            continue
        if mention.speaker is None and any(m.actor == mention.actor for m in unique):
            continue
        unique = [m for m in unique if not (m.actor == mention.actor and m.speaker is None)]
        unique.append(mention)
    return unique


def _listed_states(states: list[Found], context: Context) -> list[Mention]:
    mentions: list[Mention] = []
    for found in states:
        mention = entity_mention(found.value, context)
        if all(m.actor != mention.actor for m in mentions):
            mentions.append(mention)
    return mentions


def _owner(names: list[Found], context: Context) -> Mention | None:
    """The state, organisation or group a title or body belongs to (first one named)."""
    for found in names:
        return entity_mention(found.value, context)
    return None


def _titled_person(
    text: str,
    shift: int,
    subject: str,
    title: Found,
    names: list[Found],
    bodies: list[Found],
    context: Context,
) -> Mention | None:
    """Title [to State] Person Name, with the title's owner from what precedes it."""
    owner, complement, after = _title_complement(subject[title.end :], context)
    person = _person_after(after)
    if person is None:
        # "The chairwoman of the Good Party (İYİ) Meral Akşener": the title's body, then the name
        owned = (
            owned_by_place(after, context.gaz)
            or _OWNED_BY_BODY.match(after)
            or _OWNED_BY_NAME.match(after)
        )
        if owned is not None:
            person = _person_after(after[owned.end() :])
            if person is not None and not complement:
                complement = " " + owned.group(0).strip().rstrip(",")
    if person is not None and _is_entity(person, context):
        person = None
    role = _role_text(subject, title) + complement
    body_after = next((b for b in bodies if b.start >= title.end), None)
    if body_after is not None and not complement and person is None:
        role = f"{role} of the {body_after.value.name.lower()}"
    before = [f for f in names if f.end <= title.start]
    inside = [f for f in names if f.start >= title.start and f.end <= title.end]
    if owner is None and (before or inside):
        # "Pakistani Prime Minister", or a title that holds its owner ("State Department
        # Spokesperson")
        owner = entity_mention((before or inside)[-1].value, context)
    if person is None:
        after_title = [f for f in names if f.start >= title.end]
        if owner is None and after_title:
            owner = entity_mention(after_title[0].value, context)
        return None if owner is None else replace(owner, role=role)
    if owner is None and re.fullmatch(r"\s*(?:[Tt]he\s+)?", subject[: title.start]):
        # only where the title opens the subject: "including a plane carrying President
        # Glafkos Klerides of Cyprus" is not Cyprus speaking
        owner = _owner_after_person(after, person, context)
    return _speaker(person, role, owner or _owner_of(person, title, context), context)


def _owner_after_person(after: str, person: str, context: Context) -> Mention | None:
    """ "Director-General Koichiro Matsuura of UNESCO": the owner named after the person."""
    at = after.find(person)
    tail = after[at + len(person) :] if at >= 0 else ""
    match = re.match(r"\s*,?\s*(?:of|for|at)\s+(?:the\s+)?", tail)
    if match is None:
        return None
    found = context.gaz.names.scan(tail[match.end() :])
    if not found or found[0].start != 0 or found[0].value.kind == "state_adjective":
        return None
    return entity_mention(found[0].value, context)


def _title_complement(after: str, context: Context) -> tuple[Mention | None, str, str]:
    """What follows a title and names its owner: "of the Pakistani foreign ministry",
    "to the United Nations". Returns the owner (if named), the words taken into the role,
    and the rest of the subject."""
    owned_body = re.match(
        r"\s*(?:of|for|at)\s+(?:the\s+)?(?P<owner>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?)\s+"
        r"(?P<body>[a-z][\w ]{2,40}?)\s+(?=[A-Z])",
        after,
    )
    if owned_body:
        found = context.gaz.names.scan(owned_body.group("owner"))
        if found and context.gaz.bodies.scan(owned_body.group("body")):
            complement = re.sub(r"\s+(?:in|at|to|of)$", "", after[: owned_body.end()].rstrip())
            return entity_mention(found[0].value, context), complement, after[owned_body.end() :]
    match = _COMPLEMENT.match(after)
    if match:
        rest = after[match.end() :]
        scanned = context.gaz.names.scan(rest)
        if scanned and scanned[0].start == 0 and scanned[0].value.kind != "state_adjective":
            entity_text = scanned[0].text
            named = entity_mention(scanned[0].value, context)
            owner = named if after.lstrip().startswith("of") else None
            return owner, after[: match.end()] + entity_text, rest[len(entity_text) :]
    return None, "", after


def _owner_of(person: str, title: Found, context: Context) -> Mention | None:
    """The state or organisation a speaker whose title names none speaks for: a known
    office holder's, or the UN's for a Secretary-General with no other organisation in
    the item."""
    known = context.gaz.find_person(person, context.year)
    if known is not None and known.organization:
        return Mention(actor=known.organization, kind="organization")
    if known is not None and known.code:
        name = context.gaz.state_name(known.code) or known.code
        return Mention(actor=name, kind="state", country=known.code)
    if (
        title.value.title == "Secretary-General"
        and context.hint != DOMESTIC
        and not any(f.value.kind == "organization" for f in context.gaz.names.scan(context.block))
    ):
        # "Secretary-General Ban Ki-moon", "The Secretary-General extends ...": the UN's
        return Mention(actor="United Nations", kind="organization")
    return None


def _speaker(person: str, role: str, owner: Mention | None, context: Context) -> Mention:
    if owner is None and context.hint == INTERNATIONAL:
        # A foreign speaker whose state was lost with the flag icon: keep them, state unknown.
        return Mention(actor="Unknown", kind="unknown", speaker=person, role=role)
    if owner is None or (
        owner.kind == "state" and (owner.country == context.country or context.hint == DOMESTIC)
    ):
        # a domestic reaction is grouped by the person who made it
        country = owner.country if owner else context.country
        return Mention(actor=person, kind="person", country=country, speaker=person, role=role)
    return replace(owner, speaker=person, role=role)


# "president of the Indian National Congress Sonia Gandhi": the body's name runs to its
# last organisational word, the person's name follows
_OWNED_BY_BODY = re.compile(
    r"^\s*(?:of|for|at)\s+(?:the\s+)?(?:[A-Z][\w'’.-]*\s+){0,5}(?:Party|Congress|League|"
    r"Front|Movement|Council|Union|Association|Federation|Organi[sz]ation|Committee|Alliance)"
    r"(?:\s*\([^()]{1,20}\))?,?\s+(?=[A-Z])"
)
_OWNED_BY_NAME = re.compile(
    r"^\s*(?:of|for|at)\s+(?:the\s+)?(?:[A-Z][\w'’.-]*\s+)*?[A-Z][\w'’.-]*"
    r"(?:\s*\([^()]{1,20}\))?,?\s+(?=[A-Z])"
)


def _is_entity(text: str, context: Context) -> bool:
    """A capitalised phrase that the gazetteers know is not a person's name."""
    return _known_phrase(text)


@lru_cache(maxsize=4096)
def _known_phrase(text: str) -> bool:
    # names recur in an article's statements (and in an import's articles): look each up once
    gaz = gazetteer()
    words = Words(text)
    return bool(
        gaz.names.scan(text, words)
        or gaz.bodies.scan(text, words)
        or gaz.titles.scan(text, words)
        or text in gaz.capitals
    )


def _person_after(text: str) -> str | None:
    text = text.lstrip(" ,")
    text = _HONORIFIC.sub("", text)
    match = _PERSON.match(text)
    if not match:
        return None
    words = match.group(0).split()
    while words and words[-1].rstrip("'’s") in {"Said", "Condemned"}:
        words.pop()
    name = " ".join(words).rstrip(".,'’")
    if name.endswith(("'s", "’s")):
        name = name[:-2]
    return name or None


def _role_text(subject: str, title: Found) -> str:
    """The title with the qualifiers written before it ("Former President",
    "PML-N leader", "Pakistan People's Party Chairman"), without a state or organisation
    that the actor already names ("Pakistani Prime Minister", "UN Secretary-General")."""
    words = subject[: title.start].split()
    prefix: list[str] = []
    for word in reversed(words):
        bare = word.strip(",")
        if word.endswith(",") or bare in _ROLE_PREFIX_STOP or bare == "and":
            break
        if not (bare[:1].isupper() or bare == "of" or bare.lower() in _ROLE_MODIFIERS):
            break
        prefix.insert(0, bare)
    while prefix and prefix[0] == "of":
        prefix.pop(0)
    qualifier = " ".join(prefix)
    found = gazetteer().names.scan(qualifier) if qualifier else []
    if found and found[0].start == 0 and found[0].end == len(qualifier):
        qualifier = ""  # the whole qualifier is the owner, which the record names already
    title_text = (
        title.value.title if title.text.casefold() == title.value.title.casefold() else title.text
    )
    role = f"{qualifier} {title_text}".strip()
    return role[:1].upper() + role[1:]


# Words of an office or standing that make "Name, <words>," an appositive role even where
# the titles gazetteer has no entry for it ("CDU vice-chairwoman", "head of the Deutsche
# Polizeigewerkschaft").
_ROLE_WORDS = re.compile(
    r"\b(?:chair\w*|head|leader|spokes\w+|minister|president|mayor|secretary|director|chief|"
    r"member|governor|official|commander|senator|representative|deputy|vice[\w-]*|founder|"
    r"executive|activist|lawyer|attorney|advis[eo]r|ambassador|envoy|coordinator|rapporteur|"
    r"chancellor|premier|speaker|editor|imam|bishop|cardinal|cleric|general|colonel|"
    r"inspector|superintendent|commissioner|councill?or|lawmaker|legislator|MP|MEP|MLA)\b",
    re.I,
)


_KEPT_COMMA = "\x1f"


_NAME_FIRST = re.compile(
    rf"^\s*(?P<name>{_PERSON.pattern}),\s+(?:(?:the|a|an)\s+)?(?P<role>[^,]+?)"
    r"(?:,|\s+said\b|\s+says\b|\s*$)"
)
_ROLE_FIRST = re.compile(
    rf"^\s*(?P<role>[^,]{{3,120}}),\s+(?:{_HONORIFIC_WORDS}\s+)?(?P<name>{_PERSON.pattern})"
    r"(?:\s*\([^()]{1,60}\))?\s*,?(?:\s+(?:said|says|stated|added|wrote)\b|\s*$)"
)


def _appositive_person(subject: str, context: Context) -> list[Mention]:
    """`Sarfraz Bugti, the interior minister, ...`; `Ned Price, spokesman of the National
    Security Council at the White House ...`; `commander of the mission, Gen. John
    Nicholson said` (the order a quotation-first sentence takes)."""
    if "," not in subject:
        return []  # either order needs its comma: most subjects are not looked up at all
    # a name with commas of its own ("the United Nations Educational, Scientific, and
    # Cultural Organization") is one role, not a role and what follows it
    for found in context.gaz.names.scan(subject):
        if "," in found.text:
            subject = (
                subject[: found.start] + found.text.replace(",", _KEPT_COMMA) + subject[found.end :]
            )
    name_first = _NAME_FIRST.match(subject)
    role_first = _ROLE_FIRST.match(subject)
    match = name_first or role_first
    if not match:
        return []
    name = _HONORIFIC.sub("", match.group("name")).strip()
    role_text = match.group("role").strip().replace(_KEPT_COMMA, ",")
    titles = context.gaz.titles.scan(role_text)
    if _is_entity(name, context) or not (titles or _ROLE_WORDS.search(role_text)):
        return []
    role = (
        titles[0].value.title
        if titles and role_text.casefold() == titles[0].text.casefold()
        else role_text
    )
    role = re.sub(r"^(?:the|a|an)\s+", "", role)
    role = role[:1].upper() + role[1:]
    owners = context.gaz.names.scan(role_text)
    owner = entity_mention(owners[0].value, context) if owners else None
    if owner is None and context.hint in {ORGANIZATIONS, INTERNATIONAL}:
        unit = _named_body(role_text)  # "commander of the Resolute Support Mission"
        if unit is not None:
            owner = Mention(
                actor=unit, kind="organization" if context.hint == ORGANIZATIONS else "body"
            )
    if owner is None:
        known = context.gaz.find_person(name, context.year)
        if known is not None and known.code:
            owner = Mention(
                actor=context.gaz.state_name(known.code) or known.code,
                kind="state",
                country=known.code,
            )
    if owner is None or (owner.kind in {"state", "body"} and owner.country == context.country):
        return [
            Mention(actor=name, kind="person", country=context.country, speaker=name, role=role)
        ]
    if owner.kind == "body" and owner.country:
        owner = Mention(
            actor=context.gaz.state_name(owner.country) or owner.actor,
            kind="state",
            country=owner.country,
        )
    return [replace(owner, speaker=name, role=role)]


def _spelled_out_body(text: str, context: Context) -> Mention | None:
    """The body an acronym the article defined stands for, as the whole subject ("NUSOJ
    condemned", "the NUSOJ said")."""
    match = re.fullmatch(r"(?:[Tt]he\s+)?([A-Z][A-Za-z]{1,9})", text.strip())
    name = context.acronyms.get(match.group(1)) if match else None
    if name is None:
        return None
    return Mention(actor=name, kind="body", country=context.country)


def _body_mention(subject: str, body: Found, owner: Mention | None, context: Context) -> Mention:
    role = body.value.name
    if owner is not None and owner.kind in {"state", "organization"}:
        if owner.kind == "state" and owner.country == context.country:
            return Mention(
                actor=_qualified_body(subject, body, context), kind="body", country=owner.country
            )
        return replace(owner, role=role)
    if context.hint == INTERNATIONAL:  # a foreign ministry whose state was lost with its flag
        return Mention(actor="Unknown", kind="unknown", role=role)
    return Mention(
        actor=_qualified_body(subject, body, context), kind="body", country=context.country
    )


def _qualified_body(subject: str, body: Found, context: Context) -> str:
    """`The Balochistan provincial government` -> "Balochistan provincial government";
    a bare "provincial government" is qualified with the incident's province."""
    before = subject[: body.start].split()
    qualifier: list[str] = []
    for word in reversed(before):
        if word[:1].isupper() and word not in _ROLE_PREFIX_STOP:
            qualifier.insert(0, word)
        else:
            break
    text = body.text
    regional = "provincial" in text.lower() or "state" in text.lower()
    if not qualifier and body.value.kind == "government" and context.province and regional:
        qualifier = [context.province]
    if not qualifier and context.country and body.value.kind in {"government", "ministry"}:
        qualifier = [context.gaz.state_name(context.country) or ""]
    name = " ".join([*qualifier, text]).strip()
    return name[:1].upper() + name[1:]


def _known_actor(subject: str, context: Context) -> Mention | None:
    """A bare reference to someone named earlier ("Bilawal said ...")."""
    words = set(re.findall(r"[A-Z][\w'’-]+", subject)) - _ROLE_PREFIX_STOP
    for mention in reversed(context.known):
        # "Singh has received praise" is Manmohan Singh; "Rajnath Singh" is someone else
        if mention.speaker and words and words <= set(mention.speaker.split()):
            return mention
    return None


def _named_body(subject: str) -> str | None:
    """`the Association of Business Community Members in Balochistan` as the subject."""
    if "the" not in subject and "The" not in subject:
        return None  # most subjects: no search
    match = _THE_NAME.search(subject)
    if match and len(match.group(1).split()) >= 2 and not _INCIDENT.match(subject, match.end()):
        return match.group(1).strip()
    return None


# "The Sandy Hook Elementary School shooting", "the Manchester Arena bombing": a name that
# the incident's own noun follows is where it happened, not who spoke
_INCIDENT = re.compile(
    r"\s+(?:bombings?|shootings?|attacks?|massacres?|explosions?|blasts?|killings?|stabbings?|"
    r"sieges?|airstrikes?|shelling|crash|fire)\b"
)


_THE_NAME = re.compile(
    r"\b(?:the|The)\s+((?:[A-Z][\w'’.-]*)(?:\s+(?:of|for|in|and|on|the|[A-Z][\w'’.-]*))*"
    r"\s*[A-Z][\w'’.-]*)"
)
