"""Tolls read from an article's lead when its infobox gives none (real lead sentences)."""

from __future__ import annotations

import pytest

from viewer.extraction.lead_tolls import tolls_from_lead

LEADS = [
    (
        "the bombing happened at 9:02 am and killed at least 168 people, injured more than "
        "680 others, and destroyed one-third of the building.",
        (168, 168, True, "killed at least 168"),
        (680, 680, True, "injured more than 680"),
    ),
    ("It killed 29 people and injured 300 others.", (29, 29, False, "killed 29"),
     (300, 300, False, "injured 300")),
    (
        "On 27 March 2016, Easter Sunday, at least 75 people were killed and over 340 injured "
        "in a suicide bombing.",
        (75, 75, True, "at least 75 people were killed"),
        (340, 340, True, "over 340 injured"),
    ),
    (
        "On 7 February 2015 three separate bombings in Baghdad killed at least 36 people. "
        "At least 70 people were also injured.",
        (36, 36, True, "killed at least 36"),
        (70, 70, True, "At least 70 people were also injured"),
    ),
    ("A bomber struck a bank, killing at least 33 people and injuring another 100.",
     (33, 33, True, "killing at least 33"), (100, 100, False, "injuring another 100")),
    ("The death toll rose to 1,017, with 120 wounded.", (1017, 1017, False,
     "death toll rose to 1,017"), (120, 120, False, "120 wounded")),
]  # fmt: skip


@pytest.mark.parametrize(("lead", "killed", "injured"), LEADS)
def test_tolls_from_real_leads(lead: str, killed: tuple, injured: tuple) -> None:
    fatalities, injuries = tolls_from_lead(lead)
    assert (fatalities.min, fatalities.max, fatalities.open_ended, fatalities.text) == killed
    assert (injuries.min, injuries.max, injuries.open_ended, injuries.text) == injured
    assert fatalities.text is not None and injuries.text is not None
    assert fatalities.text in lead and injuries.text in lead  # traceable to the words


@pytest.mark.parametrize(
    "lead",
    [
        "In 1998 a car bomb exploded outside the courthouse. Nobody was hurt.",
        "The attack in 2019 killed nobody; 2001 was worse.",
        "Police said 12 suspects were arrested.",
        "",
    ],
)
def test_no_toll_is_invented(lead: str) -> None:
    fatalities, injuries = tolls_from_lead(lead)
    assert fatalities.min is None and fatalities.max is None and fatalities.text is None
    assert injuries.min is None and injuries.text is None


def test_infobox_toll_wins_over_the_lead(tmp_path, empty_archive) -> None:
    from viewer.services import catalog
    from viewer.services.importing import import_paths

    article = tmp_path / "a.txt"
    article.write_text(
        "= Market bombing =\n\nInfobox\n- Date: 3 March 2020\n- Fatalities: Unknown\n\n"
        "A bomb killed at least 12 people and injured 40 others on 3 March 2020.\n",
        encoding="utf-8",
    )
    import_paths(empty_archive, [article])
    incident = catalog.find_incident(empty_archive, "Market bombing")
    assert incident.fatalities_min is None  # the infobox says Unknown: kept unknown
    assert incident.injuries_min == 40  # no injuries field: read from the lead
    assert incident.injuries_text == "injured 40"


def test_a_reprisal_and_an_age_are_not_the_toll() -> None:
    lead = (
        "Militants attacked an army checkpoint. In response, the army killed around 15 "
        "militants. The attack killed 12 soldiers."
    )
    assert tolls_from_lead(lead)[0].text == "killed 12"
    lead = "A bomb exploded at a shrine. A 13 year old student was also injured."
    assert tolls_from_lead(lead)[1].min is None


def test_an_infobox_total_is_the_toll_and_its_attackers_are_counted_apart() -> None:
    from viewer.extraction.tolls import read_fatalities

    killed, attackers = read_fatalities(
        "14 soldiers, 14 employees, 1 civilian, 1 perpetrator, Total: 30"
    )
    assert (killed.min, killed.max, attackers.min) == (30, 30, 1)


def test_a_lead_without_a_toll_leaves_it_to_the_account_of_the_attack() -> None:
    from viewer.extraction.facts import extract_facts
    from viewer.parsing.plain_text import parse_plain_text

    text = (
        "October 2016 Sinai attacks\n\nMilitants attacked an army checkpoint in North Sinai.\n\n"
        "Background\n\nIn 2015 an attack killed 40 soldiers in the area.\n\n"
        "Attack\n\nThe attack resulted in the deaths of 12 soldiers and wounded six others.\n"
    )
    article = parse_plain_text(text, "x")
    body, spans = article.layout()
    facts = extract_facts(article, body, spans)
    assert (facts.fatalities.min, facts.injuries.min) == (12, 6)


def _tolls_of(lead: str) -> tuple[object, ...]:
    from viewer.extraction.facts import extract_facts
    from viewer.parsing.archive_text import parse_archive_text

    article = parse_archive_text(f"= Test attack =\n\n{lead}\n")
    body, spans = article.layout()
    facts = extract_facts(article, body, spans)
    return facts.fatalities.min, facts.perpetrators_killed.min


def test_what_became_of_a_named_attacker_and_of_a_suicide_bomber() -> None:
    # arrested by name: none of the attackers died
    lead = (
        "Jesse Osborne shot two pupils at the school, killing one. Osborne, who had also shot "
        "his father, was arrested as the sole suspect."
    )
    assert _tolls_of(lead) == (1, 0)
    # killed by name: one attacker died, apart from the victims
    lead = "Gunman Musbah Abu Sbaih shot 8 people, killing two. Sbaih was shot dead by police."
    assert _tolls_of(lead) == (3, 1)
    # "a suicide bomber": one attacker died; the lead's figure is left as written
    lead = "A suicide bomber detonated his vest at the base, killing at least 33 people."
    assert _tolls_of(lead) == (33, 1)


def test_attackers_added_in_brackets_after_the_victims() -> None:
    lead = "Six people were killed (as well as two of the bombers) and 120 were injured."
    assert _tolls_of(lead) == (8, 2)


def test_attackers_counted_are_not_the_victims_toll_nor_is_a_group_one_person() -> None:
    lead = "Militants attacked an army camp on 2 October. Two militants were also killed."
    assert tolls_from_lead(lead)[0].min is None
    from viewer.extraction.lead_tolls import lead_tolls

    lead = "Four members of a church were taken and killed by militants in June 2014."
    assert lead_tolls(lead, "Murder of Pentecostals in Slaviansk")[0].min is None
    lead = "Maria Ladenburger was found dead near the river; she had been killed."
    assert lead_tolls(lead, "Murder of Maria Ladenburger")[0].min == 1


def test_one_person_killed_read_past_abbreviations_and_from_the_death_section() -> None:
    from viewer.extraction.facts import extract_facts
    from viewer.extraction.lead_tolls import lead_tolls
    from viewer.parsing.plain_text import parse_plain_text

    # "ca." does not end the first sentence
    lead = (
        "RODRIGO NETO (ca. 1975 – 8 March 2013), a Brazilian journalist in Ipatinga, was "
        "killed by two unidentified men."
    )
    assert lead_tolls(lead, "Rodrigo Neto")[0].min == 1
    # one body found is one death, whatever else the sentence counts
    lead = (
        "JOHN DOE (ca. 1978 – January 29, 2009), a freelance journalist, had published several "
        "articles two weeks before his dead body was found."
    )
    assert lead_tolls(lead, "John Doe")[0].min == 1
    # a person's article whose lead does not say how they died: the Death section does
    text = (
        "Nahed Hattar\n\nNAHED HATTAR (1960 – 25 September 2016) was a Jordanian writer.\n\n"
        "Death\n\nOn the morning of 25 September 2016, Hattar was shot to death by a gunman.\n"
    )
    article = parse_plain_text(text, "x")
    body, spans = article.layout()
    assert extract_facts(article, body, spans).fatalities.min == 1


def test_counts_read_across_a_long_name_and_victims_counted_where_nothing_says_killed() -> None:
    lead = (
        "The bombing took place on the 17 April 1979 when four Royal Ulster Constabulary (RUC) "
        "officers were killed."
    )
    assert tolls_from_lead(lead)[0].min == 4  # "1979 when four ..." is not a count of 1979
    lead = "Eight undertrial prisoners of Bhopal Central Jail were killed in an encounter."
    assert tolls_from_lead(lead)[0].min == 8
    lead = "The plane crashed near Kuzhenkino. Among the ten victims were the group's leaders."
    assert tolls_from_lead(lead)[0].min == 10
    lead = "A bomb exploded in the market. The 40 victims were taken to hospital."
    assert tolls_from_lead(lead)[0].min is None  # the hurt as well as the dead


def test_a_single_victim_and_the_gunman_killed_in_the_account() -> None:
    from viewer.extraction.attackers import attackers_killed
    from viewer.extraction.lead_tolls import lead_tolls

    account = (
        "By 7 am police decided to move in. In the siege a student was killed, shot in the "
        "chest. Then the gunman was shot and killed with a hail of bullets."
    )
    assert lead_tolls(account)[0].min == 1
    # "Then" before "the gunman" is not the count of those killed
    assert attackers_killed("", [("Incident", account)]).min == 1
    # a number of people is not one person
    assert lead_tolls("A number of people were killed in the blast.")[0].min is None


def test_a_killed_persons_lifespan_dates_the_incident_where_the_lead_gives_only_a_year() -> None:
    from viewer.extraction.facts import extract_facts
    from viewer.parsing.plain_text import parse_plain_text

    def date_of(lead: str) -> tuple[object, object]:
        article = parse_plain_text(f"Killing of Jane Roe\n\n{lead}\n", "x")
        body, spans = article.layout()
        facts = extract_facts(article, body, spans)
        return facts.date_start, facts.date_end

    lead = (
        "JANE ROE (February 3, 1973 – September 20, 2016) was a teacher who was fatally shot "
        "in 2016 in Charlotte."
    )
    assert date_of(lead) == ("2016-09-20", "2016-09-20")  # not 1973-02-03 to 2016-09-20


def test_attackers_killed_by_those_who_fought_them_are_counted_once() -> None:
    from viewer.extraction.attackers import attackers_killed

    lead = "Police officers killed five of the eight Black September members during a rescue."
    assert attackers_killed(lead, []).min == 5
    assert attackers_killed("Troops shot dead two militants at the gate.", []).min == 2
    assert attackers_killed("Police officers killed five hostages by mistake.", []).min is None
    # the lead's only count is theirs: not added to itself
    assert _tolls_of(lead) == (5, 5)


def test_a_toll_in_words_is_read_whole() -> None:
    # the longest form: "hundreds of thousands", not the "hundreds" it begins with
    lead = "The famine and the massacres killed hundreds of thousands of people."
    assert tolls_from_lead(lead)[0].min == 200_000
    assert tolls_from_lead("The blast killed dozens of people.")[0].min == 24
