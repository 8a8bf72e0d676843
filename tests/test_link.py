"""Linkage: orphans, disagreements and the participant flow of the published study."""

from __future__ import annotations

import pandas as pd

from ekc.link import linkage_report, participant_flow


def test_orphan_child_and_follow_up_are_reported(clean_tables):
    families, children = clean_tables
    orphan = children.iloc[[0]].assign(family_id="Fdoesnotexist")
    fufrek = pd.DataFrame({"family_id": ["Fnope"], "follow_up_date": [pd.Timestamp("2006-05-01")]})
    report = linkage_report(families, pd.concat([children, orphan]), fufrek)
    orphans = report[report["issue"] == "orphan"]
    assert set(orphans["family_id"]) == {"Fdoesnotexist", "Fnope"}
    assert set(orphans["source"]) == {"frek_children", "fufrek"}


def test_follow_up_before_conference_is_inconsistent(clean_tables):
    families, children = clean_tables
    conference = families[families["conference"] & families["conference_date"].notna()].iloc[0]
    fufrek = pd.DataFrame(
        {
            "family_id": [conference["family_id"]],
            "follow_up_date": [conference["conference_date"] - pd.Timedelta(days=1)],
        }
    )
    report = linkage_report(families, children, fufrek)
    assert "follow-up date before the conference date" in set(report["detail"])


def test_child_records_disagreeing_with_the_stated_number_are_reported(clean_tables):
    families, children = clean_tables
    report = linkage_report(
        families, children, pd.DataFrame(columns=["family_id", "follow_up_date"])
    )
    stated = families.set_index("family_id")["n_children"].dropna()
    records = children.groupby("family_id").size()
    expected = {fid for fid in stated.index if records.get(fid, 0) != stated[fid]}
    disagreeing = set(report.loc[report["source"] == "frek_children", "family_id"])
    assert disagreeing == expected and expected


def test_participant_flow_counts_come_from_the_data(clean_tables):
    families, children = clean_tables
    flow = participant_flow(families, children, pd.DataFrame({"family_id": []}))
    steps = dict(zip(flow["step"], flow["n"], strict=True))
    assert steps["registered"] == len(families)
    assert steps["conference"] + steps["no_conference"] == steps["registered"]
    assert (
        steps["conference_with_plan"]
        + steps["conference_without_plan"]
        + steps["conference_plan_unknown"]
    ) == steps["conference"]
    assert steps["active"] + steps["refused"] + steps["withdrawn"] == steps["prospective"]
    missing = sum(n for s, n in steps.items() if s.startswith("no_case_file_"))
    assert steps["case_file_analysed"] + missing == steps["registered"]
