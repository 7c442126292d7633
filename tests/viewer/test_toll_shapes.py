"""Tolls in the shapes real articles write them when no infobox gives them: ranges, numbers
in words, who was among the dead between commas, a toll that later rose, the attacker's own
death. Every sentence is quoted from a real article (tests/fixtures/corpus names its source)."""

from __future__ import annotations

import pytest

from viewer.extraction.attackers import attackers_killed
from viewer.extraction.facts import extract_facts
from viewer.extraction.lead_tolls import lead_tolls
from viewer.parsing.plain_text import parse_plain_text


@pytest.mark.parametrize(
    ("lead", "killed", "injured"),
    [
        # a range is one toll, low to high
        (
            "Coalition bombed Syrian troops in the city resulting in the deaths of between 90 "
            "and 106 Syrian Arab Army soldiers.",
            (90, 106, False),
            (None, None, False),
        ),
        (
            "Between 400 and 500 deaths and 300 injuries were reported by the Ukrainian army.",
            (400, 500, False),
            (300, 300, False),
        ),
        # tens and units in words are one number, not a range from forty down to five
        ("Forty-five other people were injured.", (None, None, False), (45, 45, False)),
        # who was among them, between commas; an abbreviation among the words before the verb
        (
            "Three more Indian soldiers, including an officer, were killed in the rescue "
            "operation.",
            (3, 3, False),
            (None, None, False),
        ),
        (
            "Four U.S. citizens were killed (2 soldiers and 2 contractors, while at least 17 "
            "others were injured, including 16 Americans and 1 Polish citizen.",
            (4, 4, False),
            (17, 17, True),
        ),
        # a later figure replaces the first
        (
            "Four U.S. citizens were killed (2 soldiers and 2 contractors. One injured Soldier "
            "died a month later from complications due to injuries sustained in the blast "
            "raising the total killed to 5.",
            (5, 5, False),
            (1, 1, False),
        ),
        (
            "On March 7, 2015, a suicide bomber blew himself up on a cycle rickshaw near a fish "
            "market in Maiduguri in northeast Nigeria, and killed at least 10 people. On March "
            "8, 2015, the death toll increased to 58, according to Nigerian police.",
            (58, 58, False),
            (None, None, False),
        ),
        # a lower figure later is not an update
        (
            "Ukrainian officials claimed that the attack killed 400 Russian troops, while "
            "Russian officials initially confirmed that 63 troops were killed, but raised the "
            "death toll to 89 two days later.",
            (400, 400, False),
            (None, None, False),
        ),
    ],
)
def test_ranges_words_appositions_and_updates(
    lead: str, killed: tuple[object, ...], injured: tuple[object, ...]
) -> None:
    fatalities, injuries, _ = lead_tolls(lead)
    assert (fatalities.min, fatalities.max, fatalities.open_ended) == killed
    assert (injuries.min, injuries.max, injuries.open_ended) == injured


def _tolls(lead: str) -> tuple[object, ...]:
    article = parse_plain_text(f"Test incident\n\n{lead}\n", "test-incident")
    body, spans = article.layout()
    facts = extract_facts(article, body, spans)
    return facts.fatalities.min, facts.perpetrators_killed.min


def test_the_attacker_dead_by_his_own_hand_is_counted_among_the_dead() -> None:
    lead = (
        "On January 21, 2023, a mass shooting occurred in Monterey Park, California, United "
        "States. The gunman killed eleven people and injured nine others. The perpetrator was "
        "identified as 72-year-old Huu Can Tran. He died from a self-inflicted gunshot wound "
        "during a standoff with police in Torrance the next day."
    )
    assert _tolls(lead) == (12, 1)
    # "he" with no attacker in the sentence before is not the attacker
    lead = (
        "On January 21, 2023, a mass shooting occurred in Monterey Park. The gunman killed "
        "eleven people. A witness was interviewed. He died from a self-inflicted gunshot wound."
    )
    assert _tolls(lead) == (11, None)
    # victims' suicides are not the attackers'
    lead = (
        "Many number of women committed mass suicide by consuming poison before falling into "
        "the hands of the militants, to avoid rape and abduction. Men also committed suicide."
    )
    assert _tolls(lead)[1] is None


def test_the_attacker_killed_after_a_run_of_other_acts() -> None:
    account = (
        "Police on motorcycles gave chase as the gunman fled to the nearby predominately Arab "
        "Sheikh Jarrah neighborhood where he shot and wounded two police officers and was "
        "subsequently killed in a shootout with police."
    )
    assert attackers_killed("", [("Attack", account)]).min == 1
    # "and" then another subject is not the attacker killed
    account = "Two gunmen stormed the hotel and ten guests were killed."
    assert attackers_killed("", [("Attack", account)]).min is None


def test_no_one_killed_is_none_killed_and_a_toll_put_at_a_figure() -> None:
    lead = (
        "Although no one died, 29 people were injured; ten victims were hit by direct "
        "gunfire, while the remaining injuries were from smoke inhalation."
    )
    fatalities, injuries, _ = lead_tolls(lead)
    assert (fatalities.min, fatalities.max, injuries.min) == (0, 0, 29)
    lead = "No one died or was injured, although it caused serious material damage."
    assert lead_tolls(lead)[0].max == 0
    fatalities = lead_tolls("The estimates measure the death toll at over 20,000.")[0]
    assert (fatalities.min, fatalities.open_ended) == (20000, True)


def test_a_battle_infobox_gives_the_losses_the_text_does_not() -> None:
    from viewer.parsing.wikitext import parse_wikitext

    text = (
        "{{Infobox military conflict\n|conflict=Battle of Lyme Bay\n|date=28 April 1944\n"
        "|casualties1=746 killed<br/>~200 wounded<br/>2 LSTs sunk<br/>2 LSTs damaged\n"
        "|casualties2=none\n}}\n'''Exercise Tiger''' was a large-scale rehearsal.\n"
    )
    article = parse_wikitext(text, title="Exercise Tiger")
    body, spans = article.layout()
    facts = extract_facts(article, body, spans)
    assert (facts.fatalities.min, facts.injuries.min) == (746, 200)
    # a side's bare figure (killed and wounded together) is not counted
    text = text.replace("746 killed<br/>~200 wounded<br/>", "98<br/>")
    article = parse_wikitext(text, title="Exercise Tiger")
    body, spans = article.layout()
    facts = extract_facts(article, body, spans)
    assert (facts.fatalities.min, facts.injuries.min) == (None, None)


def test_an_attacker_caught_alive_is_none_killed() -> None:
    # an age before the noun, the name between commas
    account = (
        "The 28 year old attacker, Iftekhar Hasan Al Mamun, was captured injured by the bystanders."
    )
    assert attackers_killed("", [("Attacker", account)]).min == 0
    # a Death section tells the killing of one person
    account = (
        "On the morning of 25 September 2016, Hattar was shot to death by a gunman near the "
        "Palace of Justice in the capital Amman.\nThe gunman was arrested at the scene."
    )
    assert attackers_killed("", [("Death", account)]).min == 0
    assert attackers_killed("", [("Legacy", account)]).min is None


def test_wounds_suffered_are_injuries() -> None:
    lead = (
        "Two of them suffered stab wounds, while the third was physically assaulted but "
        "otherwise uninjured."
    )
    injuries = lead_tolls(lead)[1]
    assert (injuries.min, injuries.max) == (2, 2)


def test_a_later_report_replaces_the_initial_count() -> None:
    lead = (
        "According to Ukrainian officials, the military facility was hit by 30 Russian "
        "missiles, with initial reports stating between 35 and more than 40 Ukrainian "
        "soldiers were killed and 134 others were injured. Later, the Ukrainian police "
        "confirmed 61 people were killed and 160 were injured."
    )
    fatalities, injuries, _ = lead_tolls(lead)
    assert (fatalities.min, fatalities.max, injuries.min) == (61, 61, 160)
    # a later act is not a later count
    lead = lead.split(" Later,")[0] + " Later, Russian missiles hit 20 buildings."
    assert lead_tolls(lead)[0].min == 40


def test_one_named_death_of_the_incident_and_the_attackers_killed_apart() -> None:
    lead = (
        "Between 23 and 24 September 2023, Serb militants initiated an attack on Kosovo police "
        "as they responded to a situation where trucks lacking license plates were blocking "
        "a bridge in Banjska. This incident resulted in the death of Kosovar sergeant Afrim "
        "Bunjaku, who was posthumously honored with the Hero of Kosovo order. During this "
        "operation, three of the militants were killed, and a significant cache of weaponry "
        "was confiscated."
    )
    assert _tolls(lead) == (4, 3)
    # one death among many of a series is not its toll
    lead = (
        "According to Ukraine, these attacks resulted in the death of the Russian general "
        "Yakov Rezantsev of the 49th Combined Arms Army on 24 March."
    )
    assert lead_tolls(lead)[0].min is None


def test_counts_of_each_kind_of_victim_are_one_toll() -> None:
    lead = (
        "PDT on the same day, Cetin walked into a Macy's store at Cascade Mall with a stolen "
        "rifle and opened fire, killing four women and one man."
    )
    assert lead_tolls(lead)[0].min == 5
    lead = (
        "He first killed a woman near some clothing racks, then approached a cosmetics "
        "counter, where he killed one man and three women."
    )
    assert lead_tolls(lead)[0].min == 4
    # what follows "and" is the injured, not more dead
    lead = "A bomber struck a bank, killing at least 33 people and injuring another 100."
    assert lead_tolls(lead)[0].min == 33


def test_the_death_of_a_person_is_one_death() -> None:
    lead = (
        "The Battle of Barking Creek was a friendly fire incident that happened on 6 September "
        "1939, resulting in the first death of a British fighter pilot in the Second World War."
    )
    assert lead_tolls(lead)[0].min == 1
    lead = (
        "According to court documents, a mass shooting near Normandale Park resulted in the "
        "death of one demonstrator and injured four."
    )
    assert lead_tolls(lead)[0].min == 1


def test_the_execution_of_an_operation_is_the_account_of_its_toll() -> None:
    text = (
        "Operation Wikinger\n\nOperation Wikinger was a sortie into the North Sea by German "
        "World War II destroyers (1st Destroyer Flotilla) of the Kriegsmarine, in February "
        "1940.\n\nExecution\n\n"
        "There were no survivors from Max Schultz and only 60 from Leberecht Maass: in all, "
        "578 German sailors died.\n"
    )
    article = parse_plain_text(text, "operation-wikinger")
    body, spans = article.layout()
    assert extract_facts(article, body, spans).fatalities.min == 578


def test_a_named_attacker_killed_after_his_own_acts() -> None:
    lead = (
        "The JIM JUMPER MASSACRE, or BLUEFIELDS MASSACRE was an incident in 1889 at a Seminole "
        "Indian camp northeast of Lake Okeechobee, in St. Lucie County, Florida, United "
        "States, in which Jim Jumper, a bi-racial Seminole, killed several Seminoles, and was "
        "then killed by another Seminole."
    )
    assert attackers_killed(lead, [], ["Jim Jumper"]).min == 1
    # what he did to others is not his fate
    lead = (
        "Details of the attack vary, but Jumper entered the Snake Clan camp and shot and "
        "killed several people."
    )
    assert attackers_killed(lead, [], ["Jim Jumper"]).min is None


def test_two_counts_before_one_verb_are_one_toll() -> None:
    lead = (
        "On November 26, 1990 an Egyptian border guard crossed into Israel and attacked "
        "several vehicles along the Highway 12 road. 3 Israeli soldiers and 1 civilian were "
        "killed."
    )
    assert lead_tolls(lead)[0].min == 4
    lead = (
        "Joshua Konyi, the commissioner of Pibor County and a Murle, estimated that 2,182 "
        "women and children and 959 men were killed."
    )
    assert lead_tolls(lead)[0].min == 3141
    # the count before "and" is of the dead, the one after of the injured
    lead = (
        "The numbers of victims were initially estimated as 10 civilians dead and 650 "
        "civilians injured."
    )
    assert lead_tolls(lead)[1].min == 650


@pytest.mark.parametrize(
    ("lead", "killed"),
    [
        # tests/fixtures/corpus/plain/eutaw-massacre.txt (Wikipedia, "Eutaw riot")
        (
            "White Klan members attacked a Republican rally of 2,000 black citizens in the "
            "courthouse square, killing as many as four and wounding 54.",
            (4, 4, False),
        ),
        # the 30 September Movement, on an Indonesian history site (30 September 1965)
        ("Six senior Army generals were kidnapped and killed.", (6, 6, False)),
        # Adhikari v. KBR, a summary of the Fifth Circuit case (Iraq, 2004)
        (
            "Twelve Nepali men were kidnapped and killed en route to a US military base.",
            (12, 12, False),
        ),
    ],
)
def test_as_many_as_and_taken_then_killed(lead: str, killed: tuple[object, ...]) -> None:
    # "as many as N" is an upper figure like "up to N": the count, not kept open
    fatalities = lead_tolls(lead)[0]
    assert (fatalities.min, fatalities.max, fatalities.open_ended) == killed
