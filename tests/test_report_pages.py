"""The six built reports (youth protection and preventive domain, nl/en/de), page by page:
tagged for screen readers with alt text on every figure, every page rendered to PNG
(poppler's pdftoppm) and no word overlapping another or leaving the margins. Reuses the
suite's builds; builds nothing of its own."""

from __future__ import annotations

import os
import subprocess

import pytest

from ekc.core.report.pdf_check import (
    figure_alt_texts,
    layout_problems,
    poppler_missing,
    structure_problems,
)

LANGS = ("nl", "en", "de")
YP_FIGURES = 4  # participant flow, care concerns, problem levels, SuccInt


@pytest.fixture(scope="module")
def six_pdfs(built_workflow, pd_build):
    return {
        **{("yp", lang): built_workflow / f"results/report/summary_{lang}.pdf" for lang in LANGS},
        **{("pd", lang): pd_build / f"report/summary_{lang}.pdf" for lang in LANGS},
    }


def needs_poppler():
    missing = poppler_missing()
    if missing and not os.environ.get("CI"):
        pytest.skip(f"poppler-utils not installed ({', '.join(missing)}); CI installs it")
    assert not missing, f"CI must install poppler-utils: {missing} missing"


@pytest.mark.parametrize("study", ["yp", "pd"])
@pytest.mark.parametrize("lang", LANGS)
def test_every_report_is_tagged_with_its_language_and_alt_texts(six_pdfs, study, lang):
    pdf = six_pdfs[(study, lang)]
    assert structure_problems(pdf, lang) == []
    alts = figure_alt_texts(pdf)
    assert len(alts) == (YP_FIGURES if study == "yp" else 0)
    assert len(set(alts)) == len(alts)  # one description per figure, not one for all


def test_the_alt_texts_differ_by_language(six_pdfs):
    flows = {lang: figure_alt_texts(six_pdfs[("yp", lang)])[-1] for lang in LANGS}
    assert len(set(flows.values())) == 3
    assert all("113" in text for text in flows.values())


@pytest.mark.parametrize("study", ["yp", "pd"])
@pytest.mark.parametrize("lang", LANGS)
def test_every_page_renders_with_no_text_overlapping_or_outside_the_margins(
    six_pdfs, study, lang, tmp_path
):
    needs_poppler()
    pdf = six_pdfs[(study, lang)]
    assert layout_problems(pdf, tmp_path) == []
    pages = int(
        next(
            line.split()[-1]
            for line in subprocess.run(
                ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
            ).stdout.splitlines()
            if line.startswith("Pages:")
        )
    )
    assert len(list(tmp_path.glob("*.png"))) == pages
