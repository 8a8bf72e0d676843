"""Snakemake adapter: realisation and evaluation of the plan (table 5.1)."""

import pandas as pd

from ekc.analysis.conference_outcome import analyse
from ekc.stats.records import write_records, write_table

tables, records = analyse(
    pd.read_parquet(snakemake.input.families),
    pd.read_parquet(snakemake.input.fufrek),
    snakemake.params.study,
)
write_table(tables["plan_outcome"], snakemake.output.table)
write_records(records, snakemake.output.stats)
