"""ZAP-Kort: the case-file coding, one SPSS file per moment (start, 3 and 9 months).

One row per analysed case file (79 families). `zp_info` says whether the care concerns
could be scored at that moment; the care concerns are 0/1 items in three domains. The
9-month file also holds the 'ingezette middelen' rubric (ambulatory help, out-of-home
placement) and whether the conference plan is in the file (chapter 9 of the report).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ekc.youth_protection.schemas.fields import after_or_same, family_key, public_field

DOMAIN_ITEMS = {
    "child_functioning": [f"zp_k{i:02d}" for i in range(1, 13)],
    "family": [f"zp_g{i:02d}" for i in range(1, 9)],
    "environment": [f"zp_o{i:02d}" for i in range(1, 9)],
}
ITEM_COLUMNS = [c for items in DOMAIN_ITEMS.values() for c in items]
ZP_INFO_SCORED = 1  # 2 = too little information in the file, 3 = no report on the period
MAX_EMPTY_ITEMS = 3  # in a scored file; more empty boxes means the coding was not finished
FIRST_DATE = pd.Timestamp("2004-01-01")
LAST_DATE = pd.Timestamp("2008-12-31")


def _item() -> object:
    return public_field(isin=[0, 1], nullable=True)


def _code(values: list[int], *, nullable: bool = False) -> object:
    return public_field(isin=values, nullable=nullable)


class ZapKort(pa.DataFrameModel):
    """Columns shared by the three files (the moment is checked per file below)."""

    family: Series[str] = family_key("gezinsnr", unique=True)
    moment: Series[pd.Int64Dtype] = public_field(alias="meetmoment", isin=[0, 1, 2], nullable=False)
    reference_date: Series[pa.DateTime] = public_field(
        alias="peildatum", ge=FIRST_DATE, le=LAST_DATE, nullable=False
    )
    coding_date: Series[pa.DateTime] = public_field(
        alias="codeerdatum", ge=FIRST_DATE, le=LAST_DATE, nullable=False
    )
    coder: Series[pd.Int64Dtype] = public_field(alias="codeur", isin=[1, 2, 3], nullable=False)
    info: Series[pd.Int64Dtype] = public_field(alias="zp_info", isin=[1, 2, 3], nullable=False)
    zp_k01: Series[pd.Int64Dtype] = _item()
    zp_k02: Series[pd.Int64Dtype] = _item()
    zp_k03: Series[pd.Int64Dtype] = _item()
    zp_k04: Series[pd.Int64Dtype] = _item()
    zp_k05: Series[pd.Int64Dtype] = _item()
    zp_k06: Series[pd.Int64Dtype] = _item()
    zp_k07: Series[pd.Int64Dtype] = _item()
    zp_k08: Series[pd.Int64Dtype] = _item()
    zp_k09: Series[pd.Int64Dtype] = _item()
    zp_k10: Series[pd.Int64Dtype] = _item()
    zp_k11: Series[pd.Int64Dtype] = _item()
    zp_k12: Series[pd.Int64Dtype] = _item()
    zp_g01: Series[pd.Int64Dtype] = _item()
    zp_g02: Series[pd.Int64Dtype] = _item()
    zp_g03: Series[pd.Int64Dtype] = _item()
    zp_g04: Series[pd.Int64Dtype] = _item()
    zp_g05: Series[pd.Int64Dtype] = _item()
    zp_g06: Series[pd.Int64Dtype] = _item()
    zp_g07: Series[pd.Int64Dtype] = _item()
    zp_g08: Series[pd.Int64Dtype] = _item()
    zp_o01: Series[pd.Int64Dtype] = _item()
    zp_o02: Series[pd.Int64Dtype] = _item()
    zp_o03: Series[pd.Int64Dtype] = _item()
    zp_o04: Series[pd.Int64Dtype] = _item()
    zp_o05: Series[pd.Int64Dtype] = _item()
    zp_o06: Series[pd.Int64Dtype] = _item()
    zp_o07: Series[pd.Int64Dtype] = _item()
    zp_o08: Series[pd.Int64Dtype] = _item()

    @pa.dataframe_check(error="the coding date must not precede the start of the coded period")
    def coded_after_period_start(cls, df: pd.DataFrame) -> Series[bool]:
        return after_or_same(df["codeerdatum"], df["peildatum"])

    @pa.dataframe_check(
        error="a file that could not be scored (zp_info 2 or 3) must have no care-concern items"
    )
    def unscored_files_have_no_items(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["zp_info"] == ZP_INFO_SCORED) | df[ITEM_COLUMNS].isna().all(axis=1)

    @pa.dataframe_check(
        error=f"a scored file (zp_info 1) has more than {MAX_EMPTY_ITEMS} empty care-concern items"
    )
    def scored_files_are_complete(cls, df: pd.DataFrame) -> Series[bool]:
        empty = df[ITEM_COLUMNS].isna().sum(axis=1)
        return (df["zp_info"] != ZP_INFO_SCORED) | (empty <= MAX_EMPTY_ITEMS)


class ZapKortAanvang(ZapKort):
    """zap_kort_aanvang.sav: the period of the (registration for the) conference."""

    moment: Series[pd.Int64Dtype] = public_field(alias="meetmoment", isin=[0], nullable=False)


class ZapKort3mnd(ZapKort):
    """zap_kort_3mnd.sav: three months after the (planned) conference."""

    moment: Series[pd.Int64Dtype] = public_field(alias="meetmoment", isin=[1], nullable=False)


class ZapKort9mnd(ZapKort):
    """zap_kort_9mnd.sav: nine months after, with the resources rubric and the plan."""

    moment: Series[pd.Int64Dtype] = public_field(alias="meetmoment", isin=[2], nullable=False)
    plan_in_file: Series[pd.Int64Dtype] = public_field(
        alias="plan_dossier", isin=[1, 2, 3], nullable=False
    )
    ambulatory_help: Series[pd.Int64Dtype] = public_field(
        alias="amb_hulp", isin=list(range(7)), nullable=False
    )
    placement: Series[pd.Int64Dtype] = public_field(
        alias="uhp_soort", isin=list(range(8)), nullable=False
    )
    placement_timing: Series[pd.Int64Dtype] = public_field(
        alias="uhp_moment", isin=[1, 2, 3, 9], nullable=True
    )
    placement_ongoing: Series[pd.Int64Dtype] = public_field(
        alias="uhp_lopend", isin=[0, 1], nullable=True
    )
    placement_months: Series[pd.Int64Dtype] = public_field(
        alias="uhp_duur_mnd", ge=0, le=216, nullable=True
    )

    @pa.dataframe_check(
        error="the timing of a placement is filled in exactly when there is a placement"
    )
    def timing_iff_placed(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["uhp_soort"] > 0) == df["uhp_moment"].notna()

    @pa.dataframe_check(error="running/ended is filled in only for a placement with a known timing")
    def ongoing_only_when_timed(cls, df: pd.DataFrame) -> Series[bool]:
        timed = df["uhp_moment"].isin([1, 2, 3])
        return df["uhp_lopend"].isna() | timed

    @pa.dataframe_check(error="a duration is filled in exactly for the ended placements")
    def duration_iff_ended(cls, df: pd.DataFrame) -> Series[bool]:
        ended = (df["uhp_lopend"] == 0).fillna(False)
        return ended == df["uhp_duur_mnd"].notna()
