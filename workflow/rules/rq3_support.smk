rule rq3_support:
    input:
        families="results/analysis/families.parquet",
        questionnaires="results/analysis/questionnaires.parquet",
        succint="results/analysis/succint.parquet",
        interview_scores="results/analysis/interview_scores.parquet",
        interview_cases="results/analysis/interview_cases.parquet",
        measurements="results/analysis/measurements.parquet",
        code=script_code("rq3_support.py"),
    output:
        bands=report(
            "results/tables/rq3_bands.csv",
            caption="../report/rq3_support.rst",
            category="RQ3 social support",
        ),
        scores=report(
            "results/tables/rq3_scores.csv",
            caption="../report/rq3_support.rst",
            category="RQ3 social support",
        ),
        interviews=report(
            "results/tables/rq3_interviews.csv",
            caption="../report/rq3_support.rst",
            category="RQ3 social support",
        ),
        tests=report(
            "results/tables/rq3_tests.csv",
            caption="../report/rq3_support.rst",
            category="RQ3 social support",
        ),
        lmm=report(
            "results/tables/rq3_lmm.csv",
            caption="../report/rq3_support.rst",
            category="RQ3 social support",
        ),
        attrition=report(
            "results/tables/attrition.csv",
            caption="../report/rq3_support.rst",
            category="RQ3 social support",
        ),
        stats="results/stats/rq3_support.json",
    params:
        study=config["study"],
        alpha=config["analysis"]["alpha"],
    threads: 1
    resources:
        mem_mb=memory_for("analysis"),
    log:
        "logs/rq3_support.log",
    conda:
        "../envs/ekc.yaml"
    script:
        "../scripts/rq3_support.py"


ANALYSIS_STATS.append("results/stats/rq3_support.json")
