"""Snakemake adapter: score the parents' questionnaires and the referrer checklist."""

from pathlib import Path

from ekc.core import joblog
from ekc.core.pseudonym import job_key
from ekc.youth_protection.clean.instruments import (
    life_events,
    parent_questionnaires,
    referrer_checklist,
)
from ekc.youth_protection.clean.questionnaires import load_norms

joblog.start(snakemake.log[0], "clean_questionnaires")
settings = snakemake.params.pseudonymisation
key = job_key(settings)
inputs = snakemake.input
nosik = joblog.read_parquet(inputs.nosik)
norms = load_norms(Path(inputs.norms[0]).parent)
joblog.LOG.info("norms: %s", ", ".join(inputs.norms))
scores = parent_questionnaires(
    nosik, joblog.read_parquet(inputs.veo), joblog.read_parquet(inputs.pul), norms, key
)
joblog.write_parquet(scores, snakemake.output.scores)
joblog.write_parquet(life_events(nosik, key), snakemake.output.life_events)
checklist = referrer_checklist(joblog.read_parquet(inputs.cvc), key)
joblog.write_parquet(checklist, snakemake.output.cvc)
