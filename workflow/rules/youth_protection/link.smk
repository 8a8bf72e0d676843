# Tables of the cleaned instruments that the linkage joins to the register's families.
INSTRUMENT_TABLES = ["care_concerns", "case_file_resources", "questionnaires", "life_events",
                     "cvc", "succint"]


rule link:
    input:
        families=f"{OUT}/clean/families.parquet",
        children=f"{OUT}/clean/children.parquet",
        fufrek=f"{OUT}/clean/fufrek.parquet",
        instruments=expand(f"{OUT}/clean/{{table}}.parquet", table=INSTRUMENT_TABLES),
        interview_scores=f"{OUT}/clean/interview_scores.parquet",
        interview_cases=f"{OUT}/clean/interview_cases.parquet",
        interview_children=f"{OUT}/clean/interview_children.parquet",
        code=script_code("link.py"),
    output:
        families=f"{OUT}/analysis/families.parquet",
        children=f"{OUT}/analysis/children.parquet",
        fufrek=f"{OUT}/analysis/fufrek.parquet",
        instruments=expand(f"{OUT}/analysis/{{table}}.parquet", table=INSTRUMENT_TABLES),
        interview_scores=f"{OUT}/analysis/interview_scores.parquet",
        interview_cases=f"{OUT}/analysis/interview_cases.parquet",
        interview_children=f"{OUT}/analysis/interview_children.parquet",
        measurements=f"{OUT}/analysis/measurements.parquet",
        report=f"{OUT}/linkage/linkage_report.csv",
        flow=f"{OUT}/linkage/participant_flow.csv",
        diagram=report(
            f"{OUT}/linkage/participant_flow.svg",
            caption="../../report/flow.rst",
            category="Linkage",
        ),
        stats=f"{OUT}/stats/participant_flow.json",
    params:
        study=config["study"],
        tables=INSTRUMENT_TABLES,
    threads: 1
    resources:
        mem_mb=memory_for("link"),
    log:
        f"{LOGS}/link.log",
    conda:
        "../../envs/ekc.yaml"
    script:
        "../../scripts/link.py"


