# Helpers shared by all rules; config validation happens here, before any job runs.
from pathlib import Path

from snakemake.utils import validate


validate(config, schema="../../schemas/config.schema.yaml")

PACKAGE = Path("src/ekc")
SOURCES = sorted(config["sources"])


def package_code(*parts):
    """Package modules imported by a job, declared as its inputs. Snakemake does not track imported
    code, so an edit to one of these files must show up as a changed input."""
    files = []
    for part in parts:
        path = PACKAGE / part
        files += sorted(str(p) for p in path.rglob("*.py")) if path.is_dir() else [str(path)]
    return files


def source_file(wildcards):
    return config["sources"][wildcards.source]["file"]


def source_options(wildcards):
    return config["sources"][wildcards.source]
