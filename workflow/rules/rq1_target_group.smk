rule rq1_target_group:
    input:
        families="results/analysis/families.parquet",
        children="results/analysis/children.parquet",
        code=package_code("analysis/describe.py", "analysis/rq1_target_group.py", "stats"),
    output:
        demographics="results/tables/rq1_demographics.csv",
        problem_types="results/tables/rq1_problem_types.csv",
        problem_count="results/tables/rq1_problem_count.csv",
        group_characteristics="results/tables/rq1_group_characteristics.csv",
        stats="results/stats/rq1_target_group.json",
    params:
        study=config["study"],
        alpha=config["analysis"]["alpha"],
    log:
        "logs/rq1_target_group.log",
    conda:
        "../envs/ekc.yaml"
    script:
        "../scripts/rq1_target_group.py"
