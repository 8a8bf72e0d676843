"""Research question 1 (tables 3.1-3.3): computations against independent calculations."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ekc.analysis.rq1_target_group import analyse
from ekc.clean.registration import PROBLEM_CODES


def small_study():
    """Six families (4 conference, 2 not), one without a FREK, seven children."""
    codes = list(PROBLEM_CODES.values())
    n_problems = [1, 2, 4, None, 1, 3]
    rows = []
    for i, k in enumerate(n_problems):
        row = {
            "family_id": f"F{i}",
            "group": "conference" if i < 4 else "no_conference",
            "has_frek": k is not None,
            "n_children": pd.NA if k is None else 1 + i % 2,
            "n_problems": pd.NA if k is None else k,
            "help_duration": "unknown" if k is None else ["0_1", "2_5"][i % 2],
        }
        for j, code in enumerate(codes):
            row[f"problem_{code}"] = pd.NA if k is None else int(j < k)
        rows.append(row)
    families = pd.DataFrame(rows)
    families["n_children"] = families["n_children"].astype("Int64")
    families["n_problems"] = families["n_problems"].astype("Int64")
    children = pd.DataFrame(
        {
            "family_id": ["F0", "F1", "F1", "F2", "F4", "F5", "F5"],
            "group": ["conference"] * 4 + ["no_conference"] * 3,
            "sex": ["boy", "girl", "girl", "unknown", "boy", "boy", "girl"],
            "age_group": ["0_4", "5_12", "13_18", "unknown", "5_12", "5_12", "13_18"],
            "ethnicity": [
                "migrant",
                "native_dutch",
                "migrant",
                "migrant",
                "native_dutch",
                "native_dutch",
                "unknown",
            ],
            "residence": [
                "home",
                "home",
                "residential_group",
                "other",
                "home",
                "home",
                "kinship_foster",
            ],
        }
    )
    return families, children


@pytest.fixture
def analysed():
    families, children = small_study()
    tables, records = analyse(families, children, study="t")
    return families, children, tables, {r["id"]: r for r in records}


def test_child_counts_and_column_percentages(analysed):
    _, children, _, rec = analysed
    girls = rec["t:3.1:sex:girl:conference:-"]
    assert girls["count"] == 2 and girls["n"] == 4
    assert girls["pct"] == pytest.approx(50.0)
    unknown = rec["t:3.1:sex:unknown:conference:-"]
    assert unknown["count"] == 1
    expected = pd.crosstab(children["residence"], children["group"])
    home = rec["t:3.1:residence:home:no_conference:-"]
    assert home["count"] == expected.loc["home", "no_conference"]


def test_number_of_children_counts_families_without_frek_as_unknown(analysed):
    _, _, _, rec = analysed
    assert rec["t:3.1:n_children:unknown:conference:-"]["count"] == 1
    assert rec["t:3.1:n_children:unknown:conference:-"]["n"] == 4
    assert rec["t:3.1:n_children:2:conference:-"]["count"] == 1  # F1 (F3 has no FREK)


def test_problem_count_summary_matches_numpy(analysed):
    families, _, _, rec = analysed
    conf = np.array([1, 2, 4], dtype=float)
    summary = rec["t:3.3:n_problems:-:conference:-"]
    assert summary["n"] == 3
    assert summary["mean"] == pytest.approx(conf.mean())
    assert summary["sd"] == pytest.approx(conf.std(ddof=1))
    assert (summary["min"], summary["max"]) == (1, 4)


def test_student_t_matches_the_textbook_formula(analysed):
    _, _, _, rec = analysed
    a = np.array([1, 3], dtype=float)  # no conference
    b = np.array([1, 2, 4], dtype=float)  # conference
    pooled = ((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / (len(a) + len(b) - 2)
    t = (a.mean() - b.mean()) / math.sqrt(pooled * (1 / len(a) + 1 / len(b)))
    test = rec["t:3.3:n_problems:-:no_conference_vs_conference:-"]
    assert test["statistic"] == pytest.approx(t)
    assert test["df"] == 3
    assert test["alternative"] == "two-sided"


def test_chi_square_is_pearson_without_yates(analysed):
    _, children, _, rec = analysed
    known = children[children["ethnicity"] != "unknown"]
    observed = pd.crosstab(known["ethnicity"], known["group"]).to_numpy(dtype=float)
    expected = observed.sum(1, keepdims=True) * observed.sum(0, keepdims=True) / observed.sum()
    chi2 = ((observed - expected) ** 2 / expected).sum()
    test = rec["t:3.1:ethnicity:-:conference_vs_no_conference:-"]
    assert test["statistic"] == pytest.approx(chi2)
    assert test["df"] == 1


def test_problem_type_percentages_use_all_registered_families(analysed):
    families, _, _, rec = analysed
    first = list(PROBLEM_CODES.values())[0]
    row = rec[f"t:3.2:problem_type:{first}:all:-"]
    assert row["count"] == 5  # every family with a FREK ticked the first type
    assert row["pct"] == pytest.approx(100 * 5 / 6)
    assert row["pct_of_frek"] == pytest.approx(100.0)


def test_embedded_data_reproduce_table_3_3_and_its_t_test(clean_tables):
    families, children = clean_tables
    _, records = analyse(families, children)
    rec = {r["id"]: r for r in records}
    no_conf = rec["yp:3.3:n_problems:-:no_conference:-"]
    conf = rec["yp:3.3:n_problems:-:conference:-"]
    assert (no_conf["n"], round(no_conf["mean"], 2), round(no_conf["sd"], 2)) == (21, 1.29, 0.56)
    assert (conf["n"], round(conf["mean"], 2), round(conf["sd"], 2)) == (87, 1.69, 0.83)
    test = rec["yp:3.3:n_problems:-:no_conference_vs_conference:-"]
    assert (round(test["statistic"], 2), test["df"], round(test["p"], 3)) == (-2.12, 106, 0.036)


def test_group_characteristics_leave_out_empty_child_records(analysed):
    families, children, _, _ = analysed
    empty = children.iloc[[0]].assign(sex="unknown", age_group="unknown", ethnicity="unknown")
    _, records = analyse(families, pd.concat([children, empty]), study="t")
    rec = {r["id"]: r for r in records}
    assert rec["t:3.10:sex:boy:research_group:-"]["n"] == len(children)
    assert rec["t:3.10:n_children:-:research_group:-"]["mean"] == pytest.approx(
        len(children) / int(families["has_frek"].sum())
    )
    assert rec["t:3.10:help_duration:unknown:research_group:-"]["count"] == 1
