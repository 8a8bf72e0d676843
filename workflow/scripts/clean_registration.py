"""Snakemake adapter: family and child tables from the register and the FREK."""

import json

import pandas as pd

from ekc.clean.registration import children_table, families_table, fufrek_table
from ekc.pseudonym import load_key

settings = snakemake.params.pseudonymisation
key = load_key(settings["key_env"], settings.get("key_file"), settings.get("allow_demo_key", False))
register = pd.read_parquet(snakemake.input.register)
families = families_table(register, pd.read_parquet(snakemake.input.families), key)
children = children_table(pd.read_parquet(snakemake.input.children), families, key)
families.to_parquet(snakemake.output.families, index=False)
children.to_parquet(snakemake.output.children, index=False)
fufrek_table(pd.read_parquet(snakemake.input.fufrek), key).to_parquet(
    snakemake.output.fufrek, index=False
)

info = {
    "as_of": max(register["aanmelddatum"].max(), families["conference_date"].max())
    .date()
    .isoformat(),
    "n_families": int(len(families)),
    "n_children": int(len(children)),
}
with open(snakemake.output.info, "w", encoding="utf-8") as handle:
    json.dump(info, handle, indent=1, sort_keys=True)
    handle.write("\n")
