"""Snakemake adapter: the declared answers and the original's conclusions checked
(logic in ekc.core.answers and ekc.core.conclusions)."""

from ekc.core import joblog
from ekc.core.answers import answers, write_json
from ekc.core.conclusions import check_conclusions, read_conclusions
from ekc.core.report.render import load_results

joblog.start(snakemake.log[0], "answers")
joblog.read_files([*snakemake.input.stats, *snakemake.input.conclusions])
records = load_results(snakemake.input.stats)
found = answers(snakemake.params.answers, records, alpha=snakemake.params.alpha)
write_json(found, snakemake.output.answers)
for name, answer in found.items():
    joblog.LOG.info("answer %s: %s (primary %s)", name, answer["verdict"], answer["primary"])
joblog.wrote(snakemake.output.answers, f"{len(found)} answers")
rows = [row for path in snakemake.input.conclusions for row in read_conclusions(path)]
checked = check_conclusions(rows, found, records)
write_json(checked, snakemake.output.conclusions)
joblog.wrote(snakemake.output.conclusions, checked)
