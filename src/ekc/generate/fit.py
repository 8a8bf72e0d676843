"""Small integer samples that reproduce published summary statistics.

A published row such as "n=87, m=1.69, sd=.83, range 1-5" admits many integer samples.
`integers_matching` finds one deterministically: the sum is fixed so the mean rounds to the
printed value, the minimum and maximum are present, and pairs of values are moved apart or
together until the sample sd rounds to the printed value.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np


def round_half_up(value: float, decimals: int) -> float:
    """Round as a report does (2.5 -> 3), not as Python's banker's rounding."""
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def _rounds_to(value: float, target: float, decimals: int) -> bool:
    return math.isclose(round_half_up(value, decimals), target, abs_tol=10 ** (-decimals) / 100)


def counts_from_percentages(total: int, shares: list[float]) -> list[int]:
    """Largest-remainder apportionment of `total` over `shares`."""
    raw = np.asarray(shares, dtype=float) / sum(shares) * total
    counts = np.floor(raw).astype(int)
    order = np.argsort(-(raw - counts), kind="stable")
    for i in order[: total - counts.sum()]:
        counts[i] += 1
    return counts.tolist()


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


def floats_matching(
    n: int,
    mean: float,
    sd: float,
    *,
    low: float | None = None,
    high: float | None = None,
    rng: np.random.Generator,
) -> np.ndarray:
    """n continuous values with exactly the given mean and sd (before rounding), clipped."""
    if n == 1:
        return np.array([mean])
    z = rng.standard_normal(n)
    z = (z - z.mean()) / z.std(ddof=1)
    values = mean + sd * z
    if low is not None or high is not None:
        for _ in range(50):
            values = np.clip(values, low, high)
            values = mean + (values - values.mean()) * (sd / values.std(ddof=1))
        values = np.clip(values, low, high)
    return values
