"""Where the lead says an incident happened, when no infobox gives a location."""

from __future__ import annotations

import pytest

from viewer.extraction.facts import extract_facts
from viewer.extraction.lists import parse_places, places_from_text, subdivision_code
from viewer.extraction.venues import venue_of_title, venues_from_text
from viewer.parsing.archive_text import parse_archive_text


@pytest.mark.parametrize(
    ("lead", "places"),
    [
        # a town and the state or province the lead gives after it
        (
            "Amir Locke was fatally shot by a SWAT officer inside an apartment in Minneapolis, "
            "Minnesota, where police were executing a search warrant.",
            ["Minneapolis", "Minnesota"],
        ),
        (
            "Two officers were killed in separate shootings in and near Des Moines, Iowa. The "
            "perpetrator was apprehended by police hours later.",
            ["Des Moines", "Iowa"],
        ),
        (
            "The Eutaw riot was an episode of racial violence in Eutaw, Alabama, the county seat "
            "of Greene County, on October 25, 1870.",
            ["Eutaw", "Alabama", "Greene County"],
        ),
        # a town with its country is read as before; a province named by a suffix too
        ("A car bomb exploded in Sana'a, Yemen on 8 October.", ["Sana'a", "Yemen"]),
        ("The bomb went off at Bessbrook, County Armagh.", ["Bessbrook", "County Armagh"]),
        # where a person comes from is not where it happened
        (
            "Rolando Espinosa, then mayor of Albuera, Leyte, died on 5 November 2016 at the "
            "Baybay City Provincial Jail.",
            ["Baybay"],
        ),
        # the sentence's full stop is not part of the country
        ("A suicide bomber struck in Kabul, Afghanistan.", ["Kabul", "Afghanistan"]),
        # a town described before the place it belongs to
        (
            "The killings refer to the murder of 11 young men on the night of November 19, 1970 "
            "in Barasat, a suburb of Kolkata in West Bengal, India.",
            ["Barasat", "Kolkata", "West Bengal", "India"],
        ),
        # a town followed by something that is not a state or province: the town alone
        ("A gunman opened fire in Charlotte, Thursday Night Live was cancelled.", ["Charlotte"]),
    ],
)
def test_places_the_lead_gives(lead: str, places: list[str]) -> None:
    found = places_from_text(lead)
    assert found is not None
    assert found[1] == places
    assert found[0] in lead  # the words it came from


def test_subdivisions_are_looked_up_with_and_without_accents() -> None:
    assert subdivision_code("West Bengal") == "IN"
    assert subdivision_code("Bihar") == subdivision_code("Bihār") == "IN"
    assert subdivision_code("Leyte") == "PH"
    assert subdivision_code("Thursday") is None


def test_the_town_the_title_names_wins_over_another_place_the_lead_mentions() -> None:
    lead = (
        "The Lichfield gun attack was an ambush on 1 June 1990 against three soldiers waiting "
        "at Lichfield City railway station in Staffordshire. On the same day a major was killed "
        "by the IRA outside his house in Dortmund, Germany."
    )
    found = places_from_text(lead, "Lichfield gun attack")
    assert found is not None and found[1] == ["Lichfield"]


@pytest.mark.parametrize(
    ("lead", "places", "venue"),
    [
        (
            "The DARKLEY KILLINGS took place on 20 November 1983 at Mountain Lodge Pentecostal "
            "Church in Darkley, County Armagh.",
            ["Darkley"],
            "Mountain Lodge Pentecostal Church",
        ),
        (
            "Gunmen burst into the Donegall Arms public house and sprayed it with gunfire.",
            [],
            "Donegall Arms public house",
        ),
        ("Explosions occurred at the Saky airbase in Novofedorivka.", ["Novofedorivka"],
         "Saky airbase"),
        # a venue already among the places, a year before a capital, no venue at all
        ("A gunman opened fire at Cascade Mall.", ["Cascade Mall"], None),
        ("The strike hit Yavoriv in 2022 The base was used for training.", ["Yavoriv"], None),
        ("Two people were killed in Kabul.", ["Kabul"], None),
    ],
)  # fmt: skip
def test_the_building_or_site_the_lead_names(
    lead: str, places: list[str], venue: str | None
) -> None:
    assert venues_from_text(lead, places) == ([venue] if venue else [])


def test_a_town_before_its_province_and_the_town_a_title_names() -> None:
    lead = (
        "A suicide bomber struck a bank in the city of Jalalabad in Nangarhar Province, "
        "Afghanistan, killing at least 33 people."
    )
    found = places_from_text(lead)
    assert found is not None and found[1] == ["Jalalabad", "Nangarhar Province", "Afghanistan"]
    # a page the lead does not place: the town its title is named after
    lead = "The bombings were a series of suicide attacks on the public transport network."
    assert places_from_text(lead, "Reactions to the 2005 London bombings") == (
        "Reactions to the 2005 London bombings",
        ["London"],
    )
    # never one word of a person's name
    assert places_from_text("He was shot in his car.", "Killing of Amir Locke") is None
    # a title made from a file name, in lower case; a town first after the year
    lead = "The SEPTEMBER 2016 BUDAPEST EXPLOSION occurred on 24 September 2016."
    found = places_from_text(lead, "September 2016 budapest explosion")
    assert found is not None and found[1] == ["Budapest"]
    lead = "The reactions to the 2010 Moscow Metro bombings were both national and international."
    found = places_from_text(lead, "Reactions to the 2010 Moscow Metro bombings")
    assert found is not None and found[1] == ["Moscow"]


# Real sentences from the corpus articles (tests/fixtures/corpus), one shape each.
@pytest.mark.parametrize(
    ("lead", "places"),
    [
        # a run of places ends with its sentence, not at the next capitalised word
        (
            "On the morning of April 12, 2022, a mass shooting was committed on a northbound N "
            "train on the New York City Subway in Sunset Park, Brooklyn, New York, United "
            "States. At approximately 8:24 a.m. EDT, a 62-year-old Black nationalist Frank "
            "Robert James put on a gas mask.",
            ["Sunset Park", "Brooklyn", "New York", "United States"],
        ),
        # ... and after an abbreviated state, the abbreviation's stop is kept
        (
            "On September 23, 2016, five people were killed in a MASS SHOOTING at Cascade Mall "
            "in Burlington, Washington, U.S. The gunman was identified as Arcan Cetin, a "
            "20-year-old who emigrated from Turkey as a child with his family. He was arrested "
            "the following day in Oak Harbor, Washington, his hometown.",
            ["Burlington", "Washington", "U.S."],
        ),
        # an Arabic name's article inside a place name
        (
            "The OCTOBER 2016 SINAI ATTACKS was a terrorist attack on an Egyptian army "
            "checkpoint in the city of Bir al-Abed, Egypt (located 40 kilometers west of "
            "Al-Arish), on 14 October 2016.",
            ["Bir al-Abed", "Egypt"],
        ),
        # a province whose name has an "and" in it
        (
            "The Indian Army base in Nagrota, Jammu and Kashmir was attacked on 29 November "
            "2016 by a group of militants.",
            ["Nagrota", "Jammu and Kashmir"],
        ),
        # the quarter or district of a town, named before the town
        (
            "On 5 October 2016, three police officers were attacked by a man wielding a machete "
            "in the Schaerbeek neighborhood of Brussels, Belgium.",
            ["Schaerbeek", "Brussels", "Belgium"],
        ),
        (
            "On the midnight of the second and third of October 2016, militants attacked a "
            "camp of the Indian Army's 46 Rashtriya Rifles in the Baramulla district of Jammu "
            "and Kashmir, India.",
            ["Baramulla", "Jammu and Kashmir", "India"],
        ),
        # the town, set off by a comma, before the province and state
        (
            "On 11 August 1970, two Royal Ulster Constabulary (RUC) officers were killed by a "
            "booby-trap bomb planted under a car by the Provisional Irish Republican Army (IRA) "
            "near Crossmaglen, in County Armagh, Northern Ireland.",
            ["Crossmaglen", "County Armagh", "Northern Ireland"],
        ),
        (
            "The Kawuri massacre happened on 26 January 2014 in Kawuri, a village in Konduga "
            "Local Government Area, 37 kilometers southeast of Maiduguri in Borno State, "
            "northeastern Nigeria.",
            ["Kawuri", "Konduga Local Government Area", "Borno State", "Nigeria"],
        ),
        (
            "The IRA exploded a landmine under an Ulster Defense Regiment's (UDR) mobile patrol "
            "at Ballygawley Road, near Dungannon in County Tyrone, Northern Ireland.",
            ["Ballygawley Road", "Dungannon", "County Tyrone", "Northern Ireland"],
        ),
        # accented capitals, and the kind of a part in lower case after it
        (
            "On 6 October 2016, at around 15:50 (UTC+3), a bomb attached to a motorcycle "
            "blasted in a terrorist attack in Yenibosna neighborhood of Bahçelievler district, "
            "İstanbul, Turkey.",
            ["Yenibosna", "Bahçelievler district", "İstanbul", "Turkey"],
        ),
        (
            "The PARQUE OESTE MASSACRE was the killing of two landless farmers by military "
            "police on February 16, 2005, in the Goias state, Brazil.",
            ["Goias state", "Brazil"],
        ),
        # a town and its province, no state: the province named as one
        (
            "He was arrested in Kunming, capital of Yunnan Province, on Thursday. The Xinhua "
            "state news agency report did not say how the villagers were killed. The crime took "
            "place in Qujing, Yunnan Province.",
            ["Qujing", "Yunnan Province"],
        ),
        (
            "CHRYNÓW MASSACRE () was a massacre of Polish worshipers which took place in the "
            "Volhynian village of Chrynów, Gmina Grzybowica, Powiat Włodzimierz, Wołyń "
            "Voivodeship of the Second Polish Republic (Volyn Oblast since 1945, Ukraine).",
            ["Chrynów", "Gmina Grzybowica", "Powiat Włodzimierz", "Wołyń Voivodeship"],
        ),
        # "X in Y Oblast", "X located in Y"
        (
            "On 23 August 2023, an Embraer Legacy 600 business jet crashed near Kuzhenkino in "
            "Tver Oblast, approximately 100 kilometres (60 mi) north of its departure point in "
            "Moscow.",
            ["Kuzhenkino", "Tver Oblast"],
        ),
        (
            "The HAMAM AL-ALIL MASSACRE () was the killing of at least 300 civilians in the town "
            "of Hamam al-Alil in Iraq's Nineveh Governorate by the Islamic State of Iraq and the "
            "Levant (ISIL) in late October and early November 2016.",
            ["Hamam al-Alil", "Nineveh Governorate"],
        ),
        (
            "The Banjska attack was a terrorist attack carried out by Serb militants against the "
            "Kosovo Police. The attack occurred in the village of Banjska located in North "
            "Kosovo on 24 September 2023.",
            ["Banjska", "North Kosovo"],
        ),
        # the units a village was in then and is in now, never the town it lay south-west of
        (
            "About 290 people were killed, including women and children, all of them, Polish "
            "inhabitants of the Budy Ossowskie village, located in the Kowel County (powiat "
            "kowelski) of the Wołyń Voivodeship in the Second Polish Republic (now, part of the "
            "Kovel Raion, south-west of Kovel, Ukraine).",
            ["Budy Ossowskie", "Kowel County", "Wołyń Voivodeship", "Kovel Raion", "Ukraine"],
        ),
        # "the <province> town of <town>"
        (
            "On August 9, 2002, the separatist Basque terrorist organization, ETA, placed an "
            "explosive in the toilets of a hamburger restaurant, located a few meters from a "
            "tourist office, the Alicante town of Torrevieja.",
            ["Torrevieja", "Alicante"],
        ),
        (
            "The JERICHO BUS FIREBOMBING was a Palestinian terrorist attack that occurred during "
            "the First Intifada outside the West Bank town of Jericho.",
            ["Jericho", "West Bank"],
        ),
        (
            "The NEWTOWNHAMILTON BOMBING was a carbombing carried out by the Irish National "
            "Liberation Army (INLA) on 24 June 1998 in the Armagh border village of "
            "Newtownhamilton shortly after the signing of the 1998 Good Friday Agreement.",
            ["Newtownhamilton", "Armagh"],
        ),
    ],
)
def test_places_in_the_shapes_real_leads_give(lead: str, places: list[str]) -> None:
    found = places_from_text(lead)
    assert found is not None
    assert found[1] == places
    assert found[0] in lead


def test_a_peoples_adjective_before_village_is_no_province() -> None:
    lead = (
        "CHRYNÓW MASSACRE was a massacre of Polish worshipers which took place in the "
        "Volhynian village of Chrynów."
    )
    found = places_from_text(lead)
    assert found is None or "Volhynian" not in found[1]


@pytest.mark.parametrize(
    ("lead", "places", "venues"),
    [
        (
            "The 2014 Kano bombing was a terrorist attack on November 28, 2014, at the Central "
            "Mosque (Grand Mosque) in Kano, the biggest city in the mainly Muslim Northern "
            "Nigeria during the Boko Haram insurgency in Nigeria.",
            ["Kano", "Kano State", "Nigeria"],
            ["Central Mosque"],
        ),
        # a word describing the site before its name
        (
            "The OCTOBER 2016 SANA'A FUNERAL AIRSTRIKE took place on the afternoon of 8 October "
            "2016 when 155 people were killed and at least 525 more wounded when two airstrikes, "
            "about three to eight minutes apart, hit the packed Al Kubra hall in Sana'a, Yemen "
            "during a funeral.",
            ["Sana'a", "Yemen"],
            ["Al Kubra hall"],
        ),
        (
            "A group of three suicide attackers rammed a truck bomb into the wall of the German "
            "consulate in Mazar-i-Sharif, Afghanistan on 10 November 2016.",
            ["Mazar-i-Sharif", "Afghanistan"],
            ["German consulate"],
        ),
        # the site the first one stands in or on
        (
            "On 15 May 1988, the Ulster Volunteer Force launched a gun attack on the Avenue Bar "
            "on Union Street in the city centre of Belfast, Northern Ireland, killing three "
            "Catholic civilians and wounding six others.",
            ["Belfast", "Northern Ireland"],
            ["Avenue Bar", "Union Street"],
        ),
        (
            "The HENRY'S PUB HOSTAGE INCIDENT was a hostage crisis that occurred on September "
            "28, 1990 at Henry's Pub inside the Hotel Durant in Berkeley, California, United "
            "States, when Mehrdad Dashti held 33 hostages for seven hours.",
            ["Berkeley", "California", "United States"],
            ["Henry's Pub", "Hotel Durant"],
        ),
        # a later sentence that says where the shooting itself happened
        (
            "On January 21, 2023, a mass shooting occurred in Monterey Park, California, United "
            "States. The gunman killed eleven people and injured nine others. The shooting "
            "happened at about 10:22 p.m. PST (UTC-8) at Star Ballroom Dance Studio, after an "
            "all-day Lunar New Year Festival was held on a nearby street.",
            ["Monterey Park", "California", "United States"],
            ["Star Ballroom Dance Studio"],
        ),
        # a road named by its kind first
        (
            "On November 26, 1990 an Egyptian border guard crossed into Israel and attacked "
            "several vehicles along the Highway 12 road.",
            ["Ein Netafim"],
            ["Highway 12 road"],
        ),
        # a site without a name, in the town already found
        (
            "A suicide bombing occurred in Iraq on 24 November 2016 when a truck bomb exploded "
            "at a petrol station in Hillah, some 100 kilometers (62 miles) from southern "
            "Baghdad, killing at least 125 people.",
            ["Hillah"],
            ["petrol station"],
        ),
        # "the center of Paris" is no site
        (
            "The Storming of the Bastille occurred in Paris, France, on the afternoon of 14 July "
            "1789. The medieval fortress, armory, and political prison in Paris known as the "
            "Bastille represented royal authority in the center of Paris.",
            ["Paris", "France"],
            [],
        ),
        # the lead's first words; and the province right after the site
        (
            "The Shah Noorani shrine in Balochistan was attacked on November 12, 2016.",
            ["Khuzdar"],
            ["Shah Noorani shrine", "Balochistan"],
        ),
        (
            "The LICHFIELD GUN ATTACK was an ambush carried out by the Provisional IRA (PIRA) on 1 "
            "June 1990 against three off-duty British soldiers who were waiting at Lichfield City "
            "railway station in Staffordshire.",
            ["Lichfield"],
            ["Lichfield City railway station", "Staffordshire"],
        ),
        # who holds the site is not its name
        (
            "The 2022 Chornobaivka attacks were a series of Ukrainian attacks against the "
            "Russian-held Kherson International Airport at Chornobaivka, which began on 27 "
            "February 2022.",
            ["Chornobaivka"],
            ["Kherson International Airport"],
        ),
        # the town a few words after an unnamed site
        (
            "The NOVEMBER MOGADISHU CAR BOMBING occurred on 26 November 2016. At least 20 people "
            "were killed by the explosion of a car bomb near a market in the Somali capital "
            "Mogadishu.",
            ["Mogadishu"],
            ["market"],
        ),
        # the title as the lead's first words is no site; the site after it is
        (
            "The Christchurch mosque shootings were two terrorist mass shootings on 15 March "
            "2019 at the Al Noor Mosque and the Linwood Islamic Centre in Christchurch, New "
            "Zealand during Friday prayers.",
            ["Christchurch", "New Zealand"],
            ["Al Noor Mosque"],
        ),
        # a town's centre is no site; the street in it is
        (
            "The 1974 Bristol bombing was a twin bomb attack carried out by the Provisional IRA "
            "in a shopping street in Bristol city centre on 18 December 1974.",
            ["Bristol", "England"],
            ["shopping street"],
        ),
        # named a little differently among the places already
        (
            "The Domodedovo International Airport bombing was a suicide bombing in the "
            "international arrival hall of Moscow's Domodedovo International, in Domodedovsky "
            "District, Moscow Oblast, on 24 January 2011.",
            ["Domodedovo Airport"],
            [],
        ),
    ],
)
def test_sites_in_the_shapes_real_leads_give(
    lead: str, places: list[str], venues: list[str]
) -> None:
    assert venues_from_text(lead, places) == venues


@pytest.mark.parametrize(
    ("title", "venue"),
    [
        ("Reactions to the Sandy Hook Elementary School shooting", "Sandy Hook Elementary School"),
        ("Imam Reza shrine bombing", "Imam Reza shrine"),
        ("Rose & Crown bar bombing", "Rose & Crown bar"),
        ("2016 Quetta police training college attack", "Quetta police training college"),
        ("2016 Baramulla attack", None),
        ("Storming of the Bastille", None),
    ],
)
def test_the_site_a_title_is_named_after(title: str, venue: str | None) -> None:
    assert venue_of_title(title) == venue


def test_the_town_a_village_is_near() -> None:
    lead = (
        "The GORNJE JAME MASSACRE was the killing 15 Croat civilians in the village of "
        "Gornje Jame, near Glina. The massacre committed by Serbian paramilitary forces."
    )
    found = places_from_text(lead, "Gornje Jame massacre")
    assert found is not None and found[1] == ["Gornje Jame", "Glina"]
    lead = (
        "The SKELANI MASSACRE refers to the killing of 69 Serbian victims in Skelani near "
        "Srebrenica , eastern Bosnia."
    )
    found = places_from_text(lead, "Skelani massacre")
    assert found is not None and found[1] == ["Skelani", "Srebrenica", "Bosnia"]


@pytest.mark.parametrize(
    ("value", "places"),
    [
        # infobox locations as the corpus articles give them
        ("TUR Güngören, Istanbul, Turkey", ["Güngören", "Istanbul", "Turkey"]),
        (
            "Datu Piang, Cotabato, Jolo, and Iligan in Mindanao, Philippines",
            ["Datu Piang", "Cotabato", "Jolo", "Iligan", "Mindanao", "Philippines"],
        ),
        (
            "Lethapora, Pulwama district, Jammu and Kashmir, India",
            ["Lethapora", "Pulwama district", "Jammu and Kashmir", "India"],
        ),
        (
            "off Portland, England, Lyme Bay, English Channel",
            ["Portland", "England", "Lyme Bay", "English Channel"],
        ),
        (
            "Pishin District and Killa Saifullah, Balochistan, Pakistan",
            ["Pishin District", "Killa Saifullah", "Balochistan", "Pakistan"],
        ),
    ],
)
def test_infobox_locations(value: str, places: list[str]) -> None:
    assert parse_places(value) == places


def test_the_place_an_incidents_title_is_named_after() -> None:
    lead = (
        "The 2016 Şemdinli bombing was a car bomb attack on Turkish military base carried out "
        "by the PKK's armed wing HPG in Turkey which occurred on 9 October 2016."
    )
    found = places_from_text(lead, "2016 Şemdinli bombing")
    assert found is not None and found[1] == ["Şemdinli"]
    # a site's name is not a town: "2007 Al-Khilani mosque bombing"
    assert places_from_text("It was condemned.", "2007 Al-Khilani mosque bombing") is None


def test_a_province_named_after_its_town_is_the_province() -> None:
    lead = (
        "A United Nations and Syrian Arab Red Crescent aid convoy unloading at a warehouse "
        "along Highway 60 in the rebel-held city of Urum al-Kubra, approximately 15 kilometers "
        "(9 mi) west of the city of Aleppo in the Aleppo Governorate of Syria, was destroyed "
        "during a late night attack on 19 September 2016."
    )
    found = places_from_text(lead)
    assert found is not None and found[1] == ["Aleppo Governorate"]


@pytest.mark.parametrize(
    ("lead", "places"),
    [
        # a state's adjective before its capital
        (
            "The NOVEMBER MOGADISHU CAR BOMBING occurred on 26 November 2016. At least 20 "
            "people were killed by the explosion of a car bomb near a market in the Somali "
            "capital Mogadishu.",
            ["Mogadishu", "Somalia"],
        ),
        # a state's or a town's possessive before the place in it (a reference's title)
        (
            "Moment of deadly suicide blast in Pakistan's Lahore caught on CCTV (VIDEO)",
            ["Lahore", "Pakistan"],
        ),
    ],
)
def test_a_capital_or_a_quarter_named_with_its_state_or_town(lead: str, places: list[str]) -> None:
    found = places_from_text(lead)
    assert found is not None and found[1] == places and found[0] in lead


def test_where_a_persons_article_says_they_were_killed() -> None:
    # the lead gives no place; the section telling the killing does
    article = parse_archive_text(
        "= Nahed Hattar =\n\n"
        "NAHED HATTAR (1960 – 25 September 2016) was a Jordanian writer and political "
        "activist.\n\n"
        "== Death ==\n"
        "On the morning of 25 September 2016, Hattar was shot to death by a gunman near the "
        "Palace of Justice in the capital Amman, where he was on his way to attend a court "
        "hearing. The gunman was arrested at the scene.\n"
    )
    body, spans = article.layout()
    terms = extract_facts(article, body, spans).terms
    assert [t.value for t in terms if t.kind == "place"] == ["Amman", "Palace of Justice"]


def test_a_site_before_the_kind_of_attack_in_a_title() -> None:
    assert venue_of_title("Sbarro restaurant suicide bombing") == "Sbarro restaurant"


def test_the_region_a_town_is_named_in() -> None:
    lead = (
        "Several large explosions occurred at the Saky airbase in the town of Novofedorivka, "
        "Crimea, on 9 August 2022, during the Russian invasion of Ukraine."
    )
    found = places_from_text(lead)
    assert found is not None and found[1] == ["Novofedorivka", "Crimea"]


def test_the_lead_adds_a_quarter_to_the_infobox_location() -> None:
    article = parse_archive_text(
        "= 2017 Bajaur bombing =\n\nInfobox\n- Location: Bajaur Agency, FATA, Pakistan\n\n"
        "On 11 August 2017, an Improvised explosive device exploded near a passing truck at "
        "Nawagai area of Bajaur Agency, FATA, Pakistan. The explosion left three people dead "
        "while 24 others were wounded.\n"
    )
    body, spans = article.layout()
    terms = extract_facts(article, body, spans).terms
    places = [t.value for t in terms if t.kind == "place"]
    # the infobox's first (the timeline's lane), then what the lead adds
    assert places == ["Bajaur Agency", "FATA", "Pakistan", "Nawagai"]


def test_the_state_after_a_run_of_places() -> None:
    lead = (
        "The RAŠIĆA GAJ MASSACRES were massacres of Serbs committed by the Muslim Ustaše forces "
        "at the beginning of the World War II in Rašića Gaj, Vlasenica in Bosnia and "
        "Herzegovina (contemporary Independent State of Croatia) in June and July 1941."
    )
    found = places_from_text(lead)
    assert found is not None and found[1] == ["Rašića Gaj", "Vlasenica", "Bosnia and Herzegovina"]
