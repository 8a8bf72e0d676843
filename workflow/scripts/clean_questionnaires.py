"""Snakemake adapter: score the parents' questionnaires and the referrer checklist."""

from pathlib import Path

import pandas as pd

from ekc.clean.instruments import life_events, parent_questionnaires, referrer_checklist
from ekc.clean.questionnaires import load_norms
from ekc.pseudonym import load_key

settings = snakemake.params.pseudonymisation
key = load_key(settings["key_env"], settings.get("key_file"), settings.get("allow_demo_key", False))
inputs = snakemake.input
nosik = pd.read_parquet(inputs.nosik)
norms = load_norms(Path(inputs.norms[0]).parent)
scores = parent_questionnaires(
    nosik, pd.read_parquet(inputs.veo), pd.read_parquet(inputs.pul), norms, key
)
scores.to_parquet(snakemake.output.scores, index=False)
life_events(nosik, key).to_parquet(snakemake.output.life_events, index=False)
referrer_checklist(pd.read_parquet(inputs.cvc), key).to_parquet(snakemake.output.cvc, index=False)
