"""Snakemake adapter: render the summary report in one language."""

import datetime as dt
import json
from pathlib import Path

import pandas as pd

import ekc
from ekc.analysis import conference, conference_outcome
from ekc.analysis.rq1_target_group import CHILD_VARIABLES, N_CHILDREN_CATEGORIES
from ekc.clean.registration import PROBLEM_CODES
from ekc.link import INSTRUMENT_MOMENTS
from ekc.provenance import code_version, package_versions, sha256
from ekc.report import charts, numbers
from ekc.report.figures import flow_diagram, svg_data_uri
from ekc.report.glossary import read_glossary
from ekc.report.render import load_results, load_translations, render_html, write_pdf

lang = snakemake.wildcards.lang
info = json.loads(Path(snakemake.input.info).read_text(encoding="utf-8"))
info["as_of"] = dt.date.fromisoformat(info["as_of"])
records = load_results(snakemake.input.stats)
study = snakemake.params.study
problem_order = sorted(
    PROBLEM_CODES.values(),
    key=lambda c: (
        -next(r["count"] for r in records if r["id"] == f"{study}:3.2:problem_type:{c}:all:-"),
        c,
    ),
)
locale_dir = Path(snakemake.input.catalog).parents[2]
translations = load_translations(locale_dir, lang)
flow = pd.read_csv(snakemake.input.flow)
flow_svg = Path(snakemake.output.flow)
flow_diagram(
    dict(zip(flow["step"], flow["n"], strict=True)),
    lambda step, n: f"{translations.pgettext('flow', step)}\nn = {numbers.integer(n, lang)}",
    flow_svg,
    available=translations.pgettext("flow", "available data"),
)
by_id = {r["id"]: r for r in records}


def text(key):
    return translations.pgettext("chart", key)


out = {name: Path(path) for name, path in snakemake.output.items()}
charts.care_concerns(by_id, study, text, lang, out["care_concerns"])
charts.bands_over_moments(
    by_id,
    study,
    [
        ("7.1", "veo_deviation_band"),
        ("7.3", "pul_social_optimism_band"),
        ("8.3", "pul_autonomy_band"),
    ],
    text,
    lang,
    out["bands"],
)
charts.succint_scores(by_id, study, text, lang, out["succint"])
# Attrition records come in pairs (responded / not responded) plus one test per comparison.
attrition = [
    {
        "scale": f"{r['instrument']}_{r['scale']}",
        "moment": r["moment"],
        "test": r["id"],
        "responded": r["id"].replace(r["group"], "responded"),
        "not_responded": r["id"].replace(r["group"], "not_responded"),
    }
    for r in records
    if r["id"].startswith(f"{study}:attrition:") and "test" in r
]
context = {
    "study": study,
    "info": info,
    "table31": [{"variable": "n_children", "categories": N_CHILDREN_CATEGORIES}]
    + [{"variable": v, "categories": c} for v, c in CHILD_VARIABLES.items()],
    "table32": problem_order,
    "table41": [{"variable": v, "categories": c} for v, (_, c) in conference.VARIABLES.items()],
    "table51": [{"variable": v, "categories": c} for v, c in conference_outcome.VARIABLES.items()],
    "figures": {
        "flow": svg_data_uri(flow_svg),
        **{name: svg_data_uri(out[name]) for name in ("care_concerns", "bands", "succint")},
    },
    "moments": list(charts.MOMENTS),
    "bands": list(charts.BANDS),
    "groups": ["conference", "no_conference"],
    "informants": list(charts.INFORMANTS),
    "care_domains": [*charts.DOMAINS, ("rq2", "care_concerns_total")],
    "placement_types": snakemake.params.placement_types,
    "response_rows": [(i, m) for i, moments in INSTRUMENT_MOMENTS.items() for m in moments],
    "attrition": attrition,
    "instruments": snakemake.params.instruments,
    "glossary": read_glossary(snakemake.input.glossary),
    "provenance": {
        "pipeline_version": ekc.__version__,
        "code_version": code_version(),
        "inputs": [{"path": p, "sha256": sha256(p)} for p in snakemake.input.raw],
        "tables": snakemake.params.tables,
        "packages": package_versions(),
    },
}
template = Path(snakemake.input.template)
html = render_html(
    lang=lang,
    template_dir=template.parent,
    locale_dir=locale_dir,
    records=records,
    context=context,
    p_style=snakemake.params.p_style,
)
Path(snakemake.output.html).write_text(html, encoding="utf-8")
write_pdf(html, Path(snakemake.output.pdf), base_url=template.parent)
