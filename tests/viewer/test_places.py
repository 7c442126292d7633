"""Where the lead says an incident happened, when no infobox gives a location."""

from __future__ import annotations

import pytest

from viewer.extraction.lists import places_from_text, subdivision_code, venue_from_text


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
            ["Eutaw", "Alabama"],
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
    assert venue_from_text(lead, places) == venue


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
