"""Other findings (chapter 9): the plan in the case file, ambulatory help and out-of-home
placements after the (registration for the) conference, and what the interviews say about
the contact between the professional and the family.

Published figures: tables 9.1-9.4 (families with a case-file analysis: 63 with a conference,
16 without) and the text of chapter 9 (placed children by timing, duration of the ended
placements, the interview share of referrers who saw the contact improve). The text counts
placed children; the case files hold one placement per placed family, so a placed family is
a placed child here.

Tests (section 2.6):
- any ambulatory help by group: Pearson chi-square (printed verdict 'not significant'; the
  report states no expected direction, so two-sided);
- beyond the report: any out-of-home placement and a placement at or after the conference by
  group, one-sided (fewer after a conference, the direction of section 2.6); duration of the
  ended placements, Student t one-sided (shorter after a conference); interview contact
  improved, EKc vs shadow referrers and family side vs referrers, Pearson chi-square on the
  case-weighted counts, two-sided.
No mixed model: chapter 9's case-file and interview data have one measurement per family.
Ids: extra tests in table `<t>x`, effect sizes in `<t>es`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ekc.core.stats.describe import category_counts, numeric_summary, share
from ekc.core.stats.effects import cramers_v, hedges_g
from ekc.core.stats.finish import count_record, finish, record_of_test
from ekc.core.stats.inference import one_sided_proportions, pearson_chi2, student_t
from ekc.core.stats.records import record, record_id
from ekc.youth_protection.analysis.rq4_control import (
    TEST_COLUMNS,
    effect,
    interview_shares,
    respondents,
    weighted_counts,
)
from ekc.youth_protection.clean.interviews import FAMILY_ROLES
from ekc.youth_protection.schemas.interviews import PROFESSIONAL
from ekc.youth_protection.vocabulary import AMBULATORY_HELP_TYPES, PLACEMENT_TYPES

GROUPS = ("conference", "no_conference")
PLAN_IN_FILE = ("plan_present", "letter_or_announcement_only", "no_ekc_information")
AMBULATORY = tuple(AMBULATORY_HELP_TYPES)
PLACEMENT = tuple(PLACEMENT_TYPES)
TIMING = {"before": "before", "on_date": "on_date", "after": "after", "unknown": "unknown_timing"}
CASE_FILES = "families with a case-file analysis"
CONTACT_LABELS = {
    groep: {
        "verbeterd": "improved",
        "gelijk": "unchanged",
        "verslechterd": "worse",
        "onbekend": "unknown",
    }
    for groep in ("EKc", "schaduw")
}


def ended(frame: pd.DataFrame) -> pd.Series:
    """Placements that have ended (unknown counts as not ended)."""
    return (~frame["placement_ongoing"].astype("boolean")).fillna(False).astype(bool)


def case_files(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The 9-month case-file coding with each family's analysis group."""
    groups = tables["families"][["family_id", "group"]]
    return tables["case_file_resources"].merge(
        groups, on="family_id", how="left", validate="one_to_one"
    )


def plan_in_file(files: pd.DataFrame, study: str):
    """Table 9.1 over all families with a case-file analysis."""
    frame, records = category_counts(
        files.assign(_g="all"),
        "plan_in_file",
        PLAN_IN_FILE,
        group_col="_g",
        groups=["all"],
        study=study,
        table="9.1",
        label="information on the conference in the case file",
    )
    n = len(files)
    present = int((files["plan_in_file"] == "plan_present").sum())
    records += [
        record(record_id(study, "9.1", "plan_in_file", "-", "all"), label=CASE_FILES, n=n),
        count_record(
            record_id(study, "text9", "plan_in_file", "plan_present", "all"),
            count=present,
            base=n,
            label="plan present in the case file (summary: 'about half')",
        ),
    ]
    return frame, records


def group_sizes(files: pd.DataFrame, table: str, variable: str, study: str) -> list[dict]:
    return [
        record(
            record_id(study, table, variable, "-", group),
            label=CASE_FILES,
            n=int(sum(files["group"] == group)),
        )
        for group in GROUPS
    ]


def ambulatory_help(files: pd.DataFrame, study: str, alpha: float):
    """Table 9.2 and its test: any ambulatory help by group."""
    frame, records = category_counts(
        files,
        "ambulatory_help",
        AMBULATORY,
        group_col="group",
        groups=GROUPS,
        study=study,
        table="9.2",
        label="ambulatory help after the (registration for the) conference",
    )
    records += group_sizes(files, "9.2", "ambulatory_help", study)
    records.append(
        record(
            record_id(study, "9.2", "ambulatory_help", "-", "all"), label=CASE_FILES, n=len(files)
        )
    )
    crosstab = pd.crosstab(files["group"], files["any_ambulatory_help"].astype(bool)).reindex(
        index=list(GROUPS), columns=[True, False], fill_value=0
    )
    shares = crosstab[True] / crosstab.sum(axis=1)
    test = record_of_test(
        record_id(study, "text9", "ambulatory_help", "any", "conference_vs_no_conference"),
        result=pearson_chi2(crosstab.to_numpy(), alpha),
        label="any ambulatory help, conference vs no conference",
        pct_conference=100 * shares["conference"],
        pct_no_conference=100 * shares["no_conference"],
    )
    records += [test, effect(test, cramers_v(crosstab.to_numpy()), "Cramer's V")]
    return frame, records


def placements(files: pd.DataFrame, study: str, alpha: float):
    """Tables 9.3 and 9.4, the timing and duration figures of section 9.3, and the tests."""
    frames, records = [], []
    frame, recs = category_counts(
        files,
        "placement",
        PLACEMENT,
        group_col="group",
        groups=GROUPS,
        study=study,
        table="9.3",
        label="out-of-home placement before or after the (registration for the) conference",
        token="out_of_home_placement",
    )
    frames.append(frame.assign(table="9.3"))
    records += recs + group_sizes(files, "9.3", "out_of_home_placement", study)
    at_or_after = files[files["placed_at_or_after"].astype(bool)]
    frame, recs = category_counts(
        at_or_after,
        "placement",
        PLACEMENT[1:],
        group_col="group",
        groups=GROUPS,
        study=study,
        table="9.4",
        label="type of placement on or after the date of the conference (registration)",
        token="placement_type",
    )
    frames.append(frame.assign(table="9.4"))
    records += recs + [
        record(
            record_id(study, "9.4", "placement_type", "-", group),
            label="placed on or after the conference (registration)",
            n=int((at_or_after["group"] == group).sum()),
        )
        for group in GROUPS
    ]

    timing_rows = []
    for group in GROUPS:
        part = files[files["group"] == group]
        placed = part[part["placed"].astype(bool)]
        records += [
            count_record(
                record_id(study, "text9", "out_of_home_placement", "any", group),
                count=len(placed),
                base=len(part),
                label="families with a placement (text: 'about two thirds' in both groups)",
            ),
            record(
                record_id(study, "text9", "placed_children", "-", group),
                label=CASE_FILES,
                n=len(part),
            ),
        ]
        for timing, token in TIMING.items():
            # a conference that did not take place has no date to be placed on
            if group == "no_conference" and timing == "on_date":
                continue
            at = placed[placed["placement_timing"] == timing]
            counts = {token: len(at)}
            if timing != "unknown":
                ongoing = at["placement_ongoing"].astype("boolean").fillna(False)
                counts[f"{token}_ongoing"] = int(ongoing.sum())
                counts[f"{token}_ended"] = int(ended(at).sum())
            for category, count in counts.items():
                timing_rows.append({"group": group, "category": category, "count": count})
                records.append(
                    record(
                        record_id(study, "text9", "placed_children", category, group),
                        label="placed children (one per placed family) by timing",
                        n=len(part),
                        count=count,
                    )
                )
        summary = numeric_summary(part.loc[ended(part), "placement_months"])
        timing_rows.append({"group": group, "category": "ended_duration_months", **summary})
        records.append(
            record(
                record_id(study, "text9", "placement_duration_months", "ended", group),
                label="duration of the ended placements (months)",
                **summary,
            )
        )
    frames.append(pd.DataFrame(timing_rows).assign(table="text9", variable="placed_children"))

    conf, none = (files[files["group"] == g] for g in GROUPS)
    for table, variable, column in (
        ("9.3x", "out_of_home_placement", "placed"),
        ("9.4x", "placed_at_or_after", "placed_at_or_after"),
    ):
        count = [int(conf[column].astype(bool).sum()), int(none[column].astype(bool).sum())]
        nobs = [len(conf), len(none)]
        test = record_of_test(
            record_id(study, table, variable, "any", "conference_vs_no_conference"),
            result=one_sided_proportions(count, nobs, "smaller", alpha),
            label=f"{variable}: conference vs no conference, one-sided (fewer after a conference)",
            pct_conference=share(count[0], nobs[0]),
            pct_no_conference=share(count[1], nobs[1]),
        )
        crosstab = np.array([[count[0], nobs[0] - count[0]], [count[1], nobs[1] - count[1]]])
        records += [test, effect(test, cramers_v(crosstab), "Cramer's V")]

    durations = {
        g: files.loc[(files["group"] == g) & ended(files), "placement_months"]
        .dropna()
        .astype(float)
        for g in GROUPS
    }
    test = record_of_test(
        record_id(
            study, "text9x", "placement_duration_months", "ended", "conference_vs_no_conference"
        ),
        result=student_t(durations["conference"], durations["no_conference"], "less", alpha),
        label="duration of ended placements: conference minus no conference, one-sided "
        "(shorter after a conference)",
    )
    g = hedges_g(durations["conference"], durations["no_conference"])
    records += [test, effect(test, g, "g, months")]
    return pd.concat(frames, ignore_index=True), records


def contact(scores: pd.DataFrame, study: str, alpha: float):
    """Section 9.5: contact between professional and family, weighted per case."""
    table = interview_shares(scores, "contact", CONTACT_LABELS)
    records = []
    referrers = table[(table["group"] == "interview_ekc") & (table["roles"] == "referrer")]
    improved = referrers[referrers["code"] == "verbeterd"].iloc[0]
    records.append(
        record(
            record_id(study, "text9", "contact_improved_referrer", "-", "interview_ekc", "9m"),
            label="interviews, EKc cases: referrers who saw the contact improve (weighted share)",
            n=int(referrers["n_units"].sum()),
            count=int(improved["n_units"]),
            weighted_n=improved["weighted_n"],
            pct=improved["pct"],
        )
    )
    comparisons = {
        "interview_ekc_vs_shadow": (("EKc", (PROFESSIONAL,)), ("schaduw", (PROFESSIONAL,))),
        "family_network_vs_referrer": (("EKc", FAMILY_ROLES), ("EKc", (PROFESSIONAL,))),
    }
    for group, ((g1, r1), (g2, r2)) in comparisons.items():
        crosstab = np.array(
            [
                weighted_counts(scores, "contact", g1, r1, "verbeterd"),
                weighted_counts(scores, "contact", g2, r2, "verbeterd"),
            ]
        )
        test = record_of_test(
            record_id(study, "text9x", "contact_improved", "-", group, "9m"),
            result=pearson_chi2(crosstab, alpha),
            label=f"interviews: contact improved, {group} (case-weighted counts)",
            n=respondents(scores, "contact", (g1, r1), (g2, r2)),
            weighted_n=float(crosstab.sum()),
        )
        records += [test, effect(test, cramers_v(crosstab), "Cramer's V")]
    return table[table["roles"].isin(["all", "referrer", "family_network"])], records


def analyse(
    tables: dict[str, pd.DataFrame], study: str = "yp", alpha: float = 0.05
) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    """Needs tables families, case_file_resources and interview_scores."""
    files = case_files(tables)
    plan, records = plan_in_file(files, study)
    help_table, recs = ambulatory_help(files, study, alpha)
    records += recs
    placement_table, recs = placements(files, study, alpha)
    records += recs
    contact_table, recs = contact(tables["interview_scores"], study, alpha)
    records += recs
    out = {
        "plan_in_file": plan,
        "ambulatory_help": help_table,
        "placements": placement_table,
        "contact": contact_table,
        "tests": finish(records, columns=TEST_COLUMNS),
    }
    return out, records
