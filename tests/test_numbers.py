"""Locale number style of the report: a deliberate choice per language."""

import datetime as dt

import pytest

from ekc.core.report import numbers


@pytest.mark.parametrize(("lang", "expected"), [("nl", "1,29"), ("de", "1,29"), ("en", "1.29")])
def test_decimal_separator_follows_language(lang, expected):
    assert numbers.number(1.2857, lang) == expected


def test_rounding_is_half_up_like_the_report():
    # Python's round(0.125, 2) gives 0.12; a printed report rounds to 0.13.
    assert numbers.number(0.125, "en") == "0.13"
    assert numbers.number(2.5, "en", 0) == "3"


def test_negative_numbers_use_the_minus_sign():
    assert numbers.number(-2.1231, "en") == "\u22122.12"
    assert numbers.number(-0.001, "en") == "0.00"  # rounds to zero: no sign


# One p-value convention per language (docs/style.md): APA in English, DGPs (which follows
# APA) in German, and in Dutch the APA notation the original report uses. A p-value is never
# written with a decimal comma, and never with a leading zero.
@pytest.mark.parametrize(
    ("lang", "p", "expected"),
    [
        ("en", 0.0361, "p = .036"),
        ("nl", 0.0361, "p = .036"),
        ("de", 0.0361, "p = .036"),
        ("en", 0.0004, "p < .001"),
        ("nl", 0.0004, "p < .001"),
        ("de", 0.0004, "p < .001"),
        ("de", 0.0496, "p < .05"),
        ("en", 0.5, "p = .500"),
    ],
)
def test_p_values_follow_the_language_convention(lang, p, expected):
    assert numbers.p_value(p, lang) == expected
    assert numbers.p_cell(p, lang) == expected.removeprefix("p ").removeprefix("= ")


@pytest.mark.parametrize("lang", ["nl", "en", "de"])
def test_test_statistics_use_apa_notation_while_means_keep_the_locale(lang):
    assert numbers.statistic(-2.1231, lang) == "\u22122.12"
    assert numbers.statistic(1234.5, lang, 1) == "1,234.5"
    assert numbers.number(1.2857, lang) == ("1.29" if lang == "en" else "1,29")


def test_p_value_style_with_leading_zero_is_available():
    assert numbers.p_value(0.0361, "nl", style="leading_zero") == "p = 0.036"


def test_percentages_per_locale():
    assert numbers.percent(44.6, "en") == "45%"
    assert numbers.percent(44.6, "nl") == "45%"
    assert numbers.percent(44.6, "de") == "45\u00a0%"


def test_grouping_of_thousands():
    assert numbers.number(12345.6, "nl", 1) == "12.345,6"
    assert numbers.number(12345.6, "en", 1) == "12,345.6"


def test_dates_per_language():
    day = dt.date(2007, 3, 1)
    assert numbers.date(day, "nl") == "1 maart 2007"
    assert numbers.date(day, "en") == "1 March 2007"
    assert numbers.date(day, "de") == "1. März 2007"
