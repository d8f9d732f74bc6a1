import pytest

from storyline.extract.dates import date_from_url, find_date, parse_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-06-19", "2026-06-19"),
        ("2026/06/20", "2026-06-20"),
        ("20.06.2026", "2026-06-20"),
        ("June 19, 2026", "2026-06-19"),
        ("19 June 2026", "2026-06-19"),
        ("Sept. 3rd, 2025", "2025-09-03"),
        ("2026年6月20日", "2026-06-20"),
        ("Fri, 19 Jun 2026 10:00:00 GMT", "2026-06-19T10:00:00+00:00"),
        ("2026-06-19T10:00:00+0200", "2026-06-19T10:00:00+02:00"),
        ("2026-06-19T10:00:00", "2026-06-19"),
        ("not a date", None),
        ("2026-13-40", None),
        ("1850-01-01", None),
    ],
)
def test_parse_date(value: str, expected: str | None) -> None:
    assert parse_date(value) == expected


def test_find_date_gives_the_span_of_the_date() -> None:
    line = "Interconnects · Nathan Lambert · 2026-06-19"
    iso, start, end = find_date(line) or ("", 0, 0)
    assert iso == "2026-06-19"
    assert line[start:end] == "2026-06-19"


def test_ambiguous_slash_dates_read_month_first_and_dotted_dates_day_first() -> None:
    assert parse_date("06/07/2026") == "2026-06-07"
    assert parse_date("06.07.2026") == "2026-07-06"
    assert parse_date("25/12/2026") == "2026-12-25"


def test_dates_in_urls() -> None:
    assert date_from_url("https://example.com/2026/06/19/story-slug") == "2026-06-19"
    assert date_from_url("https://example.com/news/20260619-story") == "2026-06-19"
    assert date_from_url("https://example.com/about") is None
