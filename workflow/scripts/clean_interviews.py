"""Snakemake adapter: weighted interview statements of EKc and shadow cases."""

from ekc.core import joblog
from ekc.core.pseudonym import job_key
from ekc.youth_protection.clean.instruments import interview_tables

joblog.start(snakemake.log[0], "clean_interviews")
settings = snakemake.params.pseudonymisation
key = job_key(settings)
tables = interview_tables(
    *(joblog.read_parquet(snakemake.input[name]) for name in ("cases", "children", "interviews")),
    joblog.read_parquet(snakemake.input.statements),
    key,
)
for name, table in tables.items():
    joblog.write_parquet(table, snakemake.output[name])
