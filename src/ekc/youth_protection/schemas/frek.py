"""FREK: the coordinator's registration form, a workbook with a family and a child sheet."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ekc.youth_protection.schemas.fields import (
    after_or_same,
    category,
    family_key,
    flag,
    public_field,
)

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
HELP_DURATIONS = ["geen", "0-1 jaar", "1-2 jaar", "2-5 jaar", "5-10 jaar", "> 10 jaar"]
AGENCIES = [
    "Bureau Jeugdzorg",
    "Raad voor de Kinderbescherming",
    "Andere instantie",
    "Combinatie van instanties",
]


class FrekFamilies(pa.DataFrameModel):
    family: Series[str] = family_key("Gezinsnummer", unique=True)
    region: Series[str] = category("Regio", ["Amsterdam", "Overijssel"], nullable=False)
    registered: Series[pa.DateTime] = public_field(alias="Datum aanmelding", nullable=False)
    agency: Series[str] = category("Aanmelder instantie", AGENCIES)
    n_children: Series[pd.Int64Dtype] = public_field(
        alias="Aantal kinderen", ge=1, le=15, nullable=True
    )
    help_duration: Series[str] = category("Duur hulpverlening", HELP_DURATIONS)
    conference: Series[str] = category("Conferentie gehouden", ["ja", "nee"], nullable=False)
    conference_date: Series[pa.DateTime] = public_field(alias="Datum conferentie", nullable=True)
    plan: Series[str] = category("Plan gemaakt", ["ja", "nee", "onbekend"])
    duration: Series[pd.Float64Dtype] = public_field(
        alias="Duur conferentie (uur)", gt=0, le=48, nullable=True
    )
    private_time: Series[pd.Float64Dtype] = public_field(
        alias="Duur besloten tijd (uur)", ge=0, le=48, nullable=True
    )
    attendees: Series[pd.Int64Dtype] = public_field(
        alias="Aantal aanwezigen", ge=1, le=100, nullable=True
    )
    referrer_present: Series[str] = category("Aanmelder aanwezig", ["ja", "nee"])
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

    @pa.dataframe_check(error="conference details are filled in only if a conference was held")
    def conference_details_only_when_held(cls, df: pd.DataFrame) -> Series[bool]:
        held = df["Conferentie gehouden"] == "ja"
        details = [
            "Duur conferentie (uur)",
            "Duur besloten tijd (uur)",
            "Aantal aanwezigen",
            "Aanmelder aanwezig",
        ]
        return held | df[details].isna().all(axis=1)

    @pa.dataframe_check(error="the private family time cannot exceed the conference's duration")
    def private_time_within_duration(cls, df: pd.DataFrame) -> Series[bool]:
        return after_or_same(df["Duur conferentie (uur)"], df["Duur besloten tijd (uur)"])

    @pa.dataframe_check(error="at least one problem type must be ticked")
    def some_problem(cls, df: pd.DataFrame) -> Series[bool]:
        return df[PROBLEMS].fillna(0).sum(axis=1) >= 1


class FrekChildren(pa.DataFrameModel):
    family: Series[str] = family_key("Gezinsnummer", unique=False)
    child: Series[pd.Int64Dtype] = public_field(alias="Kindnummer", ge=1, le=15, nullable=False)
    sex: Series[str] = category("Geslacht", ["jongen", "meisje"])
    birth_date: Series[pa.DateTime] = pa.Field(alias="Geboortedatum", nullable=True)
    ethnicity: Series[str] = category("Etniciteit", ["autochtoon", "allochtoon"])
    residence: Series[str] = category(
        "Verblijfplaats", ["thuis", "netwerkgezin", "bestandgezin", "groep", "anders"]
    )

    class Config:
        unique = ["Gezinsnummer", "Kindnummer"]


class Fufrek(pa.DataFrameModel):
    """FUFREK: the coordinator's follow-up three months after the conference."""

    family: Series[str] = family_key("Gezinsnummer", unique=True)
    follow_up: Series[pa.DateTime] = public_field(alias="Datum follow-up", nullable=False)
    executed: Series[str] = category(
        "Plan uitgevoerd", ["ja, geheel", "niet volledig", "nee, geheel niet"]
    )
    evaluation_both: Series[str] = category("Evaluatie door aanmelder en familie", ["ja", "nee"])
    evaluation_family: Series[str] = category("Evaluatie door familie", ["ja", "nee"])
