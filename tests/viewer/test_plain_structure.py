"""Structure recovered from plain, markdown and rendered copies of real articles (the
shapes of tests/fixtures/corpus): headings, nesting, lists, title, infobox, apparatus."""

from __future__ import annotations

import pytest

from viewer.extraction.facts import extract_facts
from viewer.parsing.plain_text import parse_plain_text

# The shape of a plain-text dump of a whole article (chinapedia/wikipedia.abstract.en):
# no title line, the name in capitals in the first sentence, bare headings, flag icons lost
# from the reaction items, citation markers, a reference list and category lines.
SANAA = """The OCTOBER 2016 SANA'A FUNERAL AIRSTRIKE took place on the afternoon of 8 October 2016 \
when 155 people were killed and at least 525 more wounded when two airstrikes hit the packed \
Al Kubra hall in Sana'a, Yemen during a funeral.[1] The Saudi-led coalition initially denied \
responsibility but then took responsibility.[4][5]


Reactions

Domestic

Thousand of Yemenis marched in the capital city on 9 October to protest the air raid.[10]

International

-   - Secretary-General Ban Ki-moon called the attack an outrageous violation of \
international humanitarian law.[11][12]

-   - After initially denying it was involved, the country later admitted it had ordered the \
airstrikes.[13]

-   - Despite its alliance with Saudi Arabia, the US condemned the attack. White House National \
Security Spokesman Ned Price said the country had launched an "immediate review".[14]

Non-governmental organisations

-   Amnesty International spokesperson Sunjeev Bery said: "The Saudi-led coalition has wreaked \
devastation."[18]


References

Category:2016 in Yemen Category:Airstrikes

[1]

[14] https://www.bbc.co.uk/news/world-middle-east-37598413
"""


def test_plain_copy_recovers_title_headings_nesting_and_apparatus_without_its_lines() -> None:
    article = parse_plain_text(SANAA, "2016-sanaa-funeral-airstrike")
    assert article.title == "October 2016 Sana'a funeral airstrike"
    headings = [(s.heading, s.level) for s in article.sections if s.heading]
    assert headings == [
        ("Reactions", 2),
        ("Domestic", 3),
        ("International", 3),
        ("Non-governmental organisations", 3),
        ("References", 2),  # kept as the article has it; its reference lines are not text
    ]
    assert article.sections[-1].blocks == []
    body, _ = article.layout()
    assert "[1]" not in body and "[14]" not in body and "Category:" not in body
    international = next(s for s in article.sections if s.heading == "International")
    # the flag icon (and the state it named) was lost: the item keeps a dash in its place
    assert international.blocks[0].startswith("- – Secretary-General Ban Ki-moon called")


def test_plain_copy_gives_reactions_facts_and_never_guesses_a_lost_flag() -> None:
    article = parse_plain_text(SANAA, "2016-sanaa-funeral-airstrike")
    body, spans = article.layout()
    facts = extract_facts(article, body, spans)
    assert (facts.date_start, facts.fatalities.min, facts.injuries.min) == ("2016-10-08", 155, 525)
    assert facts.injuries.open_ended and facts.country == "Yemen"
    assert [(p.name, p.suspected) for p in facts.perpetrators] == [("Saudi-led coalition", False)]
    assert (
        facts.perpetrators[0].evidence and "took responsibility" in facts.perpetrators[0].evidence
    )
    actors = {(r.actor, r.category) for r in facts.reactions}
    assert ("United Nations", "organizations") in actors  # under "International", still an org
    assert ("United States", "international") in actors  # "the US" from the sentence
    assert ("Amnesty International", "organizations") in actors
    assert ("Saudi Arabia", "international") not in actors  # 'the country': not named, not guessed
    unknown = [r for r in facts.reactions if r.actor == "Unknown"]
    assert any("the country later admitted" in r.text for r in unknown)
    for reaction in facts.reactions:
        assert body[reaction.start : reaction.end] == reaction.text


RENDERED = """2017 Hayatabad suicide bombing

From Wikipedia the free encyclopedia

On 15 February 2017, a suicide bomber targeted a government van carrying civil judges in \
Hayatabad. The attack was claimed by Tehrik-i-Taliban Pakistan.

2017 Hayatabad suicide bombing
Part of the War in North-West Pakistan
Peshawar is in red color
LocationHayatabad, Peshawar, Pakistan
TargetJudges
Attack type
Suicide attack
Deaths2 (+ 1 attacker)
Injured12
PerpetratorsTehrik-i-Taliban Pakistan
This article is issued from Wikipedia. The text is licensed under Creative Commons.
"""


def test_rendered_mirror_copy_infobox_after_the_lead_with_labels_run_into_values() -> None:
    article = parse_plain_text(RENDERED, "2017-hayatabad-suicide-bombing")
    assert article.title == "2017 Hayatabad suicide bombing"
    infobox = {entry.key: entry.value for entry in article.infobox}
    assert infobox["Location"] == "Hayatabad, Peshawar, Pakistan"
    assert infobox["Attack type"] == "Suicide attack"
    assert infobox["Deaths"] == "2 (+ 1 attacker)"
    body, spans = article.layout()
    assert "From Wikipedia" not in body and "issued from Wikipedia" not in body
    facts = extract_facts(article, body, spans)
    assert (facts.fatalities.min, facts.perpetrators_killed.min) == (3, 1)
    assert [p.name for p in facts.perpetrators] == ["Tehrik-i-Taliban Pakistan"]


def test_a_locator_maps_caption_is_not_the_location_field() -> None:
    text = (
        "2012 Makhachkala attack\n\nFrom Wikipedia, the free encyclopedia\n"
        "2012 Makhachkala attack\nDagestan in Russia.svg\nLocation of Dagestan in Russia\n"
        "Russia Dagestan location map.svg\nLocation of Makhachkala in Dagestan\n"
        "Location Makhachkala, Dagestan, Russia\nDate 3 May 2012\nWeapons Bomb\nDeaths 13\n\n"
        "The 2012 Makhachkala attack occurred on 3 May 2012 after two suicide bombers detonated "
        "explosive-filled cars near a traffic police checkpoint in Makhachkala.\n"
    )
    article = parse_plain_text(text, "2012-makhachkala-attack")
    infobox = {entry.key: entry.value for entry in article.infobox}
    assert infobox["Location"] == "Makhachkala, Dagestan, Russia"
    body, spans = article.layout()
    terms = extract_facts(article, body, spans).terms
    # the infobox's places (then the site the lead names), never the map's caption
    places = [t.value for t in terms if t.kind == "place"]
    assert places == ["Makhachkala", "Dagestan", "Russia", "police checkpoint"]


MARKDOWN = """---
title: "2022 Istanbul bombing"
---

# Internal reactions

## Government politicians

Health Minister Fahrettin Koca said the victims were being treated in the hospitals nearby.

## Civil reactions

The Turkish Football Federation (TFF) announced that the match was postponed.

# International reactions

Condolences were also offered by international organizations such as the European Council, \
North Atlantic Treaty Organization and Organization of Turkic States.
"""


def test_markdown_copy_headings_front_matter_and_listed_organisations() -> None:
    article = parse_plain_text(MARKDOWN, "2022_Istanbul_bombing")
    assert article.title == "2022 Istanbul bombing"
    assert [(s.heading, s.level) for s in article.sections if s.heading] == [
        ("Internal reactions", 1),
        ("Government politicians", 2),
        ("Civil reactions", 2),
        ("International reactions", 1),
    ]
    body, spans = article.layout()
    facts = extract_facts(article, body, spans)
    actors = {(r.actor, r.category) for r in facts.reactions}
    assert ("Fahrettin Koca", "domestic") in actors
    assert ("Turkish Football Federation", "domestic") in actors  # the body, not Turkey
    assert {"European Union", "North Atlantic Treaty Organization"} <= {a for a, _ in actors}


def test_flag_turned_into_its_olympic_code_names_the_state() -> None:
    text = (
        "International reactions to the assassination of X\n\n"
        "Africa\n\n- ALG – The Foreign Ministry condemned the odious terrorist operation.\n"
        "- – The Foreign Ministry released a statement condemning the attack.\n"
    )
    article = parse_plain_text(text, "reactions")
    body, spans = article.layout()
    reactions = extract_facts(article, body, spans).reactions
    assert [(r.actor, r.stance) for r in reactions] == [
        ("Algeria", "condemned"),
        ("Unknown", "condemned"),
    ]


def _perpetrators(lead: str, extra: str = "") -> list[tuple[str, bool]]:
    text = f"Test incident\n\n{lead}\n\n{extra}\n" if extra else f"Test incident\n\n{lead}\n"
    article = parse_plain_text(text, "test-incident")
    body, spans = article.layout()
    return [(p.name, p.suspected) for p in extract_facts(article, body, spans).perpetrators]


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        # an age in words, a description between age and name, the name whole
        ("Sixteen-year-old Dana Miller shot two pupils at the school.", "Dana Miller"),
        ("A 51-year-old Black separatist Carl Owen Ross opened fire in a bar.", "Carl Owen Ross"),
        ("The gunman was identified as 68-year-old Van Duc Lam.", "Van Duc Lam"),
        # an apposition between the name and what the person did
        (
            "The raid began when Pekka Antero Vaara, a local man, shot four people.",
            "Pekka Antero Vaara",
        ),
        ("It was a night in which Tom Ridge, a farmhand, killed three neighbours.", "Tom Ridge"),
        # killed by a named officer
        (
            "Ann Lee, 30, was shot and killed by police officer Ray John Hart in Tulsa.",
            "Ray John Hart",
        ),
        (
            "He was fatally shot on 2 May in Dayton, Ohio by Lloyd Banks, a detective.",
            "Lloyd Banks",
        ),
        ("In 2019 the court convicted Omar Saleh of the murder.", "Omar Saleh"),
        # what the attacker did between the noun and the name
        (
            "The perpetrator in both shootings, identified as 46-year-old Dale Mott of Ames, "
            "was apprehended by police hours later.",
            "Dale Mott",
        ),
    ],
)
def test_a_named_attacker_in_the_shapes_real_leads_use(lead: str, expected: str) -> None:
    assert _perpetrators(lead) == [(expected, False)]


def test_a_surname_alone_is_the_person_the_article_names_in_full() -> None:
    lead = "A man attacked passengers on a train. In 2023 Harlow was sentenced to life."
    body = "Background\n\nPeter Quentin Harlow was born in 1960 and worked as a driver."
    assert _perpetrators(lead, body) == [("Peter Quentin Harlow", False)]
    # surname first: the article's own order is kept
    lead = (
        "A man killed 12 neighbours. Suspect Wu Jianfeng was arrested. Wu was sentenced to death."
    )
    assert _perpetrators(lead) == [("Wu Jianfeng", False)]


def test_a_killing_by_an_object_or_a_group_names_no_person() -> None:
    assert _perpetrators("Three were killed by a roadside bomb in Kabul.") == []
    assert _perpetrators("Two soldiers were shot by Islamic State fighters near the border.") == [
        ("Islamic State", False)
    ]


def test_the_address_a_victim_came_from_places_the_incident_where_nothing_else_does() -> None:
    lead = (
        "JANE ROE, a 20-year-old nurse from Rottweil am Neckar, Baden-Württemberg, Germany, "
        "was found dead on 3 May 2015. The man convicted had earlier served a term in Austria."
    )
    article = parse_plain_text(f"{lead}\n", "murder-of-jane-roe")
    body, spans = article.layout()
    facts = extract_facts(article, body, spans)
    assert facts.country == "Germany"  # not Austria, named later for another crime
    # where the lead says where it happened, that wins over an address
    lead = "A man from Lyon, Rhône, France, opened fire in Geneva, Switzerland on 1 May 2015."
    article = parse_plain_text(f"Test incident\n\n{lead}\n", "test-incident")
    body, spans = article.layout()
    assert extract_facts(article, body, spans).country == "Switzerland"


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        # the subject of "believed to be behind / may be responsible", an apposition between
        (
            "No group claimed it, but militant group Boko Haram - who raided the town twice "
            "before - are believed to be responsible.",
            [("Boko Haram", True)],
        ),
        ("Analysts said the terror group al-Shabaab may be responsible.", [("Al-Shabaab", True)]),
        (
            "Police said the Palestine Liberation Organisation was behind the attack.",
            [("Palestine Liberation Organization", True)],
        ),
        (
            "It is believed that the Pakistan-based Lashkar-e-Taiba was behind the blasts.",
            [("Lashkar-e-Taiba", True)],
        ),
        # the name after a description and a comma
        (
            "The responsibility was claimed by the Pakistan-based Islamist terrorist group, "
            "Jaish-e-Mohammed.",
            [("Jaish-e-Mohammed", False)],
        ),
        # a claim with a dash apposition; a group's branch
        (
            "Hizbul Ahrar - a splinter group of Jamaat-ul-Ahrar- claimed responsibility.",
            [("Hizbul Ahrar", False)],
        ),
        # the claimant named after the claim; a group taking hostages; a group's members
        # described; a group deciding to attack; a suspicion "assumed that X carried out"
        (
            "The group who claimed responsibility for the attack was the Al-Shabaab.",
            [("Al-Shabaab", False)],
        ),
        (
            "The attack was one in which the Palestinian terrorist group Black September took "
            "eleven Israeli team members hostage and killed them.",
            [("Black September", False)],
        ),
        (
            "White Klan members attacked a Republican rally, killing as many as four.",
            [("Ku Klux Klan", False)],
        ),
        (
            "Harkat-ul-Jihad al-Islami, who were patronized by Jammat, decided to attack the MP.",
            [("Harkat-ul-Jihad al-Islami", False)],
        ),
        (
            "It is assumed that the Barisan Revolusi Nasional carried out the attacks.",
            [("Barisan Revolusi Nasional", True)],
        ),
        # a police force as the agent of the killing; police killing the attackers is not
        (
            "The massacre was the killing of two landless farmers by military police in 2005.",
            [("military police", False)],
        ),
        ("Three gunmen were killed by police after a siege.", []),
        # what a group does habitually is not what it did here: the suspicion stands
        (
            "Security forces believe the perpetrators to be Boko Haram. Boko Haram have "
            "attacked Maiduguri more often than any other settlement.",
            [("Boko Haram", True)],
        ),
        # a hedge about something else later in the sentence
        (
            "Four officers were killed when the Provisional IRA exploded a van bomb at "
            "Bessbrook, County Armagh, believed to be the largest bomb used by the IRA.",
            [("Provisional Irish Republican Army", False)],
        ),
        (
            "Four officers were killed when the Provisional IRA reportedly exploded a van bomb.",
            [("Provisional Irish Republican Army", True)],
        ),
        # suspicion by hallmarks, by a list of suspects
        (
            "Police said the blast bears the hallmarks of the Kurdistan Workers Party (PKK).",
            [("Kurdistan Workers' Party", True)],
        ),
        (
            "The army blamed several groups, such as the Abu Sayyaf and Jemaah Islamiyah.",
            [("Abu Sayyaf", True), ("Jemaah Islamiyah", True)],
        ),
    ],
)
def test_suspects_and_claimants_in_the_shapes_real_leads_use(
    lead: str, expected: list[tuple[str, bool]]
) -> None:
    assert _perpetrators("A bomb exploded in a market. " + lead) == expected


def test_a_claim_in_the_account_of_the_attack_confirms_the_lead_or_stands_alone() -> None:
    # the lead suspects, the account of the attack says who claimed it
    lead = "Gunmen attacked a shrine. The Taliban are believed to be behind the attack."
    assert _perpetrators(lead, "Attack\n\nThe Taliban claimed the attack a day later.") == [
        ("Taliban", False)
    ]
    # the only word on who did it is in the aftermath
    lead = "A suicide bomber killed four people at the airfield."
    body = "Aftermath\n\nThe Taliban claimed responsibility for the bombing in a statement."
    assert _perpetrators(lead, body) == [("Taliban", False)]
    # a claim in the background is another attack's
    body = "Background\n\nThe Taliban claimed responsibility for an attack there in 2012."
    assert _perpetrators(lead, body) == []


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        ("The base was attacked by Russian forces on 13 March.", [("Russian forces", False)]),
        (
            "At night the Ukrainian Ground Forces launched a rocket strike on the school.",
            [("Ukrainian Ground Forces", False)],
        ),
        (
            "Egyptian security forces who came to clear the square, opened fire on the crowd.",
            [("Egyptian security forces", False)],
        ),
        (
            "The UN accused the Syrian government of carrying out the air strike.",
            [("Syrian government", True)],
        ),
        (
            "The killing of General Amir Rostami in Iraq by the United States drew protests.",
            [("United States", False)],
        ),
        # what a group does habitually, the answer to the attack and its victims are not it
        ("The city is frequently attacked by the Taliban.", []),
        ("In response, Egyptian forces killed 15 militants near the border.", []),
        ("Forty Ukrainian soldiers were killed and 134 were injured.", []),
        ("The blasts targeted shops owned by Buddhists.", []),
    ],
)
def test_a_state_acting_by_its_forces_and_what_is_not_an_attack(
    lead: str, expected: list[tuple[str, bool]]
) -> None:
    assert _perpetrators(lead) == expected


def test_a_state_that_opens_the_sentence_doing_the_attack_itself() -> None:
    lead = "Iraq, on June 28, 1987, dropped what were thought to be gas bombs on the town."
    assert _perpetrators(lead) == [("Iraq", False)]
    assert _perpetrators("Iraq condemned the bombing of the town.") == []


def test_the_place_a_title_names_with_accents_the_lead_leaves_out() -> None:
    text = (
        "November 2016 Diyarbakır bombing\n\nA car bomb went off on 4 November. Media "
        "reported an explosion in Diyarbakir. The bomb killed at least 11 people.\n"
    )
    article = parse_plain_text(text, "november-2016-diyarbakir-bombing")
    body, spans = article.layout()
    facts = extract_facts(article, body, spans)
    assert [t.value for t in facts.terms if t.kind == "place"] == ["Diyarbakir"]


def test_a_mirror_quotation_box_ends_the_page_and_quotes_do_not_place_it() -> None:
    text = (
        "2007 Al-Khilani Mosque Bombing - Reactions\n\nReactions\n\n"
        "Prime Minister Nouri al-Maliki condemned the attack.\n\n"
        "The toll was “a sign of the months before the U.S. crackdown”. A spokesman for the "
        "U.S. military said the bombing in central Baghdad showed the enemy's intent.\n\n"
        "Famous quotes containing the word reactions:\n\n"
        "    We have all had reactions we did not choose.\n    James Baldwin (1924–1987)\n"
    )
    article = parse_plain_text(text, "x")
    assert article.title == "2007 Al-Khilani Mosque bombing"
    body, spans = article.layout()
    assert "Baldwin" not in body
    facts = extract_facts(article, body, spans)
    assert facts.country == "Iraq"  # where it happened, not the state the text names first
    first = facts.reactions[0]
    assert (first.actor, first.category) == ("Nouri al-Maliki", "domestic")


def test_an_attacker_named_in_the_account_of_the_attack_where_the_lead_names_none() -> None:
    from viewer.parsing.archive_text import parse_archive_text

    article = parse_archive_text(
        "= Festival bombing =\n\nBombs exploded at a cultural festival, killing ten people.\n\n"
        "== Background ==\nIn 1995 Harkat-ul-Jihad al-Islami carried out attacks in the north.\n\n"
        "== Attack ==\nThe attacks were carried out by Harkat-ul-Jihad al-Islami Bangladesh. In "
        "the gun battle the militants were killed and the hostages were freed by the army.\n"
    )
    body, spans = article.layout()
    found = [(p.name, p.suspected) for p in extract_facts(article, body, spans).perpetrators]
    assert found == [("Harkat-ul-Jihad al-Islami", False)]


def test_a_day_range_whose_dash_the_copy_lost_and_a_date_only_the_title_gives() -> None:
    text = (
        "ZAGAJE MASSACRE was a mass murder carried out on 1112 July 1943 by the troops of the "
        "insurgent army.\n"
    )
    article = parse_plain_text(text, "zagaje-massacre")
    body, spans = article.layout()
    facts = extract_facts(article, body, spans)
    assert (facts.date_start, facts.date_end, facts.date_text) == (
        "1943-07-11",
        "1943-07-12",
        "1112 July 1943",
    )
    text = (
        "29 October 2005 Delhi Bombings - World Reaction\n\nWorld Reaction\n\n"
        "The bombings were condemned.\n"
    )
    article = parse_plain_text(text, "x")
    body, spans = article.layout()
    assert extract_facts(article, body, spans).date_start == "2005-10-29"


@pytest.mark.parametrize(
    ("lead", "places"),
    [
        (
            "On 1 July 2014 a van bomb exploded in Maiduguri, Borno State, northeastern Nigeria, "
            "killing 56 people.",
            ["Maiduguri", "Borno State", "Nigeria"],
        ),
        (
            "Rockets struck a school in Makiivka, Donetsk Oblast, during the night.",
            ["Makiivka", "Donetsk Oblast"],
        ),
    ],
)
def test_the_town_with_its_province_as_the_lead_gives_them(lead: str, places: list[str]) -> None:
    article = parse_plain_text(f"Test attack\n\n{lead}\n", "test-attack")
    body, spans = article.layout()
    facts = extract_facts(article, body, spans)
    assert [t.value for t in facts.terms if t.kind == "place"] == places


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        # the agent after a comma, after "militants of", after a date
        (
            "The massacre was the killing of thousands of refugees in Mirpur of Azad Kashmir, "
            "by armed Pakistani tribesmen during the war.",
            [("Pakistani tribesmen", False)],
        ),
        (
            "Four members of a church were taken and killed by militants of the Russian "
            "Orthodox Army.",
            [("Russian Orthodox Army", False)],
        ),
        (
            "The massacre was carried out on 11 July 1943 by the troops of the Ukrainian "
            "Insurgent Army group Piwnicz.",
            [("Ukrainian Insurgent Army", False)],
        ),
        (
            "It was a war crime perpetrated by members of the 1st Mountain Division of the "
            "Wehrmacht Heer. The village was chosen for reprisals due to the killing of an "
            "officer by members of the Greek Resistance.",
            [("1st Mountain Division of the Wehrmacht Heer", False)],
        ),
    ],
)
def test_the_agent_of_the_killing_as_longer_leads_name_it(
    lead: str, expected: list[tuple[str, bool]]
) -> None:
    assert _perpetrators(lead) == expected
