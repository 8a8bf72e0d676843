"""Snakemake adapter: the lineage of every validated export row, case numbers pseudonymised
(logic in ekc.youth_protection.lineage)."""

from ekc.core import joblog
from ekc.core.pseudonym import load_key
from ekc.youth_protection.lineage import lineage

joblog.start(snakemake.log[0], "export_rows")
settings = snakemake.params.pseudonymisation
key = load_key(settings["key_env"], settings.get("key_file"), settings.get("allow_demo_key", False))
frames = {
    source: joblog.read_parquet(path)
    for source, path in zip(snakemake.params.sources, snakemake.input.valid, strict=True)
}
joblog.write_parquet(lineage(frames, key), snakemake.output.rows)
