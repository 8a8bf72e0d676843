"""Snakemake adapter: link all sources into the analysis dataset; report what did not fit
(logic in ekc.youth_protection.link)."""

import json
from pathlib import Path

import pandas as pd

from ekc.core import joblog
from ekc.core.report.figures import flow_diagram
from ekc.core.stats.records import write_records, write_table
from ekc.youth_protection.link import analysis_dataset, flow_records

joblog.start(snakemake.log[0], "link")
inputs, outputs = snakemake.input, snakemake.output
names = snakemake.params.tables
read = {
    name: pd.read_parquet(inputs[name])
    for name in (
        "families",
        "children",
        "fufrek",
        "interview_cases",
        "interview_scores",
        "interview_children",
    )
}
instruments = {
    name: pd.read_parquet(path) for name, path in zip(names, inputs.instruments, strict=True)
}
rows = pd.concat([pd.read_parquet(path) for path in inputs.rows], ignore_index=True)
joblog.read({**read, **instruments, "export rows": rows})
tables, report, flow, accounts = analysis_dataset(
    read["families"],
    read["children"],
    read["fufrek"],
    instruments,
    read["interview_cases"],
    {name: read[name] for name in ("interview_scores", "interview_children")},
    rows,
    include_unexpected=snakemake.params.unexpected_forms == "include",
)
for name, frame in tables.items():
    path = dict(zip(names, outputs.instruments, strict=True)).get(name) or outputs[name]
    frame.to_parquet(path, index=False)
    joblog.wrote(path, frame)
for issue, rows in report.groupby("issue", sort=True):
    joblog.LOG.info("linkage report: %d x %s", len(rows), issue)
write_table(report, outputs.report)
Path(outputs.accounts).write_text(json.dumps(accounts, indent=1) + "\n", encoding="utf-8")
joblog.wrote(outputs.accounts, accounts)
write_table(flow, outputs.flow)
write_records(flow_records(flow, snakemake.params.study), outputs.stats)
main_steps = flow[flow["of"].isin(["all", "prospective", "conference"])]
counts = dict(zip(main_steps["step"], main_steps["n"], strict=True))
flow_diagram(counts, lambda step, n: f"{step.replace('_', ' ')}\nn = {n}", outputs.diagram)
