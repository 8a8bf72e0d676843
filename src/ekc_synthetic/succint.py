"""SuccInt ('Succes van de Interventie'): referrer and family informant, 3 and 9 months.

Targets: tables 6.4 (safety and well-being), 6.5/6.6 (new living place, referrer / family
informant), 7.4 (social support), 8.1 (control) and 8.2 (burden and capacity marks, change
in their balance; referrers only) of the youth-protection report, and the response figures
and test verdicts printed with them in chapters 6, 7 and 8.

Who responded (chapter 6, text with table 6.4): prospective families with a conference
whose family takes part actively (47: 35 + 12 in the restgroep); the report's response base
is the 52 active prospective families. Referrers: 35 questionnaires at 3 months, 27 at 9
months; family informants: 19 and 16 questionnaires (tables 6.6), of which 18 and 15 could
be scored on the scales (tables 6.4, 7.4, 8.1 and the response text): one informant at
each moment answered the living-place question but left most scale items blank. The
restgroep has no 9-month follow-up. At 9 months one referrer gave no marks (the printed
means of table 8.2 fit n = 26, not 27).

Scale scores: the printed means are not whole-number sums for the printed n's; they are
reached with the missing-item rule (at most one missing item, prorated), which gives the
scale-specific fractions (ninths for the 10 safety items, sevenths for the 8 support and
the 8 control items).
Scores are fitted on each respondent's grid of attainable (prorated) sums, assigned to
families with a shared latent level, and split into item answers.

Tests (none is printed with a statistic; the verdicts are all 'not significant'):
3 vs 9 months within an informant type: paired, over the families whose respondent of that
type answered at both moments (paired t-test for scales and marks, Wilcoxon signed-rank for
the ordinal judgements, 'no view' left out); referrer vs family informant per moment:
Welch t-test (scales) and chi-square over the table's categories (living place).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd

from ekc.youth_protection.schemas.succint import (
    BALANCE_LABELS,
    CONTROL_ITEMS,
    CONTROL_LABELS,
    CONTROL_REVERSED,
    CONTROL_TEXTS,
    FUNCTION_LABELS,
    INFORMANT_COLUMNS,
    LIVING_PLACE_JUDGEMENT_LABELS,
    LIVING_PLACE_LABELS,
    MAX_MISSING_ITEMS,
    MOMENT_LABELS,
    REFERRER_COLUMNS,
    RELATION_LABELS,
    SAFETY_ITEMS,
    SAFETY_LABELS,
    SAFETY_LABELS_REVERSED,
    SAFETY_REVERSED,
    SAFETY_TEXTS,
    SCALES,
    SUPPORT_ITEMS,
    SUPPORT_LABELS,
    SUPPORT_REVERSED,
    SUPPORT_TEXTS,
)
from ekc_synthetic.fit import integers_matching
from ekc_synthetic.writers import write_sav

FILES = {"referrer": "succint_aanmelder.sav", "family_informant": "succint_gezinsinformant.sav"}
INFORMANTS = ("referrer", "family_informant")
MOMENTS = (1, 2)
MOMENT_KEYS = {1: "3m", 2: "9m"}
ALPHA = 0.05

# --- published targets -----------------------------------------------------------------
# (informant, moment) -> scale -> (n, mean, sd, min, max); tables 6.4, 7.4 and 8.1.
SCALE_TARGETS = {
    ("referrer", 1): {
        "safety_wellbeing": (35, 9.76, 5.15, 1, 20),
        "social_support": (35, 10.03, 3.25, 3, 16),
        "control": (35, 3.85, 1.20, 1, 6),
    },
    ("referrer", 2): {
        "safety_wellbeing": (27, 11.04, 4.65, 3, 19),
        "social_support": (27, 8.92, 3.11, 4, 14),
        "control": (27, 3.92, 1.58, 1, 8),
    },
    ("family_informant", 1): {
        "safety_wellbeing": (18, 8.38, 5.34, 1, 20),
        "social_support": (18, 8.41, 3.02, 1, 13),
        "control": (18, 3.75, 1.44, 2, 7),
    },
    ("family_informant", 2): {
        "safety_wellbeing": (15, 9.57, 6.53, 3, 20),
        "social_support": (15, 9.21, 4.21, 2, 16),
        "control": (15, 4.90, 1.73, 2, 8),
    },
}
# Respondents with one missing item, per cell and scale. Where the printed mean times n is
# not a whole number at least one is needed (its prorated score supplies the fraction);
# safety at 9 months (referrers) and support at 3 months (referrers) need whole sums.
ONE_MISSING = {
    ("referrer", 1): {"safety_wellbeing": 1, "social_support": 0, "control": 1},
    ("referrer", 2): {"safety_wellbeing": 0, "social_support": 1, "control": 1},
    ("family_informant", 1): {"safety_wellbeing": 1, "social_support": 1, "control": 1},
    ("family_informant", 2): {"safety_wellbeing": 1, "social_support": 1, "control": 2},
}
# Questionnaires returned (tables 6.5 and 6.6) and those without scorable scales.
RETURNED = {("referrer", 1): 35, ("referrer", 2): 27, ("family_informant", 1): 19}
RETURNED[("family_informant", 2)] = 16
UNSCORABLE = {("family_informant", 1): 1, ("family_informant", 2): 1}
# Table 8.2 marks: moment -> mark -> (n, mean, sd, min, max); at 9 months n = 26 (see doc).
MARK_TARGETS = {
    1: {"burden": (35, 6.29, 2.83, 1, 10), "capacity": (35, 5.03, 2.29, 1, 8)},
    2: {"burden": (26, 5.92, 2.43, 1, 9), "capacity": (26, 4.88, 2.78, 1, 10)},
}
# Tables 6.5 / 6.6: 0 = not changed ('niet van toepassing'), else woonplek_oordeel codes.
LIVING_PLACE = {
    ("referrer", 1): {0: 22, 1: 2, 2: 5, 3: 6, 4: 0, 9: 0},
    ("referrer", 2): {0: 11, 1: 3, 2: 0, 3: 5, 4: 6, 9: 2},
    ("family_informant", 1): {0: 12, 1: 3, 2: 0, 3: 2, 4: 0, 9: 2},
    ("family_informant", 2): {0: 6, 1: 1, 2: 0, 3: 3, 4: 3, 9: 3},
}
# Table 8.2: change in the balance of burden and capacity (verh_dkdl codes).
BALANCE = {1: {1: 5, 2: 11, 3: 12, 4: 4, 9: 3}, 2: {1: 4, 2: 6, 3: 12, 4: 2, 9: 3}}

# Which families: of the 12 restgroep and 35 other conference families (active).
SELECTION = {
    # informant: (restgroep at 3m, others at 3m, of those again at 9m, new at 9m)
    "referrer": (8, 27, 22, 5),
    "family_informant": (4, 15, 12, 4),
}
FUNCTION_P = {1: 0.74, 2: 0.21, 3: 0.05}
RELATION_P = {1: 0.30, 2: 0.28, 3: 0.20, 4: 0.17, 5: 0.05}
LATENT_RHO = 0.35  # shared level of one respondent across scales and across moments

CATEGORY_KEYS = {
    0: "not_applicable_unchanged",
    1: "less_favourable",
    2: "neither",
    3: "somewhat_more_favourable",
    4: "much_more_favourable",
    9: "no_view",
}
BALANCE_KEYS = {
    1: "less_favourable",
    2: "unchanged",
    3: "somewhat_more_favourable",
    4: "much_more_favourable",
    9: "no_view",
}
SCALE_VARIABLES = {
    "safety_wellbeing": ("6.4", "safety_wellbeing_score"),
    "social_support": ("7.4", "social_support_score"),
    "control": ("8.1", "control_score"),
}

# ======================================================================================
# Fitting scale scores on the grid of attainable (prorated) sums


def _grid(n_items: int, item_high: int, n_missing: int, low: float, high: float) -> np.ndarray:
    answered = n_items - n_missing
    sums = np.arange(0, answered * item_high + 1)
    values = sums * n_items / answered
    return values[(values >= low - 1e-9) & (values <= high + 1e-9)]


def _close(value: float, target: float, decimals: int = 2) -> bool:
    """value rounds (half up) to target, with a margin against floating-point ties."""
    return abs(value - target) < 0.5 * 10**-decimals - 1e-9


def _fit_scale(
    n: int,
    mean: float,
    sd: float,
    low: int,
    high: int,
    *,
    n_items: int,
    item_high: int,
    n_missing: int,
    rng: np.random.Generator,
    max_steps: int = 3_000,
) -> tuple[np.ndarray, np.ndarray]:
    """n scores with mean/sd rounding to the targets and min/max exactly `low`/`high`.

    The last `n_missing` scores are prorated ones (one item missing): each combination of
    their attainable values is tried in turn, and the complete respondents' whole-number sums are
    fitted around it (fixed total, pairs moved apart or together until the sd fits).
    Returns (values, has_missing_item)."""
    extras: list = [None]
    if n_missing:
        grid = _grid(n_items, item_high, 1, low, high)
        combos = np.array(np.meshgrid(*[grid] * n_missing)).reshape(n_missing, -1).T
        extras = list(rng.permutation(np.unique(np.sort(combos, axis=1), axis=0)))
    m = n - n_missing
    for extra in extras:
        fixed = 0.0 if extra is None else float(np.sum(extra))
        centre = mean * n - fixed
        for total in range(math.floor(centre) - 1, math.ceil(centre) + 2):
            if not _close((total + fixed) / n, mean):
                continue
            if not low * (m - 1) + high <= total <= high * (m - 1) + low:
                continue
            values = np.full(m, low, dtype=float)
            values[1] = high
            rest = total - low - high - low * (m - 2)
            for i in range(2, m):
                add = min(high - low, rest // (m - i) if m - i else rest)
                values[i] += add
                rest -= add
            if rest:
                continue

            def spread(v: np.ndarray, extra: np.ndarray | None = extra) -> float:
                full = v if extra is None else np.append(v, extra)
                return float(full.std(ddof=1))

            for _ in range(max_steps):
                current = spread(values)
                if _close(current, sd):
                    full = values if extra is None else np.append(values, extra)
                    flags = np.array([False] * m + [True] * n_missing)
                    return full, flags
                i, j = rng.choice(np.arange(2, m), size=2, replace=False)
                if current < sd:  # move apart: the lower one down, the higher one up
                    if values[i] > values[j]:
                        i, j = j, i
                    if values[i] - 1 >= low and values[j] + 1 <= high:
                        values[i] -= 1
                        values[j] += 1
                else:  # move together
                    if values[i] < values[j]:
                        i, j = j, i
                    if values[i] - values[j] >= 2:
                        values[i] -= 1
                        values[j] += 1
    raise ValueError(f"no scores for n={n}, mean {mean}, sd {sd}, range {low}-{high}")


# ======================================================================================
# Items around a scale score


def _spread(total: int, k: int, high: int, rng: np.random.Generator) -> np.ndarray:
    """k integers in [0, high] adding up to total, with some item-to-item variation."""
    values = np.full(k, total // k)
    values[rng.permutation(k)[: total - values.sum()]] += 1
    for _ in range(2 * k):
        i, j = rng.choice(k, size=2, replace=False)
        if values[i] > 0 and values[j] < high and rng.random() < 0.5:
            values[i] -= 1
            values[j] += 1
    return values


def _item_answers(
    score: float,
    columns: list[str],
    item_range: tuple[int, int],
    reverse: list[str],
    has_missing: bool,
    rng: np.random.Generator,
) -> dict[str, float]:
    """Raw answers (reverse-keyed items turned back) whose prorated score is `score`."""
    low, high = item_range
    k = len(columns)
    answered = k - int(has_missing)
    total = int(round(score * answered / k))
    if not math.isclose(total * k / answered, score):
        raise ValueError("score not attainable")
    values = iter(_spread(total, answered, high, rng))
    skip = int(rng.integers(k)) if has_missing else -1
    out: dict[str, float] = {}
    for i, column in enumerate(columns):
        if i == skip:
            out[column] = np.nan
            continue
        scored = int(next(values))
        out[column] = float(low + high - scored if column in reverse else scored)
    return out


def _unscorable_answers(rng: np.random.Generator) -> dict[str, float]:
    """A questionnaire with the scale pages largely left blank: 3 of 10 safety items and 2 of
    8 support items answered, no control item (every scale has >= 2 missing items)."""
    out = {c: np.nan for c in SAFETY_ITEMS + SUPPORT_ITEMS + CONTROL_ITEMS}
    for column in SAFETY_ITEMS[:3]:
        out[column] = float(rng.integers(0, 3))
    for column in SUPPORT_ITEMS[:2]:
        out[column] = float(rng.integers(0, 3))
    return out


# ======================================================================================
# Who responded


def _pick(pool: list[str], k: int, rng: np.random.Generator) -> list[str]:
    pool = sorted(pool)
    if k > len(pool):
        raise ValueError(f"cannot pick {k} of {len(pool)}")
    return sorted(rng.choice(pool, size=k, replace=False).tolist())


def _respondents(design: pd.DataFrame, rng: np.random.Generator) -> dict[tuple[str, int], list]:
    eligible = design[
        (design["arm"] == "prospective")
        & (design["participation"] == "active")
        & design["conference"]
    ]
    rest = sorted(eligible.loc[eligible["restgroep"], "family_key"])
    others = sorted(eligible.loc[~eligible["restgroep"], "family_key"])
    sets: dict[tuple[str, int], list[str]] = {}
    for informant, (n_rest, n_other, n_again, n_new) in SELECTION.items():
        first = _pick(others, n_other, rng)
        sets[(informant, 1)] = sorted(_pick(rest, n_rest, rng) + first)
        later = _pick(first, n_again, rng) + _pick(
            [k for k in others if k not in first], n_new, rng
        )
        sets[(informant, 2)] = sorted(later)
    for cell, keys in sets.items():
        assert len(keys) == RETURNED[cell], cell
    return sets


# ======================================================================================
# Tests shared by the fit and the check


def _paired_t(a: np.ndarray, b: np.ndarray) -> tuple[float, float, int]:
    from scipy import stats

    ok = ~np.isnan(a) & ~np.isnan(b)
    if ok.sum() < 3:
        return float("nan"), 1.0, int(ok.sum())
    res = stats.ttest_rel(a[ok], b[ok])
    return float(res.statistic), float(res.pvalue), int(ok.sum())


def _wilcoxon(a: np.ndarray, b: np.ndarray) -> tuple[float, float, int]:
    """Signed-rank test on pairs with an ordinal judgement (codes 1-4) at both moments."""
    from scipy import stats

    ok = np.isin(a, [1, 2, 3, 4]) & np.isin(b, [1, 2, 3, 4])
    diff = b[ok] - a[ok]
    if (diff != 0).sum() < 1:
        return float("nan"), 1.0, int(ok.sum())
    res = stats.wilcoxon(a[ok], b[ok], zero_method="wilcox")
    return float(res.statistic), float(res.pvalue), int(ok.sum())


def _welch(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    from scipy import stats

    res = stats.ttest_ind(a[~np.isnan(a)], b[~np.isnan(b)], equal_var=False)
    return float(res.statistic), float(res.pvalue)


def _chi_square(a: dict[int, int], b: dict[int, int]) -> tuple[float, int, float]:
    from scipy import stats

    codes = sorted(set(a) | set(b))
    table = np.array([[a.get(c, 0) for c in codes], [b.get(c, 0) for c in codes]])
    table = table[:, table.sum(axis=0) > 0]
    chi2, p, df, _ = stats.chi2_contingency(table, correction=False)
    return float(chi2), int(df), float(p)


# ======================================================================================
# Building the questionnaires


def _ranked(values: np.ndarray, latent: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Index into `values` per respondent: higher latent + noise gets a higher value."""
    key = latent + rng.standard_normal(len(latent)) * 1.2
    out = np.empty(len(values), dtype=int)
    out[np.argsort(key, kind="stable")] = np.argsort(values, kind="stable")
    return out


def _assign(
    sets: dict[tuple[str, int], list[str]],
    unscorable: dict[tuple[str, int], list[str]],
    fitted: dict,
    marks: dict,
    rng: np.random.Generator,
) -> dict[tuple[str, int], dict[str, dict]]:
    """Per cell and family: scale scores (+ missing flags), marks, judgements; repeated
    until the published 'not significant' verdicts of the paired 3 vs 9 month tests hold."""
    for _attempt in range(5000):
        out = _assign_once(sets, unscorable, fitted, marks, rng)
        if out is not None and _verdicts_hold(out, sets):
            return out
    raise ValueError("could not assign SuccInt scores with the published verdicts")


def _assign_once(
    sets: dict[tuple[str, int], list[str]],
    unscorable: dict[tuple[str, int], list[str]],
    fitted: dict,
    marks: dict,
    rng: np.random.Generator,
) -> dict[tuple[str, int], dict[str, dict]] | None:
    out: dict[tuple[str, int], dict[str, dict]] = {}
    for informant in INFORMANTS:
        keys1, keys2 = sets[(informant, 1)], sets[(informant, 2)]
        latent1 = {k: float(rng.standard_normal()) for k in keys1}
        latent2 = {
            k: (
                LATENT_RHO * latent1[k] + math.sqrt(1 - LATENT_RHO**2) * rng.standard_normal()
                if k in latent1
                else float(rng.standard_normal())
            )
            for k in keys2
        }
        for m, latent in ((1, latent1), (2, latent2)):
            cell = (informant, m)
            rows: dict[str, dict] = {k: {} for k in sets[cell]}
            scored = [k for k in sets[cell] if k not in unscorable.get(cell, [])]
            lat = np.array([latent[k] for k in scored])
            for scale, (values, flags) in fitted[cell].items():
                for k, idx in zip(scored, _ranked(values, lat, rng), strict=True):
                    rows[k][scale] = (float(values[idx]), bool(flags[idx]))
            if informant == "referrer":
                n_marks = len(marks[m]["burden"])
                blank = _pick(sets[cell], len(sets[cell]) - n_marks, rng)
                given = [k for k in sets[cell] if k not in blank]
                lat_g = np.array([latent[k] for k in given])
                for k in blank:
                    rows[k]["burden"] = rows[k]["capacity"] = np.nan
                for mark, sign in (("burden", -1.0), ("capacity", 1.0)):
                    values = marks[m][mark].astype(float)
                    for k, idx in zip(given, _ranked(values, sign * lat_g, rng), strict=True):
                        rows[k][mark] = float(values[idx])
                balance = np.repeat(list(BALANCE[m]), list(BALANCE[m].values()))
                balance = [int(c) for c in rng.permutation(balance)]
                for k in blank:
                    # a referrer without marks had no view on the balance either
                    i, j = sets[cell].index(k), balance.index(9)
                    balance[i], balance[j] = balance[j], balance[i]
                for k, code in zip(sets[cell], balance, strict=True):
                    rows[k]["balance"] = code
            out[cell] = rows
        # living place: a child with a new place at 3 months still has one at 9 months
        first = LIVING_PLACE[(informant, 1)]
        codes1 = rng.permutation(np.repeat(list(first), list(first.values())))
        for k, code in zip(keys1, codes1, strict=True):
            out[(informant, 1)][k]["living"] = int(code)
        second = LIVING_PLACE[(informant, 2)]
        changed = [
            int(c) for c in rng.permutation([c for c, n in second.items() if c for _ in range(n)])
        ]
        forced = [k for k in keys2 if k in keys1 and out[(informant, 1)][k]["living"] != 0]
        if len(forced) > len(changed):
            return None
        rest = [k for k in rng.permutation(keys2).tolist() if k not in forced]
        for k, code in zip(forced + rest, changed + [0] * second[0], strict=True):
            out[(informant, 2)][k]["living"] = code
    return out


def _pairs(out: dict, sets: dict, informant: str, field: str) -> tuple[np.ndarray, np.ndarray]:
    both = [k for k in sets[(informant, 1)] if k in sets[(informant, 2)]]

    def get(m: int, k: str) -> float:
        value = out[(informant, m)][k].get(field, np.nan)
        return float(value[0] if isinstance(value, tuple) else value)

    return np.array([get(1, k) for k in both]), np.array([get(2, k) for k in both])


def _verdicts_hold(out: dict, sets: dict) -> bool:
    for informant in INFORMANTS:
        for scale in SCALES:
            if _paired_t(*_pairs(out, sets, informant, scale))[1] <= ALPHA + 0.02:
                return False
        if _wilcoxon(*_pairs(out, sets, informant, "living"))[1] <= ALPHA + 0.02:
            return False
    for field in ("burden", "capacity"):
        if _paired_t(*_pairs(out, sets, "referrer", field))[1] <= ALPHA + 0.02:
            return False
    return _wilcoxon(*_pairs(out, sets, "referrer", "balance"))[1] > ALPHA + 0.02


def _dates(
    design: pd.DataFrame, sets: dict, rng: np.random.Generator
) -> dict[tuple[str, int, str], dt.date]:
    conference = dict(zip(design["family_key"], design["conference_date"], strict=True))
    windows = {1: (80, 125), 2: (262, 305)}
    out = {}
    for (informant, m), keys in sets.items():
        low, high = windows[m]
        for k in keys:
            out[(informant, m, k)] = conference[k] + dt.timedelta(
                days=int(rng.integers(low, high + 1))
            )
    return out


def succint_frames(design: pd.DataFrame, rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    sets = _respondents(design, rng)
    unscorable = {cell: _pick(sets[cell], n, rng) for cell, n in UNSCORABLE.items()}
    fitted: dict[tuple[str, int], dict] = {}
    for cell, targets in SCALE_TARGETS.items():
        fitted[cell] = {}
        for scale, (n, mean, sd, low, high) in targets.items():
            columns, (_, item_high), _ = SCALES[scale]
            assert n == RETURNED[cell] - UNSCORABLE.get(cell, 0)
            fitted[cell][scale] = _fit_scale(
                n,
                mean,
                sd,
                low,
                high,
                n_items=len(columns),
                item_high=item_high,
                n_missing=ONE_MISSING[cell][scale],
                rng=rng,
            )
    marks = {
        m: {
            mark: integers_matching(n, mean, sd, low, high, rng=rng)
            for mark, (n, mean, sd, low, high) in targets.items()
        }
        for m, targets in MARK_TARGETS.items()
    }
    assigned = _assign(sets, unscorable, fitted, marks, rng)
    dates = _dates(design, sets, rng)
    function = {k: _draw(FUNCTION_P, rng) for k in sorted(design["family_key"])}
    relation = {k: _draw(RELATION_P, rng) for k in sorted(design["family_key"])}

    frames = {}
    for informant in INFORMANTS:
        rows = []
        for m in MOMENTS:
            cell = (informant, m)
            for k in sets[cell]:
                data = assigned[cell][k]
                row: dict[str, object] = {
                    "gezinsnr": k,
                    "meetmoment": m,
                    "invuldatum": dates[(informant, m, k)],
                }
                if informant == "referrer":
                    row["functie"] = function[k]
                else:
                    row["relatie"] = relation[k]
                if k in unscorable.get(cell, []):
                    row.update(_unscorable_answers(rng))
                else:
                    for scale, (columns, item_range, reverse) in SCALES.items():
                        score, missing = data[scale]
                        row.update(_item_answers(score, columns, item_range, reverse, missing, rng))
                living = data["living"]
                row["woonplek"] = 0 if living == 0 else 1
                row["woonplek_oordeel"] = np.nan if living == 0 else living
                if informant == "referrer":
                    row["rc_draaglast"] = data["burden"]
                    row["rc_draagkracht"] = data["capacity"]
                    row["verh_dkdl"] = data["balance"]
                rows.append(row)
        columns = REFERRER_COLUMNS if informant == "referrer" else INFORMANT_COLUMNS
        frame = pd.DataFrame(rows)[columns]
        frames[informant] = frame.sort_values(["meetmoment", "gezinsnr"]).reset_index(drop=True)
    return frames


def _draw(p: dict[int, float], rng: np.random.Generator) -> int:
    codes = list(p)
    return int(codes[int(rng.choice(len(codes), p=list(p.values())))])


# ======================================================================================
# Writing


def _labels() -> tuple[dict, dict]:
    value_labels: dict[str, dict] = {
        "meetmoment": MOMENT_LABELS,
        "functie": FUNCTION_LABELS,
        "relatie": RELATION_LABELS,
        "woonplek": LIVING_PLACE_LABELS,
        "woonplek_oordeel": LIVING_PLACE_JUDGEMENT_LABELS,
        "verh_dkdl": BALANCE_LABELS,
    }
    variable_labels = {
        "gezinsnr": "Gezinsnummer (casusnummer Eigen Kracht)",
        "meetmoment": "Meetmoment (na de Eigen Kracht-conferentie)",
        "invuldatum": "Datum van invullen",
        "functie": "Functie van de aanmelder",
        "relatie": "Relatie van de gezinsinformant tot het gezin",
        "woonplek": "Woont het kind sinds de conferentie op een nieuwe woonplek?",
        "woonplek_oordeel": "Oordeel over de nieuwe woonplek vergeleken met de oude",
        "rc_draaglast": "Rapportcijfer draaglast van het gezin (1-10)",
        "rc_draagkracht": "Rapportcijfer draagkracht van het gezin (1-10)",
        "verh_dkdl": "Verhouding draagkracht/draaglast sinds de conferentie",
    }
    for column, text in zip(SAFETY_ITEMS, SAFETY_TEXTS, strict=True):
        rev = column in SAFETY_REVERSED
        value_labels[column] = SAFETY_LABELS_REVERSED if rev else SAFETY_LABELS
        suffix = " (omgekeerd gescoord)" if rev else ""
        variable_labels[column] = f"Veiligheid/welzijn sinds de conferentie: {text}{suffix}"
    for column, text in zip(SUPPORT_ITEMS, SUPPORT_TEXTS, strict=True):
        suffix = " (omgekeerd gescoord)" if column in SUPPORT_REVERSED else ""
        value_labels[column] = SUPPORT_LABELS
        variable_labels[column] = f"Sociale steun sinds de conferentie: {text}{suffix}"
    for column, text in zip(CONTROL_ITEMS, CONTROL_TEXTS, strict=True):
        suffix = " (omgekeerd gescoord)" if column in CONTROL_REVERSED else ""
        value_labels[column] = CONTROL_LABELS
        variable_labels[column] = f"Regie sinds de conferentie: {text}{suffix}"
    return value_labels, variable_labels


def write(design: pd.DataFrame, rng: np.random.Generator, out: Path) -> list[Path]:
    frames = succint_frames(design, rng)
    value_labels, variable_labels = _labels()
    written = []
    for informant, frame in frames.items():
        path = out / FILES[informant]
        labels = {k: v for k, v in value_labels.items() if k in frame.columns}
        write_sav(frame, path, value_labels=labels, variable_labels=variable_labels)
        written.append(path)
    return written


# ======================================================================================
# check: recompute the published figures from the written files

OWN_TABLES = ("6.4", "6.5", "6.6", "7.4", "8.1", "8.2")
OWN_TEXT_VARIABLES = (
    "succint",
    "prospective_conferences_held",
    "safety_wellbeing",
    "social_support_score",
    "new_living_place",
    "control_score",
    "burden_mark",
    "capacity_mark",
    "capacity_burden_ratio_change",
)
LIVING_TABLE = {"referrer": "6.5", "family_informant": "6.6"}
RESPONSE_BASE_NOTE = (
    "base 52 = active prospective families in the register (deelname 'actief'), as in the "
    "report; 5 of them had no conference, so only 47 could return a SuccInt"
)
PUBLISHED_DEVIATIONS = {
    "yp:6.6:new_living_place_rating:not_applicable_unchanged:family_informant:3m:pct": (
        "12/19 = 63.2% rounds to 63; the report prints 62 (its column is forced to add up to 100)"
    ),
    "yp:6.6:new_living_place_rating:not_applicable_unchanged:family_informant:9m:pct": (
        "6/16 = 37.5% rounds (half up) to 38; the report prints 37 (column forced to 100)"
    ),
    "yp:8.2:capacity_burden_ratio_change:much_more_favourable:referrer:9m:pct": (
        "2/27 = 7.4% rounds to 7; the report prints 8 (column forced to 100)"
    ),
}


def _read(raw_dir: Path) -> dict[str, pd.DataFrame]:
    import pyreadstat

    frames = {}
    for informant, name in FILES.items():
        frame, _ = pyreadstat.read_sav(str(Path(raw_dir) / name), apply_value_formats=False)
        frames[informant] = frame
    return frames


def _scores(frame: pd.DataFrame, scale: str) -> np.ndarray:
    columns, (low, high), reverse = SCALES[scale]
    items = frame[columns].astype(float).copy()
    for column in reverse:
        items[column] = low + high - items[column]
    n_missing = items.isna().sum(axis=1)
    raw = items.mean(axis=1) * len(columns)
    return raw.where(n_missing <= MAX_MISSING_ITEMS).to_numpy(dtype=float)


def _rec(id_: str, value: object, method: str, note: str = "") -> dict:
    if isinstance(value, (np.floating, np.integer)):
        value = value.item()
    return {"id": id_, "value": value, "method": f"generator check: {method}", "note": note}


def _verdict(ps: list[float]) -> str:
    return "n.s." if all(p > ALPHA for p in ps) else "p<.05"


def check(raw_dir: Path) -> list[dict]:
    raw_dir = Path(raw_dir)
    frames = _read(raw_dir)
    recs: list[dict] = []
    by_cell = {
        (informant, m): frames[informant][frames[informant]["meetmoment"] == m].reset_index(
            drop=True
        )
        for informant in INFORMANTS
        for m in MOMENTS
    }
    who = {"referrer": "referrers", "family_informant": "family informants"}

    # --- scale tables 6.4, 7.4, 8.1 ---------------------------------------------------
    scores: dict[tuple[str, int, str], pd.Series] = {}
    for (informant, m), frame in by_cell.items():
        for scale, (table, variable) in SCALE_VARIABLES.items():
            values = _scores(frame, scale)
            scores[(informant, m, scale)] = pd.Series(values, index=frame["gezinsnr"])
            v = values[~np.isnan(values)]
            prefix = f"yp:{table}:{variable}:-:{informant}:{MOMENT_KEYS[m]}"
            method = (
                f"{SCALES[scale][0][0][:2]}_ items of {FILES[informant]}, meetmoment {m}: "
                "reverse-keyed items turned, prorated sum with at most one missing item"
            )
            note = ""
            if len(v) != len(values):
                note = (
                    f"{len(values) - len(v)} returned questionnaire(s) not scorable (>= 2 "
                    "missing items on every scale)"
                )
            recs += [
                _rec(f"{prefix}:n", int(len(v)), method + "; n scored", note),
                _rec(f"{prefix}:mean", float(v.mean()), method + "; mean"),
                _rec(f"{prefix}:sd", float(v.std(ddof=1)), method + "; sd (n-1)"),
                _rec(f"{prefix}:min", float(v.min()), method + "; minimum"),
                _rec(f"{prefix}:max", float(v.max()), method + "; maximum"),
            ]
    for scale, chapter in (("safety_wellbeing", "text6"), ("social_support", "text7")):
        columns, (_, high), _ = SCALES[scale]
        variable = SCALE_VARIABLES[scale][1]
        recs.append(
            _rec(
                f"yp:{chapter}:{variable}:-:-:-:scale_max",
                len(columns) * high,
                f"number of items ({len(columns)}) times the highest item code ({high})",
            )
        )

    # --- response text (chapters 6, 7, 8) ----------------------------------------------
    base = None
    register = raw_dir / "onderzoeksregister.csv"
    if register.exists():
        reg = pd.read_csv(register, sep=";", encoding="utf-8-sig", dtype=str)
        base = int((reg["deelname"] == "actief").sum())
        recs.append(
            _rec(
                "yp:text6:prospective_conferences_held:-:prospective:-:count",
                base,
                "onderzoeksregister.csv: families with deelname 'actief'",
                "the report calls these '52 prospective conferences that took place'; "
                + RESPONSE_BASE_NOTE,
            )
        )
    base = base or 52
    for chapter in ("text6", "text7", "text8"):
        for informant in INFORMANTS:
            for m in MOMENTS:
                n = int((~np.isnan(scores[(informant, m, "safety_wellbeing")].to_numpy())).sum())
                prefix = f"yp:{chapter}:succint_completed:-:{informant}:{MOMENT_KEYS[m]}"
                method = f"{FILES[informant]}, meetmoment {m}: questionnaires with scored scales"
                if m == 1 or chapter == "text8":
                    recs.append(_rec(f"{prefix}:count", n, method))
                recs.append(
                    _rec(
                        f"{prefix}:pct",
                        100 * n / base,
                        method + f", per cent of {base}",
                        RESPONSE_BASE_NOTE,
                    )
                )

    # --- scale tests --------------------------------------------------------------------
    chapters = {"safety_wellbeing": "text6", "social_support": "text7", "control": "text8"}
    for scale, chapter in chapters.items():
        variable = SCALE_VARIABLES[scale][1]
        for informant in INFORMANTS:
            a, b = scores[(informant, 1, scale)], scores[(informant, 2, scale)]
            both = a.index.intersection(b.index)
            t, p, n = _paired_t(a.loc[both].to_numpy(), b.loc[both].to_numpy())
            recs.append(
                _rec(
                    f"yp:{chapter}:{variable}:3m_vs_9m:{informant}:-:verdict",
                    _verdict([p]),
                    f"paired t-test 3 vs 9 months over {who[informant]} who scored both",
                    f"t({n - 1}) = {t:.2f}, p = {p:.3f}, {n} pairs",
                )
            )
        ps, notes = [], []
        for m in MOMENTS:
            t, p = _welch(
                scores[("referrer", m, scale)].to_numpy(),
                scores[("family_informant", m, scale)].to_numpy(),
            )
            ps.append(p)
            notes.append(f"{MOMENT_KEYS[m]}: t = {t:.2f}, p = {p:.3f}")
        recs.append(
            _rec(
                f"yp:{chapter}:{variable}:-:referrer_vs_family_informant:-:verdict",
                _verdict(ps),
                "Welch t-test referrers vs family informants at 3 and at 9 months",
                "; ".join(notes),
            )
        )

    # --- new living place: tables 6.5, 6.6 and their tests -------------------------------
    living: dict[tuple[str, int], pd.Series] = {}
    for (informant, m), frame in by_cell.items():
        code = frame["woonplek_oordeel"].where(frame["woonplek"] == 1, 0)
        living[(informant, m)] = pd.Series(code.to_numpy(dtype=float), index=frame["gezinsnr"])
        table = LIVING_TABLE[informant]
        prefix = f"yp:{table}:new_living_place_rating"
        n = len(frame)
        method = f"{FILES[informant]}, meetmoment {m}: woonplek / woonplek_oordeel"
        recs.append(
            _rec(
                f"{prefix}:-:{informant}:{MOMENT_KEYS[m]}:n",
                n,
                method + "; questionnaires returned",
                "one more than the scored scales: an informant who left the scale items "
                "blank did answer the living-place question"
                if informant == "family_informant"
                else "",
            )
        )
        for c, key in CATEGORY_KEYS.items():
            count = int((code == c).sum())
            cid = f"{prefix}:{key}:{informant}:{MOMENT_KEYS[m]}"
            recs.append(_rec(f"{cid}:count", count, method + f"; count of code {c}"))
            if count:
                recs.append(
                    _rec(
                        f"{cid}:pct",
                        100 * count / n,
                        method + f"; per cent of {n}",
                        PUBLISHED_DEVIATIONS.get(f"{cid}:pct", ""),
                    )
                )
    for informant in INFORMANTS:
        a, b = living[(informant, 1)], living[(informant, 2)]
        both = a.index.intersection(b.index)
        stat, p, n = _wilcoxon(a.loc[both].to_numpy(), b.loc[both].to_numpy())
        recs.append(
            _rec(
                f"yp:text6:new_living_place_rating:3m_vs_9m:{informant}:-:verdict",
                _verdict([p]),
                f"Wilcoxon signed-rank 3 vs 9 months over {who[informant]} who judged a new "
                "living place at both moments ('no view' left out)",
                f"W = {stat:.1f}, p = {p:.3f}, {n} pairs",
            )
        )
    for m in MOMENTS:
        dist = {
            informant: living[(informant, m)].value_counts().to_dict() for informant in INFORMANTS
        }
        chi2, df, p = _chi_square(dist["referrer"], dist["family_informant"])
        recs.append(
            _rec(
                f"yp:text6:new_living_place_rating:-:referrer_vs_family_informant:"
                f"{MOMENT_KEYS[m]}:verdict",
                _verdict([p]),
                "chi-square referrers vs family informants over the categories of tables "
                "6.5/6.6 (empty categories dropped)",
                f"chi2({df}) = {chi2:.2f}, p = {p:.3f}; expected counts partly < 5",
            )
        )

    # --- table 8.2 (referrers only) -------------------------------------------------------
    marks: dict[tuple[str, int], pd.Series] = {}
    balance: dict[int, pd.Series] = {}
    for m in MOMENTS:
        frame = by_cell[("referrer", m)]
        key = MOMENT_KEYS[m]
        recs.append(
            _rec(
                f"yp:8.2:-:-:referrer:{key}:n",
                len(frame),
                f"{FILES['referrer']}, meetmoment {m}: questionnaires returned",
                "the marks are blank in one questionnaire at 9 months: the mark means use n=26"
                if m == 2
                else "",
            )
        )
        for mark, column in (("burden_mark", "rc_draaglast"), ("capacity_mark", "rc_draagkracht")):
            values = frame[column].to_numpy(dtype=float)
            marks[(mark, m)] = pd.Series(values, index=frame["gezinsnr"])
            v = values[~np.isnan(values)]
            method = f"{column}, meetmoment {m}, n = {len(v)}"
            recs += [
                _rec(f"yp:8.2:{mark}:-:referrer:{key}:mean", float(v.mean()), method + "; mean"),
                _rec(f"yp:8.2:{mark}:-:referrer:{key}:sd", float(v.std(ddof=1)), method + "; sd"),
                _rec(f"yp:8.2:{mark}:-:referrer:{key}:min", float(v.min()), method + "; min"),
                _rec(f"yp:8.2:{mark}:-:referrer:{key}:max", float(v.max()), method + "; max"),
            ]
        codes = frame["verh_dkdl"]
        balance[m] = pd.Series(codes.to_numpy(dtype=float), index=frame["gezinsnr"])
        for c, name in BALANCE_KEYS.items():
            count = int((codes == c).sum())
            cid = f"yp:8.2:capacity_burden_ratio_change:{name}:referrer:{key}"
            method = f"verh_dkdl, meetmoment {m}"
            recs.append(_rec(f"{cid}:count", count, method + f"; count of code {c}"))
            recs.append(
                _rec(
                    f"{cid}:pct",
                    100 * count / len(frame),
                    method + f"; per cent of {len(frame)}",
                    PUBLISHED_DEVIATIONS.get(f"{cid}:pct", ""),
                )
            )
    for mark in ("burden_mark", "capacity_mark"):
        a, b = marks[(mark, 1)], marks[(mark, 2)]
        both = a.index.intersection(b.index)
        t, p, n = _paired_t(a.loc[both].to_numpy(), b.loc[both].to_numpy())
        recs.append(
            _rec(
                f"yp:text8:{mark}:3m_vs_9m:referrer:-:verdict",
                _verdict([p]),
                "paired t-test 3 vs 9 months over referrers who gave the mark at both moments",
                f"t({n - 1}) = {t:.2f}, p = {p:.3f}, {n} pairs",
            )
        )
    both = balance[1].index.intersection(balance[2].index)
    stat, p, n = _wilcoxon(balance[1].loc[both].to_numpy(), balance[2].loc[both].to_numpy())
    recs.append(
        _rec(
            "yp:text8:capacity_burden_ratio_change:3m_vs_9m:referrer:-:verdict",
            _verdict([p]),
            "Wilcoxon signed-rank 3 vs 9 months over referrers who judged the balance at both "
            "moments ('no view' left out)",
            f"W = {stat:.1f}, p = {p:.3f}, {n} pairs",
        )
    )
    for rec in recs:
        if rec["id"] in PUBLISHED_DEVIATIONS and not rec["note"]:
            rec["note"] = PUBLISHED_DEVIATIONS[rec["id"]]
    return recs
