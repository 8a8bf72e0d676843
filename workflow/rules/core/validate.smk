# One job per batch of exports (config: sources.<name>.batch, by default the export alone):
# the exports of a batch are small and starting Python and pandera cost more than checking
# them. Every export keeps its own outputs and log, so the cleaning rules read them as before.
VALIDATION_BATCHES = {}
for _source in SOURCES:
    VALIDATION_BATCHES.setdefault(config["sources"][_source].get("batch", _source), []).append(
        _source
    )


# The study's pandera models, when its exports are not laid out in the config.
MODELS_CODE = [rq.source_file(config["models"], PACKAGE.parent)] if "models" in config else []


for batch, members in VALIDATION_BATCHES.items():

    rule:
        name:
            f"validate_{batch}"
        input:
            **{source: config["sources"][source]["file"] for source in members},
            code=script_code("validate_export.py", *MODELS_CODE),
        output:
            # Still hold case numbers and birth dates: removed once the cleaning has run.
            **{f"{s}_valid": temp(f"{PRIVATE}/validated/{s}.parquet") for s in members},
            **{f"{s}_failures": f"{PRIVATE}/qc/{s}_failures.csv" for s in members},
            **{
                f"{s}_summary": report(
                    f"{OUT}/qc/{s}_summary.md",
                    caption="../../report/qc.rst",
                    category="Validation",
                    labels={"source": s},
                )
                for s in members
            },
            **{f"{s}_quarantine": f"{PRIVATE}/quarantine/{s}.csv" for s in members},
        params:
            sources=members,
            options={source: config["sources"][source] for source in members},
            mode=config["validation"]["mode"],
            # The full failure list of a failing export in strict mode (row-level values).
            failure_lists={s: f"{PRIVATE}/validate/{s}.failures.csv" for s in members},
            pseudonymisation=PSEUDONYMISATION,
        threads: 1
        resources:
            mem_mb=memory_for("validate"),
        log:
            **{source: f"{LOGS}/validate/{source}.log" for source in members},
        conda:
            "../../envs/ekc.yaml"
        script:
            "../../scripts/validate_export.py"
