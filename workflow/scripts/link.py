"""Snakemake adapter: link all sources into the analysis dataset; report what did not fit."""

import pandas as pd

from ekc.link import linkage_report, participant_flow
from ekc.report.figures import flow_diagram
from ekc.stats.records import make_record, record_id, write_records, write_table

families = pd.read_parquet(snakemake.input.families)
children = pd.read_parquet(snakemake.input.children)
fufrek = pd.read_parquet(snakemake.input.fufrek)

report = linkage_report(families, children, fufrek)
write_table(report, snakemake.output.report)
known = set(families["family_id"])
children[children["family_id"].isin(known)].to_parquet(snakemake.output.children, index=False)
fufrek[fufrek["family_id"].isin(known)].to_parquet(snakemake.output.fufrek, index=False)
families.to_parquet(snakemake.output.families, index=False)

flow = participant_flow(families, children, fufrek)
write_table(flow, snakemake.output.flow)
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
    snakemake.output.stats,
)
counts = dict(zip(flow["step"], flow["n"], strict=True))
flow_diagram(counts, lambda step, n: f"{step.replace('_', ' ')}\nn = {n}", snakemake.output.diagram)
