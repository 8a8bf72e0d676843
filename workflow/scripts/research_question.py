"""Snakemake adapter: one research question of any study (logic in ekc.core.research_question)."""

from ekc.core import joblog
from ekc.core.research_question import read_inputs, run
from ekc.core.stats.records import write_records, write_table

name = snakemake.params.name
joblog.start(snakemake.log[0], f"rq_{name}")
paths = {key: value for key, value in snakemake.input.items() if key != "code"}
tables = read_inputs(paths)
joblog.read(tables)
produced, records = run(
    snakemake.params.entry,
    tables,
    study=snakemake.params.study,
    alpha=snakemake.params.alpha,
    config=snakemake.config,
    name=name,
)
for table, frame in produced.items():
    write_table(frame, snakemake.output[f"table_{table}"])
    joblog.wrote(snakemake.output[f"table_{table}"], frame)
write_records(records, snakemake.output.stats)
joblog.wrote(snakemake.output.stats, records)
