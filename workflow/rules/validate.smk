rule validate_export:
    input:
        export=source_file,
        code=package_code("io", "validation.py", "schemas", "pseudonym.py"),
    output:
        # Still holds case numbers and birth dates: removed once the cleaning has run.
        valid=temp("results/validated/{source}.parquet"),
        failures="results/qc/{source}_failures.csv",
        summary=report(
            "results/qc/{source}_summary.md",
            caption="../report/qc.rst",
            category="Validation",
            labels={"source": "{source}"},
        ),
        quarantine="results/quarantine/{source}.csv",
    params:
        options=source_options,
        mode=config["validation"]["mode"],
        pseudonymisation=config["pseudonymisation"],
    threads: 1
    resources:
        mem_mb=MEM_MB,
    log:
        "logs/validate/{source}.log",
    conda:
        "../envs/ekc.yaml"
    script:
        "../scripts/validate_export.py"
