"""Snakemake adapter: research question 4, control (tables 8.1-8.3 and chapter 8's text)."""

import pandas as pd

from ekc.analysis.rq4_control import analyse
from ekc.stats.records import write_records, write_table

NAMES = ["families", "succint", "questionnaires", "interview_scores"]
OUTPUTS = {
    "rq4_control_scores": "scores",
    "rq4_capacity_burden": "capacity_burden",
    "rq4_pul_autonomy": "pul_autonomy",
    "rq4_interviews": "interviews",
    "rq4_tests": "tests",
    "rq4_mixed_model": "mixed_model",
}

tables, records = analyse(
    {name: pd.read_parquet(snakemake.input[name]) for name in NAMES},
    study=snakemake.params.study,
    alpha=snakemake.params.alpha,
)
for name, output in OUTPUTS.items():
    write_table(tables[name], snakemake.output[output])
write_records(records, snakemake.output.stats)
