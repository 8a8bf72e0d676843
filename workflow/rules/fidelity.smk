rule fidelity:
    input:
        published=sorted(glob.glob("resources/published/*.csv")),
        not_in_data="resources/not_in_data.csv",
        stats=ANALYSIS_STATS,
        raw=RAW_FILES,
        code=package_code("fidelity.py", "generate"),
    output:
        table=report(
            "results/fidelity/published_vs_reproduced.csv",
            caption="../report/fidelity.rst",
            category="Fidelity",
        ),
        summary="results/fidelity/summary.md",
    threads: 1
    resources:
        mem_mb=MEM_MB,
    log:
        "logs/fidelity.log",
    conda:
        "../envs/ekc.yaml"
    script:
        "../scripts/fidelity.py"
