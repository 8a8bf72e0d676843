"""Snakemake adapter: render the summary report in one language
(logic in ekc.youth_protection.report.build)."""

import json
from pathlib import Path

import pandas as pd

from ekc.core import joblog
from ekc.core.conclusions import read_conclusions
from ekc.core.report.front_matter import front_matter
from ekc.core.report.render import load_results, write_pdf
from ekc.youth_protection.report.build import ReportInputs, render_report

lang = snakemake.wildcards.lang
joblog.start(snakemake.log[0], f"report_pdf ({lang})")
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
    p_style=params.p_style,
    alpha=params.alpha,
    disclosure=params.disclosure,
    figure_dir=Path(snakemake.output.flow).parent,
    answer_spec=params.answers,
    conclusion_texts=[row for path in snakemake.input.texts for row in read_conclusions(path)],
    front=front_matter(params.report),
)
joblog.read_files(
    [
        *snakemake.input.stats,
        snakemake.input.info,
        snakemake.input.flow,
        *snakemake.input.texts,
    ]
)
records = load_results(snakemake.input.stats)
joblog.LOG.info("read %d records from %d results files", len(records), len(snakemake.input.stats))
html = render_report(records, lang, inputs)
Path(snakemake.output.html).write_text(html, encoding="utf-8")
write_pdf(html, Path(snakemake.output.pdf), base_url=template.parent)
joblog.wrote(snakemake.output.pdf, f"{Path(snakemake.output.pdf).stat().st_size} bytes")
