"""Snakemake adapter: SuccInt scale scores of referrers and family informants."""

import pandas as pd

from ekc.clean.instruments import succint_scores
from ekc.pseudonym import load_key

settings = snakemake.params.pseudonymisation
key = load_key(settings["key_env"], settings.get("key_file"), settings.get("allow_demo_key", False))
scores = succint_scores(
    pd.read_parquet(snakemake.input.referrers), pd.read_parquet(snakemake.input.informants), key
)
scores.to_parquet(snakemake.output.scores, index=False)
