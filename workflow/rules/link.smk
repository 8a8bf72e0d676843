# Tables of the cleaned instruments that the linkage joins to the register's families.
INSTRUMENT_TABLES = ["care_concerns", "case_file_resources", "questionnaires", "life_events",
                     "cvc", "succint"]


rule link:
    input:
        families="results/clean/families.parquet",
        children="results/clean/children.parquet",
        fufrek="results/clean/fufrek.parquet",
        instruments=expand("results/clean/{table}.parquet", table=INSTRUMENT_TABLES),
        interview_scores="results/clean/interview_scores.parquet",
        interview_cases="results/clean/interview_cases.parquet",
        interview_children="results/clean/interview_children.parquet",
        code=script_code("link.py"),
    output:
        families="results/analysis/families.parquet",
        children="results/analysis/children.parquet",
        fufrek="results/analysis/fufrek.parquet",
        instruments=expand("results/analysis/{table}.parquet", table=INSTRUMENT_TABLES),
        interview_scores="results/analysis/interview_scores.parquet",
        interview_cases="results/analysis/interview_cases.parquet",
        interview_children="results/analysis/interview_children.parquet",
        measurements="results/analysis/measurements.parquet",
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
        tables=INSTRUMENT_TABLES,
    threads: 1
    resources:
        mem_mb=memory_for("link"),
    log:
        "logs/link.log",
    conda:
        "../envs/ekc.yaml"
    script:
        "../scripts/link.py"


ANALYSIS_STATS.append("results/stats/participant_flow.json")
