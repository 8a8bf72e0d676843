"""Field helpers shared by the youth-protection study's export models, and its identifiers."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ekc.core.validation import NON_IDENTIFYING, Identifiers

FAMILY_KEY_PATTERN = r"^EK\d{2}-\d{3,7}$"
# Columns that hold a case number: pseudonymised wherever they are written.
CASE_KEY_COLUMNS = frozenset({"gezinsnummer", "Gezinsnummer", "gezinsnr", "koppel_gezinsnr"})
IDENTIFIERS = Identifiers(
    case_keys=CASE_KEY_COLUMNS,
    case_key_pattern=FAMILY_KEY_PATTERN,
    case_key_form="a case number of the form EK<yy>-<nnn>",
)
YES_NO = ["ja", "nee"]


def public_field(**options) -> object:
    """A column the schema marks non-identifying: its values may leave the private area (in
    QC summaries and messages). Every other column is identifying (privacy by allow-list):
    case keys, birth dates, free text, the ids of interviews and professionals."""
    return pa.Field(**options, metadata=NON_IDENTIFYING)


def family_key(alias: str, *, unique: bool) -> object:
    return pa.Field(
        alias=alias,
        unique=unique,
        str_matches=FAMILY_KEY_PATTERN,
        nullable=False,
    )


def category(alias: str, values: list[str], *, nullable: bool = True) -> object:
    return public_field(alias=alias, isin=values, nullable=nullable)


def flag(alias: str) -> object:
    """A ticked box: 0 or 1, never empty."""
    return public_field(alias=alias, isin=[0, 1], nullable=False)


def after_or_same(later: pd.Series, earlier: pd.Series) -> pd.Series:
    """Row-wise: `later` is empty, `earlier` is empty, or later >= earlier."""
    return later.isna() | earlier.isna() | (later >= earlier)
