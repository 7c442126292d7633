"""The incident's date and country from running text, in shapes real articles give (each
sentence quoted from an article of the corpus, tests/fixtures/corpus)."""

from __future__ import annotations

from datetime import date

import pytest

from viewer.extraction.dates import DateRange, date_from_text, parse_date_text
from viewer.extraction.facts import extract_facts
from viewer.extraction.gazetteer import gazetteer
from viewer.parsing.archive_text import parse_archive_text


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        # a night across two days, written with a slash
        (
            "During the night of 31 December 2022/1 January 2023, the Ukrainian Ground Forces "
            "launched a rocket strike on the building of Professional Technical School (PTU) No. "
            "19 in Makiivka, Donetsk Oblast.",
            date(2022, 12, 31),
            date(2023, 1, 1),
        ),
        (
            "During the night of 24/25 February 1942, unidentified objects caused a succession "
            "of alerts in southern California.",
            date(1942, 2, 24),
            date(1942, 2, 25),
        ),
    ],
)
def test_a_night_across_two_days(text: str, start: date, end: date) -> None:
    found = parse_date_text(text)
    assert found is not None and (found.start, found.end) == (start, end)


def test_the_day_inside_the_month_the_lead_gives() -> None:
    # the lead: "... is the crime committed in June 2014 in the city of Slaviansk"
    body = (
        "On April 12, 2014, a group of armed men seized government buildings in Slaviansk, "
        "joining it to the self-proclaimed Donetsk People's Republic. On June 8, 2014, during a "
        "Pentecost church service, militants of the Russian Orthodox Army burst into the church."
    )
    june = DateRange(date(2014, 6, 1), date(2014, 6, 30), "month")
    found = date_from_text(body, "Murder of pentecostals in Slaviansk", within=june)
    assert found is not None and found[1] == DateRange(date(2014, 6, 8), date(2014, 6, 8), "day")
    assert date_from_text("On April 12, 2014, armed men seized it.", within=june) is None


def test_a_town_at_the_end_of_a_sentence_places_the_incident() -> None:
    lead = (
        "The ROSE & CROWN BAR BOMBING was a bomb attack carried out against a Catholic-owned "
        "pub in Belfast. The attack was carried out by the loyalist paramilitary group the "
        "Ulster Volunteer Force (UVF)."
    )
    assert gazetteer().country_of_lead(lead) == "GB"


def test_a_reactions_page_is_not_placed_where_its_reactions_were_made() -> None:
    article = parse_archive_text(
        "= Reactions to the September 11 attacks =\n\n"
        "== Organizations ==\n"
        "- NATO: NATO held an emergency meeting of the alliance's ambassadors in Brussels. The "
        "secretary general, Lord Robertson, promised the United States that it could rely on its "
        "allies in North America and Europe for assistance and support.\n"
    )
    body, spans = article.layout()
    assert extract_facts(article, body, spans).country == "United States"


def test_the_months_between_two_month_names() -> None:
    text = (
        "The RAŠIĆA GAJ MASSACRES were massacres of Serbs committed by the Muslim Ustaše forces "
        "at the beginning of the World War II in Rašića Gaj, Vlasenica in Bosnia and "
        "Herzegovina (contemporary Independent State of Croatia) in June and July 1941."
    )
    found = parse_date_text(text)
    assert found == DateRange(date(1941, 6, 1), date(1941, 7, 31), "month")


def test_days_only_gives_the_dated_mentions_of_a_full_search() -> None:
    from viewer.extraction.dates import find_dates

    text = (
        "In 2019 the group was banned. On 9 February 2024, and again on March 3, it struck; "
        "from June to July 2023 and in May 2022 nothing, 7–8 February 2024, 2024-02-07, 31 "
        "February 2024, on 4 and 5 June."
    )
    dated = [m for m in find_dates(text) if m.day is not None]
    assert find_dates(text, days_only=True) == dated
    assert [m.kind for m in dated] == ["dmy", "md", "dd_my", "iso", "dm"]
