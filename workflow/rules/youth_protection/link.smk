# Tables of the cleaned instruments that the linkage joins to the register's families.
INSTRUMENT_TABLES = [
    "care_concerns",
    "case_file_resources",
    "questionnaires",
    "life_events",
    "cvc",
    "succint",
]


# The row accounts of every export, for the row accounting of core/accounting.smk.
LINKAGE_ACCOUNTS = [f"{OUT}/linkage/exports.json"]


rule link:
    input:
        families=f"{PRIVATE}/clean/families.parquet",
        children=f"{PRIVATE}/clean/children.parquet",
        fufrek=f"{PRIVATE}/clean/fufrek.parquet",
        instruments=expand(f"{PRIVATE}/clean/{{table}}.parquet", table=INSTRUMENT_TABLES),
        interview_scores=f"{PRIVATE}/clean/interview_scores.parquet",
        interview_cases=f"{PRIVATE}/clean/interview_cases.parquet",
        interview_children=f"{PRIVATE}/clean/interview_children.parquet",
        # the lineage of every validated export row, written by validation (core/validate.smk)
        rows=expand(f"{PRIVATE}/linkage/rows/{{source}}.parquet", source=SOURCES),
        code=script_code("link.py"),
    output:
        families=f"{PRIVATE}/analysis/families.parquet",
        children=f"{PRIVATE}/analysis/children.parquet",
        fufrek=f"{PRIVATE}/analysis/fufrek.parquet",
        instruments=expand(f"{PRIVATE}/analysis/{{table}}.parquet", table=INSTRUMENT_TABLES),
        interview_scores=f"{PRIVATE}/analysis/interview_scores.parquet",
        interview_cases=f"{PRIVATE}/analysis/interview_cases.parquet",
        interview_children=f"{PRIVATE}/analysis/interview_children.parquet",
        measurements=f"{PRIVATE}/analysis/measurements.parquet",
        report=f"{PRIVATE}/linkage/linkage_report.csv",
        flow=f"{OUT}/linkage/participant_flow.csv",
        diagram=report(
            f"{OUT}/linkage/participant_flow.svg",
            caption="../../report/flow.rst",
            category="Linkage",
        ),
        stats=f"{OUT}/stats/participant_flow.json",
        accounts=LINKAGE_ACCOUNTS[0],
    log:
        f"{LOGS}/link.log",
    group:
        "prepare"
    conda:
        "../../envs/ekc.yaml"
    threads: 1
    resources:
        mem_mb=memory_for("link"),
        runtime=RUNTIME_MIN,
    params:
        study=config["study"],
        tables=INSTRUMENT_TABLES,
        unexpected_forms=config.get("linkage", {}).get("unexpected_forms", "exclude"),
    script:
        "../../scripts/link.py"
