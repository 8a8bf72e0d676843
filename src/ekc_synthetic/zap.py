"""ZAP-Kort: the case-file coding at the conference period and 3 and 9 months after it.

Targets: table 3.4 and its text (care concerns at the start), tables 6.1-6.3 and the tests
in the text of section 6.3 (change in care concerns by group), tables 9.1-9.4 and the text
of sections 9.2-9.3 (plan in the case file, ambulatory help, out-of-home placements).

Exports, one SPSS file per moment, one row per analysed case file (79 families):
`zap_kort_aanvang.sav`, `zap_kort_3mnd.sav`, `zap_kort_9mnd.sav`. Every analysed file is
looked at for every moment; `zp_info` says whether the care concerns could be scored
(1), the file had too little information (2) or the file holds no report covering that
period (3). The 'ingezette middelen' rubric and the presence of the plan are coded once,
at the last (9-month) coding, over the whole period since registration.

The group (conference / no conference) is not part of the coding: `check` links it from
the study's case register (`onderzoeksregister.csv`, written by the FREK module).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd

from ekc.core.report.numbers import round_half_up
from ekc_synthetic.fit import integers_matching
from ekc_synthetic.writers import write_sav

FILES = {0: "zap_kort_aanvang.sav", 1: "zap_kort_3mnd.sav", 2: "zap_kort_9mnd.sav"}
MOMENTS = {0: "start", 1: "3m", 2: "9m"}
MOMENT_LABELS = {0: "aanvang", 1: "3 maanden", 2: "9 maanden"}
OFFSET_DAYS = {0: 0, 1: 91, 2: 274}  # reference date of the coded period after the start

# The care-concern checklist of ZAP-Kort: one 0/1 item per concern, three domains. The
# weights are the relative chance that a concern is the one present in a family (not
# published; they only shape which items carry the domain counts).
ITEMS: dict[str, list[tuple[str, str, float]]] = {
    "child_functioning": [
        ("zp_k01", "emotionele problematiek (angst, somberheid)", 3.0),
        ("zp_k02", "ontwikkelingsachterstand", 1.5),
        ("zp_k03", "antisociaal gedrag", 2.5),
        ("zp_k04", "agressief gedrag", 2.0),
        ("zp_k05", "middelengebruik kind", 1.0),
        ("zp_k06", "psychiatrische problematiek kind", 1.0),
        ("zp_k07", "lichamelijke problemen of handicap kind", 0.7),
        ("zp_k08", "licht verstandelijke beperking", 1.0),
        ("zp_k09", "hechtingsproblematiek", 1.5),
        ("zp_k10", "weglopen", 1.0),
        ("zp_k11", "seksueel risicogedrag", 0.6),
        ("zp_k12", "delinquent gedrag / politiecontacten", 1.2),
    ],
    "family": [
        ("zp_g01", "gezinsconflicten", 3.0),
        ("zp_g02", "verwaarlozing", 2.0),
        ("zp_g03", "scheiding / echtscheidingsproblematiek", 2.0),
        ("zp_g04", "huiselijk geweld / mishandeling", 1.5),
        ("zp_g05", "pedagogisch onvermogen ouders", 2.5),
        ("zp_g06", "psychiatrische problematiek ouder", 1.2),
        ("zp_g07", "verslaving ouder", 1.2),
        ("zp_g08", "seksueel misbruik", 0.5),
    ],
    "environment": [
        ("zp_o01", "ontbreken familie- of sociaal netwerk", 2.5),
        ("zp_o02", "schoolproblematiek (verzuim, uitval)", 3.0),
        ("zp_o03", "omgang met risicovolle vrienden", 2.0),
        ("zp_o04", "financiële problemen", 1.5),
        ("zp_o05", "huisvestingsproblemen", 1.2),
        ("zp_o06", "werkloosheid ouders", 1.0),
        ("zp_o07", "criminaliteit in de omgeving", 0.6),
        ("zp_o08", "integratie- of verblijfsproblematiek", 0.8),
    ],
}
DOMAINS = list(ITEMS)
DOMAIN_LABELS = {
    "child_functioning": "kindfunctioneren",
    "family": "gezin/opvoedingsomgeving",
    "environment": "wijdere omgeving",
}
ITEM_COLUMNS = [name for items in ITEMS.values() for name, _, _ in items]
TABLE_OF_DOMAIN = {"child_functioning": "6.1", "family": "6.2", "environment": "6.3"}

# Tables 6.1-6.3 (table 3.4 repeats the start column of the total group):
# (domain, conference?, moment) -> n, mean, sd, min, max.
TARGETS: dict[tuple[str, bool, int], tuple[int, float, float, int, int]] = {
    ("child_functioning", True, 0): (61, 2.67, 1.93, 0, 8),
    ("child_functioning", True, 1): (37, 1.68, 1.89, 0, 7),
    ("child_functioning", True, 2): (42, 1.71, 1.84, 0, 5),
    ("child_functioning", False, 0): (15, 3.47, 2.26, 0, 9),
    ("child_functioning", False, 1): (11, 3.18, 2.44, 0, 6),
    ("child_functioning", False, 2): (12, 2.42, 2.19, 0, 6),
    ("family", True, 0): (61, 1.62, 1.00, 0, 5),
    ("family", True, 1): (37, 0.84, 0.90, 0, 3),
    ("family", True, 2): (42, 0.67, 0.79, 0, 3),
    ("family", False, 0): (15, 1.93, 1.44, 0, 5),
    ("family", False, 1): (11, 1.36, 1.43, 0, 4),
    ("family", False, 2): (12, 0.83, 0.94, 0, 3),
    ("environment", True, 0): (61, 1.54, 1.50, 0, 5),
    ("environment", True, 1): (37, 0.73, 1.04, 0, 4),  # printed 1.05: see SD_CONTRADICTION
    ("environment", True, 2): (42, 0.86, 1.14, 0, 4),
    ("environment", False, 0): (15, 1.40, 1.18, 0, 4),
    ("environment", False, 1): (11, 1.18, 1.08, 0, 3),
    ("environment", False, 2): (12, 0.92, 1.00, 0, 3),
}
TARGETS_ALL: dict[tuple[str, int], tuple[int, float, float, int, int]] = {
    ("child_functioning", 0): (76, 2.83, 2.01, 0, 9),
    ("child_functioning", 1): (48, 2.02, 2.10, 0, 7),
    ("child_functioning", 2): (54, 1.87, 1.92, 0, 6),
    ("family", 0): (76, 1.68, 1.10, 0, 5),
    ("family", 1): (48, 0.96, 1.05, 0, 4),
    ("family", 2): (54, 0.70, 0.82, 0, 3),
    ("environment", 0): (76, 1.51, 1.44, 0, 5),
    ("environment", 1): (48, 0.83, 1.06, 0, 4),
    ("environment", 2): (54, 0.87, 1.10, 0, 4),
}
# Table 6.3, conference at 3 months, prints sd 1.05 with n=37 and mean .73: the mean needs
# a sum of 27, and no 37 integers summing to 27 have an sd that rounds to 1.05 (their sum
# of squares is odd: 59 gives 1.04, 61 gives 1.07). 1.04 is also the one that gives the
# printed total-group sd of 1.06 (n=48); 1.07 would give 1.08.
SD_CONTRADICTION = {
    "yp:6.3:care_concerns_environment:-:conference:3m:sd": (
        "printed sd 1.05 is impossible for 37 integer counts with mean .73 (sum 27): "
        "reachable sds are 1.04 and 1.07; 1.04 is the one consistent with the printed "
        "'Totaal' sd 1.06 (n=48), so the data have 1.04"
    )
}
# Table 3.4, total care concerns at the start (n=76): mean 6.03, sd 3.14, range 1-14.
TOTAL_START = (76, 6.03, 3.14, 1, 14)
# Section 6.3: F(1,46) = 5.74, p = .021 for the total at 3 months by group.
F_3M = 5.74
UNSCORABLE = {True: 2, False: 1}  # 3 of the 79 files: too little information (63/16)
# Files scored at both 3 and 9 months (the overlap of the 48 and the 54; not published,
# a choice). All files scored later were also scored at the start.
SCORED_BOTH = {True: 28, False: 9}

ZP_INFO = {
    1: "voldoende informatie, zorgpunten gescoord",
    2: "onvoldoende informatie in dossier",
    3: "geen rapportage over deze periode in dossier",
}
PRESENT = {0: "niet aanwezig", 1: "aanwezig"}
CODERS = {1: "onderzoeksassistent 1", 2: "onderzoeksassistent 2", 3: "onderzoeksassistent 3"}

# Chapter 9 (n=79: 63 conference, 16 no conference).
PLAN_IN_FILE_LABELS = {
    1: "plan aanwezig",
    2: "geen plan, wel brief / aankondiging",
    3: "geen informatie over Eigen Kracht",
}
# Table 9.1 gives only the total (40/10/29); the split by group is a choice: a plan can only
# be in the file of a family whose conference made one.
PLAN_IN_FILE_COUNTS = {True: {1: 40, 2: 6, 3: 17}, False: {2: 4, 3: 12}}
AMBULATORY = {
    0: "geen ambulante hulp",
    1: "Families First",
    2: "licht ambulant gezin",
    3: "Intensief Ambulant Gezin (IAG)",
    4: "individuele therapie kind",
    5: "licht ambulant kind",
    6: "andere hulp",
}
AMBULATORY_COUNTS = {
    True: {0: 37, 1: 3, 2: 5, 3: 6, 4: 5, 5: 3, 6: 4},
    False: {0: 7, 1: 3, 2: 1, 3: 3, 5: 1, 6: 1},
}
PLACEMENT = {
    0: "geen uithuisplaatsing",
    1: "netwerkplaatsing",
    2: "pleegzorg",
    3: "crisisopvang kind",
    4: "residentieel 24-uurs opvang/behandeling",
    5: "deeltijd residentieel 24-uurs opvang",
    6: "dagbehandeling",
    7: "anders",
}
PLACEMENT_TIMING = {
    1: "voor de (aanmelding voor de) conferentie",
    2: "op de datum van de conferentie",
    3: "na de (aanmelding voor de) conferentie",
    9: "onbekend",
}
PLACEMENT_RUNNING = {0: "beëindigd", 1: "loopt nog"}
# Table 9.3 (type) crossed with the text of 9.3 (timing, running or ended) and table 9.4
# (type of the placements at or after the conference): (type, timing, running) -> families.
# One placement (one child) per placed family: the 39 children of the conference group
# equal its 39 placed families. The text accounts for 9 children in the no-conference
# group, table 9.3 for 11 placed families: the other 2 have an unknown timing here.
PLACEMENTS: dict[bool, dict[tuple[int, int, int | None], int]] = {
    True: {
        # at (2) or after (3) the conference: table 9.4 (10 network, 1 foster, 1 resid., 2 other)
        (1, 3, 1): 6,
        (1, 3, 0): 3,
        (1, 2, 1): 1,
        (2, 3, 1): 1,
        (4, 2, 0): 1,
        (7, 3, 0): 1,
        (7, 2, 0): 1,
        # before the conference: 18 (5 running, 13 ended)
        (1, 1, 1): 2,
        (1, 1, 0): 5,
        (2, 1, 0): 2,
        (3, 1, 0): 5,
        (4, 1, 1): 2,
        (5, 1, 1): 1,
        (6, 1, 0): 1,
        # timing unknown: 7 (running or ended not known either)
        (1, 9, None): 3,
        (3, 9, None): 3,
        (7, 9, None): 1,
    },
    False: {
        (4, 3, 1): 1,
        (4, 3, 0): 1,
        # before the registration: 7 (3 running, 4 ended)
        (1, 1, 1): 2,
        (1, 1, 0): 3,
        (3, 1, 0): 1,
        (4, 1, 1): 1,
        # not accounted for in the text of 9.3
        (1, 9, None): 1,
        (7, 9, None): 1,
    },
}
NO_PLACEMENT = {True: 24, False: 5}
# Mean duration of the ended placements, in whole months (text 9.3): 4.6 (n=19) and
# 7.4 (n=5). No sd or range is printed; these are choices.
DURATION = {True: (19, 4.6, 3.4, 1, 14), False: (5, 7.4, 4.2, 2, 13)}

# Item cells left empty by the coder in scored files (sysmis): (moment, count).
MISSING_ITEM_CELLS = {0: 4, 1: 2, 2: 2}

# ---------------------------------------------------------------------------------------
# statistics shared by the generator and the check


def _anova_f(values: np.ndarray, groups: np.ndarray) -> tuple[float, float]:
    """One-way analysis of variance of two groups: F(1, n-2) and its upper-tail p."""
    from scipy import stats

    a, b = values[groups], values[~groups]
    result = stats.f_oneway(a, b)
    return float(result.statistic), float(result.pvalue)


def _paired_p(before: np.ndarray, after: np.ndarray, alternative: str) -> float:
    from scipy import stats

    return float(stats.ttest_rel(before, after, alternative=alternative).pvalue)


def _rounds(value: float, target: float, decimals: int) -> bool:
    return math.isclose(round_half_up(float(value), decimals), target, abs_tol=10**-decimals / 100)


# ---------------------------------------------------------------------------------------
# care concerns


def _domain_samples(rng: np.random.Generator) -> dict[tuple[str, bool, int], np.ndarray]:
    """Integer counts per (domain, group, moment) matching tables 6.1-6.3 incl. 'Totaal'."""
    samples: dict[tuple[str, bool, int], np.ndarray] = {}
    for domain in DOMAINS:
        for moment in MOMENTS:
            n, mean, sd, low, high = TARGETS_ALL[(domain, moment)]
            for _ in range(500):
                parts = {}
                for conference in (True, False):
                    tn, tm, ts, tl, th = TARGETS[(domain, conference, moment)]
                    parts[conference] = integers_matching(tn, tm, ts, tl, th, rng=rng)
                both = np.concatenate([parts[True], parts[False]])
                if _rounds(both.mean(), mean, 2) and _rounds(both.std(ddof=1), sd, 2):
                    break
            else:
                raise ValueError(f"no samples for {domain} at moment {moment}")
            for conference in (True, False):
                samples[(domain, conference, moment)] = parts[conference]
    return samples


def _choose_scored(
    analysed: pd.DataFrame, rng: np.random.Generator
) -> tuple[dict[int, list[str]], list[str]]:
    """Which files are scored at each moment (keys in a stable order) and the unscorable."""
    scored: dict[int, list[str]] = {0: [], 1: [], 2: []}
    unscorable: list[str] = []
    for conference in (True, False):
        keys = analysed.loc[analysed["conference"] == conference, "family_key"].tolist()
        keys = [keys[i] for i in rng.permutation(len(keys))]
        bad, good = keys[: UNSCORABLE[conference]], keys[UNSCORABLE[conference] :]
        unscorable += bad
        n3 = TARGETS[("family", conference, 1)][0]
        n9 = TARGETS[("family", conference, 2)][0]
        both = SCORED_BOTH[conference]
        good = [good[i] for i in rng.permutation(len(good))]
        only3, only9 = n3 - both, n9 - both
        scored[0] += good
        scored[1] += good[: both + only3]
        scored[2] += good[:both] + good[both + only3 : both + only3 + only9]
    return {m: sorted(keys) for m, keys in scored.items()}, sorted(unscorable)


def _assign_counts(
    scored: dict[int, list[str]],
    conference: dict[str, bool],
    samples: dict[tuple[str, bool, int], np.ndarray],
    rng: np.random.Generator,
    iterations: int = 60_000,
) -> dict[int, pd.DataFrame]:
    """Give each scored file its three domain counts per moment.

    The counts of each (domain, group, moment) are fixed by the tables; only who gets which
    count is chosen, by random swaps that keep a swap when it brings the figures that depend
    on the pairing closer: the sd and range of the start total (table 3.4), F(1,46) at
    3 months, the printed test verdicts, and plausible positive correlations between
    domains and between moments.
    """
    keys = {m: np.array(scored[m]) for m in MOMENTS}
    groups = {m: np.array([conference[k] for k in keys[m]]) for m in MOMENTS}
    values = {(d, m): np.zeros(len(keys[m]), dtype=int) for d in DOMAINS for m in MOMENTS}
    # Start from a latent severity per family, so that domains and moments correlate.
    all_keys = sorted(set().union(*scored.values()))
    severity = dict(zip(all_keys, rng.standard_normal(len(all_keys)), strict=True))
    for d in DOMAINS:
        for m in MOMENTS:
            for g in (True, False):
                idx = np.flatnonzero(groups[m] == g)
                score = np.array([severity[k] for k in keys[m][idx]])
                score = score + rng.normal(0.0, 1.2, size=len(idx))
                values[(d, m)][idx[np.argsort(score)]] = np.sort(samples[(d, g, m)])
    pos = {m: {k: i for i, k in enumerate(keys[m])} for m in MOMENTS}
    pairs = {}
    for a, b in ((0, 1), (0, 2), (1, 2)):
        common = sorted(set(scored[a]) & set(scored[b]))
        pairs[(a, b)] = (
            np.array([pos[a][k] for k in common]),
            np.array([pos[b][k] for k in common]),
        )
    group_idx = {(m, g): np.flatnonzero(groups[m] == g) for m in MOMENTS for g in (True, False)}

    from scipy import stats

    # Critical values, so that the loop needs no p-values: a verdict 'not significant' is
    # kept with a margin (p >= .2).
    t_crit_12 = stats.t.ppf(0.9, len(pairs[(1, 2)][0]) - 1)
    f_crit = {m: stats.f.ppf(0.8, 1, len(keys[m]) - 2) for m in MOMENTS}
    n_total, _, sd_total, low, high = TOTAL_START

    # The statistics below are ratios of exact integer sums (Python ints), so every machine
    # computes the same floats: a BLAS dot product rounds differently per CPU, and a swap
    # kept or undone on a rounding difference changed the whole generated file.
    def anova_f(tot: np.ndarray, m: int) -> float:
        a, b = tot[group_idx[(m, True)]], tot[group_idx[(m, False)]]
        na, nb, n = len(a), len(b), len(tot)
        sa, sb, qa, qb = int(a.sum()), int(b.sum()), int((a * a).sum()), int((b * b).sum())
        between = sa * sa * nb * n + sb * sb * na * n - (sa + sb) ** 2 * na * nb
        within = (qa * na - sa * sa) * nb + (qb * nb - sb * sb) * na
        return between * (n - 2) / (within * n)

    def corr(x: np.ndarray, y: np.ndarray) -> float:
        n, sx, sy = len(x), int(x.sum()), int(y.sum())
        cov = n * int((x * y).sum()) - sx * sy
        norm = (n * int((x * x).sum()) - sx * sx) * (n * int((y * y).sum()) - sy * sy)
        return cov / math.sqrt(norm) if norm else 0.0

    def sd(x: np.ndarray) -> float:
        n, sx = len(x), int(x.sum())
        return math.sqrt((n * int((x * x).sum()) - sx * sx) / (n * (n - 1)))

    def band(value: float, low_: float, high_: float, scale: float) -> float:
        return (
            0.0
            if low_ <= value <= high_
            else (min(abs(value - low_), abs(value - high_)) / scale) ** 2
        )

    def cost() -> float:
        tot = {m: sum(values[(d, m)] for d in DOMAINS) for m in MOMENTS}
        c = 0.0
        s = sd(tot[0])
        if not _rounds(s, sd_total, 2):
            c += ((s - sd_total) / 0.005) ** 2
        c += 20 * np.sum(tot[0] < low) + 20 * max(0.0, tot[0].max() - high) ** 2
        c += 20 * (tot[0].max() < high)
        f = anova_f(tot[1], 1)
        if not _rounds(f, F_3M, 2):
            c += ((f - F_3M) / 0.005) ** 2
        for m in (0, 2):
            c += band(anova_f(tot[m], m), 0, f_crit[m], 0.5)
        # plausible stability of the total over time and overlap of the domains
        for (a, b), (lo, hi) in {
            (0, 1): (0.4, 0.6),
            (0, 2): (0.35, 0.55),
            (1, 2): (0.5, 0.7),
        }.items():
            ia, ib = pairs[(a, b)]
            c += band(corr(tot[a][ia], tot[b][ib]), lo, hi, 0.05)
        for m in (1, 2):
            for d1, d2 in (("child_functioning", "family"), ("family", "environment")):
                c += band(corr(values[(d1, m)], values[(d2, m)]), 0.15, 0.45, 0.05)
        ia, ib = pairs[(1, 2)]
        diff = tot[1][ia] - tot[2][ib]
        t = int(diff.sum()) / len(diff) / (sd(diff) / math.sqrt(len(diff)))
        c += band(abs(t), 0, t_crit_12, 0.2)
        return c

    current = cost()
    for _ in range(iterations):
        d = DOMAINS[int(rng.integers(len(DOMAINS)))]
        m = int(rng.integers(3))
        g = bool(rng.integers(2))
        idx = group_idx[(m, g)]
        i, j = rng.choice(idx, size=2, replace=False)
        arr = values[(d, m)]
        if arr[i] == arr[j]:
            continue
        arr[i], arr[j] = arr[j], arr[i]
        new = cost()
        if new <= current:
            current = new
        else:
            arr[i], arr[j] = arr[j], arr[i]
        if current == 0:
            break
    frames = {}
    for m in MOMENTS:
        frames[m] = pd.DataFrame(
            {"family_key": keys[m], **{d: values[(d, m)] for d in DOMAINS}}
        ).set_index("family_key")
    return frames


def _items_for(
    counts: pd.DataFrame, previous: pd.DataFrame | None, rng: np.random.Generator
) -> pd.DataFrame:
    """Tick `count` concerns per domain; a concern of the previous coding is more likely."""
    rows = {}
    for key, rec in counts.iterrows():
        row = {}
        for domain in DOMAINS:
            names = [name for name, _, _ in ITEMS[domain]]
            weights = np.array([w for _, _, w in ITEMS[domain]])
            if previous is not None and key in previous.index:
                weights = weights * np.where(previous.loc[key, names].to_numpy() == 1, 4.0, 1.0)
            chosen = set(
                rng.choice(
                    len(names), size=int(rec[domain]), replace=False, p=weights / weights.sum()
                )
            )
            row.update({name: int(i in chosen) for i, name in enumerate(names)})
        rows[key] = row
    return pd.DataFrame.from_dict(rows, orient="index")[ITEM_COLUMNS]


# ---------------------------------------------------------------------------------------
# chapter 9 variables


def _expand(counts: dict, rng: np.random.Generator) -> list:
    values = [k for k, n in counts.items() for _ in range(n)]
    return [values[i] for i in rng.permutation(len(values))]


def _resources(analysed: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Plan in the file, ambulatory help and the out-of-home placement, per analysed family."""
    result = pd.DataFrame(
        index=analysed["family_key"],
        columns=[
            "plan_dossier",
            "amb_hulp",
            "uhp_soort",
            "uhp_moment",
            "uhp_lopend",
            "uhp_duur_mnd",
        ],
        dtype=float,
    )
    for conference in (True, False):
        fam = analysed[analysed["conference"] == conference]
        keys = fam["family_key"].tolist()
        # plan present only where the conference made a plan
        plan = pd.Series(np.nan, index=keys)
        counts = dict(PLAN_IN_FILE_COUNTS[conference])
        with_plan = fam.loc[fam["status"] == "plan", "family_key"].tolist()
        chosen = set(rng.choice(with_plan, size=counts.pop(1, 0), replace=False))
        plan[list(chosen)] = 1
        rest = [k for k in keys if k not in chosen]
        plan[rest] = _expand(counts, rng)
        result.loc[keys, "plan_dossier"] = plan[keys].to_numpy()
        result.loc[keys, "amb_hulp"] = _expand(AMBULATORY_COUNTS[conference], rng)

        cells = dict(PLACEMENTS[conference])
        cells[(0, None, None)] = NO_PLACEMENT[conference]
        drawn = _expand(cells, rng)
        n, mean, sd, low, high = DURATION[conference]
        durations = list(
            integers_matching(n, mean, sd, low, high, decimals=1, sd_decimals=1, rng=rng)
        )
        # crisis care ends soonest: the shortest durations go to the ended crisis placements
        ended = [i for i, c in enumerate(drawn) if c[2] == 0]
        ended.sort(key=lambda i: (drawn[i][0] != 3, rng.random()))
        months: dict[int, int] = {}
        for i, value in zip(ended, durations, strict=True):
            months[i] = int(value)
        for i, (key, (kind, timing, running)) in enumerate(zip(keys, drawn, strict=True)):
            result.loc[key, "uhp_soort"] = kind
            result.loc[key, "uhp_moment"] = np.nan if timing is None else timing
            result.loc[key, "uhp_lopend"] = np.nan if running is None else running
            result.loc[key, "uhp_duur_mnd"] = months.get(i, np.nan)
    return result


# ---------------------------------------------------------------------------------------
# writing


def _reference_dates(analysed: pd.DataFrame) -> dict[str, dt.date]:
    """Start of the coded period: the conference date, or the registration date without one."""
    return {
        rec.family_key: rec.conference_date if rec.conference else rec.registration_date
        for rec in analysed.itertuples()
    }


def zap_frames(design: pd.DataFrame, rng: np.random.Generator) -> dict[int, pd.DataFrame]:
    analysed = design[design["dossier"] == "analysed"].reset_index(drop=True)
    conference = dict(zip(analysed["family_key"], analysed["conference"], strict=True))
    samples = _domain_samples(rng)
    scored, unscorable = _choose_scored(analysed, rng)
    for _ in range(20):
        counts = _assign_counts(scored, conference, samples, rng)
        if _assignment_ok(counts, conference):
            break
    else:
        raise ValueError("no assignment of care-concern counts reproduces the published tests")

    items: dict[int, pd.DataFrame] = {}
    previous = None
    for m in MOMENTS:
        items[m] = _items_for(counts[m], previous, rng)
        previous = (
            items[m]
            if previous is None
            else pd.concat([previous.drop(index=items[m].index, errors="ignore"), items[m]])
        )

    keys = analysed["family_key"].tolist()
    reference = _reference_dates(analysed)
    coder = dict(zip(keys, rng.integers(1, 4, size=len(keys)).tolist(), strict=True))
    arm = dict(zip(analysed["family_key"], analysed["arm"], strict=True))
    # Retrospective files were coded in one session after the 9-month period; prospective
    # files at each moment, one to three months after the coded period.
    retro_date = {
        k: reference[k] + dt.timedelta(days=OFFSET_DAYS[2] + int(rng.integers(30, 120)))
        for k in keys
    }
    frames = {}
    for m in MOMENTS:
        rows = []
        for key in keys:
            peil = reference[key] + dt.timedelta(days=OFFSET_DAYS[m])
            coded = (
                retro_date[key]
                if arm[key] == "retrospective"
                else peil + dt.timedelta(days=int(rng.integers(30, 90)))
            )
            if key in items[m].index:
                info = 1
            elif key in unscorable:
                info = 2
            else:
                info = 3
            row = {
                "gezinsnr": key,
                "meetmoment": m,
                "peildatum": peil,
                "codeerdatum": coded,
                "codeur": coder[key],
                "zp_info": info,
            }
            for column in ITEM_COLUMNS:
                row[column] = items[m].loc[key, column] if info == 1 else np.nan
            rows.append(row)
        frame = pd.DataFrame(rows)
        frame[["meetmoment", "codeur", "zp_info"]] = frame[
            ["meetmoment", "codeur", "zp_info"]
        ].astype("int64")
        frame[ITEM_COLUMNS] = frame[ITEM_COLUMNS].astype(float)
        # A few unticked boxes left empty instead of 0 (sysmis); scoring counts them as 0.
        zeros = [
            (i, c)
            for i in frame.index[frame["zp_info"] == 1]
            for c in ITEM_COLUMNS
            if frame.at[i, c] == 0
        ]
        for j in rng.choice(len(zeros), size=MISSING_ITEM_CELLS[m], replace=False):
            i, c = zeros[j]
            frame.at[i, c] = np.nan
        frames[m] = frame
    resources = _resources(analysed, rng)
    frames[2] = frames[2].join(resources, on="gezinsnr")
    return frames


def _assignment_ok(counts: dict[int, pd.DataFrame], conference: dict[str, bool]) -> bool:
    stats = _care_concern_tests(counts, conference)
    n, mean, sd, low, high = TOTAL_START
    tot0 = counts[0][DOMAINS].sum(axis=1)
    return (
        _rounds(tot0.std(ddof=1), sd, 2)
        and tot0.min() == low
        and tot0.max() == high
        and _rounds(stats["F_3m"], F_3M, 2)
        and stats["p_start_3m"] < 0.001
        and stats["p_start_9m"] < 0.001
        and stats["p_3m_9m"] >= 0.05
        and stats["p_group_start"] >= 0.05
        and stats["p_group_9m_one_sided"] >= 0.05
    )


def _care_concern_tests(counts: dict[int, pd.DataFrame], conference: dict[str, bool]) -> dict:
    """The tests of section 6.3 on the total care concerns (frames indexed by family)."""
    from scipy import stats

    tot = {m: counts[m][DOMAINS].sum(axis=1).astype(float) for m in counts}
    group = {m: np.array([conference[k] for k in tot[m].index]) for m in tot}
    result = {}
    for a, b, name, alternative in (
        (0, 1, "start_3m", "greater"),
        (0, 2, "start_9m", "greater"),
        (1, 2, "3m_9m", "two-sided"),
    ):
        common = tot[a].index.intersection(tot[b].index)
        result[f"n_{name}"] = len(common)
        result[f"p_{name}"] = _paired_p(
            tot[a][common].to_numpy(), tot[b][common].to_numpy(), alternative
        )
    for m, label in ((0, "start"), (1, "3m"), (2, "9m")):
        f, p = _anova_f(tot[m].to_numpy(), group[m])
        result[f"F_{label}"] = f
        result[f"p_group_{label}"] = p
        result[f"df2_{label}"] = len(tot[m]) - 2
        # one-sided: fewer concerns with a conference
        t = stats.ttest_ind(tot[m][group[m]], tot[m][~group[m]], alternative="less")
        result[f"p_group_{label}_one_sided"] = float(t.pvalue)
    return result


def _labels() -> tuple[dict, dict]:
    value_labels: dict[str, dict] = {
        "meetmoment": MOMENT_LABELS,
        "codeur": CODERS,
        "zp_info": ZP_INFO,
        "plan_dossier": PLAN_IN_FILE_LABELS,
        "amb_hulp": AMBULATORY,
        "uhp_soort": PLACEMENT,
        "uhp_moment": PLACEMENT_TIMING,
        "uhp_lopend": PLACEMENT_RUNNING,
    }
    variable_labels = {
        "gezinsnr": "Gezinsnummer (casusnummer Eigen Kracht)",
        "meetmoment": "Meetmoment van de dossieranalyse",
        "peildatum": "Begin van de gecodeerde periode (conferentie- of aanmelddatum + 0/3/9 mnd)",
        "codeerdatum": "Datum van codering",
        "codeur": "Codeur",
        "zp_info": "Zorgpunten te scoren op basis van het dossier",
        "plan_dossier": "Plan van de conferentie aanwezig in het dossier",
        "amb_hulp": "Ambulante hulp ingezet na (aanmelding voor) de conferentie",
        "uhp_soort": "Soort uithuisplaatsing",
        "uhp_moment": "Moment van uithuisplaatsing",
        "uhp_lopend": "Uithuisplaatsing loopt nog",
        "uhp_duur_mnd": "Duur beëindigde uithuisplaatsing (maanden)",
    }
    for domain, items in ITEMS.items():
        for name, label, _ in items:
            value_labels[name] = PRESENT
            variable_labels[name] = f"Zorgpunt {DOMAIN_LABELS[domain]}: {label}"
    return value_labels, variable_labels


def write(design: pd.DataFrame, rng: np.random.Generator, out: Path) -> list[Path]:
    frames = zap_frames(design, rng)
    value_labels, variable_labels = _labels()
    written = []
    for m, frame in frames.items():
        path = out / FILES[m]
        labels = {k: v for k, v in value_labels.items() if k in frame.columns}
        write_sav(frame, path, value_labels=labels, variable_labels=variable_labels)
        written.append(path)
    return written


# ---------------------------------------------------------------------------------------
# check: recompute the published figures from the written files


def _record(id_: str, value: object, method: str, note: str = "") -> dict:
    return {"id": id_, "value": value, "method": f"generator check: {method}", "note": note}


def _read(raw_dir: Path) -> tuple[dict[int, pd.DataFrame], dict[str, bool]]:
    import pyreadstat

    frames = {}
    for m, name in FILES.items():
        frame, _ = pyreadstat.read_sav(str(raw_dir / name))
        frames[m] = frame
    register = pd.read_csv(
        raw_dir / "onderzoeksregister.csv", sep=";", encoding="utf-8-sig", dtype=str
    )
    conference = dict(zip(register["gezinsnummer"], register["conferentie"] == "ja", strict=True))
    return frames, conference


def _domain_counts(frame: pd.DataFrame) -> pd.DataFrame:
    scored = frame[frame["zp_info"] == 1].set_index("gezinsnr")
    result = pd.DataFrame(index=scored.index)
    for domain, items in ITEMS.items():
        result[domain] = scored[[name for name, _, _ in items]].fillna(0).sum(axis=1)
    return result


def _describe(values: pd.Series) -> dict[str, float]:
    return {
        "n": float(len(values)),
        "mean": float(values.mean()),
        "sd": float(values.std(ddof=1)),
        "min": float(values.min()),
        "max": float(values.max()),
    }


def _pct(count: int, total: int) -> float:
    return 100 * count / total


def check(raw_dir: Path) -> list[dict]:
    frames, conference = _read(Path(raw_dir))
    counts = {m: _domain_counts(frames[m]) for m in MOMENTS}
    records: list[dict] = []
    how = "domain count = number of ticked concerns (empty item = 0) in files with zp_info = 1"

    # Tables 6.1-6.3 and 3.4
    for m, moment in MOMENTS.items():
        c = counts[m]
        group = pd.Series([conference[k] for k in c.index], index=c.index)
        for domain in DOMAINS:
            for label, mask in (
                ("conference", group),
                ("no_conference", ~group),
                ("all", pd.Series(True, index=c.index)),
            ):
                stats = _describe(c.loc[mask, domain])
                for stat, value in stats.items():
                    table = TABLE_OF_DOMAIN[domain]
                    id_ = f"yp:{table}:care_concerns_{domain}:-:{label}:{moment}:{stat}"
                    records.append(
                        _record(
                            id_,
                            value,
                            f"{how}; {stat} over {label} at {moment}",
                            SD_CONTRADICTION.get(id_, ""),
                        )
                    )
                    if m == 0 and label == "all":
                        records.append(
                            _record(
                                f"yp:3.4:care_concerns_{domain}:-:all:start:{stat}",
                                value,
                                f"{how}; {stat} over all scored start files",
                            )
                        )
    total0 = counts[0][DOMAINS].sum(axis=1)
    for stat, value in _describe(total0).items():
        records.append(
            _record(
                f"yp:3.4:care_concerns_total:-:all:start:{stat}",
                value,
                f"total = sum of the three domain counts; {stat} over all scored start files",
            )
        )

    records.append(
        _record("yp:3.4:sample:-:all:start:n", float(len(total0)), "files with zp_info = 1")
    )

    # Text of 3.2.1 and 6.3
    analysed = frames[0]["gezinsnr"].nunique()
    unscorable = int((frames[0]["zp_info"] == 2).sum())
    records += [
        _record("yp:text3:case_file_analysis:-:all:-:count", float(analysed), "rows per file"),
        _record(
            "yp:text3:case_file_analysis:-:all:-:n",
            float(len(conference)),
            "families in the case register",
        ),
        _record(
            "yp:text3:case_file_unscorable:-:all:-:count",
            float(unscorable),
            "start files with zp_info = 2 (too little information)",
        ),
        _record("yp:text3:case_file_unscorable:-:all:-:n", float(analysed), "rows per file"),
        _record("yp:text6:case_file_analysis:-:all:-:count", float(analysed), "rows per file"),
        _record(
            "yp:text6:case_file_analysis:-:all:-:n",
            float(len(conference)),
            "families in the case register",
        ),
        _record(
            "yp:text6:case_file_analysis:-:all:-:pct",
            _pct(analysed, len(conference)),
            "analysed files / families in the register",
        ),
    ]
    tests = _care_concern_tests(counts, conference)
    verdict = "one-sided paired t-test on the total (sum of the domains), families scored at"
    records += [
        _record(
            "yp:text6:care_concerns_total:start_vs_3m:all:-:verdict",
            "p<.001" if tests["p_start_3m"] < 0.001 else f"p={tests['p_start_3m']:.3f}",
            f"{verdict} both moments (n={tests['n_start_3m']}), p={tests['p_start_3m']:.2g}",
        ),
        _record(
            "yp:text6:care_concerns_total:start_vs_9m:all:-:verdict",
            "p<.001" if tests["p_start_9m"] < 0.001 else f"p={tests['p_start_9m']:.3f}",
            f"{verdict} both moments (n={tests['n_start_9m']}), p={tests['p_start_9m']:.2g}",
        ),
        _record(
            "yp:text6:care_concerns_total:3m_vs_9m:all:-:verdict",
            "n.s." if tests["p_3m_9m"] >= 0.05 else "p<.05",
            f"two-sided paired t-test, families scored at 3 and 9 months "
            f"(n={tests['n_3m_9m']}), p={tests['p_3m_9m']:.3f}",
        ),
    ]
    for moment in ("start", "9m"):
        p2, p1 = tests[f"p_group_{moment}"], tests[f"p_group_{moment}_one_sided"]
        records.append(
            _record(
                f"yp:text6:care_concerns_total:-:conference_vs_no_conference:{moment}:verdict",
                "n.s." if min(p2, p1) >= 0.05 else "p<.05",
                f"one-way ANOVA of the total by group: F(1,{tests[f'df2_{moment}']})="
                f"{tests[f'F_{moment}']:.2f}, p={p2:.3f} (one-sided t-test p={p1:.3f})",
            )
        )
    records.append(
        _record(
            "yp:text3:care_concerns_total:-:conference_vs_no_conference:start:verdict",
            "n.s."
            if min(tests["p_group_start"], tests["p_group_start_one_sided"]) >= 0.05
            else "p<.05",
            f"one-way ANOVA of the start total by group: F(1,{tests['df2_start']})="
            f"{tests['F_start']:.2f}, p={tests['p_group_start']:.3f}",
        )
    )
    anova = "one-way ANOVA of the total at 3 months by group (scipy f_oneway)"
    key = "yp:text6:care_concerns_total:-:conference_vs_no_conference:3m"
    records += [
        _record(f"{key}:F", tests["F_3m"], anova),
        _record(f"{key}:df1", 1.0, anova),
        _record(f"{key}:df2", float(tests["df2_3m"]), anova),
        _record(f"{key}:p", tests["p_group_3m"], f"{anova}, upper tail"),
    ]
    records += _check_chapter9(frames[2], conference)
    return records


PLAN_IDS = {1: "plan_present", 2: "letter_or_announcement_only", 3: "no_ekc_information"}
AMBULATORY_IDS = {
    0: "none",
    1: "families_first",
    2: "light_ambulatory_family",
    3: "intensive_ambulatory_family",
    4: "individual_therapy_child",
    5: "light_ambulatory_child",
    6: "other_help",
}
PLACEMENT_IDS = {
    0: "none",
    1: "network_placement",
    2: "foster_care",
    3: "crisis_care_child",
    4: "residential_24h",
    5: "part_time_residential_24h",
    6: "day_treatment",
    7: "other",
}
PLACEMENT_TYPE_ROWS = (1, 2, 4, 7)  # the rows of table 9.4
TIMING_IDS = {1: "before", 2: "on_date", 3: "after", 9: "unknown_timing"}
# Percentages the report prints although the counts give another value.
PCT_NOTES = {
    "yp:9.1:plan_in_file:no_ekc_information:all:-:pct": (
        "29/79 = 36.7%, printed 36 (column forced to add up to 100)"
    ),
    "yp:9.2:ambulatory_help:intensive_ambulatory_family:conference:-:pct": (
        "6/63 = 9.5%, printed 9 (column forced to add up to 100)"
    ),
    "yp:9.3:out_of_home_placement:foster_care:conference:-:pct": (
        "3/63 = 4.8%, printed 4 while the other rows with 3 families print 5"
    ),
    "yp:9.3:out_of_home_placement:network_placement:no_conference:-:pct": (
        "6/16 = 37.5%, printed 37 (half rounded down; column adds up to 99)"
    ),
    "yp:9.4:placement_type:other:conference:-:pct": (
        "2/14 = 14.3%, printed 15 (column forced to add up to 100)"
    ),
    "yp:text9:plan_in_file:plan_present:all:-:pct": (
        "printed in words 'ongeveer in de helft'; table 9.1 gives 40/79 = 51%"
    ),
    "yp:text9:out_of_home_placement:any:conference:-:pct": (
        "printed in words 'ongeveer tweederde' for both groups; table 9.3 gives 39/63 = 62%"
    ),
    "yp:text9:out_of_home_placement:any:no_conference:-:pct": (
        "printed in words 'ongeveer tweederde' for both groups; table 9.3 gives 11/16 = 69%"
    ),
}

# Published figures the data do not reproduce, each explained in its check note.
KNOWN_DEVIATIONS = set(SD_CONTRADICTION) | set(PCT_NOTES)


def _pct_value(count: int, total: int) -> float | str:
    pct = _pct(count, total)
    return "<2" if 0 < pct < 2 else pct


def _count_and_pct(prefix: str, count: int, total: int, method: str) -> list[dict]:
    """A table cell: its count and, when the report prints one (count > 0), its percentage."""
    records = [_record(f"{prefix}:count", float(count), method)]
    if count > 0:
        id_ = f"{prefix}:pct"
        records.append(
            _record(id_, _pct_value(count, total), f"{method} / n", PCT_NOTES.get(id_, ""))
        )
    return records


def _check_chapter9(frame: pd.DataFrame, conference: dict[str, bool]) -> list[dict]:
    from scipy import stats

    records: list[dict] = []
    frame = frame.copy()
    frame["conf"] = frame["gezinsnr"].map(conference)
    n_all = len(frame)

    records.append(
        _record("yp:9.1:plan_in_file:-:all:-:n", float(n_all), "rows of the 9-month file")
    )
    for code, cat in PLAN_IDS.items():
        count = int((frame["plan_dossier"] == code).sum())
        records += _count_and_pct(
            f"yp:9.1:plan_in_file:{cat}:all:-", count, n_all, f"plan_dossier = {code}"
        )
    id_ = "yp:text9:plan_in_file:plan_present:all:-:pct"
    records.append(
        _record(
            id_,
            _pct(int((frame["plan_dossier"] == 1).sum()), n_all),
            "plan_dossier = 1 / 79",
            PCT_NOTES[id_],
        )
    )

    groups = {"conference": frame["conf"], "no_conference": ~frame["conf"]}
    records.append(_record("yp:9.2:ambulatory_help:-:all:-:n", float(n_all), "rows"))
    for label, mask in groups.items():
        sub = frame[mask]
        n = len(sub)
        records.append(
            _record(f"yp:9.2:ambulatory_help:-:{label}:-:n", float(n), "rows of the group")
        )
        for code, cat in AMBULATORY_IDS.items():
            count = int((sub["amb_hulp"] == code).sum())
            records += _count_and_pct(
                f"yp:9.2:ambulatory_help:{cat}:{label}:-", count, n, f"amb_hulp = {code}"
            )
    table = pd.crosstab(frame["conf"], frame["amb_hulp"] > 0)
    chi2, p, _, _ = stats.chi2_contingency(table.to_numpy(), correction=False)
    records.append(
        _record(
            "yp:text9:ambulatory_help:any:conference_vs_no_conference:-:verdict",
            "n.s." if p >= 0.05 else "p<.05",
            f"chi-square, any ambulatory help (amb_hulp > 0) by group, 2x2 without continuity "
            f"correction: chi2(1)={chi2:.2f}, p={p:.3f} (one-sided p={p / 2:.3f})",
        )
    )

    for label, mask in groups.items():
        sub = frame[mask]
        n = len(sub)
        records.append(
            _record(f"yp:9.3:out_of_home_placement:-:{label}:-:n", float(n), "rows of the group")
        )
        for code, cat in PLACEMENT_IDS.items():
            count = int((sub["uhp_soort"] == code).sum())
            records += _count_and_pct(
                f"yp:9.3:out_of_home_placement:{cat}:{label}:-", count, n, f"uhp_soort = {code}"
            )
        placed = int((sub["uhp_soort"] > 0).sum())
        id_ = f"yp:text9:out_of_home_placement:any:{label}:-:pct"
        records.append(_record(id_, _pct(placed, n), "uhp_soort > 0 / n", PCT_NOTES[id_]))

        after = sub[sub["uhp_moment"].isin([2, 3])]
        records.append(
            _record(
                f"yp:9.4:placement_type:-:{label}:-:n",
                float(len(after)),
                "placements on the conference date (uhp_moment 2) or after it (3)",
            )
        )
        for code in PLACEMENT_TYPE_ROWS:
            count = int((after["uhp_soort"] == code).sum())
            records += _count_and_pct(
                f"yp:9.4:placement_type:{PLACEMENT_IDS[code]}:{label}:-",
                count,
                len(after),
                f"uhp_soort = {code} among uhp_moment 2 or 3",
            )

        records.append(
            _record(
                f"yp:text9:placed_children:-:{label}:-:n",
                float(n),
                "families of the group (one placed child per placed family)",
            )
        )
        for code, cat in TIMING_IDS.items():
            part = sub[sub["uhp_moment"] == code]
            if code == 9:
                if label == "conference":  # the text names no unknown timing without one
                    records.append(
                        _record(
                            f"yp:text9:placed_children:{cat}:{label}:-:count",
                            float(len(part)),
                            f"uhp_moment = {code}",
                        )
                    )
                continue
            if label == "no_conference" and code == 2:
                continue  # no placement on the date of a conference that did not take place
            records.append(
                _record(
                    f"yp:text9:placed_children:{cat}:{label}:-:count",
                    float(len(part)),
                    f"uhp_moment = {code}",
                )
            )
            for run, name in ((1, "ongoing"), (0, "ended")):
                records.append(
                    _record(
                        f"yp:text9:placed_children:{cat}_{name}:{label}:-:count",
                        float((part["uhp_lopend"] == run).sum()),
                        f"uhp_moment = {code} and uhp_lopend = {run}",
                    )
                )
        ended = sub["uhp_duur_mnd"].dropna()
        records += [
            _record(
                f"yp:text9:placement_duration_months:ended:{label}:-:n",
                float(len(ended)),
                "ended placements (uhp_lopend = 0) with a duration",
            ),
            _record(
                f"yp:text9:placement_duration_months:ended:{label}:-:mean",
                float(ended.mean()),
                "mean uhp_duur_mnd of the ended placements",
            ),
        ]
    return records
