"""Snakemake adapter: the published-versus-reproduced table (logic in ekc.core.fidelity)."""

from pathlib import Path

from ekc.core import joblog
from ekc.core.fidelity import (
    fidelity_table,
    read_not_in_data,
    read_published,
    summary_markdown,
    write_fidelity,
)
from ekc.core.stats.records import read_records

joblog.start(snakemake.log[0], "fidelity")
published = read_published(snakemake.input.published)
joblog.read({"published figures": published})
records, source = [], {}
for path in snakemake.input.stats:
    rule = snakemake.params.rules[Path(path).stem]
    found = read_records(path)
    joblog.wrote(path, f"read {len(found)} records")
    for record in found:
        records.append(record)
        source[record["id"]] = rule
table = fidelity_table(published, records, source, read_not_in_data(snakemake.input.not_in_data))
write_fidelity(table, snakemake.output.table)
joblog.wrote(snakemake.output.table, table)
for status, n in table["status"].value_counts().sort_index().items():
    joblog.LOG.info("%s: %d", status, n)
Path(snakemake.output.summary).write_text(summary_markdown(table), encoding="utf-8")
