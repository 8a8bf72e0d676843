rule rq1_target_group:
    input:
        families="results/analysis/families.parquet",
        children="results/analysis/children.parquet",
        code=package_code("analysis/describe.py", "analysis/rq1_target_group.py", "stats"),
    output:
        demographics=report(
            "results/tables/rq1_demographics.csv",
            caption="../report/rq1.rst",
            category="RQ1 target group",
        ),
        problem_types=report(
            "results/tables/rq1_problem_types.csv",
            caption="../report/rq1.rst",
            category="RQ1 target group",
        ),
        problem_count=report(
            "results/tables/rq1_problem_count.csv",
            caption="../report/rq1.rst",
            category="RQ1 target group",
        ),
        group_characteristics=report(
            "results/tables/rq1_group_characteristics.csv",
            caption="../report/rq1.rst",
            category="RQ1 target group",
        ),
        stats="results/stats/rq1_target_group.json",
    params:
        study=config["study"],
        alpha=config["analysis"]["alpha"],
    threads: 1
    resources:
        mem_mb=MEM_MB,
    log:
        "logs/rq1_target_group.log",
    conda:
        "../envs/ekc.yaml"
    script:
        "../scripts/rq1_target_group.py"
