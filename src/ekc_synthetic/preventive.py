"""Raw exports of the preventive-domain study (study token `pd`), synthetic.

Nine files in the layout of `docs/preventive/exports.md`, made so that the figures of the
report (`resources/published/preventive/preventive_domain.csv`) follow from them. Where the
report contradicts itself (the README of that folder lists the contradictions) the data
follow the table or the primary figure; `CONTRADICTED` names the published ids the files
cannot give and why.

    python -m ekc_synthetic --study pd --out resources/studies/pd/raw
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from ekc.core.report.numbers import round_half_up
from ekc_synthetic.writers import write_dutch_csv

FILES = {
    "registrations": "aanmeldingen.csv",
    "families": "gezinnen.csv",
    "problems": "problemen.csv",
    "interviews": "metingen.csv",
    "care": "zorggebruik.csv",
    "risk": "risicofactoren.csv",
    "pul": "pul.csv",
    "experiences": "ervaringen.csv",
    "background": "achtergrond.csv",
}
GROUPS = ("cjg", "bjz")
# Families approached and taking part (text 4.1).
APPROACHED = {"cjg": 23, "bjz": 18}
PARTICIPATING = {"cjg": 11, "bjz": 8}

# --- Tables 3.1 and 3.2: registrations and held conferences per municipality and period ---
MUNICIPALITIES = ["steenwijkerland", "hellendoorn_twenterand", "hardenberg", "zwolle", "hengelo"]
PERIODS = {
    "may_oct_2010": (dt.date(2010, 5, 1), dt.date(2010, 9, 30)),
    "2010_2011": (dt.date(2010, 10, 1), dt.date(2011, 9, 30)),
    "2011_2012": (dt.date(2011, 10, 1), dt.date(2012, 9, 30)),
}
# (registered, held) per municipality (Table 3.2). Table 3.1 prints 63 registrations for
# 2010_2011; the municipalities sum to 64 (README contradiction 1): the data follow 3.2.
REGISTRATIONS = {
    "2010_2011": {
        "steenwijkerland": (5, 1),
        "hellendoorn_twenterand": (19, 1),
        "hardenberg": (12, 3),
        "zwolle": (16, 6),
        "hengelo": (12, 2),
    },
    "2011_2012": {
        "steenwijkerland": (20, 2),
        "hellendoorn_twenterand": (13, 1),
        "hardenberg": (17, 2),
        "zwolle": (24, 0),
        "hengelo": (25, 3),
    },
}
# May - Oct 2010 (Table 3.1 only): 12 registrations, 2 held, not split by municipality.
FIRST_PERIOD = (12, 2)

# --- What the EK-Centrale's register keeps per registration (design 2.5.2.1): the way in
# (which CJG partner registered the family), how far it went (only an information talk,
# preparation started and stopped, planned, held), a reason when none was held (kept "in very
# limited measure", 5.3.5) and the conference's date. The report prints no counts of these;
# the weights below follow its words and are otherwise illustrative. ---
# Mostly a social worker or a youth health nurse offers the conference (3.3.4: 'meestal');
# the WMO desk only in the last year (3.7: a broader preventive domain, "bijv. vanuit WMO").
ENTRY = {
    "maatschappelijk_werk": 0.40,
    "jeugdgezondheidszorg": 0.26,
    "mee": 0.12,
    "school": 0.10,
    "wmo_loket": 0.05,
    "overig": 0.07,
}
WMO_FROM = dt.date(2011, 10, 1)
# Not held: mostly the information talk was the end (5.2.8); registered in the last six weeks
# of the data, half are still planned.
NOT_HELD = {"informatiegesprek": 0.65, "voorbereiding_gestopt": 0.35}
PLANNED_FROM = dt.date(2012, 8, 15)
REASON_RECORDED = 0.25
# Ordered as Box 3.5 and 5.2.8 rank the reasons the interviewees gave.
REASONS = {
    "niet_kwetsbaar_opstellen": 0.30,
    "zelf_opgelost": 0.25,
    "probleem_te_klein": 0.18,
    "netwerk_te_klein": 0.12,
    "wil_regie_bij_hulpverlening": 0.10,
    "overig": 0.05,
}
# Weeks from registration to the conference: an illustrative spread around six weeks.
WEEKS_TO_CONFERENCE = (3, 12)

# --- Table 4.1: problems at the start (percent of 33 CJG and 36 BJZ problems) ---
PROBLEM_CODES = {
    "psychiatrisch": "psychiatric",
    "verslaving": "addiction",
    "gedrag_kind": "child_behaviour",
    "verwaarlozing": "child_neglect",
    "scheiding": "divorce_separation",
    "overbelasting": "parent_overload",
    "opvoedingsonmacht": "parenting_incapacity",
    "huiselijk_geweld": "domestic_violence",
    "seksueel_misbruik": "sexual_abuse",
    "lichamelijke_beperking": "physical_disability",
    "ziekte_overlijden": "illness_death",
    "politie": "police_contact",
    "school": "school",
    "financieel": "financial",
    "huisvesting": "housing",
    "overig": "other",
}
# Counts in the order of PROBLEM_CODES: CJG x 33 and BJZ x 36 give the printed percentages.
PROBLEM_COUNTS = {
    "cjg": (3, 1, 5, 1, 2, 5, 2, 2, 1, 1, 2, 1, 2, 4, 0, 1),
    "bjz": (3, 3, 5, 1, 5, 5, 6, 1, 0, 1, 0, 0, 2, 1, 2, 1),
}
# Problems per family: 10 CJG families (mean 3.3), 8 BJZ families (mean 4.5).
PROBLEMS_PER_FAMILY = {"cjg": (1, 6), "bjz": (2, 8)}

# --- Tables 4.2 and 4.3: families using a care type, (CJG T1, T2, T3, BJZ T1, T2, T3) ---
CARE_CHILD = {
    "gp": (1, 1, 0, 2, 1, 1),
    "well_baby_clinic_parenting": (0, 0, 0, 0, 0, 0),
    "social_worker": (0, 0, 1, 0, 0, 0),
    "mee_worker": (2, 1, 0, 1, 1, 0),
    "school_doctor": (0, 0, 0, 1, 0, 0),
    "paediatrician": (1, 0, 1, 0, 0, 0),
    "psychologist_orthopedagogue": (3, 0, 0, 2, 1, 3),
    "psychiatrist": (0, 0, 0, 2, 1, 1),
    "community_psychiatric_nurse": (0, 0, 0, 1, 0, 1),
    "family_guardian": (0, 0, 0, 3, 0, 2),
    "day_treatment": (1, 0, 0, 1, 1, 1),
    "residential_institution": (1, 0, 1, 2, 1, 1),
    "foster_care": (0, 0, 0, 1, 1, 1),
    "medical_specialist": (0, 0, 0, 1, 0, 1),
    "health_care_institution": (0, 0, 1, 0, 0, 0),
    "addiction_care": (1, 0, 0, 0, 1, 0),
    "debt_counselling": (0, 0, 0, 0, 1, 0),
    "legal_agency": (0, 0, 0, 0, 1, 0),
    "juvenile_justice_institution": (1, 0, 0, 0, 0, 0),
    "alternative_healer": (1, 1, 0, 0, 0, 0),
    "other_professional": (1, 0, 0, 1, 0, 0),
    "medication": (1, 0, 0, 1, 2, 0),
}
CARE_PARENT = {
    "gp": (3, 1, 1, 2, 0, 1),
    "social_worker": (4, 0, 0, 3, 0, 0),
    "mee_worker": (1, 2, 3, 0, 0, 0),
    "psychologist_orthopedagogue": (1, 0, 1, 2, 0, 0),
    "psychiatrist": (2, 1, 1, 4, 1, 0),
    "community_psychiatric_nurse": (2, 0, 0, 1, 1, 0),
    "day_treatment": (1, 0, 0, 0, 0, 0),
    "medical_specialist": (0, 1, 1, 0, 0, 0),
    "health_care_institution": (0, 0, 1, 0, 0, 0),
    "addiction_care": (1, 1, 1, 2, 0, 0),
    "debt_counselling": (4, 1, 2, 2, 0, 1),
    "occupational_physician": (3, 0, 1, 1, 1, 0),
    "legal_agency": (2, 4, 0, 5, 1, 0),
    "alternative_healer": (1, 0, 0, 0, 0, 0),
    "other_professional": (2, 1, 0, 1, 0, 1),
    "medication": (2, 0, 0, 1, 0, 1),
}
MOMENTS = {"T1": "start", "T2": "3m", "T3": "6m"}

# --- Table B.1: answers per item. Columns: parents CJG T1, CJG T3, BJZ T1, BJZ T3,
# professionals CJG T1, BJZ T1 (the last two absent for parent-only items). Counts in the
# order of the scale: (eens, neutraal, oneens[, nvt]) or (wel, niet).
AGREE = ("eens", "neutraal", "oneens")
OCCURRED = ("wel", "niet")
B1 = {
    "support_from_environment": (
        AGREE,
        [(4, 1, 4), (3, 1, 0), (8, 0, 0), (3, 0, 0), (3, 0, 5), (1, 2, 4)],
    ),
    # BJZ parents at T3 print 3 agree + 1 disagree for 3 parents (README contradiction 4):
    # the data keep the 3 agree.
    "satisfied_contact_children": (
        AGREE,
        [(7, 0, 2), (3, 0, 0), (6, 0, 2), (3, 0, 0), (7, 0, 2), (3, 2, 2)],
    ),
    # CJG parents at T3 print 3 agree + 2 disagree for 4 parents (contradiction 4): 3 + 1.
    "sufficient_family_income": (
        AGREE,
        [(5, 0, 4), (3, 0, 1), (4, 0, 4), (3, 0, 0), (2, 0, 4), (4, 2, 1)],
    ),
    "children_follow_rules": (
        AGREE,
        [(6, 0, 3), (3, 0, 1), (2, 1, 5), (2, 0, 1), (4, 3, 2), (1, 2, 3)],
    ),
    "aware_after_school_activities": (
        AGREE,
        [(7, 1, 1), (3, 0, 1), (6, 0, 1), (2, 0, 0), (8, 0, 1), (6, 0, 0)],
    ),
    "knows_childrens_friends": (
        AGREE,
        [(7, 2, 0), (4, 0, 0), (6, 0, 2), (2, 1, 0), (5, 1, 2), (6, 0, 0)],
    ),
    "keeps_appointments_professionals": (
        AGREE,
        [(9, 0, 0), (1, 0, 0), (6, 0, 1), (1, 0, 1), (4, 0, 5), (5, 0, 1)],
    ),
    "stressful_events": (OCCURRED, [(5, 4), (0, 4), (5, 3), (1, 2), (8, 1), (6, 1)]),
    "worries_children_by_parent": (OCCURRED, [(7, 2), (1, 3), (6, 2), (2, 1), (7, 2), (6, 1)]),
    "worries_children_by_environment": (OCCURRED, [(4, 5), (0, 4), (4, 4), (1, 2), (3, 3), (2, 5)]),
    "children_police_contact": (OCCURRED, [(2, 7), (0, 3), (0, 7), (0, 3), (2, 7), (0, 7)]),
    "less_attention_own_problems": (OCCURRED, [(3, 6), (0, 3), (4, 4), (0, 3), (6, 3), (5, 2)]),
    "able_to_tackle_problems": (
        AGREE,
        [(7, 2, 0), (3, 1, 0), (0, 2, 6), (2, 0, 1), (1, 0, 8), (3, 0, 4)],
    ),
    "confidence_childrens_future": (
        AGREE,
        [(6, 0, 3), (3, 0, 1), (4, 1, 3), (1, 1, 1), (1, 1, 6), (3, 0, 4)],
    ),
    "trust_openness_parent_child": (AGREE, [(4, 3, 2), (2, 2, 0), (4, 2, 2), (3, 0, 0)]),
    "partner_support_upbringing": (
        (*AGREE, "nvt"),
        [(5, 1, 1, 2), (3, 0, 0, 1), (2, 1, 2, 3), (2, 1, 0, 0)],
    ),
}
B1_COLUMNS = [
    ("ouder", "cjg", "T1"),
    ("ouder", "cjg", "T3"),
    ("ouder", "bjz", "T1"),
    ("ouder", "bjz", "T3"),
    ("hulpverlener", "cjg", "T1"),
    ("hulpverlener", "bjz", "T1"),
]
ANSWER_TOKENS = {
    "eens": "agree",
    "neutraal": "neutral",
    "oneens": "disagree",
    "wel": "occurred",
    "niet": "not_occurred",
    "nvt": "not_applicable",
}

# --- Interviews (text 4.1): informants per group and moment ---
PARENTS = {"cjg": {"T1": 11, "T2": 4, "T3": 4}, "bjz": {"T1": 8, "T2": 2, "T3": 3}}
CARE_QUESTIONS_T1 = {"cjg": 9, "bjz": 8}  # n of Tables 4.2-4.3 at T1
PROFESSIONALS = {"cjg": {"T1": 9, "T2": 2, "T3": 2}, "bjz": {"T1": 7, "T2": 1, "T3": 2}}
FAMILY_INFORMANTS = {"cjg": {"T1": 6, "T2": 2, "T3": 2}, "bjz": {"T1": 6, "T2": 0, "T3": 2}}

# --- Family characteristics (text 4.2) of the participating families ---
HOUSEHOLD = {
    "cjg": {"twee_ouder": 6, "een_ouder": 2, None: 3},
    "bjz": {"een_ouder": 5, "twee_ouder": 3},
}
EDUCATION = {"cjg": {"mbo": 6, "lbo": 1, None: 4}, "bjz": {"mbo": 5, "lbo": 1, None: 2}}
PAID_WORK = {"cjg": 4, "bjz": 2}
N_CHILDREN_TOTAL = {"cjg": (24, 1, 4), "bjz": (11, 1, 3)}  # sum over 11 / 8: means 2.2, 1.4
# Mean net income: CJG EUR 2000 over the four working parents (the others not asked);
# BJZ EUR 1200, base not printed: both the two working parents and all eight average 1200.
INCOME_CJG_WORKING = 2000
INCOME_BJZ = 1200
VOLUNTEERS, STUDENTS = 2, 2  # over both groups
# Conference data (registration), sums over the families with data: 10 CJG, 8 BJZ.
# CJG 16/10 = 1.6 minors, 119/10 = 11.9 adults (13.5 in all); BJZ 9/8 = 1.1, 66/8 = 8.3
# (9.4 in all where 9.6 is printed, contradiction 6). Agreements follow the parts
# (network, professionals, other professionals); their sums are 8.8 and 5.9 where the
# totals print 8.4 and 12.1 (contradiction 7). BJZ other professionals: 2/8 = 0.25, printed
# 0.2; no count of 8 families rounds half-up to 0.2.
CONFERENCE = {
    "cjg": {
        "aanwezig_minderjarig": (16, 0, None),
        "aanwezig_volwassen": (119, 6, 19),
        "afspraken_netwerk": (68, 3, 11),
        "afspraken_professionals": (14, 0, 3),
        "afspraken_overig": (6, 0, 2),
    },
    "bjz": {
        "aanwezig_minderjarig": (9, 0, None),
        "aanwezig_volwassen": (66, 4, 13),
        "afspraken_netwerk": (39, 2, 8),
        "afspraken_professionals": (6, 0, 2),
        "afspraken_overig": (2, 0, 1),
    },
}

# --- PUL (4.4.3): (sociaal_optimisme, autonomie) category counts per group and moment ---
PUL = {
    ("cjg", "T1"): ({"laag": 3, "gemiddeld": 3, "hoog": 1}, {"gemiddeld": 4, "laag": 3}),
    # BJZ at T1: autonomy of two parents not reported ("Vier ... gemiddeld, twee lager").
    ("bjz", "T1"): ({"laag": 3, "gemiddeld": 2, "hoog": 3}, {"gemiddeld": 4, "laag": 2, None: 2}),
    ("cjg", "T3"): ({"hoog": 3, "laag": 1}, {"hoog": 2, "gemiddeld": 2}),
    ("bjz", "T3"): ({"hoog": 1, "laag": 2}, {"gemiddeld": 2, "laag": 1}),
}

# --- Expectations, experience, family situation (4.3.3, 4.4.1) ---
EXPECTATION = {
    ("ouder", "cjg"): {"positief": 9, "neutraal": 2},
    ("ouder", "bjz"): {"positief": 5, "neutraal": 2, "negatief": 1},
    ("hulpverlener", "cjg"): {"positief": 8, "neutraal": 1},
    ("hulpverlener", "bjz"): {"positief": 5, "neutraal": 1, "negatief": 1},
    ("gezinsinformant", "cjg"): {"positief": 5, "neutraal": 1},
    ("gezinsinformant", "bjz"): {"positief": 4, "neutraal": 2},
}
EXPERIENCE_NOT_POSITIVE = {"cjg": 0, "bjz": 1}  # parents; all professionals positive
# Family situation at T3. All CJG parents 'verbeterd' satisfies both 4.4.1 ('onveranderd of
# verbeterd') and the summary ('verbeterd'); BJZ: most 'verslechterd of verbeterd'.
FAMILY_SITUATION = {
    "cjg": {"verbeterd": 4},
    "bjz": {"verbeterd": 1, "verslechterd": 1, "onveranderd": 1},
}

# Published ids the files cannot give (the report contradicts itself, or its rounding).
CONTRADICTED = {
    "pd:3.1:conferences_registered:-:cjg:2010_2011:count": (
        "Table 3.2 municipalities sum to 64 (contradiction 1)"
    ),
    "pd:3.1:conferences_registered:total:cjg:-:count": (
        "12 + 64 + 99 = 175 with Table 3.2 (contradiction 1)"
    ),
    "pd:text5:conferences_held:total:cjg:-:n": (
        "12 + 64 + 99 = 175 with Table 3.2 (contradiction 1)"
    ),
    "pd:text5:conferences_held:total:cjg:-:pct": (
        "23 / 175 = 13.1 with Table 3.2 (contradiction 1)"
    ),
    "pd:B.1:satisfied_contact_children_parent_report:disagree:bjz:6m:count": (
        "4 answers printed for 3 parents; agree kept (contradiction 4)"
    ),
    "pd:B.1:sufficient_family_income_parent_report:disagree:cjg:6m:count": (
        "5 answers printed for 4 parents; agree kept (contradiction 4)"
    ),
    "pd:text4:attendees:-:bjz:-:mean": ("1.1 minors + 8.3 adults = 9.4 (contradiction 6)"),
    "pd:text4:agreements:-:cjg:-:mean": ("parts 6.8 + 1.4 + 0.6 = 8.8 (contradiction 7)"),
    "pd:text4:agreements:-:bjz:-:mean": ("parts 4.9 + 0.8 + 0.2 = 5.9 (contradiction 7)"),
    "pd:text4:agreements_with_other_professionals:-:bjz:-:mean": (
        "2/8 = 0.25 rounds half-up to 0.3; 1/8 to 0.1"
    ),
    "pd:text4:care_points_parent:start_vs_6m:cjg:-:pct_decrease": (
        "3.2 -> 3.0 is 6.25% (contradiction 5)"
    ),
    "pd:text4:care_points_parent:start_vs_6m:bjz:-:pct_decrease": (
        "3.0 -> 1.3 is 56.7% (contradiction 5)"
    ),
    "pd:text4:support_from_environment_parent_report:agree:cjg:start:pct": (
        "B.1: 4 of 9 (contradiction 12)"
    ),
    "pd:text4:less_attention_own_problems_professional_report:not_occurred:all:start:pct": (
        "B.1: 5 of 16 (contradiction 12)"
    ),
    "pd:text4:confidence_childrens_future_parent_report:agree:bjz:start:pct": (
        "B.1: 4 of 8 (contradiction 12)"
    ),
    "pd:text4:confidence_childrens_future_parent_report:agree:bjz:6m:pct": (
        "B.1: 1 of 3 (contradiction 12)"
    ),
    "pd:text4:trust_openness_parent_child_parent_report:agree:cjg:start:pct": (
        "B.1: 4 of 9 (contradiction 12)"
    ),
    "pd:text4:trust_openness_parent_child_parent_report:agree:bjz:start:pct": (
        "B.1: 4 of 8 (contradiction 12)"
    ),
    "pd:text4:worries_children_by_environment_parent_report:occurred:all:start:pct": (
        "'ongeveer de helft': B.1 gives 8 of 17 (47%)"
    ),
}


# ----------------------------------------------------------------------------- helpers


def _streams(seed: int, n: int) -> list[np.random.Generator]:
    return [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(n)]


def _pick(rng: np.random.Generator, pool: list, k: int) -> list:
    """k distinct members of pool, in pool order."""
    if k > len(pool):
        raise ValueError(f"cannot pick {k} of {len(pool)}")
    chosen = set(rng.choice(len(pool), size=k, replace=False).tolist())
    return [x for i, x in enumerate(pool) if i in chosen]


def _expand(counts: dict, rng: np.random.Generator) -> list:
    values = [k for k, n in counts.items() for _ in range(n)]
    return [values[i] for i in rng.permutation(len(values))]


def _spread(total: int, lows: list[int], highs: list[int], rng: np.random.Generator) -> list[int]:
    """Integers within [low, high] each, summing to total, at random."""
    values = list(lows)
    if not sum(lows) <= total <= sum(highs):
        raise ValueError("total outside the bounds")
    while sum(values) < total:
        room = [i for i, v in enumerate(values) if v < highs[i]]
        values[room[int(rng.integers(len(room)))]] += 1
    return values


def _family_ids(rng: np.random.Generator) -> dict[str, list[str]]:
    groups = np.array(["cjg"] * APPROACHED["cjg"] + ["bjz"] * APPROACHED["bjz"])
    groups = groups[rng.permutation(len(groups))]
    ids = [f"PD-{i:04d}" for i in range(1, len(groups) + 1)]
    return {g: [i for i, gg in zip(ids, groups, strict=True) if gg == g] for g in GROUPS}


# ----------------------------------------------------------------------------- design


def _design(rng: np.random.Generator) -> dict:
    """Who takes part, who is interviewed when, and the fixed household / nvt structure."""
    ids = _family_ids(rng)
    d: dict = {"ids": ids, "group": {f: g for g in GROUPS for f in ids[g]}}
    for g in GROUPS:
        part = _pick(rng, ids[g], PARTICIPATING[g])
        d[g] = {"participants": part}
    # CJG: two parents without the care questions; one of them is the family with
    # incomplete characteristics (no registration data, household and education unknown).
    cjg = d["cjg"]
    part = cjg["participants"]
    no_care = _pick(rng, part, 2)
    cjg["incomplete"] = no_care[0]
    care = [f for f in part if f not in no_care]
    cjg["care"] = care
    singles = _pick(rng, care, HOUSEHOLD["cjg"]["een_ouder"])
    rest = [f for f in part if f not in singles and f != cjg["incomplete"]]
    unknown_household = [cjg["incomplete"], *_pick(rng, rest, HOUSEHOLD["cjg"][None] - 1)]
    cjg["household"] = {
        f: ("een_ouder" if f in singles else (None if f in unknown_household else "twee_ouder"))
        for f in part
    }
    cjg["nvt"] = singles  # 'Steun van partner': n.v.t. for the two single CJG parents
    t3_single = _pick(rng, singles, 1)
    cjg["T3"] = sorted(t3_single + _pick(rng, [f for f in care if f not in singles], 3))
    cjg["T2"] = _pick(rng, care, PARENTS["cjg"]["T2"])
    cjg["nvt_T3"] = t3_single

    bjz = d["bjz"]
    part = bjz["participants"]
    bjz["care"] = list(part)
    bjz_singles = _pick(rng, part, HOUSEHOLD["bjz"]["een_ouder"])
    bjz["household"] = {f: ("een_ouder" if f in bjz_singles else "twee_ouder") for f in part}
    bjz["nvt"] = _pick(rng, bjz_singles, 3)
    bjz["T3"] = _pick(rng, [f for f in part if f not in bjz["nvt"]], PARENTS["bjz"]["T3"])
    bjz["T2"] = _pick(rng, part, PARENTS["bjz"]["T2"])
    bjz["nvt_T3"] = []
    bjz["incomplete"] = None

    for g in GROUPS:
        x = d[g]
        x["T1"] = list(x["participants"])
        for name, sizes in (("prof", PROFESSIONALS[g]), ("info", FAMILY_INFORMANTS[g])):
            t1 = _pick(rng, x["participants"], sizes["T1"])
            x[name] = {
                "T1": t1,
                "T2": _pick(rng, t1, sizes["T2"]),
                "T3": _pick(rng, t1, sizes["T3"]),
            }
    return d


# ----------------------------------------------------------------------------- files


def _registrations(rng: np.random.Generator) -> pd.DataFrame:
    rows = []

    def add(period: str, municipality: str, registered: int, held: int) -> None:
        start, end = PERIODS[period]
        days = (end - start).days + 1
        flags = _expand({1: held, 0: registered - held}, rng)
        for flag in flags:
            date = start + dt.timedelta(days=int(rng.integers(days)))
            rows.append((date, municipality, flag))

    registered, held = FIRST_PERIOD
    weights = np.array([REGISTRATIONS["2010_2011"][m][0] for m in MUNICIPALITIES], dtype=float)
    per_municipality = rng.multinomial(registered, weights / weights.sum())
    held_in = _expand(
        {m: int(k) for m, k in zip(MUNICIPALITIES, per_municipality, strict=True)}, rng
    )[:held]
    for m, k in zip(MUNICIPALITIES, per_municipality, strict=True):
        add("may_oct_2010", m, int(k), held_in.count(m))
    for period, table in REGISTRATIONS.items():
        for m, (r, h) in table.items():
            add(period, m, r, h)
    rows.sort(key=lambda r: (r[0], MUNICIPALITIES.index(r[1]), r[2]))
    return pd.DataFrame(
        {
            "aanmelding_id": [f"AM{i:04d}" for i in range(1, len(rows) + 1)],
            "gemeente": [r[1] for r in rows],
            "aanmelddatum": [r[0] for r in rows],
            "ekc_gehouden": [int(r[2]) for r in rows],
        }
    )


def _register(registrations: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The register's way in, outcome, reason and conference date of each registration (its
    own random stream, so the dates and municipalities above stay as they were)."""
    entries, statuses, reasons, conference_dates = [], [], [], []
    for date, held in zip(
        registrations["aanmelddatum"], registrations["ekc_gehouden"], strict=True
    ):
        ways = {k: w for k, w in ENTRY.items() if k != "wmo_loket" or date >= WMO_FROM}
        weights = np.array(list(ways.values()))
        entries.append(list(ways)[int(rng.choice(len(ways), p=weights / weights.sum()))])
        reason, conference = None, None
        if held:
            status = "gehouden"
            low, high = WEEKS_TO_CONFERENCE
            conference = date + dt.timedelta(days=int(rng.integers(7 * low, 7 * high + 1)))
        elif date >= PLANNED_FROM and rng.random() < 0.5:
            status = "gepland"
        else:
            status = list(NOT_HELD)[int(rng.choice(len(NOT_HELD), p=list(NOT_HELD.values())))]
            if rng.random() < REASON_RECORDED:
                reason = list(REASONS)[int(rng.choice(len(REASONS), p=list(REASONS.values())))]
        statuses.append(status)
        reasons.append(reason)
        conference_dates.append(conference)
    return pd.DataFrame(
        {
            "aanmelding_id": registrations["aanmelding_id"],
            "gemeente": registrations["gemeente"],
            "aanmelddatum": registrations["aanmelddatum"],
            "ingang": entries,
            "status": statuses,
            "reden_geen_ekc": reasons,
            "datum_ekc": conference_dates,
        }
    )


def _income(rng: np.random.Generator, n: int, mean: int, sd: float) -> list[int]:
    """n amounts in multiples of 50 euro with exactly the given mean."""
    draws = [int(round(v / 50.0)) * 50 for v in rng.normal(mean, sd, size=n)]
    draws[-1] += mean * n - sum(draws)
    return draws


def _families(d: dict, rng: np.random.Generator) -> pd.DataFrame:
    columns = [
        "gezin_id",
        "groep",
        "deelname",
        "kenmerken_compleet",
        "n_kinderen",
        "huishouden",
        "opleiding",
        "betaald_werk",
        "netto_inkomen",
        "vrijwilligerswerk",
        "volgt_opleiding",
        "aanwezig_minderjarig",
        "aanwezig_volwassen",
        "afspraken_netwerk",
        "afspraken_professionals",
        "afspraken_overig",
        "plan_gemaakt",
    ]
    record: dict[str, dict] = {
        f: {c: None for c in columns}
        | {"gezin_id": f, "groep": g, "deelname": 0, "kenmerken_compleet": 0}
        for g in GROUPS
        for f in d["ids"][g]
    }
    all_participants = [f for g in GROUPS for f in d[g]["participants"]]
    volunteers = set(_pick(rng, sorted(all_participants), VOLUNTEERS))
    students = set(_pick(rng, sorted(all_participants), STUDENTS))
    for g in GROUPS:
        x = d[g]
        part = x["participants"]
        total, low, high = N_CHILDREN_TOTAL[g]
        children = dict(
            zip(part, _spread(total, [low] * len(part), [high] * len(part), rng), strict=True)
        )
        incomplete = x["incomplete"]
        others = [f for f in part if f != incomplete]
        unknown_education = EDUCATION[g][None] - (1 if incomplete else 0)
        education_pool = _expand(
            {k: v for k, v in EDUCATION[g].items() if k} | {None: unknown_education}, rng
        )
        education = dict(zip(others, education_pool, strict=True))
        if incomplete:
            education[incomplete] = None
        working = set(_pick(rng, part, PAID_WORK[g]))
        if g == "cjg":
            income = dict(
                zip(
                    sorted(working),
                    _income(rng, len(working), INCOME_CJG_WORKING, 250),
                    strict=True,
                )
            )
        else:
            idle = [f for f in part if f not in working]
            income = dict(
                zip(sorted(working), _income(rng, len(working), INCOME_BJZ, 150), strict=True)
            )
            income |= dict(zip(idle, _income(rng, len(idle), INCOME_BJZ, 120), strict=True))
        with_conference = [f for f in part if f != incomplete]
        conference = {}
        for column, (total, low, high) in CONFERENCE[g].items():
            n = len(with_conference)
            highs = [children[f] for f in with_conference] if high is None else [high] * n
            conference[column] = dict(
                zip(with_conference, _spread(total, [low] * n, highs, rng), strict=True)
            )
        for f in part:
            r = record[f]
            r.update(
                deelname=1,
                kenmerken_compleet=int(f != incomplete),
                n_kinderen=children[f],
                huishouden=x["household"][f],
                opleiding=education[f],
                betaald_werk=int(f in working),
                netto_inkomen=income.get(f),
                vrijwilligerswerk=int(f in volunteers),
                volgt_opleiding=int(f in students),
                plan_gemaakt=1,
            )
            if f in conference["afspraken_netwerk"]:
                for column in CONFERENCE[g]:
                    r[column] = conference[column][f]
    return pd.DataFrame([record[f] for f in sorted(record)], columns=columns, dtype=object)


def _problems(d: dict, rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    codes = list(PROBLEM_CODES)
    for g in GROUPS:
        families = [f for f in d[g]["participants"] if f != d[g]["incomplete"]]
        totals = dict(zip(codes, PROBLEM_COUNTS[g], strict=True))
        low, high = PROBLEMS_PER_FAMILY[g]
        for _ in range(1000):
            sizes = _spread(
                sum(totals.values()), [low] * len(families), [high] * len(families), rng
            )
            remaining = dict(totals)
            chosen: dict[str, list[str]] = {}
            order = sorted(range(len(families)), key=lambda i: (-sizes[i], rng.random()))
            ok = True
            for i in order:
                ranked = sorted(
                    (c for c in codes if remaining[c] > 0),
                    key=lambda c: (-remaining[c], rng.random()),
                )
                if len(ranked) < sizes[i]:
                    ok = False
                    break
                chosen[families[i]] = ranked[: sizes[i]]
                for c in chosen[families[i]]:
                    remaining[c] -= 1
            if ok and not any(remaining.values()):
                break
        else:  # pragma: no cover - the margins are feasible
            raise ValueError(f"problem totals not met for {g}")
        for f in families:
            rows += [(f, c) for c in codes if c in chosen[f]]
    rows.sort()
    return pd.DataFrame(rows, columns=["gezin_id", "probleem"])


def _parents_with_care_questions(d: dict, g: str, meting: str) -> list[str]:
    return sorted(d[g]["care"] if meting == "T1" else d[g][meting])


def _interviews(d: dict) -> pd.DataFrame:
    rows = []
    for g in GROUPS:
        x = d[g]
        for meting in MOMENTS:
            care = set(_parents_with_care_questions(d, g, meting))
            for f in x[meting]:
                rows.append((f, "ouder", meting, int(f in care)))
            for f in x["prof"][meting]:
                rows.append((f, "hulpverlener", meting, 0))
            for f in x["info"][meting]:
                rows.append((f, "gezinsinformant", meting, 0))
    order = {"ouder": 0, "hulpverlener": 1, "gezinsinformant": 2}
    rows.sort(key=lambda r: (r[0], order[r[1]], r[2]))
    return pd.DataFrame(rows, columns=["gezin_id", "informant", "meting", "zorgvragen"])


def _care(d: dict, rng: np.random.Generator) -> pd.DataFrame:
    # A care propensity per family, so that heavy users recur across types and moments.
    propensity = {f: float(rng.gamma(2.0, 1.0)) + 0.2 for g in GROUPS for f in d[g]["participants"]}
    rows = []
    for zorg_voor, table in (("kind", CARE_CHILD), ("ouder", CARE_PARENT)):
        for gi, g in enumerate(GROUPS):
            for mi, meting in enumerate(MOMENTS):
                families = _parents_with_care_questions(d, g, meting)
                weights = np.array([propensity[f] for f in families])
                for zorgvorm, counts in table.items():
                    k = counts[3 * gi + mi]
                    if k == 0:
                        continue
                    idx = rng.choice(
                        len(families), size=k, replace=False, p=weights / weights.sum()
                    )
                    rows += [
                        (families[i], meting, zorg_voor, zorgvorm) for i in sorted(idx.tolist())
                    ]
    types = {("kind", t): i for i, t in enumerate(CARE_CHILD)} | {
        ("ouder", t): 100 + i for i, t in enumerate(CARE_PARENT)
    }
    rows.sort(key=lambda r: (r[0], r[1], types[(r[2], r[3])]))
    return pd.DataFrame(rows, columns=["gezin_id", "meting", "zorg_voor", "zorgvorm"])


def _risk(d: dict, rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for item, (scale, columns) in B1.items():
        for (informant, g, meting), counts in zip(B1_COLUMNS, columns, strict=False):
            x = d[g]
            if informant == "ouder":
                respondents = _parents_with_care_questions(d, g, meting)
            else:
                respondents = sorted(x["prof"][meting])
            answers = dict(zip(scale, counts, strict=True))
            fixed: dict[str, str] = {}
            if item == "partner_support_upbringing" and informant == "ouder":
                # n.v.t. (no partner) for single parents.
                for f in x["nvt"] if meting == "T1" else x["nvt_T3"]:
                    fixed[f] = "nvt"
                if len(fixed) != answers["nvt"]:
                    raise ValueError("n.v.t. answers do not match the single parents")
                answers["nvt"] = 0
            free = [f for f in respondents if f not in fixed]
            pool = _expand(answers, rng)
            answered = _pick(rng, free, len(pool))
            given = dict(zip(answered, pool, strict=True)) | fixed
            rows += [(f, informant, meting, item, a) for f, a in given.items()]
    items = {item: i for i, item in enumerate(B1)}
    informants = {"ouder": 0, "hulpverlener": 1}
    rows.sort(key=lambda r: (r[0], informants[r[1]], r[2], items[r[3]]))
    return pd.DataFrame(rows, columns=["gezin_id", "informant", "meting", "item", "antwoord"])


def _pul(d: dict, rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for g in GROUPS:
        x = d[g]
        t3 = sorted(x["T3"])
        for meting in ("T1", "T3"):
            optimism, autonomy = PUL[(g, meting)]
            n = sum(optimism.values())
            if meting == "T3":
                families = t3
            else:  # the T3 parents and others of those asked the care questions
                others = [f for f in sorted(x["care"]) if f not in t3]
                families = sorted(t3 + _pick(rng, others, n - len(t3)))
            so = _expand(optimism, rng)
            au = _expand(autonomy, rng)
            rows += [(f, meting, a, b) for f, a, b in zip(families, so, au, strict=True)]
    rows.sort(key=lambda r: (r[0], r[1]))
    return pd.DataFrame(rows, columns=["gezin_id", "meting", "sociaal_optimisme", "autonomie"])


def _experiences(d: dict, rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for g in GROUPS:
        x = d[g]
        for informant, families in (
            ("ouder", sorted(x["T1"])),
            ("hulpverlener", sorted(x["prof"]["T1"])),
            ("gezinsinformant", sorted(x["info"]["T1"])),
        ):
            expectation = _expand(EXPECTATION[(informant, g)], rng)
            if informant == "ouder":
                experience = _expand(
                    {
                        "niet_positief": EXPERIENCE_NOT_POSITIVE[g],
                        "positief": len(families) - EXPERIENCE_NOT_POSITIVE[g],
                    },
                    rng,
                )
            elif informant == "hulpverlener":
                experience = ["positief"] * len(families)
            else:
                experience = [None] * len(families)
            rows += [
                (f, informant, "T1", e, x_, None)
                for f, e, x_ in zip(families, expectation, experience, strict=True)
            ]
        situation = _expand(FAMILY_SITUATION[g], rng)
        rows += [
            (f, "ouder", "T3", None, None, s)
            for f, s in zip(sorted(x["T3"]), situation, strict=True)
        ]
    order = {"ouder": 0, "hulpverlener": 1, "gezinsinformant": 2}
    rows.sort(key=lambda r: (r[0], order[r[1]], r[2]))
    return pd.DataFrame(
        rows,
        columns=[
            "gezin_id",
            "informant",
            "meting",
            "verwachting",
            "ervaring_ekc",
            "gezinssituatie",
        ],
    )


# --- Section 4.2-4.4 text: help before the conference, clubs, the conference's company ---
# Help before the EK-c (Figure 4.1 text): nearly all (<100%), most for more than a year,
# two for more than five years; over the 19 participating families.
PRIOR_CARE = {"geen": 1, "korter_dan_1j": 6, "1_5j": 10, "langer_dan_5j": 2}
# Families visiting a club or community centre: parents before / after, children.
CLUB_PARENT_BEFORE = {"cjg": 3, "bjz": 1}
CLUB_PARENT_AFTER = {"cjg": 3, "bjz": 1}
CLUB_CHILD = {"cjg": 1, "bjz": 0}
# Conferences with children of an age band present; one professional stayed throughout (BJZ).
CHILDREN_PRESENT = {
    "cjg": {"0_4": 1, "5_12": 6, "13_17": 7},
    "bjz": {"0_4": 2, "5_12": 8, "13_17": 3},
}
PROFESSIONAL_THROUGHOUT = {"cjg": 0, "bjz": 1}


def _background(d: dict, rng: np.random.Generator) -> pd.DataFrame:
    """One row per participating family: help before the conference, clubs, and for the
    families with conference data who was present."""
    part = [f for g in GROUPS for f in d[g]["participants"]]
    prior = dict(zip(sorted(part), _expand(PRIOR_CARE, rng), strict=True))
    rows = {f: {"gezin_id": f, "hulp_voor_ekc": prior[f]} for f in part}
    for g in GROUPS:
        members = d[g]["participants"]
        before = set(_pick(rng, members, CLUB_PARENT_BEFORE[g]))
        after = set(_pick(rng, members, CLUB_PARENT_AFTER[g]))
        child = set(_pick(rng, members, CLUB_CHILD[g]))
        conference = [f for f in members if f != d[g]["incomplete"]]
        present = {band: set(_pick(rng, conference, k)) for band, k in CHILDREN_PRESENT[g].items()}
        throughout = set(_pick(rng, conference, PROFESSIONAL_THROUGHOUT[g]))
        for f in members:
            row = rows[f]
            row.update(
                vereniging_ouder_voor=int(f in before),
                vereniging_ouder_na=int(f in after),
                vereniging_kind=int(f in child),
            )
            for band in ("0_4", "5_12", "13_17"):
                row[f"kinderen_aanwezig_{band}"] = (
                    int(f in present[band]) if f in conference else None
                )
            row["hulpverlener_hele_conferentie"] = int(f in throughout) if f in conference else None
    columns = [
        "gezin_id", "hulp_voor_ekc", "vereniging_ouder_voor", "vereniging_ouder_na",
        "vereniging_kind", "kinderen_aanwezig_0_4", "kinderen_aanwezig_5_12",
        "kinderen_aanwezig_13_17", "hulpverlener_hele_conferentie",
    ]  # fmt: skip
    return pd.DataFrame([rows[f] for f in sorted(rows)], columns=columns, dtype=object)


def write(out: Path, seed: int) -> list[Path]:
    """Write the nine exports into `out`; returns the files written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    streams = _streams(seed, 10)
    design = _design(streams[0])
    frames = {
        "registrations": _register(_registrations(streams[1]), streams[9]),
        "families": _families(design, streams[2]),
        "problems": _problems(design, streams[3]),
        "interviews": _interviews(design),
        "care": _care(design, streams[4]),
        "risk": _risk(design, streams[5]),
        "pul": _pul(design, streams[6]),
        "experiences": _experiences(design, streams[7]),
        "background": _background(design, streams[8]),
    }
    written = []
    for key, name in FILES.items():
        frame = frames[key].astype(object).where(frames[key].notna(), None)
        path = out / name
        write_dutch_csv(frame, path)
        written.append(path)
    return written


# ----------------------------------------------------------------------------- check


def _read(raw_dir: Path) -> dict[str, pd.DataFrame]:
    return {
        key: pd.read_csv(
            Path(raw_dir) / name, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False
        )
        for key, name in FILES.items()
    }


def _record(id_: str, value: object, method: str) -> dict:
    return {
        "id": id_,
        "value": value,
        "method": f"generator check: {method}",
        "note": CONTRADICTED.get(id_, ""),
    }


def _pct(part: int, whole: int) -> float | None:
    return None if whole == 0 else 100.0 * part / whole


def check(raw_dir: Path) -> list[dict]:
    """Recompute published figures straight from the written files (plain pandas)."""
    f = _read(Path(raw_dir))
    records: list[dict] = []
    add = records.append

    # Tables 3.1, 3.2 and the ratios of section 3.5
    reg = f["registrations"]
    date = pd.to_datetime(reg["aanmelddatum"], format="%d-%m-%Y").dt.date
    reg = reg.assign(
        period=date.map(lambda x: next(p for p, (a, b) in PERIODS.items() if a <= x <= b)),
        held=(reg["status"] == "gehouden").astype(int),
    )
    how = "rows of aanmeldingen.csv by aanmelddatum period"
    for period in PERIODS:
        sub = reg[reg["period"] == period]
        add(_record(f"pd:3.1:conferences_registered:-:cjg:{period}:count", float(len(sub)), how))
        add(_record(f"pd:3.1:conferences_held:-:cjg:{period}:count", float(sub["held"].sum()), how))
    add(_record("pd:3.1:conferences_registered:total:cjg:-:count", float(len(reg)), how))
    add(_record("pd:3.1:conferences_held:total:cjg:-:count", float(reg["held"].sum()), how))
    for period in REGISTRATIONS:
        for m in MUNICIPALITIES:
            sub = reg[(reg["period"] == period) & (reg["gemeente"] == m)]
            add(
                _record(
                    f"pd:3.2:conferences_registered:{m}:cjg:{period}:count", float(len(sub)), how
                )
            )
            add(
                _record(
                    f"pd:3.2:conferences_held:{m}:cjg:{period}:count", float(sub["held"].sum()), how
                )
            )
    for m in ("steenwijkerland", "hengelo"):
        before = ((reg["period"] == "2010_2011") & (reg["gemeente"] == m)).sum()
        after = ((reg["period"] == "2011_2012") & (reg["gemeente"] == m)).sum()
        add(
            _record(
                f"pd:text3:conferences_registered:{m}:cjg:2011_2012_vs_2010_2011:ratio",
                float(after / before),
                "registrations 2011_2012 / 2010_2011",
            )
        )
    add(_record("pd:text4:conferences_held:-:cjg:-:count", float(reg["held"].sum()), how))
    # Section 3.3.4 and 5.3.2: who offered the conference, and the share held
    usual = reg["ingang"].isin(["maatschappelijk_werk", "jeugdgezondheidszorg"])
    add(
        _record(
            "pd:text3:registration_entry:social_work_or_youth_health_care:cjg:-:pct",
            _pct(int(usual.sum()), len(reg)),
            "ingang of aanmeldingen.csv",
        )
    )
    held_id = "pd:text5:conferences_held:total:cjg:-"
    add(_record(f"{held_id}:count", float(reg["held"].sum()), how))
    add(_record(f"{held_id}:n", float(len(reg)), how))
    add(_record(f"{held_id}:pct", _pct(int(reg["held"].sum()), len(reg)), "held / registered"))

    # Families and interviews (4.1, 4.2)
    fam = f["families"]
    part = fam[fam["deelname"] == "1"]
    met = f["interviews"]
    for g in GROUPS:
        approached = fam[fam["groep"] == g]
        n_part = int((approached["deelname"] == "1").sum())
        add(
            _record(
                f"pd:text4:participants:parent:{g}:start:n",
                float(len(approached)),
                "families per groep",
            )
        )
        add(
            _record(
                f"pd:text4:participants:parent:{g}:start:pct",
                _pct(n_part, len(approached)),
                "deelname=1 / families",
            )
        )
    group_of = dict(zip(fam["gezin_id"], fam["groep"], strict=True))
    met = met.assign(groep=met["gezin_id"].map(group_of))
    informant_tokens = {
        "ouder": "parent",
        "hulpverlener": "professional",
        "gezinsinformant": "family_informant",
    }
    for (informant, g, meting), sub in met.groupby(["informant", "groep", "meting"]):
        add(
            _record(
                f"pd:text4:participants:{informant_tokens[informant]}:{g}:{MOMENTS[meting]}:count",
                float(len(sub)),
                "rows of metingen.csv per informant, groep, meting",
            )
        )
    followup = met[(met["informant"] != "ouder") & (met["meting"] != "T1")]
    add(
        _record(
            "pd:text4:informants_followup_per_group:-:all:-:max",
            float(followup.groupby(["informant", "groep", "meting"]).size().max()),
            "largest number of professionals or family informants per group at T2/T3",
        )
    )
    add(
        _record(
            "pd:text4:n_measurements:-:all:-:count",
            float(met["meting"].nunique()),
            "distinct meting",
        )
    )
    add(
        _record(
            "pd:text4:characteristics_complete:-:all:start:count",
            float((part["kenmerken_compleet"] == "1").sum()),
            "participants with kenmerken_compleet=1",
        )
    )
    add(
        _record("pd:text4:characteristics_complete:-:all:start:n", float(len(part)), "participants")
    )

    def count(frame: pd.DataFrame, column: str, value: str) -> int:
        return int((frame[column] == value).sum())

    for g in GROUPS:
        p = part[part["groep"] == g]
        for code, token in (
            ("twee_ouder", "two_parent"),
            ("een_ouder", "single_parent"),
            ("", "unknown"),
        ):
            if g == "bjz" and token == "unknown":
                continue  # the report prints no unknown household for BJZ (5 + 3 = 8)
            add(
                _record(
                    f"pd:text4:household:{token}:{g}:start:count",
                    float(count(p, "huishouden", code)),
                    "participants by huishouden",
                )
            )
        for code, token in (("mbo", "mbo"), ("lbo", "lbo"), ("", "unknown")):
            add(
                _record(
                    f"pd:text4:education:{token}:{g}:start:count",
                    float(count(p, "opleiding", code)),
                    "participants by opleiding",
                )
            )
        add(
            _record(
                f"pd:text4:paid_work:yes:{g}:start:count",
                float(count(p, "betaald_werk", "1")),
                "betaald_werk=1",
            )
        )
        add(_record(f"pd:text4:paid_work:yes:{g}:start:n", float(len(p)), "participants"))
        add(
            _record(
                f"pd:text4:n_children:-:{g}:start:mean",
                p["n_kinderen"].astype(int).mean(),
                "mean n_kinderen",
            )
        )
        income = p.loc[p["netto_inkomen"] != "", "netto_inkomen"].astype(float)
        add(
            _record(
                f"pd:text4:net_income_eur:-:{g}:start:mean",
                income.mean(),
                "mean netto_inkomen where given",
            )
        )
        conf = p[p["afspraken_netwerk"] != ""]
        parts = {
            c: conf[c].astype(int)
            for c in (
                "aanwezig_minderjarig",
                "aanwezig_volwassen",
                "afspraken_netwerk",
                "afspraken_professionals",
                "afspraken_overig",
            )
        }
        cmethod = "mean over participants with conference data"
        add(
            _record(
                f"pd:text4:attendees:-:{g}:-:mean",
                (parts["aanwezig_minderjarig"] + parts["aanwezig_volwassen"]).mean(),
                cmethod,
            )
        )
        add(
            _record(
                f"pd:text4:attendees_minor:-:{g}:-:mean",
                parts["aanwezig_minderjarig"].mean(),
                cmethod,
            )
        )
        add(
            _record(
                f"pd:text4:attendees_adult:-:{g}:-:mean",
                parts["aanwezig_volwassen"].mean(),
                cmethod,
            )
        )
        agreements = (
            parts["afspraken_netwerk"]
            + parts["afspraken_professionals"]
            + parts["afspraken_overig"]
        )
        add(
            _record(
                f"pd:text4:agreements:-:{g}:-:mean",
                agreements.mean(),
                cmethod + " (sum of the three kinds)",
            )
        )
        add(
            _record(
                f"pd:text4:agreements_with_network:-:{g}:-:mean",
                parts["afspraken_netwerk"].mean(),
                cmethod,
            )
        )
        add(
            _record(
                f"pd:text4:agreements_with_professionals:-:{g}:-:mean",
                parts["afspraken_professionals"].mean(),
                cmethod,
            )
        )
        add(
            _record(
                f"pd:text4:agreements_with_other_professionals:-:{g}:-:mean",
                parts["afspraken_overig"].mean(),
                cmethod,
            )
        )
        add(
            _record(
                f"pd:text4:agreements_with_network_share:-:{g}:-:pct",
                _pct(parts["afspraken_netwerk"].sum(), agreements.sum()),
                "network / all agreements",
            )
        )
        add(
            _record(
                f"pd:text4:plan_made:yes:{g}:-:pct",
                _pct(count(p, "plan_gemaakt", "1"), len(p)),
                "plan_gemaakt=1 / participants",
            )
        )
    add(
        _record(
            "pd:text4:household:two_parent:cjg:start:pct",
            _pct(
                count(part[part["groep"] == "cjg"], "huishouden", "twee_ouder"),
                int((part["groep"] == "cjg").sum()),
            ),
            "of CJG participants",
        )
    )
    add(
        _record(
            "pd:text4:household:single_parent:bjz:start:n",
            float((part["groep"] == "bjz").sum()),
            "BJZ participants",
        )
    )
    add(
        _record(
            "pd:text4:volunteer_work:yes:all:start:count",
            float(count(part, "vrijwilligerswerk", "1")),
            "vrijwilligerswerk=1",
        )
    )
    add(
        _record(
            "pd:text4:in_education:yes:all:start:count",
            float(count(part, "volgt_opleiding", "1")),
            "volgt_opleiding=1",
        )
    )
    add(
        _record(
            "pd:text4:education:lbo_or_mbo:all:start:pct",
            _pct(int(part["opleiding"].isin(["lbo", "mbo"]).sum()), len(part)),
            "of all participants",
        )
    )

    # Table 4.1 and the number of problems
    prob = f["problems"].assign(groep=lambda x: x["gezin_id"].map(group_of))
    in_both = 0
    for g in GROUPS:
        sub = prob[prob["groep"] == g]
        for code, token in PROBLEM_CODES.items():
            add(
                _record(
                    f"pd:4.1:problems:{token}:{g}:start:pct",
                    _pct(count(sub, "probleem", code), len(sub)),
                    "percent of the group's problem rows",
                )
            )
        add(
            _record(
                f"pd:4.1:problems:total:{g}:start:pct",
                _pct(int(sub["probleem"].isin(PROBLEM_CODES).sum()), len(sub)),
                "all problem rows",
            )
        )
        add(
            _record(
                f"pd:text4:n_problems:-:{g}:start:mean",
                len(sub) / sub["gezin_id"].nunique(),
                "problem rows / families with problems",
            )
        )
    for code in PROBLEM_CODES:
        in_both += all(((prob["groep"] == g) & (prob["probleem"] == code)).any() for g in GROUPS)
    add(
        _record(
            "pd:text4:problem_types_in_both_groups:-:all:start:pct",
            _pct(in_both, len(PROBLEM_CODES)),
            "categories found in both groups",
        )
    )

    # Tables 4.2 and 4.3
    care = f["care"].assign(groep=lambda x: x["gezin_id"].map(group_of))
    asked = met[(met["informant"] == "ouder") & (met["zorgvragen"] == "1")]
    means = {}
    for table, zorg_voor, variable, types in (
        ("4.2", "kind", "care_child", CARE_CHILD),
        ("4.3", "ouder", "care_parent", CARE_PARENT),
    ):
        for g in GROUPS:
            for meting, moment in MOMENTS.items():
                n = int(((asked["groep"] == g) & (asked["meting"] == meting)).sum())
                sub = care[
                    (care["groep"] == g)
                    & (care["meting"] == meting)
                    & (care["zorg_voor"] == zorg_voor)
                ]
                add(
                    _record(
                        f"pd:{table}:sample:-:{g}:{moment}:n", float(n), "parents with zorgvragen=1"
                    )
                )
                for t in types:
                    add(
                        _record(
                            f"pd:{table}:{variable}:{t}:{g}:{moment}:count",
                            float(sub.loc[sub["zorgvorm"] == t, "gezin_id"].nunique()),
                            "families with this zorgvorm",
                        )
                    )
                add(
                    _record(
                        f"pd:{table}:care_points_{variable[5:]}:-:{g}:{moment}:count",
                        float(len(sub)),
                        "rows of zorggebruik.csv",
                    )
                )
                means[(variable, g, moment)] = len(sub) / n
                add(
                    _record(
                        f"pd:{table}:care_points_{variable[5:]}:-:{g}:{moment}:mean",
                        len(sub) / n,
                        "rows / n",
                    )
                )
    for variable, decimals in (("care_child", 1), ("care_parent", 1)):
        for g in GROUPS:
            start = round_half_up(means[(variable, g, "start")], decimals)
            end = round_half_up(means[(variable, g, "6m")], decimals)
            change = 100.0 * (end - start) / start
            stat = "pct_decrease" if change < 0 else "pct_increase"
            add(
                _record(
                    f"pd:text4:care_points_{variable[5:]}:start_vs_6m:{g}:-:{stat}",
                    abs(change),
                    "change between the rounded means of T1 and T3 (as the report computes)",
                )
            )

    # Table B.1 and the statements about it
    risk = f["risk"].assign(groep=lambda x: x["gezin_id"].map(group_of))
    inf = {"ouder": "parent", "hulpverlener": "professional"}
    for item, (scale, columns) in B1.items():
        for (informant, g, meting), _ in zip(B1_COLUMNS, columns, strict=False):
            sub = risk[
                (risk["item"] == item)
                & (risk["informant"] == informant)
                & (risk["groep"] == g)
                & (risk["meting"] == meting)
            ]
            for code in scale:
                add(
                    _record(
                        f"pd:B.1:{item}_{inf[informant]}_report:{ANSWER_TOKENS[code]}:{g}:{MOMENTS[meting]}:count",
                        float(count(sub, "antwoord", code)),
                        "answers in risicofactoren.csv",
                    )
                )
    statements = [
        ("support_from_environment", "ouder", "eens", ["cjg"], "T1"),
        ("support_from_environment", "ouder", "eens", ["bjz"], "T1"),
        ("support_from_environment", "ouder", "eens", ["cjg"], "T3"),
        ("support_from_environment", "ouder", "eens", ["bjz"], "T3"),
        ("support_from_environment", "hulpverlener", "oneens", GROUPS, "T1"),
        ("satisfied_contact_children", "hulpverlener", "eens", GROUPS, "T1"),
        ("worries_children_by_parent", "ouder", "wel", GROUPS, "T1"),
        ("worries_children_by_parent", "hulpverlener", "wel", GROUPS, "T1"),
        ("worries_children_by_environment", "ouder", "wel", GROUPS, "T1"),
        ("worries_children_by_environment", "ouder", "niet", ["cjg"], "T3"),
        ("worries_children_by_environment", "hulpverlener", "niet", GROUPS, "T1"),
        ("less_attention_own_problems", "hulpverlener", "niet", GROUPS, "T1"),
        ("confidence_childrens_future", "ouder", "eens", ["cjg"], "T1"),
        ("confidence_childrens_future", "ouder", "eens", ["bjz"], "T1"),
        ("confidence_childrens_future", "ouder", "eens", ["cjg"], "T3"),
        ("confidence_childrens_future", "ouder", "eens", ["bjz"], "T3"),
        ("confidence_childrens_future", "hulpverlener", "oneens", ["cjg"], "T1"),
        ("confidence_childrens_future", "hulpverlener", "oneens", ["bjz"], "T1"),
        ("trust_openness_parent_child", "ouder", "eens", ["cjg"], "T1"),
        ("trust_openness_parent_child", "ouder", "eens", ["bjz"], "T1"),
        ("support_from_environment", "ouder", "eens", GROUPS, "T1"),
        ("keeps_appointments_professionals", "ouder", "eens", GROUPS, "T1"),
        ("confidence_childrens_future", "ouder", "eens", GROUPS, "T1"),
        ("worries_children_by_environment", "ouder", "niet", GROUPS, "T1"),
    ]
    for item, informant, code, groups, meting in statements:
        sub = risk[
            (risk["item"] == item)
            & (risk["informant"] == informant)
            & risk["groep"].isin(groups)
            & (risk["meting"] == meting)
        ]
        group = groups[0] if len(groups) == 1 else "all"
        add(
            _record(
                f"pd:text4:{item}_{inf[informant]}_report:{ANSWER_TOKENS[code]}:{group}:{MOMENTS[meting]}:pct",
                _pct(count(sub, "antwoord", code), len(sub)),
                "percent of the answers",
            )
        )
    for item, informant, code in (
        ("satisfied_contact_children", "ouder", "eens"),
        ("less_attention_own_problems", "ouder", "niet"),
    ):
        shares = []
        for meting in ("T1", "T3"):
            sub = risk[
                (risk["item"] == item)
                & (risk["informant"] == informant)
                & (risk["meting"] == meting)
            ]
            shares.append(_pct(count(sub, "antwoord", code), len(sub)))
        add(
            _record(
                f"pd:text4:{item}_{inf[informant]}_report:{ANSWER_TOKENS[code]}:all:-:pct",
                min(shares),
                "percent of the answers, the lower of T1 and T3 (the text covers both)",
            )
        )
    bjz_t3 = risk[
        (risk["item"] == "worries_children_by_environment")
        & (risk["informant"] == "ouder")
        & (risk["groep"] == "bjz")
        & (risk["meting"] == "T3")
    ]
    add(
        _record(
            "pd:text4:worries_children_by_environment_parent_report:occurred:bjz:6m:count",
            float(count(bjz_t3, "antwoord", "wel")),
            "answers",
        )
    )
    add(
        _record(
            "pd:text4:worries_children_by_environment_parent_report:occurred:bjz:6m:n",
            float(len(bjz_t3)),
            "answers",
        )
    )
    trust = risk[
        (risk["item"] == "trust_openness_parent_child")
        & (risk["informant"] == "ouder")
        & (risk["meting"] == "T3")
    ]
    add(
        _record(
            "pd:text4:trust_openness_parent_child_parent_report:disagree:all:6m:count",
            float(count(trust, "antwoord", "oneens")),
            "answers",
        )
    )
    tackle = risk[
        (risk["item"] == "able_to_tackle_problems")
        & (risk["informant"] == "ouder")
        & (risk["groep"] == "bjz")
        & (risk["meting"] == "T1")
    ]
    add(
        _record(
            "pd:text4:able_to_tackle_problems_parent_report:agree:bjz:start:count",
            float(count(tackle, "antwoord", "eens")),
            "answers",
        )
    )
    add(
        _record(
            "pd:text4:risk_factor_questions:parent:-:-:count",
            float(risk.loc[risk["informant"] == "ouder", "item"].nunique()),
            "items answered by parents",
        )
    )

    # PUL (4.4.3)
    pul = f["pul"].assign(groep=lambda x: x["gezin_id"].map(group_of))
    levels = {"laag": "low", "gemiddeld": "average", "hoog": "high"}
    for column, token in (
        ("sociaal_optimisme", "pul_social_optimism"),
        ("autonomie", "pul_autonomy"),
    ):
        for (g, meting, level), sub in pul[pul[column] != ""].groupby(["groep", "meting", column]):
            add(
                _record(
                    f"pd:text4:{token}:{levels[level]}:{g}:{MOMENTS[meting]}:count",
                    float(len(sub)),
                    "rows of pul.csv",
                )
            )

    # Expectations, experience and family situation (4.3.3, 4.4.1)
    exp = f["experiences"].assign(groep=lambda x: x["gezin_id"].map(group_of))
    for informant in ("ouder", "hulpverlener", "gezinsinformant"):
        sub = exp[
            (exp["informant"] == informant) & (exp["meting"] == "T1") & (exp["verwachting"] != "")
        ]
        add(
            _record(
                f"pd:text4:expected_effect_{informant_tokens[informant]}_report:positive:all:start:pct",
                _pct(count(sub, "verwachting", "positief"), len(sub)),
                "percent positief of the expectations given",
            )
        )
    sub = exp[(exp["informant"] == "ouder") & (exp["ervaring_ekc"] != "")]
    add(
        _record(
            "pd:text4:conference_experience_parent_report:not_positive:all:start:count",
            float(count(sub, "ervaring_ekc", "niet_positief")),
            "parents",
        )
    )
    sub = exp[(exp["informant"] == "hulpverlener") & (exp["ervaring_ekc"] != "")]
    add(
        _record(
            "pd:text4:conference_experience_professional_report:positive:all:start:pct",
            _pct(count(sub, "ervaring_ekc", "positief"), len(sub)),
            "professionals",
        )
    )
    t3 = exp[
        (exp["informant"] == "ouder") & (exp["meting"] == "T3") & (exp["gezinssituatie"] != "")
    ]
    cjg, bjz = t3[t3["groep"] == "cjg"], t3[t3["groep"] == "bjz"]
    add(
        _record(
            "pd:text4:family_situation_change:unchanged_or_improved:cjg:6m:pct",
            _pct(int(cjg["gezinssituatie"].isin(["onveranderd", "verbeterd"]).sum()), len(cjg)),
            "CJG parents at T3",
        )
    )
    add(
        _record(
            "pd:text4:family_situation_change:improved:cjg:6m:pct",
            _pct(count(cjg, "gezinssituatie", "verbeterd"), len(cjg)),
            "CJG parents at T3",
        )
    )
    add(
        _record(
            "pd:text4:family_situation_change:worse_or_improved:bjz:6m:pct",
            _pct(int(bjz["gezinssituatie"].isin(["verslechterd", "verbeterd"]).sum()), len(bjz)),
            "BJZ parents at T3",
        )
    )
    return records
