"""Who reacted to an incident and how: one record per actor and statement, from the
Reactions section (or Response / International reactions), or from every section of an
article that is all reactions ("Reactions to ...").

The actor is what the reactions tree groups by: a state for foreign governments, an
organisation, or for domestic reactions the person or body (viewer/extraction/actors.py
reads it from each sentence). Category comes from the subsection heading where there is
one and is inferred from the actor otherwise. A sentence listing several actors yields one
record each; a statement whose state was lost with its flag icon is recovered from its own
words where they name the state, and otherwise kept with an unknown actor, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from db.records import ReactionRecord, SectionRecord
from viewer.extraction.actors import (
    DOMESTIC,
    INTERNATIONAL,
    ORGANIZATIONS,
    Context,
    Mention,
    entity_mention,
    sentence_mentions,
)
from viewer.extraction.gazetteer import gazetteer
from viewer.extraction.sentences import Sentence, SentenceSplits, blocks, split_clauses
from viewer.extraction.stances import STANCES, statement_stance, stronger
from viewer.parsing.model import APPARATUS_SECTIONS

__all__ = ["DOMESTIC", "INTERNATIONAL", "ORGANIZATIONS", "STANCES", "extract_reactions"]

_REACTION_HEADING = re.compile(
    r"^(?:(?:international|domestic|national|local|world|global|official|political|foreign|"
    r"diplomatic|public|internal|civil|regional|government|governmental|other|initial|"
    r"immediate)\s+)?(?:reactions?|responses?|statements?)(?:\s+to\s+.*)?$|^condemnations?$",
    re.I,
)


# a heading that joins reactions to another topic ("Aftermath and reactions", "Reactions and
# investigation") or says whose they are ("Reactions from officials")
_JOINED_HEADING = re.compile(r"\s*(?:\band\b|&|,)\s*", re.I)
_REACTIONS_OF = re.compile(
    r"^(?:reactions?|responses?)\s+(?:from|by|of|among|in|within)\s+\S", re.I
)


def _reaction_heading(heading: str) -> bool:
    if _REACTION_HEADING.match(heading) or _REACTIONS_OF.match(heading):
        return True
    parts = _JOINED_HEADING.split(heading)
    return 2 <= len(parts) <= 3 and any(_REACTION_HEADING.match(p) for p in parts if p)


_PRIMARY_HEADING = re.compile(r"reaction|condemnation", re.I)


_CATEGORY_HEADINGS = [
    (ORGANIZATIONS, re.compile(
        r"organi[sz]ations?|supranational|intergovernmental|international bodies|"
        r"multilateral|\bngos?\b|non-governmental|united nations|religious", re.I)),
    (INTERNATIONAL, re.compile(
        r"international|countries|foreign|nations|states|governments|world|overseas|"
        r"abroad|global|diploma", re.I)),
    (DOMESTIC, re.compile(r"domestic|national|local|internal|home|provincial|political", re.I)),
]  # fmt: skip


_PRONOUN = re.compile(r"^(?:He|She)\s+(?:also\s+|later\s+|further\s+)?[a-z]+ed\b")
_CONTINUATION = re.compile(
    r"^(?:[\"“]?(?:he|she|it|they|his|her|its|their|the (?:ministry|bloc|organi[sz]ation|"
    r"statement|spokes\w+|embassy|government|group|party|body|agency|office|department|"
    r"council|commission|president|minister|leader|country|kingdom|republic|emirate|nation|"
    r"state|union|league|alliance)|this|these|in (?:the|a|his|her|its) "
    r"statement|additionally|furthermore|moreover|later|also|we|our|i)\b)"
    r"|,\s*(?:he|she|it|they)\s+(?:said|says|added|tweeted|wrote|stated)\W*$",
    re.I,
)


_LOST_FLAG = re.compile(r"^[\s–—:,;.-]+")


_LEAD_STATE = re.compile(r"^(?P<name>[^–—:]{2,60}?)\s*(?:[–—:]|\s-\s)\s*")


def reaction_region(spans: Sequence[SectionRecord]) -> list[tuple[SectionRecord, str | None]]:
    """The sections that hold reactions, each with the category its headings give."""
    chosen = [i for i, s in enumerate(spans) if s.heading and _reaction_heading(s.heading)]
    primary = [i for i in chosen if _PRIMARY_HEADING.search(spans[i].heading or "")]
    chosen = primary or chosen
    region: list[tuple[SectionRecord, str | None]] = []
    for index in chosen:
        top = spans[index]
        hints = {top.level: _category_from_heading(top.heading)}
        region.append((top, hints[top.level]))
        for sub in spans[index + 1 :]:
            if sub.level <= top.level:
                break
            inherited = next(
                (hints[level] for level in sorted(hints, reverse=True) if level < sub.level), None
            )
            hints[sub.level] = _category_from_heading(sub.heading) or inherited
            region.append((sub, hints[sub.level]))
    seen: set[int] = set()
    unique = []
    for span, hint in region:
        if id(span) not in seen:
            seen.add(id(span))
            unique.append((span, hint))
    return unique


# "Reactions to the death of Osama bin Laden", "International response to the Beslan school
# siege", "Statements in response to the 11 July 2006 Mumbai train bombings": every section
# of such an article is reactions.
_REACTIONS_ARTICLE = re.compile(
    r"^(?:(?:international|domestic|world|global|official|political|public)\s+)?"
    r"(?:reactions?|responses?|statements?(?:\s+in\s+response)?|condemnations?)\s+to\b",
    re.I,
)


def whole_article_region(spans: Sequence[SectionRecord]) -> list[tuple[SectionRecord, str | None]]:
    """Every section with the category its heading (or a heading above it) gives."""
    region: list[tuple[SectionRecord, str | None]] = []
    hints: dict[int, str | None] = {}
    for span in spans:
        if (span.heading or "").casefold() in APPARATUS_SECTIONS | {"see also"}:
            continue
        inherited = next(
            (hints[level] for level in sorted(hints, reverse=True) if level < span.level), None
        )
        hints = {level: hint for level, hint in hints.items() if level < span.level}
        hints[span.level] = _category_from_heading(span.heading) or inherited
        region.append((span, hints[span.level]))
    return region


def _category_from_heading(heading: str | None) -> str | None:
    if not heading:
        return None
    for category, pattern in _CATEGORY_HEADINGS:
        if pattern.search(heading):
            return category
    return None


def extract_reactions(
    body: str,
    spans: Sequence[SectionRecord],
    *,
    country: str | None,
    year: int | None,
    province: str | None = None,
    title: str = "",
    splits: SentenceSplits | None = None,
) -> list[ReactionRecord]:
    context = Context(country, year, province, gazetteer(), body=body)
    if splits is not None:
        context.splits = splits
    reactions: list[ReactionRecord] = []
    region = whole_article_region(spans) if _REACTIONS_ARTICLE.match(title) else None
    regions = region or reaction_region(spans)
    if not regions and spans and spans[0].heading is None:
        # no section of reactions: those the lead reports ("The UN Security Council condemned
        # the attack"), statements with a stance only
        reactions.extend(_lead_reactions(body, spans[0], context))
    for span, hint in regions:
        heading_mention = _heading_actor(span.heading, context)
        previous: Mention | None = None  # who spoke last in this section
        for offset, block in blocks(body, span.start, span.end):
            if block.strip():
                found = _block_reactions(
                    body, offset, block, span, hint, heading_mention, context, previous
                )
                reactions.extend(found)
                previous = _mention_of(found[-1]) if found else previous
    _full_names(reactions, body)
    _speakers_for_their_actor(reactions)
    return reactions


# what a lead says of a reaction, in the words of one: an event's own description ("a war
# crime", "the brutal attack") is not a statement of anyone's
_LEAD_STATEMENT = re.compile(
    r"\b(?:condemn\w*|denounc\w*|deplor\w*|critici[sz]\w*|condolences?|sympath\w*|mourn\w*|"
    r"solidarity|blamed|den(?:ied|ies)\s+(?:any\s+)?(?:responsibility|involvement|having))",
    re.I,
)


def _lead_reactions(body: str, lead: SectionRecord, context: Context) -> list[ReactionRecord]:
    """Reactions in an article's lead, where it has no section of them: a sentence (or clause)
    whose subject is a state, organisation, body or person and that condemns, mourns, blames
    or denies; a mere account of events ("the group claimed the attack") is not one."""
    records: list[ReactionRecord] = []
    for offset, block in blocks(body, lead.start, lead.end):
        prior = ""
        for sentence in (c for s in context.splits.split(block, offset) for c in split_clauses(s)):
            statement = _LEAD_STATEMENT.search(sentence.text)
            if statement is None:
                prior = sentence.text
                continue
            stance = statement_stance(sentence.text)
            mentions = _latter(sentence.text, prior, context) or sentence_mentions(
                sentence.text, context
            )
            prior = sentence.text
            said_before = sentence.text[: statement.start()]
            for mention in mentions:
                # who blamed or condemned is named before the words that say so, never the
                # party blamed ("the armed forces blamed several militant organisations")
                if mention.kind != "unknown" and _named_in(mention, said_before):
                    records.append(_record(mention, sentence, stance, lead, None, context))
    return records


def _named_in(mention: Mention, text: str) -> bool:
    if re.match(r"(?:the\s+)?(?:latter|former)\b", text, re.I):
        return True
    words = {
        w
        for name in (mention.actor, mention.speaker, mention.role)
        for w in re.findall(r"\w[\w'’-]{3,}", name or "")
    }
    return any(re.search(rf"\b{re.escape(w[:5])}", text, re.I) for w in words)


def _latter(clause: str, prior: str, context: Context) -> list[Mention]:
    """ "India blamed Pakistan, while the latter condemned the attack": the actor named last
    (or first, for "the former") in the clause before."""
    match = re.match(r"(?:the\s+)?(latter|former)\b", clause, re.I)
    if match is None or not prior:
        return []
    named = [f for f in context.gaz.names.scan(prior) if f.value.kind != "state_adjective"]
    if not named:
        return []
    found = named[-1] if match.group(1).casefold() == "latter" else named[0]
    return [entity_mention(found.value, context)]


def _speakers_for_their_actor(reactions: list[ReactionRecord]) -> None:
    """ "Foreign Ministry spokesman Bahram Qassemi" spoke for Iran; a later "Mr. Qassemi has
    also said" is Iran speaking again, not a person of their own."""
    spoke_for: dict[str, ReactionRecord] = {}
    for reaction in reactions:
        if reaction.speaker and reaction.actor != reaction.speaker:
            spoke_for.setdefault(reaction.speaker, reaction)
    for reaction in reactions:
        earlier = spoke_for.get(reaction.actor) if reaction.actor_kind == "person" else None
        if earlier is None:
            continue
        reaction.speaker, reaction.role = reaction.actor, reaction.role or earlier.role
        reaction.actor, reaction.actor_kind = earlier.actor, earlier.actor_kind
        reaction.category, reaction.country = earlier.category, earlier.country


def _mention_of(record: ReactionRecord) -> Mention | None:
    """The actor of a statement, for a next paragraph that goes on with "She also said"."""
    if record.actor_kind == "unknown":
        return None
    return Mention(
        actor=record.actor,
        kind=record.actor_kind,
        country=record.country,
        speaker=record.speaker,
        role=record.role,
    )


def _full_names(reactions: list[ReactionRecord], body: str) -> None:
    """ "President Erdoğan" in one statement, "Recep Tayyip Erdoğan" elsewhere in the article:
    a person is grouped under the full name the article gives them. A capitalised word the
    article never gives as anyone's name ("Candy was also handed out") is no one."""
    cache: dict[str, str | None] = {}
    for reaction in list(reactions):
        family = re.fullmatch(r"(\S+)['’]s family", reaction.actor)
        if family is not None:
            # "Locke's parents": the family of the Amir Locke the article names
            full = _full_name(family.group(1), body)
            if full is not None:
                reaction.actor = f"{full}'s family"
            continue
        if reaction.actor_kind != "person" or " " in reaction.actor:
            continue
        surname = reaction.actor
        if surname not in cache:
            cache[surname] = _full_name(surname, body)
        if cache[surname] is None:
            if not _named_mid_sentence(surname, body):
                reactions.remove(reaction)
            continue
        if reaction.speaker == reaction.actor:
            reaction.speaker = cache[surname]
        reaction.actor = cache[surname] or reaction.actor


def _named_mid_sentence(word: str, body: str) -> bool:
    """Whether a capitalised word is a name in the article: capitalised where no sentence
    begins ("the Commission and Karapatan called"), not only as a sentence's first word."""
    return re.search(rf"[a-z,;]\s+{re.escape(word)}\b", body) is not None


def _full_name(surname: str, body: str) -> str | None:
    """The commonest full form of a surname in body, without the titles before it ("Prime
    Minister Sheikh Hasina" gives "Sheikh Hasina")."""
    names = re.findall(rf"\b((?:(?:[A-Z]\.|[A-Z][\w'’-]+) +){{1,4}}){re.escape(surname)}\b", body)
    full = []
    for name in names:
        words = name.split()
        roles = [i for i, word in enumerate(words) if _ROLE_WORD.fullmatch(word.rstrip("."))]
        words = words[roles[-1] + 1 :] if roles else words
        while words and _common_word(words[0], body):
            words = words[1:]  # "Perceiving Scott's family", "As Scott said": not a name
        if words:
            full.append(" ".join([*words, surname]))
    # the commonest form, the longest of those, the first met of those
    return max(full, key=lambda form: (full.count(form), len(form))) if full else None


def _common_word(word: str, body: str) -> bool:
    """A capitalised word the article also writes in lower case ("As", "Perceiving")."""
    lower = word.lower()
    return lower != word and re.search(rf"\b{re.escape(lower)}\b", body) is not None


_ROLE_WORD = re.compile(
    r"\b(?:President|Minister|Prime|Mayor|Governor|Senator|Secretary|General|Chancellor|King|"
    r"Queen|Prince|Leader|Chief|Speaker|Ambassador|Mr|Mrs|Ms|Dr|The|Foreign|Interior)\b"
)


def _heading_actor(heading: str | None, context: Context) -> Mention | None:
    """A subsection named after a state or organisation ("=== France ===")."""
    if not heading:
        return None
    for found in context.gaz.names.scan(heading):
        entity = found.value
        if found.text == heading or found.text == heading.strip():
            return entity_mention(entity, context)
    return None


def _block_reactions(
    body: str,
    offset: int,
    block: str,
    span: SectionRecord,
    hint: str | None,
    heading_mention: Mention | None,
    context: Context,
    previous: Mention | None = None,
) -> list[ReactionRecord]:
    is_item = block.startswith("- ")
    content_offset = offset + (2 if is_item else 0)
    content = block[2:] if is_item else block
    context.hint = hint
    context.block = block
    lost_flag = bool(_LOST_FLAG.match(content)) and is_item
    lead_mention, content_offset, content = _leading_actor(content, content_offset, context)
    records: list[ReactionRecord] = []
    clauses = [c for s in context.splits.split(content, content_offset) for c in split_clauses(s)]
    # the one actor the block names, looked for once per block when first needed (once per
    # clause scanned the whole block again: minutes for a long block, found by make fuzz)
    only_named: list[Mention | None] = []
    for sentence in clauses:
        stance = statement_stance(sentence.text)
        mentions = sentence_mentions(sentence.text, context)
        if not mentions and records and (_CONTINUATION.match(sentence.text) or stance == "other"):
            _extend(records, slice(len(records) - 1, len(records)), sentence, stance, body)
            continue
        if not mentions:
            fallback = lead_mention or heading_mention
            if fallback is None and not records and _PRONOUN.match(sentence.text):
                fallback = previous  # "She also stated, ...": who spoke in the paragraph before
            if fallback is None and (is_item or stance != "other"):
                fallback = _unknown_mention(hint, context)
            if fallback is None:
                continue
            mentions = [fallback]
        elif lead_mention is not None and all(
            m.kind in {"person", "unknown", "body"}
            # "Commonwealth of Nations: Queen Elizabeth II sent a letter": a head of state
            # speaking under an organisation's name speaks for it
            or (lead_mention.kind == "organization" and m.speaker is not None)
            # "EGY – Foreign Minister Ahmed Aboul Gheit ...": the item's state, written
            # there, over the organisation a table knows the speaker for at another time
            or (
                lead_mention.kind == "state"
                and m.kind == "organization"
                and m.speaker is not None
                and not _org_named(m, sentence.text, context)
            )
            for m in mentions
        ):
            # "France – Foreign Minister ... said", "ALG – The Foreign Ministry ...": the item's
            # state speaks through them
            mentions = [_merge(lead_mention, m, context) for m in mentions]
        if lost_flag and lead_mention is None and hint != DOMESTIC:
            # the item's state was lost with its flag: a ministry or an official with no
            # state of their own speaks for a state the text no longer names
            mentions = [_unowned(m, context) for m in mentions]
        mentions = _resolve_unknown(mentions, content, hint, context, only_named)
        if (
            records
            and all(m.kind == "unknown" and m.speaker is None for m in mentions)
            and (any(m.role for m in mentions) or _CONTINUATION.match(sentence.text))
        ):
            # "A Foreign Office spokeswoman said ...", '"...," he said': the item's actor
            # goes on speaking; a statement of its own would be a guess
            _extend(records, slice(len(records) - 1, len(records)), sentence, stance, body)
            continue
        if records and _same_actors(records, mentions):
            _extend(
                records, slice(len(records) - len(mentions), len(records)), sentence, stance, body
            )
            continue
        for mention in mentions:
            records.append(_record(mention, sentence, stance, span, hint, context))
            context.known.append(mention)
    return records


def _org_named(mention: Mention, text: str, context: Context) -> bool:
    """Whether the sentence itself names the organisation a speaker was given."""
    return any(
        f.value.kind == "organization" and mention.actor in {f.value.name, f.text}
        for f in context.gaz.names.scan(text)
    )


def _unowned(mention: Mention, context: Context) -> Mention:
    if mention.kind == "body" and mention.country in (None, context.country):
        return Mention(
            actor="Unknown", kind="unknown", role=mention.role or _own_name(mention, context)
        )
    if mention.kind == "person" and mention.role and mention.country in (None, context.country):
        return Mention(actor="Unknown", kind="unknown", speaker=mention.speaker, role=mention.role)
    return mention


def _resolve_unknown(
    mentions: list[Mention],
    block: str,
    hint: str | None,
    context: Context,
    known: list[Mention | None],
) -> list[Mention]:
    """A statement whose actor was lost with its flag icon, when its own words name the
    only state (or, among organisations, the only organisation) they could be: "Foreign
    Minister ... said, 'Japan strongly condemns ...'". Nothing is guessed: a block naming no
    such actor, or two, stays unknown. known holds the block's one actor once looked for."""
    if not any(m.kind == "unknown" for m in mentions):
        return mentions
    if not known:
        known.append(_only_actor_named(block, hint, context))
    found = known[0]
    if found is None:
        return mentions
    return [
        replace(found, speaker=m.speaker, role=m.role) if m.kind == "unknown" else m
        for m in mentions
    ]


def _only_actor_named(block: str, hint: str | None, context: Context) -> Mention | None:
    wanted = (
        {"organization"} if hint == ORGANIZATIONS else {"state", "state_adjective", "named_body"}
    )
    actors: dict[str, Mention] = {}
    for found in context.gaz.names.scan(block):
        entity = found.value
        if entity.kind not in wanted:
            continue
        if entity.kind != "organization" and (not entity.code or entity.code == context.country):
            continue
        mention = entity_mention(entity, context)
        actors[mention.actor] = replace(mention, role=None)
    return next(iter(actors.values())) if len(actors) == 1 else None


def _extend(
    records: list[ReactionRecord], which: slice, sentence: Sentence, stance: str, body: str
) -> None:
    for record in records[which]:
        record.end = sentence.end
        record.text = body[record.start : record.end]
        record.stance = stronger(record.stance, stance)


def _same_actors(records: list[ReactionRecord], mentions: list[Mention]) -> bool:
    tail = records[-len(mentions) :]
    return len(tail) == len(mentions) and all(
        r.actor == m.actor and r.speaker == (m.speaker or r.speaker)
        for r, m in zip(tail, mentions, strict=True)
    )


def _record(
    mention: Mention,
    sentence: Sentence,
    stance: str,
    span: SectionRecord,
    hint: str | None,
    context: Context,
) -> ReactionRecord:
    return ReactionRecord(
        category=_category(mention, hint, context),
        actor=mention.actor,
        actor_kind=mention.kind,
        speaker=mention.speaker,
        role=mention.role,
        stance=stance,
        text=sentence.text,
        start=sentence.start,
        end=sentence.end,
        section=span.heading,
        country=mention.country,
    )


def _category(mention: Mention, hint: str | None, context: Context) -> str:
    """The subsection's category where there is one, except that an international
    organisation is always under organisations, even listed among "International"."""
    if mention.kind == "organization":
        return ORGANIZATIONS
    if hint == ORGANIZATIONS and mention.kind == "state" and mention.country != context.country:
        return INTERNATIONAL
    if (
        context.country is not None
        and mention.country == context.country
        and (
            (hint == ORGANIZATIONS and mention.kind in {"person", "state"})
            or (hint == INTERNATIONAL and mention.kind == "person")
        )
    ):
        # "French Interior Minister Bernard Cazeneuve said that he would meet EU ministers",
        # under the European Union's heading: the country's own minister speaks at home (a
        # state the article lists among the world's is left where the article puts it)
        return DOMESTIC
    return hint or _infer_category(mention, context)


def _infer_category(mention: Mention, context: Context) -> str:
    if mention.kind == "organization":
        return ORGANIZATIONS
    if mention.kind == "armed_group":
        return DOMESTIC if mention.country and mention.country == context.country else ORGANIZATIONS
    if mention.country and context.country and mention.country != context.country:
        return INTERNATIONAL
    if mention.kind == "state" and mention.country and not context.country:
        return INTERNATIONAL
    return DOMESTIC


def _unknown_mention(hint: str | None, context: Context) -> Mention:
    return Mention(actor="Unknown", kind="unknown")


def _merge(lead: Mention, person: Mention, context: Context) -> Mention:
    own = _own_name(person, context) if person.kind == "body" else None
    role = person.role or own or lead.role
    return replace(lead, speaker=person.speaker or lead.speaker, role=role)


def _own_name(body: Mention, context: Context) -> str:
    """A bare "Foreign Ministry" was given the incident country's name ("Pakistan Foreign
    Ministry"); speaking for another state, or for one the text lost, it is that state's
    ministry, so the name goes back to the words the text wrote."""
    home = context.gaz.state_name(context.country) if context.country else None
    if home and body.actor.startswith(home + " "):
        return body.actor[len(home) + 1 :]
    return body.actor


def _leading_actor(content: str, offset: int, context: Context) -> tuple[Mention | None, int, str]:
    """A list item that starts with its actor ("France – President ... said") or with the
    dash its flag left behind ("– Foreign Minister ... said")."""
    flag = _LOST_FLAG.match(content)
    stripped = content[flag.end() :] if flag else content
    offset += len(content) - len(stripped)
    match = _LEAD_STATE.match(stripped)
    if match:
        name = match.group("name").strip()
        found = context.gaz.names.scan(name)
        if len(found) == 1 and found[0].text == name:
            mention = entity_mention(found[0].value, context)
            rest = stripped[match.end() :]
            return mention, offset + match.end(), rest
        code = context.gaz.state_of_code(name) if re.fullmatch(r"[A-Z]{3}", name) else None
        if code is not None:  # "ALG – The Foreign Ministry ...": the flag became its code
            mention = Mention(
                actor=context.gaz.state_name(code) or code, kind="state", country=code
            )
            return mention, offset + match.end(), stripped[match.end() :]
    # "G8 On behalf of the G8 Canadian Foreign Minister ...": the name its flag stood beside,
    # nothing between it and the statement
    first = context.gaz.names.at_start(stripped[:80])
    gap = _STATEMENT_START.match(stripped, first.end) if first is not None else None
    if first is not None and gap is not None and first.value.kind in {"state", "organization"}:
        mention = entity_mention(first.value, context)
        return mention, offset + gap.end(), stripped[gap.end() :]
    return None, offset, stripped


_STATEMENT_START = re.compile(
    r"\s+(?=(?:On|In|The|A|An|President|Prime|Foreign|Secretary|Minister|Chancellor|King|"
    r"Queen|Pope)\b)"
)
