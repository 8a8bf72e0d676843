"""Edges of the statistics: a result that cannot be computed is never a finding.

One group of tests per class of issue 18; each failed at 1ac477d (the behaviour it replaces
is in its comment). Module-level imports are names that existed there, so the old code can
be tested with this file.
"""

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from ekc.core.report.numbers import p_value
from ekc.core.stats.effects import cramers_v, hedges_g, hedges_g_paired, holm
from ekc.core.stats.inference import paired_t, pearson_chi2, student_t, verdict
from ekc.core.stats.models import RandomInterceptMixedLM, rm_anova_oneway
from ekc.core.stats.subject import InvalidInput, about
from ekc.youth_protection.clean.questionnaires import CUT_POINTS, band


def assert_not_estimable(result: dict, reason: str) -> None:
    assert result["status"] == "not_estimable"
    assert result["reason"] == reason
    assert result["verdict"] == "not_estimable"
    assert result["p"] is None and result["statistic"] is None


# --- a missing or impossible result never becomes a verdict -------------------------------


@pytest.mark.parametrize("p", [float("nan"), None])
def test_verdict_of_a_missing_p_is_not_estimable(p):
    # was: verdict(nan) -> 'not_significant' (and None raised TypeError)
    assert verdict(p) == "not_estimable"


def test_verdict_refuses_a_p_that_is_no_probability():
    with pytest.raises(ValueError, match="between 0 and 1"):
        verdict(1.5)


def test_t_test_without_variance_is_not_estimable():
    # was: t = -inf, p = 0, 'significant' (R: "data are essentially constant")
    assert_not_estimable(student_t([1, 1], [2, 2]), "no_variance")


def test_t_test_with_an_empty_group_is_not_estimable():
    # was: df 1 and 'not_significant'
    result = student_t([], [2, 3, 4])
    assert_not_estimable(result, "empty_group")
    assert (result["n1"], result["n2"]) == (0, 3)


def test_t_test_leaves_missing_values_out_and_reports_the_n_used():
    # was: p = nan -> 'not_significant'
    result = student_t([1.0, 2.0, np.nan, 4.0], [3.0, 5.0, 6.0, None])
    assert (result["n1"], result["n2"]) == (3, 3)
    assert result["p"] == pytest.approx(student_t([1, 2, 4], [3, 5, 6])["p"])
    assert result["verdict"] in ("significant", "not_significant")


def test_repeated_measures_anova_with_a_missing_outcome_is_listwise():
    # was: F = nan -> 'not_significant'
    frame = pd.DataFrame(
        {
            "subject": [1, 1, 2, 2, 3, 3, 4, 4],
            "moment": ["a", "b"] * 4,
            "y": [1.0, 3.0, 2.0, 5.0, 1.5, np.nan, 3.0, 4.0],
        }
    )
    row = rm_anova_oneway(frame, "y", "subject", "moment")
    complete = frame[frame["subject"] != 3]
    assert row["n_subjects"] == 3
    assert row["F Value"] == pytest.approx(
        rm_anova_oneway(complete, "y", "subject", "moment")["F Value"]
    )
    assert not math.isnan(row["F Value"])


def test_repeated_measures_anova_without_residual_variance_is_not_estimable():
    frame = pd.DataFrame(
        {"subject": [1, 1, 2, 2, 3, 3], "moment": ["a", "b"] * 3, "y": [1.0, 2, 3, 4, 5, 6]}
    )
    # was: F = inf, p = 0
    row = rm_anova_oneway(frame, "y", "subject", "moment")
    assert row["status"] == "not_estimable" and row["F Value"] is None


def test_chi2_of_a_table_that_empties_to_one_row_is_not_estimable():
    # was: chi2 = 0, df 0, p = 1, 'not_significant'
    result = pearson_chi2(np.array([[3, 4], [0, 0]]))
    assert_not_estimable(result, "degenerate_table")
    assert result["n"] == 7 and result["rows_left_out"] == 1


def test_effect_sizes_that_cannot_be_computed_say_so():
    # was: hedges_g of constant groups divided by 0 (nan, with a RuntimeWarning)
    assert hedges_g([1, 1, 1], [1, 1, 1])["effect_status"] == "not_estimable"
    assert cramers_v(np.array([[3, 4], [0, 0]]))["effect_status"] == "not_estimable"


def test_holm_leaves_a_missing_p_out_of_the_family():
    # was: nan counted in the family (R's p.adjust leaves it out)
    assert holm([0.01, float("nan"), 0.04]) == [0.02, None, 0.04]


# --- inputs that cannot be samples are refused ----------------------------------------------


def test_paired_samples_of_unequal_length_are_refused():
    # was: g_av computed from 5 and 4 values as if paired
    with pytest.raises(ValueError, match="differ in length: 5 values of x and 4 of y"):
        hedges_g_paired([1, 2, 3, 4, 5], [2, 3, 4, 5])


def test_refused_input_names_the_analysis_and_the_variables():
    # the issue: an error that names neither the analysis nor the variable
    start = pd.Series([1.0, 2.0, 3.0], name="social_optimism_start")
    nine = pd.Series([1.0, 2.0], name="social_optimism_9m")
    with (
        about("yp research question support"),
        about("PUL social optimism"),
        pytest.raises(InvalidInput) as raised,
    ):
        paired_t(start, nine)
    assert str(raised.value) == (
        "yp research question support, PUL social optimism: paired samples differ in length: "
        "3 values of 'social_optimism_start' and 2 of 'social_optimism_9m'"
    )
    with pytest.raises(InvalidInput, match=r"^paired samples"):
        paired_t(start, nine)  # outside the block the name is gone again


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="negative counts"):
        pearson_chi2(np.array([[3, -1], [2, 4]]))


def test_infinite_values_are_refused():
    # was: t = nan, p = nan -> 'not_significant'
    with pytest.raises(ValueError, match="infinite"):
        student_t([1.0, np.inf, 2.0], [1.0, 2.0, 3.0])


# --- models that cannot be identified do not report success ---------------------------------


def _families(sizes: list[int], family_sd: float, level: float = 0.0) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    rows = []
    for family, size in enumerate(sizes):
        effect = rng.normal(0, family_sd)
        for moment in range(size):
            y = level + 0.3 * moment + effect + rng.normal(0, 1)
            rows.append({"family_id": f"f{family}", "moment": float(moment), "y": y})
    return pd.DataFrame(rows)


def test_random_intercept_on_families_of_size_one_is_not_estimable():
    # was: converged=True with both variances at the start value (lme4 stops)
    from ekc.core.stats.records import NotEstimable

    frame = _families([1] * 20, family_sd=1.0)
    model = RandomInterceptMixedLM.from_formula("y ~ 1", frame, groups=frame["family_id"])
    with pytest.raises(NotEstimable) as caught:
        model.fit(reml=True, method="lbfgs")
    assert caught.value.reason == "no_repeated_measures"


def test_random_intercept_with_one_family_is_not_estimable():
    from ekc.core.stats.records import NotEstimable

    frame = _families([6], family_sd=1.0)
    model = RandomInterceptMixedLM.from_formula("y ~ moment", frame, groups=frame["family_id"])
    with pytest.raises(NotEstimable, match="too_few_groups"):
        model.fit(reml=True, method="lbfgs")


def test_random_intercept_with_collinear_fixed_effects_is_not_estimable():
    from ekc.core.stats.records import NotEstimable

    frame = _families([3] * 10, family_sd=1.0).assign(twice=lambda f: 2 * f["moment"])
    model = RandomInterceptMixedLM.from_formula(
        "y ~ moment + twice", frame, groups=frame["family_id"]
    )
    with pytest.raises(NotEstimable, match="collinear_fixed_effects"):
        model.fit(reml=True, method="lbfgs")


def test_rq4_mixed_model_runs_on_data_with_almost_no_family_variance():
    # was: numpy.linalg.LinAlgError: Singular matrix (statsmodels' default start)
    from ekc.youth_protection.analysis.rq4_control import mixed_model

    frame = _families([3] * 30, family_sd=0.01, level=1000.0)
    frame = frame.assign(
        moment_3m=(frame["moment"] == 1).astype(float),
        moment_9m=(frame["moment"] == 2).astype(float),
        deviation=frame["y"],
    )
    terms = {"Intercept": "intercept", "moment_3m": "moment_3m", "moment_9m": "moment_9m"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table, records = mixed_model(
            frame, "deviation ~ moment_3m + moment_9m", terms, study="t", table="x",
            variable="v", group="g", label="l", alpha=0.05,
        )  # fmt: skip
    assert table["se"].notna().all()
    # a family variance small against the residual variance of 1 (true family sd .01)
    assert 0 <= records[0]["random_intercept_var"] < 0.25


# --- floating point at a cut point ---------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (0.8 - 2e-16, "moderate"),  # .80 in decimals, 0.7999999999999998 in floats
        (0.79, "none"),
        (1.285 - 2e-16, "considerable"),
        (1.284, "moderate"),
        (1.645 - 2e-16, "serious"),
        (1.644, "considerable"),
        (1.96 + 2e-16, "serious"),  # 1.96 itself is serious, above it very serious
        (1.961, "very_serious"),
    ],
)
def test_bands_at_every_cut_point(score, expected):
    # was: 0.7999999999999998 -> 'none'
    assert band(pd.Series([score]), high_is_bad=True).iloc[0] == expected
    # VEO and PUL: low is bad, the same bands on the mirrored score
    assert band(pd.Series([-score]), high_is_bad=False).iloc[0] == expected


def test_a_deviation_score_of_exactly_point_80_by_hand():
    # raw 29.6, norm mean 26.0, norm sd 4.5: (29.6 - 26.0) / 4.5 = 0.80 exactly by hand,
    # 0.8000000000000003 or 0.7999999999999998 in floats depending on the operands
    for raw, mean, sd in ((29.6, 26.0, 4.5), (3.2, 0.8, 3.0), (7.0, 5.4, 2.0)):
        deviation = (raw - mean) / sd
        assert band(pd.Series([deviation]), high_is_bad=True).iloc[0] == "moderate", deviation
    assert CUT_POINTS[0] == 0.80


# --- printed p never contradicts the verdict --------------------------------------------------


@pytest.mark.parametrize("p", [0.0496, 0.04951, 0.049999])
def test_a_significant_p_that_rounds_to_point_05_prints_below_it(p):
    # was: 'p = .050' next to 'significant'
    assert verdict(p) == "significant"
    assert p_value(p, "en") == "p < .05"
    assert p_value(p, "nl") == "p < .05"


@pytest.mark.parametrize(
    ("p", "text"), [(0.05, "p = .050"), (0.0504, "p = .050"), (0.0494, "p = .049")]
)
def test_p_values_near_alpha_that_agree_print_three_decimals(p, text):
    assert p_value(p, "en") == text


def test_every_printed_p_agrees_with_its_verdict():
    for p in np.linspace(0.0009, 0.0600, 5000):
        text = p_value(float(p), "en")
        printed_below = text.startswith("p <") or float("0" + text.split("= ")[1]) < 0.05
        assert printed_below == (verdict(float(p)) == "significant"), (p, text)


def test_a_missing_p_is_not_printed():
    with pytest.raises(ValueError, match="no p-value"):
        p_value(None, "en")


# --- conventions chosen on purpose ----------------------------------------------------------


def test_wilcoxon_signed_rank_applies_the_continuity_correction_with_ties():
    # was (rq2, scipy's defaults): p = 0.0039 on the sleep data; R < 4.6: 0.009091
    from ekc.core.stats.inference import wilcoxon_signed_rank

    drug_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    drug_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    result = wilcoxon_signed_rank(drug_1, drug_2)
    assert result["p"] == pytest.approx(0.009091, abs=5e-7)
    assert result["method"] == "normal_continuity_corrected"


def test_wilcoxon_without_any_change_is_not_estimable():
    # was (rq2): statistic 0, p = 1 -> 'not_significant' when no pair changed
    from ekc.core.stats.inference import wilcoxon_signed_rank

    assert_not_estimable(wilcoxon_signed_rank([1, 2, 3], [1, 2, 3]), "no_nonzero_differences")


def test_fisher_stores_the_conditional_mle_odds_ratio():
    # was (study engine): the sample odds ratio (inf with a zero cell, stored as null)
    from ekc.core.stats.inference import fisher_exact

    result = fisher_exact(np.array([[2, 15], [10, 3]]))
    assert result["statistic"] == pytest.approx(0.04693661, abs=1.2e-4)  # R's estimate
    assert result["statistic"] != pytest.approx(2 * 3 / (15 * 10))
    zero_cell = fisher_exact(np.array([[0, 5], [4, 1]]))
    assert zero_cell["statistic"] == 0.0 and zero_cell["ci_high"] > 0


def _engine_frames(b_values: list[float]) -> dict:
    values = [1.0, 2.0, 4.0] + b_values
    arms = ["x", "x", "x"] + ["y"] * len(b_values)
    return {"f": pd.DataFrame({"v": values, "arm": pd.array(arms, dtype="string")})}


def test_study_engine_records_a_comparison_with_a_single_observation():
    # was: no record at all when a group had fewer than two values
    from ekc.engine.tabulate import run_analyses

    spec = {"id": "m", "kind": "mean", "source": "f", "table": "t", "variable": "v",
            "group": "{arm}", "value": "v", "compare": "arm"}  # fmt: skip
    records = {
        r["id"]: r for r in run_analyses(_engine_frames([3.0]), [spec], "s", ["x", "y"], tests={})
    }
    test = records["s:t:v:-:x_vs_y:-"]
    assert test["status"] == "estimated" and (test["n1"], test["n2"]) == (3, 1)
    assert test["method"] == "exact"  # R: W = 2, exact p = 1


def test_study_engine_fisher_uses_the_core_convention():
    from ekc.engine.tabulate import run_analyses

    frame = pd.DataFrame(
        {
            "unit": [f"u{i}" for i in range(30)],
            "arm": pd.array(["x"] * 17 + ["y"] * 13, dtype="string"),
            "answer": pd.array(
                ["yes"] * 2 + ["no"] * 15 + ["yes"] * 10 + ["no"] * 3, dtype="string"
            ),
        }
    )
    spec = {"id": "c", "kind": "count", "source": "f", "table": "t", "variable": "answer",
            "category": "{answer}", "group": "{arm}", "compare": "arm"}  # fmt: skip
    records = {r["id"]: r for r in run_analyses({"f": frame}, [spec], "s", ["x", "y"], tests={})}
    test = records["s:t:answer:yes:x_vs_y:-"]
    assert test["p"] == pytest.approx(0.0005367, abs=5e-8)  # ?fisher.test, Convictions
    assert test["statistic"] == pytest.approx(0.04693661, abs=1.2e-4)


def test_chi2_flags_small_expected_counts_for_the_table_note():
    # was: no field; R warns "Chi-squared approximation may be incorrect"
    result = pearson_chi2(np.array([[3, 1], [1, 3]]))
    assert result["small_expected"] is True
    assert (result["expected_min"], result["expected_below_5"]) == (2.0, 4)


# --- routines the analyses moved into the core (issue 18, phase 2) --------------------------


def test_two_way_main_effect_that_the_data_cannot_give_is_not_estimable():
    from ekc.core.stats.inference import anova_two_way_main_effect

    y = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    informant = ["a", "a", "a", "b", "b", "b"]
    moment = ["x", "y", "y", "x", "y", "y"]
    # one informant only
    assert_not_estimable(anova_two_way_main_effect(y, ["a"] * 6, moment), "empty_group")
    # informant b never answered at moment x: the interaction has an empty cell
    gap = ["x", "y", "y", "y", "y", "y"]
    assert_not_estimable(anova_two_way_main_effect(y, informant, gap), "empty_group")
    # the same score within every cell
    flat = [1.0, 2.0, 2.0, 3.0, 4.0, 4.0]
    assert_not_estimable(anova_two_way_main_effect(flat, informant, moment), "no_variance")
    # missing scores are left out, and the n says so
    result = anova_two_way_main_effect(
        [*y, None, np.nan], [*informant, "a", "b"], [*moment, "x", "y"]
    )
    assert result["n"] == 6 and result["status"] == "estimated"


def test_one_sided_proportions_that_cannot_be_computed_say_so():
    from ekc.core.stats.inference import one_sided_proportions

    assert_not_estimable(one_sided_proportions([0, 3], [0, 9], "smaller"), "empty_group")
    assert_not_estimable(one_sided_proportions([0, 0], [5, 9], "smaller"), "no_variance")
    with pytest.raises(ValueError, match="more events than observations"):
        one_sided_proportions([6, 3], [5, 9], "smaller")
    # weighted counts: n is the weighted total, not truncated
    assert one_sided_proportions([2.5, 6.0], [10.25, 13.255], "smaller")["n"] == pytest.approx(
        23.505
    )


def test_a_mixed_model_the_data_cannot_identify_is_a_status_not_an_exception():
    # was: NotEstimable (or statsmodels' LinAlgError) stopped the analysis
    from ekc.core.stats.models import fit_random_intercept

    frame = _families([1] * 12, family_sd=1.0)
    fit, status, _ = fit_random_intercept("y ~ 1", frame, frame["family_id"], reml=True)
    assert fit is None
    assert status["status"] == "not_estimable" and status["reason"] == "no_repeated_measures"
    empty = frame.iloc[:0]
    fit, status, _ = fit_random_intercept("y ~ 1", empty, empty["family_id"])
    assert fit is None and status["reason"] == "too_few_groups"


def test_a_repeated_measures_row_without_f_becomes_a_not_estimable_test():
    from ekc.core.stats.models import rm_anova_test

    frame = pd.DataFrame({"id": [1, 1, 2, 2], "m": ["a", "b", "a", "b"], "y": [1.0, 2.0, 3.0, 4.0]})
    result = rm_anova_test(rm_anova_oneway(frame, "y", "id", "m"), 0.05)
    assert_not_estimable(result, "no_variance")
    assert result["n"] == 2
