"""Snakemake adapter: prepare one export of a config-defined study (logic in ekc.engine.prepare)."""

import json
from pathlib import Path

from ekc.core import joblog
from ekc.core.pseudonym import job_key
from ekc.core.stats.records import write_table
from ekc.engine.prepare import prepare

joblog.start(snakemake.log[0], f"prepare_export ({snakemake.wildcards.source})")
settings = snakemake.params.pseudonymisation
key = job_key(settings)
frame = joblog.read_parquet(snakemake.input.valid)
link_frame = joblog.read_parquet(snakemake.input.link) if snakemake.input.link else None
result = prepare(frame, snakemake.params.layout, key, snakemake.params.link, link_frame)
summary = {"source": snakemake.wildcards.source, **result.summary}
joblog.LOG.info(json.dumps(summary))
joblog.write_parquet(result.frame, snakemake.output.prepared)
write_table(result.orphans, snakemake.output.orphans)
Path(snakemake.output.summary).write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
