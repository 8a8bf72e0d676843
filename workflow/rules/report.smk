# Where each table of the report comes from, for the provenance appendix.
REPORT_TABLES = [
    {"table": "3.1", "rule": "rq1_target_group", "results": "results/stats/rq1_target_group.json"},
    {"table": "3.2", "rule": "rq1_target_group", "results": "results/stats/rq1_target_group.json"},
    {"table": "3.3", "rule": "rq1_target_group", "results": "results/stats/rq1_target_group.json"},
    {"table": "4.1", "rule": "conference", "results": "results/stats/conference.json"},
    {"table": "5.1", "rule": "conference_outcome", "results": "results/stats/conference_outcome.json"},
    {"table": "flow", "rule": "link", "results": "results/stats/participant_flow.json"},
]


rule report_pdf:
    input:
        stats=ANALYSIS_STATS,
        info="results/clean/dataset_info.json",
        flow="results/linkage/participant_flow.csv",
        raw=sorted({source["file"] for source in config["sources"].values()}),
        template="resources/templates/summary.html.j2",
        css="resources/templates/report.css",
        catalog="resources/locale/{lang}/LC_MESSAGES/messages.po",
        code=package_code("report", "provenance.py"),
    output:
        pdf=report(
            "results/report/summary_{lang}.pdf",
            caption="../report/summary.rst",
            category="Summary report",
            labels={"language": "{lang}"},
        ),
        html="results/report/summary_{lang}.html",
        flow="results/report/figures/participant_flow_{lang}.svg",
    params:
        study=config["study"],
        p_style=config["report"].get("p_value_style", "apa"),
        tables=REPORT_TABLES,
    threads: 1
    resources:
        mem_mb=MEM_MB,
    log:
        "logs/report/{lang}.log",
    conda:
        "../envs/ekc.yaml"
    script:
        "../scripts/report_pdf.py"
