"""Beyond the report: effect sizes with 95% confidence intervals and Holm adjustment.

- Hedges' g: standardised mean difference (pooled sd) with the small-sample correction
  J = 1 - 3 / (4 df - 1), and the normal-approximation CI of Hedges & Olkin (1985),
  var(g) = (n1+n2)/(n1 n2) + g^2/(2(n1+n2)) (the variance metafor's escalc uses).
- Paired designs: g_av (Cumming 2012; Lakens 2013, eq. 5 and 6), the mean difference over the
  mean of the two sds, corrected with J at df = 2(n - 1) as Lakens does; CI from the same
  normal approximation with n pairs, var = 1/n + g^2/(2n) (an approximation: it ignores
  the correlation of the pairs).
- Cramer's V with the CI obtained by inverting the noncentral chi-square distribution of the
  statistic (Smithson 2003), the limits mapped as V = sqrt(ncp / (n (k - 1))) like
  statpsych's ci.cramer (confintr and MBESS add df to ncp), so small tables get an honest,
  asymmetric interval that starts at 0 when the noncentrality can be 0.
- Holm's step-down adjustment from statsmodels, within one research question's family;
  missing p-values stay missing and do not count in the family size (R's p.adjust).
Missing values are left out (pairwise for paired data); an effect that cannot be computed
has `effect_status` not_estimable and no estimate (see ekc.core.stats.records).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import optimize, stats
from statsmodels.stats.multitest import multipletests

from ekc.core.stats.inference import counts, pairs, sample
from ekc.core.stats.records import ESTIMATED, effect_not_estimable

Z95 = float(stats.norm.ppf(0.975))


def _correction(df: float) -> float:
    return 1.0 - 3.0 / (4.0 * df - 1.0)


def _interval(effect: str, estimate: float, se: float) -> dict:
    return {
        "effect": effect,
        "estimate": estimate,
        "ci_low": estimate - Z95 * se,
        "ci_high": estimate + Z95 * se,
        "effect_status": ESTIMATED,
    }


def hedges_g(a: Sequence[float], b: Sequence[float]) -> dict:
    """g of mean(a) - mean(b), pooled sd; with its 95% CI."""
    a, b = sample(a, "a"), sample(b, "b")
    n1, n2 = len(a), len(b)
    if n1 == 0 or n2 == 0:
        return effect_not_estimable("hedges_g", "empty_group", f"group sizes {n1} and {n2}")
    if n1 + n2 < 4:  # J needs df >= 2 to be positive
        return effect_not_estimable("hedges_g", "too_few_observations", f"{n1} + {n2}")
    squares = float(((a - a.mean()) ** 2).sum() + ((b - b.mean()) ** 2).sum())
    pooled = np.sqrt(squares / (n1 + n2 - 2))
    if pooled == 0:
        return effect_not_estimable("hedges_g", "no_variance", "both groups are constant")
    g = _correction(n1 + n2 - 2) * (a.mean() - b.mean()) / pooled
    se = np.sqrt((n1 + n2) / (n1 * n2) + g**2 / (2 * (n1 + n2)))
    return _interval("hedges_g", float(g), float(se))


def hedges_g_paired(before: Sequence[float], after: Sequence[float]) -> dict:
    """g_av of mean(after) - mean(before) for paired measurements; with its 95% CI."""
    before, after = pairs(before, after)
    n = len(before)
    if n < 2:
        return effect_not_estimable("hedges_g_av", "too_few_observations", f"{n} pairs")
    sd_av = (before.std(ddof=1) + after.std(ddof=1)) / 2
    if sd_av == 0:
        return effect_not_estimable("hedges_g_av", "no_variance", "both moments are constant")
    g = _correction(2 * (n - 1)) * (after.mean() - before.mean()) / sd_av
    se = np.sqrt(1 / n + g**2 / (2 * n))
    return _interval("hedges_g_av", float(g), float(se))


def cramers_v(table: np.ndarray) -> dict:
    """Cramér's V of a contingency table (Pearson chi-square, no Yates) with its 95% CI;
    rows and columns without observations are left out, as in the chi-square test."""
    table = counts(table)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    if min(table.shape) < 2:
        return effect_not_estimable(
            "cramers_v", "degenerate_table", f"{table.shape[0]} x {table.shape[1]} table"
        )
    chi2 = float(stats.chi2_contingency(table, correction=False)[0])
    return cramers_v_from_chi2(chi2, float(table.sum()), *table.shape)


def cramers_v_from_chi2(chi2: float, n: float, rows: int, columns: int) -> dict:
    """V = sqrt(chi2 / (n (k - 1))), k = min(rows, columns), with the 95% CI of the
    noncentrality inverted from the noncentral chi-square (statpsych's ci.cramer)."""
    k = min(rows, columns) - 1
    dof = (rows - 1) * (columns - 1)

    def noncentrality(quantile: float) -> float:
        # the noncentrality at which the observed chi2 sits at `quantile`; 0 if none
        if stats.chi2.cdf(chi2, dof) <= quantile:
            return 0.0
        upper = max(10.0, 4 * chi2)
        while stats.ncx2.cdf(chi2, dof, upper) > quantile:  # widen until the root is bracketed
            upper *= 2
        return optimize.brentq(lambda nc: stats.ncx2.cdf(chi2, dof, nc) - quantile, 1e-9, upper)

    def to_v(nc: float) -> float:
        return float(np.sqrt(nc / (n * k))) if nc > 0 else 0.0

    return {
        "effect": "cramers_v",
        "estimate": float(np.sqrt(chi2 / (n * k))),
        "ci_low": min(1.0, to_v(noncentrality(0.975))),
        "ci_high": min(1.0, to_v(noncentrality(0.025))),
        "effect_status": ESTIMATED,
    }


def holm(p_values: Sequence[float | None]) -> list[float | None]:
    """Holm-adjusted p-values (same order as given). A missing p (None or NaN: a test that
    could not be computed) stays missing and is not counted in the family, as R's p.adjust
    does."""
    values = [None if p is None or np.isnan(p) else float(p) for p in p_values]
    present = [i for i, p in enumerate(values) if p is not None]
    adjusted: list[float | None] = [None] * len(values)
    if present:
        family = multipletests([values[i] for i in present], method="holm")[1]
        for i, p in zip(present, family, strict=True):
            adjusted[i] = float(p)
    return adjusted


def power_two_sample_t(d: float, n1: int, n2: int, alpha: float = 0.05) -> dict:
    """Power of Student's two-sided t-test to detect a standardised difference `d` with the
    group sizes the study has (statsmodels' TTestIndPower: both tails of the noncentral t;
    R's power.t.test counts one, a difference below 1e-6 here). Not estimable below two
    observations per group."""
    fields = {"d": float(d), "n1": int(n1), "n2": int(n2), "alpha": float(alpha)}
    if n1 < 2 or n2 < 2:
        return {**fields, "power": None, "power_status": "not_estimable"}
    from statsmodels.stats.power import TTestIndPower

    power = TTestIndPower().power(
        effect_size=d, nobs1=n1, alpha=alpha, ratio=n2 / n1, alternative="two-sided"
    )
    return {**fields, "power": float(power), "power_status": ESTIMATED}
