rule rq2_safety:
    input:
        families="results/analysis/families.parquet",
        care_concerns="results/analysis/care_concerns.parquet",
        succint="results/analysis/succint.parquet",
        interview_scores="results/analysis/interview_scores.parquet",
        code=script_code("rq2_safety.py"),
    output:
        care_concerns=report(
            "results/tables/rq2_care_concerns.csv",
            caption="../report/rq2_safety.rst",
            category="RQ2 safety and well-being",
        ),
        safety_wellbeing=report(
            "results/tables/rq2_safety_wellbeing.csv",
            caption="../report/rq2_safety.rst",
            category="RQ2 safety and well-being",
        ),
        new_living_place=report(
            "results/tables/rq2_new_living_place.csv",
            caption="../report/rq2_safety.rst",
            category="RQ2 safety and well-being",
        ),
        response=report(
            "results/tables/rq2_response.csv",
            caption="../report/rq2_safety.rst",
            category="RQ2 safety and well-being",
        ),
        interviews=report(
            "results/tables/rq2_interviews.csv",
            caption="../report/rq2_safety.rst",
            category="RQ2 safety and well-being",
        ),
        tests=report(
            "results/tables/rq2_tests.csv",
            caption="../report/rq2_safety.rst",
            category="RQ2 safety and well-being",
        ),
        effects=report(
            "results/tables/rq2_effects.csv",
            caption="../report/rq2_safety.rst",
            category="RQ2 safety and well-being",
        ),
        lmm=report(
            "results/tables/rq2_lmm.csv",
            caption="../report/rq2_safety.rst",
            category="RQ2 safety and well-being",
        ),
        stats="results/stats/rq2_safety.json",
    params:
        study=config["study"],
        alpha=config["analysis"]["alpha"],
    threads: 1
    resources:
        mem_mb=memory_for("analysis"),
    log:
        "logs/rq2_safety.log",
    conda:
        "../envs/ekc.yaml"
    script:
        "../scripts/rq2_safety.py"


ANALYSIS_STATS.append("results/stats/rq2_safety.json")
