"""Snakemake adapter: weighted interview statements of EKc and shadow cases."""

import pandas as pd

from ekc.clean.instruments import interview_tables
from ekc.pseudonym import load_key

settings = snakemake.params.pseudonymisation
key = load_key(settings["key_env"], settings.get("key_file"), settings.get("allow_demo_key", False))
tables = interview_tables(
    *(pd.read_parquet(snakemake.input[name]) for name in ("cases", "children", "interviews")),
    pd.read_parquet(snakemake.input.statements),
    key,
)
for name, table in tables.items():
    table.to_parquet(snakemake.output[name], index=False)
