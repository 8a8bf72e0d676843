"""The researchers' case register: every family in the study and its design status."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ekc.youth_protection.schemas.fields import category, family_key, public_field

DOSSIER = [
    "geanalyseerd",
    "niet gepland (restgroep)",
    "niet toegankelijk",
    "niet te achterhalen",
    "gearchiveerd",
    "overgedragen",
]


class Register(pa.DataFrameModel):
    family: Series[str] = family_key("gezinsnummer", unique=True)
    region: Series[str] = category("regio", ["Amsterdam", "Overijssel"], nullable=False)
    cohort: Series[str] = category("cohort", ["retrospectief", "prospectief"], nullable=False)
    registered: Series[pa.DateTime] = public_field(alias="aanmelddatum", nullable=False)
    conference: Series[str] = category("conferentie", ["ja", "nee"], nullable=False)
    plan: Series[str] = category("plan", ["ja", "nee", "onbekend"])
    restgroep: Series[str] = category("restgroep", ["ja", "nee"], nullable=False)
    participation: Series[str] = category("deelname", ["actief", "geen toestemming", "ingetrokken"])
    dossier: Series[str] = category("dossieronderzoek", DOSSIER, nullable=False)
    # youth-protection measure at registration; empty when the file does not say
    measure: Series[str] = category("maatregel", ["geen", "raadsmelding", "vots", "ots"])

    @pa.dataframe_check(error="plan is filled in only when a conference took place")
    def plan_only_with_conference(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["conferentie"] == "ja") == df["plan"].notna()

    @pa.dataframe_check(error="participation is recorded for prospective families only")
    def participation_only_prospective(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["cohort"] == "prospectief") == df["deelname"].notna()

    @pa.dataframe_check(error="the restgroep consists of prospective families only")
    def restgroep_prospective(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["restgroep"] == "nee") | (df["cohort"] == "prospectief")

    @pa.dataframe_check(error="registration year must be 2005 (retrospective) or 2006-2007")
    def year_matches_cohort(cls, df: pd.DataFrame) -> Series[bool]:
        year = df["aanmelddatum"].dt.year
        retro = df["cohort"] == "retrospectief"
        return (retro & (year == 2005)) | (~retro & year.between(2006, 2007)) | year.isna()

    class Config:
        strict = False
