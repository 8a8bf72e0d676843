"""Interviews (bureau WESP) nine months after the decision: interviews.xlsx, four sheets.

`casussen` one row per case (10 EKc cases, 11 shadow cases) with the child the interviews
were about; `kinderen` every child of the shadow cases (the EKc cases' children are on
the FREK); `interviews` one row per interview; `uitspraken` one row per interview and
theme: the respondent's scored opinion on the change since the decision.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ekc.youth_protection.schemas.fields import FAMILY_KEY_PATTERN, category, public_field

CASE_PATTERN = r"^(EK\d{2}-\d{3,7}|SCH-\d{2})$"
SHADOW_PATTERN = r"^SCH-\d{2}$"
INTERVIEW_PATTERN = r"^INT-\d{3}$"
REFERRER_PATTERN = r"^AM-\d{2}$"
GROUPS = ["EKc", "schaduw"]
TOPICS = ["waar wonen", "uithuisplaatsing voorkomen", "steun familie"]
MEASURES = ["geen", "raadsmelding", "vots", "ots"]
SEXES = ["jongen", "meisje"]
ETHNICITIES = ["autochtoon", "allochtoon"]
# Residence of the child the interviews were about (table 3.11's categories).
RESIDENCES = [
    "thuis",
    "netwerkgezin",
    "pleeggezin",
    "groep",
    "gesloten groep",
    "zelfstandig",
    "anders",
]
# Residence on the child list of the shadow cases (the FREK's categories, table 3.10).
FREK_RESIDENCES = ["thuis", "netwerkgezin", "bestandgezin", "groep", "anders"]
PROFESSIONAL = "voogd/aanmelder"
ROLES = [PROFESSIONAL, "ouder", "kind", "gezinsinformant", "anders"]
RELATIONS = {
    PROFESSIONAL: [
        "gezinsvoogd",
        "voogd",
        "jeugdreclassering",
        "aanmelder bjz",
        "raadsonderzoeker",
    ],
    "ouder": ["moeder", "vader", "stiefmoeder", "stiefvader", "pleegmoeder", "pleegvader"],
    "kind": ["zelf"],
    "gezinsinformant": [
        "oma",
        "opa",
        "tante",
        "oom",
        "broer",
        "zus",
        "neef",
        "nicht",
        "buurvrouw",
        "buurman",
        "vriendin moeder",
        "vriend vader",
        "anders",
    ],
    "anders": ["anders"],
}
ALL_RELATIONS = sorted({r for values in RELATIONS.values() for r in values})
# Codes per theme, in the order improved, same, worse, unknown.
CODES = {
    "veiligheid": ["verbeterd", "gelijk", "verslechterd", "onbekend"],
    "steun": ["toegenomen", "gelijk", "afgenomen", "onbekend"],
    "regie": ["meer bij familie", "gelijk", "meer bij hulpverlener", "onbekend"],
    "contact": ["verbeterd", "gelijk", "verslechterd", "onbekend"],
}
THEMES = list(CODES)
ALL_CODES = sorted({c for codes in CODES.values() for c in codes})
UNKNOWN = "onbekend"
SOURCES = ["stelling", "citaat", "context"]
FIRST_DECISION = pd.Timestamp("2005-01-01")
LAST_DATE = pd.Timestamp("2008-12-31")


class InterviewCases(pa.DataFrameModel):
    """casussen: one row per interviewed case."""

    case: Series[str] = pa.Field(
        alias="gezinsnr", unique=True, str_matches=CASE_PATTERN, nullable=False
    )
    group: Series[str] = category("groep", GROUPS, nullable=False)
    referrer: Series[str] = pa.Field(
        alias="aanmelder_id", str_matches=REFERRER_PATTERN, nullable=False
    )
    matched_case: Series[str] = pa.Field(
        alias="koppel_gezinsnr", str_matches=FAMILY_KEY_PATTERN, nullable=True
    )
    decision_date: Series[pa.DateTime] = public_field(
        alias="datum_besluit", ge=FIRST_DECISION, le=LAST_DATE, nullable=False
    )
    topic: Series[str] = category("onderwerp_besluit", TOPICS, nullable=False)
    measure: Series[str] = category("jeugdbescherming", MEASURES)
    sex: Series[str] = category("kind_geslacht", SEXES)
    ethnicity: Series[str] = category("kind_etniciteit", ETHNICITIES)
    age_decision: Series[pd.Int64Dtype] = public_field(
        alias="kind_leeftijd_besluit", ge=8, le=18, nullable=False
    )
    age_interview: Series[pd.Int64Dtype] = public_field(
        alias="kind_leeftijd_interview", ge=8, le=19, nullable=False
    )
    residence_decision: Series[str] = category("verblijf_besluit", RESIDENCES)
    residence_interview: Series[str] = category("verblijf_interview", RESIDENCES)

    @pa.dataframe_check(
        error="EKc cases carry a family number (EKyy-nnn), shadow cases a SCH-nn number"
    )
    def key_matches_group(cls, df: pd.DataFrame) -> Series[bool]:
        shadow = df["gezinsnr"].str.startswith("SCH-")
        return shadow == (df["groep"] == "schaduw")

    @pa.dataframe_check(
        error="a shadow case names the EKc case it was matched to; an EKc case names none"
    )
    def matched_case_only_for_shadow(cls, df: pd.DataFrame) -> Series[bool]:
        return df["koppel_gezinsnr"].notna() == (df["groep"] == "schaduw")

    @pa.dataframe_check(
        error="the child's age at the interview (nine months later) is the age at the "
        "decision or one year more"
    )
    def age_nine_months_later(cls, df: pd.DataFrame) -> Series[bool]:
        step = df["kind_leeftijd_interview"] - df["kind_leeftijd_besluit"]
        return step.isin([0, 1])


class InterviewChildren(pa.DataFrameModel):
    """kinderen: every child of the shadow cases (table 3.10); the EKc children are on the FREK."""

    case: Series[str] = pa.Field(alias="gezinsnr", str_matches=SHADOW_PATTERN, nullable=False)
    child: Series[pd.Int64Dtype] = public_field(alias="kindnr", ge=1, le=15, nullable=False)
    focal: Series[str] = category("hoofdpersoon", ["ja", "nee"], nullable=False)
    sex: Series[str] = category("geslacht", SEXES)
    ethnicity: Series[str] = category("etniciteit", ETHNICITIES)
    age_decision: Series[pd.Int64Dtype] = public_field(
        alias="leeftijd_besluit", ge=0, le=25, nullable=True
    )
    residence: Series[str] = category("verblijfplaats", FREK_RESIDENCES)
    measure: Series[str] = category("jeugdbescherming", MEASURES)

    class Config:
        unique = ["gezinsnr", "kindnr"]

    @pa.dataframe_check(error="each case has exactly one child the interviews were about")
    def one_focal_child(cls, df: pd.DataFrame) -> Series[bool]:
        focal = (df["hoofdpersoon"] == "ja").astype(int)
        return focal.groupby(df["gezinsnr"]).transform("sum") == 1

    @pa.dataframe_check(
        error="the child the interviews were about is the oldest minor child of the case"
    )
    def focal_is_oldest_minor(cls, df: pd.DataFrame) -> Series[bool]:
        age = df["leeftijd_besluit"].astype("Float64")
        focal_age = age.where(df["hoofdpersoon"] == "ja").groupby(df["gezinsnr"]).transform("max")
        older_minor = (df["hoofdpersoon"] == "nee") & (age < 18) & (age > focal_age)
        return ~older_minor.fillna(False).astype(bool)


class Interviews(pa.DataFrameModel):
    """interviews: one row per interview held."""

    interview: Series[str] = pa.Field(
        alias="interviewnr", unique=True, str_matches=INTERVIEW_PATTERN, nullable=False
    )
    case: Series[str] = pa.Field(alias="gezinsnr", str_matches=CASE_PATTERN, nullable=False)
    role: Series[str] = category("rol", ROLES, nullable=False)
    relation: Series[str] = category("relatie", ALL_RELATIONS)
    referrer: Series[str] = pa.Field(
        alias="aanmelder_id", str_matches=REFERRER_PATTERN, nullable=True
    )
    date: Series[pa.DateTime] = public_field(
        alias="datum_interview", ge=FIRST_DECISION, le=LAST_DATE, nullable=False
    )

    @pa.dataframe_check(error="a referrer id is filled in exactly for the professionals")
    def referrer_iff_professional(cls, df: pd.DataFrame) -> Series[bool]:
        return df["aanmelder_id"].notna() == (df["rol"] == PROFESSIONAL)

    @pa.dataframe_check(error="the relation to the child does not fit the respondent's role")
    def relation_fits_role(cls, df: pd.DataFrame) -> Series[bool]:
        return pd.Series(
            [
                relation is None or pd.isna(relation) or relation in RELATIONS.get(role, [])
                for role, relation in zip(df["rol"], df["relatie"], strict=True)
            ],
            index=df.index,
        )


class InterviewStatements(pa.DataFrameModel):
    """uitspraken: one scored opinion per interview and theme."""

    statement: Series[pd.Int64Dtype] = public_field(
        alias="uitspraaknr", ge=1, unique=True, nullable=False
    )
    interview: Series[str] = pa.Field(
        alias="interviewnr", str_matches=INTERVIEW_PATTERN, nullable=False
    )
    theme: Series[str] = category("thema", THEMES, nullable=False)
    code: Series[str] = category("code", ALL_CODES, nullable=False)
    source: Series[str] = category("bron", SOURCES)

    class Config:
        unique = ["interviewnr", "thema"]

    @pa.dataframe_check(error="the code is not one of the codes of its theme")
    def code_fits_theme(cls, df: pd.DataFrame) -> Series[bool]:
        return pd.Series(
            [
                code in CODES.get(theme, [])
                for theme, code in zip(df["thema"], df["code"], strict=True)
            ],
            index=df.index,
        )

    @pa.dataframe_check(
        error="a source (stelling/citaat/context) is given exactly when an opinion was found"
    )
    def source_iff_known(cls, df: pd.DataFrame) -> Series[bool]:
        return df["bron"].notna() == (df["code"] != UNKNOWN)
