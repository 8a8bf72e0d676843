"""Snakemake adapter: the summary report of a config-defined study in one language."""

import json
from pathlib import Path

import pandas as pd

import ekc
from ekc.core import joblog
from ekc.core.conclusions import read_conclusions
from ekc.core.disclosure import suppress_records
from ekc.core.provenance import code_version, sha256
from ekc.core.report.front_matter import front_matter
from ekc.core.report.render import load_results, load_translations, render_html, write_pdf
from ekc.engine.report import Formatter, Study, build_sections, load_texts

lang = snakemake.wildcards.lang
joblog.start(snakemake.log[0], f"study_report ({lang})")
params = snakemake.params
texts = load_texts(
    [Path(p) for p in snakemake.input.texts], snakemake.config["report"]["languages"]
)
analyses = {
    a["id"]: a for rq in snakemake.config["research_questions"].values() for a in rq["analyses"]
}
joblog.read_files([*snakemake.input.stats, snakemake.input.flow])
records = load_results(snakemake.input.stats)
# Disclosure control applies to the report of every study when the config turns it on.
disclosure = dict(params.disclosure)
if disclosure["enabled"]:
    records, _ = suppress_records(records, min_count=disclosure["min_count"])
study = Study(
    study=params.study,
    groups=list(params.groups),
    records=records,
    texts=texts,
    facts=dict(params.facts),
    rules=dict(params.rules),
    analyses=analyses,
    tests=dict(params.tests) if params.tests else None,
    published=pd.read_csv(snakemake.input.fidelity, dtype=str, keep_default_na=False)
    .set_index("id")["published"]
    .to_dict(),
    answers=json.loads(Path(snakemake.input.answers).read_text(encoding="utf-8")),
    conclusions=json.loads(Path(snakemake.input.conclusions).read_text(encoding="utf-8")),
    transcribed=[row for path in snakemake.input.transcribed for row in read_conclusions(path)],
)
template = Path(snakemake.input.template)
locale_dir = Path(snakemake.input.catalog).parents[2]
fmt = Formatter(lang, params.p_style, params.alpha, load_translations(locale_dir, lang))
order = [*params.groups, *params.moments, *(texts.get("order") or [])]
context = {
    "title": study.text("title", lang),
    "subtitle": study.text("subtitle", lang),
    "sections": build_sections(study, list(params.sections), fmt, order),
    "flow": [
        {k: v if k == "source" else fmt.statistic({"n": v}, "n") for k, v in row.items()}
        for row in pd.read_csv(snakemake.input.flow).astype(object).to_dict("records")
    ],
    "disclosure": disclosure,
    "tests": study.tests is not None,
    # the shared partial answers.html.j2 words the verdicts and the front matter
    "front": front_matter(params.report),
    "answers": study.answers,
    "as_of": study.as_of(params.report.get("as_of"), fmt),
    "provenance": {
        "pipeline_version": ekc.__version__,
        "code_version": code_version(),
        "inputs": [{"path": p, "sha256": sha256(p)} for p in snakemake.input.raw],
    },
}
html = render_html(
    lang=lang,
    template_dir=template.parent,
    locale_dir=locale_dir,
    records=study.records,
    context=context,
    p_style=params.p_style,
    template=template.name,
    alpha=params.alpha,
)
Path(snakemake.output.html).write_text(html, encoding="utf-8")
write_pdf(html, Path(snakemake.output.pdf), base_url=template.parent)
joblog.LOG.info("%d records from %d results files", len(study.records), len(snakemake.input.stats))
joblog.wrote(snakemake.output.pdf, f"{Path(snakemake.output.pdf).stat().st_size} bytes")
