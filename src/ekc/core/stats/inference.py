"""Tests as the study used them, each returning the fields of a results record.

Choices made on purpose (section 2.6 of the report):
- independent t-test with pooled variance (Student), as the published df = n1 + n2 - 2 shows;
- chi-square without Yates' continuity correction (Pearson), also for 2x2 tables;
- two-sided unless the hypothesis has a direction, then one-sided ('less' / 'greater').
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats
from statsmodels.stats.proportion import proportions_ztest

ALPHA = 0.05


def verdict(p: float, alpha: float = ALPHA) -> str:
    return "significant" if p < alpha else "not_significant"


def student_t(
    a: Sequence[float], b: Sequence[float], alternative: str = "two-sided", alpha: float = ALPHA
) -> dict:
    """t-test of mean(a) - mean(b) with pooled variance."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    result = stats.ttest_ind(a, b, equal_var=True, alternative=alternative)
    return {
        "test": "student_t",
        "statistic": float(result.statistic),
        "df": float(len(a) + len(b) - 2),
        "p": float(result.pvalue),
        "alternative": alternative,
        "verdict": verdict(float(result.pvalue), alpha),
    }


def pearson_chi2(table: np.ndarray, alpha: float = ALPHA) -> dict:
    """Pearson chi-square test of independence on a contingency table (no Yates)."""
    table = np.asarray(table, dtype=float)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
    return {
        "test": "pearson_chi2",
        "statistic": float(chi2),
        "df": float(dof),
        "p": float(p),
        "alternative": "two-sided",
        "verdict": verdict(float(p), alpha),
        "n": int(table.sum()),
    }


def paired_t(
    a: Sequence[float], b: Sequence[float], alternative: str = "two-sided", alpha: float = ALPHA
) -> dict:
    """Paired t-test of mean(a - b) over n pairs."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    result = stats.ttest_rel(a, b, alternative=alternative)
    return {
        "test": "paired_t",
        "statistic": float(result.statistic),
        "df": float(len(a) - 1),
        "p": float(result.pvalue),
        "alternative": alternative,
        "verdict": verdict(float(result.pvalue), alpha),
        "n": len(a),
    }


def one_sided_proportions(
    count: Sequence[float], nobs: Sequence[float], alternative: str, alpha: float = ALPHA
) -> dict:
    """Two proportions, one-sided: the pooled z-test, whose z^2 is the Pearson chi-square of the
    2x2 table without Yates; alternative 'smaller' / 'larger' for the first proportion."""
    z, p = proportions_ztest(
        np.asarray(count, float), np.asarray(nobs, float), alternative=alternative
    )
    return {
        "test": "pearson_chi2_one_sided",
        "statistic": float(z**2),
        "z": float(z),
        "df": 1.0,
        "p": float(p),
        "alternative": "less" if alternative == "smaller" else "greater",
        "verdict": verdict(float(p), alpha),
    }
