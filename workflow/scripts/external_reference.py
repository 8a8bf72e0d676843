"""Snakemake adapter: the external reference figures as results records marked `external`."""

from ekc.external import read_reference, reference_records
from ekc.stats.records import write_records

write_records(reference_records(read_reference(snakemake.input.reference)), snakemake.output.stats)
