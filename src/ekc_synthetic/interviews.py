"""Qualitative interviews (bureau WESP), nine months after the decision: interviews.xlsx.

Two groups of cases:
- 10 EKc cases: prospective families with a conference and a plan, active participants,
  not in the restgroep, with a child of 8 or older (`design["interviewed"]`); 34 interviews.
- 11 shadow cases ('schaduwgroep'): a 'regular' youth-protection decision nine months
  earlier, never offered an EKc, matched on referrer, child's age and decision; 18
  interviews. They are not among the 113 families and get their own case ids (SCH-01 ...).

Sheets: `casussen` (one row per case, the child the interviews were about), `kinderen`
(every child of the shadow cases; the EKc cases' children are on the FREK), `interviews`
(one row per interview) and `uitspraken` (one row per interview and theme: the scored
statement, i.e. the respondent's opinion on the change since the decision).

Targets: table 3.11, the interview columns of tables 3.10 and 4.2 (the EKc column from
the FREK of the interviewed families), and the interview figures of chapters 6-8 (and the
contact figure of 9.5), with the weighting of section 2.6
(see `ekc.youth_protection.clean.interviews`).
The opinions are fixed below case by case, so that the published (weighted) shares follow;
the random stream only sets which family gets which case profile, dates and wording.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from ekc.youth_protection.schemas.interviews import CODES, PROFESSIONAL, THEMES
from ekc_synthetic.writers import write_excel

FILE = "interviews.xlsx"
FAMILY_ROLES = ("ouder", "kind", "gezinsinformant")
# Codes per theme (improved, same, worse, unknown): one letter each in the tables below.
LETTER = {"+": 0, "=": 1, "-": 2, "?": 3}

# --- EKc cases -----------------------------------------------------------------------
# The child the interviews were about (oldest minor child, footnote 3 of table 3.11):
# sex, ethnicity, age at the decision, residence at the decision (= at the interview for
# every EKc case, section 3.4), decision topic, youth-protection measure (None = unknown).
# Table 3.11: 4 boys / 6 girls, 7 autochthonous, mean age 14.5, 3 home / 4 kinship / 3 group,
# 8 / 1 / 1 topics; table 3.10 (interview column): 1 none, 1 council report, 6 OTS, 2 unknown.
EKC_CHILDREN = [
    ("meisje", "autochtoon", 15, "thuis", "uithuisplaatsing voorkomen", "ots"),
    ("meisje", "autochtoon", 14, "netwerkgezin", "waar wonen", "ots"),
    ("meisje", "autochtoon", 16, "groep", "waar wonen", "ots"),
    ("jongen", "autochtoon", 13, "thuis", "steun familie", "geen"),
    ("meisje", "allochtoon", 14, "netwerkgezin", "waar wonen", "ots"),
    ("jongen", "autochtoon", 11, "thuis", "waar wonen", "raadsmelding"),
    ("jongen", "allochtoon", 16, "netwerkgezin", "waar wonen", "ots"),
    ("meisje", "autochtoon", 15, "groep", "waar wonen", None),
    ("jongen", "allochtoon", 14, "netwerkgezin", "waar wonen", None),
    ("meisje", "autochtoon", 17, "groep", "waar wonen", "ots"),
]
# Who was interviewed, case by case, with the opinion per theme in the order veiligheid,
# steun, regie, contact (+ improved / = same / - worse / ? unknown). Chapter 2: 10
# referrers (one case none: the referrer declined because the youth had turned 18; one
# case two, the second took the case over), 6 parents, 7 children, 11 family informants.
# The shares of chapters 6-8 follow from these codes with the weights of section 2.6.
EKC_INTERVIEWS: list[list[tuple[str, str, str]]] = [
    [
        (PROFESSIONAL, "gezinsvoogd", "++++"),
        ("ouder", "moeder", "+=++"),
        ("kind", "zelf", "--+?"),
        ("gezinsinformant", "oom", "+=++"),
    ],
    [
        (PROFESSIONAL, "gezinsvoogd", "+++="),
        ("ouder", "moeder", "+=+="),
        ("kind", "zelf", "-=+?"),
        ("gezinsinformant", "tante", "+=++"),
        ("gezinsinformant", "oma", "+?+="),
    ],
    [
        (PROFESSIONAL, "gezinsvoogd", "++-+"),
        ("kind", "zelf", "-++="),
        ("gezinsinformant", "tante", "++++"),
    ],
    [
        (PROFESSIONAL, "aanmelder bjz", "+=-="),
        ("ouder", "moeder", "+--="),
        ("gezinsinformant", "oom", "+-+="),
        ("gezinsinformant", "buurvrouw", "++?+"),
    ],
    [
        (PROFESSIONAL, "gezinsvoogd", "++-+"),
        ("kind", "zelf", "++-?"),
        ("gezinsinformant", "oma", "+++="),
    ],
    [
        (PROFESSIONAL, "raadsonderzoeker", "++++"),
        ("ouder", "vader", "++++"),
        ("kind", "zelf", "++?="),
        ("gezinsinformant", "tante", "++?="),
    ],
    [
        (PROFESSIONAL, "gezinsvoogd", "=--="),
        ("gezinsinformant", "tante", "--+-"),
    ],
    [
        # two professionals: the first handed the case over and told about the conference
        # and the situation then (no opinion on the change), the second about now
        (PROFESSIONAL, "gezinsvoogd", "???+"),
        (PROFESSIONAL, "gezinsvoogd", "++=+"),
        ("ouder", "moeder", "+==="),
        ("kind", "zelf", "+=?="),
        ("gezinsinformant", "oom", "+=++"),
    ],
    [
        (PROFESSIONAL, "gezinsvoogd", "+=++"),
        ("gezinsinformant", "broer", "+==="),
    ],
    [
        ("ouder", "moeder", "+-=="),
        ("kind", "zelf", "-+?="),
    ],
]
EKC_NO_REFERRER_CASE = 9  # index into the lists above
EKC_HANDOVER_CASE = 7

# --- shadow cases ----------------------------------------------------------------------
# Focal child: sex, ethnicity, age at decision, residence at decision, residence at the
# interview, topic. Table 3.11: 3 boys, 7 allochthonous, mean age 14.0; at the decision
# 6 home / 3 kinship / 2 group; at the interview 3 home / 1 kinship / 3 foster family /
# 3 group (2 closed) / 1 independent; topics 10 / 1 / 0. All under a supervision order.
SHADOW_CHILDREN = [
    ("meisje", "allochtoon", 13, "thuis", "thuis", "uithuisplaatsing voorkomen"),
    ("jongen", "allochtoon", 16, "thuis", "thuis", "waar wonen"),
    ("meisje", "autochtoon", 15, "thuis", "gesloten groep", "waar wonen"),
    ("meisje", "allochtoon", 16, "thuis", "gesloten groep", "waar wonen"),
    ("meisje", "autochtoon", 12, "thuis", "pleeggezin", "waar wonen"),
    ("jongen", "allochtoon", 14, "thuis", "groep", "waar wonen"),
    ("meisje", "allochtoon", 16, "netwerkgezin", "netwerkgezin", "waar wonen"),
    ("meisje", "allochtoon", 16, "netwerkgezin", "pleeggezin", "waar wonen"),
    ("jongen", "autochtoon", 10, "netwerkgezin", "thuis", "waar wonen"),
    ("meisje", "allochtoon", 11, "groep", "pleeggezin", "waar wonen"),
    ("meisje", "autochtoon", 15, "groep", "zelfstandig", "waar wonen"),
]
# The other children of the shadow cases (table 3.10 counts 13 children in 11 cases): two
# younger sisters in case 0, living at home; one sister's ethnicity and both measures are
# not recorded. (sex, ethnicity, age at decision, residence at interview)
SHADOW_SIBLINGS = {0: [("meisje", "allochtoon", 9), ("meisje", None, 7)]}
# Chapter 2 (18 persons: 11 referrers, 4 parents, 1 child, 2 others); table 3.11 prints 3
# family informants (sum 19) under a total of 18: the chapter-2 reading is used.
SHADOW_INTERVIEWS: list[list[tuple[str, str, str]]] = [
    [(PROFESSIONAL, "gezinsvoogd", "+=-+"), ("ouder", "moeder", "+=-=")],
    [
        (PROFESSIONAL, "gezinsvoogd", "+-=="),
        ("ouder", "moeder", "+-=="),
        ("gezinsinformant", "vriendin moeder", "+--="),
    ],
    [
        (PROFESSIONAL, "gezinsvoogd", "+=-="),
        ("ouder", "moeder", "+=-="),
        ("kind", "zelf", "---?"),
        ("gezinsinformant", "tante", "+=-="),
    ],
    [(PROFESSIONAL, "gezinsvoogd", "+--=")],
    [(PROFESSIONAL, "gezinsvoogd", "+===")],
    [(PROFESSIONAL, "voogd", "+--=")],
    [(PROFESSIONAL, "gezinsvoogd", "+-==")],
    [(PROFESSIONAL, "gezinsvoogd", "---=")],
    [(PROFESSIONAL, "gezinsvoogd", "++-+"), ("ouder", "vader", "=+-=")],
    [(PROFESSIONAL, "gezinsvoogd", "+=-=")],
    [(PROFESSIONAL, "jeugdreclassering", "++=?")],
]
# Matching (section 2.4): the EKc case each shadow case was sought for. Four shadow cases
# came from the interviewed referrers themselves (same referrer), the other seven from
# colleagues and team leaders.
SHADOW_MATCH = [0, 6, 7, 2, 5, 4, 9, 1, 3, 8, 7]
SHADOW_SAME_REFERRER = {0: 0, 4: 5, 5: 4, 10: 7}  # shadow case -> EKc case (its referrer)

BRON = ["stelling", "citaat", "context"]
BRON_P = [0.6, 0.25, 0.15]


def _codes(spec: str) -> list[str]:
    letters = list(spec)
    if len(letters) != len(THEMES) or any(c not in LETTER for c in letters):
        raise ValueError(f"opinion spec {spec!r} must have one code per theme")
    return [CODES[t][LETTER[c]] for t, c in zip(THEMES, letters, strict=True)]


def _age_at_interview(age: int, rng: np.random.Generator) -> int:
    # nine months later: a birthday has passed with probability 9/12
    return age + int(rng.random() < 0.75)


def _frames(design: pd.DataFrame, rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    families = design[design["interviewed"]].sort_values("family_key").reset_index(drop=True)
    if len(families) != len(EKC_CHILDREN):
        raise ValueError("the design frame must mark exactly 10 interviewed families")
    profile = rng.permutation(len(families))  # EKc case profile i goes to family profile[i]
    ekc_keys = [families.loc[profile[i], "family_key"] for i in range(len(EKC_CHILDREN))]
    decision = [families.loc[profile[i], "conference_date"] for i in range(len(EKC_CHILDREN))]

    cases, interviews, statements, children = [], [], [], []
    referrer_of_ekc = {i: f"AM-{i + 1:02d}" for i in range(len(EKC_CHILDREN))}
    next_referrer = len(EKC_CHILDREN) + 1

    def add_interviews(key: str, start: dt.date, specs, referrers: list[str]) -> None:
        date = start + dt.timedelta(days=int(rng.integers(255, 290)))
        professionals = iter(referrers)
        for role, relation, spec in specs:
            number = f"INT-{len(interviews) + 1:03d}"
            interviews.append(
                {
                    "interviewnr": number,
                    "gezinsnr": key,
                    "rol": role,
                    "relatie": relation,
                    "aanmelder_id": next(professionals) if role == PROFESSIONAL else None,
                    "datum_interview": date,
                }
            )
            date += dt.timedelta(days=int(rng.integers(0, 12)))
            for theme, code in zip(THEMES, _codes(spec), strict=True):
                statements.append(
                    {
                        "uitspraaknr": len(statements) + 1,
                        "interviewnr": number,
                        "thema": theme,
                        "code": code,
                        "bron": None
                        if code == "onbekend"
                        else BRON[int(rng.choice(len(BRON), p=BRON_P))],
                    }
                )

    for i, (sex, ethnicity, age, residence, topic, measure) in enumerate(EKC_CHILDREN):
        key = ekc_keys[i]
        # the referrer of the no-referrer case declined because the youth had turned 18
        age_then = 18 if i == EKC_NO_REFERRER_CASE else _age_at_interview(age, rng)
        cases.append(
            {
                "gezinsnr": key,
                "groep": "EKc",
                "aanmelder_id": referrer_of_ekc[i],
                "koppel_gezinsnr": None,
                "datum_besluit": decision[i],
                "onderwerp_besluit": topic,
                "jeugdbescherming": measure,
                "kind_geslacht": sex,
                "kind_etniciteit": ethnicity,
                "kind_leeftijd_besluit": age,
                "kind_leeftijd_interview": age_then,
                "verblijf_besluit": residence,
                "verblijf_interview": residence,
            }
        )
        referrers = [referrer_of_ekc[i]]
        if i == EKC_HANDOVER_CASE:
            referrers.append(f"AM-{next_referrer:02d}")
            next_referrer += 1
        add_interviews(key, decision[i], EKC_INTERVIEWS[i], referrers)

    shadow_decision = []
    for j in range(len(SHADOW_CHILDREN)):
        matched = decision[SHADOW_MATCH[j]]
        shadow_decision.append(matched + dt.timedelta(days=int(rng.integers(-30, 31))))
    order = sorted(range(len(SHADOW_CHILDREN)), key=lambda j: (shadow_decision[j], j))
    shadow_key = {j: f"SCH-{n + 1:02d}" for n, j in enumerate(order)}
    for j in order:
        sex, ethnicity, age, at_decision, at_interview, topic = SHADOW_CHILDREN[j]
        key = shadow_key[j]
        if j in SHADOW_SAME_REFERRER:
            referrer = referrer_of_ekc[SHADOW_SAME_REFERRER[j]]
        else:
            referrer = f"AM-{next_referrer:02d}"
            next_referrer += 1
        cases.append(
            {
                "gezinsnr": key,
                "groep": "schaduw",
                "aanmelder_id": referrer,
                "koppel_gezinsnr": ekc_keys[SHADOW_MATCH[j]],
                "datum_besluit": shadow_decision[j],
                "onderwerp_besluit": topic,
                "jeugdbescherming": "ots",
                "kind_geslacht": sex,
                "kind_etniciteit": ethnicity,
                "kind_leeftijd_besluit": age,
                "kind_leeftijd_interview": _age_at_interview(age, rng),
                "verblijf_besluit": at_decision,
                "verblijf_interview": at_interview,
            }
        )
        children.append(
            {
                "gezinsnr": key,
                "kindnr": 1,
                "hoofdpersoon": "ja",
                "geslacht": sex,
                "etniciteit": ethnicity,
                "leeftijd_besluit": age,
                "verblijfplaats": FREK_RESIDENCE[at_interview],
                "jeugdbescherming": "ots",
            }
        )
        for n, (s_sex, s_eth, s_age) in enumerate(SHADOW_SIBLINGS.get(j, []), start=2):
            children.append(
                {
                    "gezinsnr": key,
                    "kindnr": n,
                    "hoofdpersoon": "nee",
                    "geslacht": s_sex,
                    "etniciteit": s_eth,
                    "leeftijd_besluit": s_age,
                    "verblijfplaats": "thuis",
                    "jeugdbescherming": None,
                }
            )
        add_interviews(key, shadow_decision[j], SHADOW_INTERVIEWS[j], [referrer])

    return {
        "casussen": pd.DataFrame(cases),
        "kinderen": pd.DataFrame(children),
        "interviews": pd.DataFrame(interviews),
        "uitspraken": pd.DataFrame(statements),
    }


# Residence at the interview in the FREK's categories (table 3.10): a foster family is a
# 'bestandgezin', a closed group and living independently are 'anders'.
FREK_RESIDENCE = {
    "thuis": "thuis",
    "netwerkgezin": "netwerkgezin",
    "pleeggezin": "bestandgezin",
    "groep": "groep",
    "gesloten groep": "anders",
    "zelfstandig": "anders",
}


def write(design: pd.DataFrame, rng: np.random.Generator, out: Path) -> list[Path]:
    path = out / FILE
    write_excel(_frames(design, rng), path)
    return [path]


# --- check ---------------------------------------------------------------------------------

PUBLISHED = Path(__file__).resolve().parents[2] / "resources" / "published"
# Printed figures that the data cannot (and should not) reproduce; see `check` notes.
KNOWN_DEVIATIONS = {
    "yp:3.10:age_group:5_12:shadow:-:pct",
    "yp:3.10:age_group:13_18:shadow:-:pct",
    "yp:3.10:ethnicity:migrant:shadow:-:pct",
    "yp:3.11:sex:girl:interview_ekc:-:pct",
    "yp:3.11:ethnicity:migrant:shadow:-:pct",
    "yp:3.11:interviewees:family_informant:shadow:-:count",
}
GROUPS = {"EKc": "interview_ekc", "schaduw": "shadow"}
SEX = {"jongen": "boy", "meisje": "girl"}
ETHNICITY = {"autochtoon": "native_dutch", "allochtoon": "migrant"}
RESIDENCE_310 = {
    "thuis": "home",
    "netwerkgezin": "kinship_foster",
    "bestandgezin": "nonkin_foster",
    "groep": "residential_group",
    "anders": "other",
}
RESIDENCE_311 = {
    "thuis": "home",
    "netwerkgezin": "kinship_foster",
    "pleeggezin": "foster_family",
    "groep": "residential_group",
    "gesloten groep": "residential_group",
    "zelfstandig": "independent",
}
TOPIC = {
    "waar wonen": "where_to_live",
    "uithuisplaatsing voorkomen": "prevent_placement",
    "steun familie": "family_support",
}
MEASURE = {
    "geen": "none",
    "raadsmelding": "council_report",
    "vots": "provisional_supervision_order",
    "ots": "supervision_order",
}
HELP = {
    "geen": "none",
    "0-1 jaar": "0_1y",
    "1-2 jaar": "1_2y",
    "2-5 jaar": "2_5y",
    "5-10 jaar": "5_10y",
    "> 10 jaar": "over_10y",
}
ROLE = {
    PROFESSIONAL: "guardian",
    "ouder": "parent",
    "kind": "child",
    "gezinsinformant": "family_informant",
}


def _age_band(age: float | None) -> str:
    if age is None or pd.isna(age):
        return "unknown"
    if age < 0:
        return "unborn"
    if age <= 4:
        return "0_4"
    if age <= 12:
        return "5_12"
    if age <= 18:
        return "13_18"
    return "19_25"


def _completed_years(born: pd.Timestamp, on: pd.Timestamp) -> int | None:
    if pd.isna(born) or pd.isna(on):
        return None
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return years if on >= born else -1


def _distribution(values: pd.Series, labels: dict, prefix: str, group: str, how: str) -> dict:
    """Counts and column percentages, unknown (empty) included in the base."""
    out = {}
    mapped = values.map(lambda v: "unknown" if v is None or pd.isna(v) else labels[v])
    base = len(mapped)
    for category in [*dict.fromkeys(labels.values()), "unknown"]:
        count = int((mapped == category).sum())
        out[f"{prefix}:{category}:{group}:-:count"] = (float(count), how)
        out[f"{prefix}:{category}:{group}:-:pct"] = (100.0 * count / base, f"{how}; base {base}")
    return out


def _units(interviews: pd.DataFrame, cases: pd.DataFrame) -> pd.DataFrame:
    """Respondent units: the professionals of one case count as one (section 2.6)."""
    frame = interviews.merge(cases[["gezinsnr", "groep"]], on="gezinsnr")
    frame["eenheid"] = np.where(
        frame["rol"] == PROFESSIONAL,
        frame["gezinsnr"] + ":" + PROFESSIONAL,
        frame["interviewnr"],
    )
    size = frame.groupby("gezinsnr")["eenheid"].nunique()
    frame["n_case"] = frame["gezinsnr"].map(size)
    mean = frame.drop_duplicates("gezinsnr").groupby("groep")["n_case"].mean()
    frame["gewicht"] = frame["groep"].map(mean) / frame["n_case"]
    return frame


def _opinions(statements: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """One code per unit and theme: the latest known code of the unit's interviews."""
    frame = statements.merge(units, on="interviewnr")
    frame = frame.sort_values(["datum_interview", "interviewnr"], kind="stable")
    frame["known"] = frame["code"] != "onbekend"
    rows = []
    for (unit, theme), part in frame.groupby(["eenheid", "thema"], sort=True):
        known = part[part["known"]]
        pick = known.iloc[-1] if len(known) else part.iloc[-1]
        rows.append({**pick.to_dict(), "eenheid": unit, "thema": theme})
    return pd.DataFrame(rows)


def _share(opinions: pd.DataFrame, theme: str, group: str, roles, code: str) -> float:
    part = opinions[
        (opinions["thema"] == theme) & (opinions["groep"] == group) & opinions["rol"].isin(roles)
    ]
    return 100.0 * part.loc[part["code"] == code, "gewicht"].sum() / part["gewicht"].sum()


def _count(opinions: pd.DataFrame, theme: str, group: str, roles, code: str) -> float:
    part = opinions[
        (opinions["thema"] == theme) & (opinions["groep"] == group) & opinions["rol"].isin(roles)
    ]
    return float((part["code"] == code).sum())


def _fisher_verdict(table: list[list[int]]) -> tuple[str, float]:
    from scipy.stats import fisher_exact

    p = float(fisher_exact(table, alternative="two-sided")[1])
    return ("n.s." if p >= 0.05 else "p<.05"), p


def _published_ids() -> set[str] | None:
    files = sorted(PUBLISHED.glob("youth_protection_ch*.csv"))
    if not files:
        return None
    return set(pd.concat([pd.read_csv(f, dtype=str, usecols=["id"]) for f in files])["id"])


def check(raw_dir: Path) -> list[dict]:
    raw_dir = Path(raw_dir)
    path = raw_dir / FILE
    if not path.exists():
        return []
    sheets = pd.read_excel(path, sheet_name=None, dtype=object)
    cases, kids = sheets["casussen"], sheets["kinderen"]
    interviews, statements = sheets["interviews"], sheets["uitspraken"]
    for frame in (cases, kids, interviews, statements):
        frame.replace({np.nan: None}, inplace=True)
    interviews["datum_interview"] = pd.to_datetime(interviews["datum_interview"])
    found: dict[str, tuple[float | str, str] | tuple[float | str, str, str]] = {}

    # Table 3.11: one target child per case, and the persons interviewed.
    for groep, group in GROUPS.items():
        part = cases[cases["groep"] == groep]
        how = f"interviews.xlsx casussen, groep {groep}"
        found[f"yp:3.11:sample:-:{group}:-:n"] = (float(len(part)), f"{how}: cases")
        found[f"yp:3.11:child_age:-:{group}:-:mean"] = (
            float(part["kind_leeftijd_besluit"].astype(float).mean()),
            f"{how}: mean kind_leeftijd_besluit (age at the decision)",
        )
        found.update(_distribution(part["kind_geslacht"], SEX, "yp:3.11:sex", group, how))
        found.update(
            _distribution(part["kind_etniciteit"], ETHNICITY, "yp:3.11:ethnicity", group, how)
        )
        for column, moment in (("verblijf_besluit", "start"), ("verblijf_interview", "9m")):
            mapped = part[column].map(RESIDENCE_311)
            for category in dict.fromkeys(RESIDENCE_311.values()):
                count = int((mapped == category).sum())
                found[f"yp:3.11:residence:{category}:{group}:{moment}:count"] = (
                    float(count),
                    f"{how}: {column}",
                )
                found[f"yp:3.11:residence:{category}:{group}:{moment}:pct"] = (
                    100.0 * count / len(part),
                    f"{how}: {column}, base {len(part)}",
                )
        closed = float((part["verblijf_interview"] == "gesloten groep").sum())
        found[f"yp:3.11:residence:residential_group_closed:{group}:9m:count"] = (
            closed,
            f"{how}: verblijf_interview = gesloten groep",
        )
        found.update(
            _distribution(part["onderwerp_besluit"], TOPIC, "yp:3.11:decision_topic", group, how)
        )
        people = interviews[interviews["gezinsnr"].isin(part["gezinsnr"])]
        for rol, role in ROLE.items():
            found[f"yp:3.11:interviewees:{role}:{group}:-:count"] = (
                float((people["rol"] == rol).sum()),
                f"interviews.xlsx interviews: rows with rol {rol}, groep {groep}",
            )
        found[f"yp:3.11:interviewees:total:{group}:-:count"] = (
            float(len(people)),
            f"interviews.xlsx interviews: rows, groep {groep}",
        )

    # Table 3.10, shadow column: every child of the shadow cases (kinderen sheet).
    how = "interviews.xlsx kinderen (all children of the shadow cases)"
    found["yp:3.10:sample:-:shadow:-:n"] = (float(kids["gezinsnr"].nunique()), f"{how}: cases")
    found["yp:3.10:n_children:-:shadow:-:mean"] = (
        len(kids) / kids["gezinsnr"].nunique(),
        f"{how}: children per case",
    )
    found.update(_distribution(kids["geslacht"], SEX, "yp:3.10:sex", "shadow", how))
    ages = kids["leeftijd_besluit"].map(lambda a: None if a is None else _age_band(float(a)))
    found.update(
        _distribution(
            ages.replace({"unknown": None}),
            {b: b for b in ("unborn", "0_4", "5_12", "13_18")},
            "yp:3.10:age_group",
            "shadow",
            how + ", age at the decision",
        )
    )
    found.update(_distribution(kids["etniciteit"], ETHNICITY, "yp:3.10:ethnicity", "shadow", how))
    found.update(
        _distribution(
            kids["verblijfplaats"],
            RESIDENCE_310,
            "yp:3.10:residence",
            "shadow",
            how + " (at interview)",
        )
    )
    found.update(
        _distribution(kids["jeugdbescherming"], MEASURE, "yp:3.10:youth_protection", "shadow", how)
    )
    for category in [*HELP.values(), "unknown"]:
        found[f"yp:3.10:help_duration:{category}:shadow:-:count"] = (
            0.0,
            "not recorded for shadow cases (no FREK); the table prints '-' for the whole block",
        )

    # Table 3.10 youth protection, EKc interview column: per case (casussen).
    ekc = cases[cases["groep"] == "EKc"]
    found.update(
        _distribution(
            ekc["jeugdbescherming"],
            MEASURE,
            "yp:3.10:youth_protection",
            "interview_ekc",
            "interviews.xlsx casussen, groep EKc, jeugdbescherming per case",
        )
    )
    found["yp:3.10:sample:-:interview_ekc:-:n"] = (float(len(ekc)), "interviews.xlsx casussen")

    # Tables 3.10 and 4.2, EKc interview column: the FREK of the interviewed families.
    frek_path = raw_dir / "frek.xlsx"
    if frek_path.exists():
        fam = pd.read_excel(frek_path, sheet_name="gezinnen", dtype=object)
        kid = pd.read_excel(frek_path, sheet_name="kinderen", dtype=object)
        fam = fam[fam["Gezinsnummer"].isin(ekc["gezinsnr"])].replace({np.nan: None})
        kid = kid[kid["Gezinsnummer"].isin(ekc["gezinsnr"])].replace({np.nan: None})
        how = "frek.xlsx of the interviewed EKc families"
        found["yp:3.10:n_children:-:interview_ekc:-:mean"] = (
            float(fam["Aantal kinderen"].astype(float).mean()),
            f"{how}: mean Aantal kinderen",
        )
        found.update(_distribution(kid["Geslacht"], SEX, "yp:3.10:sex", "interview_ekc", how))
        registered = kid["Gezinsnummer"].map(
            dict(zip(fam["Gezinsnummer"], fam["Datum aanmelding"], strict=True))
        )
        ages = [
            None if b is None else _age_band(_completed_years(pd.Timestamp(b), pd.Timestamp(r)))
            for b, r in zip(kid["Geboortedatum"], registered, strict=True)
        ]
        found.update(
            _distribution(
                pd.Series(ages).replace({"unknown": None}),
                {b: b for b in ("unborn", "0_4", "5_12", "13_18")},
                "yp:3.10:age_group",
                "interview_ekc",
                how + ", age at registration in completed years",
            )
        )
        found.update(
            _distribution(kid["Etniciteit"], ETHNICITY, "yp:3.10:ethnicity", "interview_ekc", how)
        )
        found.update(
            _distribution(
                kid["Verblijfplaats"], RESIDENCE_310, "yp:3.10:residence", "interview_ekc", how
            )
        )
        found.update(
            _distribution(
                fam["Duur hulpverlening"], HELP, "yp:3.10:help_duration", "interview_ekc", how
            )
        )
        bands = {
            "conference_duration": (
                "Duur conferentie (uur)",
                [(1, 3, "1_3h"), (3, 5, "3_5h"), (5, 8.01, "5_8h"), (20, 24.01, "20_24h")],
            ),
            "private_time_duration": (
                "Duur besloten tijd (uur)",
                [(0, 1, "0_1h"), (1, 3, "1_3h"), (3, 5, "3_5h"), (5, 8.01, "5_8h")],
            ),
        }
        for variable, (column, edges) in bands.items():
            hours = fam[column]
            for low, high, label in edges:
                count = int(sum(h is not None and low <= float(h) < high for h in hours))
                found[f"yp:4.2:{variable}:{label}:interview_ekc:-:count"] = (
                    float(count),
                    f"{how}: {column} in [{low}, {high})",
                )
                found[f"yp:4.2:{variable}:{label}:interview_ekc:-:pct"] = (
                    100.0 * count / len(fam),
                    f"{how}: {column} in [{low}, {high}), base {len(fam)}",
                )
            found[f"yp:4.2:{variable}:unknown:interview_ekc:-:count"] = (
                float(hours.isna().sum()),
                f"{how}: {column} empty",
            )
        attendees = fam["Aantal aanwezigen"].astype(float)
        found["yp:4.2:sample:-:interview_ekc:-:n"] = (float(len(fam)), f"{how}: families")
        found["yp:4.2:n_attendees:-:interview_ekc:-:mean"] = (
            float(attendees.mean()),
            f"{how}: mean Aantal aanwezigen",
        )
        found["yp:4.2:n_attendees:-:interview_ekc:-:min"] = (float(attendees.min()), how)
        found["yp:4.2:n_attendees:-:interview_ekc:-:max"] = (float(attendees.max()), how)
        found["yp:text7:n_attendees_per_conference:-:interview_ekc:-:mean"] = (
            float(attendees.mean()),
            f"{how}: mean Aantal aanwezigen ('circa 14')",
        )
        present = fam["Aanmelder aanwezig"].map(lambda v: {"ja": "yes", "nee": "no"}.get(v))
        for category in ("yes", "no", "unknown"):
            count = int((present.fillna("unknown") == category).sum())
            found[f"yp:4.2:referrer_present:{category}:interview_ekc:-:count"] = (
                float(count),
                f"{how}: Aanmelder aanwezig",
            )
            found[f"yp:4.2:referrer_present:{category}:interview_ekc:-:pct"] = (
                100.0 * count / len(fam),
                f"{how}: Aanmelder aanwezig, base {len(fam)}",
            )

    # Chapters 6-8 (and 9.5): statements per respondent unit, weighted per case.
    units = _units(interviews, cases)
    ops = _opinions(statements, units)
    pro, fam_roles, everyone = [PROFESSIONAL], list(FAMILY_ROLES), [PROFESSIONAL, *FAMILY_ROLES]
    weighted = (
        "weighted share (section 2.6): weight per respondent unit = mean units per case in "
        "the group / units in its case; the two professionals of one case are one unit "
        "(latest known code); base = all units of the group with these roles, 'onbekend' "
        "included"
    )
    cases_how = "number of cases by the (merged) referrer's code, unweighted"
    for code, label in (
        ("verbeterd", "safer"),
        ("gelijk", "unchanged"),
        ("verslechterd", "less_safe"),
    ):
        for groep, group in GROUPS.items():
            found[f"yp:text6:safety_change_referrer:{label}:{group}:9m:count"] = (
                _count(ops, "veiligheid", groep, pro, code),
                f"{cases_how}; veiligheid = {code}",
            )
    for code, label in (
        ("verbeterd", "improved"),
        ("gelijk", "unchanged"),
        ("verslechterd", "worse"),
    ):
        found[f"yp:text6:safety_change_family:{label}:interview_ekc:9m:pct"] = (
            _share(ops, "veiligheid", "EKc", fam_roles, code),
            f"{weighted}; family side (ouder, kind, gezinsinformant); veiligheid = {code}",
        )
    table = [
        [
            int(_count(ops, "veiligheid", g, pro, "verbeterd")),
            int(sum(_count(ops, "veiligheid", g, pro, c) for c in ("gelijk", "verslechterd"))),
        ]
        for g in GROUPS
    ]
    verdict, p = _fisher_verdict(table)
    found["yp:text6:safety_change_referrer:-:interview_ekc_vs_shadow:9m:verdict"] = (
        verdict,
        f"Fisher's exact test (two-sided), referrer cases improved vs not, EKc vs shadow: {table}",
        f"p = {p:.3f}",
    )
    increased = _share(ops, "steun", "EKc", pro, "toegenomen")
    found["yp:text7:support_change_referrer:increased:interview_ekc:9m:pct"] = (
        ">50" if increased > 50 else f"{increased:.0f}",
        f"{weighted}; referrers; steun = toegenomen, reported as '>50' when above 50",
        f"weighted share {increased:.1f}%; unweighted "
        f"{_count(ops, 'steun', 'EKc', pro, 'toegenomen'):.0f} of 9 referrer units",
    )
    found["yp:text7:support_change_referrer:decreased:interview_ekc:9m:count"] = (
        _count(ops, "steun", "EKc", pro, "afgenomen"),
        "number of referrer units with steun = afgenomen, unweighted",
    )
    for code, label in (
        ("toegenomen", "increased"),
        ("gelijk", "unchanged"),
        ("afgenomen", "decreased"),
    ):
        found[f"yp:text7:support_change_family:{label}:interview_ekc:9m:pct"] = (
            _share(ops, "steun", "EKc", fam_roles, code),
            f"{weighted}; family side; steun = {code}",
            "40 + 33 + 25 = 98: the rest is one family member whose opinion on support "
            f"is not known ({_share(ops, 'steun', 'EKc', fam_roles, 'onbekend'):.1f}%)",
        )
    found["yp:text7:support_change_referrer:decreased:shadow:9m:pct"] = (
        _share(ops, "steun", "schaduw", pro, "afgenomen"),
        f"{weighted}; shadow referrers; steun = afgenomen",
        "11 referrers: 'de helft' is only reachable as a weighted share (unweighted 5/11)",
    )
    for code, label in (
        ("meer bij familie", "more_with_family"),
        ("meer bij hulpverlener", "less_with_family"),
        ("gelijk", "unchanged"),
        ("onbekend", "unknown"),
    ):
        found[f"yp:text8:control_shift:{label}:interview_ekc:9m:pct"] = (
            _share(ops, "regie", "EKc", everyone, code),
            f"{weighted}; all respondents; regie = {code}",
        )
    family_share = _share(ops, "regie", "EKc", fam_roles, "meer bij familie")
    referrer_share = _share(ops, "regie", "EKc", pro, "meer bij familie")
    table = [
        [
            int(_count(ops, "regie", "EKc", roles, "meer bij familie")),
            int(
                sum(
                    _count(ops, "regie", "EKc", roles, c)
                    for c in ("gelijk", "meer bij hulpverlener", "onbekend")
                )
            ),
        ]
        for roles in (fam_roles, pro)
    ]
    verdict, p = _fisher_verdict(table)
    found["yp:text8:control_shift:more_with_family:family_network_vs_referrer:9m:verdict"] = (
        verdict,
        f"Fisher's exact test (two-sided), units 'meer bij familie' vs other, family side vs "
        f"referrers: {table}",
        f"p = {p:.3f}; weighted shares family {family_share:.1f}% vs referrers "
        f"{referrer_share:.1f}% ('iets vaker')",
    )
    found["yp:text8:control_shift:unchanged:shadow:9m:pct"] = (
        _share(ops, "regie", "schaduw", everyone, "gelijk"),
        f"{weighted}; all shadow respondents (every case counts equally); regie = gelijk",
    )
    found["yp:text8:control_shift:more_with_professional:shadow:9m:pct"] = (
        _share(ops, "regie", "schaduw", everyone, "meer bij hulpverlener"),
        f"{weighted}; all shadow respondents; regie = meer bij hulpverlener",
    )
    found["yp:text8:control_shift:more_with_family:shadow:9m:count"] = (
        _count(ops, "regie", "schaduw", everyone, "meer bij familie"),
        "number of shadow respondent units with regie = meer bij familie",
    )
    found["yp:text9:contact_improved_referrer:-:interview_ekc:9m:pct"] = (
        _share(ops, "contact", "EKc", pro, "verbeterd"),
        f"{weighted}; referrers; contact = verbeterd",
        f"unweighted {_count(ops, 'contact', 'EKc', pro, 'verbeterd'):.0f} of 9 referrer units",
    )

    forced = "printed {} to make the column add to 100"
    notes = {
        "yp:3.10:age_group:5_12:shadow:-:pct": "5/13 = 38.5 rounds to 38; " + forced.format(39),
        "yp:3.10:age_group:13_18:shadow:-:pct": "8/13 = 61.5 rounds to 62; " + forced.format(61),
        "yp:3.10:ethnicity:migrant:shadow:-:pct": "8/13 = 61.5 rounds to 62; " + forced.format(61),
        "yp:3.11:sex:girl:interview_ekc:-:pct": "misprint: 6/10 = 60%, printed 70 (40 + 70 = 110)",
        "yp:3.11:ethnicity:migrant:shadow:-:pct": (
            "misprint: 7/11 = 63.6%, printed 74 (36 + 74 = 110)"
        ),
        "yp:3.11:interviewees:family_informant:shadow:-:count": (
            "table 3.11 prints 3 family informants, but its roles then add up to 19 under a "
            "printed total of 18; chapter 2 gives 11 + 4 + 1 + 2 = 18 (and 18 again in 3.4): "
            "the data follow chapter 2"
        ),
        "yp:text6:safety_change_referrer:safer:interview_ekc:9m:count": (
            "8 + 1 + 0 = 9 cases: in the tenth EKc case the referrer was not interviewed"
        ),
    }
    published = _published_ids()
    records = []
    for id_, spec in found.items():
        if published is not None and id_ not in published:
            continue
        value, method = spec[0], spec[1]
        note = spec[2] if len(spec) > 2 else ""
        if id_ in notes:
            note = f"{notes[id_]}; {note}" if note else notes[id_]
        records.append(
            {
                "id": id_,
                "value": value if isinstance(value, str) else float(value),
                "method": f"generator check: {method}",
                "note": note,
            }
        )
    return records
