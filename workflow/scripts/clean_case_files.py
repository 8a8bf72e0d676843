"""Snakemake adapter: care-concern scores and case-file resources from the ZAP-Kort coding."""

import pandas as pd

from ekc.clean.instruments import care_concerns, case_file_resources
from ekc.pseudonym import load_key

settings = snakemake.params.pseudonymisation
key = load_key(settings["key_env"], settings.get("key_file"), settings.get("allow_demo_key", False))
exports = [pd.read_parquet(p) for p in (snakemake.input.start, snakemake.input.three_months)]
nine = pd.read_parquet(snakemake.input.nine_months)
care_concerns([*exports, nine], key).to_parquet(snakemake.output.care_concerns, index=False)
case_file_resources(nine, key).to_parquet(snakemake.output.resources, index=False)
