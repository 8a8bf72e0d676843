# Helpers shared by all rules; config validation happens here, before any job runs.
import glob
import os
from pathlib import Path

from snakemake.utils import validate

from ekc.core import build_lock, paths
from ekc.core import research_question as rq
from ekc.core.code_inputs import imported_modules
from ekc.core.job_memory import job_memory_mb, size_mb
from ekc.core.pseudonym import resolve_key

validate(config, schema="../../../schemas/config.schema.yaml")

ROOT = Path.cwd()
# Every file a build writes is its owner's only (row-level data among them; issue 23).
os.umask(paths.UMASK)
if workflow.is_main_process:
    # The lock `python -m ekc.core.runs update` takes too: a build and an update never mix.
    build_lock.hold_build_lock(ROOT / build_lock.LOCK_FILE, "snakemake build")
    build_lock.clear_stale_snakemake_locks(ROOT)
    build_lock.sigterm_as_sigint()
paths.check_configured_paths(config, ROOT)


# Snakemake installs its own SIGTERM handler once it schedules jobs, and that handler can
# deadlock (docs/snakemake-sigterm-deadlock.md): SIGTERM is handled like Ctrl-C instead.
onstart:
    build_lock.sigterm_as_sigint()


PACKAGE = Path("src/ekc")
SOURCES = sorted(config["sources"])
# Where this study's results and logs go (the default study keeps results/ and logs/).
OUT = config.get("output_dir", "results")
LOGS = config.get("log_dir", "logs")
# Row-level data (validated, cleaned and linked exports, quarantined and failing rows) stay
# here, apart from the results others see (issue 23: the crate and reports never read it).
PRIVATE = config.get("private_dir", "private")
if workflow.is_main_process:
    paths.secure_private_area(PRIVATE)
ALPHA = config["analysis"]["alpha"]
# Small-cell suppression of every study's report (ekc.core.disclosure); on unless the config
# turns it off, as the embedded synthetic data do.
DISCLOSURE = {"enabled": True, "min_count": 5, **config["report"].get("disclosure", {})}
# Resources every job declares, so that a profile's default-resources need hold only the
# site's account and partition (README: "On a SLURM cluster"). No job asks for more memory
# than `--resources mem_mb=N` allows (profiles/slurm: the partition's node memory), which on
# a cluster Snakemake also applies to each submission of grouped jobs; none without it.
# (Snakemake stores mem, mem_mib and mem_mb, parsed, as mem_mb.)
_MEM_LIMIT = workflow.resource_settings.resources.get("mem_mb")
MAX_MEM_MB = getattr(_MEM_LIMIT, "value", _MEM_LIMIT)
# Minutes per job: the longest job at 1,000,000 families took 75 s (benchmarks/README.md).
RUNTIME_MIN = 20
RAW_FILES = sorted({source["file"] for source in config["sources"].values()})
# The key is checked once, before any job runs (ekc.core.pseudonym.resolve_key); its
# fingerprint is a parameter of every job that pseudonymises: a new key reruns them all.
PSEUDONYMISATION = {
    **config["pseudonymisation"],
    "key_fingerprint": resolve_key(
        config["pseudonymisation"], root=ROOT, shipped=[OUT, LOGS], raw_files=RAW_FILES
    ).fingerprint,
}
# One rule per research question (research_questions.smk); each writes one results file.
RESEARCH_QUESTIONS = dict(config["research_questions"])
# Results files of the study's own rules besides its research questions (config: rule_stats).
RULE_STATS = dict(config.get("rule_stats", {}))
# Every results file the fidelity table and the report read.
STUDY_STATS = [f"{OUT}/stats/{name}.json" for name in [*RESEARCH_QUESTIONS, *RULE_STATS]]
# The declared answers of the research questions (answers.smk, ekc.core.answers) and the
# original study's conclusions transcribed as data (report: conclusions; none: no rows).
ANSWERS = {
    name: dict(entry["answer"]) for name, entry in RESEARCH_QUESTIONS.items() if "answer" in entry
}
CONCLUSIONS = [config["report"]["conclusions"]] if "conclusions" in config["report"] else []
ANSWERS_OUTPUTS = (
    [f"{OUT}/stats/answers.json", f"{OUT}/stats/conclusions.json"] if ANSWERS or CONCLUSIONS else []
)
# The report block's keys every study's front matter reads (ekc.core.report.front_matter).
FRONT_MATTER = ("synthetic_data", "original_study", "pipeline_citation")
# The fonts the report's CSS and figures load: a changed font rebuilds the PDFs.
REPORT_FONTS = sorted(glob.glob("resources/fonts/*.ttf"))


def results_rule(name):
    """The rule that writes results file `name` (stats/<name>.json)."""
    return RULE_STATS[name]["rule"] if name in RULE_STATS else f"rq_{name}"


def report_tables():
    """Where each table of the report comes from, for its provenance appendix: the tables
    a research question's (or a rule's) config entry lists under `report_tables`."""
    return [
        {"table": table, "rule": results_rule(name), "results": f"{OUT}/stats/{name}.json"}
        for name, entry in [*RESEARCH_QUESTIONS.items(), *RULE_STATS.items()]
        for table in entry.get("report_tables", [])
    ]


def package_code(*parts):
    """Package modules (files or folders) a job may import without naming them in its code."""
    files = []
    for part in parts:
        path = PACKAGE / part
        files += sorted(str(p) for p in path.rglob("*.py")) if path.is_dir() else [str(path)]
    return files


def script_code(script, *modules):
    """The package modules a job script imports, followed through the package, declared as the
    job's inputs: Snakemake tracks the script itself but not the code it imports, so an edit to
    one of these must show up as a changed input. `modules` are module files the script loads
    by name (a research question's module), followed the same way."""
    found = imported_modules(Path("workflow/scripts") / script, src=PACKAGE.parent)
    for module in modules:
        found += [str(module), *imported_modules(module, src=PACKAGE.parent)]
    return sorted(set(found))


def memory_for(stage):
    """mem_mb of every job, by its `stage` (ekc.core.job_memory): grows with the size of its
    inputs, known once they exist, and doubles on each retry, up to MAX_MEM_MB if set."""

    def mem_mb(wildcards, input, attempt):
        return job_memory_mb(stage, size_mb(input), attempt, max_mb=MAX_MEM_MB)

    return mem_mb


def source_options(wildcards):
    return config["sources"][wildcards.source]


# A config-defined study links every export to the units of one export (its families).
LINK = config.get("link")


def link_input(wildcards):
    """Every export but the linking one needs the prepared linking export (its units)."""
    if LINK and wildcards.source != LINK["source"]:
        return f"{PRIVATE}/prepared/{LINK['source']}.parquet"
    return []
