"""Snakemake adapter: research question 1 (tables 3.1-3.3)."""

import pandas as pd

from ekc.analysis.rq1_target_group import analyse
from ekc.stats.records import write_records, write_table

tables, records = analyse(
    pd.read_parquet(snakemake.input.families),
    pd.read_parquet(snakemake.input.children),
    study=snakemake.params.study,
    alpha=snakemake.params.alpha,
)
write_table(tables["rq1_demographics"], snakemake.output.demographics)
write_table(tables["rq1_problem_types"], snakemake.output.problem_types)
write_table(tables["rq1_problem_count"], snakemake.output.problem_count)
write_table(tables["rq1_group_characteristics"], snakemake.output.group_characteristics)
write_records(records, snakemake.output.stats)
