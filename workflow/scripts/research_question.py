"""Snakemake adapter: the analyses of one research question of a config-defined study."""

import logging
from pathlib import Path

import pandas as pd

from ekc.stats.records import write_records, write_table
from ekc.study.tabulate import records_table, run_analyses

logging.basicConfig(filename=snakemake.log[0], level=logging.INFO, format="%(message)s")
frames = {Path(p).stem: pd.read_parquet(p) for p in snakemake.input.sources}
params = snakemake.params
records = run_analyses(frames, params.analyses, params.study, list(params.groups))
logging.info("%d records from %d analyses", len(records), len(params.analyses))
write_records(records, snakemake.output.stats)
write_table(records_table(records), snakemake.output.table)
