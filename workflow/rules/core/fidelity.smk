# Every published figure beside the value this study's results files give.


rule fidelity:
    input:
        published=sorted(
            f for pattern in config["fidelity"]["published"] for f in glob.glob(pattern)
        ),
        not_in_data=config["fidelity"]["not_in_data"],
        stats=STUDY_STATS,
        code=script_code("fidelity.py"),
    output:
        table=report(
            f"{OUT}/fidelity/published_vs_reproduced.csv",
            caption="../../report/fidelity.rst",
            category="Fidelity",
        ),
        summary=f"{OUT}/fidelity/summary.md",
    log:
        f"{LOGS}/fidelity.log",
    group:
        "report"
    conda:
        "../../envs/ekc.yaml"
    threads: 1
    resources:
        mem_mb=memory_for("report"),
        runtime=RUNTIME_MIN,
    params:
        # the rule that wrote each results file, named in the table's `source` column
        rules={name: results_rule(name) for name in [*RESEARCH_QUESTIONS, *RULE_STATS]},
    script:
        "../../scripts/fidelity.py"
