"""Snakemake adapter: the build packaged as a Workflow Run RO-Crate (logic in ekc.provenance)."""

from ekc.provenance import build_crate

build_crate(snakemake.input.manifest, snakemake.output.crate)
