"""Linkage: one analysis dataset from all sources, with everything that did not fit reported.

Rules (documented in docs/linkage.md):
- the case register is the master list of families: it decides arm, region, group,
  restgroep, participation and case-file status;
- a record of another source whose family is not in the register is an orphan: it is
  reported and left out of the analysis dataset, never silently dropped;
- where sources disagree on a value the register also holds (region, registration date,
  conference held), the register wins and the disagreement is reported;
- response flags: one per family, source and moment (responded / not).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

ISSUE_COLUMNS = ["issue", "source", "family_id", "detail"]


def _issue(issue: str, source: str, family_id: str, detail: str) -> dict:
    return {"issue": issue, "source": source, "family_id": family_id, "detail": detail}


def in_register(ids: pd.Series, known: pd.Series) -> np.ndarray:
    """Mask of the `ids` found among the `known` ids, by Arrow's hash lookup on the string
    buffers themselves (pandas' `isin` makes a Python object of every id: 20x slower)."""
    text = pa.large_string()
    found = pc.is_in(pa.array(ids, type=text), value_set=pa.array(known, type=text))
    return found.to_numpy(zero_copy_only=False)


def orphans(families: pd.DataFrame, frame: pd.DataFrame, source: str) -> list[dict]:
    missing = frame.loc[~in_register(frame["family_id"], families["family_id"]), "family_id"]
    return [
        _issue("orphan", source, fid, f"{source} record for a family not in the register")
        for fid in sorted(missing.unique())
    ]


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


def follow_up_checks(families: pd.DataFrame, fufrek: pd.DataFrame) -> list[dict]:
    linked = fufrek.merge(
        families[["family_id", "conference", "conference_date"]], on="family_id", how="inner"
    )
    held = linked["conference"].astype(bool)
    early = held & (linked["follow_up_date"] < linked["conference_date"]).fillna(False)
    found = [
        (~held, "follow-up form for a family without a conference"),
        (early, "follow-up date before the conference date"),
    ]
    return [
        _issue("inconsistent", "fufrek", fid, detail)
        for mask, detail in found
        for fid in linked.loc[mask.to_numpy(dtype=bool), "family_id"].tolist()
    ]


def linkage_report(
    families: pd.DataFrame, children: pd.DataFrame, fufrek: pd.DataFrame
) -> pd.DataFrame:
    issues = []
    issues += orphans(families, children, "frek_children")
    issues += orphans(families, fufrek, "fufrek")
    issues += duplicates(fufrek, ["family_id"], "fufrek")
    issues += disagreements(families, children)
    issues += follow_up_checks(families, fufrek)
    report = pd.DataFrame(issues, columns=ISSUE_COLUMNS)
    return report.sort_values(ISSUE_COLUMNS, kind="stable").reset_index(drop=True)


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


def instrument_orphans(
    families: pd.DataFrame, sources: dict[str, pd.DataFrame], interview_cases: pd.DataFrame
) -> list[dict]:
    """Records of any instrument whose family is not in the register (shadow cases excepted:
    they are comparison cases from outside the study's register by design)."""
    issues = []
    for name, frame in sorted(sources.items()):
        issues += orphans(families, frame, name)
    ekc_cases = interview_cases[interview_cases["groep"] == "EKc"]
    issues += orphans(families, ekc_cases, "interview_cases")
    issues += duplicates(interview_cases, ["family_id"], "interview_cases")
    return issues


def analysis_dataset(
    families: pd.DataFrame,
    children: pd.DataFrame,
    fufrek: pd.DataFrame,
    instruments: dict[str, pd.DataFrame],
    interview_cases: pd.DataFrame,
    interview_tables: dict[str, pd.DataFrame],
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, pd.DataFrame]:
    """Link every cleaned table to the register's families.

    Returns the analysis tables (only rows whose family is in the register; shadow interview
    cases are outside it by design), the linkage report (every row that did not fit) and the
    participant flow."""
    known = families["family_id"].drop_duplicates()
    measurements = measurement_table(families, instruments)
    issues = linkage_report(families, children, fufrek)
    extra = pd.DataFrame(
        instrument_orphans(families, instruments, interview_cases)
        + follow_up_without_baseline(measurements),
        columns=issues.columns,
    )
    report = pd.concat([issues, extra], ignore_index=True).sort_values(list(issues.columns))
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
    return tables, report, flow


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
