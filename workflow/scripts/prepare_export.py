"""Snakemake adapter: prepare one export of a config-defined study (logic in ekc.study.prepare)."""

import json
import logging
from pathlib import Path

import pandas as pd

from ekc.pseudonym import load_key
from ekc.stats.records import write_table
from ekc.study.prepare import prepare

logging.basicConfig(filename=snakemake.log[0], level=logging.INFO, format="%(message)s")
settings = snakemake.params.pseudonymisation
key = load_key(settings["key_env"], settings.get("key_file"), settings.get("allow_demo_key", False))
frame = pd.read_parquet(snakemake.input.valid)
link_frame = pd.read_parquet(snakemake.input.link) if snakemake.input.link else None
result = prepare(frame, snakemake.params.layout, key, snakemake.params.link, link_frame)
summary = {"source": snakemake.wildcards.source, **result.summary}
logging.info(json.dumps(summary))
result.frame.to_parquet(snakemake.output.prepared, index=False)
write_table(result.orphans, snakemake.output.orphans)
Path(snakemake.output.summary).write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
