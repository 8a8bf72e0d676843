"""Snakemake adapter: the build's provenance manifest (logic in ekc.core.provenance)."""

from ekc.core import joblog
from ekc.core.provenance import build_manifest, write_manifest

joblog.start(snakemake.log[0], "provenance_manifest")
manifest = build_manifest(
    jobs=snakemake.params.jobs,
    workflow_files=snakemake.params.workflow_files,
    config=snakemake.config,
    manifest_path=snakemake.output.manifest,
)
write_manifest(manifest, snakemake.output.manifest)
joblog.wrote(snakemake.output.manifest, f"{len(manifest.get('files', {}))} files described")
