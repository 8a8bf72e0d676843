# The youth-protection study's summary report, one job per language.


rule report_pdf:
    input:
        stats=STUDY_STATS,
        texts=CONCLUSIONS,
        info=f"{OUT}/linkage/dataset_info.json",
        flow=f"{OUT}/linkage/participant_flow.csv",
        raw=RAW_FILES,
        template="resources/templates/summary.html.j2",
        partials=[
            "resources/templates/macros.html.j2",
            "resources/templates/findings.html.j2",
            "resources/templates/closing.html.j2",
            "resources/templates/answers.html.j2",
            "resources/templates/yp_answers.html.j2",
        ],
        glossary="resources/glossary.csv",
        css="resources/templates/report.css",
        fonts=REPORT_FONTS,
        catalog="resources/locale/{lang}/LC_MESSAGES/messages.po",
        code=script_code("report_pdf.py"),
    output:
        pdf=report(
            f"{OUT}/report/summary_{{lang}}.pdf",
            caption="../../report/summary.rst",
            category="Summary report",
            labels={"language": "{lang}"},
        ),
        html=f"{OUT}/report/summary_{{lang}}.html",
        flow=f"{OUT}/report/figures/participant_flow_{{lang}}.svg",
        care_concerns=f"{OUT}/report/figures/care_concerns_{{lang}}.svg",
        bands=f"{OUT}/report/figures/problem_levels_{{lang}}.svg",
        succint=f"{OUT}/report/figures/succint_{{lang}}.svg",
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
        p_style=config["report"].get("p_value_style", "apa"),
        alpha=ALPHA,
        disclosure=DISCLOSURE,
        tables=report_tables(),
        # the declared answers, computed from the records as the rule `answers` does
        answers=ANSWERS,
        # synthetic data, the original study and the pipeline's citation (front matter)
        report={key: config["report"].get(key) for key in FRONT_MATTER},
    script:
        "../../scripts/report_pdf.py"
