"""Snakemake adapter: characteristics of the conferences (tables 4.1, 4.2, text of chapter 4)."""

import pandas as pd

from ekc.analysis.conference import analyse
from ekc.external import read_reference
from ekc.stats.records import write_records, write_table

tables, records = analyse(
    pd.read_parquet(snakemake.input.families),
    pd.read_parquet(snakemake.input.interview_cases),
    read_reference(snakemake.input.reference),
    snakemake.params.study,
    snakemake.params.alpha,
)
write_table(tables["conference_characteristics"], snakemake.output.table)
write_records(records, snakemake.output.stats)
