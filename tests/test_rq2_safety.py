"""Research question 2 (chapter 6): the published figures, tests recomputed independently,
Holm and effect sizes, and identical bytes on a second run."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats

from ekc.core.stats.records import write_records, write_table
from ekc.youth_protection.analysis.rq2_safety import analyse, living_place, safety_tests

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "resources" / "published" / "youth_protection_ch6_7.csv"
CHAPTER_6 = r"^(6\.[1-6]|text6)$"
TABLES = ("families", "care_concerns", "succint", "interview_scores")
EXACT = {"n", "count", "df", "df1", "df2", "min", "max", "scale_max"}

# Published figures the data cannot reproduce, with the reason.
KNOWN_DEVIATIONS = {
    "yp:6.3:care_concerns_environment:-:conference:3m:sd": (
        "printed 1.05 is impossible for 37 whole counts with mean .73 (sum 27): the reachable "
        "sds are 1.04 and 1.07, and 1.04 is the one that gives the printed total sd 1.06"
    ),
    "yp:6.6:new_living_place_rating:not_applicable_unchanged:family_informant:3m:pct": (
        "12/19 = 63.2%; the printed column (62) is forced to add up to 100"
    ),
    "yp:6.6:new_living_place_rating:not_applicable_unchanged:family_informant:9m:pct": (
        "6/16 = 37.5% rounds half up to 38; the printed column (37) is forced to add up to 100"
    ),
}


@pytest.fixture(scope="module")
def tables(built_workflow):
    folder = built_workflow / "private" / "analysis"
    return {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLES}


@pytest.fixture(scope="module")
def analysed(tables):
    out, records = analyse(tables, study="yp", alpha=0.05)
    return out, {r["id"]: r for r in records}


def _rounded(value: float, decimals: int) -> float:
    step = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP))


def _agrees(statistic: str, printed: str, decimals: str, record: dict) -> bool:
    value = record[statistic]
    if statistic == "verdict":
        text = printed.replace(" ", "")
        if text.startswith("n.s"):
            return value == "not_significant"
        bound = float(text[2:]) if text.startswith("p<") else 0.05
        return value == "significant" and record["p"] < bound
    if statistic in EXACT:
        return float(value) == float(printed)
    places = int(decimals)
    if statistic == "pct":
        return _rounded(value, places) == float(printed)
    return abs(float(value) - float(printed)) <= 0.5 * 10**-places + 1e-12


def _total(tables: dict, moment: str) -> pd.DataFrame:
    """Scored total care concerns at one moment with the group, straight from the tables."""
    cc = tables["care_concerns"]
    rows = cc[(cc["scale"] == "total") & (cc["status"] == "scored") & (cc["moment"] == moment)]
    rows = rows.dropna(subset=["raw_score"])
    rows = rows.merge(tables["families"][["family_id", "group"]], on="family_id")
    return rows.assign(value=rows["raw_score"].astype(float))


# (1) every published figure of chapter 6


def test_every_published_chapter_6_figure_is_reproduced(analysed):
    _, records = analysed
    published = pd.read_csv(PUBLISHED, dtype=str, keep_default_na=False)
    published = published[published["table"].str.match(CHAPTER_6)]
    missing, differing = [], []
    for row in published.itertuples(index=False):
        record_id, statistic = row.id.rsplit(":", 1)
        record = records.get(record_id)
        if record is None or record.get(statistic) is None:
            missing.append(row.id)
        elif not _agrees(statistic, row.value, row.decimals, record):
            differing.append(row.id)
    assert missing == []
    assert set(differing) == set(KNOWN_DEVIATIONS)


def test_known_deviations_are_the_documented_values(analysed):
    _, records = analysed
    sd = records["yp:6.3:care_concerns_environment:-:conference:3m"]["sd"]
    assert round(sd, 2) == 1.04
    informant = "yp:6.6:new_living_place_rating:not_applicable_unchanged:family_informant"
    assert records[f"{informant}:3m"]["count"] == 12 and records[f"{informant}:3m"]["n"] == 19
    assert records[f"{informant}:9m"]["pct"] == pytest.approx(37.5)


# (2) test statistics recomputed independently


def test_anova_at_three_months_by_sums_of_squares(tables, analysed):
    _, records = analysed
    at = _total(tables, "3m")
    grand = at["value"].mean()
    parts = [at.loc[at["group"] == g, "value"] for g in ("conference", "no_conference")]
    between = sum(len(p) * (p.mean() - grand) ** 2 for p in parts)
    within = sum(((p - p.mean()) ** 2).sum() for p in parts)
    df2 = len(at) - 2
    f = between / (within / df2)
    test = records["yp:text6:care_concerns_total:-:conference_vs_no_conference:3m"]
    assert (test["df1"], test["df2"]) == (1, df2)
    assert test["F"] == pytest.approx(f, rel=1e-9)
    assert test["p"] == pytest.approx(stats.f.sf(f, 1, df2), rel=1e-9)
    # the one-sided p is half the two-sided one when the conference group has fewer concerns
    assert parts[0].mean() < parts[1].mean()
    assert test["p_one_sided"] == pytest.approx(test["p"] / 2, rel=1e-9)


def test_paired_decrease_by_hand(tables, analysed):
    _, records = analysed
    start = _total(tables, "start").set_index("family_id")["value"]
    later = _total(tables, "9m").set_index("family_id")["value"]
    both = start.index.intersection(later.index)
    d = (start[both] - later[both]).to_numpy()
    t = d.mean() / (d.std(ddof=1) / math.sqrt(len(d)))
    test = records["yp:text6:care_concerns_total:start_vs_9m:all:-"]
    assert test["n"] == len(d) and test["df"] == len(d) - 1
    assert test["t"] == pytest.approx(t, rel=1e-9)
    assert test["p"] == pytest.approx(stats.t.sf(t, len(d) - 1), rel=1e-6)
    assert test["alternative"] == "greater"


def test_student_t_of_referrers_against_informants_by_hand(tables, analysed):
    _, records = analysed
    si = tables["succint"]
    si = si[(si["measure"] == "safety_wellbeing") & (si["moment"] == "9m")].dropna(subset=["score"])
    a = si.loc[si["informant"] == "referrer", "score"].to_numpy()
    b = si.loc[si["informant"] == "family_informant", "score"].to_numpy()
    pooled = ((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / (len(a) + len(b) - 2)
    t = (a.mean() - b.mean()) / math.sqrt(pooled * (1 / len(a) + 1 / len(b)))
    test = records["yp:text6:safety_wellbeing_score:-:referrer_vs_family_informant:9m"]
    assert test["t"] == pytest.approx(t, rel=1e-9)
    assert test["df"] == len(a) + len(b) - 2


def test_living_place_chi_square_by_hand(tables, analysed):
    _, records = analysed
    si = tables["succint"]
    at = si[(si["measure"] == "new_living_place") & (si["moment"] == "3m")]
    observed = pd.crosstab(at["category"], at["informant"]).to_numpy(dtype=float)
    expected = observed.sum(1, keepdims=True) * observed.sum(0, keepdims=True) / observed.sum()
    chi2 = ((observed - expected) ** 2 / expected).sum()
    df = (observed.shape[0] - 1) * (observed.shape[1] - 1)
    test = records["yp:text6:new_living_place_rating:-:referrer_vs_family_informant:3m"]
    assert test["chi2"] == pytest.approx(chi2, rel=1e-9)
    assert test["df"] == df
    assert test["p"] == pytest.approx(stats.chi2.sf(chi2, df), rel=1e-9)


def test_mixed_model_matches_another_optimiser(tables, analysed):
    _, records = analysed
    data = pd.concat([_total(tables, m).assign(moment=m) for m in ("start", "3m", "9m")])
    data["moment"] = pd.Categorical(data["moment"], categories=["start", "3m", "9m"])
    data["group"] = pd.Categorical(data["group"], categories=["no_conference", "conference"])
    model = smf.mixedlm(
        "value ~ C(moment) * C(group)", data, groups=data["family_id"].astype(object).to_numpy()
    )
    other = model.fit(method="bfgs", reml=True)  # statsmodels' default start
    key = "yp:rq2:care_concerns_total_lmm"
    fit = records[f"{key}:model:all:-"]
    assert fit["n_families"] == data["family_id"].nunique()
    assert fit["n_observations"] == len(data)
    assert fit["random_intercept_variance"] == pytest.approx(other.cov_re.iloc[0, 0], rel=1e-3)
    term = records[f"{key}:conference_x_moment_3m:all:-"]
    name = "C(moment)[T.3m]:C(group)[T.conference]"
    # the results keep 4 significant digits of the fit
    assert term["estimate"] == pytest.approx(other.fe_params[name], rel=1e-3)
    assert term["se"] == pytest.approx(other.bse_fe[name], rel=1e-3)
    assert term["p"] == pytest.approx(other.pvalues[name], rel=1e-3)


# (3) Holm and effect sizes


def test_holm_over_the_rules_tests(analysed):
    _, records = analysed
    family = [r for r in records.values() if "test" in r and "components" not in r]
    assert len(family) >= 20
    p = np.array([r["p"] for r in family])
    order = np.argsort(p)
    steps = np.maximum.accumulate((len(p) - np.arange(len(p))) * p[order])
    expected = np.empty_like(p)
    expected[order] = np.minimum(steps, 1.0)
    for record, holm in zip(family, expected, strict=True):
        assert record["p"] <= record["p_holm"] <= 1.0
        assert record["p_holm"] == pytest.approx(holm, rel=1e-8)
    for summary in (r for r in records.values() if "components" in r):
        parts = [records[i] for i in summary["components"]]
        assert summary["p_holm"] == min(part["p_holm"] for part in parts)
        any_significant = any(part["verdict"] == "significant" for part in parts)
        assert (summary["verdict"] == "significant") == any_significant


def test_effect_sizes_belong_to_tests_and_contain_their_estimate(tables, analysed):
    _, records = analysed
    effects = [r for r in records.values() if r["table"].endswith("x")]
    assert {e["effect"] for e in effects} == {"hedges_g", "hedges_g_av", "cramers_v"}
    for effect in effects:
        assert effect["test_id"] in records
        assert effect["ci_low"] <= effect["estimate"] <= effect["ci_high"]
    for record in records.values():
        if record.get("effect") == "lmm_coefficient":
            assert record["ci_low"] <= record["estimate"] <= record["ci_high"]
    # Hedges' g at 3 months by hand: pooled sd and the small-sample correction
    at = _total(tables, "3m")
    a = at.loc[at["group"] == "conference", "value"].to_numpy()
    b = at.loc[at["group"] == "no_conference", "value"].to_numpy()
    df = len(a) + len(b) - 2
    pooled = math.sqrt(((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / df)
    g = (1 - 3 / (4 * df - 1)) * (a.mean() - b.mean()) / pooled
    effect = records["yp:text6x:care_concerns_total:-:conference_vs_no_conference:3m"]
    assert effect["estimate"] == pytest.approx(g, rel=1e-9)
    assert effect["ci_high"] < 0  # as the F test: fewer concerns with a conference


# (4) determinism


def test_results_are_byte_identical_on_a_second_run(tables, tmp_path):
    written = []
    for run in ("first", "second"):
        folder = tmp_path / run
        folder.mkdir()
        out, records = analyse(tables, study="yp", alpha=0.05)
        write_records(records, folder / "rq2_safety.json")
        for name, frame in out.items():
            write_table(frame, folder / f"{name}.csv")
        written.append({p.name: p.read_bytes() for p in sorted(folder.iterdir())})
    assert written[0] == written[1]


def test_rule_output_equals_the_in_process_analysis(built_workflow, tables, tmp_path):
    built = built_workflow / "results" / "stats" / "safety.json"
    if not built.exists():
        pytest.fail("rule rq_safety wrote no results file")
    _, records = analyse(tables, study="yp", alpha=0.05)
    write_records(records, tmp_path / "rq2_safety.json")
    assert (tmp_path / "rq2_safety.json").read_bytes() == built.read_bytes()


# small constructed data: the rules of counting


def _succint(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["family_id", "moment", "informant", "measure", "value"])
    numeric = frame["measure"] != "new_living_place"
    frame["score"] = frame["value"].where(numeric).astype(float)
    frame["category"] = frame["value"].where(~numeric)
    return frame.drop(columns="value")


def test_living_place_percentages_use_the_returned_questionnaires():
    rows = [
        ("A", "3m", "referrer", "new_living_place", "not_applicable_unchanged"),
        ("B", "3m", "referrer", "new_living_place", "no_view"),
        ("C", "3m", "referrer", "new_living_place", "much_more_favourable"),
        ("D", "3m", "referrer", "new_living_place", "much_more_favourable"),
        ("D", "3m", "family_informant", "new_living_place", "less_favourable"),
    ]
    _, records = living_place(_succint(rows), "t")
    by_id = {r["id"]: r for r in records}
    much = by_id["t:6.5:new_living_place_rating:much_more_favourable:referrer:3m"]
    assert (much["count"], much["n"], much["pct"]) == (2, 4, 50.0)
    assert by_id["t:6.5:new_living_place_rating:-:referrer:3m"]["n"] == 4
    assert by_id["t:6.6:new_living_place_rating:neither:family_informant:3m"]["count"] == 0
    assert by_id["t:6.6:new_living_place_rating:-:family_informant:9m"]["n"] == 0


def test_safety_verdict_over_two_moments_is_significant_when_one_moment_is():
    rng = np.random.default_rng(7)
    rows = []
    for i in range(12):
        # informants far lower at 3 months, alike at 9 months
        rows.append((f"F{i}", "3m", "referrer", "safety_wellbeing", 15 + rng.normal()))
        rows.append((f"F{i}", "3m", "family_informant", "safety_wellbeing", 5 + rng.normal()))
        rows.append((f"F{i}", "9m", "referrer", "safety_wellbeing", 10 + rng.normal()))
        rows.append((f"F{i}", "9m", "family_informant", "safety_wellbeing", 10 + rng.normal()))
    tests, summaries, _ = safety_tests(_succint(rows), "t", 0.05)
    by_id = {r["id"]: r for r in tests}
    assert by_id["t:text6:safety_wellbeing_score:-:referrer_vs_family_informant:3m"]["p"] < 0.001
    summary = summaries[0]
    assert summary["id"] == "t:text6:safety_wellbeing_score:-:referrer_vs_family_informant:-"
    assert summary["verdict"] == "significant"
    assert summary["p"] == min(by_id[i]["p"] for i in summary["components"])
