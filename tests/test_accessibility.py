"""Tagged PDFs: the report's PDF writer produces what a screen reader needs (structure tree,
marked content, language, title, outline, alt text on figures), checked by reading the PDF
back with pypdf (ekc.core.report.pdf_check); and each figure's alt text says what it shows,
with its numbers, in the report's language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ekc.core.report import numbers
from ekc.core.report.pdf_check import figure_alt_texts, structure_problems
from ekc.core.report.render import load_translations, write_pdf
from ekc.youth_protection.report import charts
from ekc.youth_protection.report.alt_text import AltText
from ekc.youth_protection.report.build import BAND_PANELS

from .test_figures import FLOW, STUDY, chart_records

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "resources" / "templates"
DOT = (
    "data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'>"
    "<rect width='10' height='10'/></svg>"
)


def page(lang: str, alt: str | None) -> str:
    alt_attr = "" if alt is None else f' alt="{alt}"'
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>Report</title>'
        '<link rel="stylesheet" href="report.css"></head><body>'
        "<h1>Summary</h1><p>Text of the summary.</p><h2>Findings</h2>"
        f'<figure class="figure"><img src="{DOT}"{alt_attr}></figure>'
        "<table><thead><tr><th>Group</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>"
        "</body></html>"
    )


def test_the_pdf_writer_tags_the_report(tmp_path):
    pdf = tmp_path / "summary_de.pdf"
    write_pdf(page("de", "Ein schwarzes Quadrat als Beispiel einer Abbildung"), pdf, TEMPLATES)
    assert structure_problems(pdf, "de") == []
    assert figure_alt_texts(pdf) == ["Ein schwarzes Quadrat als Beispiel einer Abbildung"]


def test_the_checker_finds_a_missing_alt_text_and_a_wrong_language(tmp_path):
    pdf = tmp_path / "summary_nl.pdf"
    write_pdf(page("nl", None), pdf, TEMPLATES)
    problems = structure_problems(pdf, "en")
    assert any("no alt text" in p for p in problems)
    assert any("document language 'nl'" in p for p in problems)


def test_the_checker_finds_an_untagged_pdf(tmp_path):
    from weasyprint import HTML

    pdf = tmp_path / "untagged.pdf"
    HTML(string=page("en", "A black square, an example figure"), base_url=str(TEMPLATES)).write_pdf(
        pdf, pdf_variant="pdf/a-3u"
    )
    problems = structure_problems(pdf, "en")
    assert "no StructTreeRoot: the PDF is not tagged" in problems
    assert any("PDF/A-3a" in p for p in problems)


def test_a_filename_is_no_alt_text(tmp_path):
    pdf = tmp_path / "summary_en.pdf"
    write_pdf(page("en", "participant_flow_en.svg"), pdf, TEMPLATES)
    assert any("does not describe it" in p for p in structure_problems(pdf, "en"))


@pytest.mark.parametrize("lang", ["nl", "en", "de"])
def test_alt_texts_state_the_figures_numbers_in_the_language(lang):
    translations = load_translations(ROOT / "resources" / "locale", lang)
    records = chart_records()
    alt = AltText(records, STUDY, lang, translations)

    flow = alt.flow(FLOW)
    assert all(numbers.integer(n, lang) in flow for n in FLOW.values())

    care = alt.care_concerns()
    for table, variable in charts.DOMAINS:
        assert translations.pgettext("chart", variable) in care
        for group in ("conference", "no_conference"):
            for moment in charts.MOMENTS:
                mean = records[f"{STUDY}:{table}:{variable}:-:{group}:{moment}"]["mean"]
                assert numbers.number(mean, lang, 2) in care

    bands = alt.bands(BAND_PANELS)
    for table, variable in BAND_PANELS:
        for moment in charts.MOMENTS:
            n = records[f"{STUDY}:{table}:{variable}:-:parents:{moment}"]["n"]
            count = records[f"{STUDY}:{table}:{variable}:none:parents:{moment}"]["count"]
            assert f"(n = {n})" in bands
            assert numbers.percent(100 * count / n, lang) in bands

    succint = alt.succint()
    for table, variable in charts.SUCCINT_SCALES:
        record = records[f"{STUDY}:{table}:{variable}:-:family_informant:9m"]
        assert numbers.number(record["mean"], lang, 2) in succint
        assert f"(n = {record['n']})" in succint

    text = " ".join([flow, care, bands, succint])
    assert "%(" not in text
    if lang != "en":  # translated, not the English msgid
        assert "With a conference" not in care and "Referrers" not in succint
    if lang in ("nl", "de"):  # decimal comma
        assert re.search(r"\d,\d\d", care) and not re.search(r"\d\.\d\d", care)
