"""Snakemake adapter: the published-versus-reproduced table."""

import importlib
from pathlib import Path

from ekc.fidelity import fidelity_table, read_not_in_data, read_published, write_fidelity
from ekc.stats.records import read_records

published = read_published(snakemake.input.published)
records, source = [], {}
for path in snakemake.input.stats:
    rule = Path(path).stem
    for record in read_records(path):
        records.append(record)
        source[record["id"]] = rule
raw_dir = Path(snakemake.input.raw[0]).parent
# The generator's own recomputation from the raw files, where the study has a generator.
checks = []
if snakemake.params.generator_check:
    module, function = snakemake.params.generator_check.split(":")
    checks = getattr(importlib.import_module(module), function)(raw_dir)
table = fidelity_table(
    published, records, checks, source, read_not_in_data(snakemake.input.not_in_data)
)
write_fidelity(table, snakemake.output.table)

counts = table["status"].value_counts().sort_index()
lines = ["# Fidelity: published figures reproduced from the embedded data", ""]
lines += [f"- {status}: {n}" for status, n in counts.items()]
lines += ["", "Per table:", ""]
per_table = table.groupby(["table", "status"]).size().unstack(fill_value=0)
lines.append(per_table.to_markdown())
Path(snakemake.output.summary).write_text("\n".join(lines) + "\n", encoding="utf-8")
