"""Linkage: orphans, disagreements and the participant flow of the published study."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ekc.youth_protection.link import (
    fate_issues,
    in_register,
    linkage_report,
    participant_flow,
    row_fates,
)

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


def lineage_rows(*rows: dict) -> pd.DataFrame:
    """Hand-made lineage rows (ekc.youth_protection.lineage) for the row fates."""
    defaults = {"links_to": "register", "row_id": None, "moment": None, "date": pd.NaT}
    return pd.DataFrame([{**defaults, **row} for row in rows])


def test_rows_of_unknown_families_are_orphans_with_their_row(clean_tables):
    families, _ = clean_tables
    known = families["family_id"].iloc[0]
    rows = lineage_rows(
        {"source": "frek_children", "source_row": 5, "unit": "Fdoesnotexist"},
        {"source": "frek_children", "source_row": 6, "unit": known},
        {"source": "fufrek", "source_row": 2, "unit": "Fnope", "instrument": "fufrek"},
    )
    fates = row_fates(rows, families)
    assert list(fates["fate"]) == ["orphaned", "kept", "orphaned"]
    issues = {(i["issue"], i["source"], i["source_row"]) for i in fate_issues(fates)}
    assert issues == {("orphan", "frek_children", 5), ("orphan", "fufrek", 2)}


def test_forms_the_design_does_not_expect_are_unexpected(clean_tables):
    families, _ = clean_tables
    held = families[families["conference"] & families["conference_date"].notna()].iloc[0]
    none = families[~families["conference"]].iloc[0]
    rest = families[families["restgroep"]].iloc[0]
    day = pd.Timedelta(days=1)
    rows = lineage_rows(
        # a FUFREK dated the day before the conference
        {
            "source": "fufrek",
            "source_row": 2,
            "unit": held["family_id"],
            "instrument": "fufrek",
            "moment": "3m",
            "date": held["conference_date"] - day,
        },
        # the same form a day after it: expected
        {
            "source": "fufrek",
            "source_row": 3,
            "unit": held["family_id"],
            "instrument": "fufrek",
            "moment": "3m",
            "date": held["conference_date"] + day,
        },
        # a SuccInt of a family without a conference
        {
            "source": "succint_aanmelder",
            "source_row": 1,
            "unit": none["family_id"],
            "instrument": "succint_referrer",
            "moment": "3m",
        },
        # a 3-month VEO dated before the family's start VEO
        {
            "source": "veo",
            "source_row": 7,
            "unit": none["family_id"],
            "instrument": "veo",
            "moment": "start",
            "date": pd.Timestamp("2006-05-01"),
        },
        {
            "source": "veo",
            "source_row": 8,
            "unit": none["family_id"],
            "instrument": "veo",
            "moment": "3m",
            "date": pd.Timestamp("2006-04-01"),
        },
        # a 9-month PUL of a restgroep family
        {
            "source": "pul",
            "source_row": 9,
            "unit": rest["family_id"],
            "instrument": "pul",
            "moment": "9m",
            "date": pd.Timestamp("2007-09-01"),
        },
    )
    fates = row_fates(rows, families)
    assert list(fates["fate"]) == [
        "unexpected",
        "kept",
        "unexpected",
        "kept",
        "unexpected",
        "unexpected",
    ]
    assert list(fates.loc[fates["unexpected"], "detail"]) == [
        "fufrek form dated before the family's conference",
        "succint_referrer form of a family without a conference",
        "veo 3m form dated before the family's start form",
        "pul 9-month form of a restgroep family (the restgroep has no 9-month follow-up)",
    ]
    kept = row_fates(rows, families, include_unexpected=True)
    assert set(kept["fate"]) == {"kept"} and kept["unexpected"].sum() == 4


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
