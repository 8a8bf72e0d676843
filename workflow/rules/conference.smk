rule conference:
    input:
        families="results/analysis/families.parquet",
        interview_cases="results/analysis/interview_cases.parquet",
        reference=config["external_reference"],
        code=script_code("conference.py"),
    output:
        table=report(
            "results/tables/conference_characteristics.csv",
            caption="../report/conference.rst",
            category="Conference and outcome",
        ),
        stats="results/stats/conference.json",
    params:
        study=config["study"],
        alpha=config["analysis"]["alpha"],
    threads: 1
    resources:
        mem_mb=memory_for("analysis"),
    log:
        "logs/conference.log",
    conda:
        "../envs/ekc.yaml"
    script:
        "../scripts/conference.py"


rule conference_outcome:
    input:
        families="results/analysis/families.parquet",
        fufrek="results/analysis/fufrek.parquet",
        code=script_code("conference_outcome.py"),
    output:
        table=report(
            "results/tables/plan_outcome.csv",
            caption="../report/conference.rst",
            category="Conference and outcome",
        ),
        stats="results/stats/conference_outcome.json",
    params:
        study=config["study"],
    threads: 1
    resources:
        mem_mb=memory_for("analysis"),
    log:
        "logs/conference_outcome.log",
    conda:
        "../envs/ekc.yaml"
    script:
        "../scripts/conference_outcome.py"


rule external_reference:
    input:
        reference=config["external_reference"],
        code=script_code("external_reference.py"),
    output:
        stats="results/stats/external_reference.json",
    threads: 1
    resources:
        mem_mb=memory_for("analysis"),
    log:
        "logs/external_reference.log",
    conda:
        "../envs/ekc.yaml"
    script:
        "../scripts/external_reference.py"


ANALYSIS_STATS.extend(["results/stats/conference.json", "results/stats/conference_outcome.json", "results/stats/external_reference.json"])
