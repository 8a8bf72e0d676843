"""Snakemake adapter: characteristics of the conferences (tables 4.1, 4.2)."""

import pandas as pd

from ekc.analysis.conference import analyse
from ekc.stats.records import write_records, write_table

tables, records = analyse(pd.read_parquet(snakemake.input.families), snakemake.params.study)
write_table(tables["conference_characteristics"], snakemake.output.table)
write_records(records, snakemake.output.stats)
