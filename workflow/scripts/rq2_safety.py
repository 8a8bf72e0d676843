"""Snakemake adapter: research question 2, safety and well-being (chapter 6)."""

import logging

import pandas as pd

from ekc.analysis.rq2_safety import analyse
from ekc.stats.records import write_records, write_table

# warnings of the model fit belong in the job's log, not on the console
logging.basicConfig(filename=snakemake.log[0], level=logging.INFO, force=True)
logging.captureWarnings(True)

names = ("families", "care_concerns", "succint", "interview_scores")
tables, records = analyse(
    {name: pd.read_parquet(snakemake.input[name]) for name in names},
    study=snakemake.params.study,
    alpha=snakemake.params.alpha,
)
for name, frame in tables.items():
    write_table(frame, snakemake.output[name.removeprefix("rq2_")])
write_records(records, snakemake.output.stats)
logging.info("%d records, %d tables", len(records), len(tables))
