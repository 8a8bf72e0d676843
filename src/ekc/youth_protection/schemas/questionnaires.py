"""Referrer checklist (CVC) and the parents' questionnaires (NOSIK + life events, VEO, PUL).

The layout of each export (item names, response ranges, reverse-keyed items, life-event
categories) is defined here once: the generator writes it, the models validate it and the
scoring in `ekc.youth_protection.clean.questionnaires` reads it.

Exports (all keyed by `gezinsnr`):
- `cvc.sav`: one row per prospective family whose referrer returned the checklist;
- `nosik_aanvang.sav`: one row per family that returned the start booklet (NOSIK part A and
  part B of the NOSI, the life events of the past year);
- `veo.sav`: long, one row per family and moment (`meetmoment` 0/1/2);
- `pul.csv`: long Dutch CSV (semicolon, UTF-8 with BOM), one row per family and moment.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ekc.youth_protection.schemas.fields import family_key, public_field

# --------------------------------------------------------------------------------------
# Layout shared by generator, models and scoring

MOMENT_LABELS = {0: "aanvang", 1: "3 maanden", 2: "9 maanden"}
RESPONDENT_LABELS = {1: "moeder", 2: "vader", 3: "anders"}
RESPONDENTS = list(RESPONDENT_LABELS.values())
FIRST_DATE = pd.Timestamp("2006-01-01")
LAST_DATE = pd.Timestamp("2008-12-31")

# CVC: reasons for referral concerning the child and the family (ticked = 1), acute crisis,
# the referrer's estimate of the chance of an out-of-home placement.
CVC_CHILD_ITEMS = [f"rk_{i:02d}" for i in range(1, 11)]
CVC_FAMILY_ITEMS = [f"rg_{i:02d}" for i in range(1, 23)]
CVC_PLACEMENT_LABELS = {1: "0-25%", 2: "26-50%", 3: "51-75%", 4: "76-100%", 9: "onbekend"}

# NOSIK: 25 items, 1-6; the positively worded items are reverse-keyed.
NOSIK_ITEMS = [f"nosik_{i:02d}" for i in range(1, 26)]
NOSIK_REVERSED = ["nosik_03", "nosik_08", "nosik_12", "nosik_17", "nosik_22"]
NOSIK_RANGE = (1, 6)

# NOSI part B: events of the past year, ticked (1) or not (0), in five categories.
LIFE_EVENT_CATEGORIES = {
    "family": [f"gb_gezin_{i:02d}" for i in range(1, 9)],
    "work": [f"gb_werk_{i:02d}" for i in range(1, 5)],
    "finances": [f"gb_fin_{i:02d}" for i in range(1, 5)],
    "health": [f"gb_gezondh_{i:02d}" for i in range(1, 6)],
    "other": [f"gb_overig_{i:02d}" for i in range(1, 8)],
}
LIFE_EVENT_ITEMS = [c for items in LIFE_EVENT_CATEGORIES.values() for c in items]

# VEO version 3: 20 items, 1-5; the negatively worded items are reverse-keyed.
VEO_ITEMS = [f"veo_{i:02d}" for i in range(1, 21)]
VEO_REVERSED = ["veo_04", "veo_09", "veo_14", "veo_19"]
VEO_RANGE = (1, 5)

# PUL: 10 items, 1-4; odd items autonomy, even items social optimism; none reverse-keyed.
PUL_ITEMS = [f"pul_{i:02d}" for i in range(1, 11)]
PUL_SCALES = {
    "autonomy": [f"pul_{i:02d}" for i in (1, 3, 5, 7, 9)],
    "social_optimism": [f"pul_{i:02d}" for i in (2, 4, 6, 8, 10)],
}
PUL_RANGE = (1, 4)

# Share of a scale's items that may be missing for the scale still to be scored.
MAX_MISSING_SHARE = 0.20


def _items(names: list[str], low: int, high: int) -> dict[str, object]:
    return {name: public_field(alias=name, ge=low, le=high, nullable=True) for name in names}


def _date_in_study(df: pd.DataFrame, column: str) -> pd.Series:
    return df[column].isna() | df[column].between(FIRST_DATE, LAST_DATE)


def _model(name: str, doc: str, fields: dict[str, object], checks: dict[str, object]) -> type:
    """A DataFrameModel with many item fields, built without typing each one out."""
    annotations = {}
    namespace: dict[str, object] = {"__doc__": doc, "__module__": __name__}
    for attr, (dtype, field) in fields.items():
        annotations[attr] = Series[dtype]
        namespace[attr] = field
    namespace["__annotations__"] = annotations
    namespace.update(checks)
    return type(name, (pa.DataFrameModel,), namespace)


def _item_fields(names: list[str], low: int, high: int) -> dict[str, tuple]:
    return {n: (pd.Int64Dtype, f) for n, f in _items(names, low, high).items()}


# --------------------------------------------------------------------------------------
# CVC


@pa.dataframe_check(error="an item of the child reasons is empty while others are filled in")
def _cvc_child_complete(cls, df: pd.DataFrame) -> Series[bool]:
    filled = df[CVC_CHILD_ITEMS].notna().sum(axis=1)
    return (filled == 0) | (filled == len(CVC_CHILD_ITEMS))


@pa.dataframe_check(error="an item of the family reasons is empty while others are filled in")
def _cvc_family_complete(cls, df: pd.DataFrame) -> Series[bool]:
    filled = df[CVC_FAMILY_ITEMS].notna().sum(axis=1)
    return (filled == 0) | (filled == len(CVC_FAMILY_ITEMS))


@pa.dataframe_check(error="the fill-in date lies outside the study period (2006-2008)")
def _cvc_date(cls, df: pd.DataFrame) -> Series[bool]:
    return _date_in_study(df, "invuldatum")


Cvc = _model(
    "Cvc",
    "CVC: the referrer's checklist at registration (prospective families).",
    {
        "family": (str, family_key("gezinsnr", unique=True)),
        "filled_in": (pa.DateTime, public_field(alias="invuldatum", nullable=False)),
        **_item_fields(CVC_CHILD_ITEMS, 0, 1),
        **_item_fields(CVC_FAMILY_ITEMS, 0, 1),
        "acute_crisis": (
            pd.Int64Dtype,
            public_field(alias="acute_crisis", isin=[0, 1], nullable=True),
        ),
        "placement_chance": (
            pd.Int64Dtype,
            public_field(alias="kans_uhp", isin=list(CVC_PLACEMENT_LABELS), nullable=True),
        ),
    },
    {
        "child_complete": _cvc_child_complete,
        "family_complete": _cvc_family_complete,
        "date_in_study": _cvc_date,
    },
)


# --------------------------------------------------------------------------------------
# NOSIK + life events (start booklet)


@pa.dataframe_check(error="the booklet is empty: no NOSIK item and no life event filled in")
def _nosik_not_empty(cls, df: pd.DataFrame) -> Series[bool]:
    return df[NOSIK_ITEMS + LIFE_EVENT_ITEMS].notna().any(axis=1)


@pa.dataframe_check(error="the fill-in date lies outside the study period (2006-2008)")
def _nosik_date(cls, df: pd.DataFrame) -> Series[bool]:
    return _date_in_study(df, "invuldatum")


NosikAanvang = _model(
    "NosikAanvang",
    "NOSIK (parenting stress, 25 items 1-6) and NOSI part B (life events, 0/1) at the start.",
    {
        "family": (str, family_key("gezinsnr", unique=True)),
        "respondent": (
            pd.Int64Dtype,
            public_field(alias="respondent", isin=list(RESPONDENT_LABELS), nullable=False),
        ),
        "filled_in": (pa.DateTime, public_field(alias="invuldatum", nullable=False)),
        **_item_fields(NOSIK_ITEMS, *NOSIK_RANGE),
        **_item_fields(LIFE_EVENT_ITEMS, 0, 1),
    },
    {"not_empty": _nosik_not_empty, "date_in_study": _nosik_date},
)


# --------------------------------------------------------------------------------------
# VEO (long)


@pa.dataframe_check(error="the questionnaire is empty: no VEO item filled in")
def _veo_not_empty(cls, df: pd.DataFrame) -> Series[bool]:
    return df[VEO_ITEMS].notna().any(axis=1)


@pa.dataframe_check(error="the fill-in date lies outside the study period (2006-2008)")
def _veo_date(cls, df: pd.DataFrame) -> Series[bool]:
    return _date_in_study(df, "invuldatum")


@pa.dataframe_check(error="a family has more than one questionnaire for the same moment")
def _veo_unique(cls, df: pd.DataFrame) -> Series[bool]:
    return ~df.duplicated(["gezinsnr", "meetmoment"], keep=False)


Veo = _model(
    "Veo",
    "VEO version 3: experienced support in upbringing, 20 items 1-5, at 0, 3 and 9 months.",
    {
        "family": (str, family_key("gezinsnr", unique=False)),
        "moment": (
            pd.Int64Dtype,
            public_field(alias="meetmoment", isin=list(MOMENT_LABELS), nullable=False),
        ),
        "respondent": (
            pd.Int64Dtype,
            public_field(alias="respondent", isin=list(RESPONDENT_LABELS), nullable=False),
        ),
        "filled_in": (pa.DateTime, public_field(alias="invuldatum", nullable=False)),
        **_item_fields(VEO_ITEMS, *VEO_RANGE),
    },
    {"not_empty": _veo_not_empty, "date_in_study": _veo_date, "one_per_moment": _veo_unique},
)


# --------------------------------------------------------------------------------------
# PUL (long Dutch CSV)


@pa.dataframe_check(error="the questionnaire is empty: no PUL item filled in")
def _pul_not_empty(cls, df: pd.DataFrame) -> Series[bool]:
    return df[PUL_ITEMS].notna().any(axis=1)


@pa.dataframe_check(error="the fill-in date lies outside the study period (2006-2008)")
def _pul_date(cls, df: pd.DataFrame) -> Series[bool]:
    return _date_in_study(df, "invuldatum")


@pa.dataframe_check(error="a family has more than one questionnaire for the same moment")
def _pul_unique(cls, df: pd.DataFrame) -> Series[bool]:
    return ~df.duplicated(["gezinsnr", "meetmoment"], keep=False)


Pul = _model(
    "Pul",
    "PUL: autonomy and social optimism, 10 items 1-4, at 0, 3 and 9 months (Dutch CSV).",
    {
        "family": (str, family_key("gezinsnr", unique=False)),
        "moment": (
            pd.Int64Dtype,
            public_field(alias="meetmoment", isin=list(MOMENT_LABELS), nullable=False),
        ),
        "respondent": (str, public_field(alias="respondent", isin=RESPONDENTS, nullable=False)),
        "filled_in": (pa.DateTime, public_field(alias="invuldatum", nullable=False)),
        **_item_fields(PUL_ITEMS, *PUL_RANGE),
    },
    {"not_empty": _pul_not_empty, "date_in_study": _pul_date, "one_per_moment": _pul_unique},
)

MODELS = {"cvc": Cvc, "nosik_aanvang": NosikAanvang, "veo": Veo, "pul": Pul}
