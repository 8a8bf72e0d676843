"""Scoring of the referrer checklist (CVC) and the parents' questionnaires.

Pure functions from a validated export frame (columns named as in the export, dtypes parsed)
to tidy scores. Rules (see docs/instruments/questionnaires.md):

- reverse-keyed items are turned around first: value -> low + high - value;
- missing-item rule: a scale is scored when at most 20% of its items are missing; its raw
  score is then the mean of the answered items times the number of items (prorated sum, not
  rounded); with more missing items the scale is missing;
- deviation score = (raw - norm mean) / norm sd, with the norm of the respondent (moeder,
  vader or anders) from resources/norms/;
- bands on the 'problem' side of the deviation score (the deviation itself for NOSIK, where
  high is bad; minus the deviation for VEO and PUL, where low is bad), with cut points
  .80, 1.285, 1.645 and 1.96: none < .80 <= moderate < 1.285 <= considerable < 1.645 <=
  serious <= 1.96 < very serious. The midpoints 1.285 and 1.645 make the bands agree with
  the printed two-decimal limits (1.28 | 1.29, 1.64 | 1.65). The score is compared in
  thousandths, rounded half up (the precision of the cut points): a score that is .80 in
  decimal arithmetic but 0.7999999999999998 in floating point is moderate, as by hand;
- life events (NOSI part B) are counted per category; a blank event counts as 'did not
  happen' when at most 20% of the 28 part-B items are blank, otherwise part B is missing
  (all categories). Counts of events are not prorated.
- CVC reasons are counted per list (child, family); a list with all items empty was skipped
  and its count is missing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ekc.youth_protection.schemas.questionnaires import (
    CVC_CHILD_ITEMS,
    CVC_FAMILY_ITEMS,
    CVC_PLACEMENT_LABELS,
    LIFE_EVENT_CATEGORIES,
    LIFE_EVENT_ITEMS,
    MAX_MISSING_SHARE,
    NOSIK_ITEMS,
    NOSIK_RANGE,
    NOSIK_REVERSED,
    PUL_RANGE,
    PUL_SCALES,
    RESPONDENT_LABELS,
    VEO_ITEMS,
    VEO_RANGE,
    VEO_REVERSED,
)

NORMS_DIR = Path(__file__).resolve().parents[4] / "resources" / "norms"
CUT_POINTS = (0.80, 1.285, 1.645, 1.96)
CUT_DECIMALS = 3  # the precision of the cut points: scores are compared in thousandths
BANDS = ("none", "moderate", "considerable", "serious", "very_serious")
MOMENTS = {0: "start", 1: "3m", 2: "9m"}
SCORE_COLUMNS = [
    "family_key",
    "moment",
    "respondent",
    "instrument",
    "scale",
    "n_items",
    "n_missing",
    "raw",
    "deviation",
    "band",
]


def load_norms(directory: Path = NORMS_DIR, instrument: str | None = None) -> pd.DataFrame:
    """Norm table(s): instrument, scale, respondent, n_items, mean, sd (lines with # skipped)."""
    names = [instrument] if instrument else ["nosik", "veo", "pul"]
    frames = [pd.read_csv(Path(directory) / f"{name}.csv", comment="#") for name in names]
    norms = pd.concat(frames, ignore_index=True)
    missing = {"instrument", "scale", "respondent", "n_items", "mean", "sd"} - set(norms.columns)
    if missing:
        raise ValueError(f"norm table lacks columns {sorted(missing)}")
    if (norms["sd"] <= 0).any():
        raise ValueError("a norm sd must be positive")
    return norms


def scale_score(
    items: pd.DataFrame,
    *,
    low: int,
    high: int,
    reverse: list[str] | tuple[str, ...] = (),
    max_missing_share: float = MAX_MISSING_SHARE,
) -> pd.DataFrame:
    """Prorated sum score per row: columns n_items, n_missing, raw (NaN if too many missing)."""
    values = items.astype("Float64").astype(float)
    for column in reverse:
        values[column] = low + high - values[column]
    n_items = values.shape[1]
    n_missing = values.isna().sum(axis=1)
    allowed = n_missing <= np.floor(max_missing_share * n_items + 1e-9)
    raw = values.mean(axis=1, skipna=True) * n_items
    raw = raw.where(allowed & (n_missing < n_items))
    return pd.DataFrame(
        {"n_items": n_items, "n_missing": n_missing.astype(int), "raw": raw}, index=items.index
    )


def deviation(raw: pd.Series, mean: pd.Series | float, sd: pd.Series | float) -> pd.Series:
    return (raw - mean) / sd


def in_cut_units(values: pd.Series | np.ndarray) -> np.ndarray:
    """Scores as whole thousandths, rounded half up (NaN stays NaN). Rounding to 9 decimals
    first removes floating-point noise, so 0.7999999999999998 is 800 and 1.2845 is 1285."""
    scale = 10**CUT_DECIMALS
    scaled = np.round(np.asarray(values, dtype=float) * scale, 9 - CUT_DECIMALS)
    return np.floor(scaled + 0.5)


def band(deviations: pd.Series, *, high_is_bad: bool) -> pd.Series:
    """Band key per deviation score (NA where the score is missing)."""
    problem = in_cut_units(deviations if high_is_bad else -deviations)
    cuts = [round(c * 10**CUT_DECIMALS) for c in CUT_POINTS]
    keys = np.select(
        [
            problem < cuts[0],
            problem < cuts[1],
            problem < cuts[2],
            problem <= cuts[3],
            problem > cuts[3],
        ],
        list(BANDS),
        default="",
    )
    return pd.Series(keys, index=deviations.index, dtype="string").replace("", pd.NA)


def _respondent_text(series: pd.Series) -> pd.Series:
    """Respondent as text: SPSS codes 1/2/3 or the CSV's words."""

    def one(value: object) -> object:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return pd.NA
        if isinstance(value, str) and not value.strip().isdigit():
            return value.strip().lower()
        return RESPONDENT_LABELS.get(int(value), pd.NA)

    return series.map(one).astype("string")


def _moment_key(series: pd.Series | None, index: pd.Index) -> pd.Series:
    if series is None:
        return pd.Series("start", index=index, dtype="string")
    return series.map(lambda v: MOMENTS.get(int(v), pd.NA) if pd.notna(v) else pd.NA).astype(
        "string"
    )


def _score_instrument(
    frame: pd.DataFrame,
    norms: pd.DataFrame,
    *,
    instrument: str,
    scales: dict[str, list[str]],
    low: int,
    high: int,
    reverse: list[str],
    high_is_bad: bool,
) -> pd.DataFrame:
    respondent = _respondent_text(frame["respondent"])
    moment = _moment_key(frame.get("meetmoment"), frame.index)
    parts = []
    for scale, columns in scales.items():
        scored = scale_score(
            frame[columns], low=low, high=high, reverse=[c for c in reverse if c in columns]
        )
        norm = norms[(norms["instrument"] == instrument) & (norms["scale"] == scale)]
        if norm.empty:
            raise ValueError(f"no norms for {instrument}/{scale}")
        by_respondent = norm.set_index("respondent")
        unknown = set(respondent.dropna()) - set(by_respondent.index)
        if unknown:
            raise ValueError(f"no {instrument}/{scale} norms for respondent(s) {sorted(unknown)}")
        mean = respondent.map(by_respondent["mean"]).astype(float)
        sd = respondent.map(by_respondent["sd"]).astype(float)
        dev = deviation(scored["raw"], mean, sd)
        parts.append(
            pd.DataFrame(
                {
                    "family_key": frame["gezinsnr"].astype("string"),
                    "moment": moment,
                    "respondent": respondent,
                    "instrument": instrument,
                    "scale": scale,
                    "n_items": scored["n_items"],
                    "n_missing": scored["n_missing"],
                    "raw": scored["raw"],
                    "deviation": dev,
                    "band": band(dev, high_is_bad=high_is_bad),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)[SCORE_COLUMNS]


def score_nosik(frame: pd.DataFrame, norms: pd.DataFrame) -> pd.DataFrame:
    """NOSIK total (parenting stress; high is bad) per returned start booklet."""
    return _score_instrument(
        frame,
        norms,
        instrument="nosik",
        scales={"total": NOSIK_ITEMS},
        low=NOSIK_RANGE[0],
        high=NOSIK_RANGE[1],
        reverse=NOSIK_REVERSED,
        high_is_bad=True,
    )


def score_veo(frame: pd.DataFrame, norms: pd.DataFrame) -> pd.DataFrame:
    """VEO total (experienced support; low is bad) per family and moment."""
    return _score_instrument(
        frame,
        norms,
        instrument="veo",
        scales={"total": VEO_ITEMS},
        low=VEO_RANGE[0],
        high=VEO_RANGE[1],
        reverse=VEO_REVERSED,
        high_is_bad=False,
    )


def score_pul(frame: pd.DataFrame, norms: pd.DataFrame) -> pd.DataFrame:
    """PUL autonomy and social optimism (low is bad) per family and moment."""
    return _score_instrument(
        frame,
        norms,
        instrument="pul",
        scales=PUL_SCALES,
        low=PUL_RANGE[0],
        high=PUL_RANGE[1],
        reverse=[],
        high_is_bad=False,
    )


def count_checked(
    items: pd.DataFrame, *, max_missing_share: float | None = MAX_MISSING_SHARE
) -> pd.Series:
    """Number of ticked boxes; blanks count as 0 up to the allowed share, else missing.

    With `max_missing_share=None` only an entirely empty list is missing.
    """
    values = items.astype("Float64").astype(float)
    n_missing = values.isna().sum(axis=1)
    count = values.fillna(0).sum(axis=1)
    if max_missing_share is None:
        allowed = n_missing < values.shape[1]
    else:
        allowed = n_missing <= np.floor(max_missing_share * values.shape[1] + 1e-9)
    return count.where(allowed).astype("Float64")


def score_life_events(frame: pd.DataFrame) -> pd.DataFrame:
    """Events per category and the number of categories with at least one event.

    One row per booklet and category (family, work, finances, health, other,
    n_categories). Blanks count as 'no' when at most 20% of all part-B items are blank;
    otherwise every count of that booklet is missing.
    """
    items = frame[LIFE_EVENT_ITEMS].astype("Float64").astype(float)
    limit = np.floor(MAX_MISSING_SHARE * len(LIFE_EVENT_ITEMS) + 1e-9)
    scorable = items.isna().sum(axis=1) <= limit
    counts = pd.DataFrame(
        {
            cat: items[cols].fillna(0).sum(axis=1).where(scorable)
            for cat, cols in LIFE_EVENT_CATEGORIES.items()
        },
        index=frame.index,
    )
    counts["n_categories"] = (counts > 0).sum(axis=1).where(scorable)
    counts = counts.astype("Float64")
    tidy = counts.assign(family_key=frame["gezinsnr"].astype("string"), moment="start")
    tidy = tidy.melt(id_vars=["family_key", "moment"], var_name="category", value_name="count")
    return tidy.sort_values(["family_key", "category"], kind="stable").reset_index(drop=True)


def score_cvc(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per checklist: numbers of reasons (child, family), acute crisis, placement chance."""
    placement = frame["kans_uhp"].map(
        lambda v: CVC_PLACEMENT_LABELS.get(int(v)) if pd.notna(v) else None
    )
    crisis = frame["acute_crisis"].map(
        lambda v: {0: "nee", 1: "ja"}.get(int(v)) if pd.notna(v) else None
    )
    return pd.DataFrame(
        {
            "family_key": frame["gezinsnr"].astype("string"),
            "n_reasons_child": count_checked(frame[CVC_CHILD_ITEMS], max_missing_share=None),
            "n_reasons_family": count_checked(frame[CVC_FAMILY_ITEMS], max_missing_share=None),
            "acute_crisis": crisis.astype("string"),
            "placement_chance": placement.astype("string"),
        }
    ).reset_index(drop=True)
