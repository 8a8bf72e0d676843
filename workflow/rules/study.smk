# A study defined in its config alone (config/preventive.yaml, the tests' toy study): every
# export is prepared (recoded, pseudonymised, linked to the units), each research question
# is a rule of its own, and the report is rendered from the config's sections.
RESEARCH_QUESTIONS = list(config["research_questions"])
ANALYSIS_STATS.extend(f"{OUT}/stats/{rq}.json" for rq in RESEARCH_QUESTIONS)


rule prepare_export:
    input:
        valid=f"{OUT}/validated/{{source}}.parquet",
        link=link_input,
        code=script_code("prepare_export.py"),
    output:
        prepared=f"{OUT}/prepared/{{source}}.parquet",
        orphans=f"{OUT}/linkage/{{source}}_orphans.csv",
        summary=f"{OUT}/linkage/{{source}}.json",
    params:
        layout=source_options,
        link=LINK,
        pseudonymisation=config["pseudonymisation"],
    threads: 1
    resources:
        mem_mb=memory_for("validate"),
    log:
        f"{LOGS}/prepare/{{source}}.log",
    conda:
        "../envs/ekc.yaml"
    script:
        "../scripts/prepare_export.py"


rule linkage_flow:
    input:
        summaries=expand(f"{OUT}/linkage/{{source}}.json", source=SOURCES),
        code=script_code("linkage_flow.py"),
    output:
        flow=report(
            f"{OUT}/linkage/flow.csv",
            caption="../report/study_flow.rst",
            category="Linkage",
        ),
    threads: 1
    resources:
        mem_mb=memory_for("link"),
    log:
        f"{LOGS}/linkage_flow.log",
    conda:
        "../envs/ekc.yaml"
    script:
        "../scripts/linkage_flow.py"


# One rule per research question, named after it (rq_<name>).
for research_question in RESEARCH_QUESTIONS:

    rule:
        name:
            f"rq_{research_question}"
        input:
            sources=expand(f"{OUT}/prepared/{{source}}.parquet", source=SOURCES),
            code=script_code("research_question.py"),
        output:
            stats=f"{OUT}/stats/{research_question}.json",
            table=report(
                f"{OUT}/tables/{research_question}.csv",
                caption="../report/study_tables.rst",
                category="Research questions",
                labels={"research question": research_question},
            ),
        params:
            study=config["study"],
            groups=config["groups"],
            analyses=config["research_questions"][research_question]["analyses"],
        threads: 1
        resources:
            mem_mb=memory_for("analysis"),
        log:
            f"{LOGS}/rq_{research_question}.log",
        conda:
            "../envs/ekc.yaml"
        script:
            "../scripts/research_question.py"


rule study_report:
    input:
        stats=ANALYSIS_STATS,
        flow=f"{OUT}/linkage/flow.csv",
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
            caption="../report/summary.rst",
            category="Summary report",
            labels={"language": "{lang}"},
        ),
        html=f"{OUT}/report/summary_{{lang}}.html",
    params:
        study=config["study"],
        groups=config["groups"],
        moments=config["moments"],
        sections=config["report_sections"],
        facts=config.get("facts", {}),
        p_style=config["report"].get("p_value_style", "apa"),
        rules={rq: f"rq_{rq}" for rq in RESEARCH_QUESTIONS},
    threads: 1
    resources:
        mem_mb=MEM_MB,
    log:
        f"{LOGS}/report/{{lang}}.log",
    conda:
        "../envs/ekc.yaml"
    script:
        "../scripts/study_report.py"
