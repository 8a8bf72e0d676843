# A study defined in its config alone (config/preventive.yaml, the tests' toy study): every
# export is prepared (recoded, pseudonymised, linked to the units) for its research questions.


rule prepare_export:
    input:
        valid=f"{PRIVATE}/validated/{{source}}.parquet",
        link=link_input,
        code=script_code("prepare_export.py"),
    output:
        prepared=f"{PRIVATE}/prepared/{{source}}.parquet",
        orphans=f"{PRIVATE}/linkage/{{source}}_orphans.csv",
        summary=f"{OUT}/linkage/{{source}}.json",
    log:
        f"{LOGS}/prepare/{{source}}.log",
    group:
        "prepare"
    conda:
        "../../envs/ekc.yaml"
    threads: 1
    resources:
        mem_mb=memory_for("validate"),
        runtime=RUNTIME_MIN,
    params:
        layout=source_options,
        link=LINK,
        pseudonymisation=PSEUDONYMISATION,
    script:
        "../../scripts/prepare_export.py"


# The row accounts of every export, for the row accounting of core/accounting.smk.
LINKAGE_ACCOUNTS = expand(f"{OUT}/linkage/{{source}}.json", source=SOURCES)


rule linkage_flow:
    input:
        summaries=expand(f"{OUT}/linkage/{{source}}.json", source=SOURCES),
        code=script_code("linkage_flow.py"),
    output:
        flow=report(
            f"{OUT}/linkage/flow.csv",
            caption="../../report/study_flow.rst",
            category="Linkage",
        ),
    log:
        f"{LOGS}/linkage_flow.log",
    group:
        "prepare"
    conda:
        "../../envs/ekc.yaml"
    threads: 1
    resources:
        mem_mb=memory_for("link"),
        runtime=RUNTIME_MIN,
    script:
        "../../scripts/linkage_flow.py"
