"""Interview statements: respondent units, the case weighting of section 2.6, and shares.

Input: the validated sheets of interviews.xlsx (`casussen`, `interviews`, `uitspraken`;
columns named as in the file, parsed dtypes). Output: tidy frames keyed by the case number
(`family_key`: the family number for EKc cases, SCH-nn for shadow cases).

How section 2.6 is read (the report's text: the two family guardians of one case count as
one opinion; on average 4.6 interviews per case, range 4-7; that average is set to 1;
"in a case with five interviews each interview counts 4.6 : 5 = 0.92"):

1. Respondent unit. Every interview is a unit, except that all professionals
   (rol `voogd/aanmelder`) of one case together are one unit. Their opinion on a theme is
   the code of the latest of their interviews (by date, then interview number) that has a
   known code; 'onbekend' only if none has. (In the data: one EKc case with two guardians,
   the first handed the case over and has no opinion on the change.)
2. Case size n_c = the number of units in case c (so the handover case counts 4, not 5).
3. Weight of a unit = m / n_c, with m the mean case size of the group (EKc and shadow cases
   are weighted separately) or a fixed constant (`mean_per_case=4.6` reproduces the
   report's example 4.6 / 5 = 0.92). Every case then weighs m in total: each case counts
   equally, and with m = the group mean the weights add up to the number of units.
4. A weighted share of code k among the units with roles R is
   sum(weight | code = k) / sum(weight) over those units; 'onbekend' stays in the base
   (the report prints 'mening niet bekend' as a category of the control figure). The
   weight belongs to the unit and is not re-normalised within a subset of roles (a family
   member in a case with 5 units weighs m/5 also in a family-only figure). Over all roles
   the share equals the mean over cases of the within-case shares. m cancels out of every
   share, so the printed 4.6 (which cannot describe these cases: 10 EKc cases with 34
   interviews average 3.4) does not change any percentage.
5. Figures the report gives as a number of cases ("in acht zaken", "slechts een
   aanmelder") are unweighted counts of the merged professional units' codes.

Scores: `direction` is +1 for the improved code of a theme (safety improved, support
increased, control more with the family, contact improved), 0 for unchanged, -1 for the
worse code and missing for 'onbekend'. There are no norms.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ekc.youth_protection.schemas.interviews import CODES, PROFESSIONAL, UNKNOWN

FAMILY_ROLES = ("ouder", "kind", "gezinsinformant")
MOMENT = "9m"
DIRECTION = {
    theme: {codes[0]: 1, codes[1]: 0, codes[2]: -1, codes[3]: None}
    for theme, codes in CODES.items()
}


def _text(series: pd.Series) -> pd.Series:
    return series.astype(object).where(series.notna(), None)


def respondent_units(interviews: pd.DataFrame, cases: pd.DataFrame) -> pd.DataFrame:
    """One row per interview with its respondent unit and the size of its case.

    Columns: interviewnr, gezinsnr, groep, rol, datum_interview, eenheid, n_eenheden.
    """
    frame = interviews[["interviewnr", "gezinsnr", "rol", "datum_interview"]].copy()
    for column in ("interviewnr", "gezinsnr", "rol"):
        frame[column] = _text(frame[column])
    groups = dict(zip(_text(cases["gezinsnr"]), _text(cases["groep"]), strict=True))
    unknown = sorted(set(frame["gezinsnr"]) - set(groups))
    if unknown:
        raise ValueError(f"interviews of cases not in casussen: {unknown}")
    frame["groep"] = frame["gezinsnr"].map(groups)
    professional = frame["rol"] == PROFESSIONAL
    frame["eenheid"] = np.where(
        professional, frame["gezinsnr"] + ":" + PROFESSIONAL, frame["interviewnr"]
    )
    frame["n_eenheden"] = frame.groupby("gezinsnr")["eenheid"].transform("nunique").astype(int)
    return frame.reset_index(drop=True)


def case_weights(
    interviews: pd.DataFrame, cases: pd.DataFrame, mean_per_case: float | None = None
) -> pd.DataFrame:
    """One row per respondent unit with its weight (section 2.6, see the module text).

    Columns: gezinsnr, groep, eenheid, rol, n_interviews, n_eenheden, gemiddelde, gewicht.
    """
    units = respondent_units(interviews, cases)
    per_unit = (
        units.groupby(["gezinsnr", "groep", "eenheid", "rol"], sort=True)
        .agg(n_interviews=("interviewnr", "size"), n_eenheden=("n_eenheden", "first"))
        .reset_index()
    )
    sizes = per_unit.drop_duplicates("gezinsnr").set_index("gezinsnr")
    if mean_per_case is None:
        mean = sizes.groupby("groep")["n_eenheden"].mean()
        per_unit["gemiddelde"] = per_unit["groep"].map(mean)
    else:
        per_unit["gemiddelde"] = float(mean_per_case)
    per_unit["gewicht"] = per_unit["gemiddelde"] / per_unit["n_eenheden"]
    return per_unit


def unit_opinions(statements: pd.DataFrame, interviews: pd.DataFrame, cases: pd.DataFrame):
    """One code per respondent unit and theme (professionals of a case merged)."""
    units = respondent_units(interviews, cases)
    frame = statements[["interviewnr", "thema", "code"]].copy()
    for column in frame.columns:
        frame[column] = _text(frame[column])
    missing = sorted(set(frame["interviewnr"]) - set(units["interviewnr"]))
    if missing:
        raise ValueError(f"statements of interviews not in the interview sheet: {missing}")
    frame = frame.merge(units, on="interviewnr", how="left")
    frame = frame.sort_values(["datum_interview", "interviewnr"], kind="stable")
    rows = []
    for (unit, theme), part in frame.groupby(["eenheid", "thema"], sort=True):
        known = part[part["code"] != UNKNOWN]
        chosen = known.iloc[-1] if len(known) else part.iloc[-1]
        rows.append(
            {
                "gezinsnr": chosen["gezinsnr"],
                "groep": chosen["groep"],
                "eenheid": unit,
                "rol": chosen["rol"],
                "thema": theme,
                "code": chosen["code"],
                "n_interviews": len(part),
            }
        )
    return pd.DataFrame(rows)


def interview_scores(
    cases: pd.DataFrame,
    interviews: pd.DataFrame,
    statements: pd.DataFrame,
    mean_per_case: float | None = None,
) -> pd.DataFrame:
    """Tidy: one row per (case, respondent unit, theme) with code, direction and weight."""
    opinions = unit_opinions(statements, interviews, cases)
    weights = case_weights(interviews, cases, mean_per_case)[["eenheid", "n_eenheden", "gewicht"]]
    scores = opinions.merge(weights, on="eenheid", how="left")
    scores["direction"] = pd.array(
        [DIRECTION[t][c] for t, c in zip(scores["thema"], scores["code"], strict=True)],
        dtype="Int64",
    )
    scores.insert(2, "moment", MOMENT)
    scores = scores.rename(
        columns={"gezinsnr": "family_key", "thema": "scale", "gewicht": "weight"}
    )
    columns = [
        "family_key",
        "groep",
        "moment",
        "eenheid",
        "rol",
        "scale",
        "code",
        "direction",
        "n_interviews",
        "n_eenheden",
        "weight",
    ]
    return (
        scores[columns]
        .sort_values(["groep", "family_key", "eenheid", "scale"])
        .reset_index(drop=True)
    )


def _select(scores: pd.DataFrame, scale: str, groep: str, roles: Iterable[str] | None):
    part = scores[(scores["scale"] == scale) & (scores["groep"] == groep)]
    if roles is not None:
        part = part[part["rol"].isin(list(roles))]
    return part


def weighted_shares(
    scores: pd.DataFrame, scale: str, groep: str, roles: Iterable[str] | None = None
) -> pd.DataFrame:
    """Per code of the theme: units, weighted number and weighted percentage."""
    part = _select(scores, scale, groep, roles)
    total = part["weight"].sum()
    rows = []
    for code in CODES[scale]:
        chosen = part[part["code"] == code]
        rows.append(
            {
                "code": code,
                "n_units": len(chosen),
                "weighted_n": float(chosen["weight"].sum()),
                "pct": 100.0 * float(chosen["weight"].sum()) / total if total else np.nan,
            }
        )
    return pd.DataFrame(rows)


def case_counts(
    scores: pd.DataFrame, scale: str, groep: str, roles: Iterable[str] = (PROFESSIONAL,)
) -> pd.Series:
    """Unweighted number of units per code (for the professionals: number of cases)."""
    part = _select(scores, scale, groep, roles)
    return part["code"].value_counts().reindex(CODES[scale], fill_value=0)


def link_problems(
    cases: pd.DataFrame,
    children: pd.DataFrame,
    interviews: pd.DataFrame,
    statements: pd.DataFrame,
) -> list[str]:
    """Cross-sheet rules the per-sheet models cannot see; empty when the workbook is sound."""
    problems = []
    case_keys = set(_text(cases["gezinsnr"]))
    for sheet, frame in (("kinderen", children), ("interviews", interviews)):
        stray = sorted(set(_text(frame["gezinsnr"])) - case_keys)
        if stray:
            problems.append(f"{sheet}: cases not in casussen: {stray}")
    stray = sorted(set(_text(statements["interviewnr"])) - set(_text(interviews["interviewnr"])))
    if stray:
        problems.append(f"uitspraken: interviews not in the interview sheet: {stray}")
    without = sorted(case_keys - set(_text(interviews["gezinsnr"])))
    if without:
        problems.append(f"casussen: cases without any interview: {without}")
    shadow = cases[_text(cases["groep"]) == "schaduw"]
    no_children = sorted(set(_text(shadow["gezinsnr"])) - set(_text(children["gezinsnr"])))
    if no_children:
        problems.append(f"kinderen: shadow cases without a child list: {no_children}")
    focal = children[_text(children["hoofdpersoon"]) == "ja"].set_index(
        _text(children.loc[_text(children["hoofdpersoon"]) == "ja", "gezinsnr"])
    )
    pairs = {
        "geslacht": "kind_geslacht",
        "etniciteit": "kind_etniciteit",
        "leeftijd_besluit": "kind_leeftijd_besluit",
    }
    for rec in shadow.itertuples(index=False):
        key = rec.gezinsnr
        if key not in focal.index:
            continue
        for child_column, case_column in pairs.items():
            a, b = focal.at[key, child_column], getattr(rec, case_column)
            if not (pd.isna(a) and pd.isna(b)) and (pd.isna(a) or pd.isna(b) or a != b):
                problems.append(
                    f"{key}: {child_column} of the focal child ({a}) differs from "
                    f"casussen.{case_column} ({b})"
                )
    themes = statements.groupby(_text(statements["interviewnr"]))["thema"].nunique()
    themes = themes.reindex(sorted(set(_text(interviews["interviewnr"]))), fill_value=0)
    incomplete = sorted(themes[themes < len(CODES)].index)
    if incomplete:
        problems.append(f"uitspraken: interviews without a row for every theme: {incomplete}")
    return problems
