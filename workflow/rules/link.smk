rule link:
    input:
        families="results/clean/families.parquet",
        children="results/clean/children.parquet",
        fufrek="results/clean/fufrek.parquet",
        code=package_code("link.py", "report/figures.py", "stats/records.py"),
    output:
        families="results/analysis/families.parquet",
        children="results/analysis/children.parquet",
        fufrek="results/analysis/fufrek.parquet",
        report="results/linkage/linkage_report.csv",
        flow="results/linkage/participant_flow.csv",
        diagram=report(
            "results/linkage/participant_flow.svg",
            caption="../report/flow.rst",
            category="Linkage",
        ),
        stats="results/stats/participant_flow.json",
    params:
        study=config["study"],
    threads: 1
    resources:
        mem_mb=MEM_MB,
    log:
        "logs/link.log",
    conda:
        "../envs/ekc.yaml"
    script:
        "../scripts/link.py"
