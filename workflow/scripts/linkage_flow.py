"""Snakemake adapter: rows, linked rows and orphans of every export of a config-defined study."""

import json
from pathlib import Path

import pandas as pd

from ekc.core import joblog
from ekc.core.stats.records import write_table

joblog.start(snakemake.log[0], "linkage_flow")

rows = [json.loads(Path(p).read_text(encoding="utf-8")) for p in snakemake.input.summaries]
flow = pd.DataFrame(rows, columns=["source", "rows", "linked", "orphans"]).sort_values("source")
flow["linked"] = flow["linked"].astype("Int64")
write_table(flow, snakemake.output.flow)
joblog.wrote(snakemake.output.flow, flow)
