"""Beyond the report: effect sizes with 95% confidence intervals and Holm adjustment.

- Hedges' g: standardised mean difference with the small-sample correction J and the
  normal-approximation CI of Hedges & Olkin (1985), var(g) = (n1+n2)/(n1 n2) + g^2/(2(n1+n2)).
- Paired designs: g_av (difference over the mean of the two sds; Cumming 2012), CI from the
  same approximation with n pairs.
- Cramér's V with the CI obtained by inverting the noncentral chi-square distribution of the
  statistic (Smithson 2003), so small tables get an honest, asymmetric interval.
- Holm's step-down adjustment from statsmodels, within one research question's family.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import optimize, stats
from statsmodels.stats.multitest import multipletests

Z95 = float(stats.norm.ppf(0.975))


def _correction(df: float) -> float:
    return 1.0 - 3.0 / (4.0 * df - 1.0)


def _interval(effect: str, estimate: float, se: float) -> dict:
    return {
        "effect": effect,
        "estimate": estimate,
        "ci_low": estimate - Z95 * se,
        "ci_high": estimate + Z95 * se,
    }


def hedges_g(a: Sequence[float], b: Sequence[float]) -> dict:
    """g of mean(a) - mean(b), pooled sd; with its 95% CI."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    n1, n2 = len(a), len(b)
    pooled = np.sqrt(((n1 - 1) * a.var(ddof=1) + (n2 - 1) * b.var(ddof=1)) / (n1 + n2 - 2))
    g = _correction(n1 + n2 - 2) * (a.mean() - b.mean()) / pooled
    se = np.sqrt((n1 + n2) / (n1 * n2) + g**2 / (2 * (n1 + n2)))
    return _interval("hedges_g", float(g), float(se))


def hedges_g_paired(before: Sequence[float], after: Sequence[float]) -> dict:
    """g_av of mean(after) - mean(before) for paired measurements; with its 95% CI."""
    before = np.asarray(before, dtype=float)
    after = np.asarray(after, dtype=float)
    n = len(before)
    sd_av = np.sqrt((before.var(ddof=1) + after.var(ddof=1)) / 2)
    g = _correction(n - 1) * (after.mean() - before.mean()) / sd_av
    se = np.sqrt(1 / n + g**2 / (2 * n))
    return _interval("hedges_g_av", float(g), float(se))


def cramers_v(table: np.ndarray) -> dict:
    """Cramér's V of a contingency table (Pearson chi-square, no Yates) with its 95% CI."""
    table = np.asarray(table, dtype=float)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    n = table.sum()
    k = min(table.shape) - 1
    chi2 = stats.chi2_contingency(table, correction=False)[0]
    dof = (table.shape[0] - 1) * (table.shape[1] - 1)

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
    }


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm-adjusted p-values (same order as given)."""
    if len(p_values) == 0:
        return []
    return [float(p) for p in multipletests(list(p_values), method="holm")[1]]
