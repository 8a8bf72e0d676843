# ekc-pipeline: effect studies of Family Group Conferences (Eigen Kracht-conferenties).
# Run: snakemake --cores 4                                      (youth-protection study)
#      snakemake --cores 4 --configfile config/preventive.yaml  (preventive-domain study)
# A study is a configuration: its exports, their layouts, its research questions and its
# report (see README.md). workflow/rules/core is shared by every study; the study's own rule
# modules are listed in its config (`rules`): workflow/rules/engine for a study defined in its
# config alone, workflow/rules/youth_protection for the youth-protection study.
from snakemake.utils import min_version

min_version("9.0")


# A --configfile replaces the default study instead of being merged into it.
if not workflow.overwrite_configfiles:

    configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/core/common.smk"


wildcard_constraints:
    source="|".join(SOURCES),
    lang="|".join(config["report"]["languages"]),


include: "workflow/rules/core/validate.smk"


for study_rules in config["rules"]:

    include: f"workflow/rules/{study_rules}.smk"


include: "workflow/rules/core/accounting.smk"
include: "workflow/rules/core/research_questions.smk"
include: "workflow/rules/core/answers.smk"
include: "workflow/rules/core/fidelity.smk"
include: "workflow/rules/core/provenance.smk"


rule all:
    default_target: True
    input:
        expand(f"{OUT}/report/summary_{{lang}}.pdf", lang=config["report"]["languages"]),
        f"{OUT}/fidelity/published_vs_reproduced.csv",
        f"{OUT}/qc/row_accounting.csv",
        # a study that declares answers or transcribes its original's conclusions
        ANSWERS_OUTPUTS,
        PROVENANCE_MANIFEST,
        PROVENANCE_CRATE,
        # Every output of the build, so that a missing one is rebuilt: Snakemake takes a
        # missing intermediate file for a temporary one it removed, and reruns nothing while
        # the files after it exist (a build interrupted in a rerun looked complete).
        outputs=lambda wildcards: build_outputs(workflow_jobs(workflow, *PROVENANCE_SKIP)),
