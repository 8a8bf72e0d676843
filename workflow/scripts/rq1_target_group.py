"""Snakemake adapter: research question 1, chapter 3 (tables 3.1-3.11 and the text)."""

import pandas as pd

from ekc.analysis.rq1_target_group import analyse
from ekc.external import read_reference
from ekc.stats.records import write_records, write_table

TABLES = [
    "families",
    "children",
    "care_concerns",
    "cvc",
    "questionnaires",
    "life_events",
    "interview_cases",
    "interview_children",
    "interview_scores",
]

inputs = {name: pd.read_parquet(snakemake.input[name]) for name in TABLES}
inputs["reference"] = read_reference(snakemake.input.reference)
tables, records = analyse(inputs, study=snakemake.params.study, alpha=snakemake.params.alpha)
for name, frame in tables.items():
    write_table(frame, snakemake.output[name.removeprefix("rq1_")])
write_records(records, snakemake.output.stats)
