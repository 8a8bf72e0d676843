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
# A study with its own models module also gets the lineage of every kept row (its unit, form
# and date, case numbers pseudonymised: `export_lineage` of that module) for its linkage.
LINEAGE = "models" in config


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
            # Counts and a summary without identifying values; the QC summary others read
            # adds the row accounting (core/accounting.smk).
            **{f"{s}_summary": f"{OUT}/qc/validation/{s}.md" for s in members},
            **{f"{s}_counts": f"{OUT}/qc/validation/{s}.json" for s in members},
            **{f"{s}_quarantine": f"{PRIVATE}/quarantine/{s}.csv" for s in members},
            **{f"{s}_rows": f"{PRIVATE}/linkage/rows/{s}.parquet" for s in members if LINEAGE},
        log:
            **{source: f"{LOGS}/validate/{source}.log" for source in members},
        group:
            "prepare"
        conda:
            "../../envs/ekc.yaml"
        threads: 1
        resources:
            mem_mb=memory_for("validate"),
            runtime=RUNTIME_MIN,
        params:
            sources=members,
            # Where a failing export's failure list goes (a failed job's outputs are removed).
            failed_lists={s: f"{PRIVATE}/qc/failed/{s}_failures.csv" for s in members},
            options={source: config["sources"][source] for source in members},
            mode=config["validation"]["mode"],
            pseudonymisation=PSEUDONYMISATION,
        script:
            "../../scripts/validate_export.py"
