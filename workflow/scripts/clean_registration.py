"""Snakemake adapter: family and child tables from the register and the FREK."""

import json

from ekc.core import joblog
from ekc.core.pseudonym import job_key
from ekc.youth_protection.clean.registration import (
    children_table,
    dataset_info,
    families_table,
    fufrek_table,
)

joblog.start(snakemake.log[0], "clean_registration")
settings = snakemake.params.pseudonymisation
key = job_key(settings)
inputs, outputs = snakemake.input, snakemake.output
register = joblog.read_parquet(inputs.register)
families = families_table(register, joblog.read_parquet(inputs.families), key)
children = children_table(joblog.read_parquet(inputs.children), families, key)
joblog.write_parquet(families, outputs.families)
joblog.write_parquet(children, outputs.children)
joblog.write_parquet(fufrek_table(joblog.read_parquet(inputs.fufrek), key), outputs.fufrek)
with open(outputs.info, "w", encoding="utf-8") as handle:
    json.dump(dataset_info(register, families, children), handle, indent=1, sort_keys=True)
    handle.write("\n")
