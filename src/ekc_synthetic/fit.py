"""Small integer samples that reproduce published summary statistics.

A published row such as "n=87, m=1.69, sd=.83, range 1-5" admits many integer samples.
`integers_matching` finds one deterministically: the sum is fixed so the mean rounds to the
printed value, the minimum and maximum are present, and pairs of values are moved apart or
together until the sample sd rounds to the printed value.
"""

from __future__ import annotations

import math

import numpy as np

from ekc.core.report.numbers import round_half_up


def _rounds_to(value: float, target: float, decimals: int) -> bool:
    return math.isclose(round_half_up(value, decimals), target, abs_tol=10 ** (-decimals) / 100)


def integers_matching(
    n: int,
    mean: float,
    sd: float | None,
    low: int,
    high: int,
    *,
    decimals: int = 2,
    sd_decimals: int | None = None,
    rng: np.random.Generator,
    max_steps: int = 200_000,
) -> np.ndarray:
    """Return n integers in [low, high], min=low and max=high, whose mean and sd round to target."""
    sd_decimals = decimals if sd_decimals is None else sd_decimals
    if n == 0:
        return np.array([], dtype=int)
    total = None
    for candidate in range(int(math.floor(mean * n)) - 2, int(math.ceil(mean * n)) + 3):
        if _rounds_to(candidate / n, mean, decimals):
            total = candidate
            break
    if total is None:
        raise ValueError(f"no integer sum of {n} values has a mean that rounds to {mean}")
    values = np.full(n, total // n, dtype=int)
    values[: total - values.sum()] += 1
    if n >= 2 and high > low:
        values[0], values[1] = low, high
        # Restore the sum on the remaining values.
        diff = total - values.sum()
        i = 2
        while diff != 0 and n > 2:
            j = 2 + (i - 2) % (n - 2)
            step = 1 if diff > 0 else -1
            if low <= values[j] + step <= high:
                values[j] += step
                diff -= step
            i += 1
            if i > 10 * n * (high - low + 1):
                raise ValueError("cannot place the sum within the range")
    if sd is None or n < 2:
        return np.sort(rng.permutation(values))

    def sample_sd(v: np.ndarray) -> float:
        return float(np.std(v, ddof=1))

    free = np.arange(2, n) if high > low else np.arange(n)
    for _ in range(max_steps):
        current = sample_sd(values)
        if _rounds_to(current, sd, sd_decimals):
            break
        i, j = rng.choice(free, size=2, replace=False)
        if current < sd:  # spread: move i down, j up, if i <= j
            if values[i] > values[j]:
                i, j = j, i
            if values[i] - 1 >= low and values[j] + 1 <= high:
                values[i] -= 1
                values[j] += 1
        else:  # shrink: move the larger down and the smaller up
            if values[i] < values[j]:
                i, j = j, i
            if values[i] - values[j] >= 2:
                values[i] -= 1
                values[j] += 1
    else:
        raise ValueError(f"no sample of {n} in [{low},{high}] with mean {mean} and sd {sd}")
    return np.sort(values)
