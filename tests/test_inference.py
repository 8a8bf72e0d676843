"""The tests of ekc.core.stats.inference against published or hand-computed references."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from ekc.core.stats.inference import one_sided_proportions, paired_t

# R's `sleep` data (Cushny & Peebles 1905): extra hours of sleep under two drugs, same ten
# patients. R's documentation example `t.test(extra ~ group, data = sleep, paired = TRUE)`
# prints t = -4.0621, df = 9, p-value = 0.002833.
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def test_paired_t_matches_r_on_the_sleep_data():
    result = paired_t(SLEEP_1, SLEEP_2)
    assert result["statistic"] == pytest.approx(-4.0621, abs=5e-5)
    assert result["df"] == 9
    assert result["p"] == pytest.approx(0.002833, abs=5e-7)
    assert (result["n"], result["verdict"]) == (10, "significant")


def test_paired_t_one_sided_follows_the_direction_of_a_minus_b():
    two_sided = paired_t(SLEEP_1, SLEEP_2)["p"]
    assert paired_t(SLEEP_1, SLEEP_2, "less")["p"] == pytest.approx(two_sided / 2)
    assert paired_t(SLEEP_1, SLEEP_2, "greater")["p"] == pytest.approx(1 - two_sided / 2)
    # by hand: the mean difference over its standard error
    d = np.subtract(SLEEP_2, SLEEP_1)
    t = d.mean() / (d.std(ddof=1) / np.sqrt(d.size))
    assert paired_t(SLEEP_2, SLEEP_1)["statistic"] == pytest.approx(t)


def test_one_sided_proportions_is_half_the_pearson_chi_square():
    count, nobs = [3, 9], [20, 22]
    table = np.array([[3, 17], [9, 13]])
    chi2, p, _, _ = stats.chi2_contingency(table, correction=False)
    result = one_sided_proportions(count, nobs, "smaller", 0.05)
    assert result["statistic"] == pytest.approx(chi2)
    assert result["z"] ** 2 == pytest.approx(chi2)
    assert (result["p"], result["alternative"]) == (pytest.approx(p / 2), "less")
    assert one_sided_proportions(count, nobs, "larger", 0.05)["p"] == pytest.approx(1 - p / 2)
