"""Research question 1 (chapter 3): the analysis against independent computations and against
the published figures."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ekc.core.stats.records import write_records, write_table
from ekc.youth_protection.analysis.rq1_target_group import DEVIATIONS, analyse, printed_limits
from ekc.youth_protection.clean.questionnaires import BANDS
from ekc.youth_protection.clean.registration import PROBLEM_CODES
from ekc.youth_protection.external import read_reference
from tests.conftest import ROOT

LINKED = [
    "families",
    "children",
    "care_concerns",
    "cvc",
    "questionnaires",
    "life_events",
    "interview_cases",
    "interview_children",
    "interview_scores",
]
# Published figures of chapter 3 the rule does not compute: (variable or None, group): why.
NOT_CLAIMED = {
    (None, "regular_ekc_population"): "external reference figures (rule external_reference)",
    ("help_duration", "shadow"): "not recorded for shadow cases (no registration form; printed -)",
}

# ---- a small study, checked by hand ---------------------------------------------------


def small_study():
    """Six families (4 conference, 2 not; 3 retrospective, 3 prospective), one without a
    registration form, seven children."""
    codes = list(PROBLEM_CODES.values())
    n_problems = [1, 2, 4, None, 1, 3]
    design = [
        ("retrospective", "plan", "youth_care_agency", "not_applicable", "analysed"),
        ("prospective", "plan", "other_agency", "active", "analysed"),
        ("retrospective", "no_plan", "youth_care_agency", "not_applicable", "not_accessible"),
        ("prospective", "plan_unknown", None, "refused", "restgroep"),
        ("retrospective", "no_conference", "youth_care_agency", "not_applicable", "analysed"),
        ("prospective", "no_conference", "combination", "withdrawn", "analysed"),
    ]
    rows = []
    for i, (k, (arm, plan, agency, participation, dossier)) in enumerate(
        zip(n_problems, design, strict=True)
    ):
        row = {
            "family_id": f"F{i}",
            "group": "conference" if i < 4 else "no_conference",
            "arm": arm,
            "plan_status": plan,
            "referrer_agency": agency,
            "participation": participation,
            "dossier": dossier,
            "has_frek": k is not None,
            "n_children": pd.NA if k is None else 1 + i % 2,
            "n_problems": pd.NA if k is None else k,
            "help_duration": "unknown" if k is None else ["0_1", "2_5"][i % 2],
        }
        for j, code in enumerate(codes):
            row[f"problem_{code}"] = pd.NA if k is None else int(j < k)
        rows.append(row)
    families = pd.DataFrame(rows)
    for column in ["n_children", "n_problems", *[f"problem_{c}" for c in codes]]:
        families[column] = families[column].astype("Int64")
    arm = dict(zip(families["family_id"], families["arm"], strict=True))
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
    children["arm"] = children["family_id"].map(arm)
    return families, children


@pytest.fixture
def analysed():
    families, children = small_study()
    tables, records = analyse({"families": families, "children": children}, study="t")
    return families, children, tables, {r["id"]: r for r in records}


def test_child_counts_and_column_percentages(analysed):
    _, children, _, rec = analysed
    girls = rec["t:3.1:sex:girl:conference:-"]
    assert girls["count"] == 2 and girls["n"] == 4
    assert girls["pct"] == pytest.approx(50.0)
    assert rec["t:3.1:sex:unknown:conference:-"]["count"] == 1
    expected = pd.crosstab(children["residence"], children["group"])
    home = rec["t:3.1:residence:home:no_conference:-"]
    assert home["count"] == expected.loc["home", "no_conference"]
    assert rec["t:3.1:sample:-:conference:-"]["n"] == 4


def test_number_of_children_counts_families_without_a_form_as_unknown(analysed):
    _, _, _, rec = analysed
    assert rec["t:3.1:n_children:unknown:conference:-"]["count"] == 1
    assert rec["t:3.1:n_children:unknown:conference:-"]["n"] == 4
    assert rec["t:3.1:n_children:2:conference:-"]["count"] == 1  # F1 (F3 has no form)


def test_problem_count_summary_matches_numpy(analysed):
    _, _, _, rec = analysed
    conf = np.array([1, 2, 4], dtype=float)
    summary = rec["t:3.3:n_problems:-:conference:start"]
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
    test = rec["t:text3:n_problems:-:conference_vs_no_conference:start"]
    assert test["statistic"] == pytest.approx(t) and test["t"] == test["statistic"]
    assert test["df"] == 3
    assert test["p"] == pytest.approx(2 * stats.t.sf(abs(t), 3))
    assert test["alternative"] == "two-sided"


def test_chi_square_is_pearson_without_yates(analysed):
    _, children, _, rec = analysed
    known = children[children["ethnicity"] != "unknown"]
    observed = pd.crosstab(known["ethnicity"], known["group"]).to_numpy(dtype=float)
    expected = observed.sum(1, keepdims=True) * observed.sum(0, keepdims=True) / observed.sum()
    chi2 = ((observed - expected) ** 2 / expected).sum()
    test = rec["t:3.1:ethnicity:-:conference_vs_no_conference:-"]
    assert test["statistic"] == pytest.approx(chi2) and test["chi2"] == test["statistic"]
    assert test["df"] == 1


def test_a_verdict_over_several_tests_is_significant_when_any_test_is(analysed):
    _, _, _, rec = analysed
    for comparison in ("conference_vs_no_conference", "retrospective_vs_prospective"):
        verdict = rec[f"t:text3:demographics:-:{comparison}:-"]
        parts = [rec[i] for i in verdict["components"]]
        assert len(parts) == 5 and verdict["p_min"] == min(p["p"] for p in parts)
        # Holm: the verdict's adjusted p is that of the test that decides it
        assert verdict["p_holm"] == min(p["p_holm"] for p in parts)
        significant = any(p["p"] < 0.05 for p in parts)
        assert verdict["verdict"] == ("significant" if significant else "not_significant")


def test_problem_type_percentages_use_all_registered_families(analysed):
    _, _, _, rec = analysed
    row = rec["t:3.2:main_problem:child_behaviour:all:start"]
    assert row["count"] == 5  # every family with a form ticked the first type
    assert row["pct"] == pytest.approx(100 * 5 / 6)
    assert row["pct_of_frek"] == pytest.approx(100.0)
    assert rec["t:3.2:sample:-:all:start"]["n"] == 5


def test_group_characteristics_leave_out_empty_child_records(analysed):
    families, children, _, _ = analysed
    empty = children.iloc[[0]].assign(sex="unknown", age_group="unknown", ethnicity="unknown")
    tables = {"families": families, "children": pd.concat([children, empty])}
    rec = {r["id"]: r for r in analyse(tables, study="t")[1]}
    assert rec["t:3.10:sex:boy:research_group:-"]["n"] == len(children)
    assert rec["t:3.10:n_children:-:research_group:-"]["mean"] == pytest.approx(
        len(children) / int(families["has_frek"].sum())
    )
    assert rec["t:3.10:help_duration:unknown:research_group:-"]["count"] == 1
    assert rec["t:3.10:help_duration:0_1y:research_group:-"]["count"] == 3
    assert rec["t:text3:children_total:-:all:-"]["count"] == len(children)


def test_participant_counts_of_the_text(analysed):
    _, _, _, rec = analysed
    assert rec["t:text3:families_included:-:prospective:-"]["count"] == 3
    assert rec["t:text3:conference_status:conference_other:all:-"]["count"] == 2
    assert rec["t:text3:prospective_declined:-:prospective:-"]["count"] == 2
    assert rec["t:text3:prospective_declined:-:prospective:-"]["n"] == 3
    assert rec["t:text3:referring_agency:youth_care_agency:all:-"]["pct"] == pytest.approx(50)


def test_printed_band_limits_follow_the_cut_points():
    # cut points .80, 1.285, 1.645, 1.96 print as < .80 | .80-1.28 | 1.29-1.64 | 1.65-1.96 | > 1.96
    nosik = printed_limits(high_is_bad=True)
    assert nosik["moderate"] == pytest.approx({"band_from": 0.80, "band_to": 1.28})
    assert nosik["considerable"] == pytest.approx({"band_from": 1.29, "band_to": 1.64})
    assert nosik["very_serious"] == {"band_gt": 1.96}
    veo = printed_limits(high_is_bad=False)
    assert veo["none"] == {"band_gt": -0.80} and veo["very_serious"] == {"band_lt": -1.96}


# ---- the embedded data: published figures, independent recomputation -------------------


def _tables(directory):
    tables = {name: pd.read_parquet(directory / f"{name}.parquet") for name in LINKED}
    tables["reference"] = read_reference(ROOT / "resources/external/regular_ekc_population.csv")
    return tables


@pytest.fixture(scope="module")
def embedded(built_workflow):
    tables = _tables(built_workflow / "private/analysis")
    out, records = analyse(tables)
    return tables, out, records, {r["id"]: r for r in records}


def _number(text: str) -> float:
    text = text.strip()
    return float("0" + text if text.startswith(".") else text.replace("-.", "-0."))


def _agrees(value, printed: str, decimals: str, statistic: str) -> bool:
    """Counts, n, df and ranges exact; '<x' / '>x' as bounds; verdicts by significance;
    other figures within half a unit of the last printed decimal."""
    if statistic == "verdict":
        return (value == "significant") == (not printed.lower().startswith("n.s"))
    if printed[0] in "<>":
        bound = _number(printed[1:])
        return value < bound if printed[0] == "<" else value > bound
    if statistic in {"n", "count", "df", "min", "max"}:
        return value == _number(printed)
    return abs(value - _number(printed)) <= 0.5 * 10 ** -int(decimals or 0) + 1e-9


def _chapter3():
    """The published figures of chapter 3: those the rule claims, and the others."""
    published = pd.read_csv(
        ROOT / "resources/published/youth_protection_ch3_5.csv", dtype=str, keep_default_na=False
    )
    published = published[published["table"].str.fullmatch(r"3\.\d+|text3")]
    unclaimed = pd.Series(False, index=published.index)
    for variable, group in NOT_CLAIMED:
        block = published["group"].eq(group)
        unclaimed |= block if variable is None else block & published["variable"].eq(variable)
    return published[~unclaimed], published[unclaimed]


def test_every_published_figure_of_chapter_3_is_reproduced_or_a_known_deviation(embedded):
    _, _, _, rec = embedded
    claimed, _ = _chapter3()
    differ, absent = set(), []
    for figure in claimed.itertuples(index=False):
        record_id, statistic = figure.id.rsplit(":", 1)
        value = rec.get(record_id, {}).get(statistic)
        if value is None:
            absent.append(figure.id)
        elif not _agrees(value, figure.value, figure.decimals, statistic):
            differ.add(figure.id)
    assert not absent
    assert len(claimed) > 550
    # the list of deviations can not go stale: exactly these differ, each for its reason
    assert differ == {f"yp:{key}" for key in DEVIATIONS}
    for key, reason in DEVIATIONS.items():
        record_id, statistic = f"yp:{key}".rsplit(":", 1)
        assert rec[record_id]["notes"][statistic] == reason


def test_figures_not_claimed_are_indeed_not_computed(embedded):
    _, _, _, rec = embedded
    _, unclaimed = _chapter3()
    assert len(unclaimed) == 66 + 7
    for figure in unclaimed["id"]:
        record_id, statistic = figure.rsplit(":", 1)
        assert rec.get(record_id, {}).get(statistic) is None, figure


def test_t_106_recomputed_by_hand(embedded):
    tables, _, _, rec = embedded
    fam = tables["families"]
    fam = fam[fam["has_frek"]]
    a = fam.loc[fam["group"] == "no_conference", "n_problems"].astype(float).to_numpy()
    b = fam.loc[fam["group"] == "conference", "n_problems"].astype(float).to_numpy()
    df = a.size + b.size - 2
    pooled = ((a.size - 1) * a.var(ddof=1) + (b.size - 1) * b.var(ddof=1)) / df
    t = (a.mean() - b.mean()) / math.sqrt(pooled * (1 / a.size + 1 / b.size))
    test = rec["yp:text3:n_problems:-:conference_vs_no_conference:start"]
    assert test["statistic"] == pytest.approx(t, rel=1e-9)
    assert test["df"] == df == 106
    assert test["p"] == pytest.approx(2 * stats.t.sf(abs(t), df), rel=1e-7)
    # Hedges' g: pooled sd, small-sample correction J = 1 - 3 / (4 df - 1)
    g = (1 - 3 / (4 * df - 1)) * (a.mean() - b.mean()) / math.sqrt(pooled)
    effect = rec["yp:3.3x:n_problems:-:conference_vs_no_conference:start"]
    assert effect["estimate"] == pytest.approx(g, rel=1e-9)
    assert effect["test_id"] == test["id"]


def test_ethnicity_chi_square_recomputed_by_hand(embedded):
    tables, _, _, rec = embedded
    kids = tables["children"]
    known = kids[kids["ethnicity"] != "unknown"]
    observed = pd.crosstab(known["ethnicity"], known["group"]).to_numpy(dtype=float)
    expected = observed.sum(1, keepdims=True) * observed.sum(0, keepdims=True) / observed.sum()
    chi2 = float(((observed - expected) ** 2 / expected).sum())
    test = rec["yp:3.1:ethnicity:-:conference_vs_no_conference:-"]
    assert test["statistic"] == pytest.approx(chi2, rel=1e-9)
    assert round(chi2, 2) == 7.39  # the value the published counts give (note of table 3.1)
    effect = rec["yp:3.1x:ethnicity:-:conference_vs_no_conference:-"]
    assert effect["estimate"] == pytest.approx(math.sqrt(chi2 / observed.sum()), rel=1e-9)


def test_care_concern_comparison_matches_scipy(embedded):
    tables, _, _, rec = embedded
    concerns = tables["care_concerns"].merge(tables["families"][["family_id", "group"]])
    total = concerns[
        (concerns["moment"] == "start")
        & (concerns["scale"] == "total")
        & (concerns["status"] == "scored")
    ]
    a, b = (
        total.loc[total["group"] == g, "raw_score"].astype(float)
        for g in ("conference", "no_conference")
    )
    result = stats.ttest_ind(a, b)
    test = rec["yp:text3:care_concerns_total:-:conference_vs_no_conference:start"]
    assert test["statistic"] == pytest.approx(result.statistic, rel=1e-9)
    assert test["p"] == pytest.approx(result.pvalue, rel=1e-7)
    assert test["verdict"] == "not_significant"


def test_parenting_stress_is_tested_against_the_norm_groups_share(embedded):
    """40% of the parents report considerable to very serious stress, against the norm
    group's 10% (the share of a normal population beyond the 'considerable' cut point)."""
    _, _, _, rec = embedded
    test = rec["yp:text3x:nosik_deviation_band:considerable_or_worse:parents:start"]
    bands = [rec[f"yp:3.6:nosik_deviation_band:{b}:parents:start"] for b in BANDS[2:]]
    worse = sum(b["count"] for b in bands)
    assert (test["count"], test["n"]) == (worse, bands[0]["n"])
    assert test["pct"] == pytest.approx(40.0)
    assert test["norm_pct"] == pytest.approx(100 * stats.norm.sf(1.285))
    expected = stats.binomtest(worse, test["n"], stats.norm.sf(1.285), alternative="greater")
    assert test["p"] == pytest.approx(expected.pvalue, rel=1e-9)
    assert test["alternative"] == "greater" and test["verdict"] == "significant"


def test_holm_and_effect_sizes(embedded):
    _, out, records, rec = embedded
    tests = [r for r in records if r.get("p") is not None]
    assert len(tests) == 30
    # Holm by hand: the i-th smallest p times (m - i), running maximum, capped at 1
    ordered = sorted(tests, key=lambda r: r["p"])
    m, running = len(ordered), 0.0
    for i, test in enumerate(ordered):
        running = max(running, min(1.0, (m - i) * test["p"]))
        assert test["p_holm"] == pytest.approx(running, rel=1e-8)
        assert test["p_holm"] >= test["p"]
    effects = {r["test_id"]: r for r in records if "test_id" in r}
    for test in tests:
        effect = effects.get(test["id"], test)  # beyond-the-report tests carry their own
        assert effect["effect"] in {"hedges_g", "cramers_v", "share"}
        assert effect["ci_low"] <= effect["estimate"] <= effect["ci_high"]
        assert effect["table"].endswith("x")
    assert len(out["effects"]) == len(tests)
    assert out["effects"]["p_holm"].ge(out["effects"]["p"]).all()


def test_results_are_byte_identical_across_runs_and_row_orders(embedded, tmp_path):
    tables, out, records, _ = embedded
    shuffled = {
        name: frame.sample(frac=1, random_state=7).reset_index(drop=True)
        for name, frame in tables.items()
    }
    out2, records2 = analyse(shuffled)
    write_records(records, tmp_path / "a.json")
    write_records(records2, tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    for name in out:
        write_table(out[name], tmp_path / "a.csv")
        write_table(analyse(tables)[0][name], tmp_path / "b.csv")
        assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes(), name


def test_the_rule_wrote_exactly_these_results(embedded, built_workflow, tmp_path):
    _, _, records, _ = embedded
    write_records(records, tmp_path / "expected.json")
    built = built_workflow / "results/stats/target_group.json"
    assert built.read_bytes() == (tmp_path / "expected.json").read_bytes()
    assert (built_workflow / "results/tables/target_group/effects.csv").exists()
