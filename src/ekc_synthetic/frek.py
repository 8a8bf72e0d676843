"""FREK registration export (families and children) and the study's case register.

Targets: tables 3.1-3.3 and the running text of section 3.2 of the youth-protection report.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from ekc_synthetic.fit import integers_matching
from ekc_synthetic.writers import write_dutch_csv, write_excel

# Number of children the conference is about, per family with a FREK (table 3.1), for the
# interviewed EKc families (table 3.10: 12 children in 10 families) and for the others.
N_CHILDREN = {True: {1: 50, 2: 26, 3: 9, 4: 2}, False: {1: 13, 2: 6, 3: 2}}
N_CHILDREN_INTERVIEWED = {1: 8, 2: 2}

# Table 3.1 counts 139 and 33 child records where the family counts imply 137 and 31.
# Table 3.10 (168 children) matches table 3.1 without four records whose sex, age and
# ethnicity are all unknown: these are empty child records on the form, kept here so the
# linkage report can show the disagreement with `Aantal kinderen`.
EMPTY_CHILD_RECORDS = {True: [None, "groep"], False: [None, None]}  # their residence

# Children's characteristics (table 3.1 minus the empty records), split into the children
# of the interviewed families (table 3.10, interview column) and all others.
CHILD_MARGINS_INTERVIEWED = {
    "sex": {"jongen": 4, "meisje": 8},
    "age": {"13-18": 9, "5-12": 2, "0-4": 1},
    "ethnicity": {"autochtoon": 6, "allochtoon": 5, None: 1},
    "residence": {"thuis": 2, "netwerkgezin": 7, "groep": 2, "anders": 1},
}
CHILD_MARGINS = {
    True: {
        "sex": {"jongen": 58, "meisje": 67},
        "age": {"unborn": 1, "0-4": 24, "5-12": 48, "13-18": 51, "19-25": 1},
        "ethnicity": {"autochtoon": 43, "allochtoon": 71, None: 11},
        "residence": {
            "thuis": 57,
            "netwerkgezin": 25,
            "bestandgezin": 11,
            "groep": 16,
            "anders": 5,
            None: 11,
        },
    },
    False: {
        "sex": {"jongen": 16, "meisje": 15},
        # Table 3.1 prints 3 unknown ages as well, which makes the block add up to 34 for 33
        # children; the two unknowns here are the empty records.
        "age": {"0-4": 3, "5-12": 14, "13-18": 14},
        "ethnicity": {"autochtoon": 20, "allochtoon": 10, None: 1},
        "residence": {
            "thuis": 12,
            "netwerkgezin": 7,
            "bestandgezin": 1,
            "groep": 5,
            "anders": 5,
            None: 1,
        },
    },
}
AGE_RANGES = {"0-4": (0, 4), "5-12": (5, 12), "8-12": (8, 12), "13-18": (13, 18), "19-25": (19, 25)}

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


# Conference characteristics (table 4.1, all 90 conferences; the 3 without a FREK count
# as unknown) and for the interviewed families (table 4.2, interview column). Hours are
# recorded to the half hour; bands [1,3), [3,5), [5,8], [20,24].
DURATION_HOURS = {
    "1-3": [1.5, 2.0, 2.5],
    "3-5": [3.0, 3.5, 4.0, 4.5],
    "5-8": [5.0, 6.0, 7.0, 7.5],
    "20-24": [22.0],
}
PRIVATE_HOURS = {
    "0-1": [0.5, 0.75],
    "1-3": [1.0, 1.5, 2.0, 2.5],
    "3-5": [3.0, 3.5, 4.0],
    "5-8": [5.0, 6.0],
}
CONFERENCE_DURATION = {"1-3": 16, "3-5": 33, "5-8": 26, "20-24": 1, None: 1}
CONFERENCE_DURATION_INTERVIEWED = {"1-3": 1, "3-5": 5, "5-8": 4}
PRIVATE_TIME = {"0-1": 8, "1-3": 46, "3-5": 20, "5-8": 2, None: 1}
PRIVATE_TIME_INTERVIEWED = {"1-3": 8, "3-5": 1, "5-8": 1}
# Attendees: mean 12.7, range 4-27 over the 87 forms; 14.3, range 7-25 for the 10
# interviewed families, so the other 77 sum to 1105 - 143 = 962 (mean 12.49). No sd is
# published; 4.6 is a plausible choice.
ATTENDEES = {"n": 77, "mean": 12.49, "decimals": 2, "sd": 4.6, "low": 4, "high": 27}
ATTENDEES_INTERVIEWED = {"n": 10, "mean": 14.3, "decimals": 1, "sd": 5.0, "low": 7, "high": 25}
REFERRER_PRESENT = {"ja": 76, "nee": 1}  # plus 10 interviewed families, all 'ja'
NO_CONFERENCE_FIELDS = [
    "Duur conferentie (uur)",
    "Duur besloten tijd (uur)",
    "Aantal aanwezigen",
    "Aanmelder aanwezig",
]

# Duration of help before registration (table 3.10, research group, families): the 5
# families without a FREK are among the 13 unknown.
HELP_DURATION = {
    "geen": 2,
    "0-1 jaar": 29,
    "1-2 jaar": 15,
    "2-5 jaar": 22,
    "5-10 jaar": 21,
    "> 10 jaar": 11,
    None: 8,
}
HELP_DURATION_INTERVIEWED = {"1-2 jaar": 2, "2-5 jaar": 5, "5-10 jaar": 2, "> 10 jaar": 1}


def _sample_hours(bands: list, table: dict, rng: np.random.Generator) -> list:
    return [None if b is None else float(rng.choice(table[b])) for b in bands]


def _conference_features(fam: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Durations, attendees and referrer presence for the families with a FREK."""
    result = pd.DataFrame(index=fam.index, columns=NO_CONFERENCE_FIELDS, dtype=object)
    interviewed = fam.index[fam["interviewed"]]
    others = fam.index[fam["conference"] & ~fam["interviewed"]]
    for index, durations, privates, attendees in (
        (
            interviewed,
            CONFERENCE_DURATION_INTERVIEWED,
            PRIVATE_TIME_INTERVIEWED,
            ATTENDEES_INTERVIEWED,
        ),
        (others, CONFERENCE_DURATION, PRIVATE_TIME, ATTENDEES),
    ):
        duration_bands = _expand(durations, rng)
        private_bands = _expand(privates, rng)
        # Longer conferences get the longer private time: sort both the same way.
        order = {b: i for i, b in enumerate([None, *DURATION_HOURS])}
        porder = {b: i for i, b in enumerate([None, *PRIVATE_HOURS])}
        duration_bands.sort(key=lambda b: order[b])
        private_bands.sort(key=lambda b: porder[b])
        hours = _sample_hours(duration_bands, DURATION_HOURS, rng)
        private = _sample_hours(private_bands, PRIVATE_HOURS, rng)
        private = [
            None if (p is None or h is None) else min(p, h - 0.5) if p >= h else p
            for p, h in zip(private, hours, strict=True)
        ]
        shuffle = rng.permutation(len(index))
        result.loc[index, "Duur conferentie (uur)"] = [hours[i] for i in shuffle]
        result.loc[index, "Duur besloten tijd (uur)"] = [private[i] for i in shuffle]
        counts = integers_matching(
            attendees["n"],
            attendees["mean"],
            attendees["sd"],
            attendees["low"],
            attendees["high"],
            decimals=attendees["decimals"],
            sd_decimals=1,
            rng=rng,
        )
        result.loc[index, "Aantal aanwezigen"] = [int(v) for v in rng.permutation(counts)]
    result.loc[interviewed, "Aanmelder aanwezig"] = "ja"
    result.loc[others, "Aanmelder aanwezig"] = _expand(REFERRER_PRESENT, rng)
    return result


def _children(
    keys: list[str],
    dates: list,
    counts: list[int],
    margins: dict,
    rng: np.random.Generator,
    ages: list | None = None,
) -> list[dict]:
    keys = [k for k, c in zip(keys, counts, strict=True) for _ in range(c)]
    dates = [d for d, c in zip(dates, counts, strict=True) for _ in range(c)]
    drawn = {name: _expand(m, rng) for name, m in margins.items()}
    if ages is not None:
        drawn["age"] = ages
    return [
        {
            "Gezinsnummer": key,
            "Geslacht": drawn["sex"][j],
            "Geboortedatum": _birth_date(drawn["age"][j], reg, rng),
            "Etniciteit": drawn["ethnicity"][j],
            "Verblijfplaats": drawn["residence"][j],
        }
        for j, (key, reg) in enumerate(zip(keys, dates, strict=True))
    ]


def frek_frames(
    design: pd.DataFrame, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The FREK workbook's two sheets: one row per family, one row per child."""
    fam = design[design["has_frek"]].reset_index(drop=True)
    n_children = pd.Series(0, index=fam.index)
    n_problems = pd.Series(0, index=fam.index)
    interviewed = fam["interviewed"]
    for conference in (True, False):
        idx = fam.index[fam["conference"] == conference]
        n_problems[idx] = _expand(N_PROBLEMS[conference], rng)
        counts = dict(N_CHILDREN[conference])
        if conference:
            for k, v in N_CHILDREN_INTERVIEWED.items():
                counts[k] -= v
            n_children[fam.index[interviewed]] = _expand(N_CHILDREN_INTERVIEWED, rng)
        n_children[idx.difference(fam.index[interviewed])] = _expand(counts, rng)
    problems = _assign_problems(n_problems.tolist(), rng)
    help_duration = pd.Series(None, index=fam.index, dtype=object)
    help_duration[fam.index[interviewed]] = _expand(HELP_DURATION_INTERVIEWED, rng)
    remaining = dict(HELP_DURATION)
    for k, v in HELP_DURATION_INTERVIEWED.items():
        remaining[k] -= v
    help_duration[fam.index[~interviewed]] = _expand(remaining, rng)

    families = pd.DataFrame(
        {
            "Gezinsnummer": fam["family_key"],
            "Regio": fam["region"],
            "Datum aanmelding": fam["registration_date"],
            "Aanmelder instantie": _expand(REFERRER_AGENCIES, rng),
            "Aantal kinderen": n_children,
            "Duur hulpverlening": help_duration,
            "Conferentie gehouden": fam["conference"].map(YES_NO),
            "Datum conferentie": fam["conference_date"],
            "Plan gemaakt": fam["status"].map(PLAN),
        }
    )
    families = pd.concat([families, _conference_features(fam, rng)], axis=1)
    for column in PROBLEM_COLUMNS:
        families[column] = [int(column in p) for p in problems]

    children: list[dict] = []
    chosen = fam[interviewed]
    counts = n_children[chosen.index].tolist()
    # Every interviewed family has a child of 8 or older (section 2.5): single children are
    # teenagers; the 0-4 child has a teenage sibling; the two 5-12 children are siblings.
    ages = []
    for c in counts:
        ages += ["13-18"] if c == 1 else []
    two = [i for i, c in enumerate(counts) if c == 2]
    ages_by_family = {two[0]: ["13-18", "0-4"], two[1]: ["8-12", "8-12"]}
    ages = [a for i, c in enumerate(counts) for a in (["13-18"] if c == 1 else ages_by_family[i])]
    children += _children(
        chosen["family_key"].tolist(),
        chosen["registration_date"].tolist(),
        counts,
        CHILD_MARGINS_INTERVIEWED,
        rng,
        ages=ages,
    )
    for conference in (True, False):
        part = fam[(fam["conference"] == conference) & ~interviewed]
        counts = n_children[part.index].tolist()
        children += _children(
            part["family_key"].tolist(),
            part["registration_date"].tolist(),
            counts,
            CHILD_MARGINS[conference],
            rng,
        )
        hosts = rng.choice(part["family_key"].to_numpy(), size=2, replace=False)
        children += [
            {
                "Gezinsnummer": key,
                "Geslacht": None,
                "Geboortedatum": None,
                "Etniciteit": None,
                "Verblijfplaats": residence,
            }
            for key, residence in zip(hosts, EMPTY_CHILD_RECORDS[conference], strict=True)
        ]
    child_frame = pd.DataFrame(children)
    child_frame = child_frame.sort_values("Gezinsnummer", kind="stable").reset_index(drop=True)
    child_frame.insert(1, "Kindnummer", child_frame.groupby("Gezinsnummer").cumcount() + 1)
    return families, child_frame


# FUFREK, the coordinator's follow-up by telephone three months after the conference:
# returned for 68 of the 90 conferences (table 5.1), all conferences with a plan.
FUFREK_N = 68
PLAN_EXECUTED = {"ja, geheel": 27, "niet volledig": 30, "nee, geheel niet": 10, None: 1}
EVALUATION_REFERRER_FAMILY = {"ja": 34, "nee": 31, None: 3}
EVALUATION_FAMILY = {"ja": 29, "nee": 34, None: 5}


def fufrek_frame(design: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    pool = design[design["status"] == "plan"]
    chosen = pool.loc[np.sort(rng.choice(pool.index, size=FUFREK_N, replace=False))]
    follow_up = [
        d + dt.timedelta(days=int(rng.integers(85, 110))) for d in chosen["conference_date"]
    ]
    return pd.DataFrame(
        {
            "Gezinsnummer": chosen["family_key"].to_numpy(),
            "Datum follow-up": follow_up,
            "Plan uitgevoerd": _expand(PLAN_EXECUTED, rng),
            "Evaluatie door aanmelder en familie": _expand(EVALUATION_REFERRER_FAMILY, rng),
            "Evaluatie door familie": _expand(EVALUATION_FAMILY, rng),
        }
    )


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


# Youth-protection measure at registration (table 3.10, research group: 11/6/5/56/35 of 113).
MEASURE_COUNTS = {"geen": 11, "raadsmelding": 6, "vots": 5, "ots": 56, None: 35}


def youth_protection_measures(keys: pd.Series) -> pd.Series:
    """The published counts, spread over the families in the order of a hash of their key: no
    draw from the shared random streams, so adding the column changed no other export."""
    order = sorted(keys, key=lambda k: hashlib.sha256(f"maatregel:{k}".encode()).hexdigest())
    values = [value for value, n in MEASURE_COUNTS.items() for _ in range(n)]
    if len(values) != len(order):  # scaled cohorts: the same shares
        values = [values[int(i * len(values) / len(order))] for i in range(len(order))]
    return keys.map(dict(zip(order, values, strict=True)))


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
            "maatregel": youth_protection_measures(design["family_key"]),
        }
    )


def write(design: pd.DataFrame, rng: np.random.Generator, out: Path) -> list[Path]:
    register = out / "onderzoeksregister.csv"
    write_dutch_csv(register_frame(design), register)
    families, children = frek_frames(design, rng)
    frek = out / "frek.xlsx"
    write_excel({"gezinnen": families, "kinderen": children}, frek)
    fufrek = out / "fufrek.xlsx"
    write_excel({"follow-up": fufrek_frame(design, rng)}, fufrek)
    return [register, frek, fufrek]


def check(raw_dir: Path) -> list[dict]:
    return []
