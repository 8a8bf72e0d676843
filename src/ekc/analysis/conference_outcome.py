"""The outcome of the conference (chapter 5): was the plan carried out after three months?"""

from __future__ import annotations

import pandas as pd

from ekc.analysis.describe import category_counts

VARIABLES = {
    "plan_executed": ["fully", "partly", "not_at_all", "unknown"],
    "evaluation_referrer_family": ["yes", "no", "unknown"],
    "evaluation_family": ["yes", "no", "unknown"],
}


def analyse(
    families: pd.DataFrame, fufrek: pd.DataFrame, study: str = "yp"
) -> tuple[dict[str, pd.DataFrame], list]:
    """Table 5.1 over the conferences with a follow-up form (FUFREK)."""
    linked = fufrek.merge(
        families[["family_id", "conference"]], on="family_id", how="left", validate="one_to_one"
    )
    linked = linked[linked["conference"].fillna(False).astype(bool)].assign(_g="conference")
    frames, records = [], []
    for variable, categories in VARIABLES.items():
        frame, recs = category_counts(
            linked,
            variable,
            categories,
            group_col="_g",
            groups=["conference"],
            study=study,
            table="5.1",
            label=variable,
        )
        frames.append(frame)
        records += recs
    return {"plan_outcome": pd.concat(frames, ignore_index=True)}, records
