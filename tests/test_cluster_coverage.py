"""Coverage: counts, outlets, languages, time span, velocity and the noise formula."""

import pytest

from storyline.cluster.coverage import NOISE_FORMULA, CoverageInput, compute_coverage, noise_level, parse_time


def test_noise_formula_weighs_copies_fully_and_rewrites_half() -> None:
    roles = ["original", "syndicated_copy", "syndicated_copy", "derivative", "independent"]
    assert noise_level(roles) == pytest.approx((2 + 0.5 * 1) / 5)
    assert noise_level(["original", "independent"]) == 0.0
    assert noise_level([]) == 0.0
    assert NOISE_FORMULA == "(syndicated_copies + 0.5 * derivatives) / articles"


def test_coverage_fields() -> None:
    members = [
        CoverageInput("original", "Reuters", "en", "2026-06-19T08:00:00+00:00"),
        CoverageInput("syndicated_copy", "Yahoo", "en", "2026-06-19T10:00:00+00:00"),
        CoverageInput("independent", "Le Monde", "fr", "2026-06-22"),
        CoverageInput("derivative", None, None, None),
    ]
    coverage = compute_coverage(members)
    assert coverage.articles == 4
    assert coverage.outlets == ("Le Monde", "Reuters", "Yahoo")
    assert coverage.languages == ("en", "fr")
    assert coverage.first_seen == "2026-06-19T08:00:00+00:00"
    assert coverage.last_seen == "2026-06-22"
    # three dated articles over 2 days 16 hours
    assert coverage.velocity == pytest.approx(3 / (2 + 16 / 24), abs=1e-3)
    assert coverage.noise == pytest.approx((1 + 0.5) / 4)
    assert coverage.noise_formula == NOISE_FORMULA


def test_velocity_floors_the_span_at_one_day_and_is_zero_without_dates() -> None:
    same_day = [
        CoverageInput("original", None, None, "2026-06-19"),
        CoverageInput("independent", None, None, "2026-06-19"),
    ]
    assert compute_coverage(same_day).velocity == 2.0
    undated = compute_coverage([CoverageInput("original", None, None, None)])
    assert (undated.velocity, undated.first_seen, undated.last_seen) == (0.0, None, None)


def test_parse_time_accepts_dates_datetimes_and_z() -> None:
    assert parse_time("2026-06-19") is not None
    assert parse_time("2026-06-19T10:00:00Z") == parse_time("2026-06-19T10:00:00+00:00")
    assert parse_time("yesterday") is None
    assert parse_time(None) is None
