"""The report answers each research question from its declared primary analysis, in every
language: the wording follows the verdict (flip the data or the result and it changes), every
number in an answer paragraph is a field of one of that answer's records, and every
transcribed conclusion of the original study is checked."""

import copy
import functools
import json
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from ekc.core.answers import answers
from ekc.core.conclusions import read_conclusions
from ekc.core.report import numbers
from ekc.core.report.answer_wording import (
    answer_blocks,
    plain,
    worded_verdicts,
    wording_problems,
)
from ekc.core.report.render import Results, load_translations
from ekc.core.research_question import read_table
from ekc.core.stats.records import results_files
from ekc.youth_protection.analysis import rq3_support
from ekc.youth_protection.report.build import ReportInputs, answer_inputs, render_report

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "resources/locale"
LANGS = ("nl", "en", "de")
CONFIG = yaml.safe_load((ROOT / "config/config.yaml").read_text(encoding="utf-8"))
SPEC = answer_inputs(CONFIG, ROOT)["answer_spec"]


@pytest.fixture(scope="module")
def report_inputs(built_workflow, tmp_path_factory):
    results = built_workflow / "results"
    records = []
    for path in results_files(results / "stats"):
        records += json.loads(path.read_text(encoding="utf-8"))
    inputs = ReportInputs(
        study="yp",
        info=json.loads((results / "linkage/dataset_info.json").read_text(encoding="utf-8")),
        flow=pd.read_csv(results / "linkage/participant_flow.csv"),
        template=ROOT / "resources/templates/summary.html.j2",
        locale_dir=LOCALE,
        glossary=ROOT / "resources/glossary.csv",
        raw_files=[],
        tables=[],
        figure_dir=tmp_path_factory.mktemp("figures"),
        **answer_inputs(CONFIG, ROOT),
    )
    return records, inputs


@pytest.fixture(scope="module")
def embedded_report(report_inputs):
    """`embedded_report(lang)`: the embedded build's report as HTML, rendered once per
    language for this module (a test that changes records renders its own)."""
    records, inputs = report_inputs
    return functools.cache(lambda lang: render_report(records, lang, inputs))


def _blocks(rendered: str, question: str) -> list[str]:
    return [text for q, text in answer_blocks(rendered) if q == question]


def test_the_embedded_data_give_a_significant_decrease(report_inputs):
    records, _ = report_inputs
    test = Results(records, "en")["yp:text6:care_concerns_total:start_vs_9m:all:-"]
    assert Results(records, "en").outcome(test["id"], test["mean_before"], test["mean_after"]) == (
        "significant_decrease"
    )


def test_the_primary_analyses_are_those_valid_for_the_design(report_inputs):
    """RQ2 by the group x time interaction (not the F test at three months), RQ3 by
    repeated measures (not the chi-square over moments); the numbers the issue names."""
    records, _ = report_inputs
    found = answers(SPEC, records)
    assert found["safety"]["test"] == "mixedlm_wald_z"
    assert found["safety"]["p"] == pytest.approx(0.165, abs=5e-4)
    assert found["safety"]["verdict"] == "no_evidence"
    assert found["support"]["test"] == "anova_rm"
    assert found["support"]["p"] == pytest.approx(0.0095, abs=5e-5)
    assert found["support"]["verdict"] == "evidence"
    by_id = {r["id"]: r for r in records}
    assert by_id["yp:text7x:pul_social_optimism_deviation:start_vs_3m:parents:-"]["p"] == (
        pytest.approx(0.014, abs=5e-4)
    )
    assert by_id["yp:text7x:pul_social_optimism_deviation:start_vs_9m:parents:-"]["p"] == (
        pytest.approx(0.021, abs=5e-4)
    )


@pytest.mark.parametrize("lang", LANGS)
def test_every_answer_is_worded_as_its_verdict(report_inputs, embedded_report, lang):
    records, _ = report_inputs
    rendered = embedded_report(lang)
    found = answers(SPEC, records)
    blocks = answer_blocks(rendered)
    assert {q for q, _ in blocks} == set(found)
    assert not wording_problems(blocks, found, load_translations(LOCALE, lang))


@pytest.mark.parametrize("lang", LANGS)
def test_a_flipped_primary_result_changes_the_answer(report_inputs, embedded_report, lang):
    """RQ2's interaction made significant: 'no evidence of a decrease' becomes 'evidence of
    a decrease' in the summary, the chapter and the conclusions."""
    records, inputs = report_inputs
    translations = load_translations(LOCALE, lang)
    before = embedded_report(lang)
    changed = copy.deepcopy(records)
    primary = next(r for r in changed if r["id"] == SPEC["safety"]["primary"])
    primary.update(p=0.001, verdict="significant")
    after = render_report(changed, lang, inputs)
    old, new = _blocks(before, "safety"), _blocks(after, "safety")
    assert len(old) == len(new) >= 3  # summary, chapter 6, conclusions
    for was, now in zip(old, new, strict=True):
        assert was != now
        assert worded_verdicts(was, translations) == {"no_evidence"}
        assert worded_verdicts(now, translations) == {"evidence"}
    assert not wording_problems(answer_blocks(after), answers(SPEC, changed), translations)


@pytest.fixture(scope="module")
def reversed_support(built_workflow):
    """RQ3 rerun on the parents' questionnaires with the start and nine-month answers
    swapped: the same repeated-measures F, the change reversed."""
    entry = CONFIG["research_questions"]["support"]
    tables = {
        name: read_table(
            ROOT / CONFIG[where["config"]]
            if isinstance(where, dict)
            else built_workflow / "private" / where
        )
        for name, where in entry["inputs"].items()
    }
    swap = {"start": "9m", "9m": "start"}
    for name in ("questionnaires", "measurements"):
        frame = tables[name]
        if "moment" in frame.columns:
            moment = frame["moment"].astype(object)
            tables[name] = frame.assign(moment=moment.map(lambda m: swap.get(m, m)))
    _, records = rq3_support.analyse(tables, study="yp", alpha=CONFIG["analysis"]["alpha"])
    return records


@pytest.mark.parametrize("lang", LANGS)
def test_reversed_data_change_the_answer_in_every_language(
    report_inputs, embedded_report, reversed_support, lang
):
    records, inputs = report_inputs
    translations = load_translations(LOCALE, lang)
    support_ids = {r["id"] for r in reversed_support}
    flipped = [r for r in records if r["id"] not in support_ids] + reversed_support
    found, again = answers(SPEC, records), answers(SPEC, flipped)
    assert found["support"]["verdict"] == "evidence"
    assert again["support"]["verdict"] == "no_evidence"
    assert again["support"]["p"] == pytest.approx(found["support"]["p"])  # same F, other way
    assert again["support"]["direction_matches"] is False
    before = _blocks(embedded_report(lang), "support")
    rendered = render_report(flipped, lang, inputs)
    after = _blocks(rendered, "support")
    for was, now in zip(before, after, strict=True):
        assert was != now and worded_verdicts(now, translations) == {"no_evidence"}
    assert not wording_problems(answer_blocks(rendered), again, translations)


def _allowed(records: list[dict], answer: dict, lang: str) -> list[str]:
    """Every way the report formats a number of these records (and of the answer)."""
    results = Results(records, lang)
    texts = {numbers.p_cell(numbers.P_FLOOR / 2, lang)}
    for rec in [*records, answer]:
        for value in rec.values():
            if isinstance(value, bool) or not isinstance(value, int | float):
                continue
            texts |= {results.num(value, d) for d in range(4)}
            texts |= {results.num(abs(value), d) for d in range(4)}
            # a test report writes its statistic in APA form in every language (30.23)
            texts |= {numbers.statistic(value, lang, d) for d in range(4)}
            texts |= {numbers.statistic(abs(value), lang, d) for d in range(4)}
            texts.add(results.pct(value))
            if 0 <= value <= 1:
                texts.add(numbers.p_cell(value, lang))
    return sorted(texts, key=len, reverse=True)


@pytest.mark.parametrize("lang", LANGS)
def test_every_number_in_an_answer_paragraph_is_a_field_of_its_records(
    report_inputs, embedded_report, lang
):
    records, _ = report_inputs
    rendered = embedded_report(lang)
    found = answers(SPEC, records)
    by_id = {r["id"]: r for r in records}
    pattern = re.compile(
        r'<div class="answer" data-question="([^"]+)"[^>]*'
        r'data-records="([^"]*)"[^>]*>(.*?)</div>',
        re.S,
    )
    seen = 0
    for question, ids, body in pattern.findall(rendered):
        assert sorted(ids.split()) == found[question]["records"]
        text = plain(body).replace("\u2212", "-").replace("−", "-")
        for allowed in _allowed([by_id[i] for i in ids.split()], found[question], lang):
            text = text.replace(allowed.replace("\u2212", "-"), " ")
        assert not re.search(r"\d", text), (question, text)
        seen += 1
    assert seen >= len(found)


def test_the_conclusions_file_covers_every_transcribed_conclusion(built_workflow, embedded_report):
    """conclusions.json has every row of the transcription, and the report a row for each."""
    rows = read_conclusions(ROOT / CONFIG["report"]["conclusions"])
    checked = json.loads((built_workflow / "results/stats/conclusions.json").read_text())
    assert [c["id"] for c in checked] == [r["id"] for r in rows]
    assert all(c["verdict"] in {"supported", "not_supported", "not_testable"} for c in checked)
    rendered = embedded_report("en")
    assert re.findall(r'data-conclusion="([^"]+)"', rendered) == [
        r["id"]
        for kind, pipeline in (
            ("conclusion", False),
            ("recommendation", False),
            ("recommendation", True),
        )
        for r in rows
        if r["kind"] == kind and (r["source"] == "pipeline") == pipeline
    ]


def test_the_answers_file_is_what_the_report_prints(built_workflow, report_inputs):
    records, _ = report_inputs
    written = json.loads((built_workflow / "results/stats/answers.json").read_text())
    assert written == json.loads(json.dumps(answers(SPEC, records)))


def test_disclosure_control_hides_small_cells_and_says_so(report_inputs, embedded_report):
    import dataclasses

    records, inputs = report_inputs
    public = dataclasses.replace(inputs, disclosure={"enabled": True, "min_count": 5})
    note = plain(
        load_translations(LOCALE, "en").gettext(
            "Cells based on fewer than %(k)s cases are not shown (–), nor the "
            "cells from which they could be recomputed."
        )
        % {"k": "5"}
    )
    as_is = plain(embedded_report("en"))
    hidden = plain(render_report(records, "en", public))
    assert note not in as_is and note in hidden
    # table 3.1: four-child families without a conference number 2 (< 5): hidden in public
    assert "4 children 2 (2%)" in as_is
    assert "4 children 2 (2%)" not in hidden


ORIGINAL_TABLES = ["3.1", "3.2", "3.3", "4.1", "5.1", "6.1–6.3", "6.4", "7.1", "7.3", "7.4",
                   "8.1", "8.3", "9.3"]  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "table", "figure"),
    [("nl", "tabel", "figuur"), ("en", "table", "figure"), ("de", "Tabelle", "Abbildung")],
)
def test_tables_and_figures_are_numbered_and_referred_to(embedded_report, lang, table, figure):
    """Issue 21: tables and figures 1 … n per report (none without a number, none borrowed
    from the original), the original's number kept as a note, and every reference in the
    text points at a table or figure that is there."""
    page = embedded_report(lang)
    captions = re.findall(r'<span class="label">(\w+) (\d+)</span>', page)
    for word in (table, figure):
        numbers = [int(n) for kind, n in captions if kind.lower() == word.lower()]
        assert numbers == list(range(1, len(numbers) + 1)), (word, numbers)
        pairs = re.findall(
            rf"\b{word}(?:s|len|n)? (\d+)(?: (?:and|en|und) (\d+))?", plain(page), re.I
        )
        referred = [int(n) for pair in pairs for n in pair if n]
        assert referred and max(referred) <= len(numbers), (word, referred)
        # the caption and at least one sentence of the text name each of them
        assert all(referred.count(n) >= 2 for n in numbers), (word, referred)
    # the original's 13, response and attrition, and the original's conclusions, its
    # recommendations and the pipeline's recommendations checked
    assert len([k for k, _ in captions if k.lower() == table.lower()]) == 18
    notes = re.findall(r'<span class="original">\((.*?)\)</span>', page)
    assert [re.search(r"\d+\.\d+(?:–\d+\.\d+)?", note).group() for note in notes] == ORIGINAL_TABLES
