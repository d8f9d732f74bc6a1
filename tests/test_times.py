import datetime

import pytest

from storyline.analyze.sentences import split_sentences
from storyline.analyze.times import find_events, find_times
from storyline.records import TimeExpression

FRIDAY = datetime.date(2026, 6, 19)  # a Friday in ISO week 25
WEDNESDAY = datetime.date(2026, 6, 17)


def times_of(text: str, anchor: datetime.date | None = FRIDAY) -> list[tuple[str, str, str]]:
    return [(t.text, t.type, t.value) for t in find_times(text, anchor)]


def only(text: str, anchor: datetime.date | None = FRIDAY) -> tuple[str, str, str]:
    found = times_of(text, anchor)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("It opened on June 19, 2026.", ("June 19, 2026", "DATE", "2026-06-19")),
        ("It opened on 19 June 2026.", ("19 June 2026", "DATE", "2026-06-19")),
        ("It opened on 2026-06-19.", ("2026-06-19", "DATE", "2026-06-19")),
        ("It opened on 6/19/2026.", ("6/19/2026", "DATE", "2026-06-19")),
        ("Posted 2026/06/20 by staff.", ("2026/06/20", "DATE", "2026-06-20")),
        ("Posted 20.06.2026 by staff.", ("20.06.2026", "DATE", "2026-06-20")),
        ("Posted 19/06/2026 by staff.", ("19/06/2026", "DATE", "2026-06-19")),
        ("It opened on Aug. 7, 1998.", ("Aug. 7, 1998", "DATE", "1998-08-07")),
        ("It opened on the 4th of July 1976.", ("the 4th of July 1976", "DATE", "1976-07-04")),
        ("Updated 2026-06-19T14:30:00Z.", ("2026-06-19T14:30:00Z", "TIME", "2026-06-19T14:30")),
    ],
)
def test_absolute_dates(sentence: str, expected: tuple[str, str, str]) -> None:
    assert only(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The plant was built in 1983.", ("1983", "DATE", "1983")),
        ("Sales rose in fiscal 1989.", ("fiscal 1989", "DATE", "1989")),
        ("Prices fell in March 2025.", ("March 2025", "DATE", "2025-03")),
        ("Prices fell last March.", ("last March", "DATE", "2026-03")),
        ("Prices will rise next March.", ("next March", "DATE", "2027-03")),
        ("It was popular in the 1990s.", ("the 1990s", "DATE", "199")),
        ("It was popular in the early '80s.", ("the early '80s", "DATE", "198")),
        ("Opinions shifted in the 21st century.", ("the 21st century", "DATE", "20")),
        ("The drought began last summer.", ("last summer", "DATE", "2025-SU")),
        ("Talks resume in the fall of 2027.", ("the fall of 2027", "DATE", "2027-FA")),
        ("Profit fell in the second quarter.", ("the second quarter", "DATE", "2026-Q2")),
        ("Profit fell in the fourth quarter of 2024.", ("the fourth quarter of 2024", "DATE", "2024-Q4")),
        ("Profit fell in Q3 2025.", ("Q3 2025", "DATE", "2025-Q3")),
        ("Sales grew in the first half of 2025.", ("the first half of 2025", "DATE", "2025-H1")),
        ("It opened on Christmas Day 2024.", ("Christmas Day 2024", "DATE", "2024-12-25")),
        ("They met on Thanksgiving 2025.", ("Thanksgiving 2025", "DATE", "2025-11-27")),
    ],
)
def test_years_months_decades_seasons_quarters(sentence: str, expected: tuple[str, str, str]) -> None:
    assert only(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("He left yesterday.", ("yesterday", "DATE", "2026-06-18")),
        ("He leaves tomorrow.", ("tomorrow", "DATE", "2026-06-20")),
        ("He leaves today.", ("today", "DATE", "2026-06-19")),
        ("He left last week.", ("last week", "DATE", "2026-W24")),
        ("He leaves next week.", ("next week", "DATE", "2026-W26")),
        ("He left last month.", ("last month", "DATE", "2026-05")),
        ("He leaves next year.", ("next year", "DATE", "2027")),
        ("He left two weeks ago.", ("two weeks ago", "DATE", "2026-W23")),
        ("He left three days ago.", ("three days ago", "DATE", "2026-06-16")),
        ("He left five years ago.", ("five years ago", "DATE", "2021")),
        ("He left earlier this year.", ("earlier this year", "DATE", "2026")),
        ("He left last weekend.", ("last weekend", "DATE", "2026-W24-WE")),
        ("He spoke this morning.", ("this morning", "TIME", "2026-06-19TMO")),
        ("He spoke last night.", ("last night", "TIME", "2026-06-18TNI")),
        ("He spoke at 10:35 a.m.", ("10:35 a.m.", "TIME", "2026-06-19T10:35")),
        ("He is now retired.", ("now", "DATE", "PRESENT_REF")),
        ("He is currently retired.", ("currently", "DATE", "PRESENT_REF")),
        ("He recently retired.", ("recently", "DATE", "PAST_REF")),
        ("We will see in the future.", ("the future", "DATE", "FUTURE_REF")),
    ],
)
def test_relative_expressions(sentence: str, expected: tuple[str, str, str]) -> None:
    assert only(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The war lasted three years.", ("three years", "DURATION", "P3Y")),
        ("The war lasted a decade.", ("a decade", "DURATION", "P10Y")),
        ("The war lasted 2 1/2 years.", ("2 1/2 years", "DURATION", "P2Y6M")),
        ("It was a five-hour meeting.", ("five-hour", "DURATION", "PT5H")),
        ("Prices rose over the past two months.", ("the past two months", "DURATION", "P2M")),
        ("It took about 90 minutes.", ("about 90 minutes", "DURATION", "PT90M")),
        ("It took several weeks.", ("several weeks", "DURATION", "PXW")),
        ("The group meets every week.", ("every week", "SET", "P1W")),
        ("The paper is printed daily.", ("daily", "SET", "P1D")),
        ("The group meets on Mondays.", ("Mondays", "SET", "XXXX-WXX-1")),
        ("The group meets twice a year.", ("twice a year", "SET", "P1Y")),
        ("Rents rose 5% a year.", ("a year", "SET", "P1Y")),
    ],
)
def test_durations_and_sets(sentence: str, expected: tuple[str, str, str]) -> None:
    assert only(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("The minister resigned on Monday.", "2026-06-15"),  # past -> the Monday before
        ("The minister will resign on Monday.", "2026-06-22"),  # future -> the Monday after
        ("The vote will be held Friday, officials said.", "2026-06-19"),  # a trailing "said" does not count
        ("Officials said Friday that the vote was delayed.", "2026-06-12"),
        ("The vote is scheduled for Friday.", "2026-06-19"),
        ("Monday's meeting ran long and nobody knew why.", "2026-06-15"),
        ("The meeting on Tuesday", "2026-06-16"),  # no tense -> the nearest Tuesday
        ("The meeting on Saturday", "2026-06-20"),
        ("It happened last Wednesday.", "2026-06-10"),  # "last" -> strictly before the anchor
        ("It happens next Wednesday.", "2026-06-24"),
        ("It happens this Friday.", "2026-06-19"),
    ],
)
def test_weekdays_follow_the_tense_of_the_sentence(sentence: str, value: str) -> None:
    (found,) = find_times(sentence, WEDNESDAY)
    assert found.value == value


@pytest.mark.parametrize(
    ("sentence", "anchor", "value"),
    [
        ("The deal closed on Dec. 28.", datetime.date(2026, 1, 5), "2025-12-28"),  # nearest, over new year
        ("The deadline is Jan. 14.", datetime.date(2025, 12, 30), "2026-01-14"),
        ("The company was founded in August.", datetime.date(2026, 6, 19), "2025-08"),  # past, far -> before
        ("The company will open in August.", datetime.date(2026, 6, 19), "2026-08"),
        ("Profit rose in the third quarter.", datetime.date(2026, 2, 10), "2025-Q3"),  # quarters that ended
    ],
)
def test_a_missing_year_comes_from_the_anchor(sentence: str, anchor: datetime.date, value: str) -> None:
    (found,) = find_times(sentence, anchor)
    assert found.value == value


def test_later_and_earlier_count_from_the_date_before_them() -> None:
    text = "The siege began on March 3, 2020. A year earlier it had been calm. Two days later the town fell."
    # "a year earlier" compares with the siege; it does not move the story on, so "two days later" counts from it
    assert [t.value for t in find_times(text, FRIDAY)] == ["2020-03-03", "2019-03-03", "2020-03-05"]


def test_anaphoric_units_count_from_the_date_before_them() -> None:
    text = "The strike began on March 3, 2020. The next day the mine closed. The following month, the owners sold."
    assert [t.value for t in find_times(text, FRIDAY)] == ["2020-03-03", "2020-03-04", "2020-04"]


def test_a_year_earlier_after_a_quarter_is_that_quarter_a_year_before() -> None:
    text = "Net income rose in the third quarter from a year earlier."
    assert [t.value for t in find_times(text, datetime.date(2026, 10, 20))] == ["2026-Q3", "2025-Q3"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("It opened on June 19.", ("June 19", "DATE", "XXXX-06-19")),
        ("It opened yesterday.", ("yesterday", "DATE", "XXXX-XX-XX")),
        ("It opened on Friday.", ("Friday", "DATE", "XXXX-WXX-5")),
        ("It opened last month.", ("last month", "DATE", "XXXX-XX")),
        ("It opened in the third quarter.", ("the third quarter", "DATE", "XXXX-Q3")),
        ("It opened on June 19, 2026.", ("June 19, 2026", "DATE", "2026-06-19")),
        ("It lasted three years.", ("three years", "DURATION", "P3Y")),
    ],
)
def test_without_an_anchor_relative_values_are_unanchored(sentence: str, expected: tuple[str, str, str]) -> None:
    assert only(sentence, None) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "They may agree to the terms.",
        "The company hired 1,200 people.",
        "The company hired 2000 workers.",
        "He had 59 catches for 1098 yards and seven touchdowns.",  # was the year 1098 on a timeline
        "She ran for 2005 yards and scored 1999 points in her career.",
        "Few mourned the fall of Rome.",
        "She is in her forties.",
        "He watched 60 Minutes with his son.",
        "A 45-year-old man was arrested.",
        "He owns a quarter of the shares.",
        "Then the march began.",
    ],
)
def test_non_temporal_uses_are_not_time_expressions(sentence: str) -> None:
    assert find_times(sentence, FRIDAY) == []


def test_offsets_point_at_the_expression_text() -> None:
    text = (
        "WASHINGTON — On Friday, June 19, 2026, officials said the talks, first held in 1983, would resume "
        "next week.\n\nTwo days later, after three years of delay, the 1990s-era plan was revived. Every week "
        "since then, at 10 p.m., the group has met; it met yesterday morning and will meet again in Q3 2026."
    )
    found = find_times(text, FRIDAY)
    assert len(found) >= 8
    for time in found:
        assert text[time.start : time.end] == time.text
    assert [t.start for t in found] == sorted(t.start for t in found)


def test_events_are_sentences_with_a_specific_date() -> None:
    text = (
        "The plant opened in 1983. It ran for three years. Now it is closed. "
        "It was sold on June 3, 2026, and again in 2027. Nobody knows why. It reopens next week."
    )
    sentences = split_sentences(text)
    times = find_times(text, FRIDAY)
    events = find_events(text, sentences, times)
    assert [(e.date, e.text) for e in events] == [
        ("1983", "The plant opened in 1983."),
        ("2026-06-03", "It was sold on June 3, 2026, and again in 2027."),
    ]
    for event in events:
        assert text[event.start : event.end] == event.text
        assert event.time.start >= event.start and event.time.end <= event.end


def test_events_use_the_date_part_of_a_clock_time_and_skip_unanchored_values() -> None:
    text = "The blast came at 10 p.m. Wednesday. The trial opened on June 19."
    sentences = split_sentences(text)
    anchored = find_events(text, sentences, find_times(text, FRIDAY))
    assert [e.date for e in anchored] == ["2026-06-17", "2026-06-19"]
    assert anchored[0].time.type == "TIME"
    assert find_events(text, sentences, find_times(text, None)) == []


def test_events_ignore_durations_sets_and_vague_references() -> None:
    text = "Prices rose for three years. They rise every week. Costs are currently high. It happened recently."
    assert find_events(text, split_sentences(text), find_times(text, FRIDAY)) == []


def test_find_events_accepts_expressions_it_did_not_find_itself() -> None:
    text = "It happened then. It happened again."
    time = TimeExpression("then", 12, 16, "DATE", "2024-05")
    (event,) = find_events(text, split_sentences(text), [time])
    assert (event.date, event.start, event.end) == ("2024-05", 0, 17)


def test_a_datetime_anchor_is_read_as_its_date() -> None:
    (found,) = find_times("He left yesterday.", datetime.datetime(2026, 6, 19, 23, 30))
    assert found.value == "2026-06-18"
