"""Snakemake adapter: render the summary report in one language."""

import datetime as dt
import json
from pathlib import Path

import ekc
from ekc.analysis.rq1_target_group import CHILD_VARIABLES, N_CHILDREN_CATEGORIES
from ekc.clean.registration import PROBLEM_CODES
from ekc.provenance import code_version, package_versions, sha256
from ekc.report.render import load_results, render_html, write_pdf

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
context = {
    "study": study,
    "info": info,
    "table31": [{"variable": "n_children", "categories": N_CHILDREN_CATEGORIES}]
    + [{"variable": v, "categories": c} for v, c in CHILD_VARIABLES.items()],
    "table32": problem_order,
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
    locale_dir=Path(snakemake.input.catalog).parents[2],
    records=records,
    context=context,
    p_style=snakemake.params.p_style,
)
Path(snakemake.output.html).write_text(html, encoding="utf-8")
write_pdf(html, Path(snakemake.output.pdf), base_url=template.parent)
