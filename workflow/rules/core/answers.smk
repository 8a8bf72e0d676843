# Every study's declared answers (research_questions: <name>: answer:) and the original
# study's conclusions checked against them (report: conclusions:), from the results files.


rule answers:
    input:
        stats=STUDY_STATS,
        conclusions=CONCLUSIONS,
        code=script_code("answers.py"),
    output:
        answers=f"{OUT}/stats/answers.json",
        conclusions=f"{OUT}/stats/conclusions.json",
    log:
        f"{LOGS}/answers.log",
    group:
        "report"
    conda:
        "../../envs/ekc.yaml"
    threads: 1
    resources:
        mem_mb=memory_for("report"),
        runtime=RUNTIME_MIN,
    params:
        answers=ANSWERS,
        alpha=ALPHA,
    script:
        "../../scripts/answers.py"
