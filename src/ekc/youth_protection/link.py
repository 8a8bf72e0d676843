"""Linkage: one analysis dataset from all sources, with everything that did not fit reported.

Rules (documented in docs/linkage.md):
- the case register is the master list of families: it decides arm, region, group,
  restgroep, participation and case-file status;
- every validated export row has one fate (`row_fates`, from its lineage:
  `ekc.youth_protection.lineage`): kept, orphaned (its family, interview case or interview
  is not known) or unexpected (a form the design does not expect: a SuccInt or FUFREK for a
  family without a conference or dated before it, a follow-up dated before its start form,
  a 9-month form of the restgroep). Orphaned and unexpected rows are listed in the linkage
  report with the row a data manager sees, and left out of the analysis dataset (unexpected
  forms stay in when the config says `unexpected_forms: include`); nothing is dropped
  without a row in the report, and `export_accounts` counts every row per export;
- where sources disagree on a value the register also holds (region, registration date,
  conference held), the register wins and the disagreement is reported;
- response flags: one per family, source and moment (responded / not).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ekc.core.readers import SOURCE_ROW

ISSUE_COLUMNS = ["issue", "source", "source_row", "family_id", "detail"]
# Forms about the conference: only a family with a conference has them, after its date.
CONFERENCE_FORMS = ("fufrek", "succint_referrer", "succint_family_informant")
# Instruments with a start form that their follow-ups come after.
FOLLOWED_UP = ("zap_kort", "veo", "pul")
FOLLOW_UPS = ("3m", "9m")


def _issue(issue: str, source: str, family_id: str, detail: str, row: object = None) -> dict:
    return {
        "issue": issue,
        "source": source,
        "source_row": row,
        "family_id": family_id,
        "detail": detail,
    }


def in_register(ids: pd.Series, known: pd.Series) -> np.ndarray:
    """Mask of the `ids` found among the `known` ids, by Arrow's hash lookup on the string
    buffers themselves (pandas' `isin` makes a Python object of every id: 20x slower)."""
    text = pa.large_string()
    found = pc.is_in(pa.array(ids, type=text), value_set=pa.array(known, type=text))
    return found.to_numpy(zero_copy_only=False)


def duplicates(frame: pd.DataFrame, keys: list[str], source: str) -> list[dict]:
    dup = frame[frame.duplicated(keys, keep=False)]
    return [
        _issue("duplicate_key", source, fid, f"{len(group)} records with key {keys}")
        for fid, group in dup.groupby("family_id")
    ]


def disagreements(families: pd.DataFrame, children: pd.DataFrame) -> list[dict]:
    """Values that differ between sources; the register wins, the FREK is reported."""
    issues = []
    frek = families[families["has_frek"]]
    differ = frek[frek["frek_conference"].astype(bool) != frek["conference"]]
    for fid in differ["family_id"]:
        issues.append(
            _issue(
                "disagreement",
                "frek_families",
                fid,
                "conference held: FREK differs from the register (register wins)",
            )
        )
    records = children.groupby("family_id").size()
    stated = frek.set_index("family_id")["n_children"]
    both = pd.concat([stated.rename("stated"), records.rename("records")], axis=1).dropna()
    differ = both[both["stated"] != both["records"]]
    stated_n = differ["stated"].astype("int64").astype(str).tolist()
    records_n = differ["records"].astype("int64").astype(str).tolist()
    for fid, s, r in zip(differ.index.tolist(), stated_n, records_n, strict=True):
        issues.append(
            _issue(
                "disagreement",
                "frek_children",
                fid,
                f"'Aantal kinderen' is {s} but the form lists "
                f"{r} child records (child-level tables use the records)",
            )
        )
    return issues


def linkage_report(
    families: pd.DataFrame,
    children: pd.DataFrame,
    fufrek: pd.DataFrame,
    fates: pd.DataFrame | None = None,
    interview_cases: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every row that did not fit (orphaned, unexpected: `fates`), every duplicate key and
    every disagreement between sources."""
    issues = fate_issues(fates) if fates is not None else []
    issues += duplicates(fufrek, ["family_id"], "fufrek")
    if interview_cases is not None:
        issues += duplicates(interview_cases, ["family_id"], "interview_cases")
    issues += disagreements(families, children)
    report = pd.DataFrame(issues, columns=ISSUE_COLUMNS)
    report["source_row"] = report["source_row"].astype("Int64")
    return report.sort_values(ISSUE_COLUMNS, kind="stable").reset_index(drop=True)


def row_fates(
    rows: pd.DataFrame, families: pd.DataFrame, *, include_unexpected: bool = False
) -> pd.DataFrame:
    """The lineage of every export row with its `fate` (kept, orphaned, unexpected) and a
    `detail` saying why; `unexpected` marks the forms the design does not expect, also when
    the config keeps them in the analyses."""
    out = rows.reset_index(drop=True).copy()
    out["fate"] = "kept"
    out["detail"] = ""
    out["unexpected"] = False

    def orphan(mask: np.ndarray, detail: str) -> None:
        out.loc[mask & (out["fate"] == "kept").to_numpy(), ["fate", "detail"]] = [
            "orphaned",
            detail,
        ]

    to_register = (out["links_to"] == "register").to_numpy()
    orphan(
        to_register & ~in_register(out["unit"], families["family_id"]),
        "record of a family that is not in the register",
    )
    cases = out.loc[(out["source"] == "interview_cases") & (out["fate"] == "kept"), "unit"]
    orphan(
        (out["links_to"] == "interview_cases").to_numpy() & ~in_register(out["unit"], cases),
        "record of an interview case that is not among the linked interview cases",
    )
    interviews = out.loc[(out["source"] == "interviews") & (out["fate"] == "kept"), "row_id"]
    orphan(
        (out["links_to"] == "interviews").to_numpy() & ~in_register(out["unit"], interviews),
        "statement of an interview that is not among the linked interviews",
    )
    reasons = unexpected_forms(out[out["fate"] == "kept"], families)
    out.loc[reasons.index, "detail"] = reasons
    out.loc[reasons.index, "unexpected"] = True
    if not include_unexpected:
        out.loc[reasons.index, "fate"] = "unexpected"
    return out


def unexpected_forms(rows: pd.DataFrame, families: pd.DataFrame) -> pd.Series:
    """Why each form the design does not expect is unexpected (indexed like `rows`)."""
    design = families.set_index("family_id")[["conference", "conference_date", "restgroep"]]
    forms = rows[rows["links_to"] == "register"].join(design, on="unit")
    conference = forms["conference"].astype("boolean").fillna(False).astype(bool)
    before_conference = (forms["date"] < forms["conference_date"]).fillna(False).astype(bool)
    starts = (
        forms[forms["moment"] == "start"]
        .groupby(["unit", "instrument"])["date"]
        .min()
        .rename("start")
    )
    forms = forms.join(starts, on=["unit", "instrument"])
    follow_up = forms["moment"].isin(FOLLOW_UPS)
    about_conference = forms["instrument"].isin(CONFERENCE_FORMS)
    rules = [
        (about_conference & ~conference, "{instrument} form of a family without a conference"),
        (
            about_conference & conference & before_conference,
            "{instrument} form dated before the family's conference",
        ),
        (
            follow_up
            & forms["instrument"].isin(FOLLOWED_UP)
            & (forms["date"] < forms["start"]).fillna(False).astype(bool),
            "{instrument} {moment} form dated before the family's start form",
        ),
        (
            follow_up & forms["instrument"].isin(("veo", "pul")) & conference & before_conference,
            "{instrument} {moment} form dated before the family's conference",
        ),
        (
            (forms["moment"] == "9m") & forms["restgroep"].astype("boolean").fillna(False),
            "{instrument} 9-month form of a restgroep family (the restgroep has no 9-month "
            "follow-up)",
        ),
    ]
    reasons = pd.Series(dtype=object)
    for mask, text in rules:
        hits = forms[mask.to_numpy(dtype=bool) & ~forms.index.isin(reasons.index)]
        reasons = pd.concat(
            [
                reasons,
                pd.Series(
                    [
                        text.format(instrument=i, moment=m)
                        for i, m in zip(hits["instrument"], hits["moment"], strict=True)
                    ],
                    index=hits.index,
                    dtype=object,
                ),
            ]
        )
    return reasons.sort_index()


def fate_issues(fates: pd.DataFrame) -> list[dict]:
    """One report row per export row that is orphaned or unexpected."""
    rows = fates[(fates["fate"] != "kept") | fates["unexpected"]]
    return [
        _issue(
            "orphan" if fate == "orphaned" else "unexpected" if flag else fate,
            source,
            unit,
            detail + ("" if fate != "kept" else " (kept: unexpected_forms: include)"),
            int(row),
        )
        for source, row, unit, fate, flag, detail in zip(
            rows["source"],
            rows[SOURCE_ROW],
            rows["unit"],
            rows["fate"],
            rows["unexpected"],
            rows["detail"],
            strict=True,
        )
    ]


def _forms_of(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The (family, instrument, moment) each row of an analysis table comes from."""
    fixed = {
        "case_file_resources": ("zap_kort", "9m"),
        "life_events": ("nosik", "start"),
        "cvc": ("cvc", "start"),
        "fufrek": ("fufrek", "3m"),
    }
    if name in fixed:
        instrument, moment = fixed[name]
        return pd.DataFrame({"instrument": instrument, "moment": moment}, index=frame.index)
    if name == "care_concerns":
        return pd.DataFrame({"instrument": "zap_kort", "moment": frame["moment"]})
    if name == "succint":
        return pd.DataFrame(
            {"instrument": "succint_" + frame["informant"], "moment": frame["moment"]}
        )
    return pd.DataFrame({"instrument": frame["instrument"], "moment": frame["moment"]})


def without_forms(name: str, frame: pd.DataFrame, excluded: pd.DataFrame) -> pd.DataFrame:
    """`frame` without the rows of the excluded (unit, instrument, moment) forms."""
    if excluded.empty or frame.empty:
        return frame
    forms = _forms_of(name, frame).assign(unit=frame["family_id"])
    marked = forms.merge(
        excluded.assign(_out=True), on=["unit", "instrument", "moment"], how="left"
    )["_out"]
    return frame[~marked.fillna(False).astype(bool).to_numpy()]


def export_accounts(fates: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> list[dict]:
    """Per export: rows the linkage received, kept, orphaned, unexpected. A kept row whose
    unit is missing from the analysis tables is counted as `dropped` (and stops the row
    accounting): it would otherwise be lost without a word."""
    present = _present(fates, tables)
    accounts = []
    for source, part in fates.groupby("source", sort=True):
        kept = part["fate"] == "kept"
        dropped = int((kept & ~present.loc[part.index]).sum())
        accounts.append(
            {
                "source": source,
                "rows": len(part),
                "kept": int(kept.sum()) - dropped,
                "orphaned": int((part["fate"] == "orphaned").sum()),
                "unexpected": int((part["fate"] == "unexpected").sum()),
                "dropped": dropped,
            }
        )
    return accounts


def _present(fates: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.Series:
    """Whether each row's unit (and form) is in the analysis tables."""
    found = pd.Series(True, index=fates.index)
    families = tables["families"]
    units = {
        "register": families["family_id"],
        "frek_families": families.loc[families["has_frek"], "family_id"],
        "frek_children": tables["children"]["family_id"],
        "fufrek": tables["fufrek"]["family_id"],
        "interview_cases": tables["interview_cases"]["family_id"],
        "interview_children": tables["interview_children"]["family_id"],
        "interviews": tables["interview_scores"]["family_id"],
    }
    for source, known in units.items():
        rows = fates["source"] == source
        found[rows] = in_register(fates.loc[rows, "unit"], known)
    measured = tables["measurements"]
    measured = measured[measured["responded"]].assign(_in=True)
    forms = fates[fates["instrument"].isin(INSTRUMENT_MOMENTS)]
    hit = forms[["unit", "instrument", "moment"]].merge(
        measured[["family_id", "instrument", "moment", "_in"]].rename(
            columns={"family_id": "unit"}
        ),
        on=["unit", "instrument", "moment"],
        how="left",
    )["_in"]
    found[forms.index] = hit.fillna(False).astype(bool).to_numpy()
    return found


def participant_flow(
    families: pd.DataFrame, children: pd.DataFrame, fufrek: pd.DataFrame
) -> pd.DataFrame:
    """The study's participant flow, one row per step, counted from the linked data."""
    prospective = families[families["arm"] == "prospective"]
    conference = families[families["conference"]]
    steps = [
        ("registered", "all", len(families)),
        ("retrospective", "all", int((families["arm"] == "retrospective").sum())),
        ("prospective", "all", len(prospective)),
        ("conference", "all", len(conference)),
        ("conference_with_plan", "all", int((families["plan_status"] == "plan").sum())),
        ("conference_without_plan", "all", int((families["plan_status"] == "no_plan").sum())),
        ("conference_plan_unknown", "all", int((families["plan_status"] == "plan_unknown").sum())),
        ("no_conference", "all", int((~families["conference"]).sum())),
        ("with_registration_form", "all", int(families["has_frek"].sum())),
        (
            "children_on_registration_forms",
            "all",
            int(in_register(children["family_id"], families["family_id"]).sum()),
        ),
        ("case_file_analysed", "all", int((families["dossier"] == "analysed").sum())),
        ("restgroep", "prospective", int(prospective["restgroep"].sum())),
        ("refused", "prospective", int((prospective["participation"] == "refused").sum())),
        ("withdrawn", "prospective", int((prospective["participation"] == "withdrawn").sum())),
        ("active", "prospective", int((prospective["participation"] == "active").sum())),
        (
            "withdrawn_or_refused",
            "prospective",
            int(prospective["participation"].isin(["refused", "withdrawn"]).sum()),
        ),
        (
            "with_follow_up_form",
            "conference",
            int(in_register(fufrek["family_id"], conference["family_id"]).sum()),
        ),
    ]
    for reason, n in (
        families.loc[families["dossier"] != "analysed", "dossier"]
        .value_counts()
        .sort_index()
        .items()
    ):
        steps.append((f"no_case_file_{reason}", "all", int(n)))
    return pd.DataFrame(steps, columns=["step", "of", "n"])


# Which families each instrument was meant to reach, and at which moments (chapter 2):
# the case files of every family whose file was analysed; the questionnaires and SuccInt
# of the prospective families taking part; the restgroep had no 9-month follow-up.
INSTRUMENT_MOMENTS = {
    "zap_kort": ("start", "3m", "9m"),
    "cvc": ("start",),
    "nosik": ("start",),
    "veo": ("start", "3m", "9m"),
    "pul": ("start", "3m", "9m"),
    "succint_referrer": ("3m", "9m"),
    "succint_family_informant": ("3m", "9m"),
}
MEASUREMENT_COLUMNS = ["family_id", "instrument", "moment", "expected", "responded", "scored"]


def expected_measurements(families: pd.DataFrame) -> pd.DataFrame:
    """One row per family, instrument and moment the design meant to measure (family order)."""
    active = (families["arm"] == "prospective") & (families["participation"] == "active")
    restgroep = families["restgroep"].astype(bool)
    parts, position = [], 0
    for instrument, moments in INSTRUMENT_MOMENTS.items():
        for moment in moments:
            if instrument == "zap_kort":
                expected = (families["dossier"] == "analysed") & ~(restgroep & (moment != "start"))
            else:
                expected = active & ~(restgroep & (moment == "9m"))
            mask = expected.to_numpy(dtype=bool)
            parts.append(
                pd.DataFrame(
                    {
                        "family_id": families["family_id"].to_numpy()[mask],
                        "instrument": instrument,
                        "moment": moment,
                        "_family": np.flatnonzero(mask),
                        "_position": position,
                    }
                )
            )
            position += 1
    rows = pd.concat(parts, ignore_index=True).sort_values(["_family", "_position"])
    return rows.drop(columns=["_family", "_position"]).reset_index(drop=True)


def observed_measurements(sources: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per family, instrument and moment that has a record; `scored` if usable."""
    parts = []
    zap = sources["care_concerns"]
    parts.append(
        zap.assign(instrument="zap_kort", scored=zap["status"] == "scored")
        .groupby(["family_id", "instrument", "moment"], as_index=False)["scored"]
        .any()
    )
    parts.append(sources["cvc"].assign(instrument="cvc", moment="start", scored=True))
    questionnaires = sources["questionnaires"]
    parts.append(
        questionnaires.assign(scored=questionnaires["raw"].notna())
        .groupby(["family_id", "instrument", "moment"], as_index=False)["scored"]
        .any()
    )
    succint = sources["succint"]
    parts.append(
        succint.assign(
            instrument="succint_" + succint["informant"], scored=succint["score"].notna()
        )
        .groupby(["family_id", "instrument", "moment"], as_index=False)["scored"]
        .any()
    )
    observed = pd.concat([p[["family_id", "instrument", "moment", "scored"]] for p in parts])
    return observed.assign(responded=True)


def measurement_table(families: pd.DataFrame, sources: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Long table family x instrument x moment: expected, responded, scored."""
    expected = expected_measurements(families).assign(expected=True)
    observed = observed_measurements(sources)
    table = expected.merge(observed, on=["family_id", "instrument", "moment"], how="outer")
    table = table[in_register(table["family_id"], families["family_id"])]
    for column in ("expected", "responded", "scored"):
        table[column] = table[column].astype("boolean").fillna(False).astype(bool)
    order = {m: i for i, m in enumerate(("start", "3m", "9m"))}
    table = table.sort_values(
        ["instrument", "family_id", "moment"],
        key=lambda s: s.map(order) if s.name == "moment" else s,
    )
    return table[MEASUREMENT_COLUMNS].reset_index(drop=True)


def response_flags(families: pd.DataFrame, measurements: pd.DataFrame) -> pd.DataFrame:
    """Families with one boolean column per instrument and moment: responded_<instr>_<moment>."""
    wide = (
        measurements[measurements["responded"]]
        .assign(column=lambda m: "responded_" + m["instrument"] + "_" + m["moment"])
        .pivot_table(index="family_id", columns="column", values="responded", aggfunc="any")
    )
    columns = [f"responded_{i}_{m}" for i, moments in INSTRUMENT_MOMENTS.items() for m in moments]
    wide = wide.reindex(columns=columns).astype("boolean").fillna(False).astype(bool)
    out = families.merge(wide, left_on="family_id", right_index=True, how="left")
    out[columns] = out[columns].astype("boolean").fillna(False).astype(bool)
    return out


def response_flow(measurements: pd.DataFrame) -> list[tuple[str, str, int]]:
    """Flow steps: measurements expected, returned and usable per instrument and moment."""
    steps = []
    for (instrument, moment), part in measurements.groupby(["instrument", "moment"], sort=False):
        of = f"{instrument}_{moment}"
        steps.append(("expected", of, int(part["expected"].sum())))
        steps.append(("responded", of, int(part["responded"].sum())))
        steps.append(("scored", of, int(part["scored"].sum())))
    return steps


def follow_up_without_baseline(measurements: pd.DataFrame) -> list[dict]:
    """A 3- or 9-month record of an instrument that has a start moment, without a start
    record for that family: no change can be computed, and the start may be mislabelled."""
    responded = measurements[measurements["responded"]]
    with_start = [i for i, moments in INSTRUMENT_MOMENTS.items() if "start" in moments]
    is_start = responded["moment"] == "start"
    later = responded[~is_start & responded["instrument"].isin(with_start)]
    starts = responded.loc[is_start, ["family_id", "instrument"]].drop_duplicates()
    found = later.merge(starts, on=["family_id", "instrument"], how="left", indicator=True)
    found = found[found["_merge"] == "left_only"]
    return [
        _issue(
            "no_baseline",
            instrument,
            family_id,
            f"{instrument} {moment} record without a start record",
        )
        for family_id, instrument, moment in zip(
            found["family_id"].tolist(),
            found["instrument"].tolist(),
            found["moment"].tolist(),
            strict=True,
        )
    ]


def analysis_dataset(
    families: pd.DataFrame,
    children: pd.DataFrame,
    fufrek: pd.DataFrame,
    instruments: dict[str, pd.DataFrame],
    interview_cases: pd.DataFrame,
    interview_tables: dict[str, pd.DataFrame],
    rows: pd.DataFrame,
    *,
    include_unexpected: bool = False,
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, pd.DataFrame, list[dict]]:
    """Link every cleaned table to the register's families.

    `rows` is the lineage of every validated export row. Returns the analysis tables (only
    rows whose family is in the register and whose form the design expects; shadow
    interview cases are outside the register by design), the linkage report (every row that
    did not fit), the participant flow and the row accounts per export."""
    known = families["family_id"].drop_duplicates()
    fates = row_fates(rows, families, include_unexpected=include_unexpected)
    excluded = fates.loc[fates["fate"] == "unexpected", ["unit", "instrument", "moment"]]
    instruments = {
        name: without_forms(name, frame, excluded) for name, frame in instruments.items()
    }
    fufrek = without_forms("fufrek", fufrek, excluded)
    measurements = measurement_table(families, instruments)
    report = linkage_report(families, children, fufrek, fates, interview_cases)
    extra = pd.DataFrame(follow_up_without_baseline(measurements), columns=ISSUE_COLUMNS)
    report = pd.concat([report, extra], ignore_index=True)
    report["source_row"] = report["source_row"].astype("Int64")
    report = report.sort_values(ISSUE_COLUMNS, kind="stable").reset_index(drop=True)
    tables = {
        "measurements": measurements,
        "families": response_flags(families, measurements),
        "children": children[in_register(children["family_id"], known)],
        "fufrek": fufrek[in_register(fufrek["family_id"], known)],
    }
    for name, frame in instruments.items():
        tables[name] = frame[in_register(frame["family_id"], known)]
    # Shadow cases are outside the register by design; EKc interview cases must link.
    linked_cases = interview_cases[
        (interview_cases["groep"] != "EKc") | in_register(interview_cases["family_id"], known)
    ]
    tables["interview_cases"] = linked_cases
    linked_ids = linked_cases["family_id"].drop_duplicates()
    for name, frame in interview_tables.items():
        tables[name] = frame[in_register(frame["family_id"], linked_ids)]
    flow = participant_flow(families, children, fufrek)
    flow = pd.concat(
        [flow, pd.DataFrame(response_flow(measurements), columns=flow.columns)],
        ignore_index=True,
    )
    return tables, report, flow, export_accounts(fates, tables)


def flow_records(flow: pd.DataFrame, study: str) -> list[dict]:
    """One results record per step of the participant flow."""
    from ekc.core.stats.records import make_record, record_id

    return [
        make_record(
            id=record_id(study, "flow", step, "-", of),
            table="flow",
            label=step,
            group=of,
            moment="-",
            n=n,
            count=n,
        )
        for step, of, n in flow.itertuples(index=False)
    ]
