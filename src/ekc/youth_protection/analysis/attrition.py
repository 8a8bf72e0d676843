"""Attrition (beyond the report): did the parents who dropped out start differently?

For each parents' questionnaire scale (NOSIK total, VEO total, PUL autonomy and social
optimism) the start deviation scores of families who did and did not return a follow-up at
3 and at 9 months are compared with Student's t-test (two-sided: no direction is expected)
and Hedges' g (responders minus non-responders) with its 95% CI. Only families that were
asked for the follow-up count: conference families (the follow-ups ask about the time since
the conference) that the design expects at that moment (`measurements.expected`: no
9-month round for the restgroep). NOSIK has no follow-up of its own: there, responding
means returning the follow-up booklet (VEO or PUL). These tests form their own Holm family,
apart from the tests of research question 3.
"""

from __future__ import annotations

import pandas as pd

from ekc.core.stats.describe import numeric_summary
from ekc.core.stats.effects import hedges_g
from ekc.core.stats.finish import holm_family, record_of_test
from ekc.core.stats.inference import student_t
from ekc.core.stats.records import record, record_id
from ekc.youth_protection.link import in_register

SCALES = (("nosik", "total"), ("veo", "total"), ("pul", "autonomy"), ("pul", "social_optimism"))
FOLLOW_UPS = ("3m", "9m")
RESPONSE_INSTRUMENTS = {"nosik": ("veo", "pul"), "veo": ("veo",), "pul": ("pul",)}
GROUPS = ("responded", "not_responded")
COMPARISON = "responded_vs_not_responded"
TABLE = "attrition"
HOLM_FAMILY = "attrition"
TABLE_FIELDS = ("t", "df", "p", "p_holm", "estimate", "ci_low", "ci_high", "status", "reason")


def baseline_groups(
    tables: dict[str, pd.DataFrame], instrument: str, scale: str, moment: str
) -> dict[str, pd.Series]:
    """Start deviation scores (indexed by family) of the families who did / did not respond
    at `moment`."""
    families = tables["families"]
    measurements = tables["measurements"]
    scores = tables["questionnaires"]
    conference = set(families.loc[families["group"] == "conference", "family_id"])
    asked = measurements[
        measurements["instrument"].isin(RESPONSE_INSTRUMENTS[instrument])
        & (measurements["moment"] == moment)
        & measurements["expected"].astype(bool)
    ]
    eligible = set(asked["family_id"]) & conference
    responded = set(asked.loc[asked["responded"].astype(bool), "family_id"])
    start = scores[
        (scores["instrument"] == instrument)
        & (scores["scale"] == scale)
        & (scores["moment"] == "start")
        & in_register(scores["family_id"], pd.Series(sorted(eligible), dtype=object))
    ].dropna(subset=["deviation"])
    start = start.set_index("family_id")["deviation"].sort_index()
    did = in_register(pd.Series(start.index), pd.Series(sorted(responded), dtype=object))
    return {"responded": start[did], "not_responded": start[~did]}


def analyse(
    tables: dict[str, pd.DataFrame], study: str = "yp", alpha: float = 0.05
) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    rows, records, tests = [], [], []
    for instrument, scale in SCALES:
        for moment in FOLLOW_UPS:
            groups = baseline_groups(tables, instrument, scale, moment)
            row = {"instrument": instrument, "scale": scale, "moment": moment}
            for group in GROUPS:
                summary = numeric_summary(groups[group])
                row.update({f"{key}_{group}": value for key, value in summary.items()})
                records.append(
                    record(
                        record_id(study, TABLE, instrument, scale, group, moment),
                        label=f"{instrument} {scale}: start deviation score, {group} at {moment}",
                        instrument=instrument,
                        scale=scale,
                        **summary,
                    )
                )
            rows.append(row)
            # a comparison the data cannot give (a group too small) is a not-estimable record
            did, did_not = groups["responded"], groups["not_responded"]
            test = record_of_test(
                record_id(study, TABLE, instrument, scale, COMPARISON, moment),
                result=student_t(did, did_not, alternative="two-sided", alpha=alpha),
                label=f"{instrument} {scale}: start deviation score, responders minus "
                f"non-responders at {moment}",
                instrument=instrument,
                scale=scale,
                **hedges_g(did, did_not),
            )
            tests.append((row, test))
    holm_family([test for _, test in tests], name=HOLM_FAMILY)
    for row, test in tests:
        row.update({key: test.get(key) for key in TABLE_FIELDS})
    table = pd.DataFrame(rows).rename(columns={"estimate": "hedges_g"})
    return {"attrition": table}, records + [test for _, test in tests]
