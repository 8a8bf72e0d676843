"""The outcome of the conference (chapter 5): was the plan carried out after three months?

Table 5.1 counts the follow-up forms (FUFREK) of the research group's conferences; the
regular EKc population's 2006 forms are published aggregates (`resources/external/`).
"""

from __future__ import annotations

import pandas as pd

from ekc.core.stats.describe import category_counts
from ekc.core.stats.finish import count_record, restated
from ekc.core.stats.records import record, record_id
from ekc.youth_protection.vocabulary import OUTCOME_VARIABLES

GROUP = "research_group"
MOMENT = "3m"
# published category token <- value in the cleaned FUFREK
CATEGORIES = {
    "fully": "fully",
    "partly": "not_fully",
    "not_at_all": "not_at_all",
    "yes": "yes",
    "no": "no",
    "unknown": "not_filled_in",
}


def _text_records(
    conferences: pd.DataFrame, linked: pd.DataFrame, by_id: dict, study: str
) -> list[dict]:
    n_conferences, returned = len(conferences), len(linked)
    records = [
        count_record(
            record_id(study, "text5", "fufrek_completed", "-", GROUP, MOMENT),
            count=returned,
            base=n_conferences,
            label="follow-up forms returned for the conferences held",
        )
    ]
    for variable, category in (
        ("plan_executed", "not_fully"),
        ("evaluation_referrer_family", "yes"),
    ):
        source = by_id[record_id(study, "5.1", variable, category, GROUP, MOMENT)]
        records.append(restated(source, "text5"))
    return records


def analyse(
    tables: dict[str, pd.DataFrame], study: str = "yp", alpha: float = 0.05
) -> tuple[dict[str, pd.DataFrame], list]:
    """Table 5.1 over the conferences with a follow-up form (FUFREK): tables families and
    fufrek. Descriptive only, so alpha is not used."""
    families, fufrek = tables["families"], tables["fufrek"]
    conferences = families[families["conference"]]
    linked = fufrek[fufrek["family_id"].isin(set(conferences["family_id"]))].copy()
    for variable in OUTCOME_VARIABLES:
        linked[variable] = linked[variable].map(CATEGORIES)
    linked["_g"] = GROUP
    frames = []
    records = [
        record(
            record_id(study, "5.1", "sample", "-", GROUP, MOMENT),
            label="conferences with a follow-up form",
            n=len(linked),
        )
    ]
    for variable, categories in OUTCOME_VARIABLES.items():
        frame, recs = category_counts(
            linked,
            variable,
            categories,
            group_col="_g",
            groups=[GROUP],
            study=study,
            table="5.1",
            label=variable,
            moment=MOMENT,
        )
        frames.append(frame)
        records += recs
    records += _text_records(conferences, linked, {r["id"]: r for r in records}, study)
    return {"plan_outcome": pd.concat(frames, ignore_index=True)}, records
