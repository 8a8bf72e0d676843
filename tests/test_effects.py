"""Effect sizes and Holm adjustment against independent computations."""

import numpy as np
import pytest
from scipy import stats
from scipy.stats.contingency import association

from ekc.core.stats.effects import cramers_v, hedges_g, hedges_g_paired, holm


def test_hedges_g_matches_the_textbook_formula():
    a = [4.0, 6.0, 5.0, 7.0, 9.0, 3.0]
    b = [2.0, 3.0, 5.0, 1.0, 4.0]
    # Cohen's d by hand, then the exact gamma-function correction (Hedges 1981)
    sp = np.sqrt((5 * np.var(a, ddof=1) + 4 * np.var(b, ddof=1)) / 9)
    d = (np.mean(a) - np.mean(b)) / sp
    from scipy.special import gamma

    exact_j = gamma(9 / 2) / (np.sqrt(9 / 2) * gamma(8 / 2))
    result = hedges_g(a, b)
    assert result["estimate"] == pytest.approx(d * exact_j, rel=2e-3)
    assert result["ci_low"] < result["estimate"] < result["ci_high"]
    assert hedges_g(b, a)["estimate"] == pytest.approx(-result["estimate"])


def test_paired_g_sign_follows_after_minus_before():
    before = [10.0, 12.0, 9.0, 14.0, 11.0]
    after = [8.0, 9.0, 9.0, 10.0, 7.0]
    result = hedges_g_paired(before, after)
    assert result["estimate"] < 0
    assert result["ci_high"] - result["ci_low"] == pytest.approx(
        2 * stats.norm.ppf(0.975) * np.sqrt(1 / 5 + result["estimate"] ** 2 / 10)
    )


def test_cramers_v_matches_scipy_and_its_interval_covers_it():
    table = np.array([[12, 5, 7], [3, 14, 6]])
    result = cramers_v(table)
    assert result["estimate"] == pytest.approx(association(table, method="cramer"))
    assert 0 <= result["ci_low"] < result["estimate"] < result["ci_high"] <= 1


def test_cramers_v_interval_starts_at_zero_without_association():
    result = cramers_v(np.array([[10, 10], [10, 10]]))
    assert result["estimate"] == 0
    assert result["ci_low"] == 0


def test_holm_by_hand():
    # sorted p .01, .03, .04 times 3, 2, 1 -> .03, .06, .04 -> monotone .03, .06, .06
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert holm([]) == []
