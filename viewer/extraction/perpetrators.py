"""Perpetrators from the article's own words when no infobox field names them.

Articles say who did it in a few fixed ways: "X claimed responsibility", "responsibility
was claimed by X", "carried out by X", "attributed to X", "X was convicted", or a lead that
opens with the group as the subject of the attack ("The Provisional IRA bombed ..."). Each
perpetrator found keeps the sentence it came from (evidence), so the reader can show why.
Denials, "no group has claimed", and guesses the text does not make give nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator

from db.records import PerpetratorRecord
from viewer.extraction.claim_shapes import ClaimShapes
from viewer.extraction.gazetteer import gazetteer
from viewer.extraction.sentences import split_block
from viewer.extraction.tolls import REPRISAL

_NAME = (
    r"(?:[A-Z][\w'’.&]*(?:-[\w'’.]+)*|al-[A-Z][\w'’-]*|[A-Z]{2,}(?:-[A-Z]+)?|"
    r"\d{1,3}(?:st|nd|rd|th)(?=\s+[A-Z]))"  # "the 1st Mountain Division"
)
# between two names: spaces (with linking words) or a spaced dash, never nothing, so a run of
# capitals cannot be split into names in exponentially many ways
_JOIN = r"(?:\s+(?:(?:of|for|and|the|in|al|de|du|des|la|le|del|el|on)\s+)*|\s*[–—]\s*|\s+-\s+)"
_HEAD = (
    r"militants?|militant group|group|faction|coalition|forces|force|regime|government|army|"
    r"military|rebels|separatists|insurgents|cell|members|fighters|gunmen|soldiers|troops|"
    r"terrorist group|terrorists|organi[sz]ation|movement|paramilitaries|paramilitary group|"
    r"air force|navy|police|militia|militiamen|guerrillas|jihadists|extremists|tribesmen|"
    r"branch|wing|affiliate|authorities|governments|insurgency"
)
_PHRASE = (
    rf"(?:(?:the|The)\s+)?(?:(?:outlawed|banned|militant|terrorist|extremist|jihadist|"
    rf"Islamist|separatist|armed|so-called|local|rival|self-styled|gunm[ae]n|bombers?|"
    rf"attackers?|assailants?|shooters?|perpetrators?|lone)\s+)*"
    # "the south Thailand insurgency": a region's own lower-case word before the name
    rf"(?:(?:south|north|east|west|southern|northern|eastern|western)\s+(?=[A-Z]))?"
    rf"{_NAME}(?:{_JOIN}{_NAME}){{0,9}}(?:\s+\((?:[A-Z][\w.'’-]*)\))?(?:\s+(?:{_HEAD})\b)?"
)
_CLAIMED = re.compile(
    r"\b(?:claimed|claims|claiming|accepted|accepts|admitted|admits|took|takes|assumed)\s+"
    r"(?:full\s+|sole\s+|partial\s+)?(?:responsibility|credit)\b"
    # "Mufti Abdul Hannan ... admitted his role in the attack"
    r"|\b(?:admitted|admits|acknowledged|confessed)\s+(?:to\s+)?(?:his|her|their|its)\s+"
    r"(?:role|involvement|part|participation)\s+in\b"
    r"|\bclaimed\s+to\s+have\s+(?:carried out|collaborated|been behind|conducted|staged)\b"
    r"|\bclaimed\s+(?:the|both|all|this)\s+(?:attacks?|bombings?|killings?|shootings?)\b",
    re.I,
)
_BY = re.compile(
    rf"(?:\b(?:carried out|perpetrated|committed|conducted|orchestrated|executed|staged|"
    rf"launched|masterminded|planted|claimed|organi[sz]ed|ordered)"
    rf"(?:\s+(?:on|in|at)\s+[^.;,()]{{1,40}}?)?\s+by|"
    rf"\bresponsibility\s+(?:for\s+(?:the|this|these|it)\b[^.]{{0,40}}?\s+)?"
    rf"(?:was|were|has been|had been)\s+(?:later\s+|subsequently\s+|quickly\s+)?claimed\s+by|"
    rf"\b(?:air\s*strikes?|strikes?|raids?|attacks?|bombings?|assaults?|massacres?|"
    rf"killings?|shootings?)\s+(?:\w+\s+)?by|"
    rf"\b(?:killed|injured|wounded|shot|murdered|stabbed|massacred|executed|kidnapped|"
    rf"attacked|bombed|shelled|struck|targeted)\s+(?:\w+ly\s+)?by|"
    # "attacks on Russian positions by the Ukrainian Armed Forces", "The killing of ...
    # Qasem Soleimani in Iraq by the United States": the act's agent, nothing reported between
    rf"\b(?:[Tt]he\s+)?(?:killing|assassination|massacre|attacks?|bombing|shooting|"
    rf"air\s*strikes?|raids?)\s+(?:of|on|against)\s+(?:(?!by\b|was\b|were\b|\b[a-z]+ed\b|"
    rf"condemn|report|describ|criticis|investigat)[^.;:,()]){{1,100}}?,?\s+by)"
    # "by militants of the Russian Orthodox Army", "by members of the 1st Mountain Division"
    rf"\s+(?:(?:the\s+)?(?:militants|members|troops|fighters|soldiers|units?|gunmen)\s+of\s+)?"
    rf"(?P<actor>{_PHRASE})"
)
_SUSPECT_BY = re.compile(
    rf"\b(?:attributed|blamed)\s+(?:it\s+|the\s+\w+\s+)?(?:on|to)\s+(?P<actor>{_PHRASE})"
    # "The Iranian government blamed the Iraqi-backed People's Mujahedin of Iran (MEK).",
    # "Pakistan blamed India for the attack": who is blamed, not who blames
    rf"|\bblamed\s+(?P<actor7>{_PHRASE})(?=\s+for\b|\s*[.;,]|\s*$)"
    # "blamed the guerrilla group FARC, saying ..."
    rf"|\bblamed\s+(?:the\s+)?(?:[a-z-]+\s+){{0,3}}(?:group|organi[sz]ation|movement|militants|"
    rf"rebels|guerrillas)\s+(?P<actor8>{_NAME}(?:{_JOIN}{_NAME}){{0,6}})"
    # "The UN accused the Syrian government of carrying out the attack"
    rf"|\baccused\s+(?P<actor5>{_PHRASE})\s+of\s+(?:(?:a|an|the)\s+)?(?:carrying out|"
    rf"perpetrating|committing|conducting|staging|being behind|responsibility)"
    rf"|\b(?:suspected|believed|thought)\s+to\s+(?:have\s+been\s+)?(?:be\s+)?"
    rf"(?:carried out|behind|responsible|perpetrated)\s+(?:by\s+)?(?P<actor2>{_PHRASE})"
    rf"|\b(?:attackers?|gunm[ae]n|perpetrators?|assailants?|bombers?|militants|suspects?|"
    rf"culprits?|killers?)\s+(?:are|were|was|is)\s+(?:widely\s+)?(?:believed|thought|suspected|"
    rf"said|reported|alleged)\s+to\s+(?:be|have been)\s+(?:from|members\s+of|part\s+of|"
    rf"linked\s+to|affiliated\s+with|of)?\s*(?:the\s+)?(?:\w+\s+group\s+)?(?P<actor3>{_PHRASE})"
    # "Security forces believe the perpetrators to be Boko Haram"
    rf"|\b(?:believes?|believed|suspects?|suspected|think|thought)\s+(?:that\s+)?(?:the\s+)?"
    rf"(?:perpetrators?|attackers?|bombers?|gunm[ae]n|assailants?|culprits?)\s+(?:to\s+be|were|was)\s+"
    rf"(?:from\s+|members\s+of\s+)?(?:the\s+)?(?P<actor4>{_PHRASE})"
    # "It is assumed that the south Thailand insurgency carried out the attacks"
    rf"|\b(?:assumed|believed|suspected|thought|presumed)\s+that\s+(?:the\s+)?"
    rf"(?P<actor6>{_PHRASE})\s+(?:had\s+)?(?:carried out|was behind|were behind|perpetrated|"
    rf"committed|staged|was responsible|were responsible)\b"
)
# "carried out by Pakistan-based Islamist terrorist group Jaish-e-Mohammed": the name after
# the description
_BY_DESCRIBED = re.compile(
    rf"\bby\s+(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){{0,4}}?(?:group|organi[sz]ation|outfit|"
    rf"faction|militants|militia|network|movement),?\s+(?P<actor>{_NAME}(?:{_JOIN}{_NAME}){{0,6}})"
)
# "Boko Haram - who attacked Maiduguri many times before - are believed to be responsible",
# "the terror group Boko Haram may be responsible", "said the PLO was behind the attack": the
# subject is found before these words as a claim's is
_BEHIND = re.compile(
    r"(?:\s+[-–—]\s+[^–—]{1,100}?\s*[-–—])?\s+(?:(?:is|are|was|were|has been|have been|had been|"
    r"may|might|could|must)\s+)(?:widely\s+|also\s+|strongly\s+|likely\s+)?"
    r"(?:(?:believed|thought|suspected|alleged|said|reported|considered)\s+to\s+"
    r"(?:be|have been)\s+|(?:be|have been)\s+)?(?P<how>behind|responsible)\b"
)
_ASSERTED_BY_OTHERS = re.compile(
    r"\b(?:said|says|claimed|claims|alleged|accused|according|announced|stated|insisted|"
    r"believed|believe|thought|suspected|suggested|maintained)\b",
    re.I,
)
# "the killing of two landless farmers by military police": the police as the agent of the
# killing the article is about (not "the attackers were killed by police")
_BY_POLICE = re.compile(
    r"\b(?:killing|killings|massacre|shooting|murder|murders|deaths?)\s+of\s+[^.;,()]{1,80}?\s+"
    r"by\s+(?:the\s+)?(?P<actor>(?:[A-Z][\w-]*\s+){0,3}(?:(?:military|riot|state|federal|"
    r"local|secret|armed)\s+)?police(?:\s+(?:officers|forces?|special branch))?)\b",
    re.I,
)
_QUALIFIED_POLICE = re.compile(r"^(?:[\w-]+\s+){1,3}police(?:\s+[\w-]+)?$")
# "bears the hallmarks of the Kurdistan Workers Party (PKK)"
_HALLMARKS = re.compile(rf"\bhallmarks?\s+of\s+(?P<actor>{_PHRASE})")
# "blamed several militant organizations ..., such as the MILF, the Abu Sayyaf, and JI"
# "..., implicating the Kurdistan Workers' Party (PKK) and the Syrian Democratic Forces"
_BLAMED_SUCH_AS = re.compile(
    r"\b(?:blamed|accused|suspected)\b[^.;]{0,120}?\bsuch\s+as\s+(?P<list>[^.;]+)"
    r"|\bimplicating\s+(?P<list2>[^.;]+)"
)
_CONVICTED = re.compile(
    rf"(?P<actor>{_PHRASE})\s+(?:was|were|had been)\s+(?:later\s+|subsequently\s+|eventually\s+)?"
    rf"(?:convicted|found guilty|sentenced)\b"
)
_SUBJECT = re.compile(
    rf"^(?:(?:On|In|At|During|Around|Early|Late)\b[^,]{{0,60}},\s*)?(?P<actor>{_PHRASE})\s+"
    rf"(?:(?:also|then|later|initially|reportedly|allegedly)\s+)*"
    rf"(?:bombed|attacked|ambushed|massacred|detonated|launched|carried out|opened fire|"
    rf"shot|killed|stormed|raided|exploded|hijacked|kidnapped|executed|murdered)\b"
)
_NEGATED = re.compile(
    r"\b(?:no(?:\s+\w+)?\s+(?:group|one|organi[sz]ation)|nobody|not\s+(?:yet\s+)?claimed|"
    r"has\s+yet\s+to|have\s+yet\s+to|denied|deny|denies|falsely|unclear|unknown)\b",
    re.I,
)
_HEDGED = re.compile(
    r"\b(?:suspect\w*|alleged\w*|believed|thought|likely|probabl\w+|possibl\w+|blamed|"
    r"attributed|accused|presumed|reportedly|may have|might have|according to)\b",
    re.I,
)
_NOT_A_PERPETRATOR = re.compile(
    r"^(?:the\s+)?(?:attack|attacks|bombing|bombings|incident|police|government|authorities|"
    r"president|prime minister|minister|he|she|it|they|this|that|these|those|a|an|his|her|"
    r"their|its|one|two|three|some|many|several|both|all|local|officials?|sources?|reports?|"
    r"witnesses|investigators|analysts|experts|media|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday|january|february|march|april|may|june|july|august|september|"
    r"october|november|december)$",
    re.I,
)
# sections about other attacks, the past or the world's response, whose claims are not this
# incident's
_OTHER_EVENTS = re.compile(
    r"background|history|prelude|context|previous|earlier|prior|similar|other|related|"
    r"reaction|response|legacy|see also|memorial|commemorat|popular culture|media|analysis|"
    r"conflict|timeline|references|notes|sources|further|external",
    re.I,
)
# an earlier act the incident answered: "due to the killing of a German officer by members
# of the Greek Resistance"
_CAUSE_BEFORE = re.compile(
    r"\b(?:due to|owing to|because of|after|following|in (?:retaliation|revenge|reprisal|"
    r"response) (?:for|to)|to avenge)\s+$",
    re.I,
)
# "Quetta is frequently attacked by": what a group does, not what it did here
_HABITUAL = re.compile(r"\b(?:frequently|often|repeatedly|regularly|routinely|commonly)\b")
_HABITUAL_ACTS = re.compile(
    r"\b(?:more often|most often|many times|several times|repeatedly|frequently|regularly|"
    r"routinely)\b"
)
_ACCOUNT = re.compile(
    r"^(?:the\s+)?(?:attacks?|bombings?|shootings?|stabbings?|death|killings?|murders?|"
    r"assassination|incident|events?|massacres?|raid|ambush|hijacking|siege)$",
    re.I,
)
_ATTACKER_HEADING = re.compile(
    r"^(?:the\s+)?(?:perpetrators?|attackers?|assailants?|gunm[ae]n|bombers?|shooters?|"
    r"culprits?|perpetrator|hijackers?)$",
    re.I,
)
_HEADINGS = re.compile(
    r"perpetrat|responsib|attacker|assailant|suspect|culprit|gunm[ae]n|bomber|shooter|"
    r"claim|investigation|trial|conviction|accused",
    re.I,
)


_OFFICE = re.compile(
    r"^(?:[A-Z][\w'’-]*\s+){0,4}?(?:[Vv]ice[- ])?(?:[Pp]resident|[Ll]eader|[Cc]hairman|"
    r"[Cc]ommander|[Cc]hief|[Ss]ecretary|[Mm]ayor)\s+(?=[A-Z][\w'’-]+\s+[A-Z][\w'’-]+$)"
)


def _clean(actor: str) -> str | None:
    actor = " ".join(actor.split())
    quoted = _QUOTED.fullmatch(actor)
    if quoted is not None:
        return quoted.group(1)  # the name as the group gave it, in whatever case
    actor = re.sub(r"^(?:the|The)\s+", "", actor)
    actor = re.sub(
        r"^(?:(?:outlawed|banned|militant|terrorist|extremist|jihadist|armed|so-called|local|"
        r"rival|self-styled|gunm[ae]n|bombers?|attackers?|assailants?|shooters?|perpetrators?|"
        r"lone)\s+)+",
        "",
        actor,
    )
    actor = re.sub(r"\s+\([A-Z][\w.'’-]*\)$", "", actor)  # "(PKK)" after the name
    # "Pakistan-based LeT", "the Iraqi-backed People's Mujahedin of Iran"
    actor = re.sub(
        r"^[A-Z][\w-]*-(?:based|backed|sponsored|supported|funded|linked|affiliated|aligned)\s+"
        r"(?=[A-Z])",
        "",
        actor,
    )
    # "Serb List Vice-president Milan Radoičić": the person, without the office
    actor = _OFFICE.sub("", actor)
    fighters = re.match(r"(.+?)\s+(?:fighters|militants|members|gunmen|operatives)$", actor)
    if fighters and _known_group(fighters.group(1)):
        actor = fighters.group(1)  # "Islamic State fighters": the group
    actor = actor.rstrip(" .,;:'’")
    if not actor or _NOT_A_PERPETRATOR.match(actor):
        return None
    if not re.search(r"[A-Z]", actor) and not _QUALIFIED_POLICE.match(actor):
        return None  # a name, or a police force named by what it is ("military police")
    described = re.match(
        r"(.+?)\s(?:group|organi[sz]ation|outfit|faction|network|movement|cell)$", actor
    )
    if described and _known_group(described.group(1)):
        actor = described.group(1)  # "the Ukrainian Insurgent Army group "Piwnicz""
    elif described:
        return None  # "Pakistan-based Islamist terrorist group": a description, the name follows
    gaz = gazetteer()
    key = re.sub(r"\s+[–—-]\s+", " ", actor)  # "ISIL – Khorasan Province": dashes are not words
    found = gaz.names.scan(key)
    if found and found[0].text == key and found[0].value.kind in {"armed_group", "state"}:
        return str(found[0].value.name)
    if found and found[0].text == key and found[0].value.kind == "state_adjective":
        return None  # "Pakistani" alone is not who did it
    if (
        len(found) == 1
        and found[0].value.kind == "armed_group"
        and found[0].end == len(key)
        and re.fullmatch(r"[A-Z][a-z]+\s+", key[: found[0].start])
    ):
        return str(found[0].value.name)  # "White Klan (members)": the group, described
    return actor


# "The group who claimed responsibility for the attack was the Al-Shabaab."
_CLAIMANT_NAMED_AFTER = re.compile(
    rf"\b(?:group|organi[sz]ation|one|faction)\s+(?:who|that|which)\s+claimed\s+"
    rf"(?:responsibility|credit)\b[^.;]{{0,60}}?\s+(?:was|were|is)\s+(?P<actor>{_PHRASE})"
)


# "a Sunni group calling itself “al-haraka al-islamiya al-iraniya” claimed responsibility",
# "an unknown group calling itself the 'Organisation for the Defense of ...' which claimed"
_CALLING_ITSELF = re.compile(
    r"\b(?:group|organi[sz]ation|faction|movement|cell)\s+(?:calling|called|naming)\s+"
    r"(?:itself|themselves)\s+(?:the\s+)?(?P<actor>[\"“'‘][^\"“”‘’]{3,80}?[\"”'’])"
    r"(?=[^.;]{0,40}?\bclaim)"
)
_QUOTED = re.compile(r"[\"“'‘]([^\"“”‘’]{3,80}?)[\"”'’]")


# a claim the sentence doubts: "the Islamic State (IS) claimed responsibility for the attack,
# though police later said a terrorist background or motive for the attack was "unlikely""
_DOUBT = re.compile(
    r"\b(?:though|although|but|however|while)\b[^.;]{0,120}?\b(?:unlikely|doubt\w*|"
    r"dismiss\w*|no evidence|unverified|not\s+(?:been\s+)?(?:verified|confirmed|"
    r"independently verified)|could\s+not\s+(?:be\s+)?(?:verif\w+|confirm\w*)|"
    r"questioned|s[ck]eptic\w*|false claim)",
    re.I,
)


def _doubted(sentence: str) -> bool:
    claim = _CLAIMED.search(sentence)
    return claim is not None and bool(_DOUBT.search(sentence, claim.end()))


def _claimant(text: str) -> str | None:
    """Who the sentence says claimed the attack ("The Taliban claimed responsibility")."""
    if "spokes" in text and (spoken := _SHAPES.spokesman_claim(text)) is not None:
        return spoken  # the group, not its spokesman named before "claimed"
    if (" it " in text or " they " in text) and (said := _SHAPES.said_it(text)) is not None:
        return said
    if "calling itself" in text or "called itself" in text:
        named = _CALLING_ITSELF.search(text)
        # "an unknown group calling itself ...": unknown before, named now
        if named is not None:
            before = re.sub(r"\b(?:previously\s+)?unknown\s+$", "", text[: named.start()])
            if not _negated(before):
                return named.group("actor")
    claim = _CLAIMED.search(text)
    if claim and not _negated(text[: claim.start()]):
        subject = _SUBJECT_BEFORE.search(text[: claim.start()])
        if subject is not None:
            return subject.group("actor")
        named = _CLAIMANT_NAMED_AFTER.search(text)
        if named is not None:
            return named.group("actor")
    return None


def _sentence_actors(text: str) -> Iterable[tuple[str, bool]]:
    """(name, suspected) for each perpetrator one sentence names."""
    hedged = bool(_HEDGED.search(text))
    claimant = _claimant(text)
    if claimant is not None:
        yield claimant, False
        if "spokes" in text and claimant == _SHAPES.spokesman_claim(text):
            return  # the rest is what the spokesman said, he is not among them
    low = text.lower()
    if " by " in low:
        yield from _agents(text, low, hedged)
    if any(word in low for word in _SUSPECTING):
        for match in _SUSPECT_BY.finditer(text):
            yield next(actor for actor in match.groups() if actor), True
    yield from _suspected(text, low)
    if any(word in low for word in ("convicted", "guilty", "sentenced")):
        for match in _CONVICTED.finditer(text):
            yield match.group("actor"), False
    if _HABITUAL_ACTS.search(text):
        # "Boko Haram have attacked Maiduguri more often than any other settlement": what
        # a group does, not what it did here
        yield from _named_attackers(text)
        return
    subject = _SUBJECT.match(text)
    if subject is not None and _known_group(subject.group("actor")):
        yield subject.group("actor"), hedged
    if not REPRISAL.search(text):
        yield from _groups_acting(text, hedged)
    yield from _named_attackers(text)


_SUSPECTING = (
    "attributed", "blamed", "suspect", "believe", "thought", "think", "accused", "assumed",
    "presumed",
)  # fmt: skip


def _agents(text: str, low: str, hedged: bool) -> Iterator[tuple[str, bool]]:
    """Who the sentence says the act was done by ("carried out by X", "the killing of two
    farmers by military police")."""
    for match in _BY.finditer(text):
        before = text[max(0, match.start() - 60) : match.start()]
        if _CAUSE_BEFORE.search(before):
            continue  # "chosen for reprisals due to the killing of an officer by ..."
        if not _negated(before) and not _HABITUAL.search(before[-30:]):
            yield match.group("actor"), hedged
    for match in _BY_DESCRIBED.finditer(text):
        if not _negated(text[max(0, match.start() - 60) : match.start()]):
            yield match.group("actor"), hedged
    if "police" in low:
        for match in _BY_POLICE.finditer(text):
            yield match.group("actor"), hedged


# "the Ukrainian Security Service confirmed it was behind the attack", "Hanna Maliar
# acknowledged Ukraine had conducted the attack": who did it, in the words of those who did
_ADMITTED = re.compile(
    rf"(?:^|[,;:]\s+|\b(?:but|and|when|that)\s+)(?P<subject>{_PHRASE})"
    rf"(?:,[^,]{{1,80}},)?\s+(?:(?:\w+ly|also|later|then|subsequently|eventually|finally)\s+)*"
    rf"(?:confirmed|admitted|acknowledged|conceded)\s+(?:that\s+)?"
    rf"(?:(?P<pronoun>it|they|he|she)|(?:the\s+)?(?P<named>{_PHRASE}))\s+"
    rf"(?:(?:was|were|had been)\s+(?:behind|responsible)\b|had\s+(?:carried out|conducted|"
    rf"staged|perpetrated|committed|organi[sz]ed|launched|planned|ordered)\b)"
)


# "Ramzi Yousef, a member of al-Qaeda ..., was also accused of being responsible", "the
# PKK was blamed for the attack"
_ACCUSED = re.compile(
    rf"(?:^|[;:]\s+|,\s+(?=(?:the\s+)?[A-Z])|\b(?:but|and|that|when)\s+)(?P<actor>{_PHRASE})"
    rf"(?:,[^,]{{1,100}},)?\s+(?:was|were|has been|have been|had been)\s+"
    rf"(?:(?:also|widely|later|initially|quickly|subsequently|publicly)\s+)*"
    rf"(?:blamed\s+for|accused\s+of\s+(?:being\s+(?:responsible|behind)|carrying out|"
    rf"perpetrating|committing|having\s+(?:carried out|committed|organi[sz]ed|ordered)|"
    rf"orchestrating|organi[sz]ing|ordering|masterminding|involvement|complicity|"
    rf"(?:the\s+)?(?:murders?|killings?|attacks?|bombings?|massacre)))\b"
)


_REACTIONS = re.compile(r"reaction|response", re.I)
# "a resolution condemning the regular Israel army for its attack on Qibya"
_CONDEMNED_FOR = re.compile(
    rf"\b(?:condemn|condemned|condemning|condemns|censured|censuring|denounced|denouncing)\s+"
    rf"(?:the\s+)?(?:[a-z]+\s+)?(?P<actor>{_PHRASE})\s+for\s+(?:its|their|the|his)\s+"
    rf"(?:\w+\s+)?(?:attacks?|raids?|bombings?|air\s*strikes?|strikes?|massacre|killings?|"
    rf"shelling|assault|shooting)\b"
)


def _admitted_or_accused(text: str, low: str) -> Iterator[tuple[str, bool]]:
    """Who the sentence says admitted it, is accused of it or is condemned for it."""
    if "condemn" in low or "censur" in low or "denounc" in low:
        for match in _CONDEMNED_FOR.finditer(text):
            yield match.group("actor"), False
    if "blamed for" in low or "accused of" in low:
        for match in _ACCUSED.finditer(text):
            if not _negated(text[: match.start("actor")]):
                yield match.group("actor"), True
    if any(word in low for word in ("confirmed", "admitted", "acknowledged", "conceded")):
        for match in _ADMITTED.finditer(text):
            if not _negated(text[: match.start("subject")]):
                yield match.group("named") or match.group("subject"), False


def _suspected(text: str, low: str) -> Iterator[tuple[str, bool]]:
    """Who the sentence says is behind it, bears its hallmarks or is among those blamed."""
    yield from _admitted_or_accused(text, low)
    if "behind" in low or "responsible" in low:
        for match in _BEHIND.finditer(text):
            before = text[: match.start()]
            subject = _SUBJECT_BEFORE.search(before)
            if subject is None or _negated(before):
                continue
            verb = text[max(match.start(), match.start("how") - 40) : match.start("how")]
            suspected = bool(
                _ASSERTED_BY_OTHERS.search(before)
                or re.search(r"\b(?:may|might|could|must|likely|believed|thought|suspected|"
                             r"alleged|said|reported|considered)\b", verb)
            )  # fmt: skip
            yield subject.group("actor"), suspected
    if "suspected of" in low:
        for actor in _SHAPES.suspected_of(text):
            yield actor, True
    if "hallmark" in low:
        for match in _HALLMARKS.finditer(text):
            yield match.group("actor"), True
    if "such as" in low or "implicating" in low:
        for match in _BLAMED_SUCH_AS.finditer(text):
            listed = match.group("list") or match.group("list2")
            for item in re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", listed):
                groups = [f for f in gazetteer().names.scan(item) if f.value.kind == "armed_group"]
                if groups:
                    yield groups[0].text, True


_ATTACK_VERB = re.compile(
    r"^[\s,]*(?:\([^()]{1,40}\)\s*)?(?:who\s+[^,.;]{1,80},\s*)?"
    r"(?:(?:also|then|later|initially|reportedly|allegedly|had|has|have|subsequently|first)\s+)*"
    r"(?:bombed|attacked|ambushed|massacred|detonated|exploded|launched|carried out|"
    r"opened fire|shot|killed|stormed|raided|hijacked|kidnapped|executed|murdered|planted|"
    r"set off|fired|shelled|struck|targeted|perpetrated|committed|claimed|burst into|"
    r"sprayed|threw|hurled|torched|set fire|abducted|beheaded|lynched|stabbed|rammed|"
    r"surrounded|besieged|overran|seized|"
    r"(?:decided|planned|plotted|conspired)\s+to\s+(?:attack|bomb|kill|assassinate)|"
    r"took\s+(?:[\w-]+\s+){0,6}?hostages?)\b",  # "took eleven Israeli athletes hostage"
    re.I,
)
# a sentence that opens with a state doing the attack itself
_STATE_ACTED = re.compile(
    r"(?:,\s*(?:on|in|at)\s+[^,]{1,40}(?:,\s*\d{4})?,)?\s+"
    r"(?:dropped|bombed|shelled|attacked|invaded|launched|fired|struck|used chemical)\b"
)
_AGENT_BY = re.compile(
    r"\bby\s+(?:(?:members|troops|units?|fighters|militants|soldiers|(?:a|the)\s+(?:\w+\s+){0,3}"
    r"(?:squad|unit|group|faction|cell|detachment|brigade|column))\s+(?:of|from)\s+|a\s+)?"
    r"(?:the\s+)?$",
    re.I,
)
# "gunmen from the small Irish Republican paramilitary group the IPLO", "The attackers were
# rogue members of the INLA": the group the attackers belonged to
_MEMBERS_OF = re.compile(
    r"\b(?:gunm[ae]n|attackers?|perpetrators?|assailants?|bombers?|killers?|militants?|"
    r"fighters?|death squad|squad|hit squad|unit|commandos?|(?:attackers?|gunm[ae]n|"
    r"perpetrators?|killers?)\s+(?:were|was)\s+(?:\w+\s+){0,2}?members)\s+"
    r"(?:from|of|belonging to)\s+[^.;]{0,80}$"
    # "the attackers were Handeef alias Hilal, 23, and Ali, 22, Pakistani nationals belonging
    # to Masood Azhar's Jaish-e-Mohammad"
    r"|\b(?:attackers?|gunm[ae]n|perpetrators?|assailants?|bombers?|killers?)\s+(?:were|was)\s+"
    r"[^.;]{1,100}?\bbelong(?:ing|ed)\s+to\s+[^.;]{0,60}$",
    re.I,
)
_EVENT_BEFORE = re.compile(
    r"\b(?:committed|carried out|perpetrated|conducted|killing|killings|massacre|murder|"
    r"bombing|attack|attacks|strikes?|raid|execution|executed|killed|shot|dropped|planted)\b",
    re.I,
)
# "following a bombing and takeover by the Russian Armed Forces": an earlier event's agent
_EARLIER = re.compile(r"\b(?:following|after|before|since|prior to)\s+(?:an?\s+|the\s+)?$", re.I)
_REPORTING = re.compile(
    r"\b(?:condemn\w*|critici\w+|denounc\w*|report\w*|describ\w*|investigat\w*|arrest\w*|"
    r"captur\w*|rescu\w*|treat\w*|confirm\w*|announc\w*|declar\w*|document\w*|recogni\w*|"
    r"call\w*|called|prosecut\w*|tri\w+|praised|protest\w*|covered|suffer\w*|respon\w*|"
    r"freed|released|evacuat\w*)\b",
    re.I,
)


def _groups_acting(text: str, hedged: bool) -> Iterator[tuple[str, bool]]:
    """A known armed group (or a state's forces) that the sentence says did it: followed by
    an attack verb ("when the Provisional IRA exploded a bomb"), or the agent of one ("a
    massacre ... committed on 30 August 1943 by the Ukrainian Insurgent Army")."""
    gaz = gazetteer()
    for found in gaz.names.scan(text):
        kind = found.value.kind
        if kind not in {"armed_group", "state", "state_adjective"}:
            continue
        end = found.end
        if kind != "armed_group":
            # "Russian forces shelled", "Iraqi aircraft dropped": a state acting by its forces
            forces = re.match(
                r"\s+(?:(?i:armed|ground|air|naval|special|security|military|government)\s+)?"
                r"(?:[Ff]orces|[Aa]rmy|military|troops|soldiers|aircraft|warplanes|jets|"
                r"[Aa]ir [Ff]orce|[Nn]avy|militiamen)\b",
                text[end:],
            )
            if forces is None:
                acted = _STATE_ACTED.match(text[end:]) if found.start == 0 else None
                if kind == "state" and acted is not None:
                    # "Iraq, on June 28, 1987, dropped what ... believed to be mustard gas
                    # bombs": hedged only if the words before the verb hedge
                    yield text[: found.end], bool(_HEDGED.search(text[: end + acted.end()]))
                continue
            end += forces.end()
        before = text[max(0, found.start - 60) : found.start]
        acting = _ATTACK_VERB.match(text[end:])
        if acting is None and kind == "armed_group":
            acting = _MEMBERS_OF.search(text[max(0, found.start - 120) : found.start])
        agent = _AGENT_BY.search(before)
        if agent is not None:
            gap = text[max(0, found.start - 120) : found.start - len(agent.group(0))]
            event = next(reversed(list(_EVENT_BEFORE.finditer(gap))), None)
            if (
                event is None
                or _REPORTING.search(gap[event.end() :])
                or _EARLIER.search(gap[: event.start()])
            ):
                agent = None
        if acting is None and agent is None:
            continue
        name = text[found.start : end]
        if kind != "armed_group":
            adjective = gaz.state_name(found.value.code) if kind == "state" else None
            name = f"{adjective} {text[found.end : end].strip()}" if adjective else name
        # a hedge about something else later in the sentence ("..., believed to be the
        # largest bomb used") does not make the group a suspect
        reach = end + (acting.end() if acting is not None else 0) + 30
        yield name, hedged and bool(_HEDGED.search(text[:reach]))


_PERSON_NAME = (
    r"(?:[A-Z][a-zà-ÿ'’]+(?:-[A-Z][a-zà-ÿ'’]+)?|[A-Z]\.)"
    r"(?:\s+(?:(?:al|el|bin|ibn|de|van|von|abu|Abu|Al)[\s-])?[A-Z][\w'’]*\.?(?:-[A-Z][\w'’]+)?){1,4}"
)
_ATTACKER_NOUN = (
    r"(?:gunman|shooter|attacker|assailant|bomber|perpetrator|killer|hijacker|stabber|suspect|"
    r"murderer)"
)
# what may stand between an age and a name: "a 46-year-old man", "62-year-old Black
# nationalist" (lower-case words, a capitalised one only before one); "72-year-old Huu Can
# Tran" is all name
_DESCRIBED = r"(?:(?:[A-Z]\w+\s+)?[a-z][\w-]*\s+){0,3}"
_AGED = r"(?:[Aa]n?\s+)?(?:\d{1,2}|[A-Z]?[a-z]+(?:-[a-z]+)?)-year-old\s+"
# the verbs that make a named person the attacker
_ACTED = (
    r"(?:shot|stabbed|detonated|opened fire|killed|murdered|attacked|drove|rammed|"
    r"blew himself up|set off|held|took|fired|hijacked|threw)"
)
_NAMED = [
    # "gunman Brenton Tarrant", "The gunman, Musbah Abu Sbaih,", "the attacker was identified
    # as 46-year-old Scott Michael Greene", "identified the suspect as 49-year-old Riad ..."
    re.compile(
        rf"\b(?:identified\s+(?:the\s+)?)?{_ATTACKER_NOUN}s?(?:\s+in\s+[^,.]{{1,40}})?,?\s+"
        rf"(?:(?:was|has been|had been)\s+)?"
        rf"(?:(?:later\s+)?(?:identified|named)\s+)?(?:as\s+)?(?:{_AGED}{_DESCRIBED})?"
        rf"(?P<name>{_PERSON_NAME})"
    ),
    # "Tarrant pleaded guilty", "X was convicted"
    re.compile(rf"(?P<name>{_PERSON_NAME})\s+(?:pleaded|pled)\s+guilty"),
    # "the court convicted Hussein Khavari of murder"
    re.compile(rf"\bconvicted\s+(?P<name>{_PERSON_NAME})\s+of\b"),
    # "Jesse Osborne shot three students", "a man named Juhanda detonated", "when Jori
    # Juhani Lasonen, a 23-year-old Imatra resident, shot", "in which Jim Jumper, a
    # bi-racial Seminole, killed"
    re.compile(
        rf"(?:^|,\s+|\bnamed\s+|\bwhen\s+|\bin\s+which\s+)(?:{_AGED}{_DESCRIBED})?"
        rf"(?P<name>{_PERSON_NAME})(?:,\s+(?:a|an|who)\s+[^,]{{1,60}},)?\s+"
        rf"(?:(?:then|later|allegedly|reportedly)\s+)?{_ACTED}\b"
    ),
    # "shot and killed by police officer Betty Jo Shelby", "fatally shot on ..., in
    # Charlotte, North Carolina by Brentley Vinson", "by SWAT officer Mark Hanneman"
    re.compile(
        r"\b(?:shot|killed|stabbed|murdered|beaten|strangled)\b[^.;]{0,80}?\bby\s+"
        r"(?:(?:an?\s+|the\s+)?(?:[A-Za-z]+\s+){0,2}(?:officer|constable|sergeant|"
        r"deputy|agent|soldier|trooper)\s+)?"
        rf"(?P<name>{_PERSON_NAME})"
    ),
]
_NOT_A_NAME = re.compile(
    r"^(?:Police|Prime|President|Minister|Officers?|Authorities|The|A|An|On|In|It|He|She|They|"
    r"Islamic|Afghan|Iraqi|Pakistani|Indian|Israeli|Palestinian|American|British|Russian|"
    r"Ukrainian|Syrian|Turkish|Egyptian|Nigerian|Somali|Yemeni|Saudi|Iranian|Chinese|French|"
    r"German|Government|Security|Army|Special|Federal|State|National|Local|Eyewitnesses)\b"
)


# capitalised words that start a sentence or name a month, never part of a person's name
_NOT_NAME_WORDS = frozenset(
    str.split(
        "on in at by after before during when while since until as if but and or so then "
        "january february march april may june july august september october november december "
        "monday tuesday wednesday thursday friday saturday sunday suspect gunman officer "
        "judge mr mrs ms dr sir"
    )
)


def _named_attackers(text: str) -> Iterator[tuple[str, bool]]:
    """A person the sentence names as the attacker (suspected when called a suspect)."""
    for pattern in _NAMED:
        for match in pattern.finditer(text):
            name = match.group("name").rstrip(".,")
            if _NOT_A_NAME.match(name) or _is_entity(name):
                continue
            suspected = "suspect" in text[max(0, match.start() - 5) : match.start("name")].lower()
            yield name, suspected


def _is_entity(name: str) -> bool:
    found = gazetteer().names.scan(name)
    return bool(found) and found[0].start == 0


# the claimant: the name closest before "claimed responsibility" in its clause
_SUBJECT_BEFORE = re.compile(
    rf"(?:^|[,;:]\s+|\bbut\s+|\band\s+|\bthat\s+|\bwhen\s+|\bsaid\s+|"
    rf"\b(?:group|organi[sz]ation|outfit|faction|movement)\s+)(?P<actor>{_PHRASE})"
    # an apposition between commas or dashes, or one the writer left open ("that Naser
    # Oric, the Bosnian commander was responsible")
    rf"(?:,[^,]{{0,80}},|\s+[-–—]\s+[^–—]{{1,100}}?\s*[-–—]|"
    rf",\s+(?:the|a|an)\s+(?:(?!\b(?:who|which|that|whose)\b)[\w'’ -]){{1,60}}?(?=\s*$))?"
    rf"(?:\s+(?:\w+ly|also|then|later|quickly|has|had|have|both|"
    r"initially|denied\s+responsibility\s+but\s+then|subsequently|had\s+since|"
    r"(?:was|were)\s+(?:arrested|implicated|charged|detained)\s+and))*\s*$"
)


def _negated(before: str) -> bool:
    """A denial or "no group has" just before the verb; "denied ... but then took" is not."""
    window = before[-60:]
    window = re.split(r"\bbut\b|\bthen\b|\blater\b", window)[-1]
    return bool(_NEGATED.search(window))


def _known_group(actor: str) -> bool:
    found = gazetteer().names.scan(actor)
    return any(f.value.kind == "armed_group" for f in found) or bool(
        re.search(r"\b(?:Army|Front|Brigades?|Organi[sz]ation|Movement|Party|Force|Taliban|"
                  r"Qaeda|Hamas|Hezbollah|IRA|Volunteers?)\b", actor)
    )  # fmt: skip


_SHAPES = ClaimShapes(_PHRASE, _known_group)


def perpetrators_from_text(
    lead: str, sections: Iterable[tuple[str | None, str]]
) -> list[PerpetratorRecord]:
    """Perpetrators the lead names, else those named in sections about the perpetrators or
    the investigation; each with the sentence it came from."""
    sections = list(sections)
    found = _from_text(lead)
    found = _with_attacker_sections(found, sections) if found else _from_sections(sections)
    # a claim made in the account of the attack or its aftermath: the lead's suspicion
    # confirmed ("believed to be behind" ... "ISIL claimed this attack"), or the only word
    # on who did it ("[Aftermath] The Taliban claimed responsibility")
    if not found or any(record.suspected for record in found):
        for heading, text in sections:
            if not heading or _OTHER_EVENTS.search(heading):
                continue
            for claimed in _from_text(text, claims_only=True):
                same = next((r for r in found if _same_group(r.name, claimed.name)), None)
                if same is not None:
                    # a claim the article doubts stays a suspicion however often reported
                    same.suspected = same.suspected and _doubted(same.evidence or "")
                elif not found or all(not r.suspected for r in found):
                    found.append(claimed)
    if not found:
        found = _condemned_for(sections)
    if found:
        _add_convicted(found, sections)
        whole = "\n".join([lead, *(text for _, text in sections)])
        for record in found:
            if " " not in record.name and not _is_entity(record.name):
                record.name = _in_full(record.name, whole)
        _convicted_suspects(found, whole)
    return found


def _with_attacker_sections(
    found: list[PerpetratorRecord], sections: list[tuple[str | None, str]]
) -> list[PerpetratorRecord]:
    """The lead names the group, a section about the attacker the person ("[Attacker] The
    28 year old attacker, Iftekhar Hasan Al Mamun, was captured")."""
    for heading, text in sections:
        if heading and _ATTACKER_HEADING.search(heading):
            for more in _from_text(text):
                if all(not _same_group(f.name, more.name) for f in found):
                    found.append(more)
    return found


def _from_sections(sections: list[tuple[str | None, str]]) -> list[PerpetratorRecord]:
    """Sections about the perpetrators or the investigation, and the account of the attack
    itself ("[Death] A security source identified the suspect as ..."): the first of each
    kind that names someone, so that "[Attack] carried out by X" and "[Trial] X's leader
    admitted his role" both count."""
    found: list[PerpetratorRecord] = []
    for headings in (_HEADINGS, _ACCOUNT):
        for heading, text in sections:
            if heading and headings.search(heading) and not _OTHER_EVENTS.search(heading):
                more = _from_text(text)
                found += [m for m in more if all(not _same_group(f.name, m.name) for f in found)]
                if more:
                    break
    return found


def _condemned_for(sections: list[tuple[str | None, str]]) -> list[PerpetratorRecord]:
    """A mirror's page of the reactions alone: those who condemned it may say who did it
    ("a resolution condemning the regular Israel army for its attack on Qibya")."""
    found: list[PerpetratorRecord] = []
    for heading, text in sections:
        if heading and _REACTIONS.search(heading) and "condemn" in text:
            for match in _CONDEMNED_FOR.finditer(text):
                name = _clean(match.group("actor"))
                if name is not None and all(not _same_group(f.name, name) for f in found):
                    found.append(PerpetratorRecord(name, False, match.group(0)))
    return found


# "In January 1981, Patrick Joseph Traynor (27) from Crossmaglen was found guilty of the four
# murders": the person convicted, named in the account beside the group the lead names
# "Lúcio Lírio Leal, an investigator of the Civil Police, was sentenced to 12 years in prison
# for qualified homicide"
_CONVICTED_NAMED = re.compile(
    rf"(?P<name>{_PERSON_NAME})(?:\s+\(\d{{1,3}}\))?(?:,[^,.;]{{1,80}},)?"
    rf"(?:\s+(?:from|of)\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)?\s+(?:was|were|had been)\s+"
    rf"(?:later\s+|subsequently\s+|eventually\s+)?(?:(?:convicted|found guilty)\s+of|"
    rf"sentenced\s+to\s+[^.;]{{1,60}}?\s+for)\s+(?:the\s+)?(?:[\w-]+\s+)?"
    rf"(?:murders?|killings?|bombing|attack|manslaughter|homicide)"
)


_VERDICT = re.compile(r"guilty|convicted|sentenced")


def _add_convicted(found: list[PerpetratorRecord], sections: list[tuple[str | None, str]]) -> None:
    """People the account of the attack says were convicted of its killings."""
    for heading, text in sections:
        if not heading or _OTHER_EVENTS.search(heading):
            continue
        # the name comes shortly before the verdict: read only there
        spans = [(max(0, v.start() - 200), v.end() + 80) for v in _VERDICT.finditer(text)]
        matches = (m for start, end in spans for m in [_CONVICTED_NAMED.search(text, start, end)])
        for match in (m for m in matches if m is not None):
            name = match.group("name")
            if _NOT_A_NAME.match(name) or _is_entity(name):
                continue
            if any(w.lower() in _NOT_NAME_WORDS for w in name.split()):
                continue
            if all(not _same_group(f.name, name) for f in found):
                found.append(PerpetratorRecord(name, False, match.group(0)))


def _convicted_suspects(found: list[PerpetratorRecord], whole: str) -> None:
    """The suspect the article later says was convicted ("identified the suspect as Riad
    Ismaeel Abdullah" ... "Abdullah is a preacher ... He was sentenced to death") is no
    longer only suspected."""
    suspects = [r for r in found if r.suspected and " " in r.name and not _is_entity(r.name)]
    if not suspects:
        return
    convicted = {next(n for n in m.groups() if n) for m in _CONVICTED_PERSON.finditer(whole)}
    for record in suspects:
        if record.name.split()[-1] in convicted:
            record.suspected = False


_SENTENCED = r"(?:later\s+|subsequently\s+|eventually\s+)?(?:convicted|sentenced|found guilty)\b"
_CONVICTED_PERSON = re.compile(
    rf"\b(?P<name>[A-Z][\w'’-]+)(?:,[^,.]{{1,80}},)?\s+(?:was|had been)\s+{_SENTENCED}"
    rf"|\b(?P<pleaded>[A-Z][\w'’-]+)\s+(?:pleaded|pled)\s+guilty\b"
    # the next sentence goes on about the person by pronoun
    rf"|(?:^|[.\]]\s+)(?P<before>[A-Z][\w'’-]+)\s[^.\n]{{0,200}}\.(?:\[\d+\])*\s+(?:He|She)\s+"
    rf"was\s+{_SENTENCED}",
    re.M,
)


def _in_full(surname: str, text: str) -> str:
    """The person's full name where a sentence found only one name ("James was sentenced"):
    the form the article uses most that ends with it ("Frank Robert James") or, in the
    surname-first order, begins with it ("Yang Qingpei")."""
    name = re.escape(surname)
    part = r"[A-Z][a-zà-ÿ'’]+"
    forms = Counter(
        " ".join(match.group(0).split())
        for match in re.finditer(
            rf"\b(?:{part}\s+){{1,3}}{name}\b(?!\s+{part})|\b{name}\s+{part}\b(?!\s+{part})",
            text,
        )
    )
    for form, _count in forms.most_common():
        words = form.split()
        if _NOT_A_NAME.match(form) or _is_entity(form) or any(_NOT_A_NAME.match(w) for w in words):
            continue
        if any(w.lower() in _NOT_NAME_WORDS for w in words):
            continue
        return form
    return surname


def _same_group(known: str, name: str) -> bool:
    """ "ISIL" after "ISIL – Khorasan Province" is the same claim, not a second group;
    "Ukrainian military forces" after "Ukrainian forces" the same forces."""
    a, b = (_FORCES_WORDS.sub(" ", re.sub(r"[\s–—-]+", " ", n.casefold())) for n in (known, name))
    a, b = " ".join(a.split()), " ".join(b.split())
    return bool(a and b) and (a == b or b in a or a in b)


_FORCES_WORDS = re.compile(r"\b(?:military|armed)\b")


# "the Russian and Syrian governments": each state's government
_TWO_STATES = re.compile(
    r"^(?:the\s+)?([A-Z][\w-]+)\s+and\s+([A-Z][\w-]+)\s+(governments|armies|forces|militaries)$"
)
_ONE_OF = {"governments": "government", "armies": "army", "forces": "forces",
           "militaries": "military"}  # fmt: skip


def _each_of(actor: str, suspected: bool) -> list[tuple[str, bool]]:
    both = _TWO_STATES.match(actor)
    if both is None:
        return [(actor, suspected)]
    head = _ONE_OF[both.group(3)]
    return [(f"{both.group(1)} {head}", suspected), (f"{both.group(2)} {head}", suspected)]


def _from_text(text: str, claims_only: bool = False) -> list[PerpetratorRecord]:
    result: list[PerpetratorRecord] = []
    for line in text.split("\n"):
        for sentence in split_block(line):
            if claims_only:
                if "claim" not in sentence.text:
                    continue
                claimant = _claimant(sentence.text)
                actors: Iterable[tuple[str, bool]] = (
                    [(claimant, _doubted(sentence.text))] if claimant else []
                )
            elif "claim" in sentence.text and _doubted(sentence.text):
                actors = [(actor, True) for actor, _ in _sentence_actors(sentence.text)]
            else:
                actors = _sentence_actors(sentence.text)
            for actor, suspected in (pair for both in actors for pair in _each_of(*both)):
                name = _clean(actor)
                if name is None:
                    continue
                existing = next((p for p in result if _same_group(p.name, name)), None)
                if existing is None:
                    result.append(PerpetratorRecord(name, suspected, sentence.text))
                    continue
                if len(name) > len(existing.name) and name.endswith(existing.name):
                    # "James" first, "Frank Robert James" later: the person in full
                    existing.name, existing.evidence = name, sentence.text
                if existing.suspected and not suspected:
                    existing.suspected = False
    return result
