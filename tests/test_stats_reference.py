"""Every statistical routine of the pipeline against a published reference output.

Each test names its source. Tolerances follow the digits the source prints (half a unit of
its last digit) unless said otherwise. R outputs are from R's own saved example outputs in
the R sources (github.com/r-devel/r-svn): `tests/Examples/stats-Ex.Rout.save` at b5b3719
(R-devel, 2026) and, for the rank tests with ties, at 8343da5 (May 2025, the conventions of
R < 4.6), and `tests/R-intro.Rout.save` at the same two commits.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ekc.core.report.numbers import p_value
from ekc.core.stats.effects import (
    cramers_v,
    cramers_v_from_chi2,
    hedges_g,
    hedges_g_paired,
    holm,
)
from ekc.core.stats.inference import (
    anova_oneway,
    anova_two_way_main_effect,
    binomial_test,
    fisher_exact,
    mann_whitney_u,
    one_sample_t,
    one_sided_proportions,
    paired_t,
    pearson_chi2,
    student_t,
    wilcoxon_signed_rank,
)
from ekc.core.stats.models import RandomInterceptMixedLM, rm_anova_oneway

REFERENCE = Path(__file__).parent / "fixtures" / "reference"


def printed(value: float, digits: int) -> float:
    """Half a unit of the last of `digits` significant digits: what a printed value allows."""
    return 0.5 * 10 ** (np.floor(np.log10(abs(value))) - digits + 1)


# R's `sleep` data (src/library/datasets/data/sleep.R): extra hours of sleep, drug 1 and 2,
# the same ten patients.
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


# --- t-tests -------------------------------------------------------------------------------


def test_student_t_sleep_as_oneway_test_with_equal_variances():
    # ?oneway.test: oneway.test(extra ~ group, data = sleep, var.equal = TRUE)
    # F = 3.4626, num df = 1, denom df = 18, p-value = 0.07919; F = t^2 for two groups.
    result = student_t(SLEEP_1, SLEEP_2)
    assert result["statistic"] ** 2 == pytest.approx(3.4626, abs=printed(3.4626, 5))
    assert result["df"] == 18
    assert result["p"] == pytest.approx(0.07919, abs=printed(0.07919, 4))


def test_student_t_r_intro_ice_data():
    # R-intro, "One- and two-sample tests": t.test(A, B, var.equal=TRUE)
    # t = 3.47, df = 19, p-value = 0.0026 (printed with options(digits = 5) on 2-3 digits)
    a = [79.98, 80.04, 80.02, 80.04, 80.03, 80.03, 80.04, 79.97, 80.05, 80.03, 80.02, 80, 80.02]
    b = [80.02, 79.94, 79.98, 79.97, 79.97, 80.03, 79.95, 79.97]
    result = student_t(a, b)
    assert result["statistic"] == pytest.approx(3.47, abs=0.005)
    assert result["df"] == 19
    assert result["p"] == pytest.approx(0.0026, abs=0.00005)
    assert (result["n1"], result["n2"]) == (13, 8)


def test_paired_t_sleep():
    # ?t.test: t.test(sleep2$extra.1, sleep2$extra.2, paired = TRUE)
    # t = -4.0621, df = 9, p-value = 0.002833
    result = paired_t(SLEEP_1, SLEEP_2)
    assert result["statistic"] == pytest.approx(-4.0621, abs=printed(4.0621, 5))
    assert result["df"] == 9
    assert result["p"] == pytest.approx(0.002833, abs=printed(0.002833, 4))


def test_one_sample_t_sleep():
    # ?t.test: t.test(sleep$extra): t = 3.413, df = 19, p-value = 0.002918
    result = one_sample_t(SLEEP_1 + SLEEP_2, 0)
    assert result["statistic"] == pytest.approx(3.413, abs=printed(3.413, 4))
    assert result["df"] == 19
    assert result["p"] == pytest.approx(0.002918, abs=printed(0.002918, 4))


def test_binomial_test_mendel():
    # R ?binom.test (Conover 1971): binom.test(682, 925, p = 3/4): p-value = 0.3825,
    # 95 percent confidence interval 0.7076683 0.7654066, probability of success 0.7372973
    result = binomial_test(682, 925, 0.75)
    assert result["p"] == pytest.approx(0.3825, abs=printed(0.3825, 4))
    assert result["share"] == pytest.approx(0.7372973, abs=printed(0.7372973, 7))
    assert result["share_ci_low"] == pytest.approx(0.7076683, abs=printed(0.7076683, 7))
    assert result["share_ci_high"] == pytest.approx(0.7654066, abs=printed(0.7654066, 7))
    # one-sided: half of the distribution's tail, never more than the two-sided p here
    less = binomial_test(682, 925, 0.75, alternative="less")
    assert less["p"] < result["p"]


def test_power_of_the_two_sample_t_test():
    # R ?power.t.test: power.t.test(n = 20, delta = 1): power = 0.8689528 (one tail; the
    # other adds less than 1e-6)
    from ekc.core.stats.effects import power_two_sample_t

    assert power_two_sample_t(1.0, 20, 20)["power"] == pytest.approx(0.8689528, abs=1e-6)
    # unequal groups against the noncentral t by hand
    n1, n2, d = 34, 14, 0.5
    df, nc = n1 + n2 - 2, d * np.sqrt(n1 * n2 / (n1 + n2))
    crit = stats.t.ppf(0.975, df)
    expected = stats.nct.sf(crit, df, nc) + stats.nct.cdf(-crit, df, nc)
    assert power_two_sample_t(d, n1, n2)["power"] == pytest.approx(expected, rel=1e-9)
    assert power_two_sample_t(d, 1, 5)["power"] is None


def test_binomial_test_without_observations_is_not_estimable():
    result = binomial_test(0, 0, 0.1, alternative="greater")
    assert result["verdict"] == "not_estimable" and result["reason"] == "empty_group"


# --- one-way ANOVA: NIST StRD ----------------------------------------------------------------


def _nist(name: str) -> tuple[list[np.ndarray], float, int, int]:
    """Groups and the certified F (with its df) of a NIST StRD one-way ANOVA data set
    (https://www.itl.nist.gov/div898/strd/anova/anova.html; the files as scipy ships them)."""
    lines = (REFERENCE / "nist_anova" / f"{name}.dat").read_text().splitlines()
    between = next(line for line in lines if line.startswith("Between"))
    within = next(line for line in lines if line.startswith("Within"))
    df1, f_value = int(between.split()[2]), float(between.split()[-1])
    df2 = int(within.split()[2])
    # the last 'Data:' line heads the data columns (the first describes the design)
    start = max(i for i, line in enumerate(lines) if line.startswith("Data:")) + 1
    data = np.array([line.split() for line in lines[start:] if line.strip()], dtype=float)
    groups = [data[data[:, 0] == g, 1] for g in np.unique(data[:, 0])]
    return groups, f_value, df1, df2


@pytest.mark.parametrize(
    ("name", "rtol"),
    [
        ("SiRstv", 1e-9),  # lower difficulty
        ("SmLs01", 1e-9),
        ("AtmWtAg", 1e-7),  # average difficulty: 7 constant leading digits
        ("SmLs04", 1e-7),
        # higher difficulty: 13 constant leading digits, so the data as doubles already
        # differ from the decimals in the 4th digit of their spread (scipy's own test: 1e-4)
        ("SmLs07", 1e-4),
    ],
)
def test_anova_oneway_against_nist_certified_f(name, rtol):
    groups, f_value, df1, df2 = _nist(name)
    result = anova_oneway(*groups)
    assert result["statistic"] == pytest.approx(f_value, rel=rtol)
    assert (result["df1"], result["df2"]) == (df1, df2)


def test_student_t_squared_is_the_certified_f_of_two_groups():
    # NIST AtmWtAg has two instruments: the pooled t of two groups squared is its F.
    groups, f_value, _, df2 = _nist("AtmWtAg")
    result = student_t(*groups)
    assert result["statistic"] ** 2 == pytest.approx(f_value, rel=1e-7)
    assert result["df"] == df2


def test_rm_anova_oneway_against_ez():
    # statsmodels' test data (statsmodels/stats/tests/results/anova-rm-test-data.csv, the
    # first 16 rows: 8 subjects x factor B) with R's ez::ezANOVA result cited in
    # statsmodels/stats/tests/test_anova_rm.py: F(1, 7) = 22.4, p = 0.002125452.
    dv_a = [7, 3, 6, 6, 5, 8, 6, 7]
    dv_b = [7, 11, 9, 11, 10, 10, 11, 11]
    frame = pd.DataFrame(
        {"id": list(range(1, 9)) * 2, "B": ["a"] * 8 + ["b"] * 8, "DV": dv_a + dv_b}
    )
    row = rm_anova_oneway(frame, "DV", "id", "B")
    assert row["F Value"] == pytest.approx(22.4, rel=1e-9)
    assert (row["Num DF"], row["Den DF"]) == (1, 7)
    assert row["Pr > F"] == pytest.approx(0.002125452, abs=printed(0.002125452, 7))


def test_two_way_main_effect_type_ii_moore_as_statsmodels_and_car():
    # statsmodels' ANOVA page (statsmodels.org/0.8.0/anova.html), Moore's conformity data
    # (carData::Moore, Rdatasets export, tests/fixtures/reference/moore.csv):
    # anova_lm(ols('conformity ~ C(fcategory, Sum)*C(partner_status, Sum)'), typ=2) prints
    # partner_status F = 10.120692 (df 1, 39), p = 0.002874; fcategory F = 0.276958 (df 2),
    # p = 0.759564; car's Anova(type = 2) gives the same table. rq4 codes its factors by
    # treatment contrasts: type II sums of squares do not depend on the coding.
    moore = pd.read_csv(REFERENCE / "moore.csv")
    y, status, category = moore["conformity"], moore["partner.status"], moore["fcategory"]
    partner = anova_two_way_main_effect(y, status, category)
    assert partner["statistic"] == pytest.approx(10.120692, abs=printed(10.120692, 8))
    assert (partner["df1"], partner["df2"], partner["n"]) == (1, 39, 45)
    assert partner["p"] == pytest.approx(0.002874, abs=printed(0.002874, 4))
    fcategory = anova_two_way_main_effect(y, category, status)
    assert fcategory["statistic"] == pytest.approx(0.276958, abs=printed(0.276958, 6))
    assert (fcategory["df1"], fcategory["df2"]) == (2, 39)
    assert fcategory["p"] == pytest.approx(0.759564, abs=printed(0.759564, 6))


# --- contingency tables -------------------------------------------------------------------


def test_pearson_chi2_agresti_party_identification():
    # ?chisq.test (Agresti 2007, p. 39): X-squared = 30.07, df = 2, p-value = 2.954e-07;
    # smallest expected count 246.3547
    result = pearson_chi2(np.array([[762, 327, 468], [484, 239, 477]]))
    assert result["statistic"] == pytest.approx(30.07, abs=printed(30.07, 4))
    assert result["df"] == 2
    assert result["p"] == pytest.approx(2.954e-07, abs=printed(2.954e-07, 4))
    assert result["expected_min"] == pytest.approx(246.3547, abs=printed(246.3547, 7))
    assert result["small_expected"] is False


def test_pearson_chi2_fleiss_smokers_as_prop_test():
    # ?prop.test (Fleiss 1981, p. 139): prop.test(smokers, patients), 4 samples, no
    # continuity correction: X-squared = 12.6, df = 3, p-value = 0.005585
    smokers, patients = np.array([83, 90, 129, 70]), np.array([86, 93, 136, 82])
    result = pearson_chi2(np.array([smokers, patients - smokers]))
    assert result["statistic"] == pytest.approx(12.6, abs=printed(12.6, 3))
    assert result["df"] == 3
    assert result["p"] == pytest.approx(0.005585, abs=printed(0.005585, 4))


def test_one_sided_proportions_statsmodels_example():
    # statsmodels' proportions_ztest docstring (statsmodels 0.15.0, also on
    # statsmodels.org): count [5, 12] of nobs [83, 99], two-sided pval printed 0.159.
    # 5/83 < 12/99, so the one-sided p towards 'smaller' is half of it; z^2 is the Pearson
    # chi-square of the 2x2 table without Yates (R's prop.test(correct = FALSE)).
    smaller = one_sided_proportions([5, 12], [83, 99], "smaller")
    assert 2 * smaller["p"] == pytest.approx(0.159, abs=printed(0.159, 3))
    assert smaller["alternative"] == "less" and smaller["status"] == "estimated"
    table = np.array([[5, 78], [12, 87]])
    assert smaller["statistic"] == pytest.approx(pearson_chi2(table)["statistic"], rel=1e-12)
    assert smaller["n"] == 182
    larger = one_sided_proportions([5, 12], [83, 99], "larger")
    assert larger["p"] == pytest.approx(1 - smaller["p"], rel=1e-12)


def test_small_expected_counts_follow_cochrans_rule_as_r_states_it():
    # ?fisher.test, 6th example of Mehta & Patel: "Cochran's conditions are not met" for
    # this table (R: exp = 5, perc = 80, Emin = 1).
    mp6 = np.array(
        [
            [1, 2, 2, 1, 1, 0, 1],
            [2, 0, 0, 2, 3, 0, 0],
            [0, 1, 1, 1, 2, 7, 3],
            [1, 1, 2, 0, 0, 0, 1],
            [0, 1, 1, 1, 1, 0, 0],
        ]
    )
    assert pearson_chi2(mp6)["small_expected"] is True


def test_fisher_exact_tea_tasting():
    # ?fisher.test, Agresti's tea tasting, alternative = "greater": p-value = 0.2429,
    # odds ratio (conditional MLE) 6.408309, 95% CI 0.3135693 Inf. R finds the MLE and the
    # limits with uniroot (tolerance .Machine$double.eps^0.25 = 1.2e-4).
    result = fisher_exact(np.array([[3, 1], [1, 3]]), alternative="greater")
    assert result["p"] == pytest.approx(0.2429, abs=printed(0.2429, 4))
    assert result["statistic"] == pytest.approx(6.408309, abs=1.2e-4)
    assert result["ci_low"] == pytest.approx(0.3135693, abs=1.2e-4)
    assert result["ci_high"] == np.inf


def test_fisher_exact_convictions_of_twins():
    # ?fisher.test, Fisher's criminal convictions of like-sex twins:
    # alternative = "less": p-value = 0.0004652, CI 0 0.2849601, odds ratio 0.04693661;
    # two-sided: p-value = 0.0005367, conf.int 0.003325764 0.363182271.
    table = np.array([[2, 15], [10, 3]])
    less = fisher_exact(table, alternative="less")
    assert less["p"] == pytest.approx(0.0004652, abs=printed(0.0004652, 4))
    assert less["statistic"] == pytest.approx(0.04693661, abs=1.2e-4)
    assert (less["ci_low"], less["ci_high"]) == pytest.approx((0.0, 0.2849601), abs=1.2e-4)
    both = fisher_exact(table)
    assert both["p"] == pytest.approx(0.0005367, abs=printed(0.0005367, 4))
    assert (both["ci_low"], both["ci_high"]) == pytest.approx(
        (0.003325764, 0.363182271), abs=1.2e-4
    )


# --- rank tests -------------------------------------------------------------------------------

DEPRESSION_X = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
DEPRESSION_Y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]


def test_wilcoxon_signed_rank_exact_hollander_wolfe():
    # ?wilcox.test (Hollander & Wolfe 1973, p. 29f): wilcox.test(x, y, paired = TRUE,
    # alternative = "greater"): V = 40, p-value = 0.01953; two-sided p-value = 0.03906
    greater = wilcoxon_signed_rank(DEPRESSION_X, DEPRESSION_Y, alternative="greater")
    assert greater["statistic"] == 40
    assert greater["method"] == "exact"
    assert greater["p"] == pytest.approx(0.01953, abs=printed(0.01953, 4))
    assert wilcoxon_signed_rank(DEPRESSION_X, DEPRESSION_Y)["p"] == pytest.approx(
        0.03906, abs=printed(0.03906, 4)
    )
    # V is the sum of the positive ranks of x - y (R's V), not min(V+, V-): y - x gives 5
    assert wilcoxon_signed_rank(DEPRESSION_Y, DEPRESSION_X)["statistic"] == 5


def test_wilcoxon_signed_rank_with_ties_r_before_4_6():
    # ?wilcox.test in R < 4.6 (stats-Ex.Rout.save at 8343da5): wilcox.test(4:2, 3:1,
    # paired = TRUE) "Wilcoxon signed rank test with continuity correction": V = 6,
    # p-value = 0.1489
    result = wilcoxon_signed_rank([4, 3, 2], [3, 2, 1])
    assert result["statistic"] == 6
    assert result["method"] == "normal_continuity_corrected"
    assert result["p"] == pytest.approx(0.1489, abs=printed(0.1489, 4))


def test_wilcoxon_signed_rank_with_zeros_and_ties():
    # https://stats.stackexchange.com/questions/514618 : wilcox.test(d), 4 zeros, many ties,
    # "Wilcoxon signed rank test with continuity correction": V = 99.5, p-value = 0.01842
    d = [1, 1, 0, 1, 2, 1, 1, -2, 0, 1, 2, 1, 1, 1, -1, 0, 1, 0, 1]
    result = wilcoxon_signed_rank(d, [0] * len(d))
    assert result["statistic"] == 99.5
    assert (result["n"], result["n_nonzero"]) == (19, 15)
    assert result["p"] == pytest.approx(0.01842, abs=printed(0.01842, 4))


def test_wilcoxon_signed_rank_sleep_as_issue_18_quotes_r():
    # wilcox.test(extra ~ group, data = sleep, paired = TRUE) in R < 4.6: V = 0,
    # p-value = 0.009091 (scipy's defaults give 0.0039: issue 18)
    result = wilcoxon_signed_rank(SLEEP_1, SLEEP_2)
    assert result["statistic"] == 0
    assert result["p"] == pytest.approx(0.009091, abs=printed(0.009091, 4))


def test_mann_whitney_exact_hollander_wolfe():
    # ?wilcox.test (Hollander & Wolfe 1973, p. 69f): wilcox.test(x, y, alternative = "g"):
    # W = 35, p-value = 0.1272
    x = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
    y = [1.15, 0.88, 0.90, 0.74, 1.21]
    result = mann_whitney_u(x, y, alternative="greater")
    assert result["statistic"] == 35
    assert result["method"] == "exact"
    assert result["p"] == pytest.approx(0.1272, abs=printed(0.1272, 4))


def test_mann_whitney_with_ties_r_intro():
    # R-intro in R < 4.6 (R-intro.Rout.save at 8343da5): wilcox.test(A, B) "Wilcoxon rank
    # sum test with continuity correction": W = 89, p-value = 0.0075
    a = [79.98, 80.04, 80.02, 80.04, 80.03, 80.03, 80.04, 79.97, 80.05, 80.03, 80.02, 80, 80.02]
    b = [80.02, 79.94, 79.98, 79.97, 79.97, 80.03, 79.95, 79.97]
    result = mann_whitney_u(a, b)
    assert result["statistic"] == 89
    assert result["p"] == pytest.approx(0.0075, abs=printed(0.0075, 2))


def test_mann_whitney_with_ties_and_missing_values_airquality():
    # ?wilcox.test in R < 4.6 (stats-Ex.Rout.save at 8343da5): wilcox.test(Ozone ~ Month,
    # data = airquality, subset = Month %in% c(5, 8)): W = 127.5, p-value = 0.0001208.
    # Ozone of May and August from R's airquality.tab; NA is missing (left out, as R does).
    na = None
    may = [41, 36, 12, 18, na, 28, 23, 19, 8, na, 7, 16, 11, 14, 18, 14, 34, 6, 30, 11, 1, 11]
    may += [4, 32, na, na, na, 23, 45, 115, 37]
    august = [39, 9, 16, 78, 35, 66, 122, 89, 110, na, na, 44, 28, 65, na, 22, 59, 23, 31, 44]
    august += [21, 9, na, 45, 168, 73, na, 76, 118, 84, 85]
    result = mann_whitney_u(may, august)
    assert (result["n1"], result["n2"]) == (26, 26)
    assert result["statistic"] == 127.5
    assert result["p"] == pytest.approx(0.0001208, abs=printed(0.0001208, 4))


# --- effect sizes and Holm ---------------------------------------------------------------


def _with_moments(mean: float, sd: float, n: int) -> np.ndarray:
    """n values with exactly this mean and sd."""
    z = np.linspace(-1, 1, n)
    return mean + sd * (z - z.mean()) / z.std(ddof=1)


def test_hedges_g_borenstein_worked_example():
    # Borenstein, Hedges, Higgins & Rothstein (2009), Introduction to Meta-Analysis, ch. 4,
    # as worked in H. Zhang's course notes "Effect Sizes Means"
    # (scribd.com/document/788557251): means 103 and 100, sds 5.5 and 4.5, n = 50 each:
    # d = 0.5970, J = 0.9923, g = 0.5924.
    result = hedges_g(_with_moments(103, 5.5, 50), _with_moments(100, 4.5, 50))
    assert result["estimate"] == pytest.approx(0.5924, abs=printed(0.5924, 4))
    # Hedges & Olkin's variance as metafor's escalc computes it for SMD, 1/n1 + 1/n2 +
    # g^2 / (2 (n1 + n2)); Borenstein scales Var(d) by J^2 instead (SE 0.2028).
    se = (result["ci_high"] - result["ci_low"]) / (2 * 1.959963984540054)
    assert se == pytest.approx(np.sqrt(2 / 50 + result["estimate"] ** 2 / 200))


MOVIE_1 = [9, 7, 8, 9, 8, 9, 9, 10, 9, 9]
MOVIE_2 = [9, 6, 7, 8, 7, 9, 8, 8, 8, 7]


def test_hedges_g_lakens_movie_ratings():
    # Lakens (2013), Front. Psychol. 4:863 (PMC3840331), table 1 data: between subjects
    # t(18) = 2.52, Hedges' g_s = 1.08; within subjects t(9) = 4.74, g_av = 1.08.
    assert student_t(MOVIE_1, MOVIE_2)["statistic"] == pytest.approx(2.52, abs=0.005)
    assert paired_t(MOVIE_1, MOVIE_2)["statistic"] == pytest.approx(4.74, abs=0.005)
    assert hedges_g(MOVIE_1, MOVIE_2)["estimate"] == pytest.approx(1.08, abs=0.005)
    assert hedges_g_paired(MOVIE_2, MOVIE_1)["estimate"] == pytest.approx(1.08, abs=0.005)


def test_cramers_v_interval_statpsych():
    # statpsych ?ci.cramer: ci.cramer(.05, 19.21, 2, 3, 200) returns
    # Estimate 0.3099, LL 0.1601, UL 0.4417
    result = cramers_v_from_chi2(19.21, 200, 2, 3)
    assert result["estimate"] == pytest.approx(0.3099, abs=printed(0.3099, 4))
    assert result["ci_low"] == pytest.approx(0.1601, abs=printed(0.1601, 4))
    assert result["ci_high"] == pytest.approx(0.4417, abs=printed(0.4417, 4))


def test_cramers_v_of_a_table_is_the_chi2_version():
    table = np.array([[762, 327, 468], [484, 239, 477]])
    chi2 = pearson_chi2(table)["statistic"]
    assert cramers_v(table) == pytest.approx(cramers_v_from_chi2(chi2, table.sum(), 2, 3))


def test_holm_leaves_missing_p_values_out_of_the_family_as_r():
    # ?p.adjust, "Can work with NAs": with p-values 46 and 47 (of 50, sorted) missing,
    # p.adjust(pN, "holm") / p.adjust(p, "holm") for the 20 smallest:
    r_ratios = [0.9600, 0.9592, 0.9583, 0.9574, 0.9565, 0.9556, 0.9545, 0.9535, 0.9524, 0.9512]
    r_ratios += [0.9500, 0.9487, 0.9474, 0.9459, 0.9444, 0.9429, 0.9412, 0.9394, 0.9375, 0.9355]
    # R's p come from rnorm; for the 20 smallest the ratio is (48 - i + 1) / (50 - i + 1)
    # whenever Holm's running maximum does not bind there, as for these increasing p:
    p = [i * 1e-4 for i in range(1, 51)]
    with_na = [None if i in (45, 46) else v for i, v in enumerate(p)]
    full, missing = holm(p), holm(with_na)
    assert missing[45] is None and missing[46] is None
    ratios = [m / f for m, f in zip(missing[:20], full[:20], strict=True)]
    assert ratios == pytest.approx(r_ratios, abs=0.00005)


# --- mixed models: lme4 ----------------------------------------------------------------------


def _fit(name: str, formula: str, groups: str):
    frame = pd.read_csv(REFERENCE / f"{name}.csv")
    model = RandomInterceptMixedLM.from_formula(formula, frame, groups=frame[groups])
    return model.fit(reml=True, method="lbfgs")


def test_random_intercept_sleepstudy_as_lme4():
    # lme4, lmer(Reaction ~ Days + (1 | Subject), sleepstudy), REML: criterion 1786.5;
    # Subject (Intercept) variance 1378.2, Residual 960.5; fixed effects 251.4051 (SE 9.7467)
    # and 10.4673 (SE 0.8042). Data: lme4's sleepstudy (Rdatasets csv/lme4/sleepstudy.csv);
    # fixed effects 251.405104848485 and 10.467285959595 in lme4's tests/lmer-1.R;
    # variances as quoted in sommer's vignette sommer.vs.lme4. Balanced data: statsmodels'
    # Hessian standard errors equal lme4's.
    fit = _fit("sleepstudy", "Reaction ~ Days", "Subject")
    assert fit.converged
    assert fit.fe_params.to_numpy() == pytest.approx([251.405104848485, 10.467285959595], rel=1e-8)
    assert fit.bse_fe.to_numpy() == pytest.approx([9.7467, 0.8042], abs=0.00005)
    assert fit.cov_re.iloc[0, 0] == pytest.approx(1378.2, abs=0.05)
    assert fit.scale == pytest.approx(960.5, abs=0.05)
    assert -2 * fit.llf == pytest.approx(1786.5, abs=0.05)


def test_random_intercept_dyestuff_as_lme4():
    # lme4 ?Dyestuff (docs/reference/Dyestuff.html): lmer(Yield ~ 1|Batch, Dyestuff):
    # REML criterion 319.6543, Batch sd 42.00, Residual sd 49.51, intercept 1528 (1527.5).
    # statsmodels' default start fails here with LinAlgError (issue 18).
    fit = _fit("dyestuff", "Yield ~ 1", "Batch")
    assert -2 * fit.llf == pytest.approx(319.6543, abs=0.00005)
    assert np.sqrt(fit.cov_re.iloc[0, 0]) == pytest.approx(42.00, abs=0.005)
    assert np.sqrt(fit.scale) == pytest.approx(49.51, abs=0.005)
    assert fit.fe_params.iloc[0] == pytest.approx(1527.5)


def test_random_intercept_on_the_boundary_dyestuff2_as_lme4():
    # lme4 ?Dyestuff: lmer(Yield ~ 1|Batch, Dyestuff2) "boundary (singular) fit":
    # REML criterion 161.8283, Batch sd 0.000, Residual sd 3.716, intercept 5.666;
    # on the boundary the model is OLS: SE of the intercept sqrt(3.716^2 / 30) = 0.678.
    fit = _fit("dyestuff2", "Yield ~ 1", "Batch")
    assert fit.converged
    assert -2 * fit.llf == pytest.approx(161.8283, abs=0.00005)
    assert np.sqrt(fit.cov_re.iloc[0, 0]) == pytest.approx(0.0, abs=0.0005)
    assert np.sqrt(fit.scale) == pytest.approx(3.716, abs=0.0005)
    assert fit.fe_params.iloc[0] == pytest.approx(5.666, abs=0.0005)
    assert fit.bse_fe.iloc[0] == pytest.approx(0.678, abs=0.0005)


# --- p as printed --------------------------------------------------------------------------------


def test_p_printed_as_the_apa_style_examples():
    # APA 7 (Numbers and Statistics Guide): p = .036, p < .001, never p = .000
    assert p_value(0.036, "en") == "p = .036"
    assert p_value(0.0004, "en") == "p < .001"
