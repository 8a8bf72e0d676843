"""Snakemake adapter: SuccInt scale scores of referrers and family informants."""

from ekc.core import joblog
from ekc.core.pseudonym import job_key
from ekc.youth_protection.clean.instruments import succint_scores

joblog.start(snakemake.log[0], "clean_succint")
settings = snakemake.params.pseudonymisation
key = job_key(settings)
scores = succint_scores(
    joblog.read_parquet(snakemake.input.referrers),
    joblog.read_parquet(snakemake.input.informants),
    key,
)
joblog.write_parquet(scores, snakemake.output.scores)
