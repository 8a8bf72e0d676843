# Where each table of the report comes from, for the provenance appendix.
REPORT_TABLES = [
    {"table": "3.1", "rule": "rq1_target_group", "results": "results/stats/rq1_target_group.json"},
    {"table": "3.2", "rule": "rq1_target_group", "results": "results/stats/rq1_target_group.json"},
    {"table": "3.3", "rule": "rq1_target_group", "results": "results/stats/rq1_target_group.json"},
    {"table": "4.1", "rule": "conference", "results": "results/stats/conference.json"},
    {"table": "5.1", "rule": "conference_outcome", "results": "results/stats/conference_outcome.json"},
    {"table": "6.1-6.3", "rule": "rq2_safety", "results": "results/stats/rq2_safety.json"},
    {"table": "6.4", "rule": "rq2_safety", "results": "results/stats/rq2_safety.json"},
    {"table": "7.1", "rule": "rq3_support", "results": "results/stats/rq3_support.json"},
    {"table": "7.3", "rule": "rq3_support", "results": "results/stats/rq3_support.json"},
    {"table": "7.4", "rule": "rq3_support", "results": "results/stats/rq3_support.json"},
    {"table": "8.1", "rule": "rq4_control", "results": "results/stats/rq4_control.json"},
    {"table": "8.3", "rule": "rq4_control", "results": "results/stats/rq4_control.json"},
    {"table": "9.3", "rule": "other_findings", "results": "results/stats/other_findings.json"},
    {"table": "response", "rule": "link", "results": "results/stats/participant_flow.json"},
    {"table": "attrition", "rule": "rq3_support", "results": "results/stats/rq3_support.json"},
    {"table": "flow", "rule": "link", "results": "results/stats/participant_flow.json"},
]


PLACEMENT_TYPES = ["none", "network_placement", "foster_care", "crisis_care_child",
                   "residential_24h", "part_time_residential_24h", "day_treatment", "other"]
# The study's instruments for the methods appendix (names are not translated).
INSTRUMENTS = [
    {"key": "frek", "name": "FREK", "moments": ["start"]},
    {"key": "fufrek", "name": "FUFREK", "moments": ["3m"]},
    {"key": "zap_kort", "name": "ZAP-Kort", "moments": ["start", "3m", "9m"]},
    {"key": "cvc", "name": "CVC", "moments": ["start"]},
    {"key": "nosik", "name": "NOSIK", "moments": ["start"]},
    {"key": "veo", "name": "VEO", "moments": ["start", "3m", "9m"]},
    {"key": "pul", "name": "PUL", "moments": ["start", "3m", "9m"]},
    {"key": "succint", "name": "SuccInt", "moments": ["3m", "9m"]},
    {"key": "interviews", "name": "Interviews", "moments": ["9m"]},
]


rule report_pdf:
    input:
        stats=ANALYSIS_STATS,
        info="results/clean/dataset_info.json",
        flow="results/linkage/participant_flow.csv",
        raw=sorted({source["file"] for source in config["sources"].values()}),
        template="resources/templates/summary.html.j2",
        partials=[
            "resources/templates/macros.html.j2",
            "resources/templates/findings.html.j2",
            "resources/templates/closing.html.j2",
        ],
        glossary="resources/glossary.csv",
        css="resources/templates/report.css",
        fonts=REPORT_FONTS,
        catalog="resources/locale/{lang}/LC_MESSAGES/messages.po",
        code=script_code("report_pdf.py"),
    output:
        pdf=report(
            "results/report/summary_{lang}.pdf",
            caption="../report/summary.rst",
            category="Summary report",
            labels={"language": "{lang}"},
        ),
        html="results/report/summary_{lang}.html",
        flow="results/report/figures/participant_flow_{lang}.svg",
        care_concerns="results/report/figures/care_concerns_{lang}.svg",
        bands="results/report/figures/problem_levels_{lang}.svg",
        succint="results/report/figures/succint_{lang}.svg",
    params:
        study=config["study"],
        p_style=config["report"].get("p_value_style", "apa"),
        disclosure=config["report"].get("disclosure", {"enabled": True, "min_count": 5}),
        tables=REPORT_TABLES,
        placement_types=PLACEMENT_TYPES,
        instruments=INSTRUMENTS,
    threads: 1
    resources:
        mem_mb=MEM_MB,
    log:
        "logs/report/{lang}.log",
    conda:
        "../envs/ekc.yaml"
    script:
        "../scripts/report_pdf.py"
