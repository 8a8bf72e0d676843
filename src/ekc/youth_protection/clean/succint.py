"""Scoring of the SuccInt questionnaire (referrer and family informant).

Pure functions from a validated export frame (columns named as in the export, dtypes
parsed) to tidy scores. Rules (see docs/instruments/succint.md):

- reverse-keyed items are turned around first: value -> low + high - value (vw_04, vw_05
  and ss_07 on 0-2, rs_08 on 0-1);
- scale score = sum of the items; missing-item rule: at most one missing item per scale, the
  score is then prorated (mean of the answered items times the number of items, not
  rounded); with two or more missing items the scale is missing;
- scales: safety and well-being (10 items 0-2, 0-20, 10 = unchanged since the conference),
  social support (8 items 0-2, 0-16, 8 = unchanged), control (8 statements 0/1, 0-8);
  higher = more positive;
- SuccInt is reported in raw scores: there are no norms, deviation scores or bands;
- marks for burden and capacity (referrers only) are taken as they are (1-10, no proration);
- the new living place is one category: not_applicable_unchanged (woonplek = 0) or the
  judgement of the new place (less_favourable, neither, somewhat_more_favourable,
  much_more_favourable, no_view); the change in the balance of burden and capacity likewise
  (less_favourable, unchanged, somewhat_more_favourable, much_more_favourable, no_view).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ekc.youth_protection.schemas.succint import MAX_MISSING_ITEMS, SCALES

MOMENTS = {1: "3m", 2: "9m"}
INFORMANTS = ("referrer", "family_informant")
LIVING_PLACE_CATEGORIES = {
    1: "less_favourable",
    2: "neither",
    3: "somewhat_more_favourable",
    4: "much_more_favourable",
    9: "no_view",
}
BALANCE_CATEGORIES = {
    1: "less_favourable",
    2: "unchanged",
    3: "somewhat_more_favourable",
    4: "much_more_favourable",
    9: "no_view",
}
SCORE_COLUMNS = [
    "family_key",
    "moment",
    "informant",
    "measure",
    "n_items",
    "n_missing",
    "score",
    "category",
]


def scale_score(
    items: pd.DataFrame,
    *,
    low: int,
    high: int,
    reverse: list[str] | tuple[str, ...] = (),
    max_missing: int = MAX_MISSING_ITEMS,
) -> pd.DataFrame:
    """Prorated sum per row: columns `raw` (float, NaN when too many items are missing)
    and `n_missing`."""
    values = items.astype("Float64").astype(float)
    for column in reverse:
        values[column] = low + high - values[column]
    n_items = values.shape[1]
    n_missing = values.isna().sum(axis=1)
    raw = values.mean(axis=1, skipna=True) * n_items
    raw = raw.where(n_missing <= max_missing)
    return pd.DataFrame({"raw": raw.astype(float), "n_missing": n_missing.astype(int)})


def _base(frame: pd.DataFrame, informant: str) -> pd.DataFrame:
    if informant not in INFORMANTS:
        raise ValueError(f"informant must be one of {INFORMANTS}, not {informant!r}")
    return pd.DataFrame(
        {
            "family_key": frame["gezinsnr"].astype(str).to_numpy(),
            "moment": [MOMENTS[int(m)] for m in frame["meetmoment"]],
            "informant": informant,
        }
    )


def score_scales(frame: pd.DataFrame, informant: str) -> pd.DataFrame:
    """One row per questionnaire and scale: safety_wellbeing, social_support, control."""
    base = _base(frame, informant)
    parts = []
    for scale, (columns, (low, high), reverse) in SCALES.items():
        scored = scale_score(
            frame[columns].reset_index(drop=True), low=low, high=high, reverse=reverse
        )
        part = base.copy()
        part["measure"] = scale
        part["n_items"] = len(columns)
        part["n_missing"] = scored["n_missing"].to_numpy()
        part["score"] = scored["raw"].to_numpy()
        part["category"] = pd.NA
        parts.append(part)
    return pd.concat(parts, ignore_index=True)[SCORE_COLUMNS]


def living_place(frame: pd.DataFrame, informant: str) -> pd.DataFrame:
    """The new living place since the conference, one category per questionnaire."""
    part = _base(frame, informant)
    changed = frame["woonplek"].reset_index(drop=True)
    judgement = frame["woonplek_oordeel"].reset_index(drop=True)
    category = []
    for c, j in zip(changed, judgement, strict=True):
        if pd.isna(c):
            category.append(pd.NA)
        elif int(c) == 0:
            category.append("not_applicable_unchanged")
        else:
            category.append(pd.NA if pd.isna(j) else LIVING_PLACE_CATEGORIES[int(j)])
    part["measure"] = "new_living_place"
    part["n_items"] = 2
    part["n_missing"] = (changed.isna() | ((changed == 1) & judgement.isna())).astype(int)
    part["score"] = np.nan
    part["category"] = category
    return part[SCORE_COLUMNS]


def referrer_marks(frame: pd.DataFrame) -> pd.DataFrame:
    """Referrers only: burden and capacity marks (1-10) and the change in their balance."""
    base = _base(frame, "referrer")
    parts = []
    for measure, column in (("burden_mark", "rc_draaglast"), ("capacity_mark", "rc_draagkracht")):
        part = base.copy()
        values = frame[column].astype("Float64").astype(float).to_numpy()
        part["measure"] = measure
        part["n_items"] = 1
        part["n_missing"] = np.isnan(values).astype(int)
        part["score"] = values
        part["category"] = pd.NA
        parts.append(part)
    part = base.copy()
    codes = frame["verh_dkdl"].reset_index(drop=True)
    part["measure"] = "capacity_burden_ratio_change"
    part["n_items"] = 1
    part["n_missing"] = codes.isna().astype(int).to_numpy()
    part["score"] = np.nan
    part["category"] = [pd.NA if pd.isna(c) else BALANCE_CATEGORIES[int(c)] for c in codes]
    parts.append(part)
    return pd.concat(parts, ignore_index=True)[SCORE_COLUMNS]


def score_succint(frame: pd.DataFrame, informant: str) -> pd.DataFrame:
    """All SuccInt measures of one export in one tidy frame (see SCORE_COLUMNS)."""
    parts = [score_scales(frame, informant), living_place(frame, informant)]
    if informant == "referrer":
        parts.append(referrer_marks(frame))
    tidy = pd.concat(parts, ignore_index=True)
    tidy["score"] = tidy["score"].astype(float)
    return tidy.sort_values(["family_key", "moment", "measure"], kind="stable").reset_index(
        drop=True
    )
