"""Snakemake adapter: care-concern scores and case-file resources from the ZAP-Kort coding."""

from ekc.core import joblog
from ekc.core.pseudonym import job_key
from ekc.youth_protection.clean.instruments import care_concerns, case_file_resources

joblog.start(snakemake.log[0], "clean_case_files")
settings = snakemake.params.pseudonymisation
key = job_key(settings)
inputs = snakemake.input
exports = [joblog.read_parquet(p) for p in (inputs.start, inputs.three_months)]
nine = joblog.read_parquet(inputs.nine_months)
joblog.write_parquet(care_concerns([*exports, nine], key), snakemake.output.care_concerns)
joblog.write_parquet(case_file_resources(nine, key), snakemake.output.resources)
