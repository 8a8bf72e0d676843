"""The 113 families of the youth-protection study: who they are in the design.

Counts come from chapters 2 and 3 of the report (see `docs/reconstruction.md`). Where the
report gives a total but not its split (retrospective/prospective by conference status,
region), the split here is a documented choice, not a published figure.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

# (arm, status, participation, restgroep) -> number of families.
# status: plan = conference with plan, no_plan, plan_unknown, no_conference.
# participation (prospective only): active, refused (no consent at all), withdrawn.
DESIGN_CELLS: list[tuple[str, str, str, bool, int]] = [
    ("retrospective", "plan", "-", False, 36),
    ("retrospective", "no_plan", "-", False, 1),
    ("retrospective", "plan_unknown", "-", False, 1),
    ("retrospective", "no_conference", "-", False, 12),
    # prospective, registered in 2006 (48 families)
    ("prospective", "plan", "active", False, 35),
    ("prospective", "plan", "refused", False, 1),
    ("prospective", "plan", "withdrawn", False, 3),
    ("prospective", "no_plan", "refused", False, 1),
    ("prospective", "no_conference", "active", False, 3),
    ("prospective", "no_conference", "withdrawn", False, 5),
    # the restgroep: 15 late registrations, no 9-month follow-up, no case-file analysis
    ("prospective", "plan", "active", True, 11),
    ("prospective", "plan_unknown", "active", True, 1),
    ("prospective", "no_conference", "active", True, 2),
    ("prospective", "no_conference", "withdrawn", True, 1),
]

# Why 34 case files were not analysed (section 2.5): 15 restgroep plus these 19.
DOSSIER_MISSING = {
    "not_accessible": 13,
    "not_traceable": 3,
    "archived": 1,
    "transferred": 2,
}
# Of the 19 non-restgroep families without case-file analysis: 15 conference, 4 not.
DOSSIER_MISSING_BY_CONFERENCE = {True: 15, False: 4}
# FREK missing for 5 families: 3 conference, 2 no conference (tables 3.1 and 3.3).
FREK_MISSING_BY_CONFERENCE = {True: 3, False: 2}
REGIONS = ("Amsterdam", "Overijssel")
N_INTERVIEWED = 10


def _random_date(rng: np.random.Generator, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=int(rng.integers(0, (end - start).days + 1)))


def design_frame(rng: np.random.Generator) -> pd.DataFrame:
    """One row per family with its design attributes, in a stable order."""
    rows = []
    for arm, status, participation, restgroep, count in DESIGN_CELLS:
        rows += [
            {"arm": arm, "status": status, "participation": participation, "restgroep": restgroep}
        ] * count
    frame = pd.DataFrame(rows)
    frame = frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)
    frame["conference"] = frame["status"] != "no_conference"

    dates = []
    for rec in frame.itertuples():
        if rec.arm == "retrospective":
            dates.append(_random_date(rng, dt.date(2005, 1, 10), dt.date(2005, 12, 20)))
        elif rec.restgroep:
            dates.append(_random_date(rng, dt.date(2007, 1, 8), dt.date(2007, 3, 30)))
        else:
            dates.append(_random_date(rng, dt.date(2006, 1, 9), dt.date(2006, 12, 15)))
    frame["registration_date"] = dates
    frame = frame.sort_values(["registration_date"], kind="stable").reset_index(drop=True)

    counters: dict[int, int] = {}
    ids = []
    for date in frame["registration_date"]:
        counters[date.year] = counters.get(date.year, 0) + 1
        ids.append(f"EK{date.year % 100:02d}-{counters[date.year]:03d}")
    frame.insert(0, "family_key", ids)
    frame["region"] = [REGIONS[i] for i in rng.integers(0, 2, size=len(frame))]
    frame["conference_date"] = [
        d + dt.timedelta(days=int(rng.integers(21, 70))) if c else None
        for d, c in zip(frame["registration_date"], frame["conference"], strict=True)
    ]

    frame["dossier"] = "analysed"
    frame.loc[frame["restgroep"], "dossier"] = "restgroep"
    reasons = [r for r, k in DOSSIER_MISSING.items() for _ in range(k)]
    rng.shuffle(reasons)
    chosen = []
    for conference, k in DOSSIER_MISSING_BY_CONFERENCE.items():
        pool = frame.index[(frame["conference"] == conference) & ~frame["restgroep"]]
        chosen += list(rng.choice(pool, size=k, replace=False))
    frame.loc[sorted(chosen), "dossier"] = reasons

    frame["has_frek"] = True
    for conference, k in FREK_MISSING_BY_CONFERENCE.items():
        pool = frame.index[frame["conference"] == conference]
        frame.loc[rng.choice(pool, size=k, replace=False), "has_frek"] = False

    # The 10 EKc cases of the qualitative interviews: prospective, conference with plan,
    # active participants, not in the restgroep, with a registration form (section 2.5).
    frame["interviewed"] = False
    pool = frame.index[
        (frame["arm"] == "prospective")
        & (frame["status"] == "plan")
        & (frame["participation"] == "active")
        & ~frame["restgroep"]
        & frame["has_frek"]
        & (frame["dossier"] == "analysed")
    ]
    frame.loc[rng.choice(pool, size=N_INTERVIEWED, replace=False), "interviewed"] = True
    return frame
