import pytest

from storyline.analyze.quantities import find_quantities
from storyline.records import Quantity


def only(text: str) -> Quantity:
    found = find_quantities(text)
    assert len(found) == 1, found
    return found[0]


def readings(text: str) -> list[tuple[str, float, str | None, str]]:
    return [(q.text, q.value, q.unit, q.comparator) for q in find_quantities(text)]


@pytest.mark.parametrize(
    ("text", "surface", "value", "unit"),
    [
        ("The plan costs $8 trillion.", "$8 trillion", 8e12, "USD"),
        ("Sales reached €3bn last year.", "€3bn", 3e9, "EUR"),
        ("The club paid £1.2m for him.", "£1.2m", 1.2e6, "GBP"),
        ("He promised 8 trillion dollars in cuts.", "8 trillion dollars", 8e12, "USD"),
        ("The fund holds US$40 million.", "US$40 million", 4e7, "USD"),
        ("It raised USD 5 million.", "USD 5 million", 5e6, "USD"),
        ("The ticket was 50 cents.", "50 cents", 0.5, "USD"),
        ("They owe 10 Canadian dollars.", "10 Canadian dollars", 10.0, "CAD"),
        ("A reserve of 300 billion yen.", "300 billion yen", 3e11, "JPY"),
    ],
)
def test_money_with_symbols_codes_words_and_scales(text: str, surface: str, value: float, unit: str) -> None:
    quantity = only(text)
    assert (quantity.text, quantity.unit, quantity.comparator) == (surface, unit, "=")
    assert quantity.value == pytest.approx(value)


def test_percentages_become_ratios() -> None:
    assert readings("Turnout was 61.5% and rose 3 percentage points; 40 percent voted early.") == [
        ("61.5%", pytest.approx(0.615), "ratio", "="),
        ("3 percentage points", pytest.approx(0.03), "percentage_points", "="),
        ("40 percent", pytest.approx(0.4), "ratio", "="),
    ]


def test_counts_take_the_counted_noun() -> None:
    assert readings("About 2.5 million people live there.") == [("About 2.5 million people", 2.5e6, "people", "~")]
    assert readings("The bill adds 17 new taxes.") == [("17 new taxes", 17.0, "taxes", "=")]


def test_count_without_a_noun_has_no_unit() -> None:
    assert readings("He scored 42 and left.") == [("42", 42.0, None, "=")]


@pytest.mark.parametrize(
    ("text", "comparator"),
    [
        ("over 90% of voters", ">"),
        ("more than 40,000 troops", ">"),
        ("at least 12 ships", ">="),
        ("nearly 300 homes", "~"),
        ("about 5 million", "~"),
        ("up to 15% of revenue", "<="),
        ("fewer than 200 cases", "<"),
        ("~5% of students", "~"),
        ("10 or more people", ">="),
        ("5,000-plus jobs", ">="),
    ],
)
def test_comparators_are_read_and_kept_in_the_span(text: str, comparator: str) -> None:
    quantity = only(text)
    assert quantity.comparator == comparator
    assert quantity.start == 0


def test_over_90_percent_example_from_the_contract() -> None:
    assert readings("over 90%") == [("over 90%", pytest.approx(0.9), "ratio", ">")]


def test_over_a_period_is_not_a_comparator() -> None:
    assert readings("$8 trillion over ten years") == [
        ("$8 trillion", 8e12, "USD", "="),
        ("ten years", 10.0, "years", "="),
    ]


def test_comparator_needs_a_word_boundary() -> None:
    assert only("Moreover 30 people came.").text == "30 people"


@pytest.mark.parametrize(
    ("text", "surface", "value", "unit"),
    [
        ("between 5 and 10 million barrels", "between 5 and 10 million barrels", 5e6, "barrels"),
        ("it will cost $3-4 billion", "$3-4 billion", 3e9, "USD"),
        ("10-20% of users", "10-20%", 0.1, "ratio"),
        ("3 to 5 percent", "3 to 5 percent", 0.03, "ratio"),
    ],
)
def test_ranges_take_the_first_value_as_a_lower_bound(text: str, surface: str, value: float, unit: str) -> None:
    quantity = only(text)
    assert (quantity.text, quantity.unit, quantity.comparator) == (surface, unit, ">=")
    assert quantity.value == pytest.approx(value)


def test_from_to_is_a_change_not_a_range() -> None:
    assert [q.text for q in find_quantities("Rates rose from 5 to 10 percent.")] == ["5", "10 percent"]


def test_number_words() -> None:
    assert readings("Three people died; twenty-five states and a dozen eggs; two dozen bills.") == [
        ("Three people", 3.0, "people", "="),
        ("twenty-five states", 25.0, "states", "="),
        ("a dozen eggs", 12.0, "eggs", "="),
        ("two dozen bills", 24.0, "bills", "="),
    ]


def test_number_words_that_count_nothing_are_skipped() -> None:
    assert find_quantities("One of them said no one knew, and the two met once.") == []


def test_one_with_a_scale_counts() -> None:
    assert readings("one million jobs") == [("one million jobs", 1e6, "jobs", "=")]


def test_vague_plurals_are_lower_bounds() -> None:
    assert readings("Hundreds of people lost tens of thousands of dollars.") == [
        ("Hundreds of people", 200.0, "people", ">="),
        ("tens of thousands of dollars", 20000.0, "USD", ">="),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "In 1983 the law passed.",
        "The 2016 election was close.",
        "Since 2008, things changed.",
        "Between 2010 and 2015 it grew.",
        "It happened in the 1990s.",
    ],
)
def test_years_are_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


def test_a_four_digit_count_with_a_comma_or_currency_is_not_a_year() -> None:
    assert [q.value for q in find_quantities("It cost $1983 and drew 2,016 fans.")] == [1983.0, 2016.0]


@pytest.mark.parametrize(
    "text",
    [
        "The vote is on June 5.",
        "It ended on 12 March.",
        "Meet at 5 p.m. or 10:30.",
        "He came 1st and she came 2nd.",
        "COVID-19 and the 9/11 Commission, the G20 and 3D printers.",
        "Article 5 and No. 10 apply.",
        "Version 1.2.3 shipped.",
    ],
)
def test_dates_times_ordinals_and_labels_are_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


def test_one_letter_scale_needs_a_currency() -> None:
    assert find_quantities("A 5m wall.") == []
    assert only("A $5m wall.").value == pytest.approx(5e6)


def test_pounds_alone_is_not_assumed_to_be_money() -> None:
    assert only("5 pounds of flour").unit == "pounds"
    assert only("5 pounds sterling").unit == "GBP"


def test_offsets_point_into_the_text_and_respect_the_window() -> None:
    text = "First 10 apples. Then $2 billion. Then 30% more."
    found = find_quantities(text, start=17, end=33)
    assert [q.text for q in found] == ["$2 billion"]
    for quantity in find_quantities(text):
        assert text[quantity.start : quantity.end] == quantity.text


def test_empty_text() -> None:
    assert find_quantities("") == []


def test_numbers_with_leading_zeros_are_not_counts() -> None:
    texts = [q.text for q in find_quantities("Around 1, 000 people fled; 007 agents stayed.")]
    assert not [t for t in texts if "000" in t or "007" in t]
