"""ZAP-Kort scoring: care concerns per domain and in total, and the chapter-9 resources.

Input: a validated ZAP-Kort export (columns named as in the file, parsed dtypes). Output:
tidy frames keyed by the raw case number (`family_key`); pseudonymisation happens where
the family tables are built, as for the other sources.

Scoring rules
- A domain score is the number of care concerns ticked (items = 1) in that domain:
  child functioning (12 items), family/upbringing (8), wider environment (8).
- The total is the sum of the three domain scores.
- Files that could not be scored at a moment (`zp_info` 2 = too little information in the
  file, 3 = no report on that period) get no scores: all scales missing, with the reason
  in `status`. They do not count in the n of that moment.
- Missing items: in a scored file an empty item is an unticked box, so it counts as 0
  (the coding records the presence of a concern; it has no 'unknown'). A domain whose
  items are all empty was not coded: that domain and the total are missing.
- There are no norms: the scores are counts, not deviation scores, and have no bands.
"""

from __future__ import annotations

import pandas as pd

from ekc.youth_protection.schemas.zap import DOMAIN_ITEMS, ZP_INFO_SCORED
from ekc.youth_protection.vocabulary import AMBULATORY_HELP_TYPES, PLACEMENT_TYPES

MOMENTS = {0: "start", 1: "3m", 2: "9m"}
STATUS = {1: "scored", 2: "insufficient_information", 3: "no_report_for_period"}
SCALES = [*DOMAIN_ITEMS, "total"]
PLAN_IN_FILE = {1: "plan_present", 2: "letter_or_announcement_only", 3: "no_ekc_information"}
AMBULATORY_HELP = dict(enumerate(AMBULATORY_HELP_TYPES))
PLACEMENT = dict(enumerate(PLACEMENT_TYPES))
PLACEMENT_TIMING = {1: "before", 2: "on_date", 3: "after", 9: "unknown"}


def domain_score(items: pd.DataFrame) -> pd.Series:
    """Ticked items per row; empty items count as 0; all items empty gives a missing score."""
    all_empty = items.isna().all(axis=1)
    score = items.fillna(0).sum(axis=1).astype("Int64")
    return score.mask(all_empty)


def care_concern_scores(frame: pd.DataFrame) -> pd.DataFrame:
    """Long table: one row per (family, moment, scale) with the raw count and the status."""
    scored = frame["zp_info"] == ZP_INFO_SCORED
    wide = pd.DataFrame(index=frame.index)
    missing = pd.DataFrame(index=frame.index)
    for domain, items in DOMAIN_ITEMS.items():
        wide[domain] = domain_score(frame[items]).where(scored, pd.NA).astype("Int64")
        missing[domain] = frame[items].isna().sum(axis=1).where(scored, pd.NA).astype("Int64")
    wide["total"] = wide[list(DOMAIN_ITEMS)].sum(axis=1, skipna=False).astype("Int64")
    missing["total"] = missing[list(DOMAIN_ITEMS)].sum(axis=1, skipna=False).astype("Int64")
    rows = []
    for scale in SCALES:
        rows.append(
            pd.DataFrame(
                {
                    "family_key": frame["gezinsnr"].astype(str).to_numpy(),
                    "moment": frame["meetmoment"].map(MOMENTS).to_numpy(),
                    "scale": scale,
                    "raw_score": wide[scale].to_numpy(),
                    "n_items_missing": missing[scale].to_numpy(),
                    "status": frame["zp_info"].map(STATUS).to_numpy(),
                }
            )
        )
    result = pd.concat(rows, ignore_index=True)
    result["raw_score"] = result["raw_score"].astype("Int64")
    result["n_items_missing"] = result["n_items_missing"].astype("Int64")
    order = {s: i for i, s in enumerate(SCALES)}
    result["_order"] = result["scale"].map(order)
    result = result.sort_values(["family_key", "moment", "_order"], kind="stable")
    return result.drop(columns="_order").reset_index(drop=True)


def care_concern_wide(scores: pd.DataFrame) -> pd.DataFrame:
    """One row per (family, moment), one column per scale: the layout of tables 6.1-6.3."""
    wide = scores.pivot(index=["family_key", "moment"], columns="scale", values="raw_score")
    return wide[SCALES].reset_index()


def resources(frame: pd.DataFrame) -> pd.DataFrame:
    """Chapter 9, from the 9-month file: plan in the file, ambulatory help, placement."""
    timing = frame["uhp_moment"].map(PLACEMENT_TIMING)
    ongoing = frame["uhp_lopend"].map({1: True, 0: False}).astype("boolean")
    return pd.DataFrame(
        {
            "family_key": frame["gezinsnr"].astype(str),
            "plan_in_file": frame["plan_dossier"].map(PLAN_IN_FILE),
            "ambulatory_help": frame["amb_hulp"].map(AMBULATORY_HELP),
            "any_ambulatory_help": (frame["amb_hulp"] > 0).astype("boolean"),
            "placement": frame["uhp_soort"].map(PLACEMENT),
            "placed": (frame["uhp_soort"] > 0).astype("boolean"),
            "placement_timing": timing,
            # table 9.4: placements on the conference date or after (the registration for) it
            "placed_at_or_after": frame["uhp_moment"].isin([2, 3]).astype("boolean"),
            "placement_ongoing": ongoing,
            "placement_months": frame["uhp_duur_mnd"].astype("Int64"),
        }
    ).reset_index(drop=True)
