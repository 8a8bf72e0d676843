"""Snakemake adapter: research question 3, social support (chapter 7), and attrition."""

import logging

import pandas as pd

from ekc.analysis.rq3_support import analyse
from ekc.stats.records import write_records, write_table

logging.basicConfig(filename=snakemake.log[0], level=logging.INFO, format="%(message)s")
logging.captureWarnings(True)

tables = {name: pd.read_parquet(path) for name, path in snakemake.input.items() if name != "code"}
results, records = analyse(tables, study=snakemake.params.study, alpha=snakemake.params.alpha)
for name in ("bands", "scores", "interviews", "tests", "lmm"):
    write_table(results[f"rq3_{name}"], snakemake.output[name])
write_table(results["attrition"], snakemake.output.attrition)
write_records(records, snakemake.output.stats)
for row in results["rq3_lmm"].drop_duplicates("model").itertuples(index=False):
    logging.info(f"{row.model}: converged={row.converged} warnings={row.fit_warnings or '-'}")
logging.info(f"{len(records)} records")
