"""FREK: the coordinator's registration form, a workbook with a family and a child sheet."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ekc.schemas.common import after_or_same, category, family_key, flag

PROBLEMS = [
    "Gedragsproblemen kind",
    "Dood/ziekte ouders",
    "Psychiatrische problemen ouders",
    "Verslaving ouders",
    "Huiselijk geweld",
    "Diverse problematiek",
    "Opvoedingsproblemen",
    "Relatieproblemen ouders",
    "Verwaarlozing",
    "Financiele problemen",
    "Huisvesting",
]
AGENCIES = [
    "Bureau Jeugdzorg",
    "Raad voor de Kinderbescherming",
    "Andere instantie",
    "Combinatie van instanties",
]


class FrekFamilies(pa.DataFrameModel):
    family: Series[str] = family_key("Gezinsnummer", unique=True)
    region: Series[str] = category("Regio", ["Amsterdam", "Overijssel"], nullable=False)
    registered: Series[pa.DateTime] = pa.Field(alias="Datum aanmelding", nullable=False)
    agency: Series[str] = category("Aanmelder instantie", AGENCIES)
    n_children: Series[pd.Int64Dtype] = pa.Field(
        alias="Aantal kinderen", ge=1, le=15, nullable=True
    )
    conference: Series[str] = category("Conferentie gehouden", ["ja", "nee"], nullable=False)
    conference_date: Series[pa.DateTime] = pa.Field(alias="Datum conferentie", nullable=True)
    plan: Series[str] = category("Plan gemaakt", ["ja", "nee", "onbekend"])
    p_behaviour: Series[pd.Int64Dtype] = flag(PROBLEMS[0])
    p_death_illness: Series[pd.Int64Dtype] = flag(PROBLEMS[1])
    p_psychiatric: Series[pd.Int64Dtype] = flag(PROBLEMS[2])
    p_addiction: Series[pd.Int64Dtype] = flag(PROBLEMS[3])
    p_violence: Series[pd.Int64Dtype] = flag(PROBLEMS[4])
    p_various: Series[pd.Int64Dtype] = flag(PROBLEMS[5])
    p_parenting: Series[pd.Int64Dtype] = flag(PROBLEMS[6])
    p_relationship: Series[pd.Int64Dtype] = flag(PROBLEMS[7])
    p_neglect: Series[pd.Int64Dtype] = flag(PROBLEMS[8])
    p_financial: Series[pd.Int64Dtype] = flag(PROBLEMS[9])
    p_housing: Series[pd.Int64Dtype] = flag(PROBLEMS[10])

    @pa.dataframe_check(error="the conference date must not precede the registration date")
    def conference_after_registration(cls, df: pd.DataFrame) -> Series[bool]:
        return after_or_same(df["Datum conferentie"], df["Datum aanmelding"])

    @pa.dataframe_check(
        error="a conference date and a plan are filled in only if a conference was held"
    )
    def conference_fields_consistent(cls, df: pd.DataFrame) -> Series[bool]:
        held = df["Conferentie gehouden"] == "ja"
        return held | (df["Datum conferentie"].isna() & df["Plan gemaakt"].isna())

    @pa.dataframe_check(error="at least one problem type must be ticked")
    def some_problem(cls, df: pd.DataFrame) -> Series[bool]:
        return df[PROBLEMS].fillna(0).sum(axis=1) >= 1


class FrekChildren(pa.DataFrameModel):
    family: Series[str] = family_key("Gezinsnummer", unique=False)
    child: Series[pd.Int64Dtype] = pa.Field(alias="Kindnummer", ge=1, le=15, nullable=False)
    sex: Series[str] = category("Geslacht", ["jongen", "meisje"])
    birth_date: Series[pa.DateTime] = pa.Field(alias="Geboortedatum", nullable=True)
    ethnicity: Series[str] = category("Etniciteit", ["autochtoon", "allochtoon"])
    residence: Series[str] = category(
        "Verblijfplaats", ["thuis", "netwerkgezin", "bestandgezin", "groep", "anders"]
    )

    class Config:
        unique = ["Gezinsnummer", "Kindnummer"]
