"""Numbers as each language writes them, through Babel.

Decisions (tested in tests/test_numbers.py):
- decimal separator and grouping follow the locale: 1,29 in Dutch and German, 1.29 in English;
- statistics that cannot exceed 1 (p-values, proportions, Cramer's V) drop the leading zero,
  as APA style and the study's own report do: p = .036 (en), p = ,036 (nl, de);
  `p_value_style: leading_zero` in the config keeps it (p = 0,036);
- p below .001 is written p < .001, never p = .000;
- negative numbers use the typographic minus sign (U+2212);
- percentages are whole numbers, as in the report, with the locale's percent pattern
  (German puts a no-break space before %).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal, get_decimal_symbol

LOCALES = {"nl": "nl_NL", "en": "en_GB", "de": "de_DE"}
MINUS = "\u2212"


def round_half_up(value: float, decimals: int) -> float:
    """Round as a report prints (2.5 -> 3), not as Python's banker's rounding; the fidelity
    table compares with published figures by the same rule."""
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def _locale(lang: str) -> str:
    return LOCALES[lang]


def number(value: float | int | None, lang: str, decimals: int = 2) -> str:
    if value is None:
        return "–"
    rounded = round_half_up(float(value), decimals)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    text = format_decimal(abs(rounded), pattern, locale=_locale(lang))
    return (MINUS + text) if rounded < 0 else text


def integer(value: int | None, lang: str) -> str:
    return number(value, lang, 0)


def percent(value: float | None, lang: str) -> str:
    """`value` in percent points (44.6 -> '45%' / '45 %')."""
    if value is None:
        return "–"
    pattern = Locale.parse(_locale(lang)).percent_formats[None].pattern
    whole = number(round_half_up(value, 0), lang, 0)
    return pattern.replace("#,##0", whole)


def bounded(value: float, lang: str, decimals: int = 3, leading_zero: bool = False) -> str:
    """A statistic bounded by 1 (p, V): APA style drops the leading zero."""
    text = number(value, lang, decimals)
    if not leading_zero:
        sep = get_decimal_symbol(_locale(lang))
        text = text.replace("0" + sep, sep, 1) if text.lstrip(MINUS).startswith("0" + sep) else text
    return text


def p_value(p: float, lang: str, style: str = "apa") -> str:
    """'p = .036' / 'p < .001' in the language's number style."""
    leading = style == "leading_zero"
    if p < 0.001:
        return "p < " + bounded(0.001, lang, 3, leading)
    return "p = " + bounded(p, lang, 3, leading)


def date(value: dt.date, lang: str) -> str:
    return babel_format_date(value, "long", locale=_locale(lang))
