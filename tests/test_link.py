"""Linkage: orphans, disagreements and the participant flow of the published study."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ekc.youth_protection.link import in_register, linkage_report, participant_flow

from .conftest import ROOT


@pytest.mark.parametrize("id_dtype", ["str", object])
@pytest.mark.parametrize("known_dtype", ["str", object])
def test_register_lookup_agrees_with_pandas_isin(id_dtype, known_dtype):
    rng = np.random.default_rng(7)
    known = pd.Series([f"F{i:05d}" for i in rng.choice(2000, 500)], dtype=known_dtype)
    ids = pd.Series([f"F{i:05d}" for i in rng.integers(0, 2000, 3000)] + [None], dtype=id_dtype)
    mask = in_register(ids, known)
    assert mask.dtype == bool and len(mask) == len(ids)
    np.testing.assert_array_equal(mask, ids.isin(set(known)).to_numpy())
    assert not mask[-1]  # a missing id is never in the register
    assert in_register(ids.iloc[:0], known).dtype == bool


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


# Participant-flow steps of the built workflow and the published figure each must equal.
PUBLISHED_FLOW = {
    ("registered", "all"): "yp:text3:families_included:-:all:-:count",
    ("retrospective", "all"): "yp:text3:families_included:-:retrospective:-:count",
    ("prospective", "all"): "yp:text3:families_included:-:prospective:-:count",
    ("conference_with_plan", "all"): "yp:text3:conference_status:conference_with_plan:all:-:count",
    ("conference_without_plan", "all"): "yp:text3:conference_status:conference_no_plan:all:-:count",
    ("conference_plan_unknown", "all"): (
        "yp:text3:conference_status:conference_plan_unknown:all:-:count"
    ),
    ("no_conference", "all"): "yp:text3:conference_status:no_conference:all:-:count",
    ("with_registration_form", "all"): "yp:text3:frek_completed:-:all:-:count",
    ("case_file_analysed", "all"): "yp:text6:case_file_analysis:-:all:-:count",
    ("active", "prospective"): "yp:text6:prospective_conferences_held:-:prospective:-:count",
    ("responded", "cvc_start"): "yp:text3:cvc_completed:-:prospective:start:count",
    ("responded", "veo_start"): "yp:text3:veo_completed:-:parents:start:count",
    ("responded", "pul_start"): "yp:text3:pul_completed:-:parents:start:count",
    ("scored", "nosik_start"): "yp:text3:nosik_completed:-:parents:start:count",
    ("responded", "succint_referrer_3m"): "yp:text6:succint_completed:-:referrer:3m:count",
}


def test_built_participant_flow_equals_the_published_counts(built_workflow):
    published = pd.concat(
        pd.read_csv(p, dtype=str, keep_default_na=False)
        for p in sorted((ROOT / "resources/published").glob("*.csv"))
    ).set_index("id")["value"]
    flow = pd.read_csv(built_workflow / "results/linkage/participant_flow.csv")
    steps = {(s, of): n for s, of, n in flow.itertuples(index=False)}
    for step, figure in PUBLISHED_FLOW.items():
        assert steps[step] == int(published[figure]), (step, figure)
    # no validation failures on the embedded data
    for failures in (built_workflow / "private/qc").glob("*_failures.csv"):
        assert len(pd.read_csv(failures)) == 0, failures.name
