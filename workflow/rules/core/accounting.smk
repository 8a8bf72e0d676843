# Row accounting (every study): per export, rows in = kept + quarantined + unexpected +
# orphaned, from the validation counts and the study's linkage (LINKAGE_ACCOUNTS, set by the
# study's rule module). It runs after the linkage, so it is the rule that writes the QC
# summaries: each is the export's validation summary followed by its row accounting.


rule row_accounting:
    input:
        **{f"{s}_validation": f"{OUT}/qc/validation/{s}.md" for s in SOURCES},
        validation=expand(f"{OUT}/qc/validation/{{source}}.json", source=SOURCES),
        linkage=LINKAGE_ACCOUNTS,
        code=script_code("row_accounting.py"),
    output:
        **{
            f"{s}_summary": report(
                f"{OUT}/qc/{s}_summary.md",
                caption="../../report/qc.rst",
                category="Validation",
                labels={"source": s},
            )
            for s in SOURCES
        },
        table=report(
            f"{OUT}/qc/row_accounting.csv",
            caption="../../report/row_accounting.rst",
            category="Validation",
        ),
    log:
        f"{LOGS}/row_accounting.log",
    group:
        "report"
    conda:
        "../../envs/ekc.yaml"
    threads: 1
    resources:
        mem_mb=memory_for("report"),
        runtime=RUNTIME_MIN,
    script:
        "../../scripts/row_accounting.py"
