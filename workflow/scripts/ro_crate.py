"""Snakemake adapter: the build as a Workflow Run RO-Crate (logic in ekc.core.provenance)."""

from pathlib import Path

from ekc.core import joblog
from ekc.core.provenance import build_crate

joblog.start(snakemake.log[0], "ro_crate")
build_crate(snakemake.input.manifest, snakemake.output.crate)
joblog.wrote(snakemake.output.crate, f"{Path(snakemake.output.crate).stat().st_size} bytes")
