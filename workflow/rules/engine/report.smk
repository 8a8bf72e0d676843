# The report of a study defined in its config alone, laid out from its `report_sections`.


rule study_report:
    input:
        stats=STUDY_STATS,
        flow=f"{OUT}/linkage/flow.csv",
        # the original's printed figures, for texts that set them beside the data's
        fidelity=f"{OUT}/fidelity/published_vs_reproduced.csv",
        # the declared answers and the original's conclusions checked (rule answers), and the
        # conclusions as transcribed, for their words
        answers=f"{OUT}/stats/answers.json",
        conclusions=f"{OUT}/stats/conclusions.json",
        transcribed=CONCLUSIONS,
        raw=RAW_FILES,
        texts=config["texts"],
        template="resources/templates/study.html.j2",
        css="resources/templates/report.css",
        fonts=REPORT_FONTS,
        catalog="resources/locale/{lang}/LC_MESSAGES/messages.po",
        code=script_code("study_report.py"),
    output:
        pdf=report(
            f"{OUT}/report/summary_{{lang}}.pdf",
            caption="../../report/summary.rst",
            category="Summary report",
            labels={"language": "{lang}"},
        ),
        html=f"{OUT}/report/summary_{{lang}}.html",
    log:
        f"{LOGS}/report/{{lang}}.log",
    group:
        "report"
    conda:
        "../../envs/ekc.yaml"
    threads: 1
    resources:
        mem_mb=memory_for("report"),
        runtime=RUNTIME_MIN,
    params:
        study=config["study"],
        groups=config["groups"],
        moments=config["moments"],
        sections=config["report_sections"],
        facts=config.get("facts", {}),
        p_style=config["report"].get("p_value_style", "apa"),
        alpha=ALPHA,
        tests=config["analysis"].get("tests", False),
        disclosure=DISCLOSURE,
        rules={name: results_rule(name) for name in RESEARCH_QUESTIONS},
        # synthetic data, the original study and the pipeline's citation, the as-of record
        report=config["report"],
    script:
        "../../scripts/study_report.py"
