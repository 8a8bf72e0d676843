rule fidelity:
    input:
        published=sorted(f for pattern in config["fidelity"]["published"] for f in glob.glob(pattern)),
        not_in_data=config["fidelity"]["not_in_data"],
        stats=ANALYSIS_STATS,
        raw=RAW_FILES,
        code=script_code("fidelity.py", "generate"),
    output:
        table=report(
            f"{OUT}/fidelity/published_vs_reproduced.csv",
            caption="../report/fidelity.rst",
            category="Fidelity",
        ),
        summary=f"{OUT}/fidelity/summary.md",
    params:
        generator_check=config["fidelity"].get("generator_check"),
    threads: 1
    resources:
        mem_mb=MEM_MB,
    log:
        f"{LOGS}/fidelity.log",
    conda:
        "../envs/ekc.yaml"
    script:
        "../scripts/fidelity.py"
