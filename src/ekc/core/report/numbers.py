"""Numbers as each language writes them, through Babel.

Decisions (tested in tests/test_numbers.py):
- decimal separator and grouping follow the locale: 1,29 in Dutch and German, 1.29 in English;
- the report of a statistical test (statistic, degrees of freedom, p) is written in APA
  notation in every language, with a decimal point: t(106) = −2.12, p = .036. English
  follows APA, German the DGPs guidelines (which follow APA here), Dutch the original
  report and Dutch social-science journals (docs/style.md gives the reasons); descriptive
  numbers (means, percentages) keep the language's own decimal mark (1,29 in nl and de);
- statistics that cannot exceed 1 (p-values, proportions, Cramer's V) drop the leading zero
  (p = .036); `p_value_style: leading_zero` in the config keeps it (p = 0.036);
- p below .001 is written p < .001, never p = .000;
- a printed p never contradicts the verdict: p is significant when p < alpha, and when
  rounding to three decimals would carry it to alpha or beyond (p = .0496 -> ".050") it is
  written p < .05 (the alpha, with its own decimals) instead;
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
# The number style of a test report per language: APA notation everywhere (see above).
STATISTICS_STYLE = {"nl": "en", "en": "en", "de": "en"}
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


def statistic(value: float | None, lang: str, decimals: int = 2) -> str:
    """A test statistic or non-integer df as a test report writes it (APA: 2.12)."""
    return number(value, STATISTICS_STYLE[lang], decimals)


def bounded(value: float, lang: str, decimals: int = 3, leading_zero: bool = False) -> str:
    """A statistic bounded by 1 (p, V): APA style drops the leading zero."""
    text = number(value, lang, decimals)
    if not leading_zero:
        sep = get_decimal_symbol(_locale(lang))
        text = text.replace("0" + sep, sep, 1) if text.lstrip(MINUS).startswith("0" + sep) else text
    return text


P_DECIMALS = 3
P_FLOOR = 0.001


def _decimals(value: float) -> int:
    """Decimals a threshold is written with (.05 -> 2, .001 -> 3)."""
    return max(0, -Decimal(repr(value)).normalize().as_tuple().exponent)


def p_cell(p: float, lang: str, style: str = "apa", alpha: float = 0.05) -> str:
    """The p of a table cell: '.036', '< .001' or '< .05', agreeing with the verdict at
    `alpha` (significant when p < alpha), in the language's test-report notation."""
    if p is None or p != p:
        raise ValueError("no p-value to print: a test that could not be computed has none")
    lang = STATISTICS_STYLE[lang]
    leading = style == "leading_zero"
    if p < P_FLOOR:
        return "< " + bounded(P_FLOOR, lang, P_DECIMALS, leading)
    if p < alpha <= round_half_up(p, P_DECIMALS):
        return "< " + bounded(alpha, lang, _decimals(alpha), leading)
    decimals = P_DECIMALS
    while p >= alpha > round_half_up(p, decimals):  # only for an alpha finer than .001
        decimals += 1
    return bounded(p, lang, decimals, leading)


def p_value(p: float, lang: str, style: str = "apa", alpha: float = 0.05) -> str:
    """'p = .036' / 'p < .001' / 'p < .05' in the language's number style; the text agrees
    with the verdict at `alpha`."""
    cell = p_cell(p, lang, style, alpha)
    return "p " + cell if cell.startswith("<") else "p = " + cell


def date(value: dt.date, lang: str) -> str:
    return babel_format_date(value, "long", locale=_locale(lang))
