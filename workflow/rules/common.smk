# Helpers shared by all rules; config validation happens here, before any job runs.
import glob
from pathlib import Path

from snakemake.utils import validate

from ekc.code_inputs import imported_modules
from ekc.job_memory import MIN_MB, job_memory_mb, size_mb


validate(config, schema="../../schemas/config.schema.yaml")

PACKAGE = Path("src/ekc")
SOURCES = sorted(config["sources"])
# Where this study's results and logs go (the default study keeps results/ and logs/).
OUT = config.get("output_dir", "results")
LOGS = config.get("log_dir", "logs")
# Memory per job (MB) for schedulers where it does not grow with the data (reports, manifests).
MEM_MB = MIN_MB
RAW_FILES = sorted({source["file"] for source in config["sources"].values()})
# Every analysis rule's results file; the study's rule modules add theirs, and the fidelity
# table and the report read them all.
ANALYSIS_STATS = []
# The fonts the report's CSS and figures load: a changed font rebuilds the PDFs.
REPORT_FONTS = sorted(glob.glob("resources/fonts/*.ttf"))


def package_code(*parts):
    """Package modules (files or folders) a job may import without naming them in its code."""
    files = []
    for part in parts:
        path = PACKAGE / part
        files += sorted(str(p) for p in path.rglob("*.py")) if path.is_dir() else [str(path)]
    return files


def script_code(script, *extra_parts):
    """The package modules a job script imports, followed through the package, declared as the
    job's inputs: Snakemake tracks the script itself but not the code it imports, so an edit to
    one of these must show up as a changed input."""
    modules = imported_modules(Path("workflow/scripts") / script, src=PACKAGE.parent)
    return sorted(set(modules + package_code(*extra_parts)))


def memory_for(stage):
    """mem_mb of a job of `stage` (ekc.job_memory): grows with the size of its inputs, known
    once they exist, and doubles on each retry."""
    return lambda wildcards, input, attempt: job_memory_mb(stage, size_mb(input), attempt)


def source_options(wildcards):
    return config["sources"][wildcards.source]


# A config-defined study links every export to the units of one export (its families).
LINK = config.get("link")


def link_input(wildcards):
    """Every export but the linking one needs the prepared linking export (its units)."""
    if LINK and wildcards.source != LINK["source"]:
        return f"{OUT}/prepared/{LINK['source']}.parquet"
    return []
