# ekc-pipeline: effect studies of Family Group Conferences (Eigen Kracht-conferenties).
# Run: snakemake --cores 4   (see README.md)
from snakemake.utils import min_version

min_version("9.0")


configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"


wildcard_constraints:
    source="|".join(SOURCES),
    lang="|".join(config["report"]["languages"]),


include: "workflow/rules/validate.smk"
include: "workflow/rules/clean.smk"
include: "workflow/rules/link.smk"
include: "workflow/rules/rq1_target_group.smk"
include: "workflow/rules/conference.smk"
include: "workflow/rules/rq2_safety.smk"
include: "workflow/rules/rq3_support.smk"
include: "workflow/rules/rq4_control.smk"
include: "workflow/rules/other_findings.smk"
include: "workflow/rules/fidelity.smk"
include: "workflow/rules/report.smk"
include: "workflow/rules/provenance.smk"


rule all:
    default_target: True
    input:
        expand("results/report/summary_{lang}.pdf", lang=config["report"]["languages"]),
        "results/fidelity/published_vs_reproduced.csv",
        "results/provenance/manifest.json",
        "results/provenance/ro-crate.zip",
