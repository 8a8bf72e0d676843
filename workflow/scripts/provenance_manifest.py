"""Snakemake adapter: the build's provenance manifest (logic in ekc.provenance)."""

from ekc.provenance import build_manifest, write_manifest

manifest = build_manifest(
    jobs=snakemake.params.jobs,
    workflow_files=snakemake.params.workflow_files,
    config=snakemake.config,
    manifest_path=snakemake.output.manifest,
)
write_manifest(manifest, snakemake.output.manifest)
