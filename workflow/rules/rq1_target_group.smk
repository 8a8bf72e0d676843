RQ1_TABLES = [
    "demographics",
    "problem_types",
    "problem_count",
    "care_concerns",
    "referral",
    "parents",
    "group_characteristics",
    "interview_groups",
    "effects",
]


rule rq1_target_group:
    input:
        families="results/analysis/families.parquet",
        children="results/analysis/children.parquet",
        care_concerns="results/analysis/care_concerns.parquet",
        cvc="results/analysis/cvc.parquet",
        questionnaires="results/analysis/questionnaires.parquet",
        life_events="results/analysis/life_events.parquet",
        interview_cases="results/analysis/interview_cases.parquet",
        interview_children="results/analysis/interview_children.parquet",
        interview_scores="results/analysis/interview_scores.parquet",
        reference=config["external_reference"],
        code=script_code("rq1_target_group.py"),
    output:
        **{
            name: report(
                f"results/tables/rq1_{name}.csv",
                caption="../report/rq1_target_group.rst",
                category="RQ1 target group",
            )
            for name in RQ1_TABLES
        },
        stats="results/stats/rq1_target_group.json",
    params:
        study=config["study"],
        alpha=config["analysis"]["alpha"],
    threads: 1
    resources:
        mem_mb=memory_for("analysis"),
    log:
        "logs/rq1_target_group.log",
    conda:
        "../envs/ekc.yaml"
    script:
        "../scripts/rq1_target_group.py"


ANALYSIS_STATS.append("results/stats/rq1_target_group.json")
