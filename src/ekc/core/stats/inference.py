"""Tests as the study used them, each returning the fields of a results record.

Conventions, chosen on purpose and the same on every scipy version the project allows (the
reasons and references are in docs/methods.md):
- independent t-test with pooled variance (Student), as the published df = n1 + n2 - 2 shows;
- chi-square without Yates' continuity correction (Pearson), also for 2x2 tables; rows and
  columns without observations are left out (as a crosstab of the data never shows them),
  and small expected counts are flagged (Cochran's rule);
- Fisher's exact test for 2x2 tables: the two-sided p sums the tables no more likely than
  the observed one; the odds ratio is the conditional maximum-likelihood estimate with its
  conditional interval, as R's fisher.test reports them;
- Wilcoxon signed-rank and Mann-Whitney: exact null distribution below 50 observations when
  there are no ties (and, signed-rank, no zero differences), otherwise the normal
  approximation with tie correction and continuity correction; zero differences are dropped
  (Wilcoxon's method). The signed-rank statistic is V = the sum of the ranks of the positive
  differences x - y, the rank-sum statistic U of the first sample: R's V and W (R < 4.6);
- two proportions one-sided: the pooled z-test (z^2 is the Pearson chi-square without Yates);
- two-way ANOVA with interaction: a main effect by type II sums of squares (car's Anova);
- two-sided unless the hypothesis has a direction, then one-sided ('less' / 'greater').

Missing values are left out per test (listwise; pairs with a missing member for paired
tests) and the number used is returned. A test that cannot be computed returns the fields
of `records.not_estimable` (status, reason; no statistic, p or verdict); input that cannot be
a sample raises ValueError naming what is wrong.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats.contingency import odds_ratio
from statsmodels.formula import api as smf
from statsmodels.stats.anova import anova_lm
from statsmodels.stats.proportion import proportions_ztest

from ekc.core.stats.records import ESTIMATED, NOT_ESTIMABLE, not_estimable
from ekc.core.stats.subject import InvalidInput

ALPHA = 0.05
ALTERNATIVES = ("two-sided", "less", "greater")
EXACT_BELOW = 50  # exact rank tests below this many observations (R's wilcox.test)
SMALL_EXPECTED = 5.0  # Cochran (1954): at most 20% of the expected counts below 5,
SMALL_EXPECTED_SHARE = 0.2  # and none below 1
TINY_EXPECTED = 1.0
_EPS = float(np.finfo(float).eps)


def verdict(p: float | None, alpha: float = ALPHA) -> str:
    """'significant' / 'not_significant' for a p-value; 'not_estimable' when there is none."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return NOT_ESTIMABLE
    p = float(p)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"a p-value lies between 0 and 1, not {p}")
    return "significant" if p < alpha else "not_significant"


# --- input -------------------------------------------------------------------------------


def _name(values: object, default: str) -> str:
    name = getattr(values, "name", None)
    return repr(name) if isinstance(name, str) and name else default


def _check_alternative(alternative: str) -> None:
    if alternative not in ALTERNATIVES:
        raise ValueError(f"alternative must be one of {ALTERNATIVES}, not {alternative!r}")


def _numbers(values: Sequence[float], name: str) -> np.ndarray:
    """Float array of a sample, missing values (None, NaN, pd.NA) as NaN; infinite values
    are refused."""
    array = pd.Series(values, dtype="Float64").to_numpy(dtype=float, na_value=np.nan)
    if np.isinf(array).any():
        raise InvalidInput(f"sample {name} contains infinite values")
    return array


def sample(values: Sequence[float], name: str = "x") -> np.ndarray:
    """The observed values of a sample: missing values left out."""
    array = _numbers(values, _name(values, name))
    return array[~np.isnan(array)]


def pairs(x: Sequence[float], y: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """Paired samples with every pair that misses a member left out; unequal lengths are an
    error (the pairing would be lost)."""
    names = _name(x, "x"), _name(y, "y")
    x, y = _numbers(x, names[0]), _numbers(y, names[1])
    if len(x) != len(y):
        raise InvalidInput(
            f"paired samples differ in length: {len(x)} values of {names[0]} and {len(y)} "
            f"of {names[1]}"
        )
    complete = ~(np.isnan(x) | np.isnan(y))
    return x[complete], y[complete]


def counts(table: np.ndarray | Sequence[Sequence[float]]) -> np.ndarray:
    """A contingency table of non-negative, finite counts (weighted counts allowed)."""
    array = np.asarray(table, dtype=float)
    if array.ndim != 2:
        raise InvalidInput(f"a contingency table has two dimensions, not {array.ndim}")
    if not np.isfinite(array).all():
        raise InvalidInput("a contingency table holds no missing or infinite counts")
    if (array < 0).any():
        raise InvalidInput(f"a contingency table holds no negative counts: {array.tolist()}")
    return array


def _essentially_constant(stderr: float, *means: float) -> bool:
    # R's t.test: "data are essentially constant"
    return not stderr > 10 * _EPS * max(abs(m) for m in means)


def _result(test: str, statistic: float, p: float, alpha: float, **fields):
    """An estimated test; `fields` include the alternative and the numbers used."""
    return {
        "test": test,
        "status": ESTIMATED,
        "statistic": float(statistic),
        "p": float(p),
        "verdict": verdict(float(p), alpha),
        **fields,
    }


# --- t-tests and ANOVA ---------------------------------------------------------------------


def student_t(
    a: Sequence[float], b: Sequence[float], alternative: str = "two-sided", alpha: float = ALPHA
) -> dict:
    """t-test of mean(a) - mean(b) with pooled variance."""
    _check_alternative(alternative)
    a, b = sample(a, "a"), sample(b, "b")
    n1, n2 = len(a), len(b)
    sizes = {"n": n1 + n2, "n1": n1, "n2": n2, "alternative": alternative}
    if n1 == 0 or n2 == 0:
        return not_estimable("student_t", "empty_group", f"group sizes {n1} and {n2}", **sizes)
    if n1 + n2 < 3:
        return not_estimable(
            "student_t", "too_few_observations", f"{n1} + {n2} observations", **sizes
        )
    df = n1 + n2 - 2
    pooled = (float(((a - a.mean()) ** 2).sum()) + float(((b - b.mean()) ** 2).sum())) / df
    stderr = math.sqrt(pooled * (1 / n1 + 1 / n2))
    if _essentially_constant(stderr, a.mean(), b.mean()):
        return not_estimable("student_t", "no_variance", "both groups are constant", **sizes)
    result = stats.ttest_ind(a, b, equal_var=True, alternative=alternative)
    return _result("student_t", result.statistic, result.pvalue, alpha, df=float(df), **sizes)


def paired_t(
    x: Sequence[float], y: Sequence[float], alternative: str = "two-sided", alpha: float = ALPHA
) -> dict:
    """Paired t-test of mean(x - y), as R's t.test(x, y, paired = TRUE)."""
    _check_alternative(alternative)
    x, y = pairs(x, y)
    n = len(x)
    if n < 2:
        return not_estimable(
            "paired_t", "too_few_observations", f"{n} complete pairs", n=n, alternative=alternative
        )
    diff = x - y
    if _essentially_constant(diff.std(ddof=1) / math.sqrt(n), diff.mean()):
        return not_estimable(
            "paired_t",
            "no_variance",
            "every pair differs by the same amount",
            n=n,
            alternative=alternative,
        )
    result = stats.ttest_rel(x, y, alternative=alternative)
    return _result(
        "paired_t",
        result.statistic,
        result.pvalue,
        alpha,
        df=float(n - 1),
        n=n,
        alternative=alternative,
    )


def one_sample_t(
    x: Sequence[float], mu: float, alternative: str = "two-sided", alpha: float = ALPHA
) -> dict:
    """t-test of mean(x) against mu."""
    _check_alternative(alternative)
    x = sample(x, "x")
    n = len(x)
    if n < 2:
        return not_estimable(
            "one_sample_t",
            "too_few_observations",
            f"{n} observations",
            n=n,
            alternative=alternative,
        )
    if _essentially_constant(x.std(ddof=1) / math.sqrt(n), x.mean()):
        return not_estimable(
            "one_sample_t", "no_variance", "all values are equal", n=n, alternative=alternative
        )
    result = stats.ttest_1samp(x, mu, alternative=alternative)
    return _result(
        "one_sample_t",
        result.statistic,
        result.pvalue,
        alpha,
        df=float(n - 1),
        n=n,
        alternative=alternative,
    )


def binomial_test(
    successes: int, n: int, share: float, alternative: str = "two-sided", alpha: float = ALPHA
) -> dict:
    """Exact binomial test of a share against a known share (a norm group's), as R's
    binom.test: the two-sided p sums the outcomes no more likely than the observed one; the
    Clopper-Pearson interval for the same alternative."""
    _check_alternative(alternative)
    if not 0.0 < share < 1.0:
        raise ValueError(f"the share under the null lies strictly between 0 and 1, not {share}")
    if n < 0 or not 0 <= successes <= n:
        raise ValueError(f"successes must lie between 0 and n: {successes} of {n}")
    fields = {"n": int(n), "successes": int(successes), "null_share": float(share)}
    if n == 0:
        return not_estimable(
            "binomial_exact", "empty_group", "no observations", alternative=alternative, **fields
        )
    result = stats.binomtest(int(successes), int(n), share, alternative=alternative)
    interval = result.proportion_ci(confidence_level=0.95, method="exact")
    return _result(
        "binomial_exact",
        successes / n,
        result.pvalue,
        alpha,
        alternative=alternative,
        share=successes / n,
        share_ci_low=float(interval.low),
        share_ci_high=float(interval.high),
        **fields,
    )


def anova_oneway(*groups: Sequence[float], alpha: float = ALPHA) -> dict:
    """One-way ANOVA (equal variances, Fisher's F) over two or more groups."""
    samples = [sample(g, f"group {i + 1}") for i, g in enumerate(groups)]
    sizes = [len(s) for s in samples]
    n, k = sum(sizes), len(samples)
    base = {"n": n, "group_sizes": sizes, "alternative": "two-sided"}
    if k < 2:
        return not_estimable("anova_oneway", "too_few_observations", f"{k} group", **base)
    if min(sizes) == 0:
        return not_estimable("anova_oneway", "empty_group", f"group sizes {sizes}", **base)
    if n <= k:
        return not_estimable(
            "anova_oneway", "too_few_observations", f"{n} observations in {k} groups", **base
        )
    within = sum(float(((s - s.mean()) ** 2).sum()) for s in samples)
    grand = np.concatenate(samples)
    if within <= 100 * _EPS * float(((grand - grand.mean()) ** 2).sum()):
        return not_estimable("anova_oneway", "no_variance", "no variance within the groups", **base)
    result = stats.f_oneway(*samples)
    df1, df2 = float(k - 1), float(n - k)
    return _result(
        "anova_oneway", result.statistic, result.pvalue, alpha, df=df1, df1=df1, df2=df2, **base
    )


# --- contingency tables ------------------------------------------------------------------


def expected_counts(table: np.ndarray) -> dict:
    """Expected counts under independence, summarised for a table note."""
    expected = stats.contingency.expected_freq(table)
    below = int((expected < SMALL_EXPECTED).sum())
    share = below / expected.size
    return {
        "expected_min": float(expected.min()),
        "expected_below_5": below,
        "expected_cells": int(expected.size),
        # Cochran's rule: more than 20% of the cells below 5, or any below 1
        "small_expected": bool(share > SMALL_EXPECTED_SHARE or (expected < TINY_EXPECTED).any()),
    }


def pearson_chi2(table: np.ndarray, alpha: float = ALPHA) -> dict:
    """Pearson chi-square test of independence on a contingency table (no Yates)."""
    full = counts(table)
    rows, cols = full.sum(axis=1) > 0, full.sum(axis=0) > 0
    kept = full[rows][:, cols]
    n = full.sum()
    base = {
        "n": int(round(n)) if float(n).is_integer() else float(n),
        "alternative": "two-sided",
        "rows_left_out": int((~rows).sum()),
        "columns_left_out": int((~cols).sum()),
    }
    if n == 0:
        return not_estimable("pearson_chi2", "empty_table", **base)
    if kept.shape[0] < 2 or kept.shape[1] < 2:
        return not_estimable(
            "pearson_chi2",
            "degenerate_table",
            f"{kept.shape[0]} row(s) and {kept.shape[1]} column(s) have observations",
            **base,
        )
    chi2, p, dof, _ = stats.chi2_contingency(kept, correction=False)
    return _result("pearson_chi2", chi2, p, alpha, df=float(dof), **base, **expected_counts(kept))


def fisher_exact(table: np.ndarray, alternative: str = "two-sided", alpha: float = ALPHA) -> dict:
    """Fisher's exact test of a 2x2 table [[a, b], [c, d]], odds ratio (a d) / (b c):
    p as R's fisher.test, the conditional MLE of the odds ratio and its conditional 95%
    interval for the same alternative."""
    _check_alternative(alternative)
    table = counts(table)
    if table.shape != (2, 2):
        raise InvalidInput(f"Fisher's exact test here takes a 2x2 table, not {table.shape}")
    if (table != np.round(table)).any():
        raise InvalidInput(f"Fisher's exact test needs whole counts: {table.tolist()}")
    table = table.astype(int)
    n = int(table.sum())
    base = {"n": n, "alternative": alternative}
    if (table.sum(axis=0) == 0).any() or (table.sum(axis=1) == 0).any():
        return not_estimable("fisher_exact", "empty_margin", f"table {table.tolist()}", **base)
    p = stats.fisher_exact(table, alternative=alternative).pvalue
    estimate = odds_ratio(table, kind="conditional")
    low, high = estimate.confidence_interval(confidence_level=0.95, alternative=alternative)
    odds = float(estimate.statistic)
    fields = {"odds_ratio": odds, "ci_low": float(low), "ci_high": float(high)}
    if math.isinf(odds):
        fields["odds_ratio_infinite"] = True  # stored as null in JSON
    return _result("fisher_exact", odds, p, alpha, **fields, **base)


# --- rank tests ----------------------------------------------------------------------------


def wilcoxon_signed_rank(
    x: Sequence[float], y: Sequence[float], alternative: str = "two-sided", alpha: float = ALPHA
) -> dict:
    """Wilcoxon signed-rank test of the paired differences x - y (R's wilcox.test(x, y,
    paired = TRUE) before R 4.6): V = sum of the ranks of the positive differences."""
    _check_alternative(alternative)
    x, y = pairs(x, y)
    diff = x - y
    nonzero = diff[diff != 0]
    n, m = len(diff), len(nonzero)
    base = {"n": n, "n_nonzero": m, "alternative": alternative}
    if m == 0:
        detail = f"{n} complete pairs, none of them differs"
        return not_estimable("wilcoxon_signed_rank", "no_nonzero_differences", detail, **base)
    ranks = stats.rankdata(np.abs(nonzero))
    ties = len(np.unique(ranks)) < m
    v_plus = float(ranks[nonzero > 0].sum())
    exact = m < EXACT_BELOW and not ties and m == n
    result = stats.wilcoxon(
        nonzero,
        zero_method="wilcox",
        correction=not exact,
        alternative=alternative,
        method="exact" if exact else "approx",
    )
    return _result(
        "wilcoxon_signed_rank",
        v_plus,
        result.pvalue,
        alpha,
        V=v_plus,
        method="exact" if exact else "normal_continuity_corrected",
        ties=ties,
        **base,
    )


def mann_whitney_u(
    a: Sequence[float], b: Sequence[float], alternative: str = "two-sided", alpha: float = ALPHA
) -> dict:
    """Mann-Whitney U (Wilcoxon rank-sum) test of a against b; U of the first sample (R's W)."""
    _check_alternative(alternative)
    a, b = sample(a, "a"), sample(b, "b")
    n1, n2 = len(a), len(b)
    base = {"n": n1 + n2, "n1": n1, "n2": n2, "alternative": alternative}
    if n1 == 0 or n2 == 0:
        return not_estimable("mann_whitney_u", "empty_group", f"group sizes {n1} and {n2}", **base)
    pooled = np.concatenate([a, b])
    if np.all(pooled == pooled[0]):
        return not_estimable("mann_whitney_u", "no_variance", "all values are equal", **base)
    ties = len(np.unique(pooled)) < len(pooled)
    exact = n1 < EXACT_BELOW and n2 < EXACT_BELOW and not ties
    result = stats.mannwhitneyu(
        a,
        b,
        alternative=alternative,
        use_continuity=True,
        method="exact" if exact else "asymptotic",
    )
    return _result(
        "mann_whitney_u",
        result.statistic,
        result.pvalue,
        alpha,
        method="exact" if exact else "normal_continuity_corrected",
        ties=ties,
        **base,
    )


def one_sided_proportions(
    count: Sequence[float], nobs: Sequence[float], alternative: str, alpha: float = ALPHA
) -> dict:
    """Two proportions, one-sided: the pooled z-test, whose z^2 is the Pearson chi-square of the
    2x2 table without Yates; alternative 'smaller' / 'larger' for the first proportion. Counts
    may be weighted: `n` is then the weighted total, as in `pearson_chi2`."""
    if alternative not in ("smaller", "larger"):
        raise ValueError(f"alternative must be 'smaller' or 'larger', not {alternative!r}")
    count, nobs = counts([count])[0], counts([nobs])[0]
    if (count > nobs).any():
        raise InvalidInput(f"more events than observations: {count.tolist()} of {nobs.tolist()}")
    total = float(nobs.sum())
    base = {
        "n": int(round(total)) if total.is_integer() else total,
        "alternative": "less" if alternative == "smaller" else "greater",
    }
    if (nobs == 0).any():
        return not_estimable("pearson_chi2_one_sided", "empty_group", f"group sizes {nobs}", **base)
    shares = count / nobs
    if np.all(shares == shares[0]) and shares[0] in (0.0, 1.0):
        detail = "every observation falls in the same category"
        return not_estimable("pearson_chi2_one_sided", "no_variance", detail, **base)
    z, p = proportions_ztest(count, nobs, alternative=alternative)
    return _result(
        "pearson_chi2_one_sided", float(z**2), float(p), alpha, z=float(z), df=1.0, **base
    )


# --- two-way analysis of variance --------------------------------------------------------


def anova_two_way_main_effect(
    values: Sequence[float],
    factor: Sequence,
    other: Sequence,
    alpha: float = ALPHA,
) -> dict:
    """The main effect of `factor` in the two-way ANOVA factor x other with their interaction:
    type II sums of squares (statsmodels' anova_lm(typ=2), car's Anova(type = 2)), F against
    the residual of the full model. Observations missing any of the three are left out."""
    test = "anova_two_way_main_effect"
    frame = pd.DataFrame({"y": _numbers(values, "values"), "a": factor, "b": other})
    frame = frame.dropna()
    n = len(frame)
    base = {"n": n, "alternative": "two-sided"}
    cells = frame.groupby(["a", "b"]).size()
    levels_a, levels_b = frame["a"].nunique(), frame["b"].nunique()
    if levels_a < 2:
        return not_estimable(test, "empty_group", f"{levels_a} level(s) of the factor", **base)
    if len(cells) < levels_a * levels_b:
        detail = f"{levels_a * levels_b - len(cells)} of {levels_a} x {levels_b} cells are empty"
        return not_estimable(test, "empty_group", detail, **base)
    if n <= levels_a * levels_b:
        detail = f"{n} observations in {levels_a} x {levels_b} cells"
        return not_estimable(test, "too_few_observations", detail, **base)
    fit = smf.ols("y ~ C(a) * C(b)", data=frame).fit()
    spread = float(((frame["y"] - frame["y"].mean()) ** 2).sum())
    if fit.ssr <= 100 * _EPS * spread:
        return not_estimable(test, "no_variance", "no variance within the cells", **base)
    table = anova_lm(fit, typ=2)
    df1, df2 = float(table.loc["C(a)", "df"]), float(table.loc["Residual", "df"])
    return _result(
        test,
        table.loc["C(a)", "F"],
        table.loc["C(a)", "PR(>F)"],
        alpha,
        df=df1,
        df1=df1,
        df2=df2,
        **base,
    )
