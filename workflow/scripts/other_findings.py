"""Snakemake adapter: other findings (tables 9.1-9.4 and chapter 9's text)."""

import pandas as pd

from ekc.analysis.other_findings import analyse
from ekc.stats.records import write_records, write_table

NAMES = ["families", "case_file_resources", "interview_scores"]
OUTPUTS = {
    "other_findings_plan_in_file": "plan_in_file",
    "other_findings_ambulatory_help": "ambulatory_help",
    "other_findings_placements": "placements",
    "other_findings_contact": "contact",
    "other_findings_tests": "tests",
}

tables, records = analyse(
    {name: pd.read_parquet(snakemake.input[name]) for name in NAMES},
    study=snakemake.params.study,
    alpha=snakemake.params.alpha,
)
for name, output in OUTPUTS.items():
    write_table(tables[name], snakemake.output[output])
write_records(records, snakemake.output.stats)
