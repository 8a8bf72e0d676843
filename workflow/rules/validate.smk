rule validate_export:
    input:
        export=source_file,
        code=script_code("validate_export.py"),
    output:
        # Still holds case numbers and birth dates: removed once the cleaning has run.
        valid=temp(f"{OUT}/validated/{{source}}.parquet"),
        failures=f"{OUT}/qc/{{source}}_failures.csv",
        summary=report(
            f"{OUT}/qc/{{source}}_summary.md",
            caption="../report/qc.rst",
            category="Validation",
            labels={"source": "{source}"},
        ),
        quarantine=f"{OUT}/quarantine/{{source}}.csv",
    params:
        options=source_options,
        mode=config["validation"]["mode"],
        pseudonymisation=config["pseudonymisation"],
    threads: 1
    resources:
        mem_mb=MEM_MB,
    log:
        f"{LOGS}/validate/{{source}}.log",
    conda:
        "../envs/ekc.yaml"
    script:
        "../scripts/validate_export.py"
