"""Research question 1: who are the families referred for a conference? (tables 3.1-3.3)"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ekc.analysis.describe import category_counts, numeric_summary
from ekc.clean.registration import PROBLEM_CODES
from ekc.stats.inference import pearson_chi2, student_t
from ekc.stats.records import make_record, record_id

GROUPS = ["conference", "no_conference"]
CHILD_VARIABLES = {
    "sex": ["boy", "girl", "unknown"],
    "age_group": ["unborn", "0_4", "5_12", "13_18", "19_25", "unknown"],
    "ethnicity": ["native_dutch", "migrant", "unknown"],
    "residence": [
        "home",
        "kinship_foster",
        "nonkin_foster",
        "residential_group",
        "other",
        "unknown",
    ],
}
N_CHILDREN_CATEGORIES = ["1", "2", "3", "4", "unknown"]


def demographics(
    families: pd.DataFrame, children: pd.DataFrame, study: str, alpha: float
) -> tuple[pd.DataFrame, list[dict]]:
    """Table 3.1: number of children per family, and the children's characteristics."""
    fam = families.assign(n_children_cat=families["n_children"].astype("string").fillna("unknown"))
    frames, records = [], []
    table, recs = category_counts(
        fam,
        "n_children_cat",
        N_CHILDREN_CATEGORIES,
        group_col="group",
        groups=GROUPS,
        study=study,
        table="3.1",
        label="number of children",
        token="n_children",
    )
    frames.append(table.assign(unit="family"))
    records += recs
    for variable, categories in CHILD_VARIABLES.items():
        table, recs = category_counts(
            children,
            variable,
            categories,
            group_col="group",
            groups=GROUPS,
            study=study,
            table="3.1",
            label=variable,
        )
        frames.append(table.assign(unit="child"))
        records += recs
        known = children[children[variable] != "unknown"]
        crosstab = pd.crosstab(known[variable], known["group"]).reindex(
            columns=GROUPS, fill_value=0
        )
        test = pearson_chi2(crosstab.to_numpy(), alpha)
        records.append(
            make_record(
                id=record_id(study, "3.1", variable, "-", "conference_vs_no_conference"),
                table="3.1",
                label=f"{variable}: conference vs no conference (unknown excluded)",
                group="conference_vs_no_conference",
                moment="-",
                **test,
            )
        )
    return pd.concat(frames, ignore_index=True), records


def problem_types(families: pd.DataFrame, study: str) -> tuple[pd.DataFrame, list[dict]]:
    """Table 3.2: families per problem type (multiple answers). The published percentages
    use all registered families as the denominator, so both denominators are given."""
    n_registered = len(families)
    with_frek = families[families["has_frek"]]
    rows, records = [], []
    for code in PROBLEM_CODES.values():
        count = int(with_frek[f"problem_{code}"].sum())
        row = {
            "problem": code,
            "count": count,
            "pct": 100.0 * count / n_registered,
            "pct_of_frek": 100.0 * count / len(with_frek),
        }
        rows.append(row)
        records.append(
            make_record(
                id=record_id(study, "3.2", "problem_type", code, "all"),
                table="3.2",
                label=f"problem type {code}",
                group="all",
                moment="-",
                n=n_registered,
                n_frek=len(with_frek),
                **{k: v for k, v in row.items() if k != "problem"},
            )
        )
    table = pd.DataFrame(rows).sort_values(["count", "problem"], ascending=[False, True])
    return table.reset_index(drop=True), records


def problem_count(
    families: pd.DataFrame, study: str, alpha: float
) -> tuple[pd.DataFrame, list[dict]]:
    """Table 3.3: mean number of problem types by group, and the Student t-test."""
    with_frek = families[families["has_frek"]]
    rows, records = [], []
    for group in ["no_conference", "conference"]:
        summary = numeric_summary(with_frek.loc[with_frek["group"] == group, "n_problems"])
        rows.append({"group": group, **summary})
        records.append(
            make_record(
                id=record_id(study, "3.3", "n_problems", "-", group),
                table="3.3",
                label="number of problem types",
                group=group,
                moment="-",
                **summary,
            )
        )
    no_conf = with_frek.loc[with_frek["group"] == "no_conference", "n_problems"]
    conf = with_frek.loc[with_frek["group"] == "conference", "n_problems"]
    test = student_t(no_conf, conf, alpha=alpha)
    records.append(
        make_record(
            id=record_id(study, "3.3", "n_problems", "-", "no_conference_vs_conference"),
            table="3.3",
            label="number of problem types: no conference minus conference",
            group="no_conference_vs_conference",
            moment="-",
            n=int(no_conf.size + conf.size),
            **test,
        )
    )
    two_or_more = int((with_frek["n_problems"] >= 2).sum())
    records.append(
        make_record(
            id=record_id(study, "text3", "two_or_more_problems", "-", "all"),
            table="text3",
            label="families with two or more problem types",
            group="all",
            moment="-",
            n=len(with_frek),
            count=two_or_more,
            pct=100.0 * two_or_more / len(with_frek),
        )
    )
    return pd.DataFrame(rows), records


HELP_DURATION = ["none", "0_1", "1_2", "2_5", "5_10", "over_10", "unknown"]
# Table 3.10 has no band above 18: an older child counts as unknown there.
AGE_310 = {"19_25": "unknown", "over_25": "unknown"}


def described_children(children: pd.DataFrame) -> pd.DataFrame:
    """Children of table 3.10: empty child records (sex, age and ethnicity all unknown) are
    left out, as the report's 168 children show."""
    empty = (
        (children["sex"] == "unknown")
        & (children["age_group"] == "unknown")
        & (children["ethnicity"] == "unknown")
    )
    kept = children[~empty]
    return kept.assign(age_group=kept["age_group"].replace(AGE_310))


def group_characteristics(
    families: pd.DataFrame, children: pd.DataFrame, study: str
) -> tuple[pd.DataFrame, list[dict]]:
    """Table 3.10: the research group (and the interviewed EKc families, when linked)."""
    kids = described_children(children)
    columns = {"research_group": (families, kids)}
    if "interviewed" in families:
        chosen = families.loc[families["interviewed"], "family_id"]
        columns["interview_ekc"] = (
            families[families["family_id"].isin(chosen)],
            kids[kids["family_id"].isin(chosen)],
        )
    frames, records = [], []
    categories = dict(CHILD_VARIABLES)
    categories["age_group"] = ["unborn", "0_4", "5_12", "13_18", "unknown"]
    for group, (fam, kid) in columns.items():
        fam = fam.assign(_g=group)
        kid = kid.assign(_g=group)
        for variable, cats in categories.items():
            frame, recs = category_counts(
                kid,
                variable,
                cats,
                group_col="_g",
                groups=[group],
                study=study,
                table="3.10",
                label=variable,
            )
            frames.append(frame.assign(unit="child"))
            records += recs
        frame, recs = category_counts(
            fam,
            "help_duration",
            HELP_DURATION,
            group_col="_g",
            groups=[group],
            study=study,
            table="3.10",
            label="duration of help before registration",
        )
        frames.append(frame.assign(unit="family"))
        records += recs
        with_form = fam[fam["has_frek"]]
        mean_children = len(kid) / len(with_form) if len(with_form) else None
        records.append(
            make_record(
                id=record_id(study, "3.10", "n_children", "-", group),
                table="3.10",
                label="children per family with a registration form",
                group=group,
                moment="-",
                n=len(with_form),
                mean=mean_children,
                count=len(kid),
            )
        )
    return pd.concat(frames, ignore_index=True), records


def analyse(
    families: pd.DataFrame, children: pd.DataFrame, study: str = "yp", alpha: float = 0.05
) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    demo, r1 = demographics(families, children, study, alpha)
    types, r2 = problem_types(families, study)
    counts, r3 = problem_count(families, study, alpha)
    characteristics, r4 = group_characteristics(families, children, study)
    group_sizes = families["group"].value_counts()
    r0 = [
        make_record(
            id=record_id(study, "3.1", "families", "-", g),
            table="3.1",
            label="families",
            group=g,
            moment="-",
            n=int(group_sizes.get(g, 0)),
            count=int(group_sizes.get(g, 0)),
        )
        for g in GROUPS
    ]
    tables = {
        "rq1_demographics": demo,
        "rq1_problem_types": types,
        "rq1_problem_count": counts,
        "rq1_group_characteristics": characteristics,
    }
    return tables, r0 + r1 + r2 + r3 + r4


__all__ = ["analyse", "np"]
