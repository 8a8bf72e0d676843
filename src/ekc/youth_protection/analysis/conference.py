"""The conference itself (chapter 4): duration, private family time, attendees, referrer.

Table 4.1 describes all conferences (n=90). Table 4.2 sets the research group beside the
interviewed EKc families and the regular EKc population, of which only published aggregates
exist (`resources/external/`). The text's "the three groups do not differ" is tested here:
conference duration with a Pearson chi-square over the three columns (no Yates), the number
of attendees with a one-sample t-test of the research group against the population mean
(the population's sd is not known, so no two-sample test is possible).
"""

from __future__ import annotations

import pandas as pd

from ekc.core.stats.describe import category_counts, numeric_summary
from ekc.core.stats.effects import cramers_v
from ekc.core.stats.finish import holm_family, record_of_test, restated
from ekc.core.stats.inference import one_sample_t, pearson_chi2
from ekc.core.stats.records import record, record_id
from ekc.youth_protection.external import reference_counts, reference_value
from ekc.youth_protection.vocabulary import CONFERENCE_VARIABLES, DURATION

POPULATION = "regular_ekc_population"


def _with_hour_tokens(families: pd.DataFrame) -> pd.DataFrame:
    out = families.copy()
    for column in ("duration_band", "private_band"):
        out[column] = out[column].where(out[column] == "unknown", out[column] + "h")
    return out


def _column(families: pd.DataFrame, table: str, group: str, study: str) -> tuple[list, list]:
    frames, records = [], []
    part = families.assign(_column=group)
    records.append(
        record(record_id(study, table, "sample", "-", group), label="conferences", n=len(part))
    )
    for token, (column, categories) in CONFERENCE_VARIABLES.items():
        frame, recs = category_counts(
            part,
            column,
            categories,
            group_col="_column",
            groups=[group],
            study=study,
            table=table,
            label=token,
            token=token,
        )
        frames.append(frame)
        records += recs
    summary = numeric_summary(part["attendees"])
    records.append(
        record(
            record_id(study, table, "n_attendees", "-", group),
            label="number of people present at the conference",
            **summary,
        )
    )
    frames.append(
        pd.DataFrame([{"variable": "n_attendees", "category": "-", "group": group, **summary}])
    )
    return frames, records


def _text_records(conferences: pd.DataFrame, by_id: dict, study: str) -> list[dict]:
    """The chapter's running text restates table figures; one record per printed figure."""

    def copy(source_table: str, variable: str, category: str, group: str) -> dict:
        return restated(by_id[record_id(study, source_table, variable, category, group)], "text4")

    held = len(conferences)
    records = [
        record(
            record_id(study, "text4", "conferences_held", "-", "conference"),
            label="conferences held",
            n=held,
            count=held,
        )
    ]
    for status in ("no_plan", "plan_unknown"):
        records.append(
            record(
                record_id(
                    study, "text4", "conference_status", f"conference_{status}", "conference"
                ),
                label=f"conference held, {status.replace('_', ' ')}",
                n=held,
                count=int((conferences["plan_status"] == status).sum()),
            )
        )
    records += [
        copy("4.1", "conference_duration", "3_5h", "conference"),
        copy("4.1", "conference_duration", "5_8h", "conference"),
        copy("4.1", "private_time_duration", "1_3h", "conference"),
        copy("4.1", "referrer_present", "yes", "conference"),
        copy("4.2", "n_attendees", "-", "research_group"),
        copy("4.2", "n_attendees", "-", "interview_ekc"),
    ]
    return records


def _group_tests(
    research: pd.DataFrame, interviewed: pd.DataFrame, reference: pd.DataFrame, study: str, alpha
) -> list[dict]:
    group = "research_vs_interview_ekc_vs_regular"
    known = [c for c in DURATION if c != "unknown"]
    population = reference_counts(reference, "4.2", "conference_duration", POPULATION)
    table = [
        [int((research["duration_band"] == c).sum()) for c in known],
        [int((interviewed["duration_band"] == c).sum()) for c in known],
        [population.get(c, 0) for c in known],
    ]
    duration = record_of_test(
        record_id(study, "text4", "conference_duration", "-", group),
        result=pearson_chi2(table, alpha),
        label="conference duration: research group, interviewed EKc families, regular population",
        **{f"v_{k}": v for k, v in cramers_v(table).items() if k != "effect"},
        effect="cramers_v",
    )
    mean = float(reference_value(reference, f"{study}:4.2:n_attendees:-:{POPULATION}:-:mean"))
    attendance = record_of_test(
        record_id(study, "text4", "n_attendees", "-", group),
        result=one_sample_t(research["attendees"], mean, alpha=alpha),
        label="number of attendees: research group against the regular population's mean",
        reference_mean=mean,
    )
    holm_family([duration, attendance])
    return [duration, attendance]


def analyse(
    tables: dict[str, pd.DataFrame], study: str = "yp", alpha: float = 0.05
) -> tuple[dict[str, pd.DataFrame], list]:
    """Needs tables families, interview_cases and the external reference."""
    families, interview_cases = tables["families"], tables["interview_cases"]
    reference = tables["reference"]
    conferences = _with_hour_tokens(families[families["conference"]])
    interviewed_ids = set(interview_cases.loc[interview_cases["groep"] == "EKc", "family_id"])
    interviewed = conferences[conferences["family_id"].isin(interviewed_ids)]
    frames, records = _column(conferences, "4.1", "conference", study)
    for table_group, part in (("research_group", conferences), ("interview_ekc", interviewed)):
        more, recs = _column(part, "4.2", table_group, study)
        frames += more
        records += recs
    by_id = {r["id"]: r for r in records}
    records += _text_records(conferences, by_id, study)
    records += _group_tests(conferences, interviewed, reference, study, alpha)
    table = pd.concat(frames, ignore_index=True)
    return {"characteristics": table}, records
