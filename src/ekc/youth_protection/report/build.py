"""Build one language's report: figures, context and HTML from the results records.

The Snakemake adapter (`workflow/scripts/report_pdf.py`) only gathers paths; tests call
`render_report` with altered records to check that the wording follows the data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

import ekc
from ekc.core.answers import answers
from ekc.core.conclusions import check_conclusions, read_conclusions
from ekc.core.disclosure import suppress_records
from ekc.core.provenance import code_version, package_versions, sha256
from ekc.core.report import numbers
from ekc.core.report.figures import flow_diagram, svg_data_uri
from ekc.core.report.front_matter import front_matter
from ekc.core.report.glossary import read_glossary
from ekc.core.report.render import load_translations, render_html
from ekc.core.stats.inference import ALPHA
from ekc.youth_protection.link import INSTRUMENT_MOMENTS
from ekc.youth_protection.report import charts
from ekc.youth_protection.report.alt_text import AltText
from ekc.youth_protection.vocabulary import (
    CHILD_VARIABLES,
    CONFERENCE_VARIABLES,
    INSTRUMENTS,
    N_CHILDREN_CATEGORIES,
    OUTCOME_VARIABLES,
    PLACEMENT_TYPES,
)

BAND_PANELS = [
    ("7.1", "veo_deviation_band"),
    ("7.3", "pul_social_optimism_band"),
    ("8.3", "pul_autonomy_band"),
]


@dataclass
class ReportInputs:
    study: str
    info: dict[str, Any]
    flow: pd.DataFrame
    template: Path
    locale_dir: Path
    glossary: Path
    raw_files: list[str]
    tables: list[dict]
    p_style: str = "apa"
    alpha: float = ALPHA  # the config's `analysis: alpha`, so a printed p agrees with the verdict
    disclosure: dict = field(default_factory=lambda: {"enabled": False})
    figure_dir: Path = field(default_factory=lambda: Path("."))
    # the declared answers (config: research_questions.<name>.answer), the original's
    # conclusions (report: conclusions) and the front matter; the answers and verdicts are
    # computed from the records as the `answers` rule computes them (stats/answers.json)
    answer_spec: dict[str, dict] = field(default_factory=dict)
    conclusion_texts: list[dict] = field(default_factory=list)
    front: dict[str, Any] = field(default_factory=lambda: front_matter({}))


def _problem_rows(records: list[dict]) -> list[dict]:
    """Table 3.2's problem types, most frequent first."""
    rows = [r for r in records if r["table"] == "3.2" and r["id"].split(":")[2] == "main_problem"]
    rows.sort(key=lambda r: (-r["count"], r["code"]))
    return [{"id": r["id"], "code": r["code"]} for r in rows]


def _attrition_rows(records: list[dict], study: str) -> list[dict]:
    """Attrition records come in pairs (responded / not responded) plus one test each."""
    return [
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


def answer_inputs(config: dict, root: Path = Path(".")) -> dict[str, Any]:
    """The ReportInputs fields of a study's config for its answers and front matter."""
    report = config.get("report", {})
    texts = report.get("conclusions")
    return {
        "answer_spec": {
            name: dict(entry["answer"])
            for name, entry in config["research_questions"].items()
            if "answer" in entry
        },
        "conclusion_texts": read_conclusions(root / texts) if texts else [],
        "front": front_matter(report, root),
    }


def _conclusion_rows(checked: list[dict], texts: list[dict], lang: str) -> list[dict]:
    """Each checked conclusion with its text in the report's language."""
    by_id = {row["id"]: row for row in texts}
    return [{**row, "text": by_id[row["id"]][f"text_{lang}"]} for row in checked]


def flow_counts(flow: pd.DataFrame) -> dict[str, int]:
    return dict(zip(flow["step"], flow["n"], strict=True))


def figure_alt_texts(records: list[dict], lang: str, inputs: ReportInputs) -> dict[str, str]:
    """Each figure's alt text, from the records it is drawn from."""
    alt = AltText(
        {r["id"]: r for r in records},
        inputs.study,
        lang,
        load_translations(inputs.locale_dir, lang),
    )
    return {
        "flow": alt.flow(flow_counts(inputs.flow)),
        "care_concerns": alt.care_concerns(),
        "bands": alt.bands(BAND_PANELS),
        "succint": alt.succint(),
    }


def draw_figures(records: list[dict], lang: str, inputs: ReportInputs) -> dict[str, Path]:
    translations = load_translations(inputs.locale_dir, lang)
    by_id = {r["id"]: r for r in records}
    paths = {
        name: inputs.figure_dir / f"{stem}_{lang}.svg"
        for name, stem in (
            ("flow", "participant_flow"),
            ("care_concerns", "care_concerns"),
            ("bands", "problem_levels"),
            ("succint", "succint"),
        )
    }
    flow_diagram(
        flow_counts(inputs.flow),
        lambda step, n: f"{translations.pgettext('flow', step)}\nn = {numbers.integer(n, lang)}",
        paths["flow"],
        available=translations.pgettext("flow", "available data"),
        headings={
            split: translations.pgettext("flow", heading)
            for split, heading in (("design", "by study design"), ("analysis", "by analysis group"))
        },
    )

    def text(key: str) -> str:
        return translations.pgettext("chart", key)

    charts.care_concerns(by_id, inputs.study, text, lang, paths["care_concerns"])
    charts.bands_over_moments(by_id, inputs.study, BAND_PANELS, text, lang, paths["bands"])
    charts.succint_scores(by_id, inputs.study, text, lang, paths["succint"])
    return paths


def render_report(records: list[dict], lang: str, inputs: ReportInputs) -> str:
    """The report's HTML in one language; figures are drawn into `inputs.figure_dir`."""
    study = inputs.study
    info = dict(inputs.info)
    if isinstance(info.get("as_of"), str):
        info["as_of"] = dt.date.fromisoformat(info["as_of"])
    figures = draw_figures(records, lang, inputs)
    found = answers(inputs.answer_spec, records, alpha=inputs.alpha)
    checked = check_conclusions(inputs.conclusion_texts, found, records)
    figure_alt = figure_alt_texts(records, lang, inputs)  # the records the figures show
    table32 = _problem_rows(records)  # ordered by the true counts, before any suppression
    disclosure_note = None
    if inputs.disclosure.get("enabled"):
        records, disclosure_note = suppress_records(
            records, min_count=inputs.disclosure.get("min_count", 5)
        )
    context = {
        "disclosure": {"note": disclosure_note, "k": inputs.disclosure.get("min_count", 5)},
        "study": study,
        "info": info,
        "table31": [{"variable": "n_children", "categories": N_CHILDREN_CATEGORIES}]
        + [{"variable": v, "categories": c} for v, c in CHILD_VARIABLES.items()],
        "table32": table32,
        "table41": [{"variable": v, "categories": c} for v, (_, c) in CONFERENCE_VARIABLES.items()],
        "table51": [{"variable": v, "categories": c} for v, c in OUTCOME_VARIABLES.items()],
        "figures": {name: svg_data_uri(path) for name, path in figures.items()},
        "figure_alt": figure_alt,
        "moments": list(charts.MOMENTS),
        "bands": list(charts.BANDS),
        "groups": ["conference", "no_conference"],
        "informants": list(charts.INFORMANTS),
        "care_domains": [*charts.DOMAINS, ("rq2", "care_concerns_total")],
        "placement_types": PLACEMENT_TYPES,
        "response_rows": [(i, m) for i, moments in INSTRUMENT_MOMENTS.items() for m in moments],
        "attrition": _attrition_rows(records, study),
        "instruments": INSTRUMENTS,
        "glossary": read_glossary(inputs.glossary),
        "answers": found,
        "conclusions": _conclusion_rows(checked, inputs.conclusion_texts, lang),
        "front": inputs.front,
        "provenance": {
            "pipeline_version": ekc.__version__,
            "code_version": code_version(),
            "inputs": [{"path": p, "sha256": sha256(p)} for p in inputs.raw_files],
            "tables": inputs.tables,
            "packages": package_versions(),
        },
    }
    return render_html(
        lang=lang,
        template_dir=inputs.template.parent,
        locale_dir=inputs.locale_dir,
        records=records,
        context=context,
        p_style=inputs.p_style,
        template=inputs.template.name,
        alpha=inputs.alpha,
    )
