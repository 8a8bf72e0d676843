"""The conference itself (chapter 4): duration, private family time, attendees, referrer.

Table 4.1 describes all conferences (n=90); table 4.2 sets the research group beside the
interviewed EKc families and the regular EKc population (published aggregates only).
"""

from __future__ import annotations

import pandas as pd

from ekc.analysis.describe import category_counts, numeric_summary
from ekc.stats.records import make_record, record_id

DURATION = ["1_3", "3_5", "5_8", "20_24", "unknown"]
PRIVATE = ["0_1", "1_3", "3_5", "5_8", "unknown"]
PRESENT = ["yes", "no", "unknown"]
VARIABLES = {
    "conference_duration": ("duration_band", DURATION),
    "private_time": ("private_band", PRIVATE),
    "referrer_present": ("referrer_present", PRESENT),
}


def _columns(families: pd.DataFrame, table: str, group: str, study: str) -> tuple[list, list]:
    frames, records = [], []
    part = families.assign(_column=group)
    for token, (column, categories) in VARIABLES.items():
        frame, recs = category_counts(
            part,
            column,
            categories,
            group_col="_column",
            groups=[group],
            study=study,
            table=table,
            label=token,
            token=token,
        )
        frames.append(frame)
        records += recs
    summary = numeric_summary(part["attendees"])
    records.append(
        make_record(
            id=record_id(study, table, "attendees", "-", group),
            table=table,
            label="number of people present at the conference",
            group=group,
            moment="-",
            **summary,
        )
    )
    frames.append(
        pd.DataFrame([{"variable": "attendees", "category": "-", "group": group, **summary}])
    )
    return frames, records


def analyse(families: pd.DataFrame, study: str = "yp") -> tuple[dict[str, pd.DataFrame], list]:
    conferences = families[families["conference"]]
    frames, records = _columns(conferences, "4.1", "conference", study)
    if "interviewed" in conferences:
        more, recs = _columns(
            conferences[conferences["interviewed"]], "4.2", "interview_ekc", study
        )
        frames += more
        records += recs
    table = pd.concat(frames, ignore_index=True)
    return {"conference_characteristics": table}, records
