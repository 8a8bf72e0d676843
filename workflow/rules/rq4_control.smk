rule rq4_control:
    input:
        families="results/analysis/families.parquet",
        succint="results/analysis/succint.parquet",
        questionnaires="results/analysis/questionnaires.parquet",
        interview_scores="results/analysis/interview_scores.parquet",
        code=script_code("rq4_control.py"),
    output:
        scores=report(
            "results/tables/rq4_control_scores.csv",
            caption="../report/rq4_control.rst",
            category="RQ4 control",
        ),
        capacity_burden=report(
            "results/tables/rq4_capacity_burden.csv",
            caption="../report/rq4_control.rst",
            category="RQ4 control",
        ),
        pul_autonomy=report(
            "results/tables/rq4_pul_autonomy.csv",
            caption="../report/rq4_control.rst",
            category="RQ4 control",
        ),
        interviews=report(
            "results/tables/rq4_interviews.csv",
            caption="../report/rq4_control.rst",
            category="RQ4 control",
        ),
        tests=report(
            "results/tables/rq4_tests.csv",
            caption="../report/rq4_control.rst",
            category="RQ4 control",
        ),
        mixed_model=report(
            "results/tables/rq4_mixed_model.csv",
            caption="../report/rq4_control.rst",
            category="RQ4 control",
        ),
        stats="results/stats/rq4_control.json",
    params:
        study=config["study"],
        alpha=config["analysis"]["alpha"],
    threads: 1
    resources:
        mem_mb=memory_for("analysis"),
    log:
        "logs/rq4_control.log",
    conda:
        "../envs/ekc.yaml"
    script:
        "../scripts/rq4_control.py"


ANALYSIS_STATS.append("results/stats/rq4_control.json")
