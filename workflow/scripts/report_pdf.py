"""Snakemake adapter: render the summary report in one language (logic in ekc.report.build)."""

import json
from pathlib import Path

import pandas as pd

from ekc.report.build import ReportInputs, render_report
from ekc.report.render import load_results, write_pdf

lang = snakemake.wildcards.lang
params = snakemake.params
template = Path(snakemake.input.template)
inputs = ReportInputs(
    study=params.study,
    info=json.loads(Path(snakemake.input.info).read_text(encoding="utf-8")),
    flow=pd.read_csv(snakemake.input.flow),
    template=template,
    locale_dir=Path(snakemake.input.catalog).parents[2],
    glossary=Path(snakemake.input.glossary),
    raw_files=list(snakemake.input.raw),
    tables=params.tables,
    placement_types=params.placement_types,
    instruments=params.instruments,
    p_style=params.p_style,
    disclosure=params.disclosure,
    figure_dir=Path(snakemake.output.flow).parent,
)
html = render_report(load_results(snakemake.input.stats), lang, inputs)
Path(snakemake.output.html).write_text(html, encoding="utf-8")
write_pdf(html, Path(snakemake.output.pdf), base_url=template.parent)
