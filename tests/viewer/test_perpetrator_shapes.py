"""Who did it, in the shapes real articles use when no infobox field says so. Every
sentence is quoted from a real article (tests/fixtures/corpus names its source)."""

from __future__ import annotations

import pytest

from viewer.extraction.facts import extract_facts
from viewer.parsing.archive_text import parse_archive_text
from viewer.parsing.plain_text import parse_plain_text


def _perpetrators(lead: str, extra: str = "") -> list[tuple[str, bool]]:
    text = f"Test incident\n\n{lead}\n\n{extra}\n" if extra else f"Test incident\n\n{lead}\n"
    article = parse_plain_text(text, "test-incident")
    body, spans = article.layout()
    return [(p.name, p.suspected) for p in extract_facts(article, body, spans).perpetrators]


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        # those who did it say so: "confirmed it was behind", "acknowledged X had conducted"
        (
            "Soon after, the Ukrainian Security Service confirmed it was behind the attack.",
            [("Ukrainian Security Service", False)],
        ),
        (
            "However, in July 2023, Ukraine's Deputy Minister of Defense Hanna Maliar "
            'acknowledged Ukraine had conducted the attack "in order to break the logistics '
            'of the Russians."',
            [("Ukraine", False)],
        ),
        # an admission after an arrest; the office before the name is not part of it
        (
            "Notably, Serb List Vice-president Milan Radoičić was implicated and later admitted "
            "responsibility for the attack, leading to his subsequent arrest.",
            [("Milan Radoičić", False)],
        ),
        (
            "Mufti Abdul Hannan, the leader of Harkat-ul-Jihad al-Islami Bangladesh, admitted "
            "his role in the attack after his arrest and called the bombing a success.",
            [("Mufti Abdul Hannan", False)],
        ),
        (
            "Ukrainian authorities tacitly took responsibility at first, until four weeks "
            "after the event.",
            [("Ukrainian authorities", False)],
        ),
        # blamed and accused: who is blamed, not who blames; a backer is not the group
        (
            "The Iranian government blamed the Iraqi-backed People's Mujahedin of Iran (MEK).",
            [("Mujahedin-e Khalq", True)],
        ),
        (
            "Ramzi Yousef, a member of al-Qaeda who was responsible for several terrorist "
            "attacks worldwide, was also accused of being responsible, supposedly having been "
            "hired by MEK.",
            [("Ramzi Yousef", True)],
        ),
        # a group that names itself, in whatever case, "unknown" until then
        (
            "A month after the attack, a Sunni group calling itself “al-haraka al-islamiya "
            "al-iraniya” claimed responsibility for the attack.",
            [("al-haraka al-islamiya al-iraniya", False)],
        ),
        (
            "The attack was claimed by two groups, an unknown group calling itself the "
            "'Organisation for the Defense of the Oppressed of Egypts Prisons' which claimed "
            "to have done it to protest the torture in Egyptian prisons.",
            [("Organisation for the Defense of the Oppressed of Egypts Prisons", False)],
        ),
        # the group the attackers belonged to, on a source's word
        (
            "According to India Today, the attackers were Handeef alias Hilal, 23, and Ali, "
            "22, Pakistani nationals belonging to Masood Azhar's Jaish-e-Mohammad (JeM) "
            "militant organization .",
            [("Jaish-e-Mohammed", True)],
        ),
        # a denial stays a denial
        ("Hezbollah denied it was behind the attack.", []),
    ],
)
def test_admissions_accusations_and_names_groups_give_themselves(
    lead: str, expected: list[tuple[str, bool]]
) -> None:
    assert _perpetrators(lead) == expected


def test_a_suspect_the_article_later_says_was_sentenced_is_no_longer_a_suspect() -> None:
    lead = (
        "A security source identified the suspect as 49-year-old Riad Ismaeel Abdullah, a "
        "resident of east Amman."
    )
    assert _perpetrators(lead) == [("Riad Ismaeel Abdullah", True)]
    trial = (
        "Trial\n\nAbdullah is a preacher in a mosque in Amman and an extremist. He was "
        "sentenced to death in November and was executed on the dawn of 4 March 2017."
    )
    assert _perpetrators(lead, trial) == [("Riad Ismaeel Abdullah", False)]


def test_the_account_and_the_trial_each_name_someone() -> None:
    article = parse_archive_text(
        "= 1999 bombing of Jessore =\n\n1999 BOMBING OF JESSORE was a terrorist bomb attack on "
        "an event of Bangladesh Udichi Shilpigoshthi in Jessore, Bangladesh.\n\n== Attack ==\n"
        "10 people died in the explosion. The attacks were carried out by "
        "Harkat-ul-Jihad-al-Islami Bangladesh.\n\n== Trial ==\nMufti Abdul Hannan, the leader "
        "of Harkat-ul-Jihad al-Islami Bangladesh, admitted his role in the attack after his "
        "arrest and called the bombing a success.\n"
    )
    body, spans = article.layout()
    found = [(p.name, p.suspected) for p in extract_facts(article, body, spans).perpetrators]
    assert found == [
        ("Mufti Abdul Hannan", False),
        ("Harkat-ul-Jihad-al-Islami Bangladesh", False),
    ]


def test_a_mirrored_reactions_page_names_whom_the_condemnation_names() -> None:
    text = (
        "Qibya Massacre - International Reaction\n\nInternational Reaction\n\nAn emergency "
        "meeting of the Mixed Armistice Commission (MAC) was held in the afternoon of 15 "
        "October and a resolution condemning the regular Israel army for its attack on Qibya, "
        "as a breach of article III was adopted by a majority vote.\n"
    )
    article = parse_plain_text(text, "qibya-massacre")
    body, spans = article.layout()
    found = [(p.name, p.suspected) for p in extract_facts(article, body, spans).perpetrators]
    assert found == [("Israel army", False)]


def test_every_perpetrator_field_of_the_infobox_counts_and_a_count_is_no_name() -> None:
    article = parse_archive_text(
        "= 2019 Pulwama attack =\n\nInfobox\n- Assailants: Adil Ahmad Dar\n"
        "- Accused: 19 (out of which 7 killed, 7 arrested)\n"
        "- Perps: Jaish-e-Mohammed, Lashkar-e-Taiba\n\nThe convoy was attacked.\n"
    )
    body, spans = article.layout()
    found = [(p.name, p.suspected) for p in extract_facts(article, body, spans).perpetrators]
    assert found == [
        ("Adil Ahmad Dar", False),
        ("Jaish-e-Mohammed", False),
        ("Lashkar-e-Taiba", False),
    ]
    # the same group under two keys, once with its abbreviation, is one group
    article = parse_archive_text(
        "= February 2016 Ankara bombing =\n\nInfobox\n"
        "- Perpetrator: Abdulbaki Sömer , Kurdistan Freedom Hawks\n"
        "- Perp: Kurdistan Freedom Hawks (TAK)\n\nA car bomb exploded.\n"
    )
    body, spans = article.layout()
    names = [p.name for p in extract_facts(article, body, spans).perpetrators]
    assert names == ["Abdulbaki Sömer", "Kurdistan Freedom Hawks"]


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        # the group blamed, named after what it is
        (
            "Colombian Vice President Francisco Santos Calderón blamed the guerrilla group "
            'FARC, saying that there was "not the slightest doubt" that they were responsible.',
            [("Revolutionary Armed Forces of Colombia", True)],
        ),
        # an apposition the writer left open before "was responsible"
        (
            "Witnesses to the tragedy claimed that Naser Oric, the Bosnian commander was "
            "responsible for the 69 deaths in addition to burning 450 houses.",
            [("Naser Oric", True)],
        ),
        # two states' governments accused at once
        (
            "The U.S. and its coalition partners accused the Russian and Syrian governments of "
            "carrying out the attacks.",
            [("Russian government", True), ("Syrian government", True)],
        ),
    ],
)
def test_the_blamed_described_open_appositions_and_two_governments(
    lead: str, expected: list[tuple[str, bool]]
) -> None:
    assert _perpetrators(lead) == expected


def test_the_lead_names_the_group_and_the_attacker_section_the_person() -> None:
    lead = (
        "2005 JHALAKATHI BOMBING was a bombing of a car transporting Judges to the District "
        "Court of Jhalakathi. Jama'atul Mujahideen Bangladesh (JMB) claimed responsibility "
        "for the bombings."
    )
    section = (
        "Attacker\n\nThe 28 year old attacker, Iftekhar Hasan Al Mamun, was captured injured "
        "by the bystanders."
    )
    assert _perpetrators(lead, section) == [
        ("Jamaat-ul-Mujahideen Bangladesh", False),
        ("Iftekhar Hasan Al Mamun", False),
    ]


def test_a_claim_the_article_doubts_stays_a_suspicion() -> None:
    lead = (
        "On 30 October 2016, the Islamic State (IS) claimed responsibility for the attack, "
        'though police later said a terrorist background or motive for the attack was "unlikely".'
    )
    investigation = (
        "Investigation\n\nOn 30 October, it was reported that IS had claimed responsibility for "
        "the attack."
    )
    assert _perpetrators(lead, investigation) == [("Islamic State", True)]
    # the same claim undoubted is a claim
    assert _perpetrators(lead.split(", though")[0] + ".") == [("Islamic State", False)]


def test_two_people_in_one_infobox_value_are_two() -> None:
    article = parse_archive_text(
        "= 2014 Jerusalem synagogue attack =\n\nInfobox\n"
        "- Assailants: Uday Abu Jamal and Ghassan Abu Jamal\n\nTwo men attacked worshippers.\n"
    )
    body, spans = article.layout()
    names = [p.name for p in extract_facts(article, body, spans).perpetrators]
    assert names == ["Uday Abu Jamal", "Ghassan Abu Jamal"]
    # a state whose name holds "and" stays one
    article = parse_archive_text(
        "= Skelani massacre =\n\nInfobox\n"
        "- Perpetrators: Army of the Republic of Bosnia and Herzegovina\n\nA village burned.\n"
    )
    body, spans = article.layout()
    names = [p.name for p in extract_facts(article, body, spans).perpetrators]
    assert names == ["Army of the Republic of Bosnia and Herzegovina"]


def test_the_person_the_account_says_was_convicted_beside_the_group() -> None:
    lead = (
        "The BESSBROOK BOMBING took place on the 17 April 1979 when four Royal Ulster "
        "Constabulary (RUC) officers were killed when the Provisional IRA exploded an "
        "estimated 1,000 pound roadside van bomb at Bessbrook, County Armagh."
    )
    account = (
        "Bombing\n\nIn January 1981, Patrick Joseph Traynor (27) from Crossmaglen was found "
        "guilty of the four murders and a range of other charges."
    )
    assert _perpetrators(lead, account) == [
        ("Provisional Irish Republican Army", False),
        ("Patrick Joseph Traynor", False),
    ]
    account = (
        "Investigation\n\nLúcio Lírio Leal, an investigator of the Civil Police, was sentenced "
        "to 12 years in prison for qualified homicide."
    )
    assert ("Lúcio Lírio Leal", False) in _perpetrators(lead, account)
    # a conviction told in the background is another crime's
    account = account.replace("Investigation", "Background")
    assert _perpetrators(lead, account) == [("Provisional Irish Republican Army", False)]


def test_a_regions_own_lower_case_word_before_the_name() -> None:
    lead = "No group took responsibility for the bombings."
    suspects = (
        "Suspects\n\nIt is assumed that the south Thailand insurgency carried out the attacks."
    )
    assert _perpetrators(lead, suspects) == [("south Thailand insurgency", True)]


def test_the_same_forces_named_twice_are_one() -> None:
    lead = (
        "On 25 February 2022, the Russian air base in Millerovo, Rostov Oblast, Russia, was "
        "attacked by Ukrainian forces during the 2022 Russian invasion of Ukraine. According "
        "to some Ukrainian officials, Ukrainian military forces attacked the Millerovo air base "
        "with OTR-21 Tochka missiles."
    )
    assert _perpetrators(lead) == [("Ukrainian forces", False)]


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        # the group a spokesman speaks for, never the spokesman
        # VOA, 14 July 2011 (Abuja police headquarters bombing)
        (
            "A spokesman for Boko Haram claimed responsibility for the explosion in an "
            "interview Thursday with VOA.",
            [("Boko Haram", False)],
        ),
        # VOA, 4 June 2012 (Bauchi church bombing): the group named in what he said
        (
            "In a statement e-mailed to journalists Monday, group spokesman Abul Qaqa said "
            "Boko Haram had “successfully launched” an attack at a church in the city of "
            "Bauchi.",
            [("Boko Haram", False)],
        ),
        # Legal Broadcast Network, 24 July 2017 (Kabul car bombing)
        (
            "The New York Times reports a Taliban spokesperson said they were behind the "
            "suicide bombing and the group had targeted Afghan intelligence workers.",
            [("Taliban", False)],
        ),
        # a police spokesman speaks for no perpetrator (VOA, 14 July 2011)
        (
            "Nigerian police spokesman Olusola Amore says the explosion struck the parking lot "
            "of a police headquarters Thursday morning, killing the suspected suicide bomber "
            "and a police traffic warden, and destroying at least 30 cars.",
            [],
        ),
        # a spokesman's denial claims nothing (CNN, 21 November 2016, Kabul mosque attack)
        (
            "Taliban spokesman Zabiullah Mujahid has denied the group is responsible for "
            "Monday’s attack.",
            [],
        ),
        # the group's own word, no spokesman named (CNN, 21 November 2016)
        (
            "Kabul, Afghanistan (CNN) – ISIS says it carried out the suicide bomb attack "
            "Monday in the Afghan capital of Kabul which killed at least 30 people and left "
            "more than 70 injured.",
            [("Islamic State", False)],
        ),
        # suspected of carrying out / of being responsible: a suspicion
        # 2013 Bodh Gaya bombings
        (
            "Indian Mujahideen was suspected of carrying out the attack, which was seen as "
            "retaliation for Buddhist violence against Muslims in Myanmar.",
            [("Indian Mujahideen", True)],
        ),
        # The New York Times, 2014 (Gumsuri attack): "no one has claimed" is of the claim
        (
            "Although no one has claimed responsibility for the attack, Boko Haram, the "
            "extremist group that operates widely in the volatile northeastern part of the "
            "country, is suspected of being responsible.",
            [("Boko Haram", True)],
        ),
        # The Associated Press, 23 March 2024: men arrested as suspects name no one
        (
            "Russian President Vladimir Putin says authorities arrested four men suspected of "
            "carrying out the attack on a suburban Moscow concert hall that killed at least "
            "133 people and believe they were fleeing to Ukraine.",
            [],
        ),
    ],
)
def test_spokesmen_claims_and_suspected_of(lead: str, expected: list[tuple[str, bool]]) -> None:
    assert _perpetrators(lead) == expected


def test_the_convicted_field_of_the_infobox_is_a_perpetrator_not_a_suspect() -> None:
    # Pan Am Flight 103: two Libyans accused, al-Megrahi alone convicted (31 January 2001)
    article = parse_archive_text(
        "= Pan Am Flight 103 =\n\nInfobox\n"
        "- Accused: Abdelbaset al-Megrahi\n"
        "- Convicted: Abdelbaset al-Megrahi\n\nThe aircraft was destroyed by a bomb.\n"
    )
    body, spans = article.layout()
    found = [(p.name, p.suspected) for p in extract_facts(article, body, spans).perpetrators]
    assert found == [("Abdelbaset al-Megrahi", False)]
