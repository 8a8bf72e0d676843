"""Snakemake adapter: link all sources into the analysis dataset; report what did not fit."""

import pandas as pd

from ekc.link import (
    follow_up_without_baseline,
    in_register,
    instrument_orphans,
    linkage_report,
    measurement_table,
    participant_flow,
    response_flags,
    response_flow,
)
from ekc.report.figures import flow_diagram
from ekc.stats.records import make_record, record_id, write_records, write_table

inputs, outputs = snakemake.input, snakemake.output
families = pd.read_parquet(inputs.families)
children = pd.read_parquet(inputs.children)
fufrek = pd.read_parquet(inputs.fufrek)
sources = {
    name: pd.read_parquet(path)
    for name, path in zip(snakemake.params.tables, inputs.instruments, strict=True)
}
interview_cases = pd.read_parquet(inputs.interview_cases)

known = families["family_id"].drop_duplicates()
measurements = measurement_table(families, sources)

issues = linkage_report(families, children, fufrek)
extra = pd.DataFrame(
    instrument_orphans(families, sources, interview_cases)
    + follow_up_without_baseline(measurements),
    columns=issues.columns,
)
report = pd.concat([issues, extra], ignore_index=True).sort_values(list(issues.columns))
write_table(report, outputs.report)
measurements.to_parquet(outputs.measurements, index=False)
response_flags(families, measurements).to_parquet(outputs.families, index=False)
children[in_register(children["family_id"], known)].to_parquet(outputs.children, index=False)
fufrek[in_register(fufrek["family_id"], known)].to_parquet(outputs.fufrek, index=False)
for name, path in zip(snakemake.params.tables, outputs.instruments, strict=True):
    sources[name][in_register(sources[name]["family_id"], known)].to_parquet(path, index=False)
# Shadow cases are outside the register by design; EKc interview cases must link.
linked_cases = interview_cases[
    (interview_cases["groep"] != "EKc") | in_register(interview_cases["family_id"], known)
]
linked_cases.to_parquet(outputs.interview_cases, index=False)
for name in ("interview_scores", "interview_children"):
    frame = pd.read_parquet(inputs[name])
    frame[in_register(frame["family_id"], linked_cases["family_id"].drop_duplicates())].to_parquet(
        outputs[name], index=False
    )

flow = participant_flow(families, children, fufrek)
flow = pd.concat(
    [flow, pd.DataFrame(response_flow(measurements), columns=flow.columns)], ignore_index=True
)
write_table(flow, outputs.flow)
study = snakemake.params.study
write_records(
    [
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
    ],
    outputs.stats,
)
main_steps = flow[flow["of"].isin(["all", "prospective", "conference"])]
counts = dict(zip(main_steps["step"], main_steps["n"], strict=True))
flow_diagram(counts, lambda step, n: f"{step.replace('_', ' ')}\nn = {n}", outputs.diagram)
