"""FREK registration export (families and children) and the study's case register.

Targets: tables 3.1-3.3 and the running text of section 3.2 of the youth-protection report.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from ekc.generate.writers import write_dutch_csv, write_excel

# Number of children the conference is about, per family with a FREK (table 3.1).
N_CHILDREN = {True: {1: 50, 2: 26, 3: 9, 4: 2}, False: {1: 13, 2: 6, 3: 2}}
# Child records beyond `Aantal kinderen` (table 3.1 counts 139 and 33 children, the
# family counts imply 137 and 31): kept as a disagreement the linkage report shows.
EXTRA_CHILD_RECORDS = {True: 2, False: 2}

CHILD_MARGINS = {
    True: {
        "sex": {"jongen": 62, "meisje": 75, None: 2},
        "age": {"unborn": 1, "0-4": 25, "5-12": 50, "13-18": 60, "19-25": 1, None: 2},
        "ethnicity": {"autochtoon": 49, "allochtoon": 76, None: 14},
        "residence": {
            "thuis": 59,
            "netwerkgezin": 32,
            "bestandgezin": 11,
            "groep": 19,
            "anders": 6,
            None: 12,
        },
    },
    False: {
        "sex": {"jongen": 16, "meisje": 15, None: 2},
        # The printed block adds up to 34 for 33 children; one 'unknown' is left out here.
        "age": {"0-4": 3, "5-12": 14, "13-18": 14, None: 2},
        "ethnicity": {"autochtoon": 20, "allochtoon": 10, None: 3},
        "residence": {
            "thuis": 12,
            "netwerkgezin": 7,
            "bestandgezin": 1,
            "groep": 5,
            "anders": 5,
            None: 3,
        },
    },
}
AGE_RANGES = {"0-4": (0, 4), "5-12": (5, 12), "13-18": (13, 18), "19-25": (19, 25)}

# Problem types ticked on the FREK: the five named in table 3.2, 'diverse', and five others
# (not printed; their counts make up the 174 mentions implied by table 3.3).
PROBLEM_COLUMNS = {
    "Gedragsproblemen kind": 29,
    "Dood/ziekte ouders": 18,
    "Psychiatrische problemen ouders": 13,
    "Verslaving ouders": 13,
    "Huiselijk geweld": 12,
    "Diverse problematiek": 38,
    "Opvoedingsproblemen": 11,
    "Relatieproblemen ouders": 11,
    "Verwaarlozing": 10,
    "Financiele problemen": 10,
    "Huisvesting": 9,
}
# Number of problem types per family (table 3.3; 46% with two or more, text 3.2).
N_PROBLEMS = {True: {1: 42, 2: 34, 3: 8, 4: 2, 5: 1}, False: {1: 16, 2: 4, 3: 1}}

REFERRER_AGENCIES = {
    "Bureau Jeugdzorg": 78,
    "Raad voor de Kinderbescherming": 3,
    "Andere instantie": 17,
    "Combinatie van instanties": 3,
    None: 7,
}

YES_NO = {True: "ja", False: "nee"}
PLAN = {"plan": "ja", "no_plan": "nee", "plan_unknown": "onbekend", "no_conference": None}


def _expand(counts: dict, rng: np.random.Generator) -> list:
    values = [k for k, n in counts.items() for _ in range(n)]
    return [values[i] for i in rng.permutation(len(values))]


def _assign_problems(n_problems: list[int], rng: np.random.Generator) -> list[set[str]]:
    """Give each family k distinct problem types so that every type's total is met.

    Greedy by largest remaining total (a realisation of the bipartite degree sequence);
    ties broken at random so that patterns vary.
    """
    remaining = dict(PROBLEM_COLUMNS)
    order = sorted(range(len(n_problems)), key=lambda i: (-n_problems[i], rng.random()))
    chosen: list[set[str]] = [set() for _ in n_problems]
    for i in order:
        ranked = sorted(remaining, key=lambda t: (-remaining[t], rng.random()))
        for problem in ranked[: n_problems[i]]:
            chosen[i].add(problem)
            remaining[problem] -= 1
    if any(remaining.values()):
        raise ValueError(f"problem totals not met: {remaining}")
    return chosen


def frek_frames(
    design: pd.DataFrame, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The FREK workbook's two sheets: one row per family, one row per child."""
    with_frek = design[design["has_frek"]].reset_index(drop=True)
    n_children = pd.Series(0, index=with_frek.index)
    n_problems = pd.Series(0, index=with_frek.index)
    for conference in (True, False):
        idx = with_frek.index[with_frek["conference"] == conference]
        n_children[idx] = _expand(N_CHILDREN[conference], rng)
        n_problems[idx] = _expand(N_PROBLEMS[conference], rng)
    problems = _assign_problems(n_problems.tolist(), rng)
    agencies = _expand(REFERRER_AGENCIES, rng)

    families = pd.DataFrame(
        {
            "Gezinsnummer": with_frek["family_key"],
            "Regio": with_frek["region"],
            "Datum aanmelding": with_frek["registration_date"],
            "Aanmelder instantie": agencies,
            "Aantal kinderen": n_children,
            "Conferentie gehouden": with_frek["conference"].map(YES_NO),
            "Datum conferentie": with_frek["conference_date"],
            "Plan gemaakt": with_frek["status"].map(PLAN),
        }
    )
    for column in PROBLEM_COLUMNS:
        families[column] = [int(column in p) for p in problems]

    children = []
    for conference in (True, False):
        fam = with_frek[with_frek["conference"] == conference]
        counts = n_children[fam.index].tolist()
        extra = rng.choice(len(fam), size=EXTRA_CHILD_RECORDS[conference], replace=False)
        for pos in extra:
            counts[pos] += 1
        keys = [k for k, c in zip(fam["family_key"], counts, strict=True) for _ in range(c)]
        dates = [d for d, c in zip(fam["registration_date"], counts, strict=True) for _ in range(c)]
        margins = {name: _expand(m, rng) for name, m in CHILD_MARGINS[conference].items()}
        for j, (key, reg) in enumerate(zip(keys, dates, strict=True)):
            children.append(
                {
                    "Gezinsnummer": key,
                    "Geslacht": margins["sex"][j],
                    "Geboortedatum": _birth_date(margins["age"][j], reg, rng),
                    "Etniciteit": margins["ethnicity"][j],
                    "Verblijfplaats": margins["residence"][j],
                }
            )
    child_frame = pd.DataFrame(children)
    child_frame = child_frame.sort_values("Gezinsnummer", kind="stable").reset_index(drop=True)
    child_frame.insert(1, "Kindnummer", child_frame.groupby("Gezinsnummer").cumcount() + 1)
    return families, child_frame


def _birth_date(age_group: str | None, registration: dt.date, rng: np.random.Generator):
    if age_group is None:
        return None
    if age_group == "unborn":
        return registration + dt.timedelta(days=int(rng.integers(20, 150)))
    low, high = AGE_RANGES[age_group]
    days = int(rng.integers(low * 365 + 2, (high + 1) * 365 - 2))
    return registration - dt.timedelta(days=days)


REGISTER_PARTICIPATION = {
    "-": None,
    "active": "actief",
    "refused": "geen toestemming",
    "withdrawn": "ingetrokken",
}
REGISTER_DOSSIER = {
    "analysed": "geanalyseerd",
    "restgroep": "niet gepland (restgroep)",
    "not_accessible": "niet toegankelijk",
    "not_traceable": "niet te achterhalen",
    "archived": "gearchiveerd",
    "transferred": "overgedragen",
}


def register_frame(design: pd.DataFrame) -> pd.DataFrame:
    """The researchers' case register: every family, its design cell and its status."""
    return pd.DataFrame(
        {
            "gezinsnummer": design["family_key"],
            "regio": design["region"],
            "cohort": design["arm"].map(
                {"retrospective": "retrospectief", "prospective": "prospectief"}
            ),
            "aanmelddatum": design["registration_date"],
            "conferentie": design["conference"].map(YES_NO),
            "plan": design["status"].map(PLAN),
            "restgroep": design["restgroep"].map(YES_NO),
            "deelname": design["participation"].map(REGISTER_PARTICIPATION),
            "dossieronderzoek": design["dossier"].map(REGISTER_DOSSIER),
        }
    )


def write(design: pd.DataFrame, rng: np.random.Generator, out: Path) -> list[Path]:
    register = out / "onderzoeksregister.csv"
    write_dutch_csv(register_frame(design), register)
    families, children = frek_frames(design, rng)
    frek = out / "frek.xlsx"
    write_excel({"gezinnen": families, "kinderen": children}, frek)
    return [register, frek]


def check(raw_dir: Path) -> list[dict]:
    return []
