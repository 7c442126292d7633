"""The infobox of a rendered page copied as text: `Label value` lines (or a label on one
line and its value on the next) between the title and the lead, among image captions and
map labels that are not the article."""

from __future__ import annotations

import re

from viewer.parsing.model import InfoboxEntry, ParsedArticle
from viewer.parsing.text_blocks import TextBlock

# The labels Wikipedia's attack, massacre and conflict infoboxes render (longest first).
_LABELS = sorted(
    [
        "Location",
        "Locations",
        "Coordinates",
        "Date",
        "Dates",
        "Date(s)",
        "Time",
        "Time zone",
        "Timezone",
        "Target",
        "Targets",
        "Target(s)",
        "Attack type",
        "Type",
        "Weapon",
        "Weapons",
        "Weapon(s)",
        "Deaths",
        "Death",
        "Fatalities",
        "Killed",
        "Dead",
        "Non-fatal injuries",
        "Nonfatal injuries",
        "Injuries",
        "Injured",
        "Wounded",
        "Casualties",
        "Victims",
        "Victim",
        "Perpetrator",
        "Perpetrators",
        "Suspected perpetrators",
        "Suspected perpetrator",
        "Alleged perpetrators",
        "Alleged perpetrator",
        "Perpetrator(s)",
        "Assailant",
        "Assailants",
        "Assailant(s)",
        "Attacker",
        "Attackers",
        "Attacker(s)",
        "Motive",
        "Motives",
        "Part of",
        "Accused",
        "Convicted",
        "Convictions",
        "Charges",
        "Verdict",
        "Sentence",
        "Suspect",
        "Suspects",
        "Suspect(s)",
        "Inquiry",
        "Inquiries",
        "Defenders",
        "Defender",
        "No. of participants",
        "Participants",
        "Organisers",
        "Organizers",
        "Duration",
        "Methods",
        "Outcome",
        "Result",
        "Deaths (excluding perpetrators)",
        "Perpetrators killed",
        "Missing",
    ],
    key=len,
    reverse=True,
)
_LABEL = re.compile(
    r"^(?:(?i:(?P<label>" + "|".join(re.escape(label) for label in _LABELS) + r"))"
    r"(?:\s*[:\t|]\s*|\s+|$)"
    # a mirror that runs the label into its value: "Deaths17", "LocationAden, Yemen"
    r"|(?P<glued>" + "|".join(re.escape(label) for label in _LABELS) + r")(?=[A-Z0-9(]))"
)
_REGION = 60  # blocks before the lead to look at
# a locator map's caption, not the Location field: "Location of Dagestan in Russia"
_MAP_CAPTION = re.compile(r"^Locations?\s+(?:of|within)\s+\S.*\s+(?:in|within)\s+\S", re.I)


def _label(text: str) -> re.Match[str] | None:
    return None if _MAP_CAPTION.match(text) else _LABEL.match(text)


def _is_prose(block: TextBlock) -> bool:
    """A heading or a paragraph of sentences: where the box ends."""
    if block.kind == "heading":
        return True
    text = block.text
    return (
        block.kind == "text"
        and len(text) >= 120
        and (bool(re.search(r"[.!?\"”)]$", text)) or ". " in text)
    )


def read_rendered_infobox(
    blocks: list[TextBlock], article: ParsedArticle, title: str
) -> list[TextBlock]:
    """Take a rendered infobox off the front of the blocks into article.infobox."""
    end = next((i for i, b in enumerate(blocks[:_REGION]) if _is_prose(b)), None)
    if end is None:  # a box with no prose after it (the end of a mirror's excerpt)
        end = min(len(blocks), _REGION)
        if _labels(blocks[:end]) < 2:
            return blocks
    if _labels(blocks[:end]) < 2:
        # some mirrors put the box after the first paragraph of the lead
        after = next((i for i, b in enumerate(blocks[end + 1 : _REGION]) if _is_prose(b)), None)
        stop = end + 1 + (after if after is not None else len(blocks[end + 1 : _REGION]))
        if _labels(blocks[end + 1 : stop]) < 2:
            return blocks
        lead = blocks[: end + 1]
        rest = read_rendered_infobox(blocks[end + 1 :], article, title)
        return lead + rest
    region = blocks[:end]
    labelled = [i for i, b in enumerate(region) if b.kind == "text" and _label(b.text)]
    entries: list[InfoboxEntry] = []
    for position, index in enumerate(labelled):
        block = region[index]
        match = _label(block.text)
        assert match is not None
        label = match.group("label") or match.group("glued")
        value_lines = [block.text[match.end() :].strip()]
        stop = labelled[position + 1] if position + 1 < len(labelled) else len(region)
        for follower in region[index + 1 : stop]:
            if follower.kind != "text" or _is_caption(follower.text, title):
                continue
            # A label alone takes the lines under it; after an inline value only a wrapped
            # part of it ("around 22:30 (BST)") follows, not the image captions of the box.
            if value_lines[0] and not re.match(r"^[a-z(\[0-9]", follower.text):
                break
            value_lines.append(follower.text)
        value = "\n".join(line for line in value_lines if line)
        if value:
            entries.append(InfoboxEntry(label, value))
    article.infobox.extend(entries)
    return blocks[end:]


def is_label_line(line: str) -> bool:
    """A line that starts with an infobox label ("Deaths 23", "LocationAden")."""
    return _label(line) is not None


def _labels(blocks: list[TextBlock]) -> int:
    return sum(1 for b in blocks if b.kind == "text" and _label(b.text))


def _is_caption(text: str, title: str) -> bool:
    """Map labels and the title repeated inside the box: not a value."""
    folded = text.casefold()
    return (
        folded == title.casefold()
        or " is located in " in folded
        or folded.startswith(("show map of", "location map", "locator map"))
    )
