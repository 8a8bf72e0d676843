"""Field helpers shared by the export models."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

FAMILY_KEY_PATTERN = r"^EK\d{2}-\d{3,7}$"
# Columns that identify a person or a case: never written to results/ as they are.
CASE_KEY_COLUMNS = {"gezinsnummer", "Gezinsnummer", "gezinsnr", "koppel_gezinsnr"}
DIRECT_IDENTIFIER_COLUMNS = {
    "Geboortedatum",
    "geboortedatum",
    "naam",
    "Naam",
    "voornaam",
    "Voornaam",
    "achternaam",
    "Achternaam",
    "adres",
    "Adres",
    "postcode",
    "Postcode",
    "telefoon",
    "Telefoon",
    "bsn",
    "BSN",
}
YES_NO = ["ja", "nee"]


def family_key(alias: str, *, unique: bool) -> object:
    return pa.Field(
        alias=alias,
        unique=unique,
        str_matches=FAMILY_KEY_PATTERN,
        nullable=False,
    )


def category(alias: str, values: list[str], *, nullable: bool = True) -> object:
    return pa.Field(alias=alias, isin=values, nullable=nullable)


def flag(alias: str) -> object:
    """A ticked box: 0 or 1, never empty."""
    return pa.Field(alias=alias, isin=[0, 1], nullable=False)


def after_or_same(later: pd.Series, earlier: pd.Series) -> pd.Series:
    """Row-wise: `later` is empty, `earlier` is empty, or later >= earlier."""
    return later.isna() | earlier.isna() | (later >= earlier)
