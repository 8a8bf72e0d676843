rule other_findings:
    input:
        families="results/analysis/families.parquet",
        case_file_resources="results/analysis/case_file_resources.parquet",
        interview_scores="results/analysis/interview_scores.parquet",
        code=script_code("other_findings.py"),
    output:
        plan_in_file=report(
            "results/tables/other_findings_plan_in_file.csv",
            caption="../report/other_findings.rst",
            category="Other findings",
        ),
        ambulatory_help=report(
            "results/tables/other_findings_ambulatory_help.csv",
            caption="../report/other_findings.rst",
            category="Other findings",
        ),
        placements=report(
            "results/tables/other_findings_placements.csv",
            caption="../report/other_findings.rst",
            category="Other findings",
        ),
        contact=report(
            "results/tables/other_findings_contact.csv",
            caption="../report/other_findings.rst",
            category="Other findings",
        ),
        tests=report(
            "results/tables/other_findings_tests.csv",
            caption="../report/other_findings.rst",
            category="Other findings",
        ),
        stats="results/stats/other_findings.json",
    params:
        study=config["study"],
        alpha=config["analysis"]["alpha"],
    threads: 1
    resources:
        mem_mb=memory_for("analysis"),
    log:
        "logs/other_findings.log",
    conda:
        "../envs/ekc.yaml"
    script:
        "../scripts/other_findings.py"


ANALYSIS_STATS.append("results/stats/other_findings.json")
